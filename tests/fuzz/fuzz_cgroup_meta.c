/* libFuzzer harness: the runtimes' metadata that names containers
 * (cgroup_names.h) other than docker's config.v2.json (fuzz_cgroup_names):
 * podman's containers.json, read from a file as the source reads it, and
 * the k8s log entry names (<pod>_<ns>_<ctr>-<id>.log links and
 * <ns>_<pod>_<uid> directories), one per input line.  cgroup_names.c is
 * included for its private readers: the public API finds these only
 * under fixed directory layouts.  Invariants: every name found is a
 * string; a container id from a log link is the 64-byte id; a pod's name
 * is "namespace/pod". */
#include "src/sources/cgroup_names.c"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check_name(void *value, void *arg)
{
	const char *v = value;

	(void)arg;
	if (!v)
		__builtin_trap();
	return 1;
}

static int check_pod(void *value, void *arg)
{
	const char *v = value;

	(void)arg;
	if (!v || !strchr(v, '/'))
		__builtin_trap();
	return 1;
}

static char *json_path(void)
{
	static char path[64];

	if (!path[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(path, sizeof(path), "%s/glass-fuzz-meta-%ld.json",
			 tmp && *tmp && strlen(tmp) < 30 ? tmp : "/tmp", (long)getpid());
	}
	return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct watched podman, ctrs, pods;
	char *path = json_path();
	FILE *f = fopen(path, "we");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	watched_init(&podman, xstrdup(path));
	read_podman(&podman);
	unlink(path);
	idmap_sweep(podman.map, check_name, NULL, free);

	watched_init(&ctrs, xstrdup("k8s/containers"));
	watched_init(&pods, xstrdup("k8s/pods"));
	for (size_t pos = 0; pos < size;) {
		const char *nl = memchr(data + pos, '\n', size - pos);
		size_t end = nl ? (size_t)(nl - (const char *)data) : size;
		char *entry = xstrndup((const char *)data + pos, end - pos);
		/* readdir's names: no '/', never "." or ".." (skipped as dot files) */
		if (entry[0] && entry[0] != '.' && !strchr(entry, '/')) {
			k8s_container_link(&ctrs, entry);
			k8s_pod_dir(&pods, entry);
		}
		free(entry);
		pos = end + 1;
	}
	idmap_sweep(ctrs.map, check_name, NULL, free);
	idmap_sweep(pods.map, check_pod, NULL, free);
	watched_done(&podman);
	watched_done(&ctrs);
	watched_done(&pods);
	return 0;
}
