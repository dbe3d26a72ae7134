#include "glass/tui/row.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "glass/tui/text.h"
#include "glass/idle_label.h"
#include "glass/units.h"
#include "glass/power.h"
#include "glass/value.h"

#define SECONDS(ns) ((ns) / 1000000000ULL)

struct col_def {
	const char *title;
	size_t width; /* 0: NAME, sized by the layout */
	enum tui_align align;
};

/* After a VM's name: its guest host is joined, the guest's containers
 * open below it. */
#define GUEST_MARK " [guest]"

static const struct col_def col_defs[TUI_COL_COUNT] = {
	[TUI_COL_NAME] = {"NAME", 0, TUI_ALIGN_LEFT},
	[TUI_COL_KIND] = {"KIND", 9, TUI_ALIGN_LEFT},
	[TUI_COL_STATE] = {"STATE", 11, TUI_ALIGN_LEFT},
	[TUI_COL_CPU_ALLOC] = {"CPU", 6, TUI_ALIGN_RIGHT},
	[TUI_COL_CPU_USED] = {"USED", 6, TUI_ALIGN_RIGHT},
	[TUI_COL_CPU_BAR] = {"CPU%", 10, TUI_ALIGN_LEFT},
	[TUI_COL_MEM_ALLOC] = {"MEM", 6, TUI_ALIGN_RIGHT},
	[TUI_COL_MEM_USED] = {"USED", 6, TUI_ALIGN_RIGHT},
	[TUI_COL_MEM_BAR] = {"MEM%", 10, TUI_ALIGN_LEFT},
	[TUI_COL_DISK_R] = {"DISK_R", 6, TUI_ALIGN_RIGHT},
	[TUI_COL_DISK_W] = {"DISK_W", 6, TUI_ALIGN_RIGHT},
	[TUI_COL_NET_RX] = {"NET_RX", 6, TUI_ALIGN_RIGHT},
	[TUI_COL_NET_TX] = {"NET_TX", 6, TUI_ALIGN_RIGHT},
	[TUI_COL_WATTS] = {"W", 6, TUI_ALIGN_RIGHT},
	[TUI_COL_IDLE] = {"IDLE", TUI_IDLE_MIN, TUI_ALIGN_RIGHT},
};

/* First dropped first: the rates go before the bars, and what a node
 * was given and uses stays longest. */
static const enum tui_col drop_order[] = {
	TUI_COL_NET_TX,   TUI_COL_NET_RX,   TUI_COL_DISK_W,    TUI_COL_DISK_R,
	TUI_COL_STATE,    TUI_COL_KIND,     TUI_COL_MEM_BAR,   TUI_COL_CPU_BAR,
	TUI_COL_WATTS,    TUI_COL_IDLE,     TUI_COL_MEM_USED,  TUI_COL_MEM_ALLOC,
	TUI_COL_CPU_USED, TUI_COL_CPU_ALLOC,
};

const char *tui_col_title(enum tui_col col)
{
	return col_defs[col].title;
}

/* IDLE is the headline: it is as wide as its widest figure (up to
 * TUI_IDLE_MAX), and the rate columns drop before it is cut. */
static size_t col_width(int c, size_t idle_w)
{
	return c == TUI_COL_IDLE ? idle_w : col_defs[c].width;
}

static size_t clamp_size(size_t v, size_t lo, size_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void tui_layout_compute(struct tui_layout *L, size_t width, size_t name_want, size_t idle_want)
{
	tui_layout_compute_cols(L, width, name_want, idle_want, NULL, 0);
}

void tui_layout_compute_cols(struct tui_layout *L, size_t width, size_t name_want, size_t idle_want,
			     const enum tui_col *order, size_t n_order)
{
	enum tui_col place[TUI_COL_COUNT];
	size_t n_place = 0;
	bool keep[TUI_COL_COUNT];
	size_t idle_w = clamp_size(idle_want, TUI_IDLE_MIN, TUI_IDLE_MAX);
	size_t fixed = 0;
	size_t name_w;
	size_t x = 0;

	memset(L, 0, sizeof(*L));
	L->width = width;
	/* NAME first (it holds the tree), then the chosen columns in their
	 * order; every column when none were chosen */
	place[n_place++] = TUI_COL_NAME;
	for (int c = 0; c < TUI_COL_COUNT; c++)
		keep[c] = !order && c != TUI_COL_NAME;
	for (size_t i = 0; order && i < n_order; i++)
		if (order[i] != TUI_COL_NAME && order[i] < TUI_COL_COUNT && !keep[order[i]])
			keep[order[i]] = true;
	if (order) {
		for (size_t i = 0; i < n_order; i++)
			if (order[i] != TUI_COL_NAME && order[i] < TUI_COL_COUNT)
				place[n_place++] = order[i];
	} else {
		for (int c = 1; c < TUI_COL_COUNT; c++)
			place[n_place++] = (enum tui_col)c;
	}
	keep[TUI_COL_NAME] = true;
	for (int c = 0; c < TUI_COL_COUNT; c++)
		if (keep[c] && c != TUI_COL_NAME)
			fixed += col_width(c, idle_w) + 1; /* a space before each */
	/* Names matter more than the last columns: drop until the name
	 * gets what it wants, up to TUI_NAME_KEEP cells. */
	size_t keep_w = clamp_size(name_want, TUI_NAME_MIN, TUI_NAME_KEEP);
	for (size_t i = 0; i < sizeof(drop_order) / sizeof(drop_order[0]); i++) {
		if (fixed + keep_w <= width)
			break;
		if (!keep[drop_order[i]])
			continue;
		keep[drop_order[i]] = false;
		fixed -= col_width(drop_order[i], idle_w) + 1;
	}
	name_w = clamp_size(name_want, TUI_NAME_MIN, TUI_NAME_MAX);
	if (fixed + name_w > width)
		name_w = width > fixed ? width - fixed : width;
	for (size_t i = 0; i < n_place; i++) {
		enum tui_col c = place[i];
		size_t w;

		if (!keep[c])
			continue;
		w = c == TUI_COL_NAME ? name_w : col_width(c, idle_w);
		if (c != TUI_COL_NAME)
			x++;
		if (x + w > width)
			break;
		L->cols[L->n_cols++] = (struct tui_layout_col){c, x, w};
		x += w;
	}
	/* Spare cells go to a figure wider than TUI_IDLE_MAX (the last
	 * column) rather than to blanks at the right. */
	if (L->n_cols && L->cols[L->n_cols - 1].col == TUI_COL_IDLE && idle_want > idle_w &&
	    x < width) {
		size_t more = idle_want - idle_w < width - x ? idle_want - idle_w : width - x;
		L->cols[L->n_cols - 1].w += more;
	}
}

size_t tui_row_idle_want(const struct node *n)
{
	char v[64];

	tui_idle_text(n, v, sizeof(v));
	return tui_text_width(v);
}

const struct tui_layout_col *tui_layout_find(const struct tui_layout *L, enum tui_col col)
{
	for (size_t i = 0; i < L->n_cols; i++)
		if (L->cols[i].col == col)
			return &L->cols[i];
	return NULL;
}

/* Appends spaces up to cell x (the line so far is `*at` cells). */
static void pad_to(struct strbuf *out, size_t *at, size_t x)
{
	if (*at < x) {
		strbuf_pad(out, x - *at);
		*at = x;
	}
}

void tui_row_title(const struct tui_layout *L, enum tui_col sorted, bool descending,
		   struct strbuf *out)
{
	const struct tui_glyphs *g = tui_glyphs();
	size_t at = 0;

	for (size_t i = 0; i < L->n_cols; i++) {
		const struct tui_layout_col *c = &L->cols[i];
		char title[32];

		pad_to(out, &at, c->x);
		if (c->col == sorted)
			snprintf(title, sizeof(title), "%s%s", col_defs[c->col].title,
				 descending ? g->sort_down : g->sort_up);
		else
			snprintf(title, sizeof(title), "%s", col_defs[c->col].title);
		tui_text_fit(out, title, c->w, col_defs[c->col].align);
		at += c->w;
	}
	pad_to(out, &at, L->width);
}

size_t tui_row_name_want(const struct tui_row *row)
{
	struct strbuf sb;
	size_t w;

	strbuf_init(&sb);
	tui_text_escape(&sb, row->node->name);
	if (row->node->guest)
		strbuf_adds(&sb, GUEST_MARK);
	w = (size_t)row->depth * 2 + 2 + tui_text_width(sb.buf ? sb.buf : "");
	strbuf_done(&sb);
	return w;
}

int tui_row_bar_fill(double used, double allocated, size_t inner)
{
	double ratio;

	if (!value_known(used) || !value_known(allocated) || allocated <= 0)
		return -1;
	ratio = used / allocated;
	if (ratio < 0)
		ratio = 0;
	if (ratio > 1)
		ratio = 1;
	return (int)lround(ratio * (double)inner);
}

static void render_bar(struct strbuf *out, double used, double allocated, size_t w)
{
	size_t inner = w >= 2 ? w - 2 : 0;
	int fill = tui_row_bar_fill(used, allocated, inner);
	char text[16];
	size_t tw;

	if (w < 2) {
		strbuf_pad(out, w);
		return;
	}
	if (fill < 0)
		snprintf(text, sizeof(text), "%s", units_unknown());
	else
		snprintf(text, sizeof(text), "%.0f%%", 100.0 * used / allocated);
	tw = tui_text_width(text);
	if (tw > inner)
		tw = inner, text[0] = '\0';
	strbuf_addc(out, '[');
	for (size_t i = 0; i < inner - tw; i++)
		strbuf_adds(out, fill >= 0 && (int)i < fill ? tui_glyphs()->bar : " ");
	if (text[0])
		strbuf_adds(out, text);
	strbuf_addc(out, ']');
}

static bool source_bad(const struct tree *t, int src)
{
	return src >= 0 && (size_t)src < t->n_sources && t->sources[src].health != HEALTH_OK;
}

int tui_row_down_source(const struct node *n, const struct tree *t)
{
	if (!t || !n->parent)
		return -1;
	/* The top node of a source that is down: a host, or whatever
	 * hangs from the site. */
	if (n->parent->source != n->source && source_bad(t, n->source) &&
	    (n->kind == NODE_HOST || n->parent->kind == NODE_SITE))
		return n->source;
	/* A source whose nodes hang below another's host (libvirt's VMs
	 * under the local host): the host speaks for it, and each VM keeps
	 * its last numbers.  A VM keeps its own numbers, fresh from its
	 * hypervisor, when its joined guest's glass is down: the guest's
	 * rows below say stale. */
	for (size_t i = 0; !n->guest && i < n->n_children; i++) {
		const struct node *c = n->children[i];

		if (c->source != n->source && c->kind != NODE_HOST && source_bad(t, c->source))
			return c->source;
	}
	return -1;
}

bool tui_row_source_down(const struct node *n, const struct tree *t)
{
	return tui_row_down_source(n, t) >= 0;
}

/* "reason · retry in 4s" for a source that is down. */
static void down_text(int src, const struct tui_row_ctx *ctx, struct strbuf *out)
{
	const struct tree_source *s = &ctx->tree->sources[src];

	tui_text_escape(out, s->reason ? s->reason : health_name(s->health));
	if (s->next_retry_wall_ns) {
		strbuf_adds(out, tui_glyphs()->sep);
		if (s->next_retry_wall_ns > ctx->now_wall_ns)
			strbuf_addf(out, "retry in %llus",
				    (unsigned long long)SECONDS(s->next_retry_wall_ns -
								ctx->now_wall_ns + 999999999ULL));
		else
			strbuf_adds(out, "retrying");
	} else if (s->health == HEALTH_UNREACHABLE || s->health == HEALTH_STALE) {
		/* Its poller is still inside a call (a hung peer): it retries
		 * when that call returns or libvirt's keepalive gives up. */
		strbuf_adds(out, tui_glyphs()->sep);
		strbuf_adds(out, "call pending");
	}
}

/* The same verdict as batch text ("idle 1.8c 3.2G", "idle?" while
 * provisional); "—" when the policy knows no allocation, "" when busy. */
void tui_idle_text(const struct node *n, char *out, size_t len)
{
	idle_label(n, out, len);
	if (!*out && !value_known(n->idle_cpu.utilization) && !value_known(n->idle_mem.utilization))
		snprintf(out, len, "%s", units_unknown());
}

bool tui_node_is_idle(const struct node *n)
{
	return n->idle_cpu.idle || n->idle_mem.idle;
}

/* Watts in six cells: "0.4", "232", "12.3k"; a trailing "~" marks an
 * estimate (modelled or attributed, not metered), "—" unknown. */
void tui_watts_text(const struct node *n, char *out, size_t len)
{
	double w = n->res.power_watts;
	const char *s = n->res.power_source;
	bool metered = power_source_metered(s);
	const char *mark = metered ? "" : "~";

	if (!value_known(w))
		snprintf(out, len, "%s", units_unknown());
	else if (w < 9.95)
		snprintf(out, len, "%.1f%s", w, mark);
	else if (w < 9999.5)
		snprintf(out, len, "%.0f%s", w, mark);
	else
		snprintf(out, len, "%.1fk%s", w / 1000.0, mark);
}

/* 2% over: a 1-vCPU guest at full use reads 1.01 cores from sampling
 * jitter alone, and that is not a quota broken. */
static bool over(double used, double allocated)
{
	return value_known(used) && value_known(allocated) && allocated > 0 &&
	       used > allocated * 1.02;
}

bool tui_node_over_quota(const struct node *n)
{
	return over(n->res.cpu_cores_used, n->res.cpu_cores_allocated) ||
	       over(n->res.mem_bytes_used, n->res.mem_bytes_allocated);
}

/* Cores in a column: always two decimals ("2.00", "0.08"), so a column
 * never mixes "2" with "1.50"; past what 6 cells hold, whole cores. */
static void column_cores(double cores, char *out, size_t len)
{
	if (!value_known(cores))
		snprintf(out, len, "%s", units_unknown());
	else if (cores < 999.995 && cores > -99.995)
		snprintf(out, len, "%.2f", cores);
	else
		units_cores(cores, out, len);
}

static void render_cell(const struct node *n, const struct tui_layout_col *c, struct strbuf *out)
{
	const struct resources *r = &n->res;
	char v[32] = "";

	switch (c->col) {
	case TUI_COL_CPU_ALLOC: column_cores(r->cpu_cores_allocated, v, sizeof(v)); break;
	case TUI_COL_CPU_USED: column_cores(r->cpu_cores_used, v, sizeof(v)); break;
	case TUI_COL_MEM_ALLOC: units_bytes(r->mem_bytes_allocated, v, sizeof(v)); break;
	case TUI_COL_MEM_USED: units_bytes(r->mem_bytes_used, v, sizeof(v)); break;
	case TUI_COL_DISK_R: units_bytes(r->disk_read_bps, v, sizeof(v)); break;
	case TUI_COL_DISK_W: units_bytes(r->disk_write_bps, v, sizeof(v)); break;
	case TUI_COL_NET_RX: units_bytes(r->net_rx_bps, v, sizeof(v)); break;
	case TUI_COL_NET_TX: units_bytes(r->net_tx_bps, v, sizeof(v)); break;
	case TUI_COL_WATTS: tui_watts_text(n, v, sizeof(v)); break;
	case TUI_COL_IDLE: tui_idle_text(n, v, sizeof(v)); break;
	case TUI_COL_CPU_BAR:
		render_bar(out, r->cpu_cores_used, r->cpu_cores_allocated, c->w);
		return;
	case TUI_COL_MEM_BAR:
		render_bar(out, r->mem_bytes_used, r->mem_bytes_allocated, c->w);
		return;
	default: break;
	}
	tui_text_fit(out, v, c->w, col_defs[c->col].align);
}

void tui_row_render(const struct tui_layout *L, const struct tui_row *row,
		    const struct tui_row_ctx *ctx, struct strbuf *out)
{
	const struct node *n = row->node;
	const struct tui_glyphs *g = tui_glyphs();
	int down_src = tui_row_down_source(n, ctx->tree);
	bool down = down_src >= 0;
	struct strbuf cell;
	size_t at = 0;

	strbuf_init(&cell);
	for (size_t i = 0; i < L->n_cols; i++) {
		const struct tui_layout_col *c = &L->cols[i];

		pad_to(out, &at, c->x);
		strbuf_reset(&cell);
		if (c->col == TUI_COL_NAME) {
			strbuf_pad(&cell, (size_t)row->depth * 2);
			strbuf_adds(&cell, row->has_children ? (row->expanded ? g->expanded : g->collapsed)
							     : g->leaf);
			strbuf_addc(&cell, ' ');
			tui_text_escape(&cell, n->name);
			if (n->guest)
				strbuf_adds(&cell, GUEST_MARK);
			tui_text_fit(out, cell.buf, c->w, TUI_ALIGN_LEFT);
		} else if (c->col == TUI_COL_KIND) {
			tui_text_fit(out, node_kind_name(n->kind), c->w, TUI_ALIGN_LEFT);
		} else if (c->col == TUI_COL_STATE) {
			if (down)
				strbuf_adds(&cell, health_name(ctx->tree->sources[down_src].health));
			else if (n->stale)
				strbuf_adds(&cell, "stale");
			else if (n->health != HEALTH_OK)
				strbuf_adds(&cell, health_name(n->health));
			else if (n->state)
				tui_text_escape(&cell, n->state);
			tui_text_fit(out, cell.len ? cell.buf : "", c->w, TUI_ALIGN_LEFT);
		} else if (n->kind == NODE_SITE) {
			strbuf_pad(out, c->w);
		} else if (down) {
			/* The reason spans every number column: it is what
			 * the operator needs on this line. */
			down_text(down_src, ctx, &cell);
			tui_text_fit(out, cell.buf, L->width - c->x, TUI_ALIGN_LEFT);
			at = L->width;
			break;
		} else {
			render_cell(n, c, out);
		}
		at += c->w;
	}
	pad_to(out, &at, L->width);
	strbuf_done(&cell);
}
