#include "glass/escape.h"

#include <stdio.h>

#include <string.h>

size_t escape_utf8_seq_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	size_t n;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are invalid. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static void add_hex(struct strbuf *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char b[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};

	strbuf_add(out, b, 4);
}

enum escape_mode {
	ESCAPE_UTF8,     /* invalid bytes only */
	ESCAPE_DATA,     /* and controls but tab, newline, return */
	ESCAPE_TERMINAL, /* and every control, and backslash */
};

static bool is_escaped_control(unsigned char c, enum escape_mode mode)
{
	if (mode == ESCAPE_UTF8)
		return false;
	if (mode == ESCAPE_DATA && (c == '\t' || c == '\n' || c == '\r'))
		return false;
	return c < 0x20 || c == 0x7f;
}

static void escape(struct strbuf *out, const char *str, enum escape_mode mode)
{
	bool controls = mode != ESCAPE_UTF8;
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str);
	size_t i = 0, run = 0; /* s[run..i) goes out as it is */

	while (i < len) {
		unsigned char c = s[i];
		size_t n;

		/* printable ASCII, the common case, without a call */
		if (c >= 0x20 && c < 0x7f && !(c == '\\' && mode == ESCAPE_TERMINAL)) {
			i++;
			continue;
		}
		n = c < 0x80 ? 1 : escape_utf8_seq_len(s + i, len - i);
		if (n == 1 && c != '\\' && !is_escaped_control(c, mode)) {
			i++;
			continue;
		}
		if (n > 1 && !(controls && n == 2 && c == 0xc2 && s[i + 1] < 0xa0)) {
			i += n;
			continue;
		}
		strbuf_add(out, s + run, i - run);
		if (n == 0) {
			add_hex(out, s[i++]);
		} else if (c == '\\') {
			strbuf_add(out, "\\\\", 2); /* ESCAPE_TERMINAL */
			i++;
		} else if (n == 1) {
			add_hex(out, s[i++]);
		} else {
			/* C1 controls (U+0080..U+009F): some terminals obey them. */
			add_hex(out, s[i]);
			add_hex(out, s[i + 1]);
			i += 2;
		}
		run = i;
	}
	strbuf_add(out, s + run, i - run);
}

void escape_terminal(struct strbuf *out, const char *s)
{
	escape(out, s, ESCAPE_TERMINAL);
}

void escape_utf8(struct strbuf *out, const char *s)
{
	escape(out, s, ESCAPE_UTF8);
}

void escape_data(struct strbuf *out, const char *s)
{
	escape(out, s, ESCAPE_DATA);
}

void escape_errbuf(struct errbuf *err)
{
	struct strbuf sb;

	strbuf_init(&sb);
	escape_terminal(&sb, err->msg);
	snprintf(err->msg, sizeof(err->msg), "%s", sb.buf ? sb.buf : "");
	strbuf_done(&sb);
}
