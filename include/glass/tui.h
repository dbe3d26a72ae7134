/* tui.h: the interactive view: an htop-like tree of hosts, VMs
 * and containers that never waits on a source. */
#ifndef GLASS_TUI_H
#define GLASS_TUI_H

#include "glass/app.h"
#include "glass/replay.h"

/* Runs the TUI on the terminal until q, a signal or --iterations; returns
 * the exit status.  A bad --theme is reported on stderr (exit 2) before
 * curses starts. */
int tui_run(struct app *app);
/* The same on a --record file (the app has no sources; it gives the
 * interval, the board's wake pipe for signals, the options): one snapshot
 * per interval as if live, [ and ] step back and forth (and pause). */
int tui_run_replay(struct app *app, struct replay_index *replay);

#endif
