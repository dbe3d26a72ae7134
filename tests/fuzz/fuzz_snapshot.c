/* libFuzzer harness: the snapshot JSON reader (snapshot_read.h) that
 * --replay feeds a --record file through, then every batch view over the
 * tree it gives, as replay shows it.  Invariants: what glass records it
 * can read back; the text views carry no control bytes to a terminal;
 * the JSON views are valid JSON in valid UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "glass/columns.h"
#include "glass/escape.h"
#include "glass/snapshot_read.h"
#include "glass/strbuf.h"
#include "glass/view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Valid UTF-8 without C0 controls (but allow); for text (not JSON,
 * where DEL and C1 are plain characters a reader decodes) without DEL or
 * C1 either. */
static void check_clean_as(const struct strbuf *sb, const char *allow, bool json)
{
	const unsigned char *s = (const unsigned char *)sb->buf;
	size_t i = 0;

	while (s && i < sb->len) {
		size_t n = escape_utf8_seq_len(s + i, sb->len - i);
		if (n == 0)
			__builtin_trap(); /* not UTF-8 */
		if (n == 1 && s[i] < 0x20 && !strchr(allow, s[i]))
			__builtin_trap(); /* a control byte reached the output */
		if (!json && n == 1 && s[i] == 0x7f)
			__builtin_trap();
		if (!json && n == 2 && s[i] == 0xc2 && s[i + 1] < 0xa0)
			__builtin_trap(); /* a C1 control */
		i += n;
	}
}

static void check_clean(const struct strbuf *sb, const char *allow)
{
	check_clean_as(sb, allow, false);
}

static void check_json(const struct strbuf *sb)
{
	struct errbuf err;
	struct tree *again;

	check_clean_as(sb, "\n", true);
	if (!sb->len || sb->buf[sb->len - 1] != '\n' || memchr(sb->buf, '\n', sb->len - 1))
		__builtin_trap(); /* one JSON document on one line */
	again = snapshot_parse(sb->buf, sb->len, &err);
	if (!again)
		__builtin_trap(); /* what glass records, glass replays */
	tree_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errbuf err;
	struct column_set cols = {0};
	struct strbuf sb;
	struct tree *t;

	errbuf_clear(&err);
	t = snapshot_parse((const char *)data, size, &err);
	if (!t) {
		if (!err.msg[0] || strchr(err.msg, '\n'))
			__builtin_trap(); /* a failure says why, on one line */
		return 0;
	}
	strbuf_init(&sb);
	view_json_render(t, &sb); /* --record: the whole tree */
	check_json(&sb);
	tree_select(t, NULL, 0);
	if (column_set_parse(&cols, NULL, true, &err) < 0)
		__builtin_trap();
	strbuf_reset(&sb);
	view_text_render(t, &cols, &sb);
	check_clean(&sb, "\n");
	column_set_done(&cols);
	if (column_set_parse(&cols, NULL, false, &err) < 0)
		__builtin_trap();
	strbuf_reset(&sb);
	view_csv_render(t, &cols, true, &sb);
	check_clean(&sb, "\t\r\n");
	column_set_done(&cols);
	strbuf_reset(&sb);
	view_prom_render(t, &sb);
	check_clean(&sb, "\t\r\n");
	strbuf_reset(&sb);
	view_idle_text_render(t, &sb);
	check_clean(&sb, "\n");
	strbuf_reset(&sb);
	view_idle_json_render(t, &sb);
	check_clean_as(&sb, "\n", true);
	strbuf_done(&sb);
	tree_free(t);
	return 0;
}
