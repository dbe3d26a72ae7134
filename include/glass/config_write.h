/* config_write.h: glass writes its own keys into the config file (the
 * setup screen): every other line, comments and blank lines kept byte
 * for byte; the file replaced atomically (atomic_file.h). */
#ifndef GLASS_CONFIG_WRITE_H
#define GLASS_CONFIG_WRITE_H

#include <stddef.h>

#include "glass/errbuf.h"

/* The text with keys[i] set to values[i]: a key's first line replaced
 * where it stands, its repeats dropped, a missing key appended.  The
 * caller's (pure). */
char *config_set_text(const char *text, size_t len, const char *const *keys,
		      const char *const *values, size_t n);
/* The file the setup screen writes: -C's path, else the user's
 * ($XDG_CONFIG_HOME/glass/glassrc, else ~/.config/glass/glassrc); NULL
 * when there is no home.  The caller's. */
char *config_user_path(const char *named);
/* Sets the keys in `path` (made, with its directory, when missing),
 * starting from `base` when path does not exist yet (the system config
 * it stood in for; NULL: empty).  0, or -1 with err. */
int config_save_keys(const char *path, const char *base, const char *const *keys,
		     const char *const *values, size_t n, struct errbuf *err);

#endif
