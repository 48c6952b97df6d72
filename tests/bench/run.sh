#!/bin/sh
# run.sh - the engine benchmark: `make bench N=100000` (tests/bench/bench_engines.c,
# bench_xapian.py).  Generates one corpus of N proposals, loads it into ideabank, raw
# SQLite FTS5, Xapian and PostgreSQL 15 one after the other in this one run (so the
# machine's load touches every engine alike), runs the query mix on each (ideabank in one
# process, then as whole CLI processes on the bank it loaded: bench_cli queries), times
# `serve`'s first search after an import into that bank (bench_cli serve, last) and
# writes tests/bench/results-N.md.  As root it installs the Debian packages it needs; the
# PostgreSQL cluster is its own, in a temporary directory on a Unix socket, run as
# nobody, and stopped at the end.
set -eu
N=${1:-10000}
B=${2:-build}
OUT=${3:-tests/bench/results-$N.md}
# ENGINES: which engines to run (default all); e.g. ENGINES="ideabank fts5 pg" at 1M,
# where no target compares with Xapian and its load takes about 25 minutes.  "feed" is
# ideabank's streamed JSON Lines import of the same corpus (load time and memory only).
ENGINES=${ENGINES:-ideabank feed fts5 xapian pg}
want() { case " $ENGINES " in *" $1 "*) return 0 ;; esac; return 1; }
pkgs="python3-xapian postgresql libpq-dev"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "bench: missing Debian packages; run as root:" >&2
		echo "  apt-get install -y$missing" >&2
		exit 1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >&2
fi
[ "$N" = --deps ] && exit 0
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
W=$B/bench-$N
mkdir -p "$W"
Q=tests/bench/queries.txt
T=$(mktemp -d /tmp/ideabank-bench.XXXXXX)
chmod 755 "$T"
[ "$(id -u)" != 0 ] || chown nobody "$T"
pg_stop() {
	if [ -f "$T/pg/postmaster.pid" ]; then
		if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$PGBIN/pg_ctl" -D "$T/pg" -m fast stop >/dev/null
		else "$PGBIN/pg_ctl" -D "$T/pg" -m fast stop >/dev/null; fi
	fi
	rm -rf "$T"
}
trap pg_stop EXIT INT TERM
as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}
USER_PG=nobody
[ "$(id -u)" = 0 ] || USER_PG=$(id -un)

echo "bench: corpus of $N proposals" >&2
"$B/bench/bench_engines" gen "$N" data/seeds "$W/corpus.tsv"
: >"$W/out.tsv"
if want ideabank; then
	echo "bench: ideabank" >&2
	"$B/bench/bench_engines" ideabank "$W/corpus.tsv" $Q "$W/ideabank.db" >>"$W/out.tsv"
	# the same queries as whole processes of the CLI, on the bank just loaded
	echo "bench: ideabank as whole CLI processes" >&2
	IDEABANK="$B/ideabank" "$B/bench/bench_cli" queries "$W/ideabank.db" $Q >>"$W/out.tsv"
	# the same load with unicode61 in place of the Danish tokenizer: the tokenizer's share
	echo "bench: ideabank with unicode61 (load only)" >&2
	"$B/bench/bench_engines" ideabank-u61 "$W/corpus.tsv" "$W/ideabank-u61.db" >>"$W/out.tsv"
	rm -f "$W/ideabank-u61.db"
fi
if want feed; then
	echo "bench: ideabank, JSON Lines feed" >&2
	"$B/bench/bench_engines" feed "$W/corpus.tsv" "$W/feed.db" >>"$W/out.tsv"
fi
if want fts5; then
	echo "bench: raw SQLite FTS5" >&2
	"$B/bench/bench_engines" fts5 "$W/corpus.tsv" $Q "$W/fts5.db" >>"$W/out.tsv"
fi
if want xapian; then
	echo "bench: Xapian" >&2
	/usr/bin/python3 tests/bench/bench_xapian.py "$W/corpus.tsv" $Q "$W/xapian" >>"$W/out.tsv"
fi
if want pg; then
	echo "bench: PostgreSQL" >&2
	as_pg "$PGBIN/initdb" -D "$T/pg" -U "$USER_PG" -A trust >/dev/null
	as_pg "$PGBIN/pg_ctl" -D "$T/pg" -l "$T/pg.log" -w \
		-o "-k $T -c listen_addresses='' -c shared_buffers=256MB -c work_mem=64MB" start >/dev/null
	PGUSER=$USER_PG "$B/bench/bench_engines" pg "$W/corpus.tsv" $Q "$T" | sed "s/user=nobody//" >>"$W/out.tsv"
fi
pg_stop
trap - EXIT INT TERM
if want ideabank; then
	# last: it imports into the bank (one proposal per round) while serve runs on it
	echo "bench: serve, its next search after an import" >&2
	IDEABANK="$B/ideabank" "$B/bench/bench_cli" serve "$W/ideabank.db" >>"$W/out.tsv"
fi

# the report
{
	echo "## $N proposals"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- index src include || echo ' + uncommitted changes'),"
	echo "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores (shared: load average $(cut -d' ' -f1-3 /proc/loadavg)),"
	echo "$(awk '/MemTotal/ {printf "%.0f GB RAM", $2/1048576}' /proc/meminfo), SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo '?'),"
	echo "Xapian $(/usr/bin/python3 -c 'import xapian; print(xapian.version_string())'), PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}')."
	echo "Queries: tests/bench/queries.txt ($(grep -vc '^#' $Q)), 7 timed runs each after a warm-up."
	echo
	awk -F"\t" -v QUERIES=$Q -f tests/bench/report.awk "$W/out.tsv"
} >"$OUT"
echo "bench: wrote $OUT" >&2
cat "$OUT"
