/* cgroup.c: the cgroup source (see source_cgroup.h).
 *
 * Each sample walks the hierarchies (one on v2; cpu, cpuacct, memory,
 * blkio, pids and unified/ on v1 and hybrid, joined by path), classifies
 * every cgroup by its path (cgroup_runtime.h) as it is found, and reads
 * the control files of those it shows with the pure parsers of
 * cgroup_parse.h.  A container's subtree is folded into it (its counters
 * are hierarchical), so it is not even walked.
 *
 * Files are opened relative to directory fds taken at open, read with one
 * read() into a stack buffer and closed: no stdio, no allocation per file.
 * A cgroup that vanishes mid-sample fails its reads with ENOENT/ENODEV:
 * it is left out quietly and its node goes away. */
#include "glass/source_cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glass/cgroup_layout.h"
#include "glass/cgroup_names.h"
#include "glass/cgroup_parse.h"
#include "glass/cgroup_runtime.h"
#include "glass/idmap.h"
#include "glass/source_host.h"
#include "glass/xalloc.h"

/* Big enough for a v1 memory.stat and io.stat of dozens of disks; a
 * longer file is cut and the parsers drop its cut last line. */
#define READ_BUF 32768

struct cg_entry {
	char *path; /* relative to each hierarchy's root, no leading '/' */
	unsigned mask; /* hierarchies (1 << enum cgroup_ctrl) that have it */
	int parent;    /* index into entries, -1 at the top */
	struct cgroup_runtime_match match;
	bool in_kubepods;
	bool emitted;
	int emitted_anc; /* nearest emitted ancestor (or itself), -1: the host */
};

struct cg_priv {
	char *root;
	char *mountinfo;
	char *host_id;
	char *hostname;
	struct cgroup_names *names;
	struct cgroup_layout layout;
	bool opened;
	int fd[CG_NCTRL];       /* -1 when absent */
	unsigned share[CG_NCTRL]; /* hierarchies that are the same directory */
	bool walk[CG_NCTRL];    /* the first of each shared group: walked */
	/* per sample */
	struct cg_entry *entries;
	size_t n_entries, cap_entries;
	struct idmap *by_path; /* path -> index + 1 */
};

static int open_dir_at(int dirfd, const char *path)
{
	return openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY);
}

/* Reads a whole control file; false when it cannot be read (absent,
 * vanished, not permitted).  Read-only by construction: O_RDONLY. */
static bool read_file(int dirfd, const char *dir, const char *file, char *buf, size_t cap,
		      size_t *len)
{
	char path[PATH_MAX];
	size_t dl = strlen(dir), fl = strlen(file);
	int fd;

	if (dirfd < 0 || dl + fl + 2 > sizeof(path))
		return false;
	memcpy(path, dir, dl);
	path[dl] = '/';
	memcpy(path + dl + 1, file, fl + 1);
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return false;
	*len = 0;
	while (*len < cap) {
		ssize_t r = read(fd, buf + *len, cap - *len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			return false;
		}
		if (r == 0)
			break;
		*len += (size_t)r;
	}
	close(fd);
	return true;
}

/* ---------------------------------------------------------------- walk */

static int entry_find(struct cg_priv *p, const char *path)
{
	void *v = idmap_get(p->by_path, path);

	return v ? (int)((uintptr_t)v - 1) : -1;
}

static int entry_add(struct cg_priv *p, char *path, int parent, const char *component)
{
	struct cg_entry *e;
	const struct cg_entry *pe = parent >= 0 ? &p->entries[parent] : NULL;
	struct cgroup_runtime_ctx ctx = {
		.parent = "",
		.in_kubepods = false,
		.parent_is_pod = false,
	};

	if (pe) {
		const char *slash = strrchr(pe->path, '/');
		ctx.parent = slash ? slash + 1 : pe->path;
		ctx.in_kubepods = pe->in_kubepods;
		ctx.parent_is_pod = pe->match.role == CGROUP_ROLE_POD;
	}
	if (p->n_entries == p->cap_entries) {
		p->cap_entries = p->cap_entries ? 2 * p->cap_entries : 256;
		p->entries = xreallocarray(p->entries, p->cap_entries, sizeof(*p->entries));
	}
	e = &p->entries[p->n_entries];
	memset(e, 0, sizeof(*e));
	e->path = path;
	e->parent = parent;
	e->emitted_anc = -1;
	cgroup_runtime_classify(&ctx, component, &e->match);
	e->in_kubepods = ctx.in_kubepods || cgroup_runtime_is_kubepods(component);
	idmap_put(p->by_path, path, (void *)(uintptr_t)(p->n_entries + 1));
	return (int)p->n_entries++;
}

static bool is_subdir(int dfd, const struct dirent *de)
{
	struct stat st;

	if (de->d_type == DT_DIR)
		return true;
	if (de->d_type != DT_UNKNOWN)
		return false;
	return fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

/* Walks hierarchy h below `dir` (the entry `parent`, or the root when -1).
 * A directory that vanished while walking is simply not there. */
static void walk(struct cg_priv *p, int h, const char *dir, int parent)
{
	int dfd = open_dir_at(p->fd[h], dir[0] ? dir : ".");
	DIR *d;
	struct dirent *de;

	if (dfd < 0)
		return;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !is_subdir(dfd, de))
			continue;
		char *path = dir[0] ? xasprintf("%s/%s", dir, de->d_name) : xstrdup(de->d_name);
		int i = entry_find(p, path);
		if (i < 0) {
			i = entry_add(p, path, parent, de->d_name);
		} else {
			free(path);
		}
		p->entries[i].mask |= p->share[h];
		/* A runtime's helper is not shown; a container's subtree is
		 * folded into it: neither needs walking. */
		if (p->entries[i].match.role == CGROUP_ROLE_PLAIN ||
		    p->entries[i].match.role == CGROUP_ROLE_POD)
			walk(p, h, p->entries[i].path, i);
	}
	closedir(d);
}

static void entries_clear(struct cg_priv *p)
{
	for (size_t i = 0; i < p->n_entries; i++) {
		free(p->entries[i].path);
		cgroup_runtime_match_done(&p->entries[i].match);
	}
	p->n_entries = 0;
	idmap_free(p->by_path, NULL);
	p->by_path = NULL;
}

/* ---------------------------------------------------------------- read */

static bool has(const struct cg_entry *e, enum cgroup_ctrl c)
{
	return (e->mask >> c) & 1u;
}

/* A plain cgroup is shown only when processes live in it. */
static bool has_procs(const struct cg_priv *p, const struct cg_entry *e)
{
	char buf[64];
	size_t len;

	for (int h = 0; h < CG_NCTRL; h++)
		if (p->walk[h] && has(e, (enum cgroup_ctrl)h) &&
		    read_file(p->fd[h], e->path, "cgroup.procs", buf, sizeof(buf), &len) && len > 0)
			return true;
	return false;
}

static void read_pressure(const struct cg_priv *p, const struct cg_entry *e, struct raw_node *n,
			  char *buf, unsigned *got)
{
	static const char *const files[3] = {
		[PSI_CPU] = "cpu.pressure", [PSI_MEMORY] = "memory.pressure", [PSI_IO] = "io.pressure"};
	size_t len;

	if (!has(e, CG_UNIFIED))
		return;
	for (int i = 0; i < 3; i++) {
		struct cgroup_parse_pressure pr;
		if (!read_file(p->fd[CG_UNIFIED], e->path, files[i], buf, READ_BUF, &len))
			continue;
		(*got)++;
		cgroup_parse_pressure(buf, len, &pr);
		n->psi_some[i] = pr.some.avg10;
		n->psi_full[i] = pr.full.avg10;
	}
}

static uint64_t usec_to_ns(uint64_t usec)
{
	if (!value_u64_known(usec) || usec > UINT64_MAX / 1000)
		return GLASS_U64_UNKNOWN;
	return usec * 1000;
}

/* Returns how many files could be read: 0 means the cgroup is gone. */
static unsigned read_v2(const struct cg_priv *p, const struct cg_entry *e, struct raw_node *n,
			char *buf)
{
	int fd = p->fd[CG_UNIFIED];
	const char *dir = e->path;
	unsigned got = 0;
	size_t len;

	if (read_file(fd, dir, "cpu.stat", buf, READ_BUF, &len)) {
		struct cgroup_parse_cpu_stat st;
		cgroup_parse_cpu_stat(buf, len, &st);
		n->cpu_time_ns = usec_to_ns(st.usage_usec);
		got++;
	}
	if (read_file(fd, dir, "cpu.max", buf, READ_BUF, &len)) {
		struct cgroup_parse_cpu_max max;
		cgroup_parse_cpu_max(buf, len, &max);
		n->cpu_cores_allocated = cgroup_parse_cpu_max_cores(&max);
		got++;
	}
	if (read_file(fd, dir, "memory.current", buf, READ_BUF, &len)) {
		uint64_t current = cgroup_parse_u64(buf, len);
		struct cgroup_parse_memory_stat ms;
		bool have_stat = read_file(fd, dir, "memory.stat", buf, READ_BUF, &len);
		if (have_stat)
			cgroup_parse_memory_stat(buf, len, &ms);
		n->mem_used = cgroup_parse_working_set(current, have_stat ? &ms : NULL, false);
		n->mem_source = "cgroup";
		got++;
	}
	if (read_file(fd, dir, "memory.max", buf, READ_BUF, &len)) {
		n->mem_allocated = cgroup_parse_u64_or_max(buf, len);
		got++;
	}
	if (read_file(fd, dir, "io.stat", buf, READ_BUF, &len)) {
		struct cgroup_parse_io_stat io;
		cgroup_parse_io_stat(buf, len, &io);
		n->disk_read_bytes = io.rbytes;
		n->disk_write_bytes = io.wbytes;
		got++;
	}
	if (read_file(fd, dir, "pids.current", buf, READ_BUF, &len)) {
		n->pids_current = cgroup_parse_u64(buf, len);
		got++;
	}
	if (read_file(fd, dir, "pids.max", buf, READ_BUF, &len)) {
		n->pids_max = cgroup_parse_u64_or_max(buf, len);
		got++;
	}
	read_pressure(p, e, n, buf, &got);
	return got;
}

static unsigned read_v1(const struct cg_priv *p, const struct cg_entry *e, struct raw_node *n,
			char *buf)
{
	const char *dir = e->path;
	unsigned got = 0;
	size_t len;

	if (has(e, CG_CPU)) {
		uint64_t quota = GLASS_U64_UNKNOWN, period = GLASS_U64_UNKNOWN;
		if (read_file(p->fd[CG_CPU], dir, "cpu.cfs_quota_us", buf, READ_BUF, &len)) {
			quota = cgroup_parse_v1_cfs_quota(buf, len);
			got++;
		}
		if (value_u64_known(quota) &&
		    read_file(p->fd[CG_CPU], dir, "cpu.cfs_period_us", buf, READ_BUF, &len))
			period = cgroup_parse_u64(buf, len);
		n->cpu_cores_allocated = cgroup_parse_cores(quota, period);
	}
	if (has(e, CG_CPUACCT) &&
	    read_file(p->fd[CG_CPUACCT], dir, "cpuacct.usage", buf, READ_BUF, &len)) {
		n->cpu_time_ns = cgroup_parse_u64(buf, len);
		got++;
	}
	if (has(e, CG_MEMORY)) {
		int fd = p->fd[CG_MEMORY];
		if (read_file(fd, dir, "memory.usage_in_bytes", buf, READ_BUF, &len)) {
			uint64_t usage = cgroup_parse_u64(buf, len);
			struct cgroup_parse_memory_stat ms;
			bool have_stat = read_file(fd, dir, "memory.stat", buf, READ_BUF, &len);
			if (have_stat)
				cgroup_parse_memory_stat(buf, len, &ms);
			n->mem_used = cgroup_parse_working_set(usage, have_stat ? &ms : NULL, true);
			n->mem_source = "cgroup";
			got++;
		}
		if (read_file(fd, dir, "memory.limit_in_bytes", buf, READ_BUF, &len)) {
			n->mem_allocated = cgroup_parse_v1_mem_limit(buf, len);
			got++;
		}
	}
	if (has(e, CG_BLKIO)) {
		/* The _recursive file counts the subtree, as every other
		 * counter here does; old kernels only have the flat one. */
		if (read_file(p->fd[CG_BLKIO], dir, "blkio.throttle.io_service_bytes_recursive", buf,
			      READ_BUF, &len) ||
		    read_file(p->fd[CG_BLKIO], dir, "blkio.throttle.io_service_bytes", buf, READ_BUF,
			      &len)) {
			struct cgroup_parse_blkio b;
			cgroup_parse_v1_blkio(buf, len, &b);
			n->disk_read_bytes = b.read;
			n->disk_write_bytes = b.write;
			got++;
		}
	}
	if (has(e, CG_PIDS)) {
		if (read_file(p->fd[CG_PIDS], dir, "pids.current", buf, READ_BUF, &len)) {
			n->pids_current = cgroup_parse_u64(buf, len);
			got++;
		}
		if (read_file(p->fd[CG_PIDS], dir, "pids.max", buf, READ_BUF, &len))
			n->pids_max = cgroup_parse_u64_or_max(buf, len);
	}
	read_pressure(p, e, n, buf, &got);
	return got;
}

static const char *display_name(struct cg_priv *p, const struct cg_entry *e)
{
	const char *name = NULL;

	if (e->match.role == CGROUP_ROLE_POD)
		name = cgroup_names_pod(p->names, e->match.key);
	else if (e->match.role == CGROUP_ROLE_CONTAINER)
		name = cgroup_names_container(p->names, e->match.runtime, e->match.key);
	return name ? name : e->match.name;
}

/* The fields a cgroup fills, all unknown: filled on the stack first so
 * that a cgroup gone mid-read never becomes a node. */
static void values_init(struct raw_node *v)
{
	memset(v, 0, sizeof(*v));
	v->cpu_cores_allocated = GLASS_UNKNOWN;
	v->cpu_time_ns = v->mem_allocated = v->mem_used = GLASS_U64_UNKNOWN;
	v->disk_read_bytes = v->disk_write_bytes = GLASS_U64_UNKNOWN;
	v->pids_current = v->pids_max = GLASS_U64_UNKNOWN;
	for (int i = 0; i < 3; i++)
		v->psi_some[i] = v->psi_full[i] = GLASS_UNKNOWN;
}

static void emit(struct cg_priv *p, struct cg_entry *e, struct reading *out, char *buf)
{
	struct raw_node v;
	struct raw_node *n;
	unsigned got;

	values_init(&v);
	got = p->layout.kind == CGROUP_LAYOUT_V2 ? read_v2(p, e, &v, buf) : read_v1(p, e, &v, buf);
	if (got == 0)
		return; /* gone between the walk and the reads */

	char *id = xasprintf("ct:%s/%s", p->hostname, e->path);
	char *parent_id = NULL;
	if (e->parent >= 0 && p->entries[e->parent].emitted_anc >= 0)
		parent_id = xasprintf("ct:%s/%s", p->hostname,
				      p->entries[p->entries[e->parent].emitted_anc].path);
	n = reading_add_node(out, e->match.role == CGROUP_ROLE_POD ? NODE_GROUP : NODE_CONTAINER, id,
			     parent_id ? parent_id : p->host_id, display_name(p, e));
	raw_node_set_runtime(n, e->match.runtime);
	n->cpu_cores_allocated = v.cpu_cores_allocated;
	n->cpu_time_ns = v.cpu_time_ns;
	n->mem_allocated = v.mem_allocated;
	n->mem_used = v.mem_used;
	n->mem_source = v.mem_source;
	n->disk_read_bytes = v.disk_read_bytes;
	n->disk_write_bytes = v.disk_write_bytes;
	n->pids_current = v.pids_current;
	n->pids_max = v.pids_max;
	memcpy(n->psi_some, v.psi_some, sizeof(n->psi_some));
	memcpy(n->psi_full, v.psi_full, sizeof(n->psi_full));
	free(id);
	free(parent_id);
	e->emitted = true;
}

static int cgroup_sample(struct source *src, struct reading *out, struct errbuf *err)
{
	struct cg_priv *p = src->priv;
	char *buf = xmalloc(READ_BUF);
	struct stat st;

	/* The root itself gone (a tree removed under its open fd: no links
	 * left) is a failure: the poller reopens it with backoff. */
	for (int h = 0; h < CG_NCTRL; h++) {
		if (p->walk[h] && (fstat(p->fd[h], &st) < 0 || st.st_nlink == 0)) {
			free(buf);
			return errbuf_set(err, "%s: %s", p->layout.dirs[h], strerror(ENOENT));
		}
	}
	reading_add_node(out, NODE_HOST, p->host_id, NULL, p->hostname);
	cgroup_names_begin(p->names);
	p->by_path = idmap_new();
	for (int h = 0; h < CG_NCTRL; h++)
		if (p->walk[h])
			walk(p, h, "", -1);
	/* Parents come before their children in entries: each hierarchy is
	 * walked top-down and a path is added where it is first seen. */
	for (size_t i = 0; i < p->n_entries; i++) {
		struct cg_entry *e = &p->entries[i];
		bool show = e->match.role == CGROUP_ROLE_CONTAINER || e->match.role == CGROUP_ROLE_POD ||
			    (e->match.role == CGROUP_ROLE_PLAIN && has_procs(p, e));
		if (show)
			emit(p, e, out, buf);
		if (e->emitted)
			e->emitted_anc = (int)i;
		else if (e->parent >= 0)
			e->emitted_anc = p->entries[e->parent].emitted_anc;
	}
	entries_clear(p);
	cgroup_names_end(p->names);
	free(buf);
	return 0;
}

/* ---------------------------------------------------------------- life */

static void close_fds(struct cg_priv *p)
{
	for (int h = 0; h < CG_NCTRL; h++) {
		if (p->fd[h] >= 0)
			close(p->fd[h]);
		p->fd[h] = -1;
		p->walk[h] = false;
		p->share[h] = 0;
	}
}

static int cgroup_open(struct source *src, struct errbuf *err)
{
	struct cg_priv *p = src->priv;
	struct stat st[CG_NCTRL];

	if (cgroup_layout_detect(p->root, p->mountinfo, &p->layout, err) < 0)
		return -1;
	p->opened = true;
	for (int h = 0; h < CG_NCTRL; h++) {
		if (!p->layout.dirs[h])
			continue;
		p->fd[h] = open_dir_at(AT_FDCWD, p->layout.dirs[h]);
		if (p->fd[h] < 0 || fstat(p->fd[h], &st[h]) < 0) {
			int e = errno;
			close_fds(p);
			return errbuf_set(err, "%s: %s", p->layout.dirs[h], strerror(e));
		}
	}
	/* cpu and cpuacct often share one mount ("cpu,cpuacct"): walk it once
	 * and let its paths count for both. */
	for (int h = 0; h < CG_NCTRL; h++) {
		if (p->fd[h] < 0)
			continue;
		p->share[h] = 1u << h;
		p->walk[h] = true;
		for (int g = 0; g < h; g++) {
			if (p->fd[g] >= 0 && st[g].st_dev == st[h].st_dev && st[g].st_ino == st[h].st_ino) {
				p->walk[h] = false;
				p->share[g] |= 1u << h;
				break;
			}
		}
	}
	return 0;
}

static void cgroup_close(struct source *src)
{
	struct cg_priv *p = src->priv;

	close_fds(p);
	if (p->opened)
		cgroup_layout_done(&p->layout);
	p->opened = false;
}

static void cgroup_free(struct source *src)
{
	struct cg_priv *p = src->priv;

	free(p->root);
	free(p->mountinfo);
	free(p->host_id);
	cgroup_names_free(p->names);
	free(p->entries);
	free(p);
}

static const struct source_ops cgroup_ops = {
	.kind = "cgroup",
	.open = cgroup_open,
	.sample = cgroup_sample,
	.close = cgroup_close,
	.free = cgroup_free,
};

struct source *source_cgroup_new(const struct source_cgroup_config *cfg)
{
	struct source *src = xcalloc(1, sizeof(*src));
	struct cg_priv *p = xcalloc(1, sizeof(*p));
	struct cgroup_names_config nc = {
		.docker_root = cfg ? cfg->docker_root : NULL,
		.podman_root = cfg ? cfg->podman_root : NULL,
		.k8s_log_dir = cfg ? cfg->k8s_log_dir : NULL,
	};

	p->root = xstrdup(cfg && cfg->root ? cfg->root : SOURCE_CGROUP_DEFAULT_ROOT);
	p->mountinfo = xstrdup(cfg && cfg->mountinfo ? cfg->mountinfo : "/proc/self/mountinfo");
	p->host_id = source_host_local_id();
	p->hostname = p->host_id + strlen("host:");
	p->names = cgroup_names_new(&nc);
	for (int h = 0; h < CG_NCTRL; h++)
		p->fd[h] = -1;
	src->ops = &cgroup_ops;
	src->name = xasprintf("cgroup:%s", p->root);
	src->priv = p;
	return src;
}
