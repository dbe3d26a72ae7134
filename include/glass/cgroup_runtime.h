/* cgroup_runtime.h: which runtime made a cgroup, from its path alone
 * (DESIGN.md §2).  Pure: no I/O, unit-tested on path strings.
 *
 * Both systemd and cgroupfs drivers are recognised: docker, podman,
 * containerd/CRI-O under kubepods (QoS slice -> pod -> container), LXC,
 * systemd-nspawn, systemd services in system.slice and libvirt VMs. */
#ifndef GLASS_CGROUP_RUNTIME_H
#define GLASS_CGROUP_RUNTIME_H

#include <stdbool.h>

enum cgroup_role {
	CGROUP_ROLE_PLAIN,     /* nothing recognised: shown when it has processes */
	CGROUP_ROLE_CONTAINER, /* a runtime's container (or VM, service): its subtree folds into it */
	CGROUP_ROLE_POD,       /* a k8s pod: a group node, its containers below */
	CGROUP_ROLE_IGNORE,    /* a runtime's helper (conmon, LXC monitor): not shown */
};

/* Where a cgroup sits: what the classifier needs from its ancestors. */
struct cgroup_runtime_ctx {
	const char *parent; /* the parent's last path component; "" at the top (borrowed) */
	bool in_kubepods;   /* an ancestor is kubepods[.slice] */
	bool parent_is_pod;
};

struct cgroup_runtime_match {
	enum cgroup_role role;
	const char *runtime; /* static: "docker", "libvirt", ...; NULL when plain */
	char *key;           /* what names are looked up by: a container id, a pod uid; NULL */
	char *name;          /* the name to show when no better one is found */
};

/* Classifies the cgroup whose last path component is `component`.
 * out is filled (free it with cgroup_runtime_match_done). */
void cgroup_runtime_classify(const struct cgroup_runtime_ctx *ctx, const char *component,
			     struct cgroup_runtime_match *out);
void cgroup_runtime_match_done(struct cgroup_runtime_match *m);

/* systemd's unit name escaping undone: "\x2d" -> '-'.  Any byte may come
 * out (the views escape names).  The caller's string. */
char *cgroup_runtime_unescape(const char *s);

/* The uid of a systemd user slice ("user-1000.slice" -> 1000), else -1. */
long cgroup_runtime_slice_uid(const char *component);

/* True when the component starts a k8s hierarchy ("kubepods", "kubepods.slice"). */
bool cgroup_runtime_is_kubepods(const char *component);

#endif
