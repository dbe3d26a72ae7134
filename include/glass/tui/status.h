/* tui/status.h: the bottom line: htop's key bar, the prompt while the
 * operator types a search or a filter, messages, and on a terminal too
 * small for the layout a one-line hint. */
#ifndef GLASS_TUI_STATUS_H
#define GLASS_TUI_STATUS_H

#include <stdint.h>

#include "glass/tui/state.h"

/* The terminal is smaller than this: show what fits and the hint. */
#define TUI_MIN_COLS 50
#define TUI_MIN_ROWS 10

void tui_status_draw(const struct tui_state *s, int y, uint64_t now_mono, bool small);

#endif
