#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glass/clock.h"
#include "glass/columns.h"
#include "glass/escape.h"
#include "glass/idle.h"
#include "glass/idle_label.h"
#include "glass/units.h"
#include "glass/value.h"
#include "glass/view.h"
#include "glass/view_spill.h"
#include "glass/xalloc.h"

#define NAME_WIDTH 34

/* Display columns of a UTF-8 string: one per character (wide glyphs are
 * rare in names; an escaped name is ASCII anyway). */
static size_t display_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

/* s cut to `width` display columns, its last one an ellipsis when it was
 * longer: a long id or pod name never pushes the columns after it. */
static void add_cut(struct strbuf *out, const char *s, size_t width)
{
	const char *ell = units_is_utf8() ? "\xe2\x80\xa6" : "~";
	size_t w = 0;
	const char *p = s;

	if (display_width(s) <= width) {
		strbuf_adds(out, s);
		return;
	}
	if (width == 0)
		return;
	for (; *p; p++) {
		if (((unsigned char)*p & 0xc0) != 0x80) {
			if (w == width - 1)
				break;
			w++;
		}
	}
	strbuf_add(out, s, (size_t)(p - s));
	strbuf_adds(out, ell);
}

static void add_col(struct strbuf *out, const char *s, size_t width)
{
	size_t w = display_width(s);

	if (w < width)
		strbuf_pad(out, width - w);
	strbuf_adds(out, s);
}

static void render_header(const struct tree *t, struct strbuf *out)
{
	char when[40];
	size_t counts[4] = {0};

	clock_format_rfc3339(t->wall_ns, when, sizeof(when));
	strbuf_addf(out, "glass %s  %s  interval %gs  snapshot %llu  nodes %zu\n", PACKAGE_VERSION,
		    when, t->interval_s, (unsigned long long)t->seq, t->n_nodes);
	for (size_t i = 0; i < t->n_sources; i++)
		counts[t->sources[i].health]++;
	strbuf_adds(out, "sources:");
	for (int h = HEALTH_CONNECTING; h <= HEALTH_UNREACHABLE; h++)
		if (counts[h])
			strbuf_addf(out, " %zu %s", counts[h], health_name((enum health)h));
	strbuf_addc(out, '\n');
	if (t->root->rollup) {
		char *line = idle_summary_line(t->root->rollup, units_is_utf8());
		strbuf_adds(out, line);
		strbuf_addc(out, '\n');
		free(line);
	}
	for (size_t i = 0; i < t->n_sources; i++) {
		const struct tree_source *s = &t->sources[i];

		if (s->same_as >= 0 && (size_t)s->same_as < t->n_sources) {
			strbuf_adds(out, "  ");
			escape_terminal(out, s->name);
			strbuf_adds(out, ": the same host as ");
			escape_terminal(out, t->sources[s->same_as].name);
			strbuf_adds(out, ", shown once\n");
		}
		if (s->health == HEALTH_OK)
			continue;
		strbuf_adds(out, "  ");
		escape_terminal(out, s->name);
		strbuf_addf(out, ": %s", health_name(s->health));
		if (s->reason) {
			strbuf_adds(out, ": ");
			escape_terminal(out, s->reason);
		}
		if (s->next_retry_wall_ns) {
			char retry[40];
			clock_format_rfc3339(s->next_retry_wall_ns, retry, sizeof(retry));
			strbuf_addf(out, " (retry at %s)", retry);
		}
		strbuf_addc(out, '\n');
	}
}

struct text_ctx {
	struct strbuf *out;
	const struct column_set *cols;
	int *decimals; /* per column: cores with 2 decimals if any needs them */
};

/* A column of cores prints every row with the same decimals: "1.00"
 * beside "1.50", never "1" beside "1.50"; whole numbers only when every
 * row is whole. */
static void find_decimals(const struct node *n, int depth, void *arg)
{
	struct text_ctx *ctx = arg;

	(void)depth;
	if (!n->selected || n->kind == NODE_SITE)
		return;
	for (size_t i = 0; i < ctx->cols->n; i++) {
		const struct column *c = ctx->cols->cols[i];
		double v;

		if (c->type != COLUMN_CORES)
			continue;
		v = column_number(c, n);
		if (value_known(v) && fabs(v - round(v)) >= 0.005)
			ctx->decimals[i] = 2;
	}
}

static void render_columns(const struct column_set *cols, struct strbuf *out)
{
	strbuf_adds(out, "NAME");
	strbuf_pad(out, NAME_WIDTH - 4);
	for (size_t i = 0; i < cols->n; i++) {
		const struct column *c = cols->cols[i];

		if (strcmp(c->name, "name") == 0)
			continue;
		strbuf_addc(out, ' ');
		if (c->type == COLUMN_TEXT || c->type == COLUMN_BOOL) {
			strbuf_adds(out, c->title);
			if ((size_t)c->width > strlen(c->title) && i + 1 < cols->n)
				strbuf_pad(out, (size_t)c->width - strlen(c->title));
		} else {
			add_col(out, c->title, (size_t)c->width);
		}
	}
	strbuf_addc(out, '\n');
}

static void render_host_extras(const struct node *n, int depth, struct strbuf *out)
{
	char a[32], b[32], c[32];
	size_t indent = (size_t)depth * 2 + 4;

	if (value_known(n->res.load[0])) {
		units_number(n->res.load[0], 2, a, sizeof(a));
		units_number(n->res.load[1], 2, b, sizeof(b));
		units_number(n->res.load[2], 2, c, sizeof(c));
		strbuf_pad(out, indent);
		strbuf_addf(out, "load %s %s %s", a, b, c);
		units_bytes(n->res.swap_bytes_used, a, sizeof(a));
		units_bytes(n->res.swap_bytes_total, b, sizeof(b));
		strbuf_addf(out, "  swap %s of %s", a, b);
		units_bytes(n->res.mem_bytes_available, a, sizeof(a));
		strbuf_addf(out, "  mem available %s\n", a);
	}
	if (value_known(n->res.psi_some[PSI_CPU]) || value_known(n->res.psi_some[PSI_MEMORY]) ||
	    value_known(n->res.psi_some[PSI_IO])) {
		units_number(n->res.psi_some[PSI_CPU], 2, a, sizeof(a));
		units_number(n->res.psi_some[PSI_MEMORY], 2, b, sizeof(b));
		units_number(n->res.psi_some[PSI_IO], 2, c, sizeof(c));
		strbuf_pad(out, indent);
		strbuf_addf(out, "pressure (some, avg10) cpu %s%% memory %s%% io %s%%\n", a, b, c);
	}
	for (size_t i = 0; i < n->n_fs; i++) {
		const struct node_fs *f = &n->fs[i];

		units_bytes(f->used_bytes, a, sizeof(a));
		units_bytes(f->size_bytes, b, sizeof(b));
		strbuf_pad(out, indent);
		strbuf_adds(out, "fs ");
		escape_terminal(out, f->mount);
		strbuf_addf(out, "  %s of %s", a, b);
		units_bytes(f->avail_bytes, c, sizeof(c));
		strbuf_addf(out, ", %s available", c);
		if (f->fs_type) {
			strbuf_adds(out, " (");
			escape_terminal(out, f->fs_type);
			strbuf_addc(out, ')');
		}
		strbuf_addc(out, '\n');
	}
}

static void render_cell(const struct column *c, const struct node *n, bool last,
			const struct text_ctx *ctx, size_t col, struct strbuf *out)
{
	char v[96];
	struct strbuf esc;

	strbuf_addc(out, ' ');
	if (c->type != COLUMN_TEXT && c->type != COLUMN_BOOL) {
		if (c->type == COLUMN_CORES)
			units_number(column_number(c, n), ctx->decimals[col], v, sizeof(v));
		else
			column_text_value(c, n, v, sizeof(v));
		add_col(out, v, (size_t)c->width);
		return;
	}
	strbuf_init(&esc);
	const char *raw = column_text(c, n);
	escape_terminal(&esc, raw ? raw : "");
	if (strcmp(c->name, "state") == 0 && n->stale)
		strbuf_adds(&esc, esc.len ? "/stale" : "stale");
	else if (strcmp(c->name, "state") == 0 && n->health != HEALTH_OK) {
		if (esc.len)
			strbuf_addc(&esc, '/');
		strbuf_adds(&esc, health_name(n->health));
	}
	const char *txt = esc.buf ? esc.buf : "";
	size_t w = display_width(txt);
	if (last) {
		strbuf_adds(out, txt);
	} else {
		add_cut(out, txt, (size_t)c->width);
		if (w < (size_t)c->width)
			strbuf_pad(out, (size_t)c->width - w);
	}
	strbuf_done(&esc);
}

/* A VM's joined guest, as its own OS sees itself, under the VM's row;
 * and why a join was not made, under the host or VM it concerns. */
static void render_guest_extras(const struct node *n, int depth, struct strbuf *out)
{
	char a[32], b[32], c[32];
	size_t indent = (size_t)depth * 2 + 4;
	const struct guest_view *g = n->guest;

	if (g) {
		strbuf_pad(out, indent);
		strbuf_adds(out, "guest ");
		escape_terminal(out, g->host_name);
		strbuf_addf(out, " (joined by %s%s): cpu ", g->joined_by, g->stale ? ", stale" : "");
		units_cores(g->cpu_cores_used, a, sizeof(a));
		units_cores(g->cpu_cores, b, sizeof(b));
		strbuf_addf(out, "%s of %s", a, b);
		units_bytes(g->mem_bytes_used, a, sizeof(a));
		units_bytes(g->mem_bytes_available, b, sizeof(b));
		strbuf_addf(out, "  mem %s used, %s available", a, b);
		units_number(g->load[0], 2, a, sizeof(a));
		strbuf_addf(out, "  load %s\n", a);
		strbuf_pad(out, indent);
		units_cores(g->inner_cpu_unallocated, a, sizeof(a));
		units_bytes(g->inner_mem_unallocated, b, sizeof(b));
		units_number(g->psi_some[PSI_CPU], 2, c, sizeof(c));
		strbuf_addf(out, "inner unallocated %s cores, %s  pressure cpu %s%%\n", a, b, c);
	}
	if (node_join_note(n)) {
		strbuf_pad(out, indent);
		strbuf_adds(out, "guest join: ");
		escape_terminal(out, node_join_note(n));
		strbuf_addc(out, '\n');
	}
}

/* Why a node its source speaks for is not ok, under its row (a whole
 * source's trouble is in the header, not on each of its nodes). */
static void render_health_extras(const struct node *n, int depth, struct strbuf *out)
{
	if (n->stale || n->health == HEALTH_OK)
		return;
	strbuf_pad(out, (size_t)depth * 2 + 4);
	strbuf_adds(out, health_name(n->health));
	if (n->health_reason) {
		strbuf_adds(out, ": ");
		escape_terminal(out, n->health_reason);
	}
	strbuf_addc(out, '\n');
}

static void render_node(const struct node *n, int depth, void *arg)
{
	struct text_ctx *ctx = arg;
	struct strbuf *out = ctx->out;
	struct strbuf name;

	if (!n->selected)
		return;
	strbuf_init(&name);
	for (int i = 0; i < depth; i++)
		strbuf_adds(&name, "  ");
	escape_terminal(&name, n->name);
	if (n->guest)
		strbuf_adds(&name, " [guest]");
	if (!name.buf)
		strbuf_adds(&name, ""); /* a replayed site may be named "" (found by fuzz_snapshot) */
	size_t w = display_width(name.buf);
	if (w > NAME_WIDTH - 1)
		w = NAME_WIDTH - 1;
	add_cut(out, name.buf, NAME_WIDTH - 1);
	strbuf_pad(out, NAME_WIDTH - w);
	strbuf_done(&name);
	for (size_t i = 0; i < ctx->cols->n; i++) {
		const struct column *c = ctx->cols->cols[i];

		if (strcmp(c->name, "name") == 0)
			continue;
		/* the site has no resources of its own: its rollup says them */
		if (n->kind == NODE_SITE && c->type != COLUMN_TEXT)
			break;
		render_cell(c, n, i + 1 == ctx->cols->n, ctx, i, out);
	}
	/* trailing blanks would only make diffs noisy */
	while (out->len && out->buf[out->len - 1] == ' ')
		out->buf[--out->len] = '\0';
	strbuf_addc(out, '\n');
	render_health_extras(n, depth, out);
	if (n->kind == NODE_HOST)
		render_host_extras(n, depth, out);
	render_guest_extras(n, depth, out);
	view_row_done(out);
}

void view_text_render(const struct tree *t, const struct column_set *cols, struct strbuf *out)
{
	struct text_ctx ctx = {out, cols, xcalloc(cols->n ? cols->n : 1, sizeof(int))};

	render_header(t, out);
	render_columns(cols, out);
	tree_walk(t->root, 0, find_decimals, &ctx);
	tree_walk(t->root, 0, render_node, &ctx);
	free(ctx.decimals);
}
