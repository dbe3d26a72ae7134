/* tui/pager.h: a pane of text lines that scrolls (the help, the detail
 * pane), with a mark where it is cut: the operator must see there is
 * more. */
#ifndef GLASS_TUI_PAGER_H
#define GLASS_TUI_PAGER_H

#include <stddef.h>

#include "glass/strbuf.h"
#include "glass/tui/theme.h"

/* text with every line longer than `width` cells broken at blanks, the
 * rest indented by four cells. */
void tui_pager_wrap(const char *text, size_t width, struct strbuf *out);
/* Lines of '\n'-separated text. */
size_t tui_pager_lines(const char *text);
/* Keeps *scroll so the last page is full: never past the end. */
void tui_pager_clamp(size_t *scroll, size_t lines, size_t height);
/* What the marks say: "" when everything shows, else which way more
 * lies ("▲ more above", "▼ more below (Down, PgDn)"). */
const char *tui_pager_mark_above(size_t scroll);
const char *tui_pager_mark_below(size_t scroll, size_t lines, size_t height);
/* Draws text (safe, already escaped) from line *scroll (clamped) at rows
 * top..top+height-1 in element e, the marks at the right. */
void tui_pager_draw(const char *text, int top, int height, size_t *scroll, enum tui_elem e);

#endif
