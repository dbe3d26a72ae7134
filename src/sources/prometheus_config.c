/* Apart from prometheus.c, which needs libcurl: a glass built without it
 * still knows the keys (and refuses the URIs in one line). */
#include "glass/source_prometheus.h"

#include <stdlib.h>
#include <string.h>

#include "glass/options.h"
#include "glass/source_config.h"
#include "glass/xalloc.h"

static void *prometheus_settings_new(void)
{
	return xcalloc(1, sizeof(struct prometheus_settings));
}

static void prometheus_settings_free(void *p)
{
	struct prometheus_settings *s = p;

	free(s->user);
	free(s->password_file);
	free(s->bearer_token_file);
	free(s);
}

static int prometheus_parse(void *p, const char *key, const char *value, struct errbuf *why)
{
	struct prometheus_settings *s = p;

	if (strcmp(key, "prometheus.user") == 0)
		options_set_string(&s->user, value);
	else if (strcmp(key, "prometheus.password_file") == 0)
		return options_parse_path(&s->password_file, value, why);
	else if (strcmp(key, "prometheus.bearer_token_file") == 0)
		return options_parse_path(&s->bearer_token_file, value, why);
	else
		return 1;
	return 0;
}

const struct source_config prometheus_config = {
	.prefix = "prometheus",
	.settings_new = prometheus_settings_new,
	.parse = prometheus_parse,
	.settings_free = prometheus_settings_free,
};
