/* poller.h: one thread per source (DESIGN.md §1).  It opens the source,
 * samples it on a fixed grid of ticks and publishes each reading to the
 * board; a failure is reported with its reason and retried with
 * exponential backoff (1 s doubling to 60 s).  A source that hangs blocks
 * only its own poller. */
#ifndef GLASS_POLLER_H
#define GLASS_POLLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "glass/board.h"
#include "glass/source.h"

struct poller;

/* Starts sampling at start_mono, then every interval_ns.  The poller
 * borrows src and b; they outlive it. */
struct poller *poller_start(struct source *src, struct board *b, size_t slot,
			    uint64_t start_mono, uint64_t interval_ns);
/* Asks the thread to stop without waiting: stopping many pollers, ask
 * them all first so that their sources close in parallel. */
void poller_request_stop(struct poller *p);
/* Asks the thread to stop and waits up to wait_ns for it.  Returns true
 * when it ended and was freed (with the source closed); false when it is
 * still stuck in a blocking call: then it is left running, detached, and
 * the caller must not free src or b. */
bool poller_stop(struct poller *p, uint64_t wait_ns);

/* The next retry delay after `prev` (0 for the first failure). */
uint64_t poller_backoff_next(uint64_t prev_ns);

#endif
