#!/bin/bash
# tests/completion.sh - the bash completion script, as bash calls it: source it, set
# COMP_WORDS/COMP_CWORD, call _ideabank, compare COMPREPLY with what is expected.
# Usage: tests/completion.sh build/ideabank.bash
set -u
export LC_ALL=C.UTF-8
# shellcheck disable=SC1090
. "$1"
pass=0 fail=0
expect() { # expect "WANT" WORD...  (the last word is the one being completed)
	local want=$1
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_ideabank
	local got="${COMPREPLY[*]}"
	if [[ "$got" == "$want" ]]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: completion of '$*': expected '$want', got '$got'"
	fi
}
expect "peers" ideabank pe
expect "search show stats serve" ideabank s
expect "search serve" ideabank --db x.db se
expect "--db" ideabank --d
expect "Greve" ideabank peers Gre
expect "Greve" ideabank --db x.db search robot --for Gre
expect "København Køge" ideabank search --kommune Kø
expect 'Ældre\ og\ sundhed' ideabank search --area Æl
expect 'Udsatte\ børn Udsatte\ voksne\ og\ borgere\ med\ handicap' ideabank peers Greve --area Uds
expect 'Ældre\ og\ sundhed' ideabank peers Greve --area '"Æl'
expect "--population" ideabank search --pop
expect "--effect --explain" ideabank search robot --e
expect "--method" ideabank peers Greve --me
expect "nearest" ideabank peers Greve --method ne
expect "--weights" ideabank peers Greve --w
expect "peers" ideabank help pe
expect "add" ideabank basket a
expect "" ideabank peers Greve --function ""
expect "--agendas" ideabank fetch --ag
expect "Greve" ideabank fetch --agendas --kommune Gre
expect "--from" ideabank fetch --agendas --fr
expect "" ideabank fetch --agendas --from ""
expect "room" ideabank ro
expect "Ringsted" ideabank room Rings
expect "--functions" ideabank room Ringsted --fu
expect "target" ideabank room Ringsted --measure t
expect "" ideabank room Ringsted --ideas ""
expect "--method" ideabank peers Greve --ideas --me
# made from the option tables: each command's own values and operands
expect "lowest-quartile" ideabank room Ringsted --benchmark lo
expect "mean median" ideabank peers Greve --benchmark me
expect "" ideabank serve --port ""
expect "--hosts" ideabank fetch --agendas --ho
expect "import" ideabank help imp
expect "list" ideabank basket --name x l
expect "" ideabank basket list l
echo "completion: $pass passed, $fail failed"
[ "$fail" = 0 ]
