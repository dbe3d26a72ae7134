/* tui/panel_draw.h: the column titles and the visible rows of the tree
 * panel, each line made by tui/row and coloured here. */
#ifndef GLASS_TUI_PANEL_DRAW_H
#define GLASS_TUI_PANEL_DRAW_H

#include "glass/tui/state.h"

/* Draws the title line at `title_y` (when >= 0) and the rows in
 * [top, top + height); scrolls the panel to keep the selection in view. */
void tui_panel_draw(struct tui_state *s, int title_y, int top, int height);

#endif
