#include "glass/json_scan.h"

const char *json_scan_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

const char *json_scan_string(const char *p, const char *end, const char **why)
{
	for (p++; p < end; p++) {
		if (*p == '"')
			return p + 1;
		/* the escaped byte is never the end: \" and \\ included */
		if (*p == '\\' && ++p == end)
			break;
	}
	*why = "a string does not end";
	return NULL;
}

static bool scalar_byte(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
	       c == '+' || c == '.';
}

const char *json_scan_value(const char *p, const char *end, const char **why)
{
	char open[JSON_SCAN_MAX_DEPTH]; /* the bracket each level opened with */
	int depth = 0;

	while (p < end) {
		char c = *p;

		if (c == '"') {
			if (!(p = json_scan_string(p, end, why)))
				return NULL;
		} else if (c == '{' || c == '[') {
			if (depth == JSON_SCAN_MAX_DEPTH) {
				*why = "nested deeper than 256 levels";
				return NULL;
			}
			open[depth++] = c;
			p++;
		} else if (c == '}' || c == ']') {
			if (depth == 0 || open[depth - 1] != (c == '}' ? '{' : '[')) {
				*why = "a bracket closes what it did not open";
				return NULL;
			}
			depth--;
			p++;
		} else if (depth == 0) {
			/* a number, true, false or null: json-c reads which */
			const char *q = p;
			while (q < end && scalar_byte(*q))
				q++;
			if (q == p) {
				*why = "a value expected";
				return NULL;
			}
			return q;
		} else {
			/* within an object or array: its commas, colons and
			 * scalars are checked by the parser the value goes to */
			p++;
		}
		if (depth == 0)
			return p;
	}
	*why = "the text ends within a value";
	return NULL;
}
