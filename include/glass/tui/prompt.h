/* tui/prompt.h: the status line as a prompt: / searches as you type, \
 * filters the tree as you type (F3 finds the next match). */
#ifndef GLASS_TUI_PROMPT_H
#define GLASS_TUI_PROMPT_H

#include <stdbool.h>
#include <wchar.h>

#include "glass/tui/state.h"

/* Enters TUI_MODE_SEARCH or TUI_MODE_FILTER (which starts from the
 * filter in force). */
void tui_prompt_start(struct tui_state *s, enum tui_mode mode);
/* One key while the prompt is open; always true (Esc and Enter close it). */
bool tui_prompt_key(struct tui_state *s, int type, wint_t k);

#endif
