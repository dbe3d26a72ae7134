/* tui/help.h: the key list (F1 or ?), drawn over the tree. */
#ifndef GLASS_TUI_HELP_H
#define GLASS_TUI_HELP_H

#include "glass/tui/state.h"

/* The help text, one key per line (static). */
const char *const *tui_help_lines(void);
void tui_help_draw(const struct tui_state *s, int top, int height);

#endif
