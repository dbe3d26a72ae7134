/* tui/text.h: display cells for the TUI.  Every string drawn goes through
 * here: untrusted names are escaped, measured in terminal cells, cut with
 * an ellipsis and padded, so a draw can never run past its column.  Pure
 * (no curses), so the layout can be tested without a terminal. */
#ifndef GLASS_TUI_TEXT_H
#define GLASS_TUI_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/strbuf.h"

/* The characters the TUI draws with; ASCII when the locale is not UTF-8. */
struct tui_glyphs {
	const char *expanded;  /* marker of an open node */
	const char *collapsed; /* marker of a closed node */
	const char *leaf;
	const char *ellipsis;
	const char *bar;       /* one filled cell of a bar */
	const char *sep;       /* between items of a line: " · " */
	const char *sort_up;
	const char *sort_down;
	const char *spark[8];  /* sparkline levels, low to high */
};

enum tui_align {
	TUI_ALIGN_LEFT,
	TUI_ALIGN_RIGHT,
};

void tui_text_set_utf8(bool utf8);
bool tui_text_utf8(void);
const struct tui_glyphs *tui_glyphs(void);

/* Cells that valid, escaped text takes on the terminal. */
size_t tui_text_width(const char *s);
/* Untrusted bytes made safe to draw: escape_terminal(), and in an ASCII
 * locale every non-ASCII byte as \xNN too. */
void tui_text_escape(struct strbuf *out, const char *s);
/* Appends s (already safe) in exactly `width` cells: cut with the
 * ellipsis when longer, padded with spaces when shorter. */
void tui_text_fit(struct strbuf *out, const char *s, size_t width, enum tui_align align);

#endif
