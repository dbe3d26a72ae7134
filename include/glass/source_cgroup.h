/* source_cgroup.h: containers straight from the cgroup files (DESIGN.md
 * §1, §2): one cgroup tree (v2, v1 or hybrid, detected), each cgroup a
 * runtime made shown as a container (k8s pods as groups), under the local
 * host.  Read-only: no cgroup file is ever opened for writing. */
#ifndef GLASS_SOURCE_CGROUP_H
#define GLASS_SOURCE_CGROUP_H

#include "glass/source.h"
#include "glass/source_config.h"

struct options;

#define SOURCE_CGROUP_DEFAULT_ROOT "/sys/fs/cgroup"

struct source_cgroup_config {
	const char *root;        /* (borrowed) NULL: SOURCE_CGROUP_DEFAULT_ROOT */
	const char *docker_root; /* (borrowed) NULL: cgroup_names.h defaults */
	const char *podman_root;
	const char *k8s_log_dir;
	const char *mountinfo;   /* (borrowed) NULL: /proc/self/mountinfo */
};

/* Its settings (config cgroup.*, cgroup_config.c): where the local
 * cgroups are, and the runtimes' data roots container names are read
 * from; NULL: the defaults. */
struct cgroup_settings {
	char *root;
	char *docker_root;
	char *podman_root;
	char *k8s_log_dir;
};
extern const struct source_config cgroup_config;
/* The settings o holds (never NULL). */
const struct cgroup_settings *source_cgroup_settings(const struct options *o);
/* The local cgroup root: --cgroup-root, else cgroup.root; NULL: the
 * default. */
const char *source_cgroup_root(const struct options *o);

/* The strings are copied. */
struct source *source_cgroup_new(const struct source_cgroup_config *cfg);

#endif
