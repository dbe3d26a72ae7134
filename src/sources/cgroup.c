/* cgroup.c: the cgroup source (see source_cgroup.h).
 *
 * Each sample walks the hierarchies (one on v2; cpu, cpuacct, memory,
 * blkio, pids and unified/ on v1 and hybrid, joined by path), classifies
 * every cgroup by its path (cgroup_runtime.h) as it is found, and reads
 * the control files of those it shows with the pure parsers of
 * cgroup_parse.h.  A container's subtree is folded into it (its counters
 * are hierarchical), so it is not even walked.
 *
 * Cost per cgroup is what matters with thousands of them (the benchmark,
 * tests/bench/), so:
 *  - control files stay open between samples and are re-read with
 *    pread(fd, 0), which regenerates a cgroup file's contents: no
 *    open/close per file per tick (within an fd budget; beyond it a file
 *    is opened, read and closed as usual);
 *  - a directory with a link count of 2 has no subdirectories (cgroupfs,
 *    ext4 and tmpfs count them), so leaves are never opened for walking;
 *  - a leaf's processes are its pids.current, read anyway; cgroup.procs is
 *    read only for a plain cgroup with children;
 *  - what seldom changes (a cgroup's limits and cpuset, and whether a leaf
 *    has grown subdirectories) is looked at again once it is RECHECK_NS
 *    (1.5 s) old, not at every tick: at the default 2 s interval that is
 *    every sample, and a faster one spends its syscalls on the counters.
 * A cgroup that vanishes mid-sample fails its reads (ENOENT, ENODEV): it
 * is left out quietly and its node goes away.  Every open is O_RDONLY. */
#include "glass/source_cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glass/cgroup_layout.h"
#include "glass/cgroup_names.h"
#include "glass/cgroup_parse.h"
#include "glass/cgroup_runtime.h"
#include "glass/clock.h"
#include "glass/idmap.h"
#include "glass/source_host.h"
#include "glass/xalloc.h"

/* Big enough for a v1 memory.stat and io.stat of dozens of disks; a
 * longer file is cut and the parsers drop its cut last line. */
#define READ_BUF 32768
/* fds kept for other uses of the process (libvirt, curses, output). */
#define FD_RESERVE 256
#define FD_WANT 65536
/* A file found missing is looked for again after this many samples
 * (a v2 controller may be enabled later). */
#define ABSENT_RETRY 16
/* A cgroup's limits, quota and cpuset are set when it starts and seldom
 * after, and a leaf seldom grows subdirectories: they are read again when
 * what glass knows of them is this old.  Under glass's default interval
 * (2 s) with room for a tick's jitter, so at the default cadence every
 * sample reads them, and at any cadence what is shown is younger. */
#define RECHECK_NS (NS_PER_S * 3 / 2)

/* The control files glass reads, and the hierarchy each lives in. */
enum cg_file {
	F_PROCS,     /* + hierarchy: cgroup.procs of each (CG_NCTRL slots) */
	F_V2_CPU_STAT = F_PROCS + CG_NCTRL,
	F_V2_CPU_MAX,
	F_V2_MEM_CURRENT,
	F_V2_MEM_STAT,
	F_V2_MEM_MAX,
	F_V2_IO_STAT,
	F_V2_PIDS_CURRENT,
	F_V2_PIDS_MAX,
	F_PSI_CPU,
	F_PSI_MEMORY,
	F_PSI_IO,
	F_V1_QUOTA,
	F_V1_PERIOD,
	F_V1_CPUACCT,
	F_V1_MEM_USAGE,
	F_V1_MEM_STAT,
	F_V1_MEM_LIMIT,
	F_V1_BLKIO,
	F_V1_BLKIO_FLAT,
	F_V1_PIDS_CURRENT,
	F_V1_PIDS_MAX,
	F_V2_CPUSET,
	F_V1_CPUSET,
	F_V1_CPUSET_CPUS,
	F_COUNT,
};

static const struct {
	enum cgroup_ctrl h;
	const char *name;
} cg_files[F_COUNT] = {
	[F_V2_CPU_STAT] = {CG_UNIFIED, "cpu.stat"},
	[F_V2_CPU_MAX] = {CG_UNIFIED, "cpu.max"},
	[F_V2_MEM_CURRENT] = {CG_UNIFIED, "memory.current"},
	[F_V2_MEM_STAT] = {CG_UNIFIED, "memory.stat"},
	[F_V2_MEM_MAX] = {CG_UNIFIED, "memory.max"},
	[F_V2_IO_STAT] = {CG_UNIFIED, "io.stat"},
	[F_V2_PIDS_CURRENT] = {CG_UNIFIED, "pids.current"},
	[F_V2_PIDS_MAX] = {CG_UNIFIED, "pids.max"},
	[F_PSI_CPU] = {CG_UNIFIED, "cpu.pressure"},
	[F_PSI_MEMORY] = {CG_UNIFIED, "memory.pressure"},
	[F_PSI_IO] = {CG_UNIFIED, "io.pressure"},
	[F_V1_QUOTA] = {CG_CPU, "cpu.cfs_quota_us"},
	[F_V1_PERIOD] = {CG_CPU, "cpu.cfs_period_us"},
	[F_V1_CPUACCT] = {CG_CPUACCT, "cpuacct.usage"},
	[F_V1_MEM_USAGE] = {CG_MEMORY, "memory.usage_in_bytes"},
	[F_V1_MEM_STAT] = {CG_MEMORY, "memory.stat"},
	[F_V1_MEM_LIMIT] = {CG_MEMORY, "memory.limit_in_bytes"},
	/* the _recursive file counts the subtree, as every other counter
	 * here does; old kernels only have the flat one */
	[F_V1_BLKIO] = {CG_BLKIO, "blkio.throttle.io_service_bytes_recursive"},
	[F_V1_BLKIO_FLAT] = {CG_BLKIO, "blkio.throttle.io_service_bytes"},
	[F_V1_PIDS_CURRENT] = {CG_PIDS, "pids.current"},
	[F_V1_PIDS_MAX] = {CG_PIDS, "pids.max"},
	[F_V2_CPUSET] = {CG_UNIFIED, "cpuset.cpus.effective"},
	/* v1 has the effective set since linux 4.7; cpuset.cpus before */
	[F_V1_CPUSET] = {CG_CPUSET, "cpuset.effective_cpus"},
	[F_V1_CPUSET_CPUS] = {CG_CPUSET, "cpuset.cpus"},
};

#define FD_NONE (-1)   /* not opened yet */
#define FD_ABSENT (-2) /* not there when last looked for */

/* The open control files of one cgroup, kept between samples. */
struct cg_handles {
	int fd[F_COUNT];
	uint64_t absent_gen[F_COUNT];
	uint64_t gen; /* the last sample that used it */
	struct cg_priv *owner; /* (borrowed) for its count of kept fds */
	/* What it was given, as read at settings_ns (0: never). */
	uint64_t settings_ns;
	double quota_cores;      /* its CPU quota alone; unknown */
	uint64_t cpuset_cpus;    /* CPUs of its effective cpuset; unknown */
	uint64_t mem_limit;      /* unknown */
	uint64_t pids_max;       /* unknown */
	/* Hierarchies in which it had no subdirectories when last looked at
	 * (shape_ns, in sample shape_gen): not opened to be walked until
	 * RECHECK_NS later. */
	unsigned leaf_in;
	uint64_t shape_ns;
	uint64_t shape_gen;
};

struct cg_entry {
	char *path; /* relative to each hierarchy's root, no leading '/' */
	unsigned mask; /* hierarchies (1 << enum cgroup_ctrl) that have it */
	int parent;    /* index into entries, -1 at the top */
	struct cgroup_runtime_match match;
	bool in_kubepods;
	long slice_uid;    /* the uid of the user-UID.slice it is in; -1: none */
	bool has_children; /* in some hierarchy (or maybe: unknown link counts) */
	bool emitted;
	int emitted_anc; /* nearest emitted ancestor (or itself), -1: the host */
	struct cg_handles *hd; /* (borrowed from priv->handles) */
};

struct cg_priv {
	char *root;
	char *mountinfo;
	char *host_id;
	char *hostname; /* (borrowed from host_id) */
	struct cgroup_names *names;
	struct idmap *users;      /* uid -> user name, read once per uid */
	struct cgroup_layout layout;
	bool opened;
	int fd[CG_NCTRL];         /* -1 when absent */
	unsigned share[CG_NCTRL]; /* hierarchies that are the same directory */
	bool walk[CG_NCTRL];      /* the first of each shared group: walked */
	struct idmap *handles;    /* path -> struct cg_handles, across samples */
	size_t fds_cached;
	size_t fd_budget;
	uint64_t gen;
	uint64_t root_cpus;     /* CPUs of the root's cpuset: all of them */
	uint64_t root_cpus_ns;  /* when it was read; 0: never */
	uint64_t now_ns;        /* the sample's start (monotonic) */
	/* per sample */
	struct cg_entry *entries;
	size_t n_entries, cap_entries;
	struct idmap *by_path; /* path -> index + 1 */
	char *buf;             /* READ_BUF bytes */
};

static int open_dir_at(int dirfd, const char *path)
{
	return openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY);
}

static int open_file_at(int dirfd, const char *dir, const char *file)
{
	char path[PATH_MAX];
	size_t dl = strlen(dir), fl = strlen(file);

	if (dirfd < 0 || dl + fl + 2 > sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, dl);
	path[dl] = '/';
	memcpy(path + dl + 1, file, fl + 1);
	return openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
}

/* Reads from offset 0: for a cgroup file that regenerates its contents.
 * A read shorter than asked for is the end, which saves the read that
 * returns 0 (a syscall per file per tick): a control file is one
 * seq_file record, which the kernel hands over whole in one read, and a
 * fixture's regular file reads short only at its end.  cgroup.procs,
 * the one file of many records (a page each), is only asked whether it
 * is empty. */
static bool pread_all(int fd, char *buf, size_t cap, size_t *len)
{
	*len = 0;
	while (*len < cap) {
		ssize_t r = pread(fd, buf + *len, cap - *len, (off_t)*len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return false;
		*len += (size_t)r;
		if ((size_t)r < cap - (*len - (size_t)r))
			break;
	}
	return true;
}

static void handle_close(struct cg_priv *p, struct cg_handles *hd, int f)
{
	if (hd->fd[f] >= 0) {
		close(hd->fd[f]);
		p->fds_cached--;
	}
	hd->fd[f] = FD_NONE;
}

/* Reads control file f of entry e into p->buf; false when it cannot be
 * read (absent, vanished, not permitted). */
static bool read_cg(struct cg_priv *p, const struct cg_entry *e, enum cg_file f, size_t *len)
{
	struct cg_handles *hd = e->hd;
	int dirfd = p->fd[cg_files[f].h];
	const char *name = cg_files[f].name;

	if (f < F_V2_CPU_STAT) {
		dirfd = p->fd[f - F_PROCS];
		name = "cgroup.procs";
	}
	if (hd->fd[f] == FD_ABSENT) {
		if (p->gen - hd->absent_gen[f] < ABSENT_RETRY)
			return false;
		hd->fd[f] = FD_NONE;
	}
	if (hd->fd[f] >= 0) {
		if (pread_all(hd->fd[f], p->buf, READ_BUF, len))
			return true;
		/* Gone, or a new cgroup under the same name: look again, at
		 * what it was given and its shape too. */
		handle_close(p, hd, f);
		hd->settings_ns = 0;
		hd->leaf_in = 0;
	}
	int fd = open_file_at(dirfd, e->path, name);
	if (fd < 0) {
		if (errno == ENOENT) {
			hd->fd[f] = FD_ABSENT;
			hd->absent_gen[f] = p->gen;
		}
		return false;
	}
	bool ok = pread_all(fd, p->buf, READ_BUF, len);
	if (ok && p->fds_cached < p->fd_budget) {
		hd->fd[f] = fd;
		p->fds_cached++;
	} else {
		close(fd);
	}
	return ok;
}

static void handles_free(struct cg_priv *p, struct cg_handles *hd)
{
	for (int f = 0; f < F_COUNT; f++)
		handle_close(p, hd, f);
	free(hd);
}

static struct cg_handles *handles_get(struct cg_priv *p, const char *path)
{
	struct cg_handles *hd = idmap_get(p->handles, path);

	if (!hd) {
		hd = xcalloc(1, sizeof(*hd));
		hd->owner = p;
		for (int f = 0; f < F_COUNT; f++)
			hd->fd[f] = FD_NONE;
		idmap_put(p->handles, path, hd);
	}
	hd->gen = p->gen;
	return hd;
}

static void handles_free_cb(void *v)
{
	struct cg_handles *hd = v;

	handles_free(hd->owner, hd);
}

static int handles_keep(void *value, void *arg)
{
	const struct cg_handles *hd = value;

	return hd->gen == *(const uint64_t *)arg;
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
	e->slice_uid = cgroup_runtime_slice_uid(component);
	if (e->slice_uid < 0)
		e->slice_uid = pe ? pe->slice_uid : -1;
	idmap_put(p->by_path, path, (void *)(uintptr_t)(p->n_entries + 1));
	return (int)p->n_entries++;
}

/* Whether hd's cgroup had no subdirectories in hierarchy h when looked
 * at less than RECHECK_NS ago, in an earlier sample (within a sample that
 * looks, every hierarchy looks). */
static bool still_a_leaf(const struct cg_priv *p, const struct cg_handles *hd, int h)
{
	return ((hd->leaf_in >> h) & 1u) && hd->shape_gen != p->gen &&
	       p->now_ns - hd->shape_ns < RECHECK_NS;
}

static void shape_note(struct cg_priv *p, struct cg_handles *hd, int h, bool leaf)
{
	if (hd->shape_gen != p->gen) {
		hd->shape_gen = p->gen;
		hd->shape_ns = p->now_ns;
	}
	if (leaf)
		hd->leaf_in |= 1u << h;
	else
		hd->leaf_in &= ~(1u << h);
}

/* Walks hierarchy h below `dir` (the entry `parent`, or the root when -1);
 * returns how many subdirectories it has.  A directory that vanished
 * while walking is simply not there. */
static size_t walk(struct cg_priv *p, int h, const char *dir, int parent)
{
	int dfd = open_dir_at(p->fd[h], dir[0] ? dir : ".");
	DIR *d;
	struct dirent *de;
	size_t subdirs = 0;

	if (dfd < 0)
		return 0;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		bool stat_ok = false;

		if (de->d_name[0] == '.')
			continue;
		if (de->d_type == DT_UNKNOWN) {
			stat_ok = fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0;
			if (!(stat_ok && S_ISDIR(st.st_mode)))
				continue;
		} else if (de->d_type != DT_DIR) {
			continue;
		}
		subdirs++;
		char *path = dir[0] ? xasprintf("%s/%s", dir, de->d_name) : xstrdup(de->d_name);
		int i = entry_find(p, path);
		if (i < 0)
			i = entry_add(p, path, parent, de->d_name);
		else
			free(path);
		p->entries[i].mask |= p->share[h];
		/* A runtime's helper is not shown; a container's subtree is
		 * folded into it: neither needs walking.  Nor does a directory
		 * whose link count says it has no subdirectories. */
		if (p->entries[i].match.role != CGROUP_ROLE_PLAIN &&
		    p->entries[i].match.role != CGROUP_ROLE_POD)
			continue;
		struct cg_handles *hd = p->entries[i].hd;
		if (!hd)
			hd = p->entries[i].hd = handles_get(p, p->entries[i].path);
		if (!stat_ok && still_a_leaf(p, hd, h))
			continue;
		if (!stat_ok)
			stat_ok = fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0;
		shape_note(p, hd, h, stat_ok && st.st_nlink == 2);
		if (stat_ok && st.st_nlink == 2)
			continue;
		if (walk(p, h, p->entries[i].path, i) > 0)
			p->entries[i].has_children = true;
	}
	closedir(d);
	return subdirs;
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

/* A plain cgroup is shown only when processes live in it.  A leaf's
 * pids.current counts exactly its own tasks (and is read anyway);
 * otherwise its cgroup.procs tells. */
static bool plain_has_procs(struct cg_priv *p, const struct cg_entry *e, struct raw_node *v)
{
	bool v2 = p->layout.kind == CGROUP_LAYOUT_V2;
	enum cgroup_ctrl ph = v2 ? CG_UNIFIED : CG_PIDS;
	size_t len;

	if (has(e, ph) && read_cg(p, e, v2 ? F_V2_PIDS_CURRENT : F_V1_PIDS_CURRENT, &len)) {
		v->pids_current = cgroup_parse_u64(p->buf, len);
		if (v->pids_current == 0)
			return false;
		if (value_u64_known(v->pids_current) && !e->has_children)
			return true;
	}
	for (int h = 0; h < CG_NCTRL; h++)
		if (p->walk[h] && has(e, (enum cgroup_ctrl)h) &&
		    read_cg(p, e, (enum cg_file)(F_PROCS + h), &len) && len > 0)
			return true;
	return false;
}

static void read_pressure(struct cg_priv *p, const struct cg_entry *e, struct raw_node *n,
			  unsigned *got)
{
	static const enum cg_file files[3] = {
		[PSI_CPU] = F_PSI_CPU, [PSI_MEMORY] = F_PSI_MEMORY, [PSI_IO] = F_PSI_IO};
	size_t len;

	if (!has(e, CG_UNIFIED))
		return;
	for (int i = 0; i < 3; i++) {
		struct cgroup_parse_pressure pr;
		if (!read_cg(p, e, files[i], &len))
			continue;
		(*got)++;
		cgroup_parse_pressure(p->buf, len, &pr);
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

/* The CPUs of a cpuset file: cpuset.cpus.effective on v2, the v1
 * controller's effective_cpus (else cpus) on v1 and hybrid. */
static uint64_t cpuset_of(struct cg_priv *p, const struct cg_entry *e)
{
	size_t len;

	if (p->layout.kind == CGROUP_LAYOUT_V2)
		return read_cg(p, e, F_V2_CPUSET, &len) ? cgroup_parse_cpuset_count(p->buf, len)
							 : GLASS_U64_UNKNOWN;
	if (p->fd[CG_CPUSET] < 0)
		return GLASS_U64_UNKNOWN;
	if (read_cg(p, e, F_V1_CPUSET, &len) || read_cg(p, e, F_V1_CPUSET_CPUS, &len))
		return cgroup_parse_cpuset_count(p->buf, len);
	return GLASS_U64_UNKNOWN;
}

/* The root's cpuset: every CPU the cgroups may have.  Read directly (the
 * root is no entry), as often as a cgroup's. */
static uint64_t read_root_cpus(struct cg_priv *p)
{
	static const enum cg_file files[] = {F_V2_CPUSET, F_V1_CPUSET, F_V1_CPUSET_CPUS};
	size_t len;

	if (p->root_cpus_ns && p->now_ns - p->root_cpus_ns < RECHECK_NS)
		return p->root_cpus;
	p->root_cpus_ns = p->now_ns;
	p->root_cpus = GLASS_U64_UNKNOWN;
	for (size_t i = p->layout.kind == CGROUP_LAYOUT_V2 ? 0 : 1; i < 3; i++) {
		int fd = openat(p->fd[cg_files[files[i]].h], cg_files[files[i]].name,
				O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			continue;
		bool ok = pread_all(fd, p->buf, READ_BUF, &len);
		close(fd);
		if (ok) {
			p->root_cpus = cgroup_parse_cpuset_count(p->buf, len);
			break;
		}
		if (p->layout.kind == CGROUP_LAYOUT_V2)
			break;
	}
	return p->root_cpus;
}

/* What a cgroup was given (quota, cpuset, memory and pids limits) into
 * hd; returns how many files could be read. */
static unsigned read_settings(struct cg_priv *p, const struct cg_entry *e, struct cg_handles *hd)
{
	bool v2 = p->layout.kind == CGROUP_LAYOUT_V2;
	char *buf = p->buf;
	unsigned got = 0;
	size_t len;

	hd->quota_cores = GLASS_UNKNOWN;
	hd->mem_limit = hd->pids_max = GLASS_U64_UNKNOWN;
	if (v2) {
		if (read_cg(p, e, F_V2_CPU_MAX, &len)) {
			struct cgroup_parse_cpu_max max;
			cgroup_parse_cpu_max(buf, len, &max);
			hd->quota_cores = cgroup_parse_cpu_max_cores(&max);
			got++;
		}
		if (read_cg(p, e, F_V2_MEM_MAX, &len)) {
			hd->mem_limit = cgroup_parse_u64_or_max(buf, len);
			got++;
		}
		if (read_cg(p, e, F_V2_PIDS_MAX, &len)) {
			hd->pids_max = cgroup_parse_u64_or_max(buf, len);
			got++;
		}
	} else {
		if (has(e, CG_CPU)) {
			uint64_t quota = GLASS_U64_UNKNOWN, period = GLASS_U64_UNKNOWN;
			if (read_cg(p, e, F_V1_QUOTA, &len)) {
				quota = cgroup_parse_v1_cfs_quota(buf, len);
				got++;
			}
			if (value_u64_known(quota) && read_cg(p, e, F_V1_PERIOD, &len))
				period = cgroup_parse_u64(buf, len);
			hd->quota_cores = cgroup_parse_cores(quota, period);
		}
		if (has(e, CG_MEMORY) && read_cg(p, e, F_V1_MEM_LIMIT, &len)) {
			hd->mem_limit = cgroup_parse_v1_mem_limit(buf, len);
			got++;
		}
		if (has(e, CG_PIDS) && read_cg(p, e, F_V1_PIDS_MAX, &len))
			hd->pids_max = cgroup_parse_u64_or_max(buf, len);
	}
	hd->cpuset_cpus = cpuset_of(p, e);
	return got;
}

/* Memory used: the working set, from the usage file and memory.stat (v1
 * or v2 by the files asked for); false when the usage cannot be read. */
static bool read_mem_used(struct cg_priv *p, const struct cg_entry *e, struct raw_node *n,
			  enum cg_file usage_file, enum cg_file stat_file)
{
	size_t len;

	if (!read_cg(p, e, usage_file, &len))
		return false;
	uint64_t usage = cgroup_parse_u64(p->buf, len);
	struct cgroup_parse_memory_stat ms;
	bool have_stat = read_cg(p, e, stat_file, &len);
	if (have_stat)
		cgroup_parse_memory_stat(p->buf, len, &ms);
	n->mem_used = cgroup_parse_working_set(usage, have_stat ? &ms : NULL, stat_file == F_V1_MEM_STAT);
	n->mem_source = "cgroup";
	return true;
}

/* The counters: CPU time, memory used, disk bytes, tasks, pressure.
 * Returns how many files could be read. */
static unsigned read_counters_v2(struct cg_priv *p, const struct cg_entry *e, struct raw_node *n)
{
	char *buf = p->buf;
	unsigned got = 0;
	size_t len;

	if (read_cg(p, e, F_V2_CPU_STAT, &len)) {
		struct cgroup_parse_cpu_stat st;
		cgroup_parse_cpu_stat(buf, len, &st);
		n->cpu_time_ns = usec_to_ns(st.usage_usec);
		got++;
	}
	if (read_mem_used(p, e, n, F_V2_MEM_CURRENT, F_V2_MEM_STAT))
		got++;
	if (read_cg(p, e, F_V2_IO_STAT, &len)) {
		struct cgroup_parse_io_stat io;
		cgroup_parse_io_stat(buf, len, &io);
		n->disk_read_bytes = io.rbytes;
		n->disk_write_bytes = io.wbytes;
		got++;
	}
	if (value_u64_known(n->pids_current)) {
		got++; /* read for plain_has_procs */
	} else if (read_cg(p, e, F_V2_PIDS_CURRENT, &len)) {
		n->pids_current = cgroup_parse_u64(buf, len);
		got++;
	}
	read_pressure(p, e, n, &got);
	return got;
}

static unsigned read_counters_v1(struct cg_priv *p, const struct cg_entry *e, struct raw_node *n)
{
	char *buf = p->buf;
	unsigned got = 0;
	size_t len;

	if (has(e, CG_CPUACCT) && read_cg(p, e, F_V1_CPUACCT, &len)) {
		n->cpu_time_ns = cgroup_parse_u64(buf, len);
		got++;
	} else if (!has(e, CG_CPUACCT) && has(e, CG_UNIFIED) && read_cg(p, e, F_V2_CPU_STAT, &len)) {
		/* A cgroup made only in a hybrid host's unified/ (a libvirt
		 * guest there, or by hand): cpu.stat is a core file of
		 * cgroup2, there with no controller enabled. */
		struct cgroup_parse_cpu_stat st;
		cgroup_parse_cpu_stat(buf, len, &st);
		n->cpu_time_ns = usec_to_ns(st.usage_usec);
		got++;
	}
	if (has(e, CG_MEMORY) && read_mem_used(p, e, n, F_V1_MEM_USAGE, F_V1_MEM_STAT))
		got++;
	if (has(e, CG_BLKIO) &&
	    (read_cg(p, e, F_V1_BLKIO, &len) || read_cg(p, e, F_V1_BLKIO_FLAT, &len))) {
		struct cgroup_parse_blkio b;
		cgroup_parse_v1_blkio(buf, len, &b);
		n->disk_read_bytes = b.read;
		n->disk_write_bytes = b.write;
		got++;
	}
	if (has(e, CG_PIDS)) {
		if (value_u64_known(n->pids_current)) {
			got++; /* read for plain_has_procs */
		} else if (read_cg(p, e, F_V1_PIDS_CURRENT, &len)) {
			n->pids_current = cgroup_parse_u64(buf, len);
			got++;
		}
	}
	read_pressure(p, e, n, &got);
	return got;
}

/* Reads entry e into n: its counters every sample, what it was given
 * when RECHECK_NS old, or when no counter could be read (a cgroup in
 * the cpu hierarchy alone has no counter; one that vanished, nothing).
 * Returns how many files were read now: 0 means the cgroup is gone. */
static unsigned read_cgroup(struct cg_priv *p, const struct cg_entry *e, struct raw_node *n)
{
	struct cg_handles *hd = e->hd;
	unsigned got = p->layout.kind == CGROUP_LAYOUT_V2 ? read_counters_v2(p, e, n)
							 : read_counters_v1(p, e, n);

	if (got == 0 || !hd->settings_ns || p->now_ns - hd->settings_ns >= RECHECK_NS) {
		got += read_settings(p, e, hd);
		hd->settings_ns = p->now_ns;
	}
	n->mem_allocated = hd->mem_limit;
	n->pids_max = hd->pids_max;
	/* A cgroup pinned to fewer CPUs than the host has by its cpuset is
	 * allocated those CPUs (or its quota, when that is less). */
	n->cpu_cores_allocated = value_u64_known(hd->cpuset_cpus)
					 ? cgroup_parse_cpu_allocation(hd->quota_cores, hd->cpuset_cpus,
								       read_root_cpus(p))
					 : hd->quota_cores;
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

/* The name of user `uid` ("uid 1000" when the system knows none),
 * looked up once: a directory service may be slow. */
static const char *user_name(struct cg_priv *p, long uid)
{
	char key[32];

	snprintf(key, sizeof(key), "%ld", uid);
	const char *name = idmap_get(p->users, key);
	if (name)
		return name;
	struct passwd pw, *found = NULL;
	char buf[4096];
	char *made;
	if (getpwuid_r((uid_t)uid, &pw, buf, sizeof(buf), &found) == 0 && found && found->pw_name[0])
		made = xstrdup(found->pw_name);
	else
		made = xasprintf("uid %ld", uid);
	idmap_put(p->users, key, made);
	return made;
}

/* Who a cgroup belongs to, as far as the cgroup source can tell: a
 * container's label, a pod's namespace, or the user of the user slice it
 * is the first shown node of (the nodes below inherit it). */
static void set_owner_hint(struct cg_priv *p, const struct cg_entry *e, struct raw_node *n)
{
	const char *source = NULL, *owner = NULL;

	if (e->match.role == CGROUP_ROLE_CONTAINER) {
		owner = cgroup_names_container_owner(p->names, e->match.runtime, e->match.key, &source);
	} else if (e->match.role == CGROUP_ROLE_POD) {
		const char *pod = cgroup_names_pod(p->names, e->match.key);
		const char *slash = pod ? strchr(pod, '/') : NULL;
		if (slash && slash > pod) {
			char *ns = xstrndup(pod, (size_t)(slash - pod));
			raw_node_set_owner(n, ns, "k8s-namespace");
			free(ns);
			return;
		}
	}
	if (owner) {
		raw_node_set_owner(n, owner, source);
		return;
	}
	int anc = e->parent >= 0 ? p->entries[e->parent].emitted_anc : -1;
	if (e->slice_uid >= 0 && (anc < 0 || p->entries[anc].slice_uid != e->slice_uid))
		raw_node_set_owner(n, user_name(p, e->slice_uid), "slice-user");
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

/* Reads entry e and adds its node; a plain cgroup without processes, or
 * one gone before its files could be read, adds none. */
static void emit(struct cg_priv *p, struct cg_entry *e, struct reading *out)
{
	struct raw_node v;
	struct raw_node *n;
	unsigned got;

	values_init(&v);
	if (!e->hd)
		e->hd = handles_get(p, e->path);
	if (e->match.role == CGROUP_ROLE_PLAIN && !plain_has_procs(p, e, &v))
		return;
	got = read_cgroup(p, e, &v);
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
	set_owner_hint(p, e, n);
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
	struct stat st;

	/* The root itself gone (a tree removed under its open fd: no links
	 * left) is a failure: the poller reopens it with backoff. */
	for (int h = 0; h < CG_NCTRL; h++)
		if (p->walk[h] && (fstat(p->fd[h], &st) < 0 || st.st_nlink == 0))
			return errbuf_set(err, "%s: %s", p->layout.dirs[h], strerror(ENOENT));
	p->gen++;
	p->now_ns = clock_mono_ns();
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
		if (e->match.role != CGROUP_ROLE_IGNORE)
			emit(p, e, out);
		if (e->emitted)
			e->emitted_anc = (int)i;
		else if (e->parent >= 0)
			e->emitted_anc = p->entries[e->parent].emitted_anc;
	}
	entries_clear(p);
	cgroup_names_end(p->names);
	/* Close the files of cgroups that are gone. */
	idmap_sweep(p->handles, handles_keep, &p->gen, handles_free_cb);
	return 0;
}

/* ---------------------------------------------------------------- life */

static void close_fds(struct cg_priv *p)
{
	idmap_free(p->handles, handles_free_cb);
	p->handles = idmap_new();
	for (int h = 0; h < CG_NCTRL; h++) {
		if (p->fd[h] >= 0)
			close(p->fd[h]);
		p->fd[h] = -1;
		p->walk[h] = false;
		p->share[h] = 0;
	}
}

/* Kept files cost one fd each: raise the soft limit towards FD_WANT
 * (within the hard one) and use what is left above a reserve. */
static void fd_budget_init(struct cg_priv *p)
{
	struct rlimit rl;

	p->fd_budget = 0;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < FD_WANT &&
	    (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > rl.rlim_cur)) {
		struct rlimit want = rl;
		want.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > FD_WANT ? FD_WANT : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &want) == 0)
			rl = want;
	}
	rlim_t cur = rl.rlim_cur == RLIM_INFINITY ? FD_WANT : rl.rlim_cur;
	p->fd_budget = cur > 2 * FD_RESERVE ? (size_t)(cur - FD_RESERVE) : 0;
}

static int cgroup_open(struct source *src, struct errbuf *err)
{
	struct cg_priv *p = src->priv;
	struct stat st[CG_NCTRL];

	if (cgroup_layout_detect(p->root, p->mountinfo, &p->layout, err) < 0)
		return -1;
	fd_budget_init(p);
	p->opened = true;
	for (int h = 0; h < CG_NCTRL; h++) {
		if (!p->layout.dirs[h])
			continue;
		p->fd[h] = open_dir_at(AT_FDCWD, p->layout.dirs[h]);
		if (p->fd[h] < 0 || fstat(p->fd[h], &st[h]) < 0) {
			int e = errno;
			errbuf_set(err, "%s: %s", p->layout.dirs[h], strerror(e));
			close_fds(p);
			cgroup_layout_done(&p->layout);
			p->opened = false;
			return -1;
		}
	}
	/* cpu and cpuacct often share one mount ("cpu,cpuacct"): walk it once
	 * and let its paths count for both. */
	for (int h = 0; h < CG_NCTRL; h++) {
		if (p->fd[h] < 0)
			continue;
		p->share[h] = 1u << h;
		p->walk[h] = h != CG_CPUSET;
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
	idmap_free(p->users, free);
	idmap_free(p->handles, handles_free_cb);
	free(p->entries);
	free(p->buf);
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

	p->users = idmap_new();
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
	p->handles = idmap_new();
	p->buf = xmalloc(READ_BUF);
	for (int h = 0; h < CG_NCTRL; h++)
		p->fd[h] = -1;
	src->ops = &cgroup_ops;
	src->name = xasprintf("cgroup:%s", p->root);
	src->priv = p;
	return src;
}
