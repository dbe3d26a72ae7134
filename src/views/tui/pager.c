#include "glass/tui/pager.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "glass/tui/screen.h"
#include "glass/tui/text.h"
#include "glass/xalloc.h"

size_t tui_pager_lines(const char *text)
{
	size_t n = 0;

	for (const char *p = text; p && *p; p++)
		n += *p == '\n';
	if (text && *text && text[strlen(text) - 1] != '\n')
		n++;
	return n;
}

void tui_pager_clamp(size_t *scroll, size_t lines, size_t height)
{
	size_t max = lines > height ? lines - height : 0;

	if (*scroll > max)
		*scroll = max;
}

const char *tui_pager_mark_above(size_t scroll)
{
	if (!scroll)
		return "";
	return tui_text_utf8() ? "\xe2\x96\xb2 more above" : "^ more above";
}

const char *tui_pager_mark_below(size_t scroll, size_t lines, size_t height)
{
	if (scroll + height >= lines)
		return "";
	return tui_text_utf8() ? "\xe2\x96\xbc more below (Down, PgDn)" : "v more below (Down, PgDn)";
}

/* Cells of the first n bytes of s. */
static size_t prefix_width(const char *s, size_t n)
{
	char *p = xstrndup(s, n);
	size_t w = tui_text_width(p);

	free(p);
	return w;
}

void tui_pager_wrap(const char *text, size_t width, struct strbuf *out)
{
	const char *line = text ? text : "";

	while (*line) {
		size_t len = strcspn(line, "\n");
		const char *p = line;
		size_t rest = len;
		bool cont = false;

		/* Break at the last blank that fits; a word longer than the
		 * line stays whole (the screen cuts it). */
		while (rest && prefix_width(p, rest) + (cont ? 4 : 0) > width) {
			size_t cut = 0;

			for (size_t i = 1; i < rest; i++) {
				size_t w0 = i, w1;

				if (p[i] != ' ' || p[i - 1] == ' ' ||
				    prefix_width(p, i) + (cont ? 4 : 0) > width)
					continue;
				/* Never break before a word too long for any
				 * line: "name  <4 KiB name>" stays one line. */
				while (w0 < rest && p[w0] == ' ')
					w0++;
				w1 = w0;
				while (w1 < rest && p[w1] != ' ')
					w1++;
				if (prefix_width(p + w0, w1 - w0) + 4 <= width)
					cut = i;
			}
			if (!cut)
				break;
			if (cont)
				strbuf_adds(out, "    ");
			strbuf_add(out, p, cut);
			strbuf_addc(out, '\n');
			while (cut < rest && p[cut] == ' ')
				cut++;
			p += cut;
			rest -= cut;
			cont = true;
		}
		if (cont && rest)
			strbuf_adds(out, "    ");
		strbuf_add(out, p, rest);
		strbuf_addc(out, '\n');
		line += len + (line[len] == '\n');
	}
}

static void mark(int y, const char *text, int cols)
{
	int w = (int)tui_text_width(text);

	if (*text && w < cols)
		tui_screen_put(y, cols - w - 1, text, TUI_EL_MESSAGE);
}

void tui_pager_draw(const char *text, int top, int height, size_t *scroll, enum tui_elem e)
{
	struct strbuf wrapped;
	size_t lines, skip;
	char *copy;
	int rows, cols, y = top;

	if (height <= 0)
		return;
	tui_screen_size(&rows, &cols);
	/* One cell of margin each side. */
	strbuf_init(&wrapped);
	tui_pager_wrap(text, cols > 2 ? (size_t)cols - 2 : 1, &wrapped);
	copy = strbuf_detach(&wrapped);
	if (!copy)
		copy = xstrdup("");
	lines = tui_pager_lines(copy);
	for (int i = 0; i < height; i++)
		tui_screen_fill(top + i, e);
	tui_pager_clamp(scroll, lines, (size_t)height);
	skip = *scroll;
	for (char *line = copy; line && *line && y < top + height;) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		if (skip)
			skip--;
		else
			tui_screen_put(y++, 1, line, e);
		line = nl ? nl + 1 : NULL;
	}
	mark(top, tui_pager_mark_above(*scroll), cols);
	mark(top + height - 1, tui_pager_mark_below(*scroll, lines, (size_t)height), cols);
	free(copy);
}
