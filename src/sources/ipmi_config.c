#include "glass/source_ipmi.h"

#include <stdlib.h>
#include <string.h>

#include "glass/options.h"
#include "glass/source_config.h"
#include "glass/xalloc.h"

static void *ipmi_settings_new(void)
{
	return xcalloc(1, sizeof(struct ipmi_settings));
}

static void ipmi_settings_free(void *p)
{
	struct ipmi_settings *s = p;

	free(s->password_file);
	free(s);
}

static int ipmi_parse(void *p, const char *key, const char *value, struct errbuf *why)
{
	struct ipmi_settings *s = p;

	if (strcmp(key, "ipmi.password_file") == 0)
		return options_parse_path(&s->password_file, value, why);
	return 1;
}

const struct source_config ipmi_config = {
	.prefix = "ipmi",
	.uri_key = "ipmi",
	.uri_claims = source_ipmi_uri,
	.uri_expects = "an ipmi://, ipmi+lan:// or ipmi+lanplus:// URI",
	.settings_new = ipmi_settings_new,
	.parse = ipmi_parse,
	.settings_free = ipmi_settings_free,
};
