#include "glass/json_out.h"

#include <math.h>

#include "glass/escape.h"
#include "glass/numfmt.h"

void json_out_init(struct json_out *j, struct strbuf *sb)
{
	j->sb = sb;
	j->comma = false;
}

/* Room for a value of up to n bytes, after the comma that separates it
 * from the one before it at its level; strbuf_added counts from start. */
static inline char *value_room(struct json_out *j, size_t n, char **start)
{
	char *p = strbuf_room(j->sb, n + 1);

	*start = p;
	if (j->comma)
		*p++ = ',';
	j->comma = true;
	return p;
}

static inline void value_done(struct json_out *j, const char *start, const char *end)
{
	strbuf_added(j->sb, (size_t)(end - start));
}

static inline void open_with(struct json_out *j, char c)
{
	char *start, *p = value_room(j, 1, &start);

	*p++ = c;
	value_done(j, start, p);
	j->comma = false;
}

void json_out_begin_object(struct json_out *j)
{
	open_with(j, '{');
}

void json_out_end_object(struct json_out *j)
{
	strbuf_addc(j->sb, '}');
	j->comma = true;
}

void json_out_begin_array(struct json_out *j)
{
	open_with(j, '[');
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

static inline void add_literal(struct json_out *j, const char *s, size_t len)
{
	char *start, *p = value_room(j, len, &start);

	memcpy(p, s, len);
	value_done(j, start, p + len);
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
	char *start, *p = value_room(j, NUMFMT_INT_MAX, &start);

	value_done(j, start, p + numfmt_i64(v, p));
}

void json_out_number(struct json_out *j, double v, int decimals)
{
	/* numfmt_trimmed's exact path needs 24 bytes; 64 is units_trimmed's
	 * width, beyond which it writes the exponent form */
	char *start, *p;

	if (isnan(v)) {
		json_out_null(j);
		return;
	}
	p = value_room(j, 64, &start);
	value_done(j, start, p + numfmt_trimmed(v, decimals, p, 64));
}

void json_out_whole(struct json_out *j, double v)
{
	if (isnan(v) || !(v > -9.2e18 && v < 9.2e18))
		json_out_null(j);
	else
		json_out_i64(j, (int64_t)llround(v));
}

/* What each byte needs inside a string: 0 nothing; a letter for a
 * two-character escape; 'u' for \u00XX; 'h' for a byte >= 0x80, which
 * may start valid UTF-8, a C1 control or an invalid sequence. */
#define H16 'h', 'h', 'h', 'h', 'h', 'h', 'h', 'h', 'h', 'h', 'h', 'h', 'h', 'h', 'h', 'h'
static const char byte_class[256] = {
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	['"'] = '"', ['\\'] = '\\',
	[0x7f] = 'u', H16, H16, H16, H16, H16, H16, H16, H16, /* 0x80..0xff */
};
#undef H16

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
	if (j->comma)
		strbuf_addc(sb, ',');
	j->comma = true;
	strbuf_addc(sb, '"');
	run = s;
	for (;;) {
		char cls = byte_class[*s];

		if (!cls) {
			s++;
			continue;
		}
		if (cls == 'h') {
			size_t n = escape_utf8_seq_len(s, strnlen((const char *)s, 4));

			if (n > 0 && !(n == 2 && s[0] == 0xc2 && s[1] < 0xa0)) {
				s += n;
				continue;
			}
			strbuf_add(sb, run, (size_t)(s - run));
			if (n == 0) {
				/* escape_utf8's \xNN text, its backslash escaped */
				char e[5] = {'\\', '\\', 'x', hex[*s >> 4], hex[*s & 15]};
				strbuf_add(sb, e, sizeof(e));
				s++;
			} else {
				add_u_escape(sb, s[1]); /* a C1 control */
				s += 2;
			}
			run = s;
			continue;
		}
		strbuf_add(sb, run, (size_t)(s - run));
		if (*s == '\0')
			break;
		if (cls == 'u') {
			add_u_escape(sb, *s);
		} else {
			char e[2] = {'\\', cls};
			strbuf_add(sb, e, 2);
		}
		run = ++s;
	}
	strbuf_addc(sb, '"');
}
