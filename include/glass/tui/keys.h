/* tui/keys.h: the tree's key bindings, one table of {keys, action, help
 * text} (tmux's list-keys -N): the loop dispatches through it and the
 * help is generated from it, so a key cannot be bound and undocumented. */
#ifndef GLASS_TUI_KEYS_H
#define GLASS_TUI_KEYS_H

#include <stddef.h>

#include "glass/strbuf.h"

enum tui_action {
	TUI_ACT_NONE,
	TUI_ACT_UP,
	TUI_ACT_DOWN,
	TUI_ACT_PAGE_UP,
	TUI_ACT_PAGE_DOWN,
	TUI_ACT_HOME,
	TUI_ACT_END,
	TUI_ACT_ENTER,
	TUI_ACT_TOGGLE,
	TUI_ACT_RIGHT,
	TUI_ACT_LEFT,
	TUI_ACT_OPEN_ALL,
	TUI_ACT_CLOSE_ALL,
	TUI_ACT_DETAIL,
	TUI_ACT_PROCS,
	TUI_ACT_SEARCH,
	TUI_ACT_FILTER,
	TUI_ACT_CLEAR,
	TUI_ACT_SORT_NEXT,
	TUI_ACT_SORT_PREV,
	TUI_ACT_SORT_INVERT,
	TUI_ACT_IDLE_ONLY,
	TUI_ACT_BY_OWNER,
	TUI_ACT_THEME,
	TUI_ACT_SETUP,
	TUI_ACT_PAUSE,
	TUI_ACT_REPLAY_BACK,
	TUI_ACT_REPLAY_FORWARD,
	TUI_ACT_REDRAW,
	TUI_ACT_HELP,
	TUI_ACT_QUIT,
};

/* A key as one int: a character as itself, a curses key code (get_wch's
 * KEY_CODE_YES) above every Unicode code point. */
#define TUI_KEY_FN_BASE 0x200000
#define TUI_KEY_FN(code) (TUI_KEY_FN_BASE + (code))
#define TUI_KEY_MAX_CODES 4

struct tui_binding {
	int keys[TUI_KEY_MAX_CODES]; /* 0-terminated when shorter */
	enum tui_action action;
	const char *help;
};

/* The tree's bindings, in the help's order. */
const struct tui_binding *tui_keys_bindings(size_t *n);
/* The action bound to a key in the tree, or TUI_ACT_NONE. */
enum tui_action tui_keys_action(int key);
/* The key's name as the help prints it ("Up", "F6", "Space", "Ctrl-L"). */
const char *tui_key_name(int key, char *buf, size_t len);
/* A binding's keys as the help prints them: distinct names, blank
 * separated ("F6 > ."). */
void tui_keys_label(const struct tui_binding *b, struct strbuf *out);

#endif
