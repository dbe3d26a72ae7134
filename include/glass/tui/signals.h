/* tui/signals.h: SIGINT, SIGTERM and SIGWINCH while the TUI runs.  The
 * handlers only set flags and wake poll() through the board's pipe; the
 * loop acts on them. */
#ifndef GLASS_TUI_SIGNALS_H
#define GLASS_TUI_SIGNALS_H

#include <signal.h>
#include <stdbool.h>

#include "glass/board.h"

/* Installed before initscr, so curses keeps out of SIGWINCH; the old
 * handlers are kept in old for tui_signals_restore. */
void tui_signals_install(struct board *b, struct sigaction old[3]);
void tui_signals_restore(struct sigaction old[3]);
/* SIGINT or SIGTERM came. */
bool tui_signals_stop_requested(void);
/* A resize came since the last call. */
bool tui_signals_take_resize(void);

#endif
