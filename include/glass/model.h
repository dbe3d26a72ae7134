/* model.h: from the board's readings to a finished tree (DESIGN.md §1).
 *
 * Pure code on the main thread: no I/O, no locks, no curses.  It keeps,
 * per stable id, the counters of the last reading it saw, so each new
 * reading turns into rates; state for ids that disappear is swept. */
#ifndef GLASS_MODEL_H
#define GLASS_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "glass/board.h"
#include "glass/guest_join.h"
#include "glass/node.h"
#include "glass/reading.h"

struct model;

/* What the model needs to know of each source (borrowed strings). */
struct model_source {
	const char *name;
	const char *kind;
};

struct model *model_new(const struct model_source *sources, size_t n_sources);
void model_free(struct model *m);
/* How guest hosts join their VMs (guest_join.h); the links are borrowed
 * for the model's life.  Without a call: UUID, then MAC, no links. */
void model_set_guests(struct model *m, const struct guest_policy *policy);

/* Takes the counters of a reading from source `slot` into the rate state.
 * A reading not newer than the last one ingested for that slot is ignored,
 * so the main loop may call this on every wake-up. */
void model_ingest(struct model *m, size_t slot, const struct reading *r);

/* Builds the tree from the board's views (one per source, ingesting them
 * first).  The caller owns the tree. */
struct tree *model_build(struct model *m, const struct board_slot_view *views,
			 uint64_t now_mono, uint64_t now_wall, double interval_s);

/* The energy an energy counter gained from prev to cur (any unit): on a
 * wrap past max, max - prev + cur; unknown on a reset (cur below prev with
 * no known max) or an unknown input. */
uint64_t model_energy_delta(uint64_t prev, uint64_t cur, uint64_t max);

#endif
