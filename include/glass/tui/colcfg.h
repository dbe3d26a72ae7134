/* tui/colcfg.h: the TUI's columns and sort by name, for the config file
 * (tui.columns, tui.sort) and the setup screen.  Pure: shared with the
 * config parser. */
#ifndef GLASS_TUI_COLCFG_H
#define GLASS_TUI_COLCFG_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/errbuf.h"
#include "glass/strbuf.h"
#include "glass/tui/panel.h"
#include "glass/tui/row.h"

/* The column's config name ("cpu_used"), NAME included ("name"). */
const char *tui_col_key(enum tui_col c);
/* "kind,state,cpu,..." into order (NAME is always first and not named):
 * 0, or -1 with err (an unknown or repeated name, none at all). */
int tui_columns_parse(const char *s, enum tui_col *order, size_t *n, struct errbuf *err);
void tui_columns_format(const enum tui_col *order, size_t n, struct strbuf *out);
/* "cpu_used" or "cpu_used descending": 0, or -1 with err. *descending
 * is the column's usual order when the word is left out. */
int tui_sort_parse(const char *s, enum tui_sort *sort, bool *descending, struct errbuf *err);
void tui_sort_format(enum tui_sort sort, bool descending, struct strbuf *out);
/* The default order: every column but NAME. */
size_t tui_columns_default(enum tui_col *order);

#endif
