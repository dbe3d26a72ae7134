/* cgroup_runtime.c: runtime recognition from cgroup paths (see
 * cgroup_runtime.h).  The patterns are the ones the runtimes write:
 *   docker      system.slice/docker-<id>.scope, docker/<id>
 *   podman      machine.slice/libpod-<id>.scope, libpod_parent/libpod-<id>
 *               (libpod-conmon-<id>.scope holds conmon: not a container)
 *   kubernetes  kubepods[.slice]/<qos>/pod<uid> (systemd: kubepods-<qos>-pod<uid_>.slice)
 *               and below it cri-containerd-<id>.scope, crio-<id>.scope, <id>
 *   LXC         lxc.payload.<name> (lxc.monitor.<name> is LXC's own), lxc/<name>
 *   nspawn      machine.slice/systemd-nspawn@<name>.service
 *   libvirt     machine.slice/machine-qemu\x2d<id>\x2d<name>.scope,
 *               machine/qemu-<id>-<name>.libvirt-qemu (no systemd)
 *   systemd     system.slice/<unit>.service */
#include "glass/cgroup_runtime.h"

#include <stdlib.h>
#include <string.h>

#include "glass/xalloc.h"

#define SHORT_ID_LEN 12

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The part of s between prefix and suffix, or NULL when s is not so
 * shaped or the middle is empty.  The caller's string. */
static char *middle(const char *s, const char *prefix, const char *suffix)
{
	size_t n = strlen(s), p = strlen(prefix), q = strlen(suffix);

	if (n <= p + q || !has_prefix(s, prefix) || !has_suffix(s, suffix))
		return NULL;
	return xstrndup(s + p, n - p - q);
}

/* A container id: lowercase hex, at least a short id long. */
static bool is_hex_id(const char *s)
{
	size_t n = strlen(s);

	if (n < SHORT_ID_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *cgroup_runtime_unescape(const char *s)
{
	size_t n = strlen(s);
	char *out = xmalloc(n + 1);
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		/* A "\x00" would cut the name short: keep it as written. */
		if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' &&
		    (hi = hexval(s[i + 2])) >= 0 && (lo = hexval(s[i + 3])) >= 0 && (hi || lo)) {
			out[o++] = (char)(hi * 16 + lo);
			i += 3;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

bool cgroup_runtime_is_kubepods(const char *component)
{
	return strcmp(component, "kubepods") == 0 || strcmp(component, "kubepods.slice") == 0;
}

long cgroup_runtime_slice_uid(const char *component)
{
	const char *p = component + strlen("user-");
	long uid = 0;

	if (!has_prefix(component, "user-") || !(*p >= '0' && *p <= '9'))
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		uid = uid * 10 + (*p - '0');
		if (uid > 0x7fffffffL)
			return -1;
	}
	return strcmp(p, ".slice") == 0 ? uid : -1;
}

static void set(struct cgroup_runtime_match *out, enum cgroup_role role, const char *runtime,
		char *key, char *name)
{
	out->role = role;
	out->runtime = runtime;
	out->key = key;
	out->name = name;
}

/* A container id gives its key (the full id) and its short name. */
static bool set_id(struct cgroup_runtime_match *out, const char *runtime, char *id)
{
	if (!id)
		return false;
	if (!is_hex_id(id)) {
		free(id);
		return false;
	}
	set(out, CGROUP_ROLE_CONTAINER, runtime, id, xstrndup(id, SHORT_ID_LEN));
	return true;
}

static bool classify_in_pod(const char *c, struct cgroup_runtime_match *out)
{
	return set_id(out, "containerd", middle(c, "cri-containerd-", ".scope")) ||
	       set_id(out, "cri-o", middle(c, "crio-", ".scope")) ||
	       set_id(out, "cri-o", middle(c, "crio-", "")) ||
	       set_id(out, "docker", middle(c, "docker-", ".scope")) ||
	       set_id(out, "containerd", xstrdup(c));
}

/* kubepods-burstable-pod<uid with '_'>.slice or pod<uid>: the uid with '-'. */
static bool classify_pod(const char *c, struct cgroup_runtime_match *out)
{
	char *uid = NULL;

	if (has_prefix(c, "kubepods-") && has_suffix(c, ".slice")) {
		const char *pod = strstr(c, "-pod");
		if (pod)
			uid = middle(pod, "-pod", ".slice");
	} else if (has_prefix(c, "pod")) {
		uid = xstrdup(c + 3);
	}
	if (!uid)
		return false;
	if (strlen(uid) < 8) {
		free(uid);
		return false;
	}
	for (char *p = uid; *p; p++)
		if (*p == '_')
			*p = '-';
	set(out, CGROUP_ROLE_POD, "kubernetes", uid, xasprintf("pod-%s", uid));
	return true;
}

/* "qemu-<id>-<name>" plus a suffix: the domain name. */
static bool classify_qemu(const char *unescaped, const char *suffix,
			  struct cgroup_runtime_match *out)
{
	char *rest = middle(unescaped, "qemu-", suffix);
	const char *p = rest;

	if (!rest)
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == rest || *p != '-' || p[1] == '\0') {
		free(rest);
		return false;
	}
	set(out, CGROUP_ROLE_CONTAINER, "libvirt", NULL, xstrdup(p + 1));
	free(rest);
	return true;
}

static bool classify_named(struct cgroup_runtime_match *out, const char *runtime, char *raw)
{
	if (!raw)
		return false;
	set(out, CGROUP_ROLE_CONTAINER, runtime, NULL, cgroup_runtime_unescape(raw));
	free(raw);
	return true;
}

void cgroup_runtime_classify(const struct cgroup_runtime_ctx *ctx, const char *c,
			     struct cgroup_runtime_match *out)
{
	const char *parent = ctx->parent ? ctx->parent : "";

	set(out, CGROUP_ROLE_PLAIN, NULL, NULL, NULL);
	if (has_prefix(c, "libpod-conmon-") || has_prefix(c, "crio-conmon-") ||
	    has_prefix(c, "lxc.monitor.") || strcmp(c, "lxc.monitor") == 0) {
		out->role = CGROUP_ROLE_IGNORE;
		out->name = xstrdup(c);
		return;
	}
	if (ctx->parent_is_pod && classify_in_pod(c, out))
		return;
	if (ctx->in_kubepods && !ctx->parent_is_pod && classify_pod(c, out))
		return;
	if (set_id(out, "docker", middle(c, "docker-", ".scope")))
		return;
	if (strcmp(parent, "docker") == 0 && set_id(out, "docker", xstrdup(c)))
		return;
	if (set_id(out, "podman", middle(c, "libpod-", ".scope")))
		return;
	if (strcmp(parent, "libpod_parent") == 0 && set_id(out, "podman", middle(c, "libpod-", "")))
		return;
	if (classify_named(out, "lxc", middle(c, "lxc.payload.", "")))
		return;
	if (strcmp(parent, "lxc") == 0 && classify_named(out, "lxc", xstrdup(c)))
		return;
	if (classify_named(out, "systemd-nspawn", middle(c, "systemd-nspawn@", ".service")))
		return;
	if (has_prefix(c, "machine-qemu")) {
		char *u = cgroup_runtime_unescape(c);
		bool ok = has_prefix(u, "machine-") && classify_qemu(u + strlen("machine-"), ".scope", out);
		free(u);
		if (ok)
			return;
	}
	if (strcmp(parent, "machine") == 0 && classify_qemu(c, ".libvirt-qemu", out))
		return;
	if (classify_named(out, "machined", middle(c, "machine-", ".scope")))
		return;
	if (strcmp(parent, "system.slice") == 0 && has_suffix(c, ".service") &&
	    strlen(c) > strlen(".service")) {
		set(out, CGROUP_ROLE_CONTAINER, "systemd", NULL, cgroup_runtime_unescape(c));
		return;
	}
	out->name = xstrdup(c);
}

void cgroup_runtime_match_done(struct cgroup_runtime_match *m)
{
	free(m->key);
	free(m->name);
	m->key = m->name = NULL;
}
