/* options.h: what the operator asked for, from the command line and the
 * config file (DESIGN.md §4).  The command line wins over the config for
 * single values; lists (hypervisors) gather from both. */
#ifndef GLASS_OPTIONS_H
#define GLASS_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/errbuf.h"

enum output_format {
	FORMAT_TEXT,
	FORMAT_JSON,
};

/* Which single-valued options the command line set (config must not
 * override them). */
enum option_set_bit {
	OPTSET_INTERVAL = 1 << 0,
	OPTSET_FORMAT = 1 << 1,
	OPTSET_ITERATIONS = 1 << 2,
	OPTSET_THEME = 1 << 3,
};

struct options {
	bool batch;
	long iterations;    /* -n: snapshots; 0 = until interrupted */
	double interval_s;  /* -d */
	enum output_format format;
	char *output_path;  /* -o; NULL = stdout */
	char *config_path;  /* -C; NULL = the default search */
	bool no_local;
	char **uris;        /* -c, repeatable */
	size_t n_uris;
	char *theme;        /* --theme; NULL = "default" */
	unsigned set_on_cli; /* enum option_set_bit */
};

enum options_result {
	OPTIONS_RUN,   /* go on */
	OPTIONS_EXIT,  /* help or version printed: exit 0 */
	OPTIONS_ERROR, /* usage error in err: exit 2 */
};

void options_init(struct options *o);
void options_done(struct options *o);
enum options_result options_parse(struct options *o, int argc, char **argv, struct errbuf *err);

/* Value parsers shared with the config file: 0 or -1 with err. */
int options_parse_interval(const char *s, double *out, struct errbuf *err);
int options_parse_iterations(const char *s, long *out, struct errbuf *err);
int options_parse_format(const char *s, enum output_format *out, struct errbuf *err);
const char *options_format_name(enum output_format f);
void options_add_uri(struct options *o, const char *uri);
/* A theme name (or a path to a theme file): 0 or -1 with err. */
int options_parse_theme(const char *s, char **out, struct errbuf *err);

/* The text of --help (static). */
const char *options_help_text(void);

#endif
