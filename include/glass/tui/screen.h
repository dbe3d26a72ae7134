/* tui/screen.h: the only module that talks to curses about the terminal
 * itself: start and end (also from a fatal exit), colours from a theme,
 * and clamped drawing.  Everything drawn is text made by tui/text. */
#ifndef GLASS_TUI_SCREEN_H
#define GLASS_TUI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/tui/theme.h"

/* Starts curses; the terminal is restored by tui_screen_done, or by the
 * xalloc fatal hook this installs.  False when the terminal cannot be
 * used (an unknown TERM).  Until then stderr goes to a file, replayed on
 * the terminal when curses ends. */
bool tui_screen_init(void);
void tui_screen_done(void);
/* Colour pairs and attributes from the theme; when no_color or the
 * terminal has no colours, the built-in attributes-only theme. */
void tui_screen_apply_theme(const struct tui_theme *th, bool no_color);
void tui_screen_size(int *rows, int *cols);
/* After SIGWINCH: the terminal's new size into curses. */
void tui_screen_resize(void);
/* Text (safe, measured) at y, x in element e, clamped to the screen. */
void tui_screen_put(int y, int x, const char *text, enum tui_elem e);
/* Recolours n cells at y, x (the bar of a row). */
void tui_screen_paint(int y, int x, int n, enum tui_elem e);
/* A line of blanks in element e. */
void tui_screen_fill(int y, enum tui_elem e);
void tui_screen_begin(void);  /* erase: no clear() per frame */
void tui_screen_commit(void); /* one doupdate */
void tui_screen_redraw_all(void); /* Ctrl-L */

#endif
