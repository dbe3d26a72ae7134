/* view_spill.c: a snapshot handed on in pieces (see view_spill.h). */
#include "glass/view_spill.h"

/* Per thread: the writer renders on the main thread while the exporter
 * renders its own buffers in its threads. */
static _Thread_local struct {
	struct strbuf *out;
	size_t at;
	view_spill_fn *fn;
	void *ctx;
} spill;

void view_spill_set(struct strbuf *out, size_t at, view_spill_fn *fn, void *ctx)
{
	spill.out = out;
	spill.at = at;
	spill.fn = fn;
	spill.ctx = ctx;
}

void view_spill_clear(void)
{
	spill.out = NULL;
	spill.fn = NULL;
	spill.ctx = NULL;
}

void view_row_done(struct strbuf *out)
{
	if (out != spill.out || out->len < spill.at)
		return;
	spill.fn(spill.ctx, out->buf, out->len);
	strbuf_reset(out);
}
