#!/bin/sh
# tests/fault/run.sh - the fault tests (make faults), each bounded in time and count,
# on loopback only:
#   kill     a 20,000-proposal import killed with SIGKILL at random points (50 kills by
#            default); after each, PRAGMA integrity_check, FTS5's integrity-check, and the
#            generated proposals are all of the old state or all of the new one
#   create   the first import into a new database (it creates and seeds the database)
#            killed with SIGKILL at random points (50 kills); after each, the next import
#            and a search must work, and the checks pass
#   race     two first imports into one new database at once, 20 times, then 20 at once:
#            every one exits 0, one stores the proposals, the others find them unchanged
#   readers  CLI searches and /api/search requests (200 each) while imports run: no
#            error allowed
#   load     wrk against `ideabank serve`: / and /api/search with a 300-word query in
#            flight, then 1.000 slow clients (partial requests from 40 addresses) while
#            20 requests from another address are each answered within 2 s, then
#            oversized requests (huge URL, many parameters, big body), then 50 CSV
#            downloads of the whole bank while 20 /api/search requests are each answered
#            within 2 s; the server must answer throughout
# usage: run.sh TOOL HELPER_DIR WORK_DIR [kill|create|race|readers|load]...
# Settings (environment): FAULT_PROPOSALS (20000), FAULT_KILLS (50), FAULT_CREATE_PROPOSALS
# (2000), FAULT_CREATE_KILLS (50), FAULT_RACES (20), FAULT_READERS (200),
# FAULT_LOAD_SECONDS (10), FAULT_SLOW (1000 connections), FAULT_SLOW_ADDRESSES (40),
# FAULT_DOWNLOADS (50).
set -u
tool=$1; helpers=$2; work=$3; shift 3
[ $# -gt 0 ] || set -- kill create race readers load
n_props=${FAULT_PROPOSALS:-20000}; kills=${FAULT_KILLS:-50}; readers=${FAULT_READERS:-200}
load_s=${FAULT_LOAD_SECONDS:-10}; n_slow=${FAULT_SLOW:-1000}
n_create=${FAULT_CREATE_PROPOSALS:-2000}; create_kills=${FAULT_CREATE_KILLS:-50}
races=${FAULT_RACES:-20}; n_addresses=${FAULT_SLOW_ADDRESSES:-40}
downloads=${FAULT_DOWNLOADS:-50}
failed=0; server=""
mkdir -p "$work"
trap 'stop_server' EXIT INT TERM

fail() { echo "faults: FAILED: $*"; failed=1; }
# a random number 0..$1-1
rnd() { echo $(( $(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % $1 )); }
now_ms() { date +%s%3N; }

# The base database: municipalities, population and variant A of the generated feed.
setup() {
	# generated once per size: a feed of another run's FAULT_PROPOSALS is not this one
	for v in A B; do
		[ -s "$work/$v-$n_props.jsonl" ] ||
			sh tests/fault/genfeed.sh "$n_props" $v data/kommuner.csv >"$work/$v-$n_props.jsonl"
		ln -sf "$v-$n_props.jsonl" "$work/$v.jsonl"
	done
	rm -f "$work/base.db"*
	"$tool" --db "$work/base.db" import data/kommuner.csv data/folketal.csv >/dev/null || exit 1
	t0=$(now_ms)
	"$tool" --db "$work/base.db" import "$work/A.jsonl" >/dev/null || exit 1
	import_ms=$(( $(now_ms) - t0 ))
	# the kills hit imports that replace one feed by the other, which take longer
	# than the first import into an empty index: aim over their length
	fresh_db "$work/timing.db"
	t0=$(now_ms)
	"$tool" --db "$work/timing.db" import "$work/B.jsonl" >/dev/null || exit 1
	update_ms=$(( $(now_ms) - t0 ))
	rm -f "$work/timing.db" "$work/timing.db-wal" "$work/timing.db-shm"
	echo "setup: $n_props generated proposals imported in $import_ms ms, replaced by the other feed's $n_props in $update_ms ms"
}

fresh_db() { # copy the base database to $1
	rm -f "$1" "$1-journal" "$1-wal" "$1-shm"
	cp "$work/base.db" "$1"
}

phase_kill() {
	db=$work/kill.db
	fresh_db "$db"
	state=A; done_kills=0; finished=0; tries=0; stayed=0; moved=0
	t0=$(now_ms)
	while [ "$done_kills" -lt "$kills" ] && [ "$tries" -lt $((kills * 3)) ]; do
		tries=$((tries + 1))
		if [ "$state" = A ]; then next=B; else next=A; fi
		"$tool" --db "$db" import "$work/$next.jsonl" >/dev/null 2>&1 &
		pid=$!
		# anywhere from the start to a little past the end of a typical import
		ms=$(rnd $((update_ms * 12 / 10 + 1)))
		sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
		kill -9 "$pid" 2>/dev/null
		{ wait "$pid"; rc=$?; } 2>/dev/null
		if [ "$rc" = 137 ]; then
			done_kills=$((done_kills + 1))
		else
			# imports run faster than the first one did: aim earlier
			finished=$((finished + 1)); update_ms=$((update_ms * 8 / 10))
		fi
		got=$("$helpers/dbstate" "$db") || { fail "kill $tries after $ms ms: $got"; return; }
		case $got in
		"$state "*) stayed=$((stayed + 1)) ;;
		"$next "*) state=$next; moved=$((moved + 1)) ;;
		*) fail "kill $tries after $ms ms: state '$got', expected $state or $next"; return ;;
		esac
	done
	[ "$done_kills" -ge "$kills" ] || fail "only $done_kills imports killed in $tries tries"
	echo "kill: $done_kills imports killed with SIGKILL (+$finished finished first); integrity and FTS5 checks ok after each; old state $stayed times, new state $moved times, never a mix; $(( ($(now_ms) - t0) / 1000 )) s"
}

# The state a database is in, as `stats` sees it: none, empty or whole.
db_kind() {
	st=$("$tool" --db "$1" stats 2>&1 | head -1)
	case $st in
	*"no database at"*) echo none ;;
	*"database is empty"*) echo empty ;;
	Kommuner:*) echo whole ;;
	*) echo "other: $st" ;;
	esac
}

# The first import into a new database, killed: the database is created whole (tables
# and reference data in the transaction of the import) or not at all, so the next
# import and a search work whatever moment the kill hit.
phase_create() {
	feed=$work/C-$n_create.jsonl
	[ -s "$feed" ] || sh tests/fault/genfeed.sh "$n_create" A data/kommuner.csv >"$feed"
	db=$work/create.db
	rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
	t0=$(now_ms)
	"$tool" --db "$db" import "$feed" >/dev/null || { fail "create: a first import failed"; return; }
	create_ms=$(( $(now_ms) - t0 ))
	done_kills=0; finished=0; tries=0; none=0; empty=0; whole=0
	t0=$(now_ms)
	while [ "$done_kills" -lt "$create_kills" ] && [ "$tries" -lt $((create_kills * 3)) ]; do
		tries=$((tries + 1))
		rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
		"$tool" --db "$db" import "$feed" >/dev/null 2>&1 &
		pid=$!
		ms=$(rnd $((create_ms * 12 / 10 + 1)))
		sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
		kill -9 "$pid" 2>/dev/null
		{ wait "$pid"; rc=$?; } 2>/dev/null
		if [ "$rc" = 137 ]; then
			done_kills=$((done_kills + 1))
		else
			finished=$((finished + 1)); create_ms=$((create_ms * 8 / 10))
		fi
		kind=$(db_kind "$db")
		case $kind in
		none) none=$((none + 1)) ;;
		empty) empty=$((empty + 1)) ;;
		whole) whole=$((whole + 1)) ;;
		*) fail "create: kill $tries after $ms ms left $kind"; return ;;
		esac
		out=$("$tool" --db "$db" import "$feed" 2>&1) ||
			{ fail "create: the import after kill $tries ($ms ms, $kind) failed: $out"; return; }
		"$tool" --db "$db" search genereret --limit 1 >/dev/null 2>"$work/create.err" ||
			{ fail "create: search after kill $tries: $(cat "$work/create.err")"; return; }
		got=$("$helpers/dbstate" "$db") || { fail "create: kill $tries after $ms ms: $got"; return; }
		[ "$got" = "A $n_create" ] || { fail "create: kill $tries: state '$got'"; return; }
	done
	[ "$done_kills" -ge "$create_kills" ] || fail "create: only $done_kills imports killed in $tries tries"
	echo "create: $done_kills first imports into a new database killed with SIGKILL (+$finished finished first; a first import of $n_create proposals takes ~$create_ms ms); left no database $none times, an empty file $empty times, a whole database $whole times; the next import, a search, integrity and FTS5 checks worked after every one; $(( ($(now_ms) - t0) / 1000 )) s"
}

# Creators at once: one creates the database, the others wait for it and find the
# proposals unchanged; none fails.
phase_race() {
	feed=$work/C-$n_create.jsonl
	[ -s "$feed" ] || sh tests/fault/genfeed.sh "$n_create" A data/kommuner.csv >"$feed"
	db=$work/race.db
	t0=$(now_ms)
	race_round() { # N: N first imports at once
		rm -f "$db" "$db-wal" "$db-shm" "$db-journal" "$work"/race.*.out
		pids=""
		for k in $(seq "$1"); do
			"$tool" --db "$db" import "$feed" >"$work/race.$k.out" 2>&1 &
			pids="$pids $!"
		done
		bad=0
		for p in $pids; do wait "$p" || bad=$((bad + 1)); done
		[ "$bad" = 0 ] || { echo "$bad of $1 failed: $(grep -h ideabank "$work"/race.*.out | head -1)"; return 1; }
		new=$(cat "$work"/race.*.out | grep -c " $n_create new proposals")
		same=$(cat "$work"/race.*.out | grep -c " $n_create unchanged")
		[ "$new" = 1 ] && [ "$same" = $(($1 - 1)) ] ||
			{ echo "$new stored the proposals, $same found them unchanged"; return 1; }
		got=$("$helpers/dbstate" "$db") || { echo "$got"; return 1; }
		[ "$got" = "A $n_create" ] || { echo "state '$got'"; return 1; }
	}
	for r in $(seq "$races"); do
		why=$(race_round 2) || { fail "race $r of two creators: $why"; return; }
	done
	why=$(race_round 20) || { fail "race of twenty creators: $why"; return; }
	echo "race: two first imports into one new database at once, $races times, and twenty at once: every import exited 0, one stored the $n_create proposals, the others found them unchanged; integrity and FTS5 checks ok; $(( ($(now_ms) - t0) / 1000 )) s"
}

start_server() { # db; sets $server, $port
	for try in 1 2 3 4 5 6 7 8 9 10; do
		port=$((20000 + $(rnd 40000)))
		"$tool" --db "$1" serve --port "$port" >"$work/serve.out" 2>"$work/serve.err" &
		server=$!
		for w in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/" && return 0
			kill -0 "$server" 2>/dev/null || break
			sleep 0.25
		done
		kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; server=""
	done
	fail "cannot start ideabank serve: $(cat "$work/serve.err")"
	return 1
}

stop_server() {
	[ -n "$server" ] || return 0
	kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; server=""
}

phase_readers() {
	db=$work/readers.db
	fresh_db "$db"
	start_server "$db" || return
	# the writer: imports B, A, B, ... until told to stop
	: >"$work/writer.go"
	( n=0; v=B; while [ -e "$work/writer.go" ]; do
		"$tool" --db "$db" import "$work/$v.jsonl" >/dev/null 2>>"$work/writer.err" || echo "import failed" >>"$work/writer.err"
		n=$((n + 1)); if [ $v = B ]; then v=A; else v=B; fi
	  done; echo "$n" >"$work/writer.n" ) &
	writer=$!
	sleep 1
	( bad=0; for i in $(seq "$readers"); do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 \
			"http://127.0.0.1:$port/api/search?q=hjemmepleje+genereret&limit=5")
		[ "$code" = 200 ] || { bad=$((bad + 1)); echo "http $code" >>"$work/readers.err"; }
	  done; echo "$bad" >"$work/http.bad" ) &
	http=$!
	cli_bad=0
	for i in $(seq "$readers"); do
		"$tool" --db "$db" search genereret robot --limit 5 >/dev/null 2>>"$work/readers.err"
		rc=$?
		[ "$rc" -le 1 ] || cli_bad=$((cli_bad + 1))
	done
	wait "$http"
	rm -f "$work/writer.go"; wait "$writer"
	stop_server
	http_bad=$(cat "$work/http.bad"); imports=$(cat "$work/writer.n")
	echo "readers: $readers CLI searches, $cli_bad errors; $readers /api/search requests, $http_bad errors; during $imports imports of $n_props proposals"
	[ "$cli_bad" = 0 ] && [ "$http_bad" = 0 ] || fail "readers saw errors: $(sort "$work/readers.err" | uniq -c | head -3)"
	[ ! -s "$work/writer.err" ] || fail "the writer failed: $(head -1 "$work/writer.err")"
	"$helpers/dbstate" "$db" >/dev/null || fail "database damaged after the readers test"
}

wrk_line() { # label, wrk output file: requests/s, p99, errors
	rps=$(sed -n 's/^Requests\/sec: *//p' "$2")
	p99=$(sed -n 's/^ *99% *//p' "$2")
	errs=$(sed -n 's/.*Socket errors: \(.*\)/\1/p' "$2")
	non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: *//p' "$2")
	echo "load: $1: ${rps:-?} requests/s, p99 ${p99:-?}, socket errors: ${errs:-none}, non-2xx: ${non2xx:-0}"
	# one slow query must not hold the others: answers keep coming
	[ "${rps%%.*}" -ge 1 ] 2>/dev/null || fail "$1: ${rps:-no} requests/s"
	[ -z "$non2xx" ] || fail "$1: $non2xx answers were not 2xx"
}

phase_load() {
	db=$work/load.db
	fresh_db "$db"
	start_server "$db" || return
	words=$(for i in $(seq 300); do printf 'og '; done)
	q300=$(printf '%s' "$words" | sed 's/ $//; s/ /+/g')
	# the 300-word query, asked again and again while wrk runs
	: >"$work/slow.go"; : >"$work/q300.out"
	( n=0; while [ -e "$work/slow.go" ]; do
		curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 120 \
			"http://127.0.0.1:$port/api/search?q=$q300" >>"$work/q300.out"
	  done ) &
	slowq=$!
	wrk -t2 -c16 -d"${load_s}s" --timeout 10s --latency "http://127.0.0.1:$port/" >"$work/wrk-root.out" 2>&1
	wrk_line "GET / (16 connections, 300-word query in flight)" "$work/wrk-root.out"
	wrk -t2 -c16 -d"${load_s}s" --timeout 10s --latency "http://127.0.0.1:$port/api/search?q=hjemmepleje" >"$work/wrk-api.out" 2>&1
	wrk_line "GET /api/search?q=hjemmepleje (16 connections, 300-word query in flight)" "$work/wrk-api.out"
	rm -f "$work/slow.go"; wait "$slowq"
	echo "load: 300-word query: $(wc -l <"$work/q300.out") answered, statuses $(cut -d' ' -f1 "$work/q300.out" | sort | uniq -c | tr -s ' ' | tr '\n' ' ')slowest $(cut -d' ' -f2 "$work/q300.out" | sort -n | tail -1) s"
	# slow clients: many connections trickling a header from $n_addresses addresses
	# (127.0.0.2 and on: loopback too, so that the server's per-address budget meets
	# many addresses); every request of another client, 127.0.0.1, must still be
	# answered within 2 s
	"$helpers/slowclient" 127.0.0.1 "$port" "$n_slow" "$load_s" 127.0.0.2 "$n_addresses" >"$work/slowclient.out" &
	slowc=$!
	sleep 2
	ok=0; slowest=0
	for i in $(seq 20); do
		out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 2 "http://127.0.0.1:$port/?q=robot")
		[ "${out%% *}" = 200 ] && ok=$((ok + 1))
		slowest=$(printf '%s\n%s\n' "$slowest" "${out#* }" | sort -n | tail -1)
		sleep 0.1
	done
	wait "$slowc"
	echo "load: slow clients: $(sed 's/^slowclient: //' "$work/slowclient.out"); meanwhile $ok of 20 requests from 127.0.0.1 answered 200 within 2 s (slowest $slowest s)"
	[ "$ok" = 20 ] || fail "slow clients locked out new requests ($ok of 20 answered within 2 s)"
	# oversized requests: each must get an HTTP answer (a 4xx), not a closed connection
	long=$(head -c 100000 /dev/zero | tr '\0' 'a')
	params=$(for i in $(seq 1000); do printf 'p%d=x&' "$i"; done)
	head -c 10000000 /dev/zero | tr '\0' 'a' >"$work/body"
	c1=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$port/?q=$long")
	c2=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$port/?${params}q=robot")
	c3=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 --data-binary @"$work/body" "http://127.0.0.1:$port/api/search?q=robot")
	echo "load: oversized: 100 kB URL -> $c1, 1000 parameters -> $c2, 10 MB body -> $c3"
	for c in $c1 $c2 $c3; do
		case $c in 4??) ;; *) fail "an oversized request got '$c' instead of a 4xx answer" ;; esac
	done
	# CSV downloads of the whole bank go to a worker of their own: the API answers
	# meanwhile (one /api/search took 12,2 s during 50 downloads)
	: >"$work/downloads.out"
	dl=""
	for i in $(seq "$downloads"); do
		curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 300 \
			"http://127.0.0.1:$port/resultater.csv" >>"$work/downloads.out" &
		dl="$dl $!"
	done
	sleep 1
	ok=0; slowest=0
	for i in $(seq 20); do
		out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 2 "http://127.0.0.1:$port/api/search?q=hjemmepleje")
		[ "${out%% *}" = 200 ] && ok=$((ok + 1))
		slowest=$(printf '%s\n%s\n' "$slowest" "${out#* }" | sort -n | tail -1)
		sleep 0.1
	done
	for p in $dl; do wait "$p"; done
	got=$(grep -c '^200 ' "$work/downloads.out")
	echo "load: $downloads CSV downloads of all $n_props proposals at once: $got answered 200, the slowest in $(cut -d' ' -f2 "$work/downloads.out" | sort -n | tail -1) s; meanwhile $ok of 20 /api/search answered within 2 s (slowest $slowest s)"
	[ "$ok" = 20 ] || fail "CSV downloads held the API ($ok of 20 /api/search within 2 s)"
	[ "$got" = "$downloads" ] || fail "only $got of $downloads CSV downloads answered 200"
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/?q=robot")
	[ "$code" = 200 ] || fail "the server does not answer after the load test ($code)"
	stop_server
	echo "load: the server, when stopped: $(tail -1 "$work/serve.out" | sed "s/^stopped: //")"
}

setup
for phase in "$@"; do
	case $phase in
	kill) phase_kill ;;
	create) phase_create ;;
	race) phase_race ;;
	readers) phase_readers ;;
	load) phase_load ;;
	*) echo "faults: unknown phase '$phase'"; exit 2 ;;
	esac
done
exit $failed
