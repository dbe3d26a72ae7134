/* cgroup_names.h: human names for containers and pods, read from the
 * runtimes' own files, never from a daemon (DESIGN.md §2):
 *   docker   <docker_root>/containers/<id>/config.v2.json ("Name")
 *   podman   <podman_root>/overlay-containers/containers.json ("names")
 *   k8s      <k8s_log_dir>/containers/<pod>_<ns>_<container>-<id>.log links,
 *            <k8s_log_dir>/pods/<ns>_<pod>_<uid>/ directories
 * and owners (owner.h), from the same files:
 *   docker   config.v2.json's Config.Labels: glass.owner, else
 *            com.docker.compose.project
 *   podman   <podman_root>/overlay-containers/<id>/userdata/config.json,
 *            the OCI spec's annotations (podman run --annotation
 *            glass.owner=team-a; podman keeps labels in its database,
 *            which glass does not open): the same two keys
 *   k8s      a pod's namespace (from its name above)
 * What cannot be read gives no name (the caller shows the short id). */
#ifndef GLASS_CGROUP_NAMES_H
#define GLASS_CGROUP_NAMES_H

#include <stddef.h>

#define CGROUP_NAMES_DOCKER_ROOT "/var/lib/docker"
#define CGROUP_NAMES_PODMAN_ROOT "/var/lib/containers/storage"
#define CGROUP_NAMES_K8S_LOG_DIR "/var/log"

struct cgroup_names_config {
	const char *docker_root; /* (borrowed) NULL: the default */
	const char *podman_root;
	const char *k8s_log_dir;
};

struct cgroup_names;

struct cgroup_names *cgroup_names_new(const struct cgroup_names_config *cfg);
void cgroup_names_free(struct cgroup_names *names);

/* Before a sample: re-reads the podman list and the k8s links if they changed. */
void cgroup_names_begin(struct cgroup_names *names);
/* After a sample: forgets cached names that were not asked for since begin. */
void cgroup_names_end(struct cgroup_names *names);

/* The name of container `id` made by `runtime`, or NULL.  (borrowed: valid
 * until cgroup_names_end) */
const char *cgroup_names_container(struct cgroup_names *names, const char *runtime, const char *id);
/* The owner of container `id` from its labels (docker) or annotations
 * (podman), or NULL; *source is "label" or "compose-project".  (borrowed,
 * as above) */
const char *cgroup_names_container_owner(struct cgroup_names *names, const char *runtime,
					 const char *id, const char **source);
/* "<namespace>/<pod>" for a pod uid, or NULL.  (borrowed, as above) */
const char *cgroup_names_pod(struct cgroup_names *names, const char *uid);

/* Pure parsers, for the tests.  The caller's string, or NULL. */
char *cgroup_names_parse_docker_config(const char *json, size_t len);
/* The owner in a docker config.v2.json (Config.Labels) or an OCI
 * config.json (annotations): glass.owner ("label"), else
 * com.docker.compose.project ("compose-project"); *source set to match. */
char *cgroup_names_parse_owner(const char *json, size_t len, const char **source);

#endif
