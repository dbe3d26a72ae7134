#include "glass/tui/prompt.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <wctype.h>

#define KEY_ESC 27

static void prompt_add(struct tui_state *s, wint_t wc)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof(st));
	n = wcrtomb(mb, (wchar_t)wc, &st);
	if (n == (size_t)-1 || s->prompt_len + n >= sizeof(s->prompt))
		return;
	memcpy(s->prompt + s->prompt_len, mb, n);
	s->prompt_len += n;
	s->prompt[s->prompt_len] = '\0';
}

static void prompt_backspace(struct tui_state *s)
{
	/* Back over one whole UTF-8 character. */
	while (s->prompt_len > 0) {
		unsigned char c = (unsigned char)s->prompt[--s->prompt_len];
		if ((c & 0xc0) != 0x80)
			break;
	}
	s->prompt[s->prompt_len] = '\0';
}

static void prompt_changed(struct tui_state *s)
{
	if (s->mode == TUI_MODE_FILTER)
		tui_panel_set_filter(&s->panel, tui_shown(s), s->prompt);
	else if (s->prompt_len && !tui_panel_search(&s->panel, tui_shown(s), s->prompt, false))
		tui_message(s, "no match for \"%s\"", s->prompt);
}

bool tui_prompt_key(struct tui_state *s, int type, wint_t k)
{
	if (type == KEY_CODE_YES) {
		if (k == KEY_BACKSPACE) {
			prompt_backspace(s);
			prompt_changed(s);
		} else if (k == KEY_ENTER) {
			s->mode = TUI_MODE_TREE;
		} else if (k == KEY_F(3) && s->mode == TUI_MODE_SEARCH) {
			if (!tui_panel_search(&s->panel, tui_shown(s), s->prompt, true))
				tui_message(s, "no match for \"%s\"", s->prompt);
		}
		return true;
	}
	if (k == KEY_ESC) {
		if (s->mode == TUI_MODE_FILTER)
			tui_panel_set_filter(&s->panel, tui_shown(s), NULL);
		s->mode = TUI_MODE_TREE;
	} else if (k == '\r' || k == '\n') {
		s->mode = TUI_MODE_TREE;
	} else if (k == 127 || k == 8) {
		prompt_backspace(s);
		prompt_changed(s);
	} else if (k >= 32 && iswprint((wint_t)k)) {
		prompt_add(s, k);
		prompt_changed(s);
	}
	return true;
}

void tui_prompt_start(struct tui_state *s, enum tui_mode mode)
{
	s->mode = mode;
	s->prompt[0] = '\0';
	s->prompt_len = 0;
	if (mode == TUI_MODE_FILTER && s->panel.filter) {
		snprintf(s->prompt, sizeof(s->prompt), "%s", s->panel.filter);
		s->prompt_len = strlen(s->prompt);
	}
}
