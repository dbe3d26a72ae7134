/* tui/theme.h: colours and attributes of the screen elements, from small
 * text files (themes/NAME.theme): `element = fg bg [attr,...]` lines, `#`
 * comments.  Parsing is pure (no curses): the screen maps a theme to
 * colour pairs.  A bad line is an error naming file:line. */
#ifndef GLASS_TUI_THEME_H
#define GLASS_TUI_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/errbuf.h"

enum tui_elem {
	TUI_EL_ROW,
	TUI_EL_HEADER,
	TUI_EL_IDLE_LINE,
	TUI_EL_TITLE,
	TUI_EL_SORTED,
	TUI_EL_SELECTED,
	TUI_EL_STALE,
	TUI_EL_DOWN,
	TUI_EL_MARKER,
	TUI_EL_BAR_CPU,
	TUI_EL_BAR_MEM,
	TUI_EL_STATUS,
	TUI_EL_STATUS_KEY,
	TUI_EL_PROMPT,
	TUI_EL_MESSAGE,
	TUI_EL_HELP,
	TUI_EL_DETAIL,
	TUI_EL_HINT,
	TUI_EL_IDLE,       /* the IDLE cell of a node flagged idle */
	TUI_EL_IDLE_MAYBE, /* ... flagged while still provisional (idle?) */
	TUI_EL_OVER_QUOTA, /* a row that uses more than it was given */
	TUI_EL_STALE_HOST, /* a host whose source is stale (down: unreachable) */
	TUI_EL_COUNT,
};

/* Attributes, mapped to curses by the screen. */
enum {
	TUI_ATTR_BOLD = 1 << 0,
	TUI_ATTR_DIM = 1 << 1,
	TUI_ATTR_REVERSE = 1 << 2,
	TUI_ATTR_UNDERLINE = 1 << 3,
	TUI_ATTR_STANDOUT = 1 << 4,
};

#define TUI_COLOR_DEFAULT (-1)

struct tui_style {
	short fg, bg;      /* TUI_COLOR_DEFAULT or 0..15 (8..15: bright) */
	unsigned attrs;    /* TUI_ATTR_* */
};

struct tui_theme {
	char name[64];
	struct tui_style el[TUI_EL_COUNT];
};

/* The themes `t` cycles through, in order. */
extern const char *const tui_theme_builtin_names[];
#define TUI_THEME_N_BUILTIN 3

const char *tui_theme_elem_name(enum tui_elem e);
/* The theme glass uses when no theme file can be found. */
void tui_theme_fallback(struct tui_theme *th);
/* Parses theme text (named `path` in errors) over the fallback:
 * 0, or -1 with "path:line: why". */
int tui_theme_parse(struct tui_theme *th, const char *name, const char *path, const char *text,
		    size_t len, struct errbuf *err);
/* Finds NAME (a path when it holds a '/', else NAME.theme in
 * $GLASS_THEME_DIR, the installed themes, the source tree) and parses it:
 * 0, -1 with err, or -2 with err when no such theme file exists. */
int tui_theme_load(struct tui_theme *th, const char *name, struct errbuf *err);

#endif
