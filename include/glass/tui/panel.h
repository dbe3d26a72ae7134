/* tui/panel.h: the tree panel's state, kept across refreshes by node id
 * (DESIGN.md §2): which nodes are open, which one is selected, the sort,
 * the filter.  Each refresh flattens the new tree into visible rows; the
 * selection follows its id.  Pure (no curses). */
#ifndef GLASS_TUI_PANEL_H
#define GLASS_TUI_PANEL_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/node.h"
#include "glass/tui/row.h"

enum tui_sort {
	TUI_SORT_NAME,
	TUI_SORT_KIND,
	TUI_SORT_STATE,
	TUI_SORT_CPU_ALLOC,
	TUI_SORT_CPU_USED,
	TUI_SORT_MEM_ALLOC,
	TUI_SORT_MEM_USED,
	TUI_SORT_DISK,
	TUI_SORT_NET,
	TUI_SORT_WATTS,
	TUI_SORT_IDLE,
	TUI_SORT_COUNT,
};

struct tui_panel {
	struct idmap *open;     /* id -> TUI_OPEN / TUI_CLOSED, the operator's toggles */
	bool default_open;      /* for ids never toggled: + and - set it */
	char *selected_id;      /* NULL: the first row */
	size_t selected;        /* index into rows */
	size_t top;             /* first row on screen */
	enum tui_sort sort;
	bool descending;
	char *filter;           /* NULL or "": every node */
	bool idle_only;
	struct tui_row *rows;   /* nodes (borrowed) from the tree last flattened */
	size_t n_rows;
	size_t name_want;       /* the widest indented name of the tree */
	size_t idle_want;       /* the widest IDLE figure of the tree */
	enum tui_col columns[TUI_COL_COUNT]; /* shown, in order (NAME first always) */
	size_t n_columns;
	bool columns_set;       /* chosen (config tui.columns, setup): else every column */
};

void tui_panel_init(struct tui_panel *p);
void tui_panel_done(struct tui_panel *p);

/* Flattens `t` (borrowed until the next rebuild) into rows. */
void tui_panel_rebuild(struct tui_panel *p, const struct tree *t);
/* Drops the rows (and so every pointer into the tree) and keeps the rest:
 * the selection's id and place, the open nodes, the sort, the filter; the
 * next rebuild finds the selection again. */
void tui_panel_release(struct tui_panel *p);
const struct tui_row *tui_panel_selected(const struct tui_panel *p);

/* Moves the selection by delta rows, clamped; home/end with big deltas. */
void tui_panel_move(struct tui_panel *p, long delta);
/* Keeps the selection inside a window of `height` rows. */
void tui_panel_scroll(struct tui_panel *p, size_t height);
/* Opens or closes the selected node; false when it has no children. */
bool tui_panel_toggle(struct tui_panel *p, const struct tree *t);
/* + and -: every node open, or every node but the site closed. */
void tui_panel_set_all(struct tui_panel *p, const struct tree *t, bool open);
void tui_panel_set_filter(struct tui_panel *p, const struct tree *t, const char *filter);
void tui_panel_set_sort(struct tui_panel *p, const struct tree *t, enum tui_sort sort,
			bool descending);
void tui_panel_set_idle_only(struct tui_panel *p, const struct tree *t, bool on);
/* Selects the next node (in tree order, after the selected one when
 * `next`, else from it) whose name holds `text`, opening its ancestors.
 * False when none matches. */
bool tui_panel_search(struct tui_panel *p, const struct tree *t, const char *text, bool next);

/* The sort's column (for the title marker) and name. */
enum tui_col tui_sort_column(enum tui_sort s);
const char *tui_sort_name(enum tui_sort s);
/* The order a column sorts in when it is chosen: descending for numbers
 * (the biggest first), ascending for names. */
bool tui_sort_starts_descending(enum tui_sort s);
/* Case-insensitive substring match on a node's name (and id). */
bool tui_panel_matches(const struct node *n, const char *text);

#endif
