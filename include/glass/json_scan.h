/* json_scan.h: the structure of JSON text found without building it:
 * where strings are (escapes included) and how deep brackets go.  A
 * document too large to parse whole (a fleet's Prometheus answer, a
 * 100,000-node snapshot) is cut with it into small pieces, and only the
 * pieces go to json-c, which checks every byte it is given. */
#ifndef GLASS_JSON_SCAN_H
#define GLASS_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>

/* Deeper than any value glass reads or writes; json-c's own limit for
 * the pieces is the same. */
#define JSON_SCAN_MAX_DEPTH 256

/* Byte by byte, for text that arrives in chunks. */
struct json_scan {
	long depth;
	bool in_str, esc;
};

/* One byte: +1 when it opens an object or array, -1 when it closes one,
 * 0 otherwise (any byte within a string). */
static inline int json_scan_byte(struct json_scan *s, char c)
{
	if (s->in_str) {
		if (s->esc)
			s->esc = false;
		else if (c == '\\')
			s->esc = true;
		else if (c == '"')
			s->in_str = false;
		return 0;
	}
	if (c == '"') {
		s->in_str = true;
	} else if (c == '{' || c == '[') {
		s->depth++;
		return 1;
	} else if (c == '}' || c == ']') {
		s->depth--;
		return -1;
	}
	return 0;
}

/* Text in memory, [p, end).  Each returns one past what it read, or
 * NULL with *why (a static string) when the text is not JSON there or
 * ends first. */

/* Past any whitespace (never NULL). */
const char *json_scan_ws(const char *p, const char *end);
/* The string that opens at p, escapes included. */
const char *json_scan_string(const char *p, const char *end, const char **why);
/* The value that starts at p: a string, a number or literal, or an
 * object or array to its matching close, at most JSON_SCAN_MAX_DEPTH
 * deep. */
const char *json_scan_value(const char *p, const char *end, const char **why);

#endif
