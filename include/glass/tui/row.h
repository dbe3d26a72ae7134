/* tui/row.h: one line of the tree panel, as text (DESIGN.md §6: "every
 * draw is clamped to the width").  The columns, how they drop as the
 * terminal narrows, and the text of a node's line are pure functions of
 * the node and the width, so they are tested without a terminal. */
#ifndef GLASS_TUI_ROW_H
#define GLASS_TUI_ROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "glass/node.h"
#include "glass/strbuf.h"

enum tui_col {
	TUI_COL_NAME,
	TUI_COL_KIND,
	TUI_COL_STATE,
	TUI_COL_CPU_ALLOC,
	TUI_COL_CPU_USED,
	TUI_COL_CPU_BAR,
	TUI_COL_MEM_ALLOC,
	TUI_COL_MEM_USED,
	TUI_COL_MEM_BAR,
	TUI_COL_DISK_R,
	TUI_COL_DISK_W,
	TUI_COL_NET_RX,
	TUI_COL_NET_TX,
	TUI_COL_WATTS,
	TUI_COL_IDLE,
	TUI_COL_COUNT,
};

#define TUI_NAME_MIN 12
#define TUI_NAME_KEEP 24 /* columns drop to give a name this much */
#define TUI_NAME_MAX 48
#define TUI_IDLE_MIN 8  /* the IDLE column never narrower */
#define TUI_IDLE_MAX 24 /* columns drop to give an idle figure this much */

struct tui_layout_col {
	enum tui_col col;
	size_t x; /* first cell */
	size_t w; /* cells */
};

/* The visible columns, left to right, and where they sit. */
struct tui_layout {
	size_t width;
	size_t n_cols;
	struct tui_layout_col cols[TUI_COL_COUNT];
};

/* One visible line of the tree. */
struct tui_row {
	const struct node *node; /* (borrowed) from the tree on screen */
	int depth;
	bool has_children;
	bool expanded;
};

/* What a line needs beside its node: source health, the time now. */
struct tui_row_ctx {
	const struct tree *tree; /* (borrowed) */
	uint64_t now_wall_ns;
};

/* Lays out `width` cells; name_want is the widest indented name of the
 * tree and idle_want the widest IDLE figure (both over every node, so
 * opening or closing one never moves a column).  Columns drop in a fixed
 * order (NET, DISK, STATE, KIND, the bars, W, IDLE, MEM, CPU) until the rest
 * fits; NAME always stays, and IDLE, while shown, holds its figures whole.  A node
 * whose source is down still says so: its line is dimmed and the reason
 * takes the number columns. */
void tui_layout_compute(struct tui_layout *L, size_t width, size_t name_want, size_t idle_want);
/* The same with the operator's columns: `order` (n_order of them; NAME
 * is first whatever it says), or every column when NULL. */
void tui_layout_compute_cols(struct tui_layout *L, size_t width, size_t name_want, size_t idle_want,
			     const enum tui_col *order, size_t n_order);
/* The column's place, or NULL when it was dropped. */
const struct tui_layout_col *tui_layout_find(const struct tui_layout *L, enum tui_col col);
const char *tui_col_title(enum tui_col col);

/* The cells the indented, marked name of a row wants. */
size_t tui_row_name_want(const struct tui_row *row);
/* The cells a node's IDLE figure wants. */
size_t tui_row_idle_want(const struct node *n);
/* The line of a row, exactly L->width cells, every untrusted byte escaped. */
void tui_row_render(const struct tui_layout *L, const struct tui_row *row,
		    const struct tui_row_ctx *ctx, struct strbuf *out);
/* The column titles, exactly L->width cells; `sorted` gets the marker. */
void tui_row_title(const struct tui_layout *L, enum tui_col sorted, bool descending,
		   struct strbuf *out);
/* Filled cells of a bar of `inner` cells for used/allocated; -1 when
 * either is unknown. */
int tui_row_bar_fill(double used, double allocated, size_t inner);
/* The source that is not healthy whose reason and retry countdown this
 * node's line shows instead of numbers, or -1: the top node of the
 * source when it is a host (or hangs from the site), else the host of
 * another source its nodes hang from. */
int tui_row_down_source(const struct node *n, const struct tree *t);
bool tui_row_source_down(const struct node *n, const struct tree *t);

/* The IDLE column (flag and idle capacity).  The idle policy is its own
 * module (DESIGN.md §3); until it fills the tree this says unknown. */
void tui_idle_text(const struct node *n, char *out, size_t len);
/* The W column: watts, "~" after an estimate (model, attributed), "—"
 * unknown. */
void tui_watts_text(const struct node *n, char *out, size_t len);
bool tui_node_is_idle(const struct node *n);
/* Uses more CPU or memory than it was given (a quota broken, an
 * overcommitted guest). */
bool tui_node_over_quota(const struct node *n);

#endif
