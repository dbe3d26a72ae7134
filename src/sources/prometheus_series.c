/* One series of a Prometheus answer, read in place (prom_series.h).
 * json_scan finds where strings and values end; what is kept is
 * unescaped over the text it came from, which is never shorter. */
#include "glass/prom_series.h"

#include <stdbool.h>
#include <string.h>

#include "glass/json_scan.h"

static char *ws(char *p, char *end)
{
	return (char *)json_scan_ws(p, end);
}

static bool hex4(const char *p, const char *end, unsigned *cp)
{
	*cp = 0;
	if (end - p < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
			     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
						    : 16u;
		if (d > 15)
			return false;
		*cp = *cp << 4 | d;
	}
	return true;
}

static char *put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		*out++ = (char)cp;
	} else if (cp < 0x800) {
		*out++ = (char)(0xc0 | cp >> 6);
		*out++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*out++ = (char)(0xe0 | cp >> 12);
		*out++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*out++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*out++ = (char)(0xf0 | cp >> 18);
		*out++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*out++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*out++ = (char)(0x80 | (cp & 0x3f));
	}
	return out;
}

/* The string whose opening quote is at *pp, unescaped from that quote on
 * and ended with a NUL (never past its closing quote); *pp moves past it.
 * NULL when it is not a JSON string. */
static char *string_at(char **pp, char *end)
{
	char *p = *pp, *out = p, *in = p + 1, *close;
	const char *why;

	if (p >= end || *p != '"' || !(close = (char *)json_scan_string(p, end, &why)))
		return NULL;
	while (in < close - 1) {
		unsigned cp, lo;

		if ((unsigned char)*in < 0x20)
			return NULL; /* a control character must be escaped */
		if (*in != '\\') {
			*out++ = *in++;
			continue;
		}
		switch (in[1]) {
		case '"':
		case '\\':
		case '/':
			*out++ = in[1];
			break;
		case 'b':
			*out++ = '\b';
			break;
		case 'f':
			*out++ = '\f';
			break;
		case 'n':
			*out++ = '\n';
			break;
		case 'r':
			*out++ = '\r';
			break;
		case 't':
			*out++ = '\t';
			break;
		case 'u':
			if (!hex4(in + 2, close - 1, &cp))
				return NULL;
			in += 4;
			/* a pair of surrogates is one code point; a lone one is
			 * no character: U+FFFD */
			if (cp >= 0xd800 && cp <= 0xdbff && in + 2 < close - 1 && in[2] == '\\' && in[3] == 'u' &&
			    hex4(in + 4, close - 1, &lo) && lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				in += 6;
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				cp = 0xfffd;
			}
			out = put_utf8(out, cp);
			break;
		default:
			return NULL;
		}
		in += 2;
	}
	*out = '\0';
	*pp = close;
	return p;
}

/* Past the value at p (any JSON value); NULL when there is none. */
static char *skip_value(char *p, char *end)
{
	const char *why;

	return (char *)json_scan_value(p, end, &why);
}

/* The metric object at *pp: string labels into s. */
static int labels(char **pp, char *end, struct prom_series *s)
{
	char *p = ws(*pp + 1, end);

	if (p < end && *p == '}') {
		*pp = p + 1;
		return 0;
	}
	for (;;) {
		char *k = string_at(&p, end), *v = NULL;

		if (!k)
			return -1;
		p = ws(p, end);
		if (p >= end || *p != ':')
			return -1;
		p = ws(p + 1, end);
		if (p < end && *p == '"')
			v = string_at(&p, end);
		else
			p = skip_value(p, end);
		if (!p)
			return -1;
		if (v && s->n < PROM_SERIES_LABELS_MAX) {
			s->name[s->n] = k;
			s->value[s->n++] = v;
		}
		p = ws(p, end);
		if (p < end && *p == ',') {
			p = ws(p + 1, end);
			continue;
		}
		if (p < end && *p == '}') {
			*pp = p + 1;
			return 0;
		}
		return -1;
	}
}

/* The value array at *pp: its second element, when there are two and
 * that one is a string. */
static int value(char **pp, char *end, struct prom_series *s)
{
	char *p = ws(*pp + 1, end), *second = NULL;
	size_t n = 0;

	if (p < end && *p == ']') {
		*pp = p + 1;
		return 0;
	}
	for (;;) {
		char *v = NULL;

		if (n == 1 && p < end && *p == '"')
			v = string_at(&p, end);
		else
			p = skip_value(p, end);
		if (!p)
			return -1;
		if (n++ == 1)
			second = v;
		p = ws(p, end);
		if (p < end && *p == ',') {
			p = ws(p + 1, end);
			continue;
		}
		if (p < end && *p == ']') {
			*pp = p + 1;
			s->sample = n == 2 ? second : NULL;
			return 0;
		}
		return -1;
	}
}

int prom_series_parse(char *text, size_t len, struct prom_series *s)
{
	char *p = text, *end = text + len;

	s->n = 0;
	s->sample = NULL;
	p = ws(p, end);
	if (p >= end || *p != '{')
		return -1;
	p = ws(p + 1, end);
	if (p < end && *p == '}')
		return ws(p + 1, end) == end ? 0 : -1;
	for (;;) {
		char *key = string_at(&p, end);

		if (!key)
			return -1;
		p = ws(p, end);
		if (p >= end || *p != ':')
			return -1;
		p = ws(p + 1, end);
		if (p < end && *p == '{' && strcmp(key, "metric") == 0) {
			if (labels(&p, end, s) < 0)
				return -1;
		} else if (p < end && *p == '[' && strcmp(key, "value") == 0) {
			if (value(&p, end, s) < 0)
				return -1;
		} else if (!(p = skip_value(p, end))) {
			return -1;
		}
		p = ws(p, end);
		if (p < end && *p == ',') {
			p = ws(p + 1, end);
			continue;
		}
		if (p < end && *p == '}')
			return ws(p + 1, end) == end ? 0 : -1;
		return -1;
	}
}

const char *prom_series_label(const struct prom_series *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->name[i], name) == 0)
			return s->value[i];
	return NULL;
}
