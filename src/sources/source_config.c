#include "glass/source_config.h"

#include <stdlib.h>
#include <string.h>

#include "glass/options.h"
#include "glass/source_cgroup.h"
#include "glass/source_ipmi.h"
#include "glass/source_libvirt.h"
#include "glass/source_prometheus.h"
#include "glass/source_remote.h"
#include "glass/xalloc.h"

const struct source_config *const source_configs[] = {
	&remote_config, &libvirt_config, &cgroup_config, &ipmi_config, &prometheus_config,
};
const size_t n_source_configs = sizeof(source_configs) / sizeof(source_configs[0]);

void **source_settings_new_all(void)
{
	void **all = xcalloc(n_source_configs, sizeof(*all));

	for (size_t i = 0; i < n_source_configs; i++)
		if (source_configs[i]->settings_new)
			all[i] = source_configs[i]->settings_new();
	return all;
}

void source_settings_free_all(void **settings)
{
	if (!settings)
		return;
	for (size_t i = 0; i < n_source_configs; i++)
		if (settings[i])
			source_configs[i]->settings_free(settings[i]);
	free(settings);
}

void *source_settings(const struct options *o, const struct source_config *c)
{
	for (size_t i = 0; i < n_source_configs; i++)
		if (source_configs[i] == c)
			return o->source_settings ? o->source_settings[i] : NULL;
	return NULL;
}

int source_config_apply(struct options *o, const char *key, const char *value, struct errbuf *why)
{
	if (!o->source_settings) /* options_done()'s, used again */
		o->source_settings = source_settings_new_all();
	for (size_t i = 0; i < n_source_configs; i++) {
		const struct source_config *c = source_configs[i];

		if (c->uri_key && strcmp(key, c->uri_key) == 0) {
			if (c->uri_claims && !c->uri_claims(value))
				return errbuf_set(why, "%s = expects %s", key, c->uri_expects);
			options_add_uri(o, value);
			return 0;
		}
		size_t plen = c->prefix ? strlen(c->prefix) : 0;
		if (plen && strncmp(key, c->prefix, plen) == 0 && key[plen] == '.' && c->parse) {
			int rc = c->parse(o->source_settings[i], key, value, why);
			if (rc <= 0)
				return rc;
		}
	}
	return 1;
}
