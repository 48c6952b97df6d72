/* cmd_fetch.c - `ideabank fetch`: bring the bank up to date from the configured
 * sources (Statistics Denmark's StatBank, proposal feeds, published documents, agenda
 * portals), or with --agendas from every municipality's agenda portal. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ideabank/fetch.h"
#include "usage.h"

extern const char ib_sources_json[];

typedef struct progress {
	int on;
	int drawn;
} progress;

static void draw(void *ctx, const char *source, size_t now, size_t total, int done)
{
	progress *p = ctx;
	if (!p->on)
		return;
	if (done) {
		fprintf(stderr, "\r\033[K");
		p->drawn = 0;
		return;
	}
	char a[64], b[64];
	if (total > 0) {
		int width = 30, fill = (int)((double)now / (double)total * width);
		if (fill > width)
			fill = width;
		fprintf(stderr, "\r\033[K%-16.16s [%.*s%*s] %s / %s KB", source, fill,
			"##############################", width - fill, "",
			cli_num((double)now / 1024.0, 0, a), cli_num((double)total / 1024.0, 0, b));
	} else {
		fprintf(stderr, "\r\033[K%-16.16s %s KB", source,
			cli_num((double)now / 1024.0, 0, a));
	}
	p->drawn = 1;
}

static char cache_buf[4096];

static const char *default_cache(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(cache_buf, sizeof cache_buf, "%s/ideabank", xdg);
	else if (home && *home)
		snprintf(cache_buf, sizeof cache_buf, "%s/.cache/ideabank", home);
	else
		return NULL;
	return cache_buf;
}

static void print_source(const ib_fetch_source_report *r, int dry_run, int explain)
{
	char a[64], b[64], c[64];
	if (r->unsupported) {
		if (!strcmp(r->system, "none"))
			printf("%s: not supported yet: no agenda publication is known\n", r->name);
		else
			printf(
			    "%s: not supported yet: its agendas are on %s, which ideabank cannot "
			    "read yet\n",
			    r->name, r->what);
		return;
	}
	if (r->rc) {
		printf("%s: failed: %s; nothing stored from this source\n", r->name, r->error);
		return;
	}
	if (r->unchanged) {
		printf("%s: unchanged (%ld request%s, %ld answered 304 Not Modified)\n", r->name,
		       r->requests, r->requests == 1 ? "" : "s", r->not_modified);
		return;
	}
	printf("%s: %s%s", r->name, dry_run ? "would store " : "", r->what);
	if (r->agenda || r->proposals_new || r->proposals_updated || r->proposals_unchanged) {
		printf(": %ld new %s, %ld updated, %ld unchanged", r->proposals_new,
		       cli_plural(r->proposals_new, "proposal", "proposals"), r->proposals_updated,
		       r->proposals_unchanged);
		if (r->agenda && r->agenda->proposals_removed)
			printf(", %ld removed", r->agenda->proposals_removed);
	} else
		printf(": %s rows added, %s changed, %s unchanged",
		       cli_num((double)r->rows.added, 0, a), cli_num((double)r->rows.changed, 0, b),
		       cli_num((double)r->rows.unchanged, 0, c));
	printf("; %ld request%s, %s KB", r->requests, r->requests == 1 ? "" : "s",
	       cli_num((double)r->bytes / 1024.0, 0, a));
	if (r->not_modified)
		printf(", %ld not modified", r->not_modified);
	printf("\n");
	if (r->agenda)
		cli_print_agenda(r->name, r->agenda, explain);
	if (r->attachments_read)
		printf("%s: %ld %s read\n", r->name, r->attachments_read,
		       cli_plural(r->attachments_read, "attachment", "attachments"));
	for (size_t i = 0; i < r->n_notes; i++)
		printf("%s: note: %s\n", r->name, r->notes[i]);
	if (r->missing || r->skipped)
		printf("%s: %ld values missing (\"..\"), %ld figures for areas that are not "
		       "municipalities skipped\n",
		       r->name, r->missing, r->skipped);
	if (r->unpublished)
		printf("%s: %ld figures left out: their function is 0 in every municipality that "
		       "year (not published)\n",
		       r->name, r->unpublished);
}

/* A count of the summary, or "-" when not known. */
static void summary_cell(long v, int known, size_t w)
{
	char a[64];
	cli_cell(stdout, known ? cli_num((double)v, 0, a) : "-", w, 1);
}

/* --agendas: one line per municipality (meetings listed, items read, proposals stored
 * from them and their attachments, items skipped, result), then the failed and
 * unsupported ones by name. */
static void print_summary(const ib_fetch_report *rep, int dry_run)
{
	long stored = 0, unchanged = 0, failed = 0, unsupported = 0;
	printf("\n");
	cli_cell(stdout, "kommune", 18, 0);
	printf("  meetings     items  proposals   skipped  result\n");
	for (size_t i = 0; i < rep->n; i++) {
		const ib_fetch_source_report *r = &rep->src[i];
		const ib_agenda_report *a = r->rc ? NULL : r->agenda;
		int listed = !r->unsupported && (a || r->unchanged || r->meetings);
		cli_cell(stdout, r->name, 18, 0);
		printf("  ");
		summary_cell(r->meetings, listed, 8);
		printf("  ");
		summary_cell(a ? a->items : 0, a != NULL, 8);
		printf("  ");
		summary_cell(r->proposals_new + r->proposals_updated + r->proposals_unchanged,
			     a != NULL, 9);
		printf("  ");
		summary_cell(a ? a->skipped : 0, a != NULL, 8);
		if (r->unsupported) {
			unsupported++;
			printf("  not supported yet (%s)\n", r->system);
		} else if (r->rc) {
			failed++;
			printf("  failed\n");
		} else if (r->unchanged) {
			unchanged++;
			printf("  unchanged\n");
		} else {
			stored++;
			printf("  %s\n", dry_run ? "checked" : "stored");
		}
	}
	printf("\nagendas: %ld municipalit%s %s, %ld unchanged, %ld failed", stored,
	       stored == 1 ? "y" : "ies", dry_run ? "checked" : "stored", unchanged, failed);
	for (size_t i = 0, k = 0; i < rep->n; i++)
		if (rep->src[i].rc && !rep->src[i].unsupported)
			printf("%s%s", k++ ? ", " : " (", rep->src[i].name);
	printf("%s, %ld not supported yet", failed ? ")" : "", unsupported);
	for (size_t i = 0, k = 0; i < rep->n; i++)
		if (rep->src[i].unsupported)
			printf("%s%s", k++ ? ", " : " (", rep->src[i].name);
	printf("%s\n", unsupported ? ")" : "");
}

/* A date as --from and --to take it: 2025-01-01. */
static int is_date(const char *z)
{
	if (strlen(z) != 10 || z[4] != '-' || z[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (z[i] < '0' || z[i] > '9'))
			return 0;
	int m = atoi(z + 5), d = atoi(z + 8);
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* Remove the dry run's temporary database and its directory (nothing when dir is ""). */
static void remove_dry_run(const char *dir)
{
	if (!*dir)
		return;
	const char *files[] = {"dry-run.db", "dry-run.db-wal", "dry-run.db-shm",
			       "dry-run.db-journal"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

int cmd_fetch(int argc, char **argv, ib_cli *cli)
{
	ib_fetch_opts o;
	ib_fetch_opts_default(&o);
	const char *config = getenv("IDEABANK_SOURCES"), *cache = default_cache(), *val;
	const char **only = calloc((size_t)argc, sizeof *only);
	const char **kommuner = calloc((size_t)argc, sizeof *kommuner);
	if (!only || !kommuner) {
		free(only);
		free(kommuner);
		cli_error("out of memory");
		return EXIT_STORE;
	}
	/* tests only: portal hosts pointed at a local server (see fetch.h) */
	o.portal_connect = getenv("IDEABANK_PORTAL_CONNECT");
	int rc = EXIT_OK, explain = 0, done = 0, id;
	cli_getopt g = CLI_GETOPT(&cmd_fetch_spec, argc, argv);
	while (!rc && !done && (id = cli_getopt_next(&g, &val)) != CLI_OPT_END) {
		long n = 0;
		switch (id) {
		case CLI_OPT_STOP:
			rc = g.rc;
			done = 1;
			break;
		case FETCH_PRINT_CONFIG:
			fputs(ib_sources_json, stdout);
			done = 1;
			break;
		case FETCH_AGENDAS:
			o.agendas = 1;
			break;
		case FETCH_KOMMUNE:
			kommuner[o.n_kommuner++] = val;
			break;
		case FETCH_FROM:
		case FETCH_TO:
			if (!is_date(val))
				rc = cli_bad_value(cli_opt_name(&cmd_fetch_spec, id),
						   "a date like 2025-01-01", val);
			else if (id == FETCH_FROM)
				o.from = val;
			else
				o.to = val;
			break;
		case FETCH_DRY_RUN:
			o.dry_run = 1;
			break;
		case FETCH_EXPLAIN:
			explain = 1;
			break;
		case FETCH_NO_CACHE:
			cache = NULL;
			break;
		case FETCH_CONFIG:
			config = val;
			break;
		case FETCH_ONLY:
			only[o.n_only++] = val;
			break;
		case FETCH_CACHE:
			cache = val;
			break;
		case FETCH_HOSTS:
			rc = cli_opt_long("--hosts", val, 1, 64, NULL, &n);
			o.max_hosts = (int)n;
			break;
		case CLI_OPT_OPERAND:
			cli_error("unknown argument '%s' for fetch; see 'ideabank fetch --help'",
				  val);
			rc = EXIT_USAGE;
			break;
		default: /* --timeout, --stall, --retries, --backoff-ms, --delay-ms */
			rc = cli_opt_long(cli_opt_name(&cmd_fetch_spec, id), val, 0, 86400000,
					  "a whole number", &n);
			if (id == FETCH_TIMEOUT)
				o.http.timeout_ms = n * 1000;
			else if (id == FETCH_STALL)
				o.http.low_speed_s = n;
			else if (id == FETCH_DELAY_MS)
				o.delay_ms = n;
			else if (id == FETCH_RETRIES)
				o.http.max_attempts = (int)n + 1;
			else
				o.http.backoff_ms = n;
		}
	}
	if (done) {
		free(only);
		free(kommuner);
		return rc;
	}
	if (!rc && o.agendas && o.n_only) {
		cli_error("--only chooses sources of the config; --agendas fetches every "
			  "municipality's agenda portal instead (narrow it with --kommune)");
		rc = EXIT_USAGE;
	}
	if (!rc && o.n_kommuner && !o.agendas) {
		cli_error("--kommune narrows --agendas; give --agendas too");
		rc = EXIT_USAGE;
	}
	if (!rc && o.from && o.to && strcmp(o.from, o.to) > 0) {
		cli_error("--from %s is after --to %s", o.from, o.to);
		rc = EXIT_USAGE;
	}
	if (rc) {
		free(only);
		free(kommuner);
		return rc;
	}
	o.kommuner = kommuner;
	ib_buf text;
	ib_buf_init(&text, 4 * 1024 * 1024);
	ib_error err = {0};
	if (config && *config && !o.agendas) {
		if (ib_buf_read_file(&text, config, &err)) {
			ib_buf_free(&text);
			free(only);
			free(kommuner);
			return cli_fail(&err);
		}
		o.config = ib_buf_str(&text);
		o.config_name = config;
	}
	o.only = only;
	o.http.cache_dir = cache;
	progress p = {isatty(STDERR_FILENO), 0};
	o.progress = draw;
	o.progress_ctx = &p;

	/* a dry run against a database that does not exist yet creates none: it
	   compares with a new one (seeded like any new database) in a private
	   temporary directory, removed at the end */
	ib_cli dry = *cli;
	char tmpdir[4096] = "", tmp[4200] = "";
	if (o.dry_run && access(cli->db_path, F_OK) != 0) {
		const char *dir = getenv("TMPDIR");
		int w = snprintf(tmpdir, sizeof tmpdir, "%s/ideabank-dry-XXXXXX",
				 dir && *dir ? dir : "/tmp");
		if (w < 0 || (size_t)w >= sizeof tmpdir) {
			cli_error("TMPDIR is too long for the dry run's temporary database");
			ib_buf_free(&text);
			free(only);
			free(kommuner);
			return EXIT_STORE;
		}
		if (!mkdtemp(tmpdir)) {
			cli_error("cannot create a temporary directory for the dry run: %s",
				  strerror(errno));
			ib_buf_free(&text);
			free(only);
			free(kommuner);
			return EXIT_STORE;
		}
		snprintf(tmp, sizeof tmp, "%s/dry-run.db", tmpdir);
		dry.db_path = tmp;
	}
	ib_store *s = cli_open_store(&dry, CLI_WRITE);
	if (!s) {
		remove_dry_run(tmpdir);
		ib_buf_free(&text);
		free(only);
		free(kommuner);
		return EXIT_STORE;
	}
	ib_fetch_report rep;
	rc = ib_fetch_run(s, &o, &rep, &err);
	/* a new database is kept when a source was stored */
	int closed = cli_close_store(s, !rc || (size_t)rep.failed < rep.n);
	remove_dry_run(tmpdir);
	if (p.drawn)
		fprintf(stderr, "\r\033[K");
	for (size_t i = 0; i < rep.n; i++)
		print_source(&rep.src[i], o.dry_run, explain);
	if (o.agendas && rep.n)
		print_summary(&rep, o.dry_run);
	size_t n_tried = 0;
	for (size_t i = 0; i < rep.n; i++)
		n_tried += !rep.src[i].unsupported;
	int code = EXIT_OK;
	if (rc && !rep.n) {
		code = cli_fail(&err);
	} else if (rc && rep.offline) {
		cli_error("no host could be resolved: is this machine offline?");
		code = cli_exit_code(rc);
	} else if (rc) {
		const char *what = o.agendas ? "municipalit" : "source";
		if ((size_t)rep.failed == n_tried)
			cli_error("%s failed; nothing was stored",
				  n_tried == 1
				      ? (o.agendas ? "the municipality" : "the source")
				      : (o.agendas ? "every municipality" : "every source"));
		else
			cli_error(
			    "%ld of %zu %s%s failed; the others were %s", rep.failed, n_tried, what,
			    o.agendas ? (n_tried == 1 ? "y" : "ies") : (n_tried == 1 ? "" : "s"),
			    o.dry_run ? "checked" : "stored");
		code = cli_exit_code(rc);
	}
	if (code == EXIT_OK && closed != EXIT_OK)
		code = closed;
	if (o.dry_run)
		printf("dry run: nothing was stored\n");
	ib_fetch_report_free(&rep);
	ib_buf_free(&text);
	free(only);
	free(kommuner);
	return code;
}
