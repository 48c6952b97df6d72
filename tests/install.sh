#!/bin/sh
# tests/install.sh PREFIX - the installed tool as a new user meets it: from another
# folder with a new database, import a seed document, search with --for, compare peers;
# the man page and completion are where man and bash look.  Exact output.
set -eu
p=$1
data=$(pwd)/data
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work"
export LC_ALL=C.UTF-8 COLUMNS=120
unset IDEABANK_DB
"$p/bin/ideabank" --db new.db import "$data/seeds/000_23be4988dae89e7a.txt" | tail -1 >out.txt
"$p/bin/ideabank" --db new.db search robot --for Greve >>out.txt
"$p/bin/ideabank" --db new.db peers Greve --area "Ældre og sundhed" | sed -n '1p;$p' >>out.txt
test -f "$p/share/man/man1/ideabank.1" && echo "man page installed" >>out.txt
bash -c ". '$p/share/bash-completion/completions/ideabank'; COMP_WORDS=(ideabank pe);
	COMP_CWORD=1; _ideabank; echo completion: \${COMPREPLY[*]}" >>out.txt
cat >want.txt <<'WANT'
flagged: 5 proposals (see 'ideabank show ID'); follow-ups attached: 0
  ID  Kommune         År    Titel                         Effekt (kr)  Kr. pr. indb.     Folketal (år)      I Greve (kr)
   8  Ringsted        2021  Anvendelse af medicindisp…        150.000           4,30     34.847 (2021)           232.961
I Greve: effekt pr. indbygger x 54.120 indbyggere (2026; kilde: Danmarks Statistik, FOLK1AM 2026M01); egne forslag uomregnet
Greve (253): Ældre og sundhed (4.62.81, 4.62.85, 5.30.26, 5.30.27, 5.30.28), 2024
               Greve bruger allerede mindre end benchmark
man page installed
completion: peers
WANT
if diff -u want.txt out.txt; then echo "install: ok"; else echo "install: FAIL"; exit 1; fi
