/* source_config.h: a source type's own settings and config keys
 * (DESIGN.md §4).  A type with settings defines a `struct source_config`
 * in its src/sources/<kind>_config.c; its row in the source table names
 * it.  The options hold one settings object per config, opaque to them;
 * config.c hands every key under a config's prefix to its parse function
 * and knows none of them. */
#ifndef GLASS_SOURCE_CONFIG_H
#define GLASS_SOURCE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/errbuf.h"

struct options;

struct source_config {
	/* Its keys are "<prefix>.<name>"; NULL: none. */
	const char *prefix;
	/* A key whose value is a URI of this type, watched as -c watches it
	 * (host = glass+ssh://...); NULL: none.  uri_claims NULL: any URI;
	 * else one it refuses is "<uri_key> = expects <uri_expects>". */
	const char *uri_key;
	bool (*uri_claims)(const char *uri);
	const char *uri_expects;
	/* The settings with every default; NULL: the type has none. */
	void *(*settings_new)(void);
	/* Takes one "<prefix>.<name>" key: 0, 1 when the key is not one of
	 * its own, or -1 with why in why (without file:line, which the
	 * caller adds). */
	int (*parse)(void *settings, const char *key, const char *value, struct errbuf *why);
	/* Frees the settings, wiping any secret they hold. */
	void (*settings_free)(void *settings);
};

/* Every config a row of the source table names, once each, in the
 * table's order.  The list sits apart from the table so the config file
 * is read (and fuzzed) without linking the sources themselves;
 * tests/unit/test_source_table.c checks the two agree. */
extern const struct source_config *const source_configs[];
extern const size_t n_source_configs;

/* Makes and frees the settings of every config (options_init, _done). */
void **source_settings_new_all(void);
void source_settings_free_all(void **settings);
/* The settings o holds for c (as c->settings_new made them, then the
 * config file changed them); NULL when c has none. */
void *source_settings(const struct options *o, const struct source_config *c);
/* A config file key for the sources: 0 taken, -1 with why, 1 when no
 * source knows it. */
int source_config_apply(struct options *o, const char *key, const char *value, struct errbuf *why);

#endif
