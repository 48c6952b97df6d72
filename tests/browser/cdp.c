/* cdp.c - drive Debian's headless chromium over the DevTools protocol for the browser
 * test (tests/browser/run.sh): one command a line on stdin, results on stdout.
 *
 *   size W H            viewport in CSS pixels (mobile layout when W < 600)
 *   goto URL            load URL and wait for its load event
 *   text SELECTOR       print the element's visible text (blanks squeezed)
 *   count SELECTOR      print how many elements match
 *   click SELECTOR      click the element (a link or button) and wait for the new page
 *   fill SELECTOR TEXT  set an input's value
 *   scroll SELECTOR     scroll the element into view
 *   width               print the page's scroll width (does it fit the viewport?)
 *   shot FILE           save a PNG screenshot of the viewport
 *   media TYPE          emulate CSS media "print" or "screen" (print_command)
 *   css SELECTOR PROP   print the element's computed style property PROP
 *   pdf FILE            print the page to an A4 PDF in FILE; print its page count
 *
 * chromium runs with --remote-debugging-pipe: commands go to its fd 3, answers and
 * events come from its fd 4, each message JSON ending with a NUL byte.  Exit status 1
 * when a command fails (the line says which). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#define TIMEOUT_MS 30000

static int to_browser = -1, from_browser = -1;
static int next_id = 1;
static char session[128];
static int loaded; /* a Page.loadEventFired arrived since it was last cleared */
static char *inbuf;
static size_t in_n, in_cap;

static void die(const char *what)
{
	fprintf(stderr, "cdp: %s\n", what);
	exit(1);
}

/* The next whole message from the browser; caller frees with cJSON_Delete(). */
static cJSON *read_message(void)
{
	for (;;) {
		char *nul = in_n ? memchr(inbuf, '\0', in_n) : NULL;
		if (nul) {
			cJSON *m = cJSON_Parse(inbuf);
			size_t used = (size_t)(nul - inbuf) + 1;
			memmove(inbuf, nul + 1, in_n - used);
			in_n -= used;
			if (!m)
				die("browser sent a message that is not JSON");
			return m;
		}
		struct pollfd p = {from_browser, POLLIN, 0};
		int r = poll(&p, 1, TIMEOUT_MS);
		if (r == 0)
			die("no answer from the browser within 30 s");
		if (r < 0 && errno != EINTR)
			die("poll failed");
		if (in_cap - in_n < 65536) {
			in_cap = in_cap * 2 + 65536;
			inbuf = realloc(inbuf, in_cap);
			if (!inbuf)
				die("out of memory");
		}
		ssize_t n = read(from_browser, inbuf + in_n, in_cap - in_n - 1);
		if (n <= 0)
			die("the browser closed the pipe");
		in_n += (size_t)n;
	}
}

static void note_event(const cJSON *m)
{
	const cJSON *method = cJSON_GetObjectItem(m, "method");
	if (cJSON_IsString(method) && !strcmp(method->valuestring, "Page.loadEventFired"))
		loaded = 1;
}

/* Send method with params (taken over) to the page session (or the browser when
 * to_page is 0) and return the result (caller deletes); dies on a protocol error. */
static cJSON *call(const char *method, cJSON *params, int to_page)
{
	cJSON *msg = cJSON_CreateObject();
	int id = next_id++;
	cJSON_AddNumberToObject(msg, "id", id);
	cJSON_AddStringToObject(msg, "method", method);
	cJSON_AddItemToObject(msg, "params", params ? params : cJSON_CreateObject());
	if (to_page)
		cJSON_AddStringToObject(msg, "sessionId", session);
	char *z = cJSON_PrintUnformatted(msg);
	cJSON_Delete(msg);
	size_t len = strlen(z) + 1; /* with the NUL */
	for (size_t off = 0; off < len;) {
		ssize_t n = write(to_browser, z + off, len - off);
		if (n <= 0)
			die("cannot write to the browser");
		off += (size_t)n;
	}
	free(z);
	for (;;) {
		cJSON *m = read_message();
		const cJSON *mid = cJSON_GetObjectItem(m, "id");
		if (!cJSON_IsNumber(mid) || mid->valueint != id) {
			note_event(m);
			cJSON_Delete(m);
			continue;
		}
		const cJSON *err = cJSON_GetObjectItem(m, "error");
		if (err) {
			char *e = cJSON_PrintUnformatted(err);
			fprintf(stderr, "cdp: %s: %s\n", method, e);
			exit(1);
		}
		cJSON *res = cJSON_DetachItemFromObject(m, "result");
		cJSON_Delete(m);
		return res;
	}
}

static void wait_load(void)
{
	while (!loaded) {
		cJSON *m = read_message();
		note_event(m);
		cJSON_Delete(m);
	}
	loaded = 0;
}

/* Evaluate a JavaScript expression in the page; the value as a string (caller frees). */
static char *eval(const char *expr)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "expression", expr);
	cJSON_AddBoolToObject(p, "returnByValue", 1);
	cJSON *r = call("Runtime.evaluate", p, 1);
	const cJSON *ex = cJSON_GetObjectItem(r, "exceptionDetails");
	if (ex) {
		fprintf(stderr, "cdp: script failed: %s\n", expr);
		exit(1);
	}
	const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "result"), "value");
	char *out = cJSON_IsString(v)	? strdup(v->valuestring)
		    : cJSON_IsNumber(v) ? cJSON_PrintUnformatted(v)
					: strdup("");
	cJSON_Delete(r);
	return out;
}

/* A JavaScript string literal for z (JSON's quoting is JavaScript's). */
static char *js_string(const char *z)
{
	cJSON *s = cJSON_CreateString(z);
	char *out = cJSON_PrintUnformatted(s);
	cJSON_Delete(s);
	return out;
}

static void start_browser(const char *chromium, const char *profile)
{
	int down[2], up[2];
	if (pipe(down) || pipe(up))
		die("pipe failed");
	pid_t pid = fork();
	if (pid < 0)
		die("fork failed");
	if (pid == 0) {
		/* chromium's logging must not mix with the results on stdout */
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		if (!getenv("CDP_DEBUG"))
			dup2(null, 2);
		/* move the pipe ends out of the way of 3 and 4 before placing them */
		close(down[1]);
		close(up[0]);
		int rd = fcntl(down[0], F_DUPFD, 10), wr = fcntl(up[1], F_DUPFD, 10);
		dup2(rd, 3);
		dup2(wr, 4);
		close(rd);
		close(wr);
		char dir[600];
		snprintf(dir, sizeof dir, "--user-data-dir=%s", profile);
		execlp(chromium, chromium, "--headless", "--no-sandbox", "--disable-gpu",
		       "--no-first-run", "--hide-scrollbars", "--mute-audio",
		       "--remote-debugging-pipe", dir, "about:blank", (char *)NULL);
		_exit(127);
	}
	close(down[0]);
	close(up[1]);
	to_browser = down[1];
	from_browser = up[0];
}

/* Base64 text into f. */
static void write_base64(const char *b64, FILE *f)
{
	unsigned acc = 0;
	int bits = 0;
	for (const char *c = b64; *c; c++) {
		const char *tab = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				  "0123456789+/";
		const char *pos = strchr(tab, *c);
		if (*c == '=' || !pos)
			continue;
		acc = (acc << 6) | (unsigned)(pos - tab);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			fputc((int)((acc >> bits) & 0xFF), f);
		}
	}
}

/* Pages of a PDF as chromium writes it: its page objects ("/Type /Page", not
 * "/Type /Pages"), which it leaves uncompressed. */
static int pdf_pages(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char *z = NULL;
	size_t n = 0, cap = 0, got;
	char chunk[65536];
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (n + got + 1 > cap) {
			cap = (n + got + 1) * 2;
			z = realloc(z, cap);
			if (!z)
				die("out of memory");
		}
		memcpy(z + n, chunk, got);
		n += got;
	}
	fclose(f);
	int pages = 0;
	for (size_t i = 0; z && i + 11 <= n; i++)
		if (!memcmp(z + i, "/Type /Page", 11) && (i + 11 == n || z[i + 11] != 's'))
			pages++;
	free(z);
	return pages;
}

/* The commands of the print test (the room page): media, css and pdf.  Returns 1 when
 * line was one of them. */
static int print_command(const char *line, char *arg)
{
	if (!strcmp(line, "media") && arg) {
		cJSON *p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "media", arg);
		cJSON_Delete(call("Emulation.setEmulatedMedia", p, 1));
		printf("media: %s\n", arg);
	} else if (!strcmp(line, "css") && arg) {
		char *prop = strrchr(arg, ' ');
		if (!prop)
			die("css: expected SELECTOR PROPERTY");
		*prop++ = '\0';
		char *sel = js_string(arg), *pr = js_string(prop), expr[4400];
		snprintf(expr, sizeof expr,
			 "(function(){var e=document.querySelector(%s);if(!e)return '(no element)';"
			 "return getComputedStyle(e).getPropertyValue(%s);})()",
			 sel, pr);
		free(sel);
		free(pr);
		char *v = eval(expr);
		if (!strcmp(v, "(no element)")) {
			fprintf(stderr, "cdp: css: no element matches '%s'\n", arg);
			exit(1);
		}
		printf("css %s %s: %s\n", arg, prop, v);
		free(v);
	} else if (!strcmp(line, "pdf") && arg) {
		cJSON *p = cJSON_CreateObject();
		cJSON_AddNumberToObject(p, "paperWidth", 8.27); /* A4, inches */
		cJSON_AddNumberToObject(p, "paperHeight", 11.69);
		cJSON_AddBoolToObject(p, "preferCSSPageSize", 1);
		cJSON *r = call("Page.printToPDF", p, 1);
		FILE *f = fopen(arg, "wb");
		if (!f)
			die("cannot write the PDF");
		write_base64(cJSON_GetObjectItem(r, "data")->valuestring, f);
		fclose(f);
		cJSON_Delete(r);
		printf("pdf pages: %d\n", pdf_pages(arg));
	} else {
		return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: cdp CHROMIUM PROFILE_DIR < commands\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	start_browser(argv[1], argv[2]);
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "url", "about:blank");
	cJSON *r = call("Target.createTarget", p, 0);
	char target[128];
	snprintf(target, sizeof target, "%s", cJSON_GetObjectItem(r, "targetId")->valuestring);
	cJSON_Delete(r);
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "targetId", target);
	cJSON_AddBoolToObject(p, "flatten", 1);
	r = call("Target.attachToTarget", p, 0);
	snprintf(session, sizeof session, "%s", cJSON_GetObjectItem(r, "sessionId")->valuestring);
	cJSON_Delete(r);
	cJSON_Delete(call("Page.enable", NULL, 1));
	cJSON_Delete(call("Runtime.enable", NULL, 1));
	char line[4096];
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\n")] = '\0';
		char *arg = strchr(line, ' ');
		if (arg)
			*arg++ = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		if (!strcmp(line, "size") && arg) {
			int w = 0, h = 0;
			if (sscanf(arg, "%d %d", &w, &h) != 2)
				die("size: expected W H");
			p = cJSON_CreateObject();
			cJSON_AddNumberToObject(p, "width", w);
			cJSON_AddNumberToObject(p, "height", h);
			cJSON_AddNumberToObject(p, "deviceScaleFactor", 1);
			cJSON_AddBoolToObject(p, "mobile", w < 600);
			cJSON_Delete(call("Emulation.setDeviceMetricsOverride", p, 1));
		} else if (!strcmp(line, "goto") && arg) {
			loaded = 0;
			p = cJSON_CreateObject();
			cJSON_AddStringToObject(p, "url", arg);
			cJSON_Delete(call("Page.navigate", p, 1));
			wait_load();
		} else if ((!strcmp(line, "text") || !strcmp(line, "count") ||
			    !strcmp(line, "click")) &&
			   arg) {
			char *sel = js_string(arg), expr[4400];
			if (!strcmp(line, "count"))
				snprintf(expr, sizeof expr, "document.querySelectorAll(%s).length",
					 sel);
			else
				snprintf(expr, sizeof expr,
					 "(function(){var e=document.querySelector(%s);if(!e)"
					 "return '(no element)';%s})()",
					 sel,
					 line[1] == 'e'
					     ? "return e.innerText.replace(/\\s+/g,' ').trim();"
					     : "e.click();return '';");
			free(sel);
			if (line[1] == 'l')
				loaded = 0;
			char *v = eval(expr);
			if (!strcmp(v, "(no element)")) {
				fprintf(stderr, "cdp: %s: no element matches '%s'\n", line, arg);
				return 1;
			}
			if (line[1] == 'l')
				wait_load();
			else
				printf("%s %s: %s\n", line, arg, v);
			free(v);
		} else if (!strcmp(line, "fill") && arg) {
			char *val = strchr(arg, ' ');
			if (!val)
				die("fill: expected SELECTOR TEXT");
			*val++ = '\0';
			char *sel = js_string(arg), *v = js_string(val), expr[4400];
			snprintf(expr, sizeof expr, "document.querySelector(%s).value=%s", sel, v);
			free(sel);
			free(v);
			free(eval(expr));
		} else if (!strcmp(line, "scroll") && arg) {
			char *sel = js_string(arg), expr[4400];
			snprintf(expr, sizeof expr, "document.querySelector(%s).scrollIntoView()",
				 sel);
			free(sel);
			free(eval(expr));
		} else if (!strcmp(line, "width")) {
			char *v = eval("document.documentElement.scrollWidth");
			printf("width: %s\n", v);
			free(v);
		} else if (!strcmp(line, "shot") && arg) {
			p = cJSON_CreateObject();
			cJSON_AddStringToObject(p, "format", "png");
			r = call("Page.captureScreenshot", p, 1);
			const char *b64 = cJSON_GetObjectItem(r, "data")->valuestring;
			FILE *f = fopen(arg, "wb");
			if (!f)
				die("cannot write the screenshot");
			/* base64 */
			unsigned acc = 0;
			int bits = 0;
			for (const char *c = b64; *c; c++) {
				const char *tab =
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				    "0123456789+/";
				const char *pos = strchr(tab, *c);
				if (*c == '=' || !pos)
					continue;
				acc = (acc << 6) | (unsigned)(pos - tab);
				bits += 6;
				if (bits >= 8) {
					bits -= 8;
					fputc((int)((acc >> bits) & 0xFF), f);
				}
			}
			fclose(f);
			cJSON_Delete(r);
		} else if (!print_command(line, arg)) {
			fprintf(stderr, "cdp: unknown command '%s'\n", line);
			return 2;
		}
		fflush(stdout);
	}
	cJSON_Delete(call("Browser.close", NULL, 0));
	int st;
	wait(&st);
	free(inbuf);
	return 0;
}
