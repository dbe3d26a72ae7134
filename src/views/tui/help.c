#include "glass/tui/help.h"

#include <stddef.h>

#include "glass/strbuf.h"
#include "glass/tui/screen.h"

static const char *const help_lines[] = {
	"glass keys (as in htop where htop has them); any key returns",
	"",
	"  Up Down PgUp PgDn Home End   move the selection",
	"  Enter Space                  open or close a node (Enter on a leaf: details)",
	"  Right Left                   open; close, or go to the parent",
	"  + -                          open all, close all",
	"  d                            details of the selected node",
	"  / F3                         search by name (F3 again: next match)",
	"  \\ F4                         filter: only matching nodes and their parents",
	"  F6 < >                       sort by the next or previous column",
	"  I                            invert the sort order",
	"  i                            only idle nodes",
	"  t                            next theme (default, mono, light)",
	"  p                            pause: keep the screen, keep sampling",
	"  [ ]                          --replay: one snapshot back or forward",
	"  Ctrl-L                       redraw the screen",
	"  F1 ?                         this help",
	"  q F10                        quit",
	"",
	"A dimmed host: its source is stale or unreachable (the line says why, and",
	"when glass retries); its children keep their last values. A dash: unknown.",
	NULL,
};

const char *const *tui_help_lines(void)
{
	return help_lines;
}

void tui_help_draw(const struct tui_state *s, int top, int height)
{
	(void)s;
	for (int i = 0; i < height; i++)
		tui_screen_fill(top + i, TUI_EL_HELP);
	for (int i = 0; help_lines[i] && i < height; i++)
		tui_screen_put(top + i, 1, help_lines[i], TUI_EL_HELP);
}
