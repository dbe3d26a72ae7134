/* The key table: every bound key is in the help (generated from the
 * same table), no key is bound twice, the help explains the figures,
 * and the pager's marks say where text is cut. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/tui/help.h"
#include "glass/tui/keys.h"
#include "glass/tui/pager.h"
#include "glass/tui/text.h"
#include "unit.h"

/* The help's line for a binding: "  <keys>  <help text>". */
static const char *help_line_of(const char *help, const struct tui_binding *b)
{
	char want[128];
	const char *p;

	snprintf(want, sizeof(want), " %s\n", b->help);
	p = strstr(help, want);
	ck_assert_msg(p != NULL, "'%s' is not in the help", b->help);
	while (p > help && p[-1] != '\n')
		p--;
	return p;
}

START_TEST(every_bound_key_is_in_the_help)
{
	struct strbuf help;
	size_t n;
	const struct tui_binding *b = tui_keys_bindings(&n);

	strbuf_init(&help);
	tui_help_text(&help);
	ck_assert_uint_gt(n, 20);
	for (size_t i = 0; i < n; i++) {
		const char *line = help_line_of(help.buf, &b[i]);
		const char *eol = strchr(line, '\n');
		char *copy = strndup(line, (size_t)(eol - line));

		for (int k = 0; k < TUI_KEY_MAX_CODES && b[i].keys[k]; k++) {
			char buf[16], word[20];
			const char *name = tui_key_name(b[i].keys[k], buf, sizeof(buf));

			/* as a whole word among the keys */
			snprintf(word, sizeof(word), " %s ", name);
			ck_assert_msg(strstr(copy, word) != NULL, "key %s of '%s' not in '%s'", name,
				      b[i].help, copy);
			ck_assert_int_eq(tui_keys_action(b[i].keys[k]), b[i].action);
		}
		free(copy);
	}
	/* and no key is bound to two actions */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			for (int a = 0; a < TUI_KEY_MAX_CODES && b[i].keys[a]; a++)
				for (int c = 0; c < TUI_KEY_MAX_CODES && b[j].keys[c]; c++)
					ck_assert_int_ne(b[i].keys[a], b[j].keys[c]);
	strbuf_done(&help);
}
END_TEST

START_TEST(help_explains_the_figures)
{
	struct strbuf help;

	strbuf_init(&help);
	tui_help_text(&help);
	ck_assert_ptr_nonnull(strstr(help.buf, "'idle?'"));
	ck_assert_ptr_nonnull(strstr(help.buf, "'2.0c'"));
	ck_assert_ptr_nonnull(strstr(help.buf, "  Esc "));
	ck_assert_int_eq(tui_keys_action(27), TUI_ACT_CLEAR);
	ck_assert_int_eq(tui_keys_action(TUI_KEY_FN(KEY_F(1))), TUI_ACT_HELP);
	ck_assert_int_eq(tui_keys_action('Z'), TUI_ACT_NONE);
	strbuf_done(&help);
}
END_TEST

START_TEST(pager_clamps_and_marks)
{
	size_t scroll = 100;

	tui_text_set_utf8(false);
	ck_assert_uint_eq(tui_pager_lines("a\nb\nc\n"), 3);
	ck_assert_uint_eq(tui_pager_lines("a\nb"), 2);
	ck_assert_uint_eq(tui_pager_lines(""), 0);
	tui_pager_clamp(&scroll, 30, 10);
	ck_assert_uint_eq(scroll, 20);
	tui_pager_clamp(&scroll, 5, 10);
	ck_assert_uint_eq(scroll, 0);
	ck_assert_str_eq(tui_pager_mark_above(0), "");
	ck_assert_str_eq(tui_pager_mark_above(3), "^ more above");
	ck_assert_str_eq(tui_pager_mark_below(0, 30, 10), "v more below (Down, PgDn)");
	ck_assert_str_eq(tui_pager_mark_below(20, 30, 10), "");
	ck_assert_str_eq(tui_pager_mark_below(0, 10, 10), "");
	/* lines wider than the pane break at blanks, never past the width */
	struct strbuf sb;
	strbuf_init(&sb);
	tui_pager_wrap("short\nthe quick brown fox jumps over\n", 12, &sb);
	ck_assert_str_eq(sb.buf, "short\nthe quick\n    brown\n    fox\n    jumps\n    over\n");
	strbuf_reset(&sb);
	tui_pager_wrap("averyveryverylongword x", 5, &sb);
	ck_assert_str_eq(sb.buf, "averyveryverylongword x\n");
	strbuf_done(&sb);
}
END_TEST

static Suite *tui_keys_suite(void)
{
	Suite *s = suite_create("tui_keys");
	TCase *tc = tcase_create("keys");

	tcase_add_test(tc, every_bound_key_is_in_the_help);
	tcase_add_test(tc, help_explains_the_figures);
	tcase_add_test(tc, pager_clamps_and_marks);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(tui_keys_suite)
