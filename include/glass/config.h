/* config.h: the config file (DESIGN.md §4): `key = value` lines, `#`
 * comments, blank lines.  An error names file:line. */
#ifndef GLASS_CONFIG_H
#define GLASS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/errbuf.h"
#include "glass/options.h"

/* Applies the config text (named `path` in errors) to o; values set on
 * the command line stay.  0, or -1 with "path:line: why" in err. */
int config_apply_text(struct options *o, const char *path, const char *text, size_t len,
		      struct errbuf *err);
/* Reads and applies a file.  A missing file is an error only when
 * must_exist (it was named with -C). */
int config_load_file(struct options *o, const char *path, bool must_exist, struct errbuf *err);
/* Cuts leading and trailing blanks in place; returns the first kept
 * byte.  Shared with the theme loader, which reads the same kind of lines. */
char *config_trim(char *s);
/* The first existing default config, or NULL: $XDG_CONFIG_HOME/glass/glassrc
 * (else ~/.config/glass/glassrc), then /etc/glass/glassrc.  The caller's. */
char *config_default_path(void);

#endif
