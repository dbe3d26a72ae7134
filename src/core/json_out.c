#include "glass/json_out.h"

#include <math.h>

#include "glass/escape.h"
#include "glass/numfmt.h"

void json_out_init(struct json_out *j, struct strbuf *sb)
{
	j->sb = sb;
	j->comma = false;
}

/* A value's separator from the one before it at its level. */
static inline void value_start(struct json_out *j)
{
	if (j->comma)
		strbuf_addc(j->sb, ',');
	j->comma = true;
}

void json_out_begin_object(struct json_out *j)
{
	value_start(j);
	strbuf_addc(j->sb, '{');
	j->comma = false;
}

void json_out_end_object(struct json_out *j)
{
	strbuf_addc(j->sb, '}');
	j->comma = true;
}

void json_out_begin_array(struct json_out *j)
{
	value_start(j);
	strbuf_addc(j->sb, '[');
	j->comma = false;
}

void json_out_end_array(struct json_out *j)
{
	strbuf_addc(j->sb, ']');
	j->comma = true;
}

void json_out_key_len(struct json_out *j, const char *key, size_t len)
{
	char *p = strbuf_room(j->sb, len + 4), *start = p;

	if (j->comma)
		*p++ = ',';
	*p++ = '"';
	memcpy(p, key, len);
	p += len;
	*p++ = '"';
	*p++ = ':';
	strbuf_added(j->sb, (size_t)(p - start));
	j->comma = false; /* the value follows the colon */
}

static void add_literal(struct json_out *j, const char *s, size_t len)
{
	value_start(j);
	strbuf_add(j->sb, s, len);
}

void json_out_null(struct json_out *j)
{
	add_literal(j, "null", 4);
}

void json_out_bool(struct json_out *j, bool v)
{
	if (v)
		add_literal(j, "true", 4);
	else
		add_literal(j, "false", 5);
}

void json_out_i64(struct json_out *j, int64_t v)
{
	char *p;

	value_start(j);
	p = strbuf_room(j->sb, NUMFMT_INT_MAX);
	strbuf_added(j->sb, numfmt_i64(v, p));
}

void json_out_number(struct json_out *j, double v, int decimals)
{
	char buf[64];

	if (isnan(v)) {
		json_out_null(j);
		return;
	}
	add_literal(j, buf, numfmt_trimmed(v, decimals, buf, sizeof(buf)));
}

void json_out_whole(struct json_out *j, double v)
{
	if (isnan(v) || !(v > -9.2e18 && v < 9.2e18))
		json_out_null(j);
	else
		json_out_i64(j, (int64_t)llround(v));
}

/* What each ASCII byte needs inside a string: 0 nothing, a letter for a
 * two-character escape, 'u' for \u00XX. */
static const char ascii_escape[128] = {
	['\0'] = 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	['"'] = '"', ['\\'] = '\\', [0x7f] = 'u',
};

static void add_u_escape(struct strbuf *sb, unsigned c)
{
	static const char hex[] = "0123456789abcdef";
	char e[6] = {'\\', 'u', '0', '0', hex[(c >> 4) & 15], hex[c & 15]};

	strbuf_add(sb, e, sizeof(e));
}

void json_out_string(struct json_out *j, const char *str)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str, *run;
	struct strbuf *sb = j->sb;

	if (!str) {
		json_out_null(j);
		return;
	}
	value_start(j);
	strbuf_addc(sb, '"');
	run = s;
	for (;;) {
		unsigned char c = *s;

		if (c >= 0x80) {
			size_t n = escape_utf8_seq_len(s, strnlen((const char *)s, 4));

			if (n > 0 && !(n == 2 && c == 0xc2 && s[1] < 0xa0)) {
				s += n;
				continue;
			}
			strbuf_add(sb, run, (size_t)(s - run));
			if (n == 0) {
				/* escape_utf8's \xNN text, its backslash escaped */
				char e[5] = {'\\', '\\', 'x', hex[c >> 4], hex[c & 15]};
				strbuf_add(sb, e, sizeof(e));
				s++;
			} else {
				add_u_escape(sb, s[1]); /* a C1 control */
				s += 2;
			}
			run = s;
			continue;
		}
		if (!ascii_escape[c]) {
			s++;
			continue;
		}
		strbuf_add(sb, run, (size_t)(s - run));
		if (c == '\0')
			break;
		if (ascii_escape[c] == 'u') {
			add_u_escape(sb, c);
		} else {
			char e[2] = {'\\', ascii_escape[c]};
			strbuf_add(sb, e, 2);
		}
		run = ++s;
	}
	strbuf_addc(sb, '"');
}
