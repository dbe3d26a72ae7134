/* cgroup_names.c: container and pod names from the runtimes' files (see
 * cgroup_names.h).  Runs on the cgroup source's poller thread only.
 *
 * Docker names are read once per container id and cached while the
 * container lives; the podman list and the k8s log directories are re-read
 * only when their mtime changes, so a steady host costs a few stat()s. */
#include "glass/cgroup_names.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "glass/idmap.h"
#include "glass/owner.h"
#include "glass/strbuf.h"
#include "glass/xalloc.h"

/* config.v2.json is a few KiB; containers.json grows with the container count. */
#define NAMES_FILE_MAX (16 * 1024 * 1024)
#define K8S_ID_LEN 64

struct cached_name {
	char *name; /* NULL: looked for, not found */
	char *owner; /* NULL: none found */
	const char *owner_source; /* static */
	uint64_t gen;
};

/* A file or directory re-read when its mtime changes. */
struct watched {
	char *path;
	struct timespec mtime;
	bool seen;
	struct idmap *map; /* key -> char * */
};

struct cgroup_names {
	char *docker_root;
	struct idmap *docker; /* id -> struct cached_name */
	char *podman_root;
	struct idmap *podman_owner; /* id -> struct cached_name (owner only) */
	uint64_t gen;
	struct watched podman;   /* id -> name */
	struct watched k8s_ctrs; /* container id -> container name */
	struct watched k8s_pods; /* pod uid -> "ns/pod" */
};

static void cached_free(void *p)
{
	struct cached_name *c = p;

	free(c->name);
	free(c->owner);
	free(c);
}

static void watched_init(struct watched *w, char *path)
{
	w->path = path;
	w->map = idmap_new();
}

static void watched_done(struct watched *w)
{
	free(w->path);
	idmap_free(w->map, free);
}

/* True when the file changed since the last look (or vanished/appeared). */
static bool watched_changed(struct watched *w)
{
	struct stat st;
	bool exists = stat(w->path, &st) == 0;

	if (!exists) {
		bool was = w->seen;
		w->seen = false;
		return was;
	}
	if (w->seen && st.st_mtim.tv_sec == w->mtime.tv_sec && st.st_mtim.tv_nsec == w->mtime.tv_nsec)
		return false;
	w->seen = true;
	w->mtime = st.st_mtim;
	return true;
}

static void watched_reset(struct watched *w)
{
	idmap_free(w->map, free);
	w->map = idmap_new();
}

struct cgroup_names *cgroup_names_new(const struct cgroup_names_config *cfg)
{
	struct cgroup_names *n = xcalloc(1, sizeof(*n));
	const char *podman = cfg && cfg->podman_root ? cfg->podman_root : CGROUP_NAMES_PODMAN_ROOT;
	const char *k8s = cfg && cfg->k8s_log_dir ? cfg->k8s_log_dir : CGROUP_NAMES_K8S_LOG_DIR;

	n->docker_root = xstrdup(cfg && cfg->docker_root ? cfg->docker_root : CGROUP_NAMES_DOCKER_ROOT);
	n->docker = idmap_new();
	n->podman_root = xstrdup(podman);
	n->podman_owner = idmap_new();
	watched_init(&n->podman, xasprintf("%s/overlay-containers/containers.json", podman));
	watched_init(&n->k8s_ctrs, xasprintf("%s/containers", k8s));
	watched_init(&n->k8s_pods, xasprintf("%s/pods", k8s));
	return n;
}

void cgroup_names_free(struct cgroup_names *n)
{
	if (!n)
		return;
	free(n->docker_root);
	idmap_free(n->docker, cached_free);
	free(n->podman_root);
	idmap_free(n->podman_owner, cached_free);
	watched_done(&n->podman);
	watched_done(&n->k8s_ctrs);
	watched_done(&n->k8s_pods);
	free(n);
}

/* The whole file, NUL-terminated, or NULL. */
static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct strbuf sb;
	char buf[8192];
	ssize_t r;

	if (fd < 0)
		return NULL;
	strbuf_init(&sb);
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		strbuf_add(&sb, buf, (size_t)r);
		if (sb.len > NAMES_FILE_MAX)
			break;
	}
	close(fd);
	if (r != 0) {
		strbuf_done(&sb);
		return NULL;
	}
	*len = sb.len;
	if (!sb.buf)
		return xstrdup("");
	return strbuf_detach(&sb);
}

static json_object *parse_json(const char *text, size_t len)
{
	json_tokener *tok = json_tokener_new();
	json_object *o;

	if (!tok)
		return NULL;
	if (len > INT32_MAX)
		len = INT32_MAX;
	o = json_tokener_parse_ex(tok, text, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

char *cgroup_names_parse_docker_config(const char *json, size_t len)
{
	json_object *o = parse_json(json, len), *name;
	char *out = NULL;

	if (o && json_object_object_get_ex(o, "Name", &name) &&
	    json_object_is_type(name, json_type_string)) {
		const char *s = json_object_get_string(name);
		/* docker stores "/web": the slash is the legacy link namespace. */
		if (*s == '/')
			s++;
		if (*s)
			out = xstrdup(s);
	}
	json_object_put(o);
	return out;
}

/* A string member of an object, or NULL. */
static const char *member_string(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

char *cgroup_names_parse_owner(const char *json, size_t len, const char **source)
{
	json_object *o = parse_json(json, len), *config = NULL, *labels = NULL;
	char *out = NULL;

	*source = NULL;
	/* docker: Config.Labels; an OCI spec: annotations */
	if (o && json_object_object_get_ex(o, "Config", &config))
		json_object_object_get_ex(config, "Labels", &labels);
	else if (o)
		json_object_object_get_ex(o, "annotations", &labels);
	const char *v = member_string(labels, "glass.owner");
	if (v && (out = owner_clean(v, strlen(v))) != NULL) {
		*source = "label";
	} else {
		v = member_string(labels, "com.docker.compose.project");
		if (v && (out = owner_clean(v, strlen(v))) != NULL)
			*source = "compose-project";
	}
	json_object_put(o);
	return out;
}

static void read_podman(struct watched *w)
{
	size_t len;
	char *text = slurp(w->path, &len);
	json_object *arr = text ? parse_json(text, len) : NULL;

	watched_reset(w);
	if (arr && json_object_is_type(arr, json_type_array)) {
		size_t n = json_object_array_length(arr);
		for (size_t i = 0; i < n; i++) {
			json_object *c = json_object_array_get_idx(arr, i), *id, *names, *first;
			if (!json_object_object_get_ex(c, "id", &id) ||
			    !json_object_is_type(id, json_type_string) ||
			    !json_object_object_get_ex(c, "names", &names) ||
			    !json_object_is_type(names, json_type_array) ||
			    json_object_array_length(names) == 0)
				continue;
			first = json_object_array_get_idx(names, 0);
			if (!json_object_is_type(first, json_type_string))
				continue;
			free(idmap_put(w->map, json_object_get_string(id),
				       xstrdup(json_object_get_string(first))));
		}
	}
	json_object_put(arr);
	free(text);
}

/* <pod>_<namespace>_<container>-<64 hex id>.log -> id: container */
static void k8s_container_link(struct watched *w, const char *entry)
{
	size_t n = strlen(entry);
	const char *u1, *u2;

	if (n < K8S_ID_LEN + 6 || strcmp(entry + n - 4, ".log") != 0 ||
	    entry[n - 4 - K8S_ID_LEN - 1] != '-')
		return;
	u1 = strchr(entry, '_');
	u2 = u1 ? strchr(u1 + 1, '_') : NULL;
	if (!u2)
		return;
	const char *ctr = u2 + 1;
	const char *dash = entry + n - 4 - K8S_ID_LEN - 1;
	if (dash <= ctr)
		return;
	char *id = xstrndup(dash + 1, K8S_ID_LEN);
	free(idmap_put(w->map, id, xstrndup(ctr, (size_t)(dash - ctr))));
	free(id);
}

/* <namespace>_<pod>_<uid> -> uid: "namespace/pod" */
static void k8s_pod_dir(struct watched *w, const char *entry)
{
	const char *u1 = strchr(entry, '_');
	const char *u2 = u1 ? strrchr(entry, '_') : NULL;

	if (!u1 || u2 == u1 || u1 == entry || u2[1] == '\0')
		return;
	char *ns = xstrndup(entry, (size_t)(u1 - entry));
	char *pod = xstrndup(u1 + 1, (size_t)(u2 - u1 - 1));
	free(idmap_put(w->map, u2 + 1, xasprintf("%s/%s", ns, pod)));
	free(ns);
	free(pod);
}

static void read_dir(struct watched *w, void (*entry_fn)(struct watched *, const char *))
{
	DIR *d = opendir(w->path);
	struct dirent *de;

	watched_reset(w);
	if (!d)
		return;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			entry_fn(w, de->d_name);
	closedir(d);
}

void cgroup_names_begin(struct cgroup_names *n)
{
	n->gen++;
	if (watched_changed(&n->podman))
		read_podman(&n->podman);
	if (watched_changed(&n->k8s_ctrs))
		read_dir(&n->k8s_ctrs, k8s_container_link);
	if (watched_changed(&n->k8s_pods))
		read_dir(&n->k8s_pods, k8s_pod_dir);
}

static const char *docker_name(struct cgroup_names *n, const char *id);

static struct cached_name *podman_owner(struct cgroup_names *n, const char *id)
{
	struct cached_name *c = idmap_get(n->podman_owner, id);

	if (!c) {
		char *path = xasprintf("%s/overlay-containers/%s/userdata/config.json", n->podman_root, id);
		size_t len;
		char *text = slurp(path, &len);

		c = xcalloc(1, sizeof(*c));
		c->owner = text ? cgroup_names_parse_owner(text, len, &c->owner_source) : NULL;
		free(text);
		free(path);
		idmap_put(n->podman_owner, id, c);
	}
	c->gen = n->gen;
	return c;
}

const char *cgroup_names_container_owner(struct cgroup_names *n, const char *runtime,
					 const char *id, const char **source)
{
	const struct cached_name *c = NULL;

	*source = NULL;
	if (!runtime || !id)
		return NULL;
	if (strcmp(runtime, "docker") == 0) {
		docker_name(n, id); /* reads and caches the config */
		c = idmap_get(n->docker, id);
	} else if (strcmp(runtime, "podman") == 0) {
		c = podman_owner(n, id);
	}
	if (!c || !c->owner)
		return NULL;
	*source = c->owner_source;
	return c->owner;
}

static int keep_current(void *value, void *arg)
{
	const struct cached_name *c = value;

	return c->gen == *(const uint64_t *)arg;
}

void cgroup_names_end(struct cgroup_names *n)
{
	idmap_sweep(n->docker, keep_current, &n->gen, cached_free);
	idmap_sweep(n->podman_owner, keep_current, &n->gen, cached_free);
}

static const char *docker_name(struct cgroup_names *n, const char *id)
{
	struct cached_name *c = idmap_get(n->docker, id);

	if (!c) {
		char *path = xasprintf("%s/containers/%s/config.v2.json", n->docker_root, id);
		size_t len;
		char *text = slurp(path, &len);

		c = xcalloc(1, sizeof(*c));
		c->name = text ? cgroup_names_parse_docker_config(text, len) : NULL;
		c->owner = text ? cgroup_names_parse_owner(text, len, &c->owner_source) : NULL;
		free(text);
		free(path);
		idmap_put(n->docker, id, c);
	}
	c->gen = n->gen;
	return c->name;
}

const char *cgroup_names_container(struct cgroup_names *n, const char *runtime, const char *id)
{
	if (!runtime || !id)
		return NULL;
	if (strcmp(runtime, "docker") == 0) {
		const char *k8s = idmap_get(n->k8s_ctrs.map, id);
		return k8s ? k8s : docker_name(n, id);
	}
	if (strcmp(runtime, "podman") == 0)
		return idmap_get(n->podman.map, id);
	return idmap_get(n->k8s_ctrs.map, id);
}

const char *cgroup_names_pod(struct cgroup_names *n, const char *uid)
{
	return uid ? idmap_get(n->k8s_pods.map, uid) : NULL;
}
