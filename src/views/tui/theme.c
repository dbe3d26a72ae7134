#include "glass/tui/theme.h"

#include "glass/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glass/escape.h"
#include "glass/strbuf.h"
#include "glass/xalloc.h"

#define THEME_MAX_BYTES (64 * 1024)

/* Makefile.am defines it: the themes of the source tree, so glass runs
 * from its build directory before it is installed. */
#ifndef GLASS_SRC_THEMEDIR
#define GLASS_SRC_THEMEDIR "themes"
#endif

const char *const tui_theme_builtin_names[TUI_THEME_N_BUILTIN] = {"default", "mono", "light"};

static const char *const elem_names[TUI_EL_COUNT] = {
	[TUI_EL_ROW] = "row",
	[TUI_EL_HEADER] = "header",
	[TUI_EL_IDLE_LINE] = "idle_line",
	[TUI_EL_TITLE] = "title",
	[TUI_EL_SORTED] = "sorted",
	[TUI_EL_SELECTED] = "selected",
	[TUI_EL_STALE] = "stale",
	[TUI_EL_DOWN] = "down",
	[TUI_EL_MARKER] = "marker",
	[TUI_EL_BAR_CPU] = "bar_cpu",
	[TUI_EL_BAR_MEM] = "bar_mem",
	[TUI_EL_STATUS] = "status",
	[TUI_EL_STATUS_KEY] = "status_key",
	[TUI_EL_PROMPT] = "prompt",
	[TUI_EL_MESSAGE] = "message",
	[TUI_EL_HELP] = "help",
	[TUI_EL_DETAIL] = "detail",
	[TUI_EL_HINT] = "hint",
	[TUI_EL_IDLE] = "idle",
	[TUI_EL_IDLE_MAYBE] = "idle_maybe",
	[TUI_EL_OVER_QUOTA] = "over_quota",
	[TUI_EL_STALE_HOST] = "stale_host",
};

static const char *const color_names[] = {"black", "red",     "green", "yellow",
					  "blue",  "magenta", "cyan",  "white"};

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
	{"bold", TUI_ATTR_BOLD},           {"dim", TUI_ATTR_DIM},
	{"reverse", TUI_ATTR_REVERSE},     {"underline", TUI_ATTR_UNDERLINE},
	{"standout", TUI_ATTR_STANDOUT},   {"normal", 0},
};

const char *tui_theme_elem_name(enum tui_elem e)
{
	return elem_names[e];
}

void tui_theme_fallback(struct tui_theme *th)
{
	memset(th, 0, sizeof(*th));
	snprintf(th->name, sizeof(th->name), "builtin");
	for (int i = 0; i < TUI_EL_COUNT; i++)
		th->el[i] = (struct tui_style){TUI_COLOR_DEFAULT, TUI_COLOR_DEFAULT, 0};
	th->el[TUI_EL_HEADER].attrs = TUI_ATTR_BOLD;
	th->el[TUI_EL_TITLE].attrs = TUI_ATTR_REVERSE;
	th->el[TUI_EL_SORTED].attrs = TUI_ATTR_REVERSE | TUI_ATTR_BOLD;
	th->el[TUI_EL_SELECTED].attrs = TUI_ATTR_REVERSE;
	th->el[TUI_EL_STALE].attrs = TUI_ATTR_DIM;
	th->el[TUI_EL_DOWN].attrs = TUI_ATTR_DIM | TUI_ATTR_UNDERLINE;
	th->el[TUI_EL_STATUS_KEY].attrs = TUI_ATTR_REVERSE;
	th->el[TUI_EL_PROMPT].attrs = TUI_ATTR_BOLD;
	th->el[TUI_EL_MESSAGE].attrs = TUI_ATTR_BOLD;
	th->el[TUI_EL_HINT].attrs = TUI_ATTR_REVERSE;
	th->el[TUI_EL_IDLE].attrs = TUI_ATTR_BOLD;
	th->el[TUI_EL_IDLE_MAYBE].attrs = TUI_ATTR_UNDERLINE;
	th->el[TUI_EL_OVER_QUOTA].attrs = TUI_ATTR_BOLD | TUI_ATTR_UNDERLINE;
	th->el[TUI_EL_STALE_HOST].attrs = TUI_ATTR_DIM | TUI_ATTR_BOLD;
}

static int parse_color(const char *s, short *out)
{
	bool bright = false;

	if (strcmp(s, "default") == 0) {
		*out = TUI_COLOR_DEFAULT;
		return 0;
	}
	if (strncmp(s, "bright_", 7) == 0) {
		bright = true;
		s += 7;
	}
	for (short i = 0; i < 8; i++) {
		if (strcmp(s, color_names[i]) == 0) {
			*out = (short)(bright ? i + 8 : i);
			return 0;
		}
	}
	return -1;
}

static int parse_attrs(char *s, unsigned *out, struct errbuf *why)
{
	for (char *tok = strtok(s, ", \t"); tok; tok = strtok(NULL, ", \t")) {
		size_t i;

		for (i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
			if (strcmp(tok, attr_names[i].name) == 0)
				break;
		if (i == sizeof(attr_names) / sizeof(attr_names[0]))
			return errbuf_set(why,
					  "unknown attribute '%.40s' (bold, dim, reverse, underline, "
					  "standout, normal)",
					  tok);
		*out |= attr_names[i].bit;
	}
	return 0;
}

/* Takes the next blank-separated word of *s. */
static char *next_word(char **s)
{
	char *w = *s;

	while (isspace((unsigned char)*w))
		w++;
	if (!*w)
		return NULL;
	char *e = w;
	while (*e && !isspace((unsigned char)*e))
		e++;
	if (*e)
		*e++ = '\0';
	*s = e;
	return w;
}

static int parse_line(struct tui_theme *th, char *line, struct errbuf *why)
{
	char *hash = strchr(line, '#');
	char *eq, *key, *rest, *fg, *bg;
	struct tui_style st = {TUI_COLOR_DEFAULT, TUI_COLOR_DEFAULT, 0};
	int e;

	if (hash)
		*hash = '\0';
	line = config_trim(line);
	if (!*line)
		return 0;
	eq = strchr(line, '=');
	if (!eq)
		return errbuf_set(why, "expected 'element = fg bg [attributes]', got '%.60s'", line);
	*eq = '\0';
	key = config_trim(line);
	rest = eq + 1;
	for (e = 0; e < TUI_EL_COUNT; e++)
		if (strcmp(key, elem_names[e]) == 0)
			break;
	if (e == TUI_EL_COUNT)
		return errbuf_set(why, "unknown element '%.40s'", key);
	fg = next_word(&rest);
	bg = next_word(&rest);
	if (!fg || !bg)
		return errbuf_set(why, "'%s' needs a foreground and a background colour", key);
	if (parse_color(fg, &st.fg) < 0)
		return errbuf_set(why, "unknown colour '%.40s'", fg);
	if (parse_color(bg, &st.bg) < 0)
		return errbuf_set(why, "unknown colour '%.40s'", bg);
	if (parse_attrs(rest, &st.attrs, why) < 0)
		return -1;
	th->el[e] = st;
	return 0;
}

int tui_theme_parse(struct tui_theme *th, const char *name, const char *path, const char *text,
		    size_t len, struct errbuf *err)
{
	size_t lineno = 0, pos = 0;

	tui_theme_fallback(th);
	snprintf(th->name, sizeof(th->name), "%s", name);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		char *line = xstrndup(text + pos, end - pos);
		struct errbuf why;
		int rc;

		lineno++;
		errbuf_clear(&why);
		if (strlen(line) != end - pos)
			rc = errbuf_set(&why, "NUL byte in line");
		else
			rc = parse_line(th, line, &why);
		free(line);
		if (rc < 0) {
			/* the line's bytes, escaped: stderr may be a terminal */
			errbuf_set(err, "%s:%zu: %s", path, lineno, why.msg);
			escape_errbuf(err);
			return -1;
		}
		pos = end + 1;
	}
	return 0;
}

static int read_file(const char *path, struct strbuf *sb, struct errbuf *err)
{
	FILE *f = fopen(path, "re");
	char buf[4096];
	size_t n;

	if (!f)
		return errbuf_set(err, "%s: %s", path, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		strbuf_add(sb, buf, n);
		if (sb->len > THEME_MAX_BYTES) {
			fclose(f);
			return errbuf_set(err, "%s: larger than %d bytes", path, THEME_MAX_BYTES);
		}
	}
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		return errbuf_set(err, "%s: %s", path, strerror(e));
	}
	fclose(f);
	return 0;
}

static bool valid_name(const char *name)
{
	if (!*name || strlen(name) > 40)
		return false;
	for (const char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_' && *c != '.')
			return false;
	return true;
}

int tui_theme_load(struct tui_theme *th, const char *name, struct errbuf *err)
{
	const char *env = getenv("GLASS_THEME_DIR");
	const char *dirs[3];
	size_t n_dirs = 0;
	char *path = NULL;
	struct strbuf sb;
	int rc;

	if (strchr(name, '/')) {
		path = xstrdup(name);
	} else {
		if (!valid_name(name)) {
			errbuf_set(err, "theme '%.60s': not a theme name (letters, digits, "
					"'-', '_', '.') nor a path", name);
			escape_errbuf(err);
			return -1;
		}
		if (env && *env)
			dirs[n_dirs++] = env;
		dirs[n_dirs++] = GLASS_DATADIR "/themes";
		dirs[n_dirs++] = GLASS_SRC_THEMEDIR;
		for (size_t i = 0; i < n_dirs && !path; i++) {
			char *p = xasprintf("%s/%s.theme", dirs[i], name);
			if (access(p, F_OK) == 0)
				path = p;
			else
				free(p);
		}
		if (!path) {
			errbuf_set(err, "theme '%s': no %s.theme in %s%s or %s", name, name,
				   env && *env ? "$GLASS_THEME_DIR, " : "", GLASS_DATADIR "/themes",
				   GLASS_SRC_THEMEDIR);
			escape_errbuf(err);
			return -2;
		}
	}
	strbuf_init(&sb);
	rc = read_file(path, &sb, err);
	if (rc < 0)
		escape_errbuf(err);
	if (rc == 0)
		rc = tui_theme_parse(th, name, path, sb.buf ? sb.buf : "", sb.len, err);
	strbuf_done(&sb);
	free(path);
	return rc;
}
