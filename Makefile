# ideabank - plain Makefile.  `make run` builds and demonstrates on the sample,
# `make check` runs every test, `make bench` the benchmarks.
# zlib: saved agenda answers (.json.gz) are read by the importer and the test server.
# Overridable: CC, CFLAGS, PREFIX, DESTDIR, SANITIZE=1, SHARED (../shared).

CC      ?= cc
CFLAGS  ?= -std=c11 -Wall -Wextra -pedantic -O2 -g
PREFIX  ?= /usr/local
DESTDIR ?=
SHARED  ?= ../shared
B       := build

PKGS       := sqlite3 libcurl libcjson libxml-2.0 zlib
PKG_CFLAGS  = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lm
CHECK_LIBS  = $(shell pkg-config --libs check zlib 2>/dev/null)
MHD_LIBS    = $(shell pkg-config --libs libmicrohttpd 2>/dev/null)

ifeq ($(SANITIZE),1)
B       := build/asan
CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -O1
LDFLAGS += -fsanitize=address,undefined
endif

ALL_CFLAGS = -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Iinclude -Iindex -Ifetch -Isrc -Itests/support \
             $(PKG_CFLAGS) $(CFLAGS)

# The library: shared core, index, fetch.  The tool: src/*.c.
LIB_SRC  := $(sort $(wildcard src/core/*.c index/*.c index/*/*.c fetch/*.c fetch/*/*.c))
TOOL_SRC := $(sort $(wildcard src/*.c))
TEST_SRC := $(sort $(wildcard tests/check_*.c))
TESTSUPPORT_SRC := $(sort $(wildcard tests/support/*.c))

GEN_CSV  := area_rules area_functions documents extract_rules agenda_rules decision_rules \
            attachment_words
GEN_JSON := sources
GEN_OBJ  := $(GEN_CSV:%=$(B)/obj/gen/%.o) $(GEN_JSON:%=$(B)/obj/gen/%.o) $(B)/obj/gen/reference.o
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/obj/%.o) $(GEN_OBJ)
TOOL_OBJ := $(TOOL_SRC:%.c=$(B)/obj/%.o)
TESTSUPPORT_OBJ := $(TESTSUPPORT_SRC:%.c=$(B)/obj/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(B)/tests/%)
BENCH_SRC := $(sort $(wildcard tests/bench/*.c))
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(B)/bench/%)
LIB      := $(B)/libideabank.a
TOOL     := $(B)/ideabank
DEPS_OK  := $(B)/.deps-ok

SAMPLE_DB := $(B)/sample.db
SAMPLE_REF := data/kommuner.csv data/folketal.csv $(sort $(wildcard data/regk31_*.csv))
SEEDS      := $(sort $(wildcard data/seeds/*.txt))
SAMPLE     := $(SAMPLE_REF) data/proposals.jsonl

# test support objects are kept, not treated as intermediate
.SECONDARY: $(TESTSUPPORT_OBJ) $(GEN_CSV:%=$(B)/gen/%.c) $(GEN_JSON:%=$(B)/gen/%.c) $(B)/gen/reference.c

.PHONY: all run corpus check unit cli browser completion installcheck bench install uninstall clean deps sample-data format

all: $(TOOL)

deps: $(DEPS_OK)
$(DEPS_OK): .ci/deps
	@mkdir -p $(B)
	@sh .ci/deps
	@touch $@

$(B)/obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# Rule tables in data/ compiled in as strings (ib_<name>_csv), so the installed tool
# needs no data directory: area_rules.csv (fagområde of a proposal), area_functions.csv
# (REGK31 functions of a fagområde), documents.csv (title map of published documents),
# agenda_rules.csv (what an agenda item is), decision_rules.csv (decision words ->
# adopted), attachment_words.csv (attachments that hold proposals).
# data/sources.json (the default sources of `ideabank fetch`) likewise as ib_sources_json.
$(B)/gen/%.c: data/%.csv
	@mkdir -p $(dir $@)
	awk -v name=ib_$*_csv $(GEN_AWK) $< > $@

$(B)/gen/%.c: data/%.json
	@mkdir -p $(dir $@)
	awk -v name=ib_$*_json $(GEN_AWK) $< > $@

GEN_AWK = 'BEGIN { print "/* generated from data/$< by the Makefile */"; \
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

$(TOOL): $(TOOL_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(TOOL_OBJ) $(LIB) $(PKG_LIBS) $(MHD_LIBS) -lpthread

$(B)/tests/%: tests/%.c $(TESTSUPPORT_OBJ) $(LIB) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(TESTSUPPORT_OBJ) $(LIB) \
		$(PKG_LIBS) $(CHECK_LIBS) $(MHD_LIBS)

$(B)/bench/%: tests/bench/%.c $(LIB) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

# Benchmarks: measured against the targets they print, not part of `make check`.
bench: $(BENCH_BIN)
	@for b in $(BENCH_BIN); do $$b || exit 1; done

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
	@IDEABANK=$(TOOL) CDP=$(B)/browser/cdp OUT=$(B)/browser sh tests/browser/run.sh

check: unit cli completion installcheck browser

# Regenerate data/'s reference files from Statistics Denmark's files in $(SHARED)/data.
sample-data: $(TOOL)
	$(TOOL) convert-dst $(SHARED)/data data

# The reference data is compiled in; the man page and bash completion go where man and
# bash-completion look.
MANDIR  = $(PREFIX)/share/man/man1
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions

install: $(TOOL) $(COMPLETION)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(TOOL) $(DESTDIR)$(PREFIX)/bin/ideabank
	install -m 644 docs/ideabank.1 $(DESTDIR)$(MANDIR)/ideabank.1
	install -m 644 $(COMPLETION) $(DESTDIR)$(BASHCOMPDIR)/ideabank

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/ideabank $(DESTDIR)$(MANDIR)/ideabank.1 \
		$(DESTDIR)$(BASHCOMPDIR)/ideabank

format:
	clang-format -i $(LIB_SRC) $(TOOL_SRC) $(TEST_SRC) $(TESTSUPPORT_SRC) $(BENCH_SRC) $(wildcard include/*.h include/*/*.h index/*.h fetch/*.h src/*.h tests/support/*.h)

clean:
	rm -rf $(B)

-include $(LIB_OBJ:.o=.d) $(TOOL_OBJ:.o=.d)
