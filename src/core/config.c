#include "glass/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glass/strbuf.h"
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

static const struct config_key config_keys[] = {
	{"interval", apply_interval},
	{"format", apply_format},
	{"theme", apply_theme},
};

static char *trim(char *s)
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
	line = trim(line);
	if (*line == '\0')
		return 0;
	eq = strchr(line, '=');
	if (!eq)
		return errbuf_set(why, "expected 'key = value', got '%.60s'", line);
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	if (*key == '\0')
		return errbuf_set(why, "missing key before '='");
	if (*value == '\0')
		return errbuf_set(why, "missing value for '%.60s'", key);
	for (size_t i = 0; i < sizeof(config_keys) / sizeof(config_keys[0]); i++)
		if (strcmp(key, config_keys[i].key) == 0)
			return config_keys[i].apply(o, value, why);
	return errbuf_set(why, "unknown key '%.60s'", key);
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
			return errbuf_set(err, "%s:%zu: NUL byte in line", path, lineno);
		}
		errbuf_clear(&why);
		int rc = apply_line(o, line, &why);
		free(line);
		if (rc < 0)
			return errbuf_set(err, "%s:%zu: %s", path, lineno, why.msg);
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
		return errbuf_set(err, "%s: %s", path, strerror(errno));
	}
	strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		strbuf_add(&sb, buf, n);
		if (sb.len > CONFIG_MAX_BYTES) {
			fclose(f);
			strbuf_done(&sb);
			return errbuf_set(err, "%s: larger than %d bytes", path, CONFIG_MAX_BYTES);
		}
	}
	if (ferror(f)) {
		rc = errbuf_set(err, "%s: %s", path, strerror(errno));
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
