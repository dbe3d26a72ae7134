/* tui/header.h: the top lines: what the site holds, source health, the
 * idle line (DESIGN.md §3) and the clock. */
#ifndef GLASS_TUI_HEADER_H
#define GLASS_TUI_HEADER_H

#include "glass/node.h"
#include "glass/strbuf.h"
#include "glass/tui/state.h"

/* "1 host · 2 VMs · 5 containers · sources: 1 ok · 1 stale" (pure). */
void tui_header_summary(const struct tree *t, struct strbuf *out);
/* The idle line.  The idle policy fills it; until then it says
 * the figure is unknown. */
void tui_header_idle_line(const struct tree *t, struct strbuf *out);
/* Appends the parts of `line` (joined by sep) that fit in `cols` cells
 * whole; the first part always (pure). */
void tui_header_fit(const char *line, const char *sep, size_t cols, struct strbuf *out);
/* Draws `lines` (1 or 2) header lines from row 0. */
void tui_header_draw(const struct tui_state *s, int lines);

#endif
