#include "glass/tui/keys.h"

#include <curses.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>

#define CTRL(c) ((c) & 0x1f)
#define ESC 27

static const struct tui_binding bindings[] = {
	{{TUI_KEY_FN(KEY_UP)}, TUI_ACT_UP, "move the selection up"},
	{{TUI_KEY_FN(KEY_DOWN)}, TUI_ACT_DOWN, "move the selection down"},
	{{TUI_KEY_FN(KEY_PPAGE)}, TUI_ACT_PAGE_UP, "one page up"},
	{{TUI_KEY_FN(KEY_NPAGE)}, TUI_ACT_PAGE_DOWN, "one page down"},
	{{TUI_KEY_FN(KEY_HOME)}, TUI_ACT_HOME, "the first row (the site)"},
	{{TUI_KEY_FN(KEY_END)}, TUI_ACT_END, "the last row"},
	{{TUI_KEY_FN(KEY_ENTER), '\r', '\n'}, TUI_ACT_ENTER,
	 "open or close a node; on a leaf, its details"},
	{{' '}, TUI_ACT_TOGGLE, "open or close a node"},
	{{TUI_KEY_FN(KEY_RIGHT)}, TUI_ACT_RIGHT, "open a node"},
	{{TUI_KEY_FN(KEY_LEFT)}, TUI_ACT_LEFT, "close a node, or go to its parent"},
	{{'+'}, TUI_ACT_OPEN_ALL, "open every node"},
	{{'-'}, TUI_ACT_CLOSE_ALL, "close every node but the site"},
	{{'d'}, TUI_ACT_DETAIL, "details of the selected node"},
	{{'P'}, TUI_ACT_PROCS,
	 "what runs inside the selected node: its processes (a VM: its threads)"},
	{{'/', TUI_KEY_FN(KEY_F(3))}, TUI_ACT_SEARCH, "search by name (F3 again: next match)"},
	{{'\\', TUI_KEY_FN(KEY_F(4))}, TUI_ACT_FILTER,
	 "filter: only matching nodes and their parents"},
	{{ESC}, TUI_ACT_CLEAR, "clear the filter and idle only"},
	{{TUI_KEY_FN(KEY_F(6)), '>', '.'}, TUI_ACT_SORT_NEXT,
	 "sort by the next column (numbers: biggest first)"},
	{{'<', ','}, TUI_ACT_SORT_PREV, "sort by the previous column"},
	{{'I'}, TUI_ACT_SORT_INVERT, "invert the sort order"},
	{{'i'}, TUI_ACT_IDLE_ONLY, "only idle nodes (i again: all)"},
	{{'o'}, TUI_ACT_BY_OWNER,
	 "group by owner: each owner's sums above its VMs and containers (o again: the tree)"},
	{{'t'}, TUI_ACT_THEME, "next theme (default, mono, light)"},
	{{TUI_KEY_FN(KEY_F(2)), 'S'}, TUI_ACT_SETUP,
	 "setup: columns, their order, the sort and the theme, saved to the config"},
	{{'p'}, TUI_ACT_PAUSE, "pause: keep the screen, keep sampling"},
	{{'['}, TUI_ACT_REPLAY_BACK, "--replay: one snapshot back"},
	{{']'}, TUI_ACT_REPLAY_FORWARD, "--replay: one snapshot forward"},
	{{CTRL('l')}, TUI_ACT_REDRAW, "redraw the screen"},
	{{TUI_KEY_FN(KEY_F(1)), '?', 'h'}, TUI_ACT_HELP, "this help"},
	{{'q', TUI_KEY_FN(KEY_F(10))}, TUI_ACT_QUIT, "quit"},
};

const struct tui_binding *tui_keys_bindings(size_t *n)
{
	*n = sizeof(bindings) / sizeof(bindings[0]);
	return bindings;
}

enum tui_action tui_keys_action(int key)
{
	for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
		for (int k = 0; k < TUI_KEY_MAX_CODES && bindings[i].keys[k]; k++)
			if (bindings[i].keys[k] == key)
				return bindings[i].action;
	return TUI_ACT_NONE;
}

static const struct {
	int key;
	const char *name;
} names[] = {
	{TUI_KEY_FN(KEY_UP), "Up"},       {TUI_KEY_FN(KEY_DOWN), "Down"},
	{TUI_KEY_FN(KEY_LEFT), "Left"},   {TUI_KEY_FN(KEY_RIGHT), "Right"},
	{TUI_KEY_FN(KEY_PPAGE), "PgUp"},  {TUI_KEY_FN(KEY_NPAGE), "PgDn"},
	{TUI_KEY_FN(KEY_HOME), "Home"},   {TUI_KEY_FN(KEY_END), "End"},
	{TUI_KEY_FN(KEY_ENTER), "Enter"}, {'\r', "Enter"},
	{'\n', "Enter"},                  {' ', "Space"},
	{ESC, "Esc"},
};

const char *tui_key_name(int key, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].key == key)
			return names[i].name;
	if (key >= TUI_KEY_FN(KEY_F(1)) && key <= TUI_KEY_FN(KEY_F(12)))
		snprintf(buf, len, "F%d", key - TUI_KEY_FN(KEY_F0));
	else if (key > 0 && key < 32)
		snprintf(buf, len, "Ctrl-%c", 'A' + key - 1);
	else if (key > 32 && key < 127)
		snprintf(buf, len, "%c", key);
	else
		snprintf(buf, len, "key %d", key);
	return buf;
}

void tui_keys_label(const struct tui_binding *b, struct strbuf *out)
{
	const char *seen[TUI_KEY_MAX_CODES];
	char bufs[TUI_KEY_MAX_CODES][16];
	size_t n = 0;

	for (int k = 0; k < TUI_KEY_MAX_CODES && b->keys[k]; k++) {
		const char *name = tui_key_name(b->keys[k], bufs[k], sizeof(bufs[k]));
		bool dup = false;

		for (size_t i = 0; i < n; i++)
			dup = dup || strcmp(seen[i], name) == 0;
		if (dup)
			continue;
		if (n)
			strbuf_addc(out, ' ');
		strbuf_adds(out, name);
		seen[n++] = name;
	}
}
