/* source_cgroup.h: containers straight from the cgroup files (DESIGN.md
 * §1, §2): one cgroup tree (v2, v1 or hybrid, detected), each cgroup a
 * runtime made shown as a container (k8s pods as groups), under the local
 * host.  Read-only: no cgroup file is ever opened for writing. */
#ifndef GLASS_SOURCE_CGROUP_H
#define GLASS_SOURCE_CGROUP_H

#include "glass/source.h"

#define SOURCE_CGROUP_DEFAULT_ROOT "/sys/fs/cgroup"

struct source_cgroup_config {
	const char *root;        /* (borrowed) NULL: SOURCE_CGROUP_DEFAULT_ROOT */
	const char *docker_root; /* (borrowed) NULL: cgroup_names.h defaults */
	const char *podman_root;
	const char *k8s_log_dir;
	const char *mountinfo;   /* (borrowed) NULL: /proc/self/mountinfo */
};

/* The strings are copied. */
struct source *source_cgroup_new(const struct source_cgroup_config *cfg);

#endif
