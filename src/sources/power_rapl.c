#include "glass/source_power.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "glass/escape.h"
#include "glass/source_host.h"
#include "glass/strbuf.h"
#include "glass/value.h"
#include "glass/xalloc.h"

struct rapl_zone {
	char *dir;        /* e.g. <root>/intel-rapl:0 */
	uint64_t max_uj;  /* max_energy_range_uj: where energy_uj wraps; unknown: never */
};

struct rapl_priv {
	char *id;
	char *hostname;
	struct rapl_zone zones[RAW_ENERGY_MAX];
	size_t n_zones;
};

/* A zone directory: intel-rapl:N[:M] or amd-rapl:N[:M] (the bare
 * "intel-rapl" is the control type, not a zone). */
static bool zone_name(const char *name)
{
	return strncmp(name, "intel-rapl:", 11) == 0 || strncmp(name, "amd-rapl:", 9) == 0;
}

/* The first line of dir/file, without its newline; NULL with errno. */
static char *read_line(const char *dir, const char *file)
{
	char *path = xasprintf("%s/%s", dir, file);
	FILE *f = fopen(path, "re");
	char buf[128];
	char *line = NULL;

	free(path);
	if (!f)
		return NULL;
	if (fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		line = xstrdup(buf);
	} else {
		errno = EIO;
	}
	fclose(f);
	return line;
}

static uint64_t read_u64(const char *dir, const char *file, int *err)
{
	char *line = read_line(dir, file);
	char *end;
	unsigned long long v;

	if (!line) {
		*err = errno ? errno : EIO;
		return GLASS_U64_UNKNOWN;
	}
	errno = 0;
	v = strtoull(line, &end, 10);
	bool ok = end != line && *end == '\0' && errno == 0 && line[0] != '-';
	free(line);
	if (!ok) {
		*err = EINVAL;
		return GLASS_U64_UNKNOWN;
	}
	return (uint64_t)v;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Which zones to count: psys (the whole platform) where it exists, else
 * every package and every dram.  core and uncore are inside a package. */
static size_t pick_zones(const char *root, char **names, size_t n, char **picked)
{
	size_t k = 0;

	for (int pass = 0; pass < 2 && k == 0; pass++) {
		for (size_t i = 0; i < n && k < RAW_ENERGY_MAX; i++) {
			char *dir = xasprintf("%s/%s", root, names[i]);
			char *zname = read_line(dir, "name");
			bool take = zname && (pass == 0 ? strcmp(zname, "psys") == 0
							: (strncmp(zname, "package", 7) == 0 ||
							   strcmp(zname, "dram") == 0));
			free(zname);
			if (take)
				picked[k++] = dir;
			else
				free(dir);
		}
	}
	return k;
}

static int rapl_open(struct source *src, struct errbuf *err)
{
	(void)src;
	(void)err;
	return 0;
}

static int rapl_sample(struct source *src, struct reading *out, struct errbuf *err)
{
	struct rapl_priv *p = src->priv;
	struct raw_node *n = reading_add_node(out, NODE_HOST, p->id, NULL, p->hostname);
	struct raw_energy *en = p->n_zones ? raw_node_energy(n) : NULL;

	for (size_t i = 0; i < p->n_zones; i++) {
		int e = 0;
		uint64_t uj = read_u64(p->zones[i].dir, "energy_uj", &e);
		if (!value_u64_known(uj))
			return errbuf_set(err, "%s/energy_uj: %s", p->zones[i].dir, strerror(e));
		en->uj[i] = uj;
		en->max_uj[i] = p->zones[i].max_uj;
	}
	if (en)
		en->n = p->n_zones;
	n->power_source = "rapl";
	return 0;
}

static void rapl_close(struct source *src)
{
	(void)src;
}

static void rapl_free(struct source *src)
{
	struct rapl_priv *p = src->priv;

	for (size_t i = 0; i < p->n_zones; i++)
		free(p->zones[i].dir);
	free(p->id);
	free(p->hostname);
	free(p);
}

static const struct source_ops rapl_ops = {
	.kind = "rapl",
	.open = rapl_open,
	.sample = rapl_sample,
	.close = rapl_close,
	.free = rapl_free,
};

static void say_unreadable(FILE *notice, const char *dir, int e)
{
	struct strbuf sb;

	if (!notice)
		return;
	strbuf_init(&sb);
	escape_terminal(&sb, dir);
	fprintf(notice, "glass: %s/energy_uj: %s%s: the host's watts come from the power model\n",
		sb.buf ? sb.buf : "", strerror(e),
		e == EACCES || e == EPERM ? " (RAPL counters are readable by root only)" : "");
	strbuf_done(&sb);
}

struct source *source_rapl_new(const char *root, bool must_exist, FILE *notice,
			       struct errbuf *err)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n_names = 0;
	char *picked[RAW_ENERGY_MAX];
	size_t n_picked;

	if (!root)
		root = POWER_RAPL_DEFAULT_ROOT;
	d = opendir(root);
	if (!d) {
		if (must_exist)
			errbuf_set(err, "--powercap-root %s: %s", root, strerror(errno));
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		if (!zone_name(de->d_name))
			continue;
		names = xreallocarray(names, n_names + 1, sizeof(*names));
		names[n_names++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n_names > 1)
		qsort(names, n_names, sizeof(*names), cmp_str);
	n_picked = pick_zones(root, names, n_names, picked);
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	if (n_picked == 0) {
		if (must_exist)
			errbuf_set(err, "--powercap-root %s: no RAPL package, dram or psys zone", root);
		return NULL;
	}

	struct rapl_priv *p = xcalloc(1, sizeof(*p));
	bool readable = true;
	for (size_t i = 0; i < n_picked; i++) {
		int e = 0;
		p->zones[i].dir = picked[i];
		/* a counter that is not readable now will not be later: all
		 * or nothing, a partial sum would read as a measurement */
		if (readable && !value_u64_known(read_u64(picked[i], "energy_uj", &e))) {
			say_unreadable(notice, picked[i], e);
			readable = false;
		}
		e = 0;
		p->zones[i].max_uj = read_u64(picked[i], "max_energy_range_uj", &e);
	}
	p->n_zones = n_picked;
	if (!readable) {
		struct source tmp = {.priv = p};
		rapl_free(&tmp);
		return NULL;
	}
	struct source *src = xcalloc(1, sizeof(*src));
	p->id = source_host_local_id();
	p->hostname = xstrdup(p->id + strlen("host:"));
	src->ops = &rapl_ops;
	src->name = xasprintf("rapl:%s", root);
	src->priv = p;
	return src;
}
