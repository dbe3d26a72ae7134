/* cgroup_layout.c: layout detection (see cgroup_layout.h). */
#include "glass/cgroup_layout.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "glass/xalloc.h"

/* linux/magic.h */
#define GLASS_CGROUP_SUPER_MAGIC 0x27e0eb
#define GLASS_CGROUP2_SUPER_MAGIC 0x63677270

static const char *const ctrl_names[CG_NCTRL] = {
	[CG_CPU] = "cpu",
	[CG_CPUACCT] = "cpuacct",
	[CG_MEMORY] = "memory",
	[CG_BLKIO] = "blkio",
	[CG_PIDS] = "pids",
	[CG_CPUSET] = "cpuset",
	[CG_UNIFIED] = "unified",
};

const char *cgroup_ctrl_name(enum cgroup_ctrl c)
{
	return (unsigned)c < CG_NCTRL ? ctrl_names[c] : "?";
}

const char *cgroup_layout_name(enum cgroup_layout_kind kind)
{
	switch (kind) {
	case CGROUP_LAYOUT_V2:
		return "v2";
	case CGROUP_LAYOUT_V1:
		return "v1";
	case CGROUP_LAYOUT_HYBRID:
		return "hybrid";
	}
	return "?";
}

void cgroup_layout_done(struct cgroup_layout *l)
{
	for (int i = 0; i < CG_NCTRL; i++) {
		free(l->dirs[i]);
		l->dirs[i] = NULL;
	}
}

static bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static char *unoctal(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 3 < n && is_octal(s[i + 1]) && is_octal(s[i + 2]) &&
		    is_octal(s[i + 3])) {
			out[o++] = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
			continue;
		}
		out[o++] = s[i];
	}
	out[o] = '\0';
	return out;
}

/* The n-th space-separated field of line (0-based). */
static bool field(const char *line, int n, const char **start, size_t *len)
{
	const char *p = line;

	for (int i = 0;; i++) {
		while (*p == ' ')
			p++;
		if (*p == '\0' || *p == '\n')
			return false;
		const char *e = p;
		while (*e && *e != ' ' && *e != '\n')
			e++;
		if (i == n) {
			*start = p;
			*len = (size_t)(e - p);
			return true;
		}
		p = e;
	}
}

bool cgroup_layout_parse_mountinfo(const char *line, char **mount_point, char **fs_type,
				   char **super_opts)
{
	/* 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
	 * fields 0-5 fixed, optional fields up to "-", then type, source, super options */
	const char *mp, *f;
	size_t mp_len, f_len;
	int i;

	*mount_point = *fs_type = *super_opts = NULL;
	if (!field(line, 4, &mp, &mp_len))
		return false;
	for (i = 6;; i++) {
		if (!field(line, i, &f, &f_len))
			return false;
		if (f_len == 1 && f[0] == '-')
			break;
	}
	const char *type, *opts;
	size_t type_len, opts_len;
	if (!field(line, i + 1, &type, &type_len) || !field(line, i + 3, &opts, &opts_len))
		return false;
	*mount_point = unoctal(mp, mp_len);
	*fs_type = xstrndup(type, type_len);
	*super_opts = xstrndup(opts, opts_len);
	return true;
}

static bool has_opt(const char *opts, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = opts; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && memcmp(p, name, n) == 0)
			return true;
		p = comma ? comma + 1 : NULL;
	}
	return false;
}

/* The mount point is directly below root (or root itself for v2). */
static bool below(const char *root, const char *mp)
{
	size_t n = strlen(root);

	if (strncmp(root, mp, n) != 0)
		return false;
	if (root[n - 1] == '/')
		return strchr(mp + n, '/') == NULL && mp[n] != '\0';
	return mp[n] == '/' && mp[n + 1] != '\0' && strchr(mp + n + 1, '/') == NULL;
}

static void from_mountinfo(const char *root, const char *path, struct cgroup_layout *l)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;

	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		char *mp, *type, *opts;
		if (!cgroup_layout_parse_mountinfo(line, &mp, &type, &opts))
			continue;
		if (below(root, mp)) {
			if (strcmp(type, "cgroup") == 0) {
				for (int c = 0; c < CG_UNIFIED; c++)
					if (!l->dirs[c] && has_opt(opts, ctrl_names[c]))
						l->dirs[c] = xstrdup(mp);
			} else if (strcmp(type, "cgroup2") == 0 && !l->dirs[CG_UNIFIED]) {
				l->dirs[CG_UNIFIED] = xstrdup(mp);
			}
		}
		free(mp);
		free(type);
		free(opts);
	}
	free(line);
	fclose(f);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool file_in(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	bool ok = access(p, F_OK) == 0;

	free(p);
	return ok;
}

/* A tree that is not mounted (a fixture): v1 controllers are directories
 * named after them (cpu and cpuacct may share "cpu,cpuacct"). */
static void from_files(const char *root, struct cgroup_layout *l)
{
	static const char *const cpu_dirs[] = {"cpu,cpuacct", "cpuacct,cpu"};

	for (int c = 0; c < CG_UNIFIED; c++) {
		char *p = xasprintf("%s/%s", root, ctrl_names[c]);
		if (is_dir(p))
			l->dirs[c] = p;
		else
			free(p);
	}
	for (size_t i = 0; i < 2; i++) {
		char *p = xasprintf("%s/%s", root, cpu_dirs[i]);
		if (is_dir(p)) {
			if (!l->dirs[CG_CPU])
				l->dirs[CG_CPU] = xstrdup(p);
			if (!l->dirs[CG_CPUACCT])
				l->dirs[CG_CPUACCT] = xstrdup(p);
		}
		free(p);
	}
	char *u = xasprintf("%s/unified", root);
	if (file_in(u, "cgroup.procs"))
		l->dirs[CG_UNIFIED] = u;
	else
		free(u);
}

static bool any_v1(const struct cgroup_layout *l)
{
	/* a cpuset mount alone does not make a v1 host: glass reads no
	 * usage from it */
	for (int c = 0; c < CG_UNIFIED; c++)
		if (l->dirs[c] && c != CG_CPUSET)
			return true;
	return false;
}

int cgroup_layout_detect(const char *root, const char *mountinfo, struct cgroup_layout *out,
			 struct errbuf *err)
{
	struct statfs sfs;
	char *real = realpath(root, NULL);

	memset(out, 0, sizeof(*out));
	if (!real)
		return errbuf_set(err, "%s: %s", root, strerror(errno));
	if (!is_dir(real)) {
		free(real);
		return errbuf_set(err, "%s: not a directory", root);
	}
	if (statfs(real, &sfs) == 0 && (unsigned long)sfs.f_type == GLASS_CGROUP2_SUPER_MAGIC) {
		out->kind = CGROUP_LAYOUT_V2;
		out->dirs[CG_UNIFIED] = real;
		return 0;
	}
	if (statfs(real, &sfs) == 0 && (unsigned long)sfs.f_type == GLASS_CGROUP_SUPER_MAGIC) {
		free(real);
		return errbuf_set(err, "%s: a single v1 controller; name the directory above it", root);
	}
	from_mountinfo(real, mountinfo, out);
	if (!any_v1(out) && !out->dirs[CG_UNIFIED]) {
		if (file_in(real, "cgroup.controllers")) {
			out->kind = CGROUP_LAYOUT_V2;
			out->dirs[CG_UNIFIED] = real;
			return 0;
		}
		from_files(real, out);
	}
	free(real);
	if (any_v1(out)) {
		out->kind = out->dirs[CG_UNIFIED] ? CGROUP_LAYOUT_HYBRID : CGROUP_LAYOUT_V1;
		return 0;
	}
	if (out->dirs[CG_UNIFIED]) {
		out->kind = CGROUP_LAYOUT_V2;
		return 0;
	}
	return errbuf_set(err, "%s: no cgroup hierarchy found (neither cgroup2 nor v1 controllers)",
			  root);
}
