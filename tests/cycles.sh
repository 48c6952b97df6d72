#!/bin/sh
# cycles.sh OBJDIR SRCDIR... - fail when files of the library or the tool depend on each
# other in a circle.  A file depends on another when its object calls a function or
# reads a variable the other defines (the linker's symbol references, from nm), or when
# it #includes the other's header (a .h belongs to the .c of the same name).  Prints
# every cycle's files (a strongly connected set of two or more) and exits 1; prints
# "cycles: none (N files, M dependencies)" and exits 0 otherwise.
set -eu
objdir=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# symbol edges: "user definer" for every undefined symbol another object defines
for o in $(find "$objdir" -name '*.o' | sort); do
	f=${o#"$objdir"/}
	f=${f%.o}.c
	# generated data tables (gen/) depend on nothing; an object of a removed source is stale
	[ -f "$f" ] || continue
	nm --defined-only -g "$o" | awk -v f="$f" 'NF >= 3 { print "D", $3, f }'
	nm -u "$o" | awk -v f="$f" '{ print "U", $2, f }'
done >"$tmp/syms"
awk '$1 == "D" { def[$2] = $3 } $1 == "U" { use[NR] = $2; user[NR] = $3 }
     END { for (i in use) if ((use[i] in def) && def[use[i]] != user[i])
		print user[i], def[use[i]] }' "$tmp/syms" >"$tmp/edges"

# include edges between files of the given folders: a.c or a.h including "b.h" depends
# on b.c when there is one (headers are named by their base name)
for d in "$@"; do
	find "$d" -name '*.[ch]'
done | sort >"$tmp/files"
while read -r f; do
	case $f in
	*.c) own=$f ;;
	*) own=$(grep "/$(basename "$f" .h)\.c\$" "$tmp/files" | head -1 || true) ;;
	esac
	[ -n "$own" ] || continue
	sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | while read -r h; do
		base=$(basename "$h" .h)
		for c in $(grep "/$base\.c\$" "$tmp/files" || true); do
			[ "$c" = "$own" ] || echo "$own $c"
		done
	done
done <"$tmp/files" >>"$tmp/edges"

sort -u "$tmp/edges" | awk '
# Tarjan strongly connected components over the edges read
{ if (!($1 in seen)) { seen[$1] = 1; node[++n] = $1 }
  if (!($2 in seen)) { seen[$2] = 1; node[++n] = $2 }
  adj[$1] = adj[$1] " " $2; m++ }
function visit(v,    ws, k, w) {
	idx[v] = lowl[v] = ++counter; stack[++sp] = v; on[v] = 1
	k = split(adj[v], ws, " ")
	for (; k > 0; k--) {
		w = ws[k]
		if (!(w in idx)) { visit(w); if (lowl[w] < lowl[v]) lowl[v] = lowl[w] }
		else if (on[w] && idx[w] < lowl[v]) lowl[v] = idx[w]
	}
	if (lowl[v] == idx[v]) {
		comp = ""; size = 0
		do { w = stack[sp--]; on[w] = 0; comp = comp " " w; size++ } while (w != v)
		if (size > 1) { print "cycle:" comp; bad = 1 }
	}
}
END {
	for (i = 1; i <= n; i++) if (!(node[i] in idx)) visit(node[i])
	if (bad) exit 1
	printf "cycles: none (%d files, %d dependencies)\n", n, m
}'
