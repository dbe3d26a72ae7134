/* json_out.h: JSON written straight into a strbuf, member by member, in
 * the order of the calls: no object per value, so a snapshot of many
 * nodes costs its bytes, not a tree of allocations.  The caller keeps
 * the shape (a key before each member's value, ends matching begins);
 * the writer keeps the commas and the escaping. */
#ifndef GLASS_JSON_OUT_H
#define GLASS_JSON_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "glass/strbuf.h"

struct json_out {
	struct strbuf *sb; /* (borrowed) */
	bool comma;        /* a value was written at this level: the next needs one */
};

void json_out_init(struct json_out *j, struct strbuf *sb);
void json_out_begin_object(struct json_out *j);
void json_out_end_object(struct json_out *j);
void json_out_begin_array(struct json_out *j);
void json_out_end_array(struct json_out *j);
/* A member's name: the program's own ASCII, written as is. */
void json_out_key_len(struct json_out *j, const char *key, size_t len);
static inline void json_out_key(struct json_out *j, const char *key)
{
	json_out_key_len(j, key, strlen(key));
}
/* A member's name as the literal ,"name": (JSON_OUT_KEY): one copy, the
 * comma skipped when none is due. */
static inline void json_out_key_lit(struct json_out *j, const char *lit, size_t len)
{
	size_t skip = !j->comma;

	strbuf_add(j->sb, lit + skip, len - skip);
	j->comma = false;
}
#define JSON_OUT_KEY(j, k) json_out_key_lit((j), ",\"" k "\":", sizeof(",\"" k "\":") - 1)
/* Bytes from anywhere as a JSON string, null for NULL.  Invalid UTF-8
 * becomes the text \xNN (escape_utf8), so the document stays valid; the
 * C0 controls, DEL and the C1 controls (U+0080..U+009F) are \u escapes,
 * so a terminal showing the JSON never obeys them. */
void json_out_string(struct json_out *j, const char *s);
void json_out_null(struct json_out *j);
void json_out_bool(struct json_out *j, bool v);
void json_out_i64(struct json_out *j, int64_t v);
/* At most `decimals` decimals, trailing zeros dropped (units_trimmed);
 * null when unknown (NaN). */
void json_out_number(struct json_out *j, double v, int decimals);
/* A whole number (bytes, counts) rounded to the nearest; null when
 * unknown or beyond int64, which is not a figure. */
void json_out_whole(struct json_out *j, double v);

#endif
