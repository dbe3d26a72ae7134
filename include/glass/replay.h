/* replay.h: glass --replay FILE: a --record file shown as if live. */
#ifndef GLASS_REPLAY_H
#define GLASS_REPLAY_H

#include <stddef.h>

#include "glass/errbuf.h"
#include "glass/node.h"
#include "glass/options.h"

/* Shows the recorded snapshots through the batch writer; returns the
 * exit status (2 for a line that is not a glass snapshot, FILE:LINE). */
int replay_run(const struct options *o);

/* A --record file indexed by line for the TUI, which steps back and
 * forth in it ([ and ]): only the offsets stay in memory, a snapshot is
 * parsed when shown.  A truncated last line (a crash while recording) is
 * left out. */
struct replay_index;
/* NULL with err ("--replay FILE: why") when the file cannot be read or
 * holds no snapshot line. */
struct replay_index *replay_index_open(const char *path, struct errbuf *err);
size_t replay_index_count(const struct replay_index *ri);
/* Snapshot i (0-based) as a tree; NULL with err "FILE:LINE: why". */
struct tree *replay_index_load(struct replay_index *ri, size_t i, struct errbuf *err);
void replay_index_free(struct replay_index *ri);

#endif
