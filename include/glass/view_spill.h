/* view_spill.h: a large snapshot handed on as it is rendered.
 *
 * A fleet's snapshot is 13 MiB of CSV ids or 100 MiB of JSON: rendered
 * whole, it sat beside the tree, the readings and the model.  While a
 * spill is set for a buffer, a view that calls view_row_done() after
 * each whole row (or node) hands the buffer's bytes to the spill once
 * they are over `at`, and starts the buffer again; the bytes arrive in
 * order and whole rows at a time, so a reader sees the same stream. */
#ifndef GLASS_VIEW_SPILL_H
#define GLASS_VIEW_SPILL_H

#include <stddef.h>

#include "glass/strbuf.h"

typedef void view_spill_fn(void *ctx, const char *bytes, size_t len);

/* Until view_spill_clear(): rows rendered into `out` on this thread go to
 * fn(ctx, ...) whenever `out` holds `at` bytes or more. */
void view_spill_set(struct strbuf *out, size_t at, view_spill_fn *fn, void *ctx);
/* Stops spilling; what is left in the buffer is the caller's. */
void view_spill_clear(void);
/* A view's row (or node) ends here: spill `out` if it is the buffer a
 * spill is set for and it is full enough. */
void view_row_done(struct strbuf *out);

#endif
