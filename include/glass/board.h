/* board.h: the latest reading of every source, with its health
 * (DESIGN.md §1).
 *
 * Poller threads publish to their own slot (a pointer swap under a mutex)
 * and wake the main loop by writing a byte to a pipe; the main loop polls
 * the pipe's read end beside the terminal and never waits on a source. */
#ifndef GLASS_BOARD_H
#define GLASS_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "glass/errbuf.h"
#include "glass/health.h"
#include "glass/reading.h"

struct board;

/* What the main thread sees of one slot. */
struct board_slot_view {
	struct reading *reading; /* a reference (reading_unref it), or NULL */
	uint64_t seq;            /* bumped on every good reading */
	enum health health;      /* with stale worked out for "now" */
	char reason[ERRBUF_SIZE];
	uint64_t last_ok_mono;    /* 0: never */
	uint64_t next_retry_mono; /* 0: none planned */
	uint64_t last_report_mono; /* last publish or failure report; 0: none */
};

struct board *board_new(size_t n_slots);
void board_free(struct board *b);
size_t board_slots(const struct board *b);

/* The fd to poll for readability; board_drain empties it. */
int board_wake_fd(const struct board *b);
void board_drain(struct board *b);
/* Async-signal-safe: wakes the main loop. */
void board_wake(struct board *b);

/* From a poller: a good reading (the board takes the reference). */
void board_publish(struct board *b, size_t slot, struct reading *r);
/* From a poller: connecting or unreachable, with why and the next retry
 * (0 for none); the last good reading stays on the board. */
void board_report(struct board *b, size_t slot, enum health h, const char *reason,
		  uint64_t next_retry_mono);

/* A slot whose poller is stuck in a call reads as unreachable, "no
 * answer for X s", once it has been silent for longer than ns: stale with
 * no report since, connecting with no report since its sources were first
 * asked (board_asking),
 * or unreachable with its retry overdue.  0 (the default) turns it off. */
void board_set_unreachable_after(struct board *b, uint64_t ns);
/* The pollers start asking now: a source's first silence counts from
 * here, not from the board's making (a window seeded from Prometheus
 * can take half a minute before any source is asked). */
void board_asking(struct board *b, uint64_t now_mono);

/* Copies every slot into views[] (n = board_slots).  A slot whose last
 * good reading is older than stale_after_ns reads as stale. */
void board_read(struct board *b, uint64_t now_mono, uint64_t stale_after_ns,
		struct board_slot_view *views);
void board_views_release(struct board_slot_view *views, size_t n);

#endif
