/* One series of a Prometheus answer read in place: labels, the sample,
 * escapes, and text that is not a series. */
#include <stdio.h>
#include <string.h>

#include "glass/prom_series.h"
#include "unit.h"

/* parse a copy of `json` (the parser writes over its text) */
static int parse(const char *json, struct prom_series *s, char *buf, size_t cap)
{
	size_t len = strlen(json);

	ck_assert_uint_lt(len, cap);
	memcpy(buf, json, len + 1);
	return prom_series_parse(buf, len, s);
}

START_TEST(labels_and_sample)
{
	char buf[512];
	struct prom_series s;

	ck_assert_int_eq(parse(" {\"metric\":{\"__name__\":\"glass_pids\",\"id\":\"ct:h/a\",\"empty\":\"\"},"
			       "\"value\":[1712345678.901,\"42\"]} ",
			       &s, buf, sizeof(buf)),
			 0);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_str_eq(prom_series_label(&s, "__name__"), "glass_pids");
	ck_assert_str_eq(prom_series_label(&s, "id"), "ct:h/a");
	ck_assert_str_eq(prom_series_label(&s, "empty"), "");
	ck_assert_ptr_null(prom_series_label(&s, "kind"));
	ck_assert_str_eq(s.sample, "42");
	/* the order of the members is the writer's */
	ck_assert_int_eq(parse("{\"value\":[1,\"NaN\"],\"metric\":{}}", &s, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(s.n, 0);
	ck_assert_str_eq(s.sample, "NaN");
}
END_TEST

START_TEST(escapes_unescaped)
{
	char buf[512];
	struct prom_series s;

	ck_assert_int_eq(parse("{\"metric\":{\"name\":\"a\\\"b\\\\c\\/d\\n\\t\",\"u\":\"caf\\u00e9 \\u2713\","
			       "\"pair\":\"\\ud83d\\udc33\",\"lone\":\"x\\ud800y\",\"k\\u0065y\":\"v\"},\"value\":[1,\"0\"]}",
			       &s, buf, sizeof(buf)),
			 0);
	ck_assert_str_eq(prom_series_label(&s, "name"), "a\"b\\c/d\n\t");
	ck_assert_str_eq(prom_series_label(&s, "u"), "caf\xc3\xa9 \xe2\x9c\x93");
	ck_assert_str_eq(prom_series_label(&s, "pair"), "\xf0\x9f\x90\xb3");
	ck_assert_str_eq(prom_series_label(&s, "lone"), "x\xef\xbf\xbdy");
	ck_assert_str_eq(prom_series_label(&s, "key"), "v");
}
END_TEST

START_TEST(odd_values_are_no_sample)
{
	char buf[512];
	struct prom_series s;

	/* a label that is not a string is left out; so is a sample that is
	 * not [TIME, "STRING"] */
	ck_assert_int_eq(parse("{\"metric\":{\"n\":5,\"o\":{\"x\":[1]},\"id\":\"a\"},\"value\":[1,2]}", &s, buf,
			       sizeof(buf)),
			 0);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(prom_series_label(&s, "id"), "a");
	ck_assert_ptr_null(s.sample);
	ck_assert_int_eq(parse("{\"metric\":{},\"value\":[1,\"2\",\"3\"]}", &s, buf, sizeof(buf)), 0);
	ck_assert_ptr_null(s.sample);
	ck_assert_int_eq(parse("{\"metric\":{},\"value\":[]}", &s, buf, sizeof(buf)), 0);
	ck_assert_ptr_null(s.sample);
	/* members glass does not read are read past */
	ck_assert_int_eq(parse("{\"histogram\":[1,{\"a\":[2,3]}],\"metric\":{\"id\":\"b\"},\"value\":[1,\"7\"]}", &s,
			       buf, sizeof(buf)),
			 0);
	ck_assert_str_eq(prom_series_label(&s, "id"), "b");
	ck_assert_str_eq(s.sample, "7");
}
END_TEST

START_TEST(not_a_series)
{
	static const char *const bad[] = {
		"",
		"[]",
		"\"metric\"",
		"{",
		"{\"metric\":{\"id\":\"a\"}",
		"{\"metric\":{\"id\":\"a\"},}",
		"{\"metric\":{\"id\" \"a\"}}",
		"{\"metric\":{\"id\":\"a\\q\"}}",
		"{\"metric\":{\"id\":\"a\\u12\"}}",
		"{\"metric\":{\"id\":\"a\x01\"}}",
		"{\"metric\":{\"id\":\"a\"}} x",
		"{\"value\":[1,\"2\"}",
		"{metric:{}}",
	};
	char buf[512];
	struct prom_series s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse(bad[i], &s, buf, sizeof(buf)) == -1, "taken: %s", bad[i]);
	ck_assert_int_eq(parse("{}", &s, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

START_TEST(labels_past_the_cap_read_past)
{
	char buf[8192];
	size_t at = 0;
	struct prom_series s;

	at += (size_t)snprintf(buf + at, sizeof(buf) - at, "{\"metric\":{");
	for (int i = 0; i < PROM_SERIES_LABELS_MAX + 10; i++)
		at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s\"l%d\":\"v%d\"", i ? "," : "", i, i);
	at += (size_t)snprintf(buf + at, sizeof(buf) - at, "},\"value\":[1,\"3\"]}");
	ck_assert_int_eq(prom_series_parse(buf, at, &s), 0);
	ck_assert_uint_eq(s.n, PROM_SERIES_LABELS_MAX);
	ck_assert_str_eq(prom_series_label(&s, "l0"), "v0");
	ck_assert_ptr_null(prom_series_label(&s, "l70"));
	ck_assert_str_eq(s.sample, "3");
}
END_TEST

static Suite *prom_series_suite(void)
{
	Suite *s = suite_create("prom_series");
	TCase *tc = tcase_create("series");

	tcase_add_test(tc, labels_and_sample);
	tcase_add_test(tc, escapes_unescaped);
	tcase_add_test(tc, odd_values_are_no_sample);
	tcase_add_test(tc, not_a_series);
	tcase_add_test(tc, labels_past_the_cap_read_past);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(prom_series_suite)
