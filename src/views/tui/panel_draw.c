#include "glass/tui/panel_draw.h"

#include "glass/clock.h"
#include "glass/strbuf.h"
#include "glass/tui/row.h"
#include "glass/tui/screen.h"

static enum tui_elem row_elem(const struct tui_state *s, const struct tui_row *row, bool selected)
{
	if (selected)
		return TUI_EL_SELECTED;
	if (tui_row_source_down(row->node, s->tree))
		return TUI_EL_DOWN;
	if (row->node->stale)
		return TUI_EL_STALE;
	return TUI_EL_ROW;
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
	size_t name_want = 0;
	int rows, cols;

	tui_screen_size(&rows, &cols);
	if (height < 0)
		height = 0;
	tui_panel_scroll(p, (size_t)height);
	for (size_t i = p->top; i < p->n_rows && i < p->top + (size_t)height; i++) {
		size_t w = tui_row_name_want(&p->rows[i]);
		if (w > name_want)
			name_want = w;
	}
	tui_layout_compute(&L, (size_t)cols, name_want);
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
		if (e == TUI_EL_ROW) {
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
