#include "glass/procs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glass/clock.h"
#include "glass/idmap.h"
#include "glass/xalloc.h"

#define CMD_MAX 512
#define CGROUP_DEPTH_MAX 32

/* The CPU time a process had at the last sample that saw it. */
struct prev {
	uint64_t ticks;
	uint64_t mono_ns;
	uint64_t seen_ns; /* the last sample that saw it */
};

struct procs {
	char *root;
	struct idmap *prev; /* "pid/starttime" -> struct prev */
	uint64_t swept_ns;
	long hz;
	long page;
};

struct procs *procs_new(const char *proc_root)
{
	struct procs *p = xcalloc(1, sizeof(*p));

	p->root = xstrdup(proc_root ? proc_root : "/proc");
	p->prev = idmap_new();
	p->hz = sysconf(_SC_CLK_TCK);
	p->page = sysconf(_SC_PAGESIZE);
	if (p->hz <= 0)
		p->hz = 100;
	if (p->page <= 0)
		p->page = 4096;
	return p;
}

void procs_free(struct procs *p)
{
	if (!p)
		return;
	idmap_free(p->prev, free);
	free(p->root);
	free(p);
}

void proc_list_done(struct proc_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].command);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

struct proc_list *proc_list_dup(const struct proc_list *l)
{
	struct proc_list *d;

	if (!l)
		return NULL;
	d = xcalloc(1, sizeof(*d));
	*d = *l;
	d->v = xcalloc(l->n ? l->n : 1, sizeof(*d->v));
	for (size_t i = 0; i < l->n; i++) {
		d->v[i] = l->v[i];
		d->v[i].command = xstrdup(l->v[i].command ? l->v[i].command : "");
	}
	return d;
}

void proc_list_free(struct proc_list *l)
{
	if (!l)
		return;
	proc_list_done(l);
	free(l);
}

/* A small file whole (a /proc file's size is 0 in stat): its length, or
 * -1.  NUL-terminated. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return -1;
	while (got + 1 < len) {
		ssize_t n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	return (ssize_t)got;
}

bool procs_parse_stat(const char *line, char *state, uint64_t *cpu_ticks, uint64_t *start,
		      uint64_t *rss_pages, char *comm, size_t comm_len)
{
	/* The name may hold spaces and ')': it ends at the last ')'. */
	const char *open = strchr(line, '(');
	const char *close = strrchr(line, ')');
	unsigned long long f[24];
	const char *s;
	char st;
	int field;

	if (!open || !close || close < open || close[1] != ' ')
		return false;
	if (comm && comm_len) {
		size_t n = (size_t)(close - open - 1);
		if (n >= comm_len)
			n = comm_len - 1;
		memcpy(comm, open + 1, n);
		comm[n] = '\0';
	}
	s = close + 2;
	if (!*s || s[1] != ' ')
		return false;
	st = *s;
	s += 2;
	/* fields 4.. (ppid on); field 14 utime, 15 stime, 22 starttime, 24 rss */
	for (field = 4; field <= 24; field++) {
		char *end;
		errno = 0;
		if (*s == '-')
			s++; /* a negative field (priority, nice): its size is what counts */
		f[field - 4] = strtoull(s, &end, 10);
		if (end == s || errno)
			return false;
		s = end;
		while (*s == ' ')
			s++;
	}
	*state = st;
	*cpu_ticks = f[14 - 4] + f[15 - 4];
	*start = f[22 - 4];
	*rss_pages = f[24 - 4];
	return true;
}

/* ----------------------------------------------------------- listing */

struct pids {
	int *v;
	size_t n, cap;
	bool capped;
};

static void pids_add(struct pids *l, int pid)
{
	if (l->n >= PROCS_READ_MAX) {
		l->capped = true;
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = pid;
}

static int parse_pid(const char *s)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0 || v > 0x7fffffff)
		return -1;
	return (int)v;
}

/* The numeric entries of a directory (/proc, /proc/PID/task). */
static int list_numeric(const char *dir, struct pids *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		int pid = parse_pid(e->d_name);
		if (pid > 0)
			pids_add(out, pid);
	}
	closedir(d);
	return 0;
}

/* cgroup.procs of dir and of every cgroup below it: a pod's or a
 * slice's processes sit in its leaves. */
static void list_cgroup(const char *dir, int depth, struct pids *out)
{
	char *path = xasprintf("%s/cgroup.procs", dir);
	FILE *f = fopen(path, "re");
	char line[32];
	DIR *d;
	struct dirent *e;

	free(path);
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = '\0';
			int pid = parse_pid(line);
			if (pid > 0)
				pids_add(out, pid);
		}
		fclose(f);
	}
	if (depth >= CGROUP_DEPTH_MAX || out->capped || !(d = opendir(dir)))
		return;
	while ((e = readdir(d)) != NULL && !out->capped) {
		struct stat st;
		char *sub;

		if (e->d_name[0] == '.')
			continue;
		sub = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			list_cgroup(sub, depth + 1, out);
		free(sub);
	}
	closedir(d);
}

/* ----------------------------------------------------------- reading */

static void command_of(const char *dir, const char *comm, bool thread, char **out)
{
	char buf[CMD_MAX + 1];
	ssize_t n = -1;

	if (!thread) {
		char *path = xasprintf("%s/cmdline", dir);
		n = read_small(path, buf, sizeof(buf));
		free(path);
	}
	if (n > 0) {
		/* the arguments, NUL-separated, joined by spaces */
		while (n > 0 && buf[n - 1] == '\0')
			n--;
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		buf[n] = '\0';
		*out = xstrdup(buf);
	} else {
		/* a kernel thread, a zombie, or a thread: its comm */
		*out = thread ? xstrdup(comm) : xasprintf("[%s]", comm);
	}
}

static void user_of(uid_t uid, char *out, size_t len)
{
	struct passwd pw, *res = NULL;
	char buf[1024];

	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res && res->pw_name)
		snprintf(out, len, "%s", res->pw_name);
	else
		snprintf(out, len, "%u", (unsigned)uid);
}

struct cand {
	int pid;
	char *dir;
	char comm[64];
	char state;
	double cpu_pct;
	double rss_bytes;
	uid_t uid;
};

/* Reads one pid; false when it is gone (or not a process). */
static bool read_one(struct procs *p, const char *dir, int pid, uint64_t now, struct cand *c)
{
	char buf[1024];
	char *path = xasprintf("%s/stat", dir);
	uint64_t ticks, start, rss;
	struct stat st;
	ssize_t n = read_small(path, buf, sizeof(buf));
	char key[48];
	struct prev *pr;

	free(path);
	if (n <= 0 || stat(dir, &st) < 0)
		return false;
	if (!procs_parse_stat(buf, &c->state, &ticks, &start, &rss, c->comm, sizeof(c->comm)))
		return false;
	c->pid = pid;
	c->uid = st.st_uid;
	c->rss_bytes = (double)rss * (double)p->page;
	c->cpu_pct = NAN;
	snprintf(key, sizeof(key), "%d/%llu", pid, (unsigned long long)start);
	pr = idmap_get(p->prev, key);
	if (pr && now > pr->mono_ns && ticks >= pr->ticks)
		c->cpu_pct = (double)(ticks - pr->ticks) / (double)p->hz /
			     ((double)(now - pr->mono_ns) / (double)NS_PER_S) * 100.0;
	if (!pr) {
		pr = xcalloc(1, sizeof(*pr));
		idmap_put(p->prev, key, pr);
	}
	/* a second look within a few ms (a redraw) keeps the longer base */
	if (!pr->mono_ns || now - pr->mono_ns >= NS_PER_S / 4) {
		pr->ticks = ticks;
		pr->mono_ns = now;
	}
	pr->seen_ns = now;
	return true;
}

static int busier(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	double cx = isnan(x->cpu_pct) ? -1 : x->cpu_pct;
	double cy = isnan(y->cpu_pct) ? -1 : y->cpu_pct;

	if (cx != cy)
		return cx > cy ? -1 : 1;
	if (x->rss_bytes != y->rss_bytes)
		return x->rss_bytes > y->rss_bytes ? -1 : 1;
	return x->pid - y->pid;
}

/* Kept a while after the last sample that saw it: switching nodes and
 * back keeps the rates, and so do the many samples of one snapshot. */
#define PREV_KEEP_NS (30 * NS_PER_S)

static int prev_keep(void *v, void *arg)
{
	return ((struct prev *)v)->seen_ns + PREV_KEEP_NS >= *(uint64_t *)arg;
}

int procs_sample(struct procs *p, enum procs_scope scope, const char *arg, struct proc_list *out,
		 struct errbuf *err)
{
	struct pids pids = {0};
	struct cand *cands;
	size_t nc = 0;
	uint64_t now = clock_mono_ns();
	char *base;

	proc_list_done(out);
	if (scope == PROCS_THREADS) {
		base = xasprintf("%s/%s/task", p->root, arg);
		if (list_numeric(base, &pids) < 0) {
			errbuf_set(err, "process %s: %s", arg, strerror(errno));
			free(base);
			return -1;
		}
	} else if (scope == PROCS_CGROUP) {
		struct stat st;
		if (stat(arg, &st) < 0) {
			errbuf_set(err, "%s: %s", arg, strerror(errno));
			return -1;
		}
		base = xstrdup(p->root);
		list_cgroup(arg, 0, &pids);
	} else {
		base = xstrdup(p->root);
		if (list_numeric(base, &pids) < 0) {
			errbuf_set(err, "%s: %s", base, strerror(errno));
			free(base);
			return -1;
		}
	}
	cands = xcalloc(pids.n ? pids.n : 1, sizeof(*cands));
	for (size_t i = 0; i < pids.n; i++) {
		char *dir = xasprintf("%s/%d", base, pids.v[i]);
		if (read_one(p, dir, pids.v[i], now, &cands[nc]))
			cands[nc++].dir = dir;
		else
			free(dir);
	}
	qsort(cands, nc, sizeof(*cands), busier);
	out->listed = pids.n;
	out->capped = pids.capped;
	out->n = nc < PROCS_TOP ? nc : PROCS_TOP;
	out->v = xcalloc(out->n ? out->n : 1, sizeof(*out->v));
	for (size_t i = 0; i < out->n; i++) {
		struct proc_info *pi = &out->v[i];
		pi->pid = cands[i].pid;
		pi->cpu_pct = cands[i].cpu_pct;
		pi->rss_bytes = cands[i].rss_bytes;
		pi->state = cands[i].state;
		user_of(cands[i].uid, pi->user, sizeof(pi->user));
		command_of(cands[i].dir, cands[i].comm, scope == PROCS_THREADS, &pi->command);
	}
	for (size_t i = 0; i < nc; i++)
		free(cands[i].dir);
	free(cands);
	free(pids.v);
	free(base);
	if (now - p->swept_ns >= NS_PER_S) {
		idmap_sweep(p->prev, prev_keep, &now, free);
		p->swept_ns = now;
	}
	return 0;
}

int procs_busiest_threads(struct procs *p, const char *cgroup_dir)
{
	struct pids pids = {0};
	int best = -1;
	size_t most = 0;

	list_cgroup(cgroup_dir, 0, &pids);
	for (size_t i = 0; i < pids.n; i++) {
		char *task = xasprintf("%s/%d/task", p->root, pids.v[i]);
		struct pids t = {0};
		if (list_numeric(task, &t) == 0 && t.n > most) {
			most = t.n;
			best = pids.v[i];
		}
		free(t.v);
		free(task);
	}
	free(pids.v);
	return best;
}
