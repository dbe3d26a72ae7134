#include "glass/source_cgroup.h"

#include <stdlib.h>
#include <string.h>

#include "glass/options.h"
#include "glass/source_config.h"
#include "glass/xalloc.h"

static void *cgroup_settings_new(void)
{
	return xcalloc(1, sizeof(struct cgroup_settings));
}

static void cgroup_settings_free(void *p)
{
	struct cgroup_settings *s = p;

	free(s->root);
	free(s->docker_root);
	free(s->podman_root);
	free(s->k8s_log_dir);
	free(s);
}

static int cgroup_parse(void *p, const char *key, const char *value, struct errbuf *why)
{
	struct cgroup_settings *s = p;

	if (strcmp(key, "cgroup.root") == 0)
		return options_parse_path(&s->root, value, why);
	if (strcmp(key, "cgroup.docker-root") == 0)
		return options_parse_path(&s->docker_root, value, why);
	if (strcmp(key, "cgroup.podman-root") == 0)
		return options_parse_path(&s->podman_root, value, why);
	if (strcmp(key, "cgroup.k8s-log-dir") == 0)
		return options_parse_path(&s->k8s_log_dir, value, why);
	return 1;
}

const struct source_config cgroup_config = {
	.prefix = "cgroup",
	.settings_new = cgroup_settings_new,
	.parse = cgroup_parse,
	.settings_free = cgroup_settings_free,
};

const struct cgroup_settings *source_cgroup_settings(const struct options *o)
{
	static const struct cgroup_settings none;
	const struct cgroup_settings *s = source_settings(o, &cgroup_config);

	return s ? s : &none;
}

const char *source_cgroup_root(const struct options *o)
{
	return o->cgroup_root ? o->cgroup_root : source_cgroup_settings(o)->root;
}
