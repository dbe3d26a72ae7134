/* tui/setup.h: the setup screen (F2, as in htop): which columns show and
 * in what order, the sort and the theme; applied at once, and saved to
 * the config file (tui.columns, tui.sort, theme) on leaving. */
#ifndef GLASS_TUI_SETUP_H
#define GLASS_TUI_SETUP_H

#include <wchar.h>

#include "glass/tui/state.h"

enum tui_setup_result {
	TUI_SETUP_GO_ON,
	TUI_SETUP_QUIT,  /* F10 or q: save and quit glass */
	TUI_SETUP_THEME, /* the next theme asked for */
	TUI_SETUP_DONE,  /* left: save */
};

/* The panel's columns and sort from the config's tui.columns and
 * tui.sort (already checked by the config parser). */
void tui_setup_apply_options(struct tui_state *s);
void tui_setup_open(struct tui_state *s);
enum tui_setup_result tui_setup_key(struct tui_state *s, int type, wint_t k);
void tui_setup_draw(struct tui_state *s, int top, int height);
/* The three keys into the config file: 0, or -1 with err; *path gets
 * the file (the caller's). */
int tui_setup_save(struct tui_state *s, char **path, struct errbuf *err);
void tui_setup_done(struct tui_state *s);

#endif
