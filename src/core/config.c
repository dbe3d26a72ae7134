#include "glass/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glass/escape.h"
#include "glass/guest_join.h"
#include "glass/source_config.h"
#include "glass/source_remote.h"
#include "glass/strbuf.h"
#include "glass/uri.h"
#include "glass/tui/colcfg.h"
#include "glass/xalloc.h"

#define CONFIG_MAX_BYTES (1024 * 1024)

struct config_key {
	const char *key;
	/* 0 or -1 with the reason (no file:line) in err */
	int (*apply)(struct options *o, const char *value, struct errbuf *err);
};

static int apply_interval(struct options *o, const char *value, struct errbuf *err)
{
	double v;

	if (options_parse_interval(value, &v, err) < 0)
		return -1;
	if (!(o->set_on_cli & OPTSET_INTERVAL))
		o->interval_s = v;
	return 0;
}

static int apply_format(struct options *o, const char *value, struct errbuf *err)
{
	enum output_format f;

	if (options_parse_format(value, &f, err) < 0)
		return -1;
	if (!(o->set_on_cli & OPTSET_FORMAT))
		o->format = f;
	return 0;
}

static int apply_threshold(struct options *o, const char *value, struct errbuf *err)
{
	double v;

	if (options_parse_threshold(value, &v, err) < 0)
		return -1;
	if (!(o->set_on_cli & OPTSET_THRESHOLD))
		o->idle_threshold = v;
	return 0;
}

static int apply_window(struct options *o, const char *value, struct errbuf *err)
{
	double v;

	if (options_parse_duration(value, &v, err) < 0)
		return -1;
	if (!(o->set_on_cli & OPTSET_WINDOW))
		o->idle_window_s = v;
	return 0;
}

static int apply_core_month(struct options *o, const char *value, struct errbuf *err)
{
	return options_parse_money(value, &o->cost_core_month, err);
}

static int apply_gib_month(struct options *o, const char *value, struct errbuf *err)
{
	return options_parse_money(value, &o->cost_gib_month, err);
}

static int apply_currency(struct options *o, const char *value, struct errbuf *err)
{
	if (strlen(value) > 8)
		return errbuf_set(err, "invalid currency '%.60s': at most 8 characters, e.g. EUR or $", value);
	free(o->currency);
	o->currency = xstrdup(value);
	return 0;
}

static int apply_theme(struct options *o, const char *value, struct errbuf *err)
{
	char *theme = NULL;

	if (options_parse_theme(value, &theme, err) < 0)
		return -1;
	if (!(o->set_on_cli & OPTSET_THEME)) {
		free(o->theme);
		o->theme = theme;
	} else {
		free(theme);
	}
	return 0;
}

static int apply_history_path(struct options *o, const char *value, struct errbuf *err)
{
	if (o->set_on_cli & OPTSET_HISTORY)
		return value[0] == '/' ? 0 : errbuf_set(err, "'%.60s' is not an absolute path", value);
	o->history_named = true;
	return options_parse_path(&o->history_path, value, err);
}

static int apply_history_retention(struct options *o, const char *value, struct errbuf *err)
{
	return options_parse_duration(value, &o->history_retention_s, err);
}

static int apply_history_bucket(struct options *o, const char *value, struct errbuf *err)
{
	double v;

	if (options_parse_duration(value, &v, err) < 0)
		return -1;
	if (v > 3600 || (double)(long)v != v || 3600 % (long)v != 0)
		return errbuf_set(err, "invalid bucket '%.60s': a whole number of seconds that divides an hour",
				  value);
	o->history_bucket_s = v;
	return 0;
}

static int apply_guest_match(struct options *o, const char *value, struct errbuf *err)
{
	return guest_match_parse(value, &o->guest_match, err);
}

/* `guest = vm:<host>/<uuid or name> glass+ssh://[user@]host`: that remote
 * host is that VM's guest, whatever the hints say; the remote is watched
 * as with `host =`. */
static int apply_guest(struct options *o, const char *value, struct errbuf *err)
{
	size_t vlen = strcspn(value, " \t");
	const char *uri = value + vlen;

	while (*uri == ' ' || *uri == '\t')
		uri++;
	if (strncmp(value, "vm:", 3) != 0 || !memchr(value, '/', vlen) || value[vlen - 1] == '/' ||
	    !*uri || strpbrk(uri, " \t"))
		return errbuf_set(err, "guest = expects 'vm:<host>/<uuid or name> glass+ssh://[user@]host'");
	if (!source_remote_uri(uri)) {
		char *shown = uri_redact(uri);
		errbuf_set(err, "guest = %.60s: the guest is a glass+ssh://[user@]host URI", shown);
		free(shown);
		return -1;
	}
	bool listed = false;
	for (size_t i = 0; i < o->n_uris; i++)
		if (strcmp(o->uris[i], uri) == 0)
			listed = true;
	if (!listed)
		options_add_uri(o, uri);
	o->guests = xreallocarray(o->guests, o->n_guests + 1, sizeof(*o->guests));
	o->guests[o->n_guests].vm = xstrndup(value, vlen);
	o->guests[o->n_guests].uri = xstrdup(uri);
	o->n_guests++;
	return 0;
}

static int apply_tui_columns(struct options *o, const char *value, struct errbuf *err)
{
	enum tui_col order[TUI_COL_COUNT];
	size_t n;

	if (tui_columns_parse(value, order, &n, err) < 0)
		return -1;
	free(o->tui_columns);
	o->tui_columns = xstrdup(value);
	return 0;
}

static int apply_tui_sort(struct options *o, const char *value, struct errbuf *err)
{
	enum tui_sort sort;
	bool desc;

	if (tui_sort_parse(value, &sort, &desc, err) < 0)
		return -1;
	free(o->tui_sort);
	o->tui_sort = xstrdup(value);
	return 0;
}

static const struct config_key config_keys[] = {
	{"interval", apply_interval},
	{"format", apply_format},
	{"idle.threshold", apply_threshold},
	{"idle.window", apply_window},
	{"cost.core_month", apply_core_month},
	{"cost.gib_month", apply_gib_month},
	{"cost.currency", apply_currency},
	{"theme", apply_theme},
	{"tui.columns", apply_tui_columns},
	{"tui.sort", apply_tui_sort},
	{"history.path", apply_history_path},
	{"history.retention", apply_history_retention},
	{"history.bucket", apply_history_bucket},
	{"guest", apply_guest},
	{"guest.match", apply_guest_match},
};

char *config_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int apply_line(struct options *o, char *line, struct errbuf *why)
{
	char *hash = strchr(line, '#');
	char *eq;
	char *key, *value;

	if (hash)
		*hash = '\0';
	line = config_trim(line);
	if (*line == '\0')
		return 0;
	eq = strchr(line, '=');
	if (!eq)
		return errbuf_set(why, "expected 'key = value', got '%.60s'", line);
	*eq = '\0';
	key = config_trim(line);
	value = config_trim(eq + 1);
	if (*key == '\0')
		return errbuf_set(why, "missing key before '='");
	if (*value == '\0')
		return errbuf_set(why, "missing value for '%.60s'", key);
	for (size_t i = 0; i < sizeof(config_keys) / sizeof(config_keys[0]); i++)
		if (strcmp(key, config_keys[i].key) == 0)
			return config_keys[i].apply(o, value, why);
	/* the sources' keys, each under its type's prefix (source_config.h) */
	int source = source_config_apply(o, key, value, why);
	if (source <= 0)
		return source;
	int power = power_config_key(&o->power, key, value, why);
	if (power <= 0)
		return power;
	int owner = owner_config_key(&o->owner, key, value, why);
	if (owner <= 0)
		return owner;
	return errbuf_set(why, "unknown key '%.60s'", key);
}

/* A config line's error echoes its bytes: escaped, as in every output
 * (`format = \e[2J...` must not clear the terminal that shows it). */
static int config_error(struct errbuf *err, const char *path, size_t lineno, const char *why)
{
	errbuf_set(err, "%s:%zu: %s", path, lineno, why);
	escape_errbuf(err);
	return -1;
}

int config_apply_text(struct options *o, const char *path, const char *text, size_t len,
		      struct errbuf *err)
{
	size_t lineno = 0;
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		struct errbuf why;
		char *line = xstrndup(text + pos, end - pos);

		lineno++;
		if (strlen(line) != end - pos) {
			free(line);
			return config_error(err, path, lineno, "NUL byte in line");
		}
		errbuf_clear(&why);
		int rc = apply_line(o, line, &why);
		free(line);
		if (rc < 0)
			return config_error(err, path, lineno, why.msg);
		pos = end + 1;
	}
	return 0;
}

int config_load_file(struct options *o, const char *path, bool must_exist, struct errbuf *err)
{
	FILE *f = fopen(path, "re");
	struct strbuf sb;
	char buf[4096];
	size_t n;
	int rc;

	if (!f) {
		if (errno == ENOENT && !must_exist)
			return 0;
		errbuf_set(err, "%s: %s", path, strerror(errno));
		escape_errbuf(err);
		return -1;
	}
	strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		strbuf_add(&sb, buf, n);
		if (sb.len > CONFIG_MAX_BYTES) {
			fclose(f);
			strbuf_done(&sb);
			errbuf_set(err, "%s: larger than %d bytes", path, CONFIG_MAX_BYTES);
			escape_errbuf(err);
			return -1;
		}
	}
	if (ferror(f)) {
		rc = errbuf_set(err, "%s: %s", path, strerror(errno));
		escape_errbuf(err);
		fclose(f);
		strbuf_done(&sb);
		return rc;
	}
	fclose(f);
	rc = config_apply_text(o, path, sb.buf ? sb.buf : "", sb.len, err);
	strbuf_done(&sb);
	return rc;
}

char *config_default_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	char *candidates[3] = {NULL, NULL, NULL};
	char *found = NULL;

	if (xdg && *xdg)
		candidates[0] = xasprintf("%s/glass/glassrc", xdg);
	else if (home && *home)
		candidates[0] = xasprintf("%s/.config/glass/glassrc", home);
	candidates[1] = xstrdup("/etc/glass/glassrc");
	for (size_t i = 0; i < 3; i++) {
		if (!found && candidates[i] && access(candidates[i], F_OK) == 0)
			found = candidates[i];
		else
			free(candidates[i]);
	}
	return found;
}
