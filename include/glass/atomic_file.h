/* atomic_file.h: a reader never sees half a file.  The bytes go to a
 * temporary file in the target's directory (same filesystem), are flushed,
 * and the temporary is renamed over the target; on any failure the old
 * file stays as it was and the temporary is removed. */
#ifndef GLASS_ATOMIC_FILE_H
#define GLASS_ATOMIC_FILE_H

#include <stddef.h>

#include "glass/errbuf.h"

/* write(2) until all of it is written or a real error: 0 or -1 (errno). */
int fd_write_all(int fd, const void *data, size_t len);

int atomic_file_write(const char *path, const void *data, size_t len, struct errbuf *err);

/* Removes the temporaries of path that a glass killed mid-write left in
 * path's directory (its own name pattern, for this path only, and only
 * when the process that made one is gone); returns how many. */
int atomic_file_clean_stale(const char *path);

#endif
