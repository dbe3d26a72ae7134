#include "glass/tui/panel_draw.h"

#include "glass/clock.h"
#include "glass/strbuf.h"
#include "glass/tui/row.h"
#include "glass/tui/screen.h"

static enum tui_elem row_elem(const struct tui_state *s, const struct tui_row *row, bool selected)
{
	const struct node *n = row->node;

	if (selected)
		return TUI_EL_SELECTED;
	int down = tui_row_down_source(n, s->tree);

	if (down >= 0)
		return s->tree->sources[down].health == HEALTH_STALE ? TUI_EL_STALE_HOST : TUI_EL_DOWN;
	if (n->stale)
		return n->kind == NODE_HOST ? TUI_EL_STALE_HOST : TUI_EL_STALE;
	/* a machine its source says is down, while the source is fine */
	if (n->health == HEALTH_UNREACHABLE)
		return TUI_EL_DOWN;
	if (n->health != HEALTH_OK)
		return n->kind == NODE_HOST ? TUI_EL_STALE_HOST : TUI_EL_STALE;
	if (tui_node_over_quota(n))
		return TUI_EL_OVER_QUOTA;
	return TUI_EL_ROW;
}

static void paint_idle(int y, const struct tui_layout *L, const struct node *n)
{
	const struct tui_layout_col *c = tui_layout_find(L, TUI_COL_IDLE);

	if (!c || !tui_node_is_idle(n))
		return;
	tui_screen_paint(y, (int)c->x, (int)c->w,
			 n->idle_cpu.provisional || n->idle_mem.provisional ? TUI_EL_IDLE_MAYBE
									    : TUI_EL_IDLE);
}

static void paint_bar(int y, const struct tui_layout *L, enum tui_col col, double used,
		      double alloc, enum tui_elem e)
{
	const struct tui_layout_col *c = tui_layout_find(L, col);
	int fill;

	if (!c || c->w < 2)
		return;
	fill = tui_row_bar_fill(used, alloc, c->w - 2);
	if (fill > 0)
		tui_screen_paint(y, (int)c->x + 1, fill, e);
}

void tui_panel_draw(struct tui_state *s, int title_y, int top, int height)
{
	struct tui_panel *p = &s->panel;
	struct tui_row_ctx ctx = {.tree = s->tree, .now_wall_ns = clock_wall_ns()};
	struct tui_layout L;
	struct strbuf sb;
	int rows, cols;

	tui_screen_size(&rows, &cols);
	if (height < 0)
		height = 0;
	tui_panel_scroll(p, (size_t)height);
	tui_layout_compute_cols(&L, (size_t)cols, p->name_want, p->idle_want,
				p->columns_set ? p->columns : NULL, p->n_columns);
	strbuf_init(&sb);
	if (title_y >= 0) {
		const struct tui_layout_col *sc = tui_layout_find(&L, tui_sort_column(p->sort));
		tui_row_title(&L, tui_sort_column(p->sort), p->descending, &sb);
		tui_screen_put(title_y, 0, sb.buf, TUI_EL_TITLE);
		if (sc)
			tui_screen_paint(title_y, (int)sc->x, (int)sc->w, TUI_EL_SORTED);
	}
	if (!s->tree && height > 0)
		tui_screen_put(top, 1, "waiting for the first readings...", TUI_EL_STALE);
	else if (p->n_rows == 0 && height > 0)
		tui_screen_put(top, 1, p->idle_only ? "no idle node" : "no node matches the filter",
			       TUI_EL_MESSAGE);
	for (int k = 0; k < height; k++) {
		size_t i = p->top + (size_t)k;
		const struct tui_row *row;
		enum tui_elem e;

		if (i >= p->n_rows)
			break;
		row = &p->rows[i];
		e = row_elem(s, row, i == p->selected);
		strbuf_reset(&sb);
		tui_row_render(&L, row, &ctx, &sb);
		tui_screen_put(top + k, 0, sb.buf, e);
		if (e == TUI_EL_ROW || e == TUI_EL_OVER_QUOTA) {
			paint_idle(top + k, &L, row->node);
			paint_bar(top + k, &L, TUI_COL_CPU_BAR, row->node->res.cpu_cores_used,
				  row->node->res.cpu_cores_allocated, TUI_EL_BAR_CPU);
			paint_bar(top + k, &L, TUI_COL_MEM_BAR, row->node->res.mem_bytes_used,
				  row->node->res.mem_bytes_allocated, TUI_EL_BAR_MEM);
			if (row->has_children) {
				const struct tui_layout_col *nc = tui_layout_find(&L, TUI_COL_NAME);
				if (nc && (size_t)row->depth * 2 < nc->w)
					tui_screen_paint(top + k, row->depth * 2, 1, TUI_EL_MARKER);
			}
		}
	}
	strbuf_done(&sb);
}
