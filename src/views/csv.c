/* CSV (RFC 4180): a row per node per snapshot, the header once. */
#include <stdio.h>
#include <string.h>

#include "glass/clock.h"
#include "glass/escape.h"
#include "glass/view.h"
#include "glass/view_spill.h"

void csv_add_field(struct strbuf *out, const char *s, size_t len)
{
	if (strcspn(s, ",\"\r\n") >= len) {
		strbuf_add(out, s, len);
		return;
	}
	strbuf_addc(out, '"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			strbuf_addc(out, '"');
		strbuf_addc(out, s[i]);
	}
	strbuf_addc(out, '"');
}

struct csv_ctx {
	const struct column_set *cols;
	struct strbuf *out;
	char lead[64]; /* "time,sequence", the same on every row */
	struct strbuf cell, safe; /* a text cell, then escaped: reused row to row */
};

static void csv_row(const struct node *n, int depth, void *arg)
{
	struct csv_ctx *ctx = arg;

	(void)depth;
	if (!n->matched)
		return;
	strbuf_adds(ctx->out, ctx->lead);
	for (size_t i = 0; i < ctx->cols->n; i++) {
		const struct column *c = ctx->cols->cols[i];

		strbuf_addc(ctx->out, ',');
		if (c->type != COLUMN_TEXT && c->type != COLUMN_BOOL) {
			/* a number: digits, point, sign, nothing to quote */
			column_csv_value(c, n, ctx->out);
			continue;
		}
		strbuf_reset(&ctx->cell);
		strbuf_reset(&ctx->safe);
		column_csv_value(c, n, &ctx->cell);
		/* names stay exact (quoted) but for invalid UTF-8 and
		 * terminal controls */
		escape_data(&ctx->safe, ctx->cell.buf ? ctx->cell.buf : "");
		csv_add_field(ctx->out, ctx->safe.buf ? ctx->safe.buf : "", ctx->safe.len);
	}
	strbuf_add(ctx->out, "\r\n", 2);
	view_row_done(ctx->out);
}

void view_csv_render(const struct tree *t, const struct column_set *cols, bool header,
		     struct strbuf *out)
{
	struct csv_ctx ctx = {.cols = cols, .out = out};
	char time[40];

	if (header) {
		strbuf_adds(out, "time,sequence");
		for (size_t i = 0; i < cols->n; i++)
			strbuf_addf(out, ",%s", cols->cols[i]->name);
		strbuf_adds(out, "\r\n");
	}
	clock_format_rfc3339(t->wall_ns, time, sizeof(time));
	snprintf(ctx.lead, sizeof(ctx.lead), "%s,%llu", time, (unsigned long long)t->seq);
	strbuf_init(&ctx.cell);
	strbuf_init(&ctx.safe);
	tree_walk(t->root, 0, csv_row, &ctx);
	strbuf_done(&ctx.cell);
	strbuf_done(&ctx.safe);
}
