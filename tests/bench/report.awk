# report.awk - the Markdown tables of tests/bench/run.sh from bench_engines' and
# bench_xapian.py's TAB-separated lines (load, query, rss).
function pct(arr, n, p,    i, j, t, k) {
	# nearest-rank percentile p of arr[1..n] (sorted here by insertion)
	for (i = 2; i <= n; i++) { t = arr[i]; for (j = i - 1; j >= 1 && arr[j] > t; j--) arr[j + 1] = arr[j]; arr[j + 1] = t }
	k = int(p * n + 0.999999); if (k < 1) k = 1; if (k > n) k = n
	return arr[k]
}
$1 == "load" && $2 == "ideabank-u61" { u61 = $3; next }
$1 == "load" && $2 == "ideabank-feed" { feedload = $3; next }
$1 == "rss" && $2 == "ideabank-feed" { feedrss = $3; next }
$1 == "feed" { feedbytes = $3; feedn = $4; next }
$1 == "query" && $2 == "ideabank-cli" { ccnt[$3] = $4; cp50[$3] = $5; cp95[$3] = $6; cmx[$3] = $7; ccpu[$3] = $8; if ($3 > ncq) ncq = $3; next }
$1 == "rss" && $2 == "ideabank-cli" { clirss = $3; next }
$1 == "serve" { srv[++nsrv] = $4; next }
$1 == "load" { load[$2] = $3; size[$2] = $4; if (!($2 in seen)) { seen[$2] = 1; eng[++ne] = $2 } }
$1 == "rss" { rss[$2] = $3 }
$1 == "query" { cnt[$2, $3] = $4; p50[$2, $3] = $5; p95[$2, $3] = $6; mx[$2, $3] = $7; if ($3 > nq) nq = $3 }
END {
	name["ideabank"] = "ideabank"; name["fts5"] = "raw SQLite FTS5 (unicode61)"
	name["xapian"] = "Xapian 1.4 (Danish stemmer, BM25)"; name["postgres"] = "PostgreSQL 15 (`danish`, GIN)"
	print "| engine | load s | size MB | peak RSS MB | p50 ms | p95 ms | max ms |"
	print "|---|---:|---:|---:|---:|---:|---:|"
	for (e = 1; e <= ne; e++) {
		x = eng[e]; delete a; delete b; m = 0
		for (q = 1; q <= nq; q++) { a[q] = p50[x, q]; b[q] = p95[x, q]; if (mx[x, q] > m) m = mx[x, q] }
		P50[x] = pct(a, nq, 0.5); P95[x] = pct(b, nq, 0.95); MAX[x] = m
		printf "| %s | %.1f | %.1f | %.0f | %.1f | %.1f | %.1f |\n", name[x], load[x], size[x] / 1048576, rss[x] / 1024, P50[x], P95[x], m
	}
	if (ncq) {
		# the same queries as whole processes of the CLI (bench_cli queries)
		delete a; delete b; delete cc; m = 0
		for (q = 1; q <= ncq; q++) { a[q] = cp50[q]; b[q] = cp95[q]; cc[q] = ccpu[q]; if (cmx[q] > m) m = cmx[q] }
		CP50 = pct(a, ncq, 0.5); CP95 = pct(b, ncq, 0.95); CCPU = pct(cc, ncq, 0.5)
		printf "| ideabank, whole CLI process (`search … --facets --json --limit 20`) | – | – | %.0f | %.1f | %.1f | %.1f |\n", clirss / 1024, CP50, CP95, m
	}
	print ""
	print "p50: median over the queries of each query's median; p95: the 95th percentile over the"
	print "queries of each query's p95 (the slowest of its 7 runs); max: the slowest run of all."
	if (ncq) {
		print ""
		printf "Whole CLI processes (fork, exec, wait; output read through a pipe), the same %d queries, a warm-up and 7 runs each: wall p50 %.1f ms, p95 %.1f ms, max %.1f ms; CPU (user + system) p50 %.1f ms; the largest peak RSS of any run %.0f MB", ncq, CP50, CP95, m, CCPU, clirss / 1024
		if ("ideabank" in P50)
			printf " (in one process: p50 %.1f ms, p95 %.1f ms)", P50["ideabank"], P95["ideabank"]
		print "."
	}
	if (nsrv) {
		m = 0; t = ""
		for (i = 1; i <= nsrv; i++) { if (srv[i] > m) m = srv[i]; t = t (i > 1 ? ", " : "") sprintf("%.1f", srv[i]) }
		print ""
		printf "`serve` after an import of one proposal by another process, its next search (`/api/search?q=hjemmepleje`, connect to last byte), %d rounds: %s ms (max %.1f ms).\n", nsrv, t, m
	}
	print ""
	sep = "Ratios: "
	if (("xapian" in P50) && P50["xapian"] > 0 && P95["xapian"] > 0) {
		printf "%sideabank / Xapian p50 %.2f, p95 %.2f", sep, P50["ideabank"] / P50["xapian"], P95["ideabank"] / P95["xapian"]
		sep = "; "
	}
	if (("fts5" in P50) && P50["fts5"] > 0 && P95["fts5"] > 0) {
		printf "%sideabank / raw FTS5 p50 %.2f, p95 %.2f, load %.2f", sep, P50["ideabank"] / P50["fts5"],
			P95["ideabank"] / P95["fts5"], load["ideabank"] / load["fts5"]
		sep = "; "
	}
	if (("postgres" in P95) && P95["postgres"] > 0)
		printf "%sideabank / PostgreSQL p95 %.2f", sep, P95["ideabank"] / P95["postgres"]
	print "."
	print ""
	if (u61 != "" && ("ideabank" in load)) {
		# the same load with unicode61 in place of ideabank_da (bench_engines ideabank-u61)
		printf "Load split: ideabank's pipeline with FTS5's unicode61 in place of the Danish tokenizer %.1f s", u61
		if (("fts5" in load) && load["fts5"] > 0)
			printf " (%.2f× raw FTS5)", u61 / load["fts5"]
		share = load["ideabank"] > 0 ? 100 * (load["ideabank"] - u61) / load["ideabank"] : 0
		printf "; the Danish tokenizer adds %.1f s (%.0f %% of ideabank's load).\n", load["ideabank"] - u61, share
		print ""
	}
	if (feedload != "") {
		# the same corpus written as one JSON Lines feed and imported (bench_engines feed)
		printf "Streamed import: the corpus as one JSON Lines feed of %.0f MB (%d proposals) through ideabank's import, %.1f s", feedbytes / 1048576, feedn, feedload
		if (("fts5" in load) && load["fts5"] > 0)
			printf " (%.2f× raw FTS5)", feedload / load["fts5"]
		printf ", peak RSS %.0f MB.\n", feedrss / 1024
		print ""
	}
	printf "| # | query | "
	for (e = 1; e <= ne; e++) printf "%s hits | ", eng[e]
	for (e = 1; e <= ne; e++) printf "%s p50/p95 ms | ", eng[e]
	if (ncq) printf "ideabank CLI process p50/p95 ms | "
	print ""
	printf "|---:|---|"
	for (e = 1; e <= 2 * ne + (ncq > 0); e++) printf "---:|"
	print ""
	while ((getline line < QUERIES) > 0) {
		if (line ~ /^#/ || line == "") continue
		ql[++k] = line
	}
	for (q = 1; q <= nq; q++) {
		t = ql[q]; gsub(/\|/, " / ", t); sub(/( \/ )+$/, "", t)
		printf "| %d | `%s` | ", q, t
		for (e = 1; e <= ne; e++) printf "%s | ", cnt[eng[e], q]
		for (e = 1; e <= ne; e++) printf "%.1f / %.1f | ", p50[eng[e], q], p95[eng[e], q]
		if (ncq) printf "%.1f / %.1f%s | ", cp50[q], cp95[q], ("ideabank" in load) && ccnt[q] != cnt["ideabank", q] ? " (" ccnt[q] " hits)" : ""
		print ""
	}
}
