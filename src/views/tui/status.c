#include "glass/tui/status.h"

#include <stdio.h>

#include "glass/strbuf.h"
#include "glass/tui/screen.h"
#include "glass/tui/text.h"

static const struct {
	const char *key;
	const char *label;
} key_bar[] = {
	{"F1", "Help"},  {"F2", "Setup"}, {"F3", "Search"}, {"F4", "Filter"}, {"F6", "Sort"},
	{"P", "Procs"}, {"i", "Idle"},   {"t", "Theme"},   {"p", "Pause"},   {"F10", "Quit"},
};

static void draw_prompt(const struct tui_state *s, int y, uint64_t now_mono)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_adds(&sb, s->mode == TUI_MODE_SEARCH ? "Search: " : "Filter: ");
	tui_text_escape(&sb, s->prompt);
	strbuf_adds(&sb, "_   Enter: done  Esc: cancel");
	if (s->mode == TUI_MODE_SEARCH)
		strbuf_adds(&sb, "  F3: next");
	if (s->message[0] && now_mono < s->message_until) {
		strbuf_adds(&sb, "   ");
		strbuf_adds(&sb, s->message); /* escaped when it was made */
	}
	tui_screen_fill(y, TUI_EL_PROMPT);
	tui_screen_put(y, 0, sb.buf, TUI_EL_PROMPT);
	strbuf_done(&sb);
}

void tui_status_draw(const struct tui_state *s, int y, uint64_t now_mono, bool small)
{
	int rows, cols, x = 0;
	struct strbuf sb;

	tui_screen_size(&rows, &cols);
	if (s->mode == TUI_MODE_SEARCH || s->mode == TUI_MODE_FILTER) {
		draw_prompt(s, y, now_mono);
		return;
	}
	strbuf_init(&sb);
	if (small) {
		strbuf_addf(&sb, "%dx%d: need %dx%d", cols, rows, TUI_MIN_COLS, TUI_MIN_ROWS);
		tui_screen_fill(y, TUI_EL_HINT);
		tui_screen_put(y, 0, sb.buf, TUI_EL_HINT);
		strbuf_done(&sb);
		return;
	}
	tui_screen_fill(y, TUI_EL_STATUS);
	if (s->message[0] && now_mono < s->message_until) {
		tui_screen_put(y, 0, s->message, TUI_EL_MESSAGE);
		strbuf_done(&sb);
		return;
	}
	/* What narrows the view, at the right: the operator must never
	 * wonder why a node is missing, nor how to see it again.  The key
	 * bar's last entries give way to it. */
	if (s->panel.filter)
		strbuf_addf(&sb, "filter: %s  ", s->panel.filter);
	if (s->panel.idle_only)
		strbuf_adds(&sb, "idle only  ");
	if (s->panel.filter || s->panel.idle_only)
		strbuf_adds(&sb, "Esc clears  ");
	if (s->paused)
		strbuf_adds(&sb, "PAUSED  ");
	struct strbuf safe;
	size_t right = 0;
	strbuf_init(&safe);
	if (sb.len) {
		tui_text_escape(&safe, sb.buf);
		right = tui_text_width(safe.buf);
		if (right > (size_t)cols)
			right = (size_t)cols; /* cut at the right edge */
	}
	for (size_t i = 0; i < sizeof(key_bar) / sizeof(key_bar[0]); i++) {
		size_t w = tui_text_width(key_bar[i].key) + tui_text_width(key_bar[i].label);

		if ((size_t)x + w + right > (size_t)cols)
			break;
		tui_screen_put(y, x, key_bar[i].key, TUI_EL_STATUS_KEY);
		x += (int)tui_text_width(key_bar[i].key);
		tui_screen_put(y, x, key_bar[i].label, TUI_EL_STATUS);
		x += (int)tui_text_width(key_bar[i].label) + 1;
	}
	if (right)
		tui_screen_put(y, cols - (int)right, safe.buf, TUI_EL_MESSAGE);
	strbuf_done(&safe);
	strbuf_done(&sb);
}
