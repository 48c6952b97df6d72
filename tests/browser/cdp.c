/* cdp.c - drive Debian's headless chromium over the DevTools protocol for the browser
 * test (tests/browser/run.sh): one command a line on stdin, results on stdout.
 *
 *   size W H            viewport in CSS pixels (mobile layout when W < 600)
 *   goto URL            load URL and wait for its load event
 *   text SELECTOR       print the element's visible text (blanks squeezed)
 *   count SELECTOR      print how many elements match
 *   click SELECTOR      click the element (a link or button) and wait for the new page
 *   fill SELECTOR TEXT  set an input's value
 *   press SELECTOR      click the element without waiting for a page (a <summary>)
 *   scroll SELECTOR     scroll the element into view
 *   visible SELECTOR    print whether the element is rendered (has a box)
 *   inview SELECTOR     print whether the element is within the viewport now
 *   url                 print the page's path, query and fragment
 *   width               print the page's scroll width (does it fit the viewport?)
 *   together SELECTOR   of the elements matching, how many have their first child (a
 *                       legend's colour) on the same line as the text after it
 *   fits                print "fits" when nothing is wider than the viewport, else
 *                       "OVERFLOW" with the elements that stick out
 *   a11y                the accessibility checks (see check_a11y) on the page's
 *                       accessibility tree (Accessibility.getFullAXTree) and computed
 *                       styles: one line, "ok" with what was checked or each failure
 *   focus               press Tab through every focusable element: does each show a
 *                       focus indicator (computed outline or box-shadow)?
 *   shot FILE           save a PNG screenshot of the viewport
 *   fullshot FILE       save a PNG screenshot of the whole page
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

/* Print "NAME: value" of a JavaScript expression. */
static void print_eval(const char *name, const char *expr)
{
	char *v = eval(expr);
	printf("%s: %s\n", name, v);
	free(v);
}

/* The expression "the element matching sel, or '(no element)'": body is run with e. */
static char *element_expr(const char *sel, const char *body)
{
	char *q = js_string(sel);
	size_t n = strlen(q) + strlen(body) + 128;
	char *z = malloc(n);
	if (!z)
		die("out of memory");
	snprintf(z, n,
		 "(function(){var e=document.querySelector(%s);if(!e)return '(no element)';%s})()",
		 q, body);
	free(q);
	return z;
}

/* "together": of the elements matching sel, those whose first child's box overlaps the
 * first line of the text after it (a legend's colour beside its label, not at the end
 * of the line above). */
static const char together_js[] =
    "(function(ks){var n=0;ks.forEach(function(e){var s=e.firstElementChild;if(!s)return;"
    "var r=document.createRange();r.setStartAfter(s);r.setEndAfter(e.lastChild);"
    "var t=r.getClientRects()[0],b=s.getBoundingClientRect();"
    "if(t&&b.top<t.bottom&&b.bottom>t.top)n++;});"
    "return n+' of '+ks.length+' with the colour beside its words';})"
    "(document.querySelectorAll(%s))";

/* Elements whose box ends right of the viewport, when the page is wider than it. */
static const char fits_js[] =
    "(function(){var W=document.documentElement.clientWidth,"
    "S=document.documentElement.scrollWidth;if(S<=W)return 'fits';var out=[];"
    "document.querySelectorAll('body *').forEach(function(e){var r=e.getBoundingClientRect();"
    "if(r.right>W+0.5&&out.length<6)out.push(e.tagName.toLowerCase()+(e.id?'#'+e.id:'')+"
    "(typeof e.className=='string'&&e.className?'.'+e.className.split(' ')[0]:'')+"
    "' '+Math.round(r.right));});return 'OVERFLOW '+S+' > '+W+': '+out.join(', ');})()";

/* Text contrast (WCAG 2: relative luminance, >= 4.5:1) of every rendered element with
 * text of its own, against its background composed from its ancestors'.  Answers
 * "N|failures". */
static const char contrast_js[] =
    "(function(){function parse(c){var m=/rgba?\\(([^)]+)\\)/.exec(c);if(!m)return null;"
    "var p=m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);"
    "return [p[0],p[1],p[2],p.length>3?p[3]:1];}"
    "function lum(c){var a=c.slice(0,3).map(function(v){v/=255;"
    "return v<=0.03928?v/12.92:Math.pow((v+0.055)/1.055,2.4);});"
    "return 0.2126*a[0]+0.7152*a[1]+0.0722*a[2];}"
    "function blend(t,b){var a=t[3];return [t[0]*a+b[0]*(1-a),t[1]*a+b[1]*(1-a),"
    "t[2]*a+b[2]*(1-a),1];}"
    "function bg(el){var l=[];for(var e=el;e&&e.nodeType==1;e=e.parentElement){"
    "var c=parse(getComputedStyle(e).backgroundColor);if(c&&c[3]>0)l.push(c);"
    "if(c&&c[3]>=1)break;}var r=[255,255,255,1];"
    "for(var i=l.length-1;i>=0;i--)r=blend(l[i],r);return r;}"
    "var bad=[],n=0,seen=new Set();"
    "var w=document.createTreeWalker(document.body,NodeFilter.SHOW_TEXT);"
    "while(w.nextNode()){var t=w.currentNode;if(!t.nodeValue.trim())continue;"
    "var el=t.parentElement;if(seen.has(el))continue;seen.add(el);"
    "if(el.closest('svg,script,style,datalist,option'))continue;"
    "var rs=el.getClientRects();if(!rs.length||(rs[0].width<=1&&rs[0].height<=1))continue;"
    "var s=getComputedStyle(el);if(s.visibility!='visible')continue;"
    "var b=bg(el),f=blend(parse(s.color),b),L1=lum(f),L2=lum(b);"
    "var q=(Math.max(L1,L2)+0.05)/(Math.min(L1,L2)+0.05);n++;"
    "if(q<4.5)bad.push(el.tagName.toLowerCase()+' \"'+t.nodeValue.trim().slice(0,30)+"
    "'\" '+q.toFixed(2));}"
    "return n+'|'+bad.slice(0,8).join('; ');})()";

static const char *ax_str(const cJSON *node, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(node, key), "value");
	return cJSON_IsString(v) ? v->valuestring : "";
}

static int ax_ignored(const cJSON *node)
{
	return cJSON_IsTrue(cJSON_GetObjectItem(node, "ignored"));
}

static int ax_level(const cJSON *node)
{
	const cJSON *p;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(node, "properties"))
	{
		const cJSON *name = cJSON_GetObjectItem(p, "name");
		if (cJSON_IsString(name) && !strcmp(name->valuestring, "level"))
			return cJSON_GetObjectItem(cJSON_GetObjectItem(p, "value"), "value")
			    ->valueint;
	}
	return 0;
}

/* The node with this id among nodes, or NULL. */
static const cJSON *ax_node(const cJSON *nodes, const char *id)
{
	const cJSON *n;
	cJSON_ArrayForEach(n, nodes)
	{
		const cJSON *nid = cJSON_GetObjectItem(n, "nodeId");
		if (cJSON_IsString(nid) && !strcmp(nid->valuestring, id))
			return n;
	}
	return NULL;
}

/* Whether a node below node (through childIds) has one of the roles (NULL-ended). */
static int ax_has_below(const cJSON *nodes, const cJSON *node, const char *const *roles, int depth)
{
	const cJSON *c;
	if (depth > 64)
		return 0;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(node, "childIds"))
	{
		const cJSON *k = cJSON_IsString(c) ? ax_node(nodes, c->valuestring) : NULL;
		if (!k)
			continue;
		for (size_t i = 0; roles[i]; i++)
			if (!ax_ignored(k) && !strcmp(ax_str(k, "role"), roles[i]))
				return 1;
		if (ax_has_below(nodes, k, roles, depth + 1))
			return 1;
	}
	return 0;
}

/* The accessibility checks of a page, one line: every control has an accessible name;
 * one banner, navigation, main and contentinfo landmark, in that order; headings
 * start at level 1, one h1, never skip a level; every table has header cells; text
 * contrast at least 4.5:1. */
static void check_a11y(void)
{
	cJSON_Delete(call("Accessibility.enable", NULL, 1));
	cJSON *r = call("Accessibility.getFullAXTree", NULL, 1);
	const cJSON *nodes = cJSON_GetObjectItem(r, "nodes"), *n;
	static const char *const controls[] = {
	    "button",  "link",	   "textbox", "searchbox",	    "combobox",
	    "listbox", "checkbox", "radio",   "spinbutton",	    "slider",
	    "switch",  "menuitem", "tab",     "DisclosureTriangle", NULL};
	static const char *const headers[] = {"columnheader", "rowheader", NULL};
	char fail[4096] = "";
	size_t fl = 0;
#define FAIL(...)                                                                                  \
	do {                                                                                       \
		if (fl < sizeof fail - 200)                                                        \
			fl += (size_t)snprintf(fail + fl, sizeof fail - fl, __VA_ARGS__);          \
	} while (0)
	int n_controls = 0, n_headings = 0, n_tables = 0, h1 = 0, last_level = 0;
	int banner = 0, navigation = 0, main_ = 0, contentinfo = 0, order = 0;
	cJSON_ArrayForEach(n, nodes)
	{
		if (ax_ignored(n))
			continue;
		const char *role = ax_str(n, "role"), *name = ax_str(n, "name");
		for (size_t i = 0; controls[i]; i++)
			if (!strcmp(role, controls[i])) {
				n_controls++;
				if (!*name)
					FAIL(" %s without a name;", role);
			}
		if (!strcmp(role, "heading")) {
			int level = ax_level(n);
			n_headings++;
			h1 += level == 1;
			if ((!last_level && level != 1) || (last_level && level > last_level + 1))
				FAIL(" heading h%d \"%.30s\" after h%d;", level, name, last_level);
			last_level = level;
		}
		if (!strcmp(role, "table") || !strcmp(role, "LayoutTable")) {
			n_tables++;
			if (!ax_has_below(nodes, n, headers, 0))
				FAIL(" table \"%.30s\" without header cells;", name);
		}
		/* landmarks in order: banner, then main, then contentinfo */
		if (!strcmp(role, "banner"))
			banner++, order |= main_ || contentinfo ? 1 : 0;
		if (!strcmp(role, "navigation"))
			navigation++;
		if (!strcmp(role, "main"))
			main_++, order |= contentinfo ? 1 : 0;
		if (!strcmp(role, "contentinfo"))
			contentinfo++;
	}
	if (banner != 1 || navigation < 1 || main_ != 1 || contentinfo != 1 || order)
		FAIL(" landmarks: %d banner, %d navigation, %d main, %d contentinfo%s;", banner,
		     navigation, main_, contentinfo, order ? ", out of order" : "");
	if (h1 != 1)
		FAIL(" %d h1;", h1);
	cJSON_Delete(r);
	char *c = eval(contrast_js), *bar = strchr(c, '|');
	if (bar && bar[1])
		FAIL(" contrast below 4.5: %s;", bar + 1);
	if (fl)
		printf("a11y: FAIL%s\n", fail);
	else
		printf("a11y: ok: %d controls named, %d headings in order, landmarks, %d tables "
		       "with headers, contrast of %d texts\n",
		       n_controls, n_headings, n_tables, bar ? atoi(c) : 0);
	free(c);
#undef FAIL
}

static void key(const char *type, const char *key_name, int code, int shift)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "type", type);
	cJSON_AddStringToObject(p, "key", key_name);
	cJSON_AddStringToObject(p, "code", key_name);
	cJSON_AddNumberToObject(p, "windowsVirtualKeyCode", code);
	cJSON_AddNumberToObject(p, "modifiers", shift ? 8 : 0);
	cJSON_Delete(call("Input.dispatchKeyEvent", p, 1));
}

/* Tab through the page from the top until focus comes back round: every element
 * focused must show a focus indicator. */
static void check_focus(void)
{
	free(eval("(function(){if(document.activeElement)document.activeElement.blur();"
		  "window.scrollTo(0,0);return '';})()"));
	int stops = 0, bad = 0;
	char first[256] = "", fail[1024] = "";
	size_t fl = 0;
	for (int i = 0; i < 400; i++) {
		key("keyDown", "Tab", 9, 0);
		key("keyUp", "Tab", 9, 0);
		char *v = eval("(function(){var e=document.activeElement;"
			       "if(!e||e==document.body)return '';var s=getComputedStyle(e);"
			       "var vis=(s.outlineStyle!='none'&&parseFloat(s.outlineWidth)>=1)||"
			       "s.boxShadow!='none';var r=e.getBoundingClientRect();"
			       "return (vis?'ok ':'bad ')+e.tagName.toLowerCase()+' '+"
			       "(e.getAttribute('name')||e.getAttribute('href')||"
			       "e.textContent.trim().slice(0,20))+' @'+Math.round(r.left)+','+"
			       "Math.round(r.top+window.scrollY);})()");
		if (!*v || !strcmp(v + 3, first) || !strcmp(v + 4, first)) {
			free(v);
			break;
		}
		if (!stops)
			snprintf(first, sizeof first, "%s", v + (v[0] == 'o' ? 3 : 4));
		stops++;
		if (v[0] == 'b') {
			bad++;
			if (fl < sizeof fail - 100)
				fl +=
				    (size_t)snprintf(fail + fl, sizeof fail - fl, " %.60s;", v + 4);
		}
		free(v);
	}
	if (bad)
		printf("focus: %d of %d stops without a visible focus:%s\n", bad, stops, fail);
	else
		printf("focus: %d stops, each with a visible focus\n", stops);
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

static void screenshot(const char *file, int full)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "format", "png");
	if (full)
		cJSON_AddBoolToObject(p, "captureBeyondViewport", 1);
	if (full) {
		char *h = eval("String(document.documentElement.scrollHeight)");
		char *w = eval("String(document.documentElement.clientWidth)");
		cJSON *clip = cJSON_AddObjectToObject(p, "clip");
		cJSON_AddNumberToObject(clip, "x", 0);
		cJSON_AddNumberToObject(clip, "y", 0);
		cJSON_AddNumberToObject(clip, "width", atoi(w));
		cJSON_AddNumberToObject(clip, "height", atoi(h) > 12000 ? 12000 : atoi(h));
		cJSON_AddNumberToObject(clip, "scale", 1);
		free(h);
		free(w);
	}
	cJSON *r = call("Page.captureScreenshot", p, 1);
	const char *b64 = cJSON_GetObjectItem(r, "data")->valuestring;
	FILE *f = fopen(file, "wb");
	if (!f)
		die("cannot write the screenshot");
	write_base64(b64, f);
	fclose(f);
	cJSON_Delete(r);
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
			screenshot(arg, 0);
		} else if (!strcmp(line, "fullshot") && arg) {
			screenshot(arg, 1);
		} else if ((!strcmp(line, "press") || !strcmp(line, "visible") ||
			    !strcmp(line, "inview")) &&
			   arg) {
			const char *body =
			    line[0] == 'p' ? "e.click();return '';"
			    : line[0] == 'v'
				? "return e.checkVisibility({visibilityProperty:true})?'visible':"
				  "'hidden';"
				: "var r=e.getBoundingClientRect();return r.bottom>0&&r.top<"
				  "window.innerHeight?'in view (scrolled '+(window.scrollY>0?'down'"
				  ":'not')+')':'out of view';";
			char *expr = element_expr(arg, body);
			char *v = eval(expr);
			free(expr);
			if (!strcmp(v, "(no element)")) {
				fprintf(stderr, "cdp: %s: no element matches '%s'\n", line, arg);
				return 1;
			}
			if (line[0] != 'p')
				printf("%s %s: %s\n", line, arg, v);
			free(v);
		} else if (!strcmp(line, "together") && arg) {
			char *sel = js_string(arg), expr[4400];
			snprintf(expr, sizeof expr, together_js, sel);
			free(sel);
			char *v = eval(expr);
			printf("together %s: %s\n", arg, v);
			free(v);
		} else if (!strcmp(line, "url")) {
			print_eval("url", "location.pathname+location.search+location.hash");
		} else if (!strcmp(line, "fits")) {
			print_eval("fits", fits_js);
		} else if (!strcmp(line, "a11y")) {
			check_a11y();
		} else if (!strcmp(line, "focus")) {
			check_focus();
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
