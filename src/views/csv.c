/* CSV (RFC 4180): a row per node per snapshot, the header once. */
#include <string.h>

#include "glass/clock.h"
#include "glass/escape.h"
#include "glass/view.h"

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
	char time[40];
	unsigned long long seq;
};

static void csv_row(const struct node *n, int depth, void *arg)
{
	struct csv_ctx *ctx = arg;
	struct strbuf cell, safe;

	(void)depth;
	if (!n->matched)
		return;
	strbuf_init(&cell);
	strbuf_init(&safe);
	strbuf_addf(ctx->out, "%s,%llu", ctx->time, ctx->seq);
	for (size_t i = 0; i < ctx->cols->n; i++) {
		strbuf_reset(&cell);
		strbuf_reset(&safe);
		column_csv_value(ctx->cols->cols[i], n, &cell);
		/* names stay exact (quoted) but for invalid UTF-8 and
		 * terminal controls */
		escape_data(&safe, cell.buf ? cell.buf : "");
		strbuf_addc(ctx->out, ',');
		csv_add_field(ctx->out, safe.buf ? safe.buf : "", safe.len);
	}
	strbuf_adds(ctx->out, "\r\n");
	strbuf_done(&cell);
	strbuf_done(&safe);
}

void view_csv_render(const struct tree *t, const struct column_set *cols, bool header,
		     struct strbuf *out)
{
	struct csv_ctx ctx = {cols, out, "", (unsigned long long)t->seq};

	if (header) {
		strbuf_adds(out, "time,sequence");
		for (size_t i = 0; i < cols->n; i++)
			strbuf_addf(out, ",%s", cols->cols[i]->name);
		strbuf_adds(out, "\r\n");
	}
	clock_format_rfc3339(t->wall_ns, ctx.time, sizeof(ctx.time));
	tree_walk(t->root, 0, csv_row, &ctx);
}
