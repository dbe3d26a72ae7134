#include "glass/tui/text.h"

#include <string.h>
#include <wchar.h>

#include "glass/escape.h"

static const struct tui_glyphs glyphs_utf8 = {
	.expanded = "\xe2\x96\xbe", /* ▾ */
	.collapsed = "\xe2\x96\xb8", /* ▸ */
	.leaf = " ",
	.ellipsis = "\xe2\x80\xa6", /* … */
	.bar = "|",
	.sep = " \xc2\xb7 ", /* · */
	.sort_up = "\xe2\x96\xb2", /* ▲ */
	.sort_down = "\xe2\x96\xbc", /* ▼ */
	.spark = {"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85",
		  "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"},
};

static const struct tui_glyphs glyphs_ascii = {
	.expanded = "-",
	.collapsed = "+",
	.leaf = " ",
	.ellipsis = "~",
	.bar = "|",
	.sep = " - ",
	.sort_up = "^",
	.sort_down = "v",
	.spark = {"_", ".", ",", "-", "~", "=", "*", "#"},
};

static bool text_utf8;

void tui_text_set_utf8(bool utf8)
{
	text_utf8 = utf8;
}

bool tui_text_utf8(void)
{
	return text_utf8;
}

const struct tui_glyphs *tui_glyphs(void)
{
	return text_utf8 ? &glyphs_utf8 : &glyphs_ascii;
}

/* Cells of the character at s (n bytes long, valid UTF-8). */
static size_t char_cells(const char *s, size_t n)
{
	mbstate_t st;
	wchar_t wc;
	int w;

	if (!text_utf8 || n == 1)
		return 1;
	memset(&st, 0, sizeof(st));
	if (mbrtowc(&wc, s, n, &st) != n)
		return 1;
	w = wcwidth(wc);
	/* Combining marks take no cell; anything odd counts as one so the
	 * layout never underestimates. */
	return w < 0 ? 1 : (size_t)w;
}

static size_t char_len(const char *s)
{
	size_t n = escape_utf8_seq_len((const unsigned char *)s, strlen(s));

	return n ? n : 1;
}

size_t tui_text_width(const char *s)
{
	size_t w = 0;

	while (*s) {
		size_t n = char_len(s);
		w += char_cells(s, n);
		s += n;
	}
	return w;
}

void tui_text_escape(struct strbuf *out, const char *s)
{
	struct strbuf tmp;

	if (text_utf8) {
		escape_terminal(out, s);
		return;
	}
	strbuf_init(&tmp);
	escape_terminal(&tmp, s);
	for (size_t i = 0; i < tmp.len; i++) {
		unsigned char c = (unsigned char)tmp.buf[i];
		if (c < 0x80)
			strbuf_addc(out, (char)c);
		else
			strbuf_addf(out, "\\x%02x", c);
	}
	strbuf_done(&tmp);
}

void tui_text_fit(struct strbuf *out, const char *s, size_t width, enum tui_align align)
{
	size_t w = tui_text_width(s);
	const char *ell = tui_glyphs()->ellipsis;

	if (w <= width) {
		if (align == TUI_ALIGN_RIGHT)
			strbuf_pad(out, width - w);
		strbuf_adds(out, s);
		if (align == TUI_ALIGN_LEFT)
			strbuf_pad(out, width - w);
		return;
	}
	if (width == 0)
		return;
	/* Keep the head and end with the ellipsis (one cell). */
	size_t used = 0;
	while (*s) {
		size_t n = char_len(s);
		size_t c = char_cells(s, n);
		if (used + c > width - 1)
			break;
		strbuf_add(out, s, n);
		used += c;
		s += n;
	}
	strbuf_adds(out, ell);
	strbuf_pad(out, width - 1 - used);
}
