/* tui.h: the interactive view (issue 7): an htop-like tree of hosts, VMs
 * and containers that never waits on a source. */
#ifndef GLASS_TUI_H
#define GLASS_TUI_H

#include "glass/app.h"

/* Runs the TUI on the terminal until q, a signal or --iterations; returns
 * the exit status.  A bad --theme is reported on stderr (exit 2) before
 * curses starts. */
int tui_run(struct app *app);

#endif
