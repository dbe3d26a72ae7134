/* replay_loader.h: the TUI's --replay snapshots read on a thread of their
 * own.  A 100,000-node snapshot takes seconds to read; read in the main
 * loop, every key would wait for it. */
#ifndef GLASS_REPLAY_LOADER_H
#define GLASS_REPLAY_LOADER_H

#include <stddef.h>

#include "glass/errbuf.h"
#include "glass/node.h"

struct replay_index;
struct replay_loader;

/* Reads from ri, which the loader then uses alone (but for
 * replay_index_count) until replay_loader_free.  NULL when no thread
 * could be started. */
struct replay_loader *replay_loader_new(struct replay_index *ri);
/* Readable when a snapshot asked for is read (or failed). */
int replay_loader_fd(const struct replay_loader *l);
/* Asks for snapshot i; a newer request replaces one not yet started.
 * None starts while a snapshot read is not taken: at 100,000 nodes each
 * tree is 60 MiB, and the screen's, the one read and one being read
 * would all be held. */
void replay_loader_request(struct replay_loader *l, size_t i);
/* The snapshot read: 1 with *t and *i, 0 with err ("FILE:LINE: why")
 * when it could not be read, -1 when none is ready yet.  Taking one
 * drops any request made meanwhile: the caller asks again once the tree
 * it replaces is freed. */
int replay_loader_take(struct replay_loader *l, struct tree **t, size_t *i, struct errbuf *err);
/* Waits for a read under way to end. */
void replay_loader_free(struct replay_loader *l);

#endif
