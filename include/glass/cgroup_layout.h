/* cgroup_layout.h: which cgroup layout a root holds (DESIGN.md §2):
 * unified v2, v1 (one mount per controller or controller group) or hybrid
 * (v1 controllers plus a cgroup2 mount at unified/).
 *
 * A real mount is told by its filesystem magic (statfs) and the
 * controllers of a v1 mount by /proc/self/mountinfo; a plain directory
 * tree (a test fixture) by the files it holds. */
#ifndef GLASS_CGROUP_LAYOUT_H
#define GLASS_CGROUP_LAYOUT_H

#include <stdbool.h>

#include "glass/errbuf.h"

enum cgroup_layout_kind {
	CGROUP_LAYOUT_V2,
	CGROUP_LAYOUT_V1,
	CGROUP_LAYOUT_HYBRID,
};

/* The hierarchies glass reads.  On v2 only CG_UNIFIED is set. */
enum cgroup_ctrl {
	CG_CPU,
	CG_CPUACCT,
	CG_MEMORY,
	CG_BLKIO,
	CG_PIDS,
	CG_CPUSET, /* read where a cgroup's path leads, never walked */
	CG_UNIFIED,
	CG_NCTRL,
};

struct cgroup_layout {
	enum cgroup_layout_kind kind;
	char *dirs[CG_NCTRL]; /* absolute; NULL when absent */
};

/* Detects the layout under root, reading mountinfo (normally
 * "/proc/self/mountinfo").  0, or -1 with err. */
int cgroup_layout_detect(const char *root, const char *mountinfo, struct cgroup_layout *out,
			 struct errbuf *err);
void cgroup_layout_done(struct cgroup_layout *l);
const char *cgroup_layout_name(enum cgroup_layout_kind kind);
const char *cgroup_ctrl_name(enum cgroup_ctrl c);

/* One /proc/self/mountinfo line: the mount point (octal escapes undone),
 * the filesystem type and the super options.  Pure; false when the line
 * is not one.  The strings are the caller's. */
bool cgroup_layout_parse_mountinfo(const char *line, char **mount_point, char **fs_type,
				   char **super_opts);

#endif
