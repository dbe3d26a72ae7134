#include "glass/config_write.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "glass/atomic_file.h"
#include "glass/config.h"
#include "glass/escape.h"
#include "glass/strbuf.h"
#include "glass/xalloc.h"

#define CONFIG_WRITE_MAX (1024 * 1024)

/* The key a line sets, or -1 when it sets none of keys. */
static int line_key(const char *line, size_t len, const char *const *keys, size_t n)
{
	char *copy = xstrndup(line, len);
	char *hash = strchr(copy, '#');
	char *eq;
	int found = -1;

	if (hash)
		*hash = '\0';
	eq = strchr(copy, '=');
	if (eq) {
		*eq = '\0';
		char *key = config_trim(copy);
		for (size_t i = 0; i < n && found < 0; i++)
			if (strcmp(key, keys[i]) == 0)
				found = (int)i;
	}
	free(copy);
	return found;
}

char *config_set_text(const char *text, size_t len, const char *const *keys,
		      const char *const *values, size_t n)
{
	bool *done = xcalloc(n ? n : 1, sizeof(*done));
	struct strbuf out;
	size_t pos = 0;

	strbuf_init(&out);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		int k = line_key(text + pos, end - pos, keys, n);

		if (k < 0) {
			strbuf_add(&out, text + pos, end - pos);
			strbuf_addc(&out, '\n');
		} else if (!done[k]) {
			strbuf_addf(&out, "%s = %s\n", keys[k], values[k]);
			done[k] = true;
		}
		pos = end + 1;
	}
	for (size_t i = 0; i < n; i++)
		if (!done[i])
			strbuf_addf(&out, "%s = %s\n", keys[i], values[i]);
	free(done);
	if (!out.buf)
		strbuf_adds(&out, "");
	return strbuf_detach(&out);
}

char *config_user_path(const char *named)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (named)
		return xstrdup(named);
	if (xdg && *xdg)
		return xasprintf("%s/glass/glassrc", xdg);
	if (home && *home)
		return xasprintf("%s/.config/glass/glassrc", home);
	return NULL;
}

/* The whole file into *out; 1 read, 0 missing, -1 error (err). */
static int slurp(const char *path, struct strbuf *out, struct errbuf *err)
{
	FILE *f = fopen(path, "re");
	char buf[4096];
	size_t got;

	if (!f) {
		if (errno == ENOENT)
			return 0;
		errbuf_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0 && out->len <= CONFIG_WRITE_MAX)
		strbuf_add(out, buf, got);
	if (ferror(f) || out->len > CONFIG_WRITE_MAX) {
		errbuf_set(err, "%s: %s", path, ferror(f) ? strerror(errno) : "too large");
		fclose(f);
		return -1;
	}
	fclose(f);
	return 1;
}

/* mkdir -p of path's directory (mode 0700 for what it makes: a home's
 * config directory is the user's). */
static int make_dirs(const char *path, struct errbuf *err)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');

	if (slash && slash != dir) {
		*slash = '\0';
		for (char *p = dir + 1; *p; p++) {
			if (*p != '/')
				continue;
			*p = '\0';
			if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
				errbuf_set(err, "%s: %s", dir, strerror(errno));
				free(dir);
				return -1;
			}
			*p = '/';
		}
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			errbuf_set(err, "%s: %s", dir, strerror(errno));
			free(dir);
			return -1;
		}
	}
	free(dir);
	return 0;
}

int config_save_keys(const char *path, const char *base, const char *const *keys,
		     const char *const *values, size_t n, struct errbuf *err)
{
	struct strbuf old;
	char *text;
	int rc;

	strbuf_init(&old);
	rc = slurp(path, &old, err);
	if (rc == 0 && base && strcmp(base, path) != 0)
		rc = slurp(base, &old, err) < 0 ? -1 : 0;
	if (rc < 0 || make_dirs(path, err) < 0) {
		strbuf_done(&old);
		escape_errbuf(err);
		return -1;
	}
	text = config_set_text(old.buf ? old.buf : "", old.len, keys, values, n);
	strbuf_done(&old);
	rc = atomic_file_write(path, text, strlen(text), err);
	free(text);
	if (rc < 0)
		escape_errbuf(err);
	return rc < 0 ? -1 : 0;
}
