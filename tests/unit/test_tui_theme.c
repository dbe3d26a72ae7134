/* Theme files: the shipped ones load, a bad line names file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/tui/theme.h"
#include "unit.h"

static int parse(struct tui_theme *th, const char *text, struct errbuf *err)
{
	errbuf_clear(err);
	return tui_theme_parse(th, "t", "my.theme", text, strlen(text), err);
}

START_TEST(good_lines)
{
	struct tui_theme th;
	struct errbuf err;

	ck_assert_int_eq(parse(&th, "# comment\n\nrow = white black\n"
				    "selected = bright_yellow blue bold,reverse  # trailing\n"
				    "title=default default underline standout\n",
			       &err),
			 0);
	ck_assert_int_eq(th.el[TUI_EL_ROW].fg, 7);
	ck_assert_int_eq(th.el[TUI_EL_ROW].bg, 0);
	ck_assert_int_eq(th.el[TUI_EL_SELECTED].fg, 11);
	ck_assert_uint_eq(th.el[TUI_EL_SELECTED].attrs, TUI_ATTR_BOLD | TUI_ATTR_REVERSE);
	ck_assert_int_eq(th.el[TUI_EL_TITLE].fg, TUI_COLOR_DEFAULT);
	ck_assert_uint_eq(th.el[TUI_EL_TITLE].attrs, TUI_ATTR_UNDERLINE | TUI_ATTR_STANDOUT);
	ck_assert_str_eq(th.name, "t");
}
END_TEST

START_TEST(bad_lines_name_file_and_line)
{
	struct tui_theme th;
	struct errbuf err;

	ck_assert_int_eq(parse(&th, "row = white black\n\nrowz = red red\n", &err), -1);
	ck_assert_str_eq(err.msg, "my.theme:3: unknown element 'rowz'");
	ck_assert_int_eq(parse(&th, "row = white purple\n", &err), -1);
	ck_assert_str_eq(err.msg, "my.theme:1: unknown colour 'purple'");
	ck_assert_int_eq(parse(&th, "row = white\n", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "my.theme:1: 'row' needs a foreground"));
	ck_assert_int_eq(parse(&th, "row = white black blink\n", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "my.theme:1: unknown attribute 'blink'"));
	ck_assert_int_eq(parse(&th, "row white black\n", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "my.theme:1: expected"));
}
END_TEST

START_TEST(shipped_themes_load)
{
	const char *srcdir = getenv("SRCDIR");
	struct tui_theme th;
	struct errbuf err;
	char dir[4096];

	/* By name: through $GLASS_THEME_DIR under make check, else the
	 * source tree's themes that libglass knows (valgrind runs). */
	if (srcdir) {
		snprintf(dir, sizeof(dir), "%s/themes", srcdir);
		setenv("GLASS_THEME_DIR", dir, 1);
	}
	for (int i = 0; i < TUI_THEME_N_BUILTIN; i++) {
		errbuf_clear(&err);
		ck_assert_msg(tui_theme_load(&th, tui_theme_builtin_names[i], &err) == 0, "%s",
			      err.msg);
		ck_assert_str_eq(th.name, tui_theme_builtin_names[i]);
		/* idle flags, an over-quota row and a stale host each stand
		 * apart from a plain row in every shipped theme */
		static const enum tui_elem own[] = {TUI_EL_IDLE, TUI_EL_IDLE_MAYBE,
						    TUI_EL_OVER_QUOTA, TUI_EL_STALE_HOST};
		for (size_t k = 0; k < sizeof(own) / sizeof(own[0]); k++)
			ck_assert_msg(memcmp(&th.el[own[k]], &th.el[TUI_EL_ROW],
					     sizeof(th.el[0])) != 0,
				      "%s: %s looks like a row", th.name, tui_theme_elem_name(own[k]));
		ck_assert(memcmp(&th.el[TUI_EL_IDLE], &th.el[TUI_EL_IDLE_MAYBE], sizeof(th.el[0])));
		ck_assert(memcmp(&th.el[TUI_EL_STALE_HOST], &th.el[TUI_EL_DOWN], sizeof(th.el[0])));
	}
	ck_assert_int_eq(tui_theme_load(&th, "default", &err), 0);
	/* every element is set by the default theme file */
	ck_assert_int_ne(th.el[TUI_EL_TITLE].fg, TUI_COLOR_DEFAULT);
	ck_assert_int_eq(tui_theme_load(&th, "no-such-theme", &err), -2);
	ck_assert_ptr_nonnull(strstr(err.msg, "no-such-theme.theme"));
	ck_assert_int_eq(tui_theme_load(&th, "bad name!", &err), -1);
	/* the built-in theme (no colour) still marks what must stand out */
	tui_theme_fallback(&th);
	for (int e = 0; e < TUI_EL_COUNT; e++)
		ck_assert_int_eq(th.el[e].fg, TUI_COLOR_DEFAULT);
	ck_assert(th.el[TUI_EL_SELECTED].attrs & TUI_ATTR_REVERSE);
	ck_assert(th.el[TUI_EL_TITLE].attrs & TUI_ATTR_REVERSE);
}
END_TEST

static Suite *tui_theme_suite(void)
{
	Suite *s = suite_create("tui_theme");
	TCase *tc = tcase_create("theme");

	tcase_add_test(tc, good_lines);
	tcase_add_test(tc, bad_lines_name_file_and_line);
	tcase_add_test(tc, shipped_themes_load);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(tui_theme_suite)
