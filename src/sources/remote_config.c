#include "glass/source_remote.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "glass/options.h"
#include "glass/source_config.h"
#include "glass/xalloc.h"

static void *remote_settings_new(void)
{
	return xcalloc(1, sizeof(struct remote_settings));
}

static void remote_settings_free(void *p)
{
	struct remote_settings *s = p;

	free(s->ssh);
	free(s->command);
	free(s);
}

static int parse_max_nodes(const char *value, size_t *out, struct errbuf *why)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(value, &end, 10);
	if (value[0] < '0' || value[0] > '9' || *end || errno || v < 1 || v > 100000000ULL)
		return errbuf_set(why, "remote.max_nodes: '%.60s' is not a whole number from 1 to 100000000",
				  value);
	*out = (size_t)v;
	return 0;
}

static int remote_parse(void *p, const char *key, const char *value, struct errbuf *why)
{
	struct remote_settings *s = p;

	if (strcmp(key, "remote.ssh") == 0)
		options_set_string(&s->ssh, value);
	else if (strcmp(key, "remote.command") == 0)
		options_set_string(&s->command, value);
	else if (strcmp(key, "remote.max_nodes") == 0)
		return parse_max_nodes(value, &s->max_nodes, why);
	else
		return 1;
	return 0;
}

const struct source_config remote_config = {
	.prefix = "remote",
	.uri_key = "host",
	.uri_claims = source_remote_uri,
	.uri_expects = "a glass+ssh://[user@]host[:port] URI",
	.settings_new = remote_settings_new,
	.parse = remote_parse,
	.settings_free = remote_settings_free,
};
