#include "glass/cpustat.h"

#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/xalloc.h"

#define STAT_MAX (1 << 20)

void cpustat_done(struct cpustat *s)
{
	free(s->cpu);
	free(s->online);
	memset(s, 0, sizeof(*s));
}

static bool parse_times(const char *p, struct cpustat_times *t)
{
	memset(t, 0, sizeof(*t));
	for (int i = 0; i < CPUSTAT_NFIELDS; i++) {
		char *end;
		while (*p == ' ')
			p++;
		if (!isdigit((unsigned char)*p))
			return i >= CPUSTAT_IOWAIT; /* old kernels: fewer fields */
		t->t[i] = strtoull(p, &end, 10);
		p = end;
	}
	return true;
}

bool cpustat_parse(const char *text, struct cpustat *out)
{
	bool got_all = false;
	const char *line = text;

	memset(out, 0, sizeof(*out));
	while (line && *line) {
		const char *nl = strchr(line, '\n');

		if (strncmp(line, "cpu ", 4) == 0) {
			got_all = parse_times(line + 4, &out->all);
		} else if (strncmp(line, "cpu", 3) == 0 && isdigit((unsigned char)line[3])) {
			char *end;
			unsigned long n = strtoul(line + 3, &end, 10);
			struct cpustat_times t;

			if (n < CPUSTAT_MAX && *end == ' ' && parse_times(end, &t)) {
				if (n >= out->n_cpu) {
					out->cpu = xrealloc(out->cpu, (n + 1) * sizeof(*out->cpu));
					out->online = xrealloc(out->online, (n + 1) * sizeof(*out->online));
					for (size_t i = out->n_cpu; i <= n; i++)
						out->online[i] = false;
					out->n_cpu = n + 1;
				}
				out->cpu[n] = t;
				out->online[n] = true;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	if (!got_all)
		cpustat_done(out);
	return got_all;
}

bool cpustat_read(const char *path, struct cpustat *out)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;
	bool ok;

	memset(out, 0, sizeof(*out));
	if (!f)
		return false;
	buf = xmalloc(STAT_MAX + 1);
	n = fread(buf, 1, STAT_MAX, f);
	fclose(f);
	buf[n] = '\0';
	ok = cpustat_parse(buf, out);
	free(buf);
	return ok;
}

struct cpustat_pct cpustat_delta(const struct cpustat_times *a, const struct cpustat_times *b)
{
	struct cpustat_pct p = {NAN, NAN, NAN};
	uint64_t d[CPUSTAT_NFIELDS];
	uint64_t total = 0;

	for (int i = 0; i < CPUSTAT_NFIELDS; i++) {
		/* a CPU that went offline and back restarts its counters */
		d[i] = b->t[i] >= a->t[i] ? b->t[i] - a->t[i] : 0;
		total += d[i];
	}
	if (total == 0)
		return p;
	p.busy = 100.0 * (double)(total - d[CPUSTAT_IDLE] - d[CPUSTAT_IOWAIT]) / (double)total;
	p.iowait = 100.0 * (double)d[CPUSTAT_IOWAIT] / (double)total;
	p.steal = 100.0 * (double)d[CPUSTAT_STEAL] / (double)total;
	return p;
}

static double meminfo_kb(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	if (!p)
		return NAN;
	p += strlen(key);
	while (*p == ' ' || *p == ':')
		p++;
	return isdigit((unsigned char)*p) ? strtod(p, NULL) * 1024.0 : NAN;
}

static int numa_cmp(const void *a, const void *b)
{
	return ((const struct numa_node *)a)->id - ((const struct numa_node *)b)->id;
}

size_t numa_read(const char *dir, struct numa_node *out, size_t max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL && n < max) {
		char path[512], buf[4096];
		struct numa_node *m = &out[n];
		FILE *f;
		size_t got;

		if (strncmp(e->d_name, "node", 4) != 0 || !isdigit((unsigned char)e->d_name[4]))
			continue;
		memset(m, 0, sizeof(*m));
		m->id = atoi(e->d_name + 4);
		m->mem_total = m->mem_free = NAN;
		snprintf(path, sizeof(path), "%s/%s/cpulist", dir, e->d_name);
		if ((f = fopen(path, "re"))) {
			if (fgets(m->cpulist, sizeof(m->cpulist), f))
				m->cpulist[strcspn(m->cpulist, "\n")] = '\0';
			fclose(f);
		}
		snprintf(path, sizeof(path), "%s/%s/meminfo", dir, e->d_name);
		if ((f = fopen(path, "re"))) {
			got = fread(buf, 1, sizeof(buf) - 1, f);
			buf[got] = '\0';
			fclose(f);
			m->mem_total = meminfo_kb(buf, "MemTotal");
			m->mem_free = meminfo_kb(buf, "MemFree");
		}
		n++;
	}
	closedir(d);
	qsort(out, n, sizeof(*out), numa_cmp);
	return n;
}
