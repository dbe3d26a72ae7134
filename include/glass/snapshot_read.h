/* snapshot_read.h: a glass JSON snapshot back into a tree, for --replay
 * (and later for a remote glass's stream).  The input is untrusted: any
 * shape that is not a glass snapshot of a known schema version is an
 * error with a reason, never a crash. */
#ifndef GLASS_SNAPSHOT_READ_H
#define GLASS_SNAPSHOT_READ_H

#include <stddef.h>

#include "glass/errbuf.h"
#include "glass/node.h"

/* Parses one JSON document (one line of a --record file).  The caller
 * owns the tree; NULL with err on failure.  A figure that is negative,
 * not finite or beyond what any machine holds reads as unknown. */
struct tree *snapshot_parse(const char *text, size_t len, struct errbuf *err);
/* The same, refusing a tree of more than max_nodes nodes (0: no cap). */
struct tree *snapshot_parse_max(const char *text, size_t len, size_t max_nodes, struct errbuf *err);
/* The same, spending the text: the pages of it already read go back to
 * the system as the tree grows (their bytes are zeros after), so a
 * fleet's line (100 MiB) and its tree are not held whole together.  The
 * caller may only free the text or write it over. */
struct tree *snapshot_parse_spent(char *text, size_t len, size_t max_nodes, struct errbuf *err);

/* "2026-11-25T10:05:43.123Z" -> ns since the epoch; 0 when malformed. */
unsigned long long snapshot_parse_time(const char *s);

#endif
