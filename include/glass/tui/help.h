/* tui/help.h: the key list (F1 or ?), drawn over the tree: generated
 * from the key table (tui/keys.h), then what the figures mean. */
#ifndef GLASS_TUI_HELP_H
#define GLASS_TUI_HELP_H

#include "glass/strbuf.h"
#include "glass/tui/state.h"

/* The help, '\n'-separated lines (pure). */
void tui_help_text(struct strbuf *out);
/* Scrolls with s->help_scroll (clamped here). */
void tui_help_draw(struct tui_state *s, int top, int height);

#endif
