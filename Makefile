# ideabank - plain Makefile.  `make run` builds and demonstrates on the sample,
# `make check` runs every test, `make bench` the benchmarks.
# zlib: saved agenda answers (.json.gz) are read by the importer and the test server.
# Overridable: CC, CFLAGS, PREFIX, DESTDIR, SANITIZE=1 (address, undefined) or SANITIZE=thread,
# SHARED (../shared).

CC      ?= cc
CFLAGS  ?= -std=c11 -Wall -Wextra -pedantic -O2 -g
PREFIX  ?= /usr/local
DESTDIR ?=
SHARED  ?= ../shared
B       := build

PKGS       := sqlite3 libcurl libcjson libxml-2.0 zlib
PKG_CFLAGS  = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lm
# The lean binary starts with nothing to relocate: Snowball linked in from Debian's
# libstemmer.a and the binary not position-independent.  libstemmer.so's tables of every
# language (10.821 relocations) and the compiled-in reference data (14.108) made the
# loader copy ~110 pages on write at every start, a third of a search's page faults (on
# the CI machine 25+ us each).  ideabank-full, the binary that serves and fetches, stays
# PIE.
LEAN_PKGS  := sqlite3 libcjson
LEAN_LIBS   = $(shell pkg-config --libs $(LEAN_PKGS) 2>/dev/null) -l:libstemmer.a -lm
LEAN_LDFLAGS := -no-pie
CHECK_LIBS  = $(shell pkg-config --libs check zlib 2>/dev/null)
MHD_LIBS    = $(shell pkg-config --libs libmicrohttpd 2>/dev/null)

# SANITIZE=1: AddressSanitizer and UBSan, with the float-to-integer check that clang's
# -fsanitize=undefined has and gcc's does not (a NaN cast to an integer)
ifeq ($(SANITIZE),1)
B       := build/asan
CFLAGS  += -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all \
           -fno-omit-frame-pointer -O1
LDFLAGS += -fsanitize=address,undefined,float-cast-overflow
endif
# SANITIZE=thread: ThreadSanitizer (the fetcher's host threads, the server's connections)
ifeq ($(SANITIZE),thread)
B       := build/tsan
CFLAGS  += -fsanitize=thread -fno-omit-frame-pointer -O1
LDFLAGS += -fsanitize=thread
endif

ALL_CFLAGS = -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Iinclude -Iindex -Ifetch -Isrc -Itests/support \
             $(PKG_CFLAGS) $(CFLAGS)

# The library: shared core, index, fetch.  The tool: src/*.c, as two binaries, the way git
# splits off its transports.  build/ideabank-full has every command and links every
# library; the lean build/ideabank links only sqlite3, cJSON and Snowball (search, show,
# export, stats, peers, basket, convert-dst, help) and runs ideabank-full for the
# commands in HEAVY_SRC (src/lean.c): import reads HTML with libxml2 and .json.gz with
# zlib, fetch uses curl, serve libmicrohttpd, which with what they pull in (gnutls, ICU,
# krb5, ...) are ~40 libraries and 20-30 ms of dynamic loading per process.  serve
# could not stay lean: libmicrohttpd brings gnutls, and a server starts once anyway.
LIB_SRC  := $(sort $(wildcard src/core/*.c index/*.c index/*/*.c fetch/*.c fetch/*/*.c))
TOOL_SRC := $(filter-out src/lean.c,$(sort $(wildcard src/*.c)))
HEAVY_SRC := src/cmd_import.c src/cmd_fetch.c src/cmd_serve.c $(wildcard src/web*.c)
LEAN_SRC := $(filter-out $(HEAVY_SRC),$(TOOL_SRC)) src/lean.c
TEST_SRC := $(sort $(wildcard tests/check_*.c))
TESTSUPPORT_SRC := $(sort $(wildcard tests/support/*.c))

GEN_CSV  := area_rules area_functions target_groups documents extract_rules layout_rules \
            agenda_rules decision_rules attachment_words short_heads agenda_portals \
            amount_rules agenda_sections agenda_reasons agenda_flags
GEN_JSON := sources
GEN_OBJ  := $(GEN_CSV:%=$(B)/obj/gen/%.o) $(GEN_JSON:%=$(B)/obj/gen/%.o) $(B)/obj/gen/reference.o
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/obj/%.o) $(GEN_OBJ)
TOOL_OBJ := $(TOOL_SRC:%.c=$(B)/obj/%.o)
LEAN_OBJ := $(LEAN_SRC:%.c=$(B)/obj/%.o)
TESTSUPPORT_OBJ := $(TESTSUPPORT_SRC:%.c=$(B)/obj/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(B)/tests/%)
BENCH_SRC := $(sort $(wildcard tests/bench/*.c))
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(B)/bench/%)
LIB      := $(B)/libideabank.a
TOOL     := $(B)/ideabank
FULL     := $(B)/ideabank-full
DEPS_OK  := $(B)/.deps-ok

SAMPLE_DB := $(B)/sample.db
SAMPLE_REF := data/kommuner.csv data/folketal.csv $(sort $(wildcard data/regk31_*.csv))
SEEDS      := $(sort $(wildcard data/seeds/*.txt))
SAMPLE     := $(SAMPLE_REF) data/proposals.jsonl

# test support objects are kept, not treated as intermediate
.SECONDARY: $(TESTSUPPORT_OBJ) $(GEN_CSV:%=$(B)/gen/%.c) $(GEN_JSON:%=$(B)/gen/%.c) $(B)/gen/reference.c

.PHONY: all run corpus check unit cli browser completion installcheck bench bench-deps install \
	uninstall clean deps sample-data format fuzz fuzz-build fuzz-replay faults cycles

all: $(TOOL) $(FULL)

deps: $(DEPS_OK)
$(DEPS_OK): .ci/deps
	@mkdir -p $(B)
	@sh .ci/deps
	@touch $@

$(B)/obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# Rule tables in data/ compiled in as strings (ib_<name>_csv), so the installed tool
# needs no data directory: area_rules.csv (fagområde of a proposal), layout_rules.csv (how
# a document's proposals are read: blocks, fields, rows, checks), area_functions.csv
# (REGK31 functions of a fagområde), documents.csv (title map of published documents),
# agenda_rules.csv (what an agenda case is), agenda_sections.csv (an item's headings ->
# its parts), agenda_reasons.csv (reason codes and texts), agenda_flags.csv (the
# classifier's flags), amount_rules.csv (amounts in running text), decision_rules.csv
# (decision words -> adopted), attachment_words.csv (attachments that hold proposals),
# agenda_portals.csv (every municipality's agenda system and host, made by
# `ideabank convert-dst`).
# data/sources.json (the default sources of `ideabank fetch`) likewise as ib_sources_json.
$(B)/gen/%.c: data/%.csv
	@mkdir -p $(dir $@)
	awk -v name=ib_$*_csv $(GEN_AWK) $< > $@

$(B)/gen/%.c: data/%.json
	@mkdir -p $(dir $@)
	awk -v name=ib_$*_json $(GEN_AWK) $< > $@

GEN_AWK = 'BEGIN { print "/* generated from $< by the Makefile */"; \
		print "extern const char " name "[];"; print "const char " name "[] =" } \
		{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); print "\"" $$0 "\\n\"" } \
		END { print "\"\";" }'

# The reference data a new database is seeded with (kommuner, folketal, regk31_*), as
# arrays of lines: too large for one string literal.
$(B)/gen/reference.c: $(SAMPLE_REF)
	@mkdir -p $(dir $@)
	awk 'BEGIN { print "/* generated from data/ by the Makefile */"; \
		print "#include \"embedded.h\"" } \
		FNR == 1 { if (nf) print "};"; f[nf++] = FILENAME; \
			print "static const char *const lines_" nf "[] = {" } \
		{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); print "\"" $$0 "\\n\","; n[nf]++ } \
		END { print "};"; print "const ib_embedded_file ib_reference_files[] = {"; \
			for (i = 0; i < nf; i++) { k = f[i]; sub(/.*\//, "", k); \
				print "{\"" k "\", lines_" i + 1 ", " n[i + 1] "},"; } \
			print "};"; print "const size_t ib_n_reference_files = " nf ";" }' \
		$(SAMPLE_REF) > $@

# (a rule table may be longer than the 4095 bytes C99 promises for a string literal;
# gcc and clang take any length)
$(B)/obj/gen/%.o: $(B)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# (every use of the tool may reach ideabank-full, so it comes with the tool)
$(TOOL): $(LEAN_OBJ) $(LIB) | $(FULL)
	$(CC) $(LDFLAGS) $(LEAN_LDFLAGS) -o $@ $(LEAN_OBJ) $(LIB) $(LEAN_LIBS)

$(FULL): $(TOOL_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(TOOL_OBJ) $(LIB) $(PKG_LIBS) $(MHD_LIBS) -lpthread

$(B)/tests/%: tests/%.c $(TESTSUPPORT_OBJ) $(LIB) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(TESTSUPPORT_OBJ) $(LIB) \
		$(PKG_LIBS) $(CHECK_LIBS) $(MHD_LIBS)

$(B)/bench/%: tests/bench/%.c $(LIB) | $(DEPS_OK) bench-deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags libpq 2>/dev/null) $(LDFLAGS) -o $@ $< \
		$(LIB) $(PKG_LIBS) $(shell pkg-config --libs libpq 2>/dev/null)

# Benchmarks, not part of `make check`: each tests/bench/*.c against the targets it
# prints (bench_cli: whole processes of the tool on build/sample.db, built first), then
# ideabank, raw SQLite FTS5, Xapian and PostgreSQL on one generated corpus of N proposals
# in one run (tests/bench/run.sh; ideabank also as whole CLI processes and `serve`),
# written to tests/bench/results-N.md.
N ?= 10000
bench: $(BENCH_BIN) $(TOOL) $(FULL) $(SAMPLE_DB)
	@for b in $(filter-out $(B)/bench/bench_engines,$(BENCH_BIN)); do $$b || exit 1; done
	@sh tests/bench/run.sh $(N) $(B)

# what the benchmark needs besides the build: installed as root, else the apt-get line
bench-deps:
	@sh tests/bench/run.sh --deps

# The sample database, rebuilt from data/ every time.
# The sample corpus: the document importer run over the seed documents in data/seeds,
# exported as the JSON Lines feed data/proposals.jsonl (committed; a CLI test checks
# that it is exactly what the importer makes).
corpus: $(TOOL)
	@rm -f $(B)/corpus.db
	@$(TOOL) --db $(B)/corpus.db import data/kommuner.csv $(SEEDS) >/dev/null
	@$(TOOL) --db $(B)/corpus.db export >data/proposals.jsonl.tmp
	@mv data/proposals.jsonl.tmp data/proposals.jsonl
	@echo "corpus: data/proposals.jsonl rebuilt from $(words $(SEEDS)) seed documents"

$(SAMPLE_DB): $(TOOL) $(SAMPLE)
	@rm -f $@
	$(TOOL) --db $@ import $(SAMPLE)

run: corpus
	@rm -f $(SAMPLE_DB)
	@$(MAKE) --no-print-directory $(SAMPLE_DB)
	@echo
	@echo '$$ ideabank search hjemmepleje --sort per-inhabitant --limit 10'
	@$(TOOL) --db $(SAMPLE_DB) search hjemmepleje --sort per-inhabitant --limit 10
	@echo
	@echo '$$ ideabank search skærmbesøg'
	@$(TOOL) --db $(SAMPLE_DB) search skærmbesøg
	@echo
	@echo '$$ ideabank search --sort effect --limit 10'
	@$(TOOL) --db $(SAMPLE_DB) search --sort effect --limit 10
	@# Greve's recorded agenda answers (../shared), read as the agenda source reads them
	@if [ -d $(SHARED)/data/greve-agendas/dagsorden ]; then \
		echo; echo '$$ ideabank import --kommune Greve $(SHARED)/data/greve-agendas/dagsorden'; \
		$(TOOL) --db $(SAMPLE_DB) import --kommune Greve $(SHARED)/data/greve-agendas/dagsorden; \
		echo; echo '$$ ideabank search --kommune Greve'; \
		$(TOOL) --db $(SAMPLE_DB) search --kommune Greve; \
	fi
	@echo
	@echo '$$ ideabank stats'
	@$(TOOL) --db $(SAMPLE_DB) stats

unit: $(TEST_BIN) $(TOOL)
	@IDEABANK=$(TOOL) IDEABANK_SHARED=$(SHARED) CK_DEFAULT_TIMEOUT=60 sh tests/run-unit.sh $(TEST_BIN)

cli: $(TOOL)
	@IDEABANK=$(TOOL) SHARED=$(SHARED) sh tests/cli/run.sh

# bash completion: commands and options from the tool's own help, names from data/
COMPLETION := $(B)/ideabank.bash
$(COMPLETION): docs/ideabank.bash.in docs/gen-completion.sh data/kommuner.csv $(TOOL)
	LC_ALL=C sh docs/gen-completion.sh $(TOOL) data/kommuner.csv < docs/ideabank.bash.in > $@

completion: $(COMPLETION)
	@bash tests/completion.sh $(COMPLETION)

# `make install` into a scratch prefix, then the installed tool from another folder
installcheck: $(TOOL) $(COMPLETION)
	@rm -rf $(B)/inst
	@$(MAKE) --no-print-directory install PREFIX=/usr DESTDIR=$(CURDIR)/$(B)/inst >/dev/null
	@sh tests/install.sh $(CURDIR)/$(B)/inst/usr

# The web page in headless chromium (tests/browser/run.sh); screenshots in $(B)/browser.
$(B)/browser/cdp: tests/browser/cdp.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(PKG_LIBS)

browser: $(TOOL) $(B)/browser/cdp
	@IDEABANK=$(TOOL) CDP=$(B)/browser/cdp OUT=$(B)/browser SHARED=$(SHARED) sh tests/browser/run.sh

check: unit cli completion installcheck browser fuzz-replay cycles

# No two files of the library or the tool depend on each other in a circle (symbol
# references from nm, #include of each other's headers): tests/cycles.sh.
cycles: $(TOOL) $(FULL)
	@sh tests/cycles.sh $(B)/obj index src fetch include

# Fuzzing.  `make fuzz` builds the libFuzzer targets tests/fuzz/fuzz_*.c with clang in
# build/fuzz (the library compiled again there with the fuzzer's instrumentation, never
# mixed with gcc objects) and runs each for FUZZ_SECONDS; tests/fuzz/run.sh says which
# seed corpora each reads.  `make fuzz-replay` (part of `make check`) links the same
# targets with tests/fuzz/replay.c using $(CC) and feeds them every file under
# tests/fuzz/regress/<target>/ (inputs that once broke something) and the seed corpus.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 30
FUZZ_B       := build/fuzz
FUZZ_CFLAGS  := -std=c11 -Wall -Wextra -pedantic -g -O1 -fno-omit-frame-pointer \
                -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_ALL_CFLAGS = -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Iinclude -Iindex -Ifetch -Isrc \
                  -Itests/fuzz $(PKG_CFLAGS) $(FUZZ_CFLAGS)
FUZZ_TARGETS := $(sort $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_SUPPORT := tests/fuzz/support.c $(filter-out src/main.c,$(TOOL_SRC))
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_B)/obj/%.o) $(GEN_OBJ:$(B)/obj/%=$(FUZZ_B)/obj/%) \
                $(FUZZ_SUPPORT:%.c=$(FUZZ_B)/obj/%.o)
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FUZZ_B)/%)
REPLAY_OBJ   := $(B)/obj/tests/fuzz/replay.o $(FUZZ_SUPPORT:%.c=$(B)/obj/%.o)
REPLAY_BIN   := $(FUZZ_TARGETS:%=$(B)/fuzz-replay/%)

$(FUZZ_B)/obj/gen/%.o: $(B)/gen/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_ALL_CFLAGS) -Wno-overlength-strings -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_B)/obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_ALL_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_B)/%: tests/fuzz/%.c $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJ) $(PKG_LIBS) \
		$(MHD_LIBS) -lpthread

.SECONDARY: $(FUZZ_LIB_OBJ) $(REPLAY_OBJ)

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@sh tests/fuzz/run.sh $(FUZZ_B) $(FUZZ_SECONDS) $(SHARED) $(FUZZ_TARGETS)

$(B)/fuzz-replay/%: tests/fuzz/%.c $(REPLAY_OBJ) $(LIB) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz $(LDFLAGS) -o $@ $< $(REPLAY_OBJ) $(LIB) $(PKG_LIBS) \
		$(MHD_LIBS) -lpthread

fuzz-replay: $(REPLAY_BIN)
	@n=0; for t in $(FUZZ_TARGETS); do \
		$(B)/fuzz-replay/$$t tests/fuzz/regress/$$t tests/fuzz/corpus/$$t || exit 1; \
		n=$$((n + 1)); \
	done; echo "fuzz-replay: $$n passed, 0 failed"

# Fault tests (make faults): kill -9 during a large import, readers during a writer,
# and a wrk load run with slow clients and oversized requests, on 127.0.0.1 only
# (tests/fault/run.sh says what each checks; FAULT_* variables bound them).
FAULT_BIN := $(B)/fault/dbstate $(B)/fault/slowclient

$(B)/fault/dbstate: tests/fault/dbstate.c $(LIB) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

$(B)/fault/slowclient: tests/fault/slowclient.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

faults: $(TOOL) $(FAULT_BIN)
	@sh tests/fault/run.sh $(TOOL) $(B)/fault $(B)/fault/work

# Regenerate data/'s reference files from Statistics Denmark's files in $(SHARED)/data.
sample-data: $(TOOL)
	$(TOOL) convert-dst $(SHARED)/data data

# The reference data is compiled in; the man page and bash completion go where man and
# bash-completion look; ideabank-full where bin/ideabank looks for it (src/lean.c).
MANDIR  = $(PREFIX)/share/man/man1
LIBEXECDIR = $(PREFIX)/libexec/ideabank
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions

install: $(TOOL) $(FULL) $(COMPLETION)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(MANDIR) \
		$(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(TOOL) $(DESTDIR)$(PREFIX)/bin/ideabank
	install -m 755 $(FULL) $(DESTDIR)$(LIBEXECDIR)/ideabank-full
	install -m 644 docs/ideabank.1 $(DESTDIR)$(MANDIR)/ideabank.1
	install -m 644 $(COMPLETION) $(DESTDIR)$(BASHCOMPDIR)/ideabank

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/ideabank $(DESTDIR)$(LIBEXECDIR)/ideabank-full \
		$(DESTDIR)$(MANDIR)/ideabank.1 $(DESTDIR)$(BASHCOMPDIR)/ideabank
	rmdir $(DESTDIR)$(LIBEXECDIR) 2>/dev/null || true

format:
	clang-format -i $(LIB_SRC) $(TOOL_SRC) $(TEST_SRC) $(TESTSUPPORT_SRC) $(BENCH_SRC) $(wildcard include/*.h include/*/*.h index/*.h fetch/*.h src/*.h tests/support/*.h)

clean:
	rm -rf $(B)

-include $(LIB_OBJ:.o=.d) $(TOOL_OBJ:.o=.d) $(LEAN_OBJ:.o=.d) $(FUZZ_LIB_OBJ:.o=.d)
