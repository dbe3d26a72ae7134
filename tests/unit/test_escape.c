/* Untrusted names: escaped for terminals, valid UTF-8 for JSON. */
#include <string.h>

#include "glass/escape.h"
#include "glass/json_out.h"
#include "glass/view.h"
#include "glass/xalloc.h"
#include "unit.h"

static char *term(const char *s)
{
	static char out[256];
	struct strbuf sb;

	strbuf_init(&sb);
	escape_terminal(&sb, s);
	strncpy(out, sb.buf ? sb.buf : "", sizeof(out) - 1);
	strbuf_done(&sb);
	return out;
}

static char *utf8(const char *s)
{
	static char out[256];
	struct strbuf sb;

	strbuf_init(&sb);
	escape_utf8(&sb, s);
	strncpy(out, sb.buf ? sb.buf : "", sizeof(out) - 1);
	strbuf_done(&sb);
	return out;
}

START_TEST(plain_and_utf8_pass)
{
	ck_assert_str_eq(term("web-1"), "web-1");
	ck_assert_str_eq(term("caf\xc3\xa9 \xe2\x9c\x93"), "caf\xc3\xa9 \xe2\x9c\x93");
	ck_assert_str_eq(term("\xf0\x9f\x90\xb3"), "\xf0\x9f\x90\xb3");
}
END_TEST

START_TEST(controls_escaped_for_terminal)
{
	ck_assert_str_eq(term("\x1b]0;pwned\a"), "\\x1b]0;pwned\\x07");
	ck_assert_str_eq(term("a\nb\tc"), "a\\x0ab\\x09c");
	ck_assert_str_eq(term("del\x7f"), "del\\x7f");
	ck_assert_str_eq(term("c1\xc2\x9b"), "c1\\xc2\\x9b");
	ck_assert_str_eq(term("back\\slash"), "back\\\\slash");
}
END_TEST

START_TEST(invalid_utf8_escaped)
{
	ck_assert_str_eq(term("bad\xff"), "bad\\xff");
	ck_assert_str_eq(term("cut\xe2\x9c"), "cut\\xe2\\x9c");
	ck_assert_str_eq(term("overlong\xc0\xaf"), "overlong\\xc0\\xaf");
	ck_assert_str_eq(term("surrogate\xed\xa0\x80"), "surrogate\\xed\\xa0\\x80");
	ck_assert_str_eq(utf8("bad\xff"), "bad\\xff");
}
END_TEST

START_TEST(utf8_mode_keeps_controls)
{
	/* JSON and CSV writers escape controls themselves, exactly. */
	ck_assert_str_eq(utf8("a\nb\x1b"), "a\nb\x1b");
	ck_assert_str_eq(utf8("q\"\\"), "q\"\\");
	ck_assert_str_eq(utf8("machine-qemu\\x2d1"), "machine-qemu\\x2d1");
}
END_TEST

START_TEST(data_mode_keeps_newlines_only)
{
	struct strbuf sb;

	strbuf_init(&sb);
	escape_data(&sb, "a,\"b\"\nc\t\x1b[31m\\\xff");
	ck_assert_str_eq(sb.buf, "a,\"b\"\nc\t\\x1b[31m\\\\xff");
	strbuf_done(&sb);
}
END_TEST

START_TEST(seq_len)
{
	ck_assert_uint_eq(escape_utf8_seq_len((const unsigned char *)"a", 1), 1);
	ck_assert_uint_eq(escape_utf8_seq_len((const unsigned char *)"\xc3\xa9", 2), 2);
	ck_assert_uint_eq(escape_utf8_seq_len((const unsigned char *)"\xc3\xa9", 1), 0);
	ck_assert_uint_eq(escape_utf8_seq_len((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
}
END_TEST

/* A string as the snapshot writer writes it. */
static char *jsonc(const char *s)
{
	static char out[256];
	struct strbuf sb;
	struct json_out j;

	strbuf_init(&sb);
	json_out_init(&j, &sb);
	json_out_string(&j, s);
	strncpy(out, sb.buf ? sb.buf : "", sizeof(out) - 1);
	strbuf_done(&sb);
	return out;
}

/* A VM named "\xc2\x9b2J" (U+009B, an 8-bit CSI: clear the screen) is
 * valid UTF-8 that JSON lets through raw: the snapshot writer spells it
 * \u009b so a terminal showing the JSON never obeys it. */
START_TEST(json_c1_and_del_spelled_out)
{
	ck_assert_str_eq(jsonc("vm-\xc2\x9b" "2J"), "\"vm-\\u009b2J\"");
	ck_assert_str_eq(jsonc("\x7f\xc2\x80\xc2\x9f"), "\"\\u007f\\u0080\\u009f\"");
	/* U+00A0 and up, and other UTF-8, stay as they are */
	ck_assert_str_eq(jsonc("\xc2\xa0" "caf\xc3\xa9 \xe2\x9c\x93"), "\"\xc2\xa0" "caf\xc3\xa9 \xe2\x9c\x93\"");
	ck_assert_str_eq(jsonc("plain"), "\"plain\"");
	ck_assert_str_eq(jsonc(""), "\"\"");
}
END_TEST

/* The views on a VM named "vm-cr\roverwritten\xc2\x9b" (a return and
 * an 8-bit CSI), under a host named with a DEL. */
static struct tree *hostile_tree(void)
{
	struct tree *t = xcalloc(1, sizeof(*t));
	struct node *h = node_new(NODE_HOST, "host:h\x7f", "h\x7f");

	t->root = node_new(NODE_SITE, "site", "site");
	node_add_child(t->root, h);
	node_add_child(h, node_new(NODE_VM, "vm:h/1", "vm-cr\roverwritten\xc2\x9b"));
	return t;
}

/* Prometheus lets a return stay raw in a label; on a terminal it would
 * overwrite the line, so it is spelled \x0d as the other controls. */
START_TEST(prom_label_spells_return)
{
	struct tree *t = hostile_tree();
	struct strbuf sb;

	strbuf_init(&sb);
	view_prom_render(t, &sb);
	ck_assert_ptr_null(strchr(sb.buf, '\r'));
	ck_assert_ptr_nonnull(strstr(sb.buf, "name=\"vm-cr\\\\x0doverwritten\\\\xc2\\\\x9b\""));
	strbuf_done(&sb);
	tree_free(t);
}
END_TEST

/* JSON keeps the names exact but spells DEL and C1 as \u escapes. */
START_TEST(json_snapshot_spells_c1)
{
	struct tree *t = hostile_tree();
	struct strbuf sb;

	strbuf_init(&sb);
	view_json_render(t, &sb);
	ck_assert_ptr_null(strstr(sb.buf, "\xc2\x9b"));
	ck_assert_ptr_null(strchr(sb.buf, 0x7f));
	ck_assert_ptr_nonnull(strstr(sb.buf, "\"name\":\"vm-cr\\roverwritten\\u009b\""));
	ck_assert_ptr_nonnull(strstr(sb.buf, "\"name\":\"h\\u007f\""));
	strbuf_done(&sb);
	tree_free(t);
}
END_TEST

/* The escaping as it was written first, a sequence at a time: the
 * faster one (runs of plain bytes copied at once) must match it. */
static void reference(struct strbuf *out, const char *str, int mode) /* 0 utf8, 1 data, 2 terminal */
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str), i = 0;

	while (i < len) {
		size_t n = escape_utf8_seq_len(s + i, len - i);
		unsigned char c = s[i];
		bool ctl = mode != 0 && (c < 0x20 || c == 0x7f) &&
			   !(mode == 1 && (c == '\t' || c == '\n' || c == '\r'));

		if (n == 0 || (n == 1 && ctl)) {
			char b[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
			strbuf_add(out, b, 4);
			i++;
			continue;
		}
		if (mode == 2 && c == '\\') {
			strbuf_add(out, "\\\\", 2);
		} else if (mode != 0 && n == 2 && c == 0xc2 && s[i + 1] < 0xa0) {
			char b[8] = {'\\', 'x', 'c', '2', '\\', 'x', hex[s[i + 1] >> 4], hex[s[i + 1] & 15]};
			strbuf_add(out, b, 8);
		} else {
			strbuf_add(out, s + i, n);
		}
		i += n;
	}
}

START_TEST(random_bytes_as_reference)
{
	void (*const fns[3])(struct strbuf *, const char *) = {escape_utf8, escape_data, escape_terminal};
	char s[32];
	struct strbuf a, b;

	srand(7);
	strbuf_init(&a);
	strbuf_init(&b);
	for (int k = 0; k < 30000; k++) {
		size_t n = (size_t)(rand() % 31);
		for (size_t i = 0; i < n; i++) {
			int r = rand() % 6;
			s[i] = r == 0 ? (char)(1 + rand() % 31) : r == 1 ? (char)0xc2
			       : r == 2 ? (char)(0x80 + rand() % 64) : r == 3 ? "\\\x7f\"\t"[rand() % 4]
			       : (char)(1 + rand() % 255);
		}
		s[n] = '\0';
		for (int m = 0; m < 3; m++) {
			strbuf_reset(&a);
			strbuf_reset(&b);
			fns[m](&a, s);
			reference(&b, s, m);
			ck_assert_str_eq(a.buf ? a.buf : "", b.buf ? b.buf : "");
		}
	}
	strbuf_done(&a);
	strbuf_done(&b);
}
END_TEST

static Suite *escape_suite(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("names");

	tcase_add_test(tc, plain_and_utf8_pass);
	tcase_add_test(tc, random_bytes_as_reference);
	tcase_add_test(tc, controls_escaped_for_terminal);
	tcase_add_test(tc, invalid_utf8_escaped);
	tcase_add_test(tc, utf8_mode_keeps_controls);
	tcase_add_test(tc, data_mode_keeps_newlines_only);
	tcase_add_test(tc, seq_len);
	tcase_add_test(tc, json_c1_and_del_spelled_out);
	tcase_add_test(tc, prom_label_spells_return);
	tcase_add_test(tc, json_snapshot_spells_c1);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(escape_suite)
