/* The direct JSON writer: the same bytes json-c wrote before it (after
 * escape_utf8 and json_controls_spelled), and the same digits printf
 * gives a number. */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/escape.h"
#include "glass/json_out.h"
#include "glass/numfmt.h"
#include "unit.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

/* What glass did after json-c serialized a snapshot (len bytes of valid
 * UTF-8): DEL and the C1 controls, which JSON lets through raw, became
 * \u007f and \u0080..\u009f.  The direct writer must give the same. */
static void json_controls_spelled(struct strbuf *out, const char *s, size_t len)
{
	const char *end = s + len, *done = s, *at = s;
	/* memchr for the two lead bytes (0x7f, 0xc2): a snapshot is mostly
	 * bytes that need nothing, and this runs over all of it.  The next
	 * DEL is remembered, so many U+0080..U+00FF do not rescan for it. */
	const char *del = memchr(s, 0x7f, len);

	while (at < end) {
		const char *c2 = memchr(at, 0xc2, (size_t)(end - at));
		const char *next = !del ? c2 : !c2 ? del : del < c2 ? del : c2;
		unsigned cp;

		if (!next)
			break;
		at = next + 1;
		if (next == del) {
			cp = 0x7f;
			del = memchr(at, 0x7f, (size_t)(end - at));
		} else if (at < end && (unsigned char)*at >= 0x80 && (unsigned char)*at < 0xa0) {
			cp = (unsigned char)*at++;
		} else {
			continue;
		}
		strbuf_add(out, done, (size_t)(next - done));
		strbuf_addf(out, "\\u%04x", cp);
		done = at;
	}
	strbuf_add(out, done, (size_t)(end - done));
}

/* What the snapshot writer did through json-c: a string made valid UTF-8
 * by escape_utf8, serialized by json-c, DEL and C1 then spelled out. */
static char *via_json_c(const char *s)
{
	struct strbuf u, out;
	json_object *o;
	size_t len;
	const char *text;

	strbuf_init(&u);
	strbuf_init(&out);
	escape_utf8(&u, s);
	o = json_object_new_string_len(u.buf ? u.buf : "", (int)u.len);
	text = json_object_to_json_string_length(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	json_controls_spelled(&out, text, len);
	json_object_put(o);
	strbuf_done(&u);
	return strbuf_detach(&out);
}

static char *direct(const char *s)
{
	struct strbuf sb;
	struct json_out j;

	strbuf_init(&sb);
	json_out_init(&j, &sb);
	json_out_string(&j, s);
	return strbuf_detach(&sb);
}

static void same_as_json_c(const char *s)
{
	char *want = via_json_c(s), *got = direct(s);

	ck_assert_str_eq(got, want);
	/* and it parses back to the escaped text */
	json_object *o = json_tokener_parse(got);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_is_type(o, json_type_string));
	json_object_put(o);
	free(want);
	free(got);
}

START_TEST(hostile_strings)
{
	static const char *const cases[] = {
		"",
		"web-1",
		"a \"quoted\" name\\with/slash",
		"\x01\x02\x07\x08\t\n\x0b\x0c\r\x1b[31mred\x1f",
		"del\x7f",
		"c1 \xc2\x80 \xc2\x85 \xc2\x9b \xc2\x9f edge \xc2\xa0 nbsp \xc2\xb7",
		"caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x90\xb3",
		"bad \xff \xfe \xc0\xaf overlong \xe0\x80\x80 \xed\xa0\x80 surrogate",
		"cut \xe2\x9c",
		"cut at end \xc2",
		"\xf4\x90\x80\x80 beyond U+10FFFF",
		"\xe0\xc2\x85 lead then C1",
		"machine-qemu\\x2d1\\x2dweb.scope",
		"\xf0\x9f\x90",
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		same_as_json_c(cases[i]);
}
END_TEST

START_TEST(random_bytes)
{
	char s[40];

	srand(21);
	for (int k = 0; k < 20000; k++) {
		size_t n = (size_t)(rand() % 39);
		for (size_t i = 0; i < n; i++) {
			int r = rand() % 8;
			/* weighted to the interesting bytes: controls, the C1
			 * lead byte, continuation bytes, DEL, quotes */
			s[i] = r == 0   ? (char)(1 + rand() % 31)
			       : r == 1 ? (char)0xc2
			       : r == 2 ? (char)(0x80 + rand() % 64)
			       : r == 3 ? (char)(0xe0 + rand() % 32)
			       : r == 4 ? "\"\\/\x7f"[rand() % 4]
				        : (char)(1 + rand() % 255);
		}
		s[n] = '\0';
		same_as_json_c(s);
	}
}
END_TEST

/* units_trimmed as it was: printf, then the trailing zeros cut. */
static void via_printf(double v, int decimals, char *out, size_t len)
{
	if (snprintf(out, len, "%.*f", decimals, v) >= (int)len) {
		snprintf(out, len, "%.17g", v);
		return;
	}
	if (strchr(out, '.')) {
		size_t n = strlen(out);
		while (out[n - 1] == '0')
			out[--n] = '\0';
		if (out[n - 1] == '.')
			out[--n] = '\0';
	}
	if (strcmp(out, "-0") == 0)
		snprintf(out, len, "0");
}

static void same_digits(double v, int decimals)
{
	char want[400], got[400];
	size_t n;

	via_printf(v, decimals, want, 64);
	n = numfmt_trimmed(v, decimals, got, 64);
	if (strcmp(got, want) != 0)
		ck_abort_msg("%.17g with %d decimals: \"%s\", printf \"%s\"", v, decimals, got, want);
	ck_assert_uint_eq(n, strlen(want));
	/* and untrimmed, as printf writes it ("-0.0" included) */
	snprintf(want, sizeof(want), "%.*f", decimals, v);
	n = numfmt_fixed(v, decimals, got, sizeof(got));
	if (strcmp(got, want) != 0)
		ck_abort_msg("%.17g fixed with %d decimals: \"%s\", printf \"%s\"", v, decimals, got, want);
	ck_assert_uint_eq(n, strlen(want));
}

START_TEST(numbers_as_printf)
{
	static const double fixed[] = {
		0, -0.0, 1, -1, 0.5, 1.5, 2.5, -2.5, 0.25, 0.125, 0.375, 0.0625, 0.03125, 0.05,
		0.15, 0.25, 0.35, 0.45, 1e-5, 5e-5, 4.9999e-5, -1e-9, 0.99995, 0.99994999, 9.99995,
		123456789.12345, 4503599627370495.5, 4503599627370496.0, 9007199254740993.0, 1e20,
		-1e20, 1e300, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, 1e-310,
		0.1, 0.2, 0.3, 0.7, 1024, 1e15 + 0.3, 299792458.0001, INFINITY, -INFINITY,
	};

	for (int d = 0; d <= 6; d++)
		for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
			same_digits(fixed[i], d);
	/* exact halves at every decimal: the ties, rounded to even */
	for (int d = 0; d <= 4; d++)
		for (int k = -4000; k <= 4000; k++)
			same_digits(k / 2048.0, d), same_digits(k / 16.0 + 0.00005, d);
	srand(42);
	for (int k = 0; k < 200000; k++) {
		double mag = pow(10, rand() % 24 - 8);
		double v = ((double)rand() / RAND_MAX - 0.3) * mag;
		same_digits(v, k % 5);
		/* values close to a rounding boundary */
		double b = round(v * 1e4) / 1e4 + 0.00005;
		same_digits(b, 4);
		same_digits(nextafter(b, 0), 4);
		same_digits(nextafter(b, 1e300), 4);
	}
}
END_TEST

static long g10_checked;

static void same_as_g10(double v)
{
	char want[64], got[64];
	size_t n = numfmt_g10(v, got, sizeof(got));

	snprintf(want, sizeof(want), "%.10g", v);
	/* no ck_assert per value: each one writes to Check's pipe */
	if (strcmp(got, want) != 0 || n != strlen(want))
		ck_abort_msg("%.17g (%a): \"%s\" (%zu), printf %%.10g \"%s\"", v, v, got, n, want);
	g10_checked++;
}

/* a value, the doubles either side of it, and its negative */
static void g10_around(double v)
{
	same_as_g10(v);
	same_as_g10(-v);
	same_as_g10(nextafter(v, 0));
	same_as_g10(nextafter(v, INFINITY));
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* %.10g (the prom writer's figures) against glibc's printf: every
 * magnitude, the exact ties (which round to even), the doubles next to
 * every kind of rounding boundary, powers of ten, whole numbers. */
START_TEST(g10_as_printf)
{
	static const double fixed[] = {
		0, 1, 9999999999.5, 9999999998.5, 9999999999.4999, 99999.999995, 999999.99995,
		0.00009999999999, 0.000099999999995, 0.0001, 0.00001, 1e10, 1e9, 123456789012.0,
		1234567890.5, 0.1, 0.2, 0.3, 1.5, 2.5, 1e-20, 1e-21, 1e35, 1e36, 1e37, 1e100,
		1e-100, 1e300, 1.7976931348623157e308, 2.2250738585072014e-308, 5e-324, 1e-310,
		4503599627370496.0, 9007199254740993.0, 1e18, 18446744073709551616.0,
		NAN, INFINITY,
	};
	/* the powers of ten show most of the rounding (the value 1e-5 lies
	 * just below or above 10^-5); valgrind gets a hundredth */
	long rounds = RUNNING_ON_VALGRIND ? 4000 : 400000;
	uint64_t st = 88172645463325252ULL;
	char s[64];

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		g10_around(fixed[i]);
	same_as_g10(-0.0);
	same_as_g10(-NAN);
	for (int e = -330; e <= 310; e++) {
		snprintf(s, sizeof(s), "1e%d", e);
		g10_around(strtod(s, NULL));
		snprintf(s, sizeof(s), "9.9999999995e%d", e);
		g10_around(strtod(s, NULL));
	}
	for (long i = 0; i < rounds; i++) {
		uint64_t b = xorshift(&st), t, p5 = 1;
		double v;
		int j;

		/* any bit pattern: subnormals, NaNs and infinities included */
		memcpy(&v, &b, sizeof(v));
		same_as_g10(v);
		/* a random 53-bit mantissa in the range done exactly and a bit
		 * beyond it */
		v = ldexp((double)(xorshift(&st) >> 11), (int)(xorshift(&st) % 200) - 130);
		same_as_g10(v);
		same_as_g10(-v);
		/* the exact ties below 10^10: (D + 1/2) 10^-j = t / 2^(j+1)
		 * with t odd and t 5^j = 2D + 1 */
		j = (int)(xorshift(&st) % 15);
		for (int k = 0; k < j; k++)
			p5 *= 5;
		t = (2000000000ULL / p5 + 1 + xorshift(&st) % (18000000000ULL / p5)) | 1;
		if (t * p5 > 2000000000ULL && t * p5 < 20000000000ULL)
			g10_around(ldexp((double)t, -(j + 1)));
		/* and above: (D + 1/2) 10^k = (2D + 1) 5^k 2^(k-1) */
		j = (int)(xorshift(&st) % 9);
		p5 = 1;
		for (int k = 0; k < j; k++)
			p5 *= 5;
		t = (2000000001ULL + xorshift(&st) % 18000000000ULL) | 1;
		if (t * p5 < (1ULL << 53))
			g10_around(ldexp((double)(t * p5), j - 1));
		/* the double nearest a rounding boundary, any magnitude */
		if (i % 4 == 0) {
			snprintf(s, sizeof(s), "%llu5e%d",
				 (unsigned long long)(1000000000ULL + xorshift(&st) % 9000000000ULL),
				 (int)(xorshift(&st) % 90) - 55);
			g10_around(strtod(s, NULL));
		}
		/* whole numbers of every width */
		same_as_g10((double)(int64_t)xorshift(&st));
		same_as_g10((double)(xorshift(&st) >> (xorshift(&st) % 64)));
	}
	ck_assert_int_gt(g10_checked, 12 * rounds); /* 4.8 million natively */
}
END_TEST

START_TEST(integers)
{
	static const int64_t v[] = {0, 1, -1, 9, 10, 99, 100, 12345, -987654321, INT64_MAX, INT64_MIN};
	char got[NUMFMT_INT_MAX + 1], want[32];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t n = numfmt_i64(v[i], got);
		got[n] = '\0';
		snprintf(want, sizeof(want), "%lld", (long long)v[i]);
		ck_assert_str_eq(got, want);
	}
	size_t n = numfmt_u64(UINT64_MAX, got);
	got[n] = '\0';
	ck_assert_str_eq(got, "18446744073709551615");
}
END_TEST

START_TEST(shape_and_nulls)
{
	struct strbuf sb;
	struct json_out j;

	strbuf_init(&sb);
	json_out_init(&j, &sb);
	json_out_begin_object(&j);
	json_out_key(&j, "a");
	json_out_number(&j, NAN, 2);
	json_out_key(&j, "b");
	json_out_whole(&j, 1e19); /* beyond int64: not a figure */
	json_out_key(&j, "c");
	json_out_begin_array(&j);
	json_out_whole(&j, 2.5);
	json_out_whole(&j, -2.5);
	json_out_string(&j, NULL);
	json_out_begin_object(&j);
	json_out_end_object(&j);
	json_out_begin_array(&j);
	json_out_end_array(&j);
	json_out_bool(&j, true);
	json_out_bool(&j, false);
	json_out_number(&j, 0.12345, 4);
	json_out_number(&j, -0.00001, 4);
	json_out_i64(&j, -7);
	json_out_end_array(&j);
	json_out_key(&j, "d");
	json_out_begin_object(&j);
	json_out_key(&j, "e");
	json_out_null(&j);
	json_out_end_object(&j);
	json_out_end_object(&j);
	ck_assert_str_eq(sb.buf, "{\"a\":null,\"b\":null,\"c\":[3,-3,null,{},[],true,false,0.1235,0,-7],"
				 "\"d\":{\"e\":null}}");
	json_object *o = json_tokener_parse(sb.buf);
	ck_assert_ptr_nonnull(o);
	json_object_put(o);
	strbuf_done(&sb);
}
END_TEST

static Suite *json_out_suite(void)
{
	Suite *s = suite_create("json_out");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, hostile_strings);
	tcase_add_test(tc, random_bytes);
	tcase_add_test(tc, numbers_as_printf);
	tcase_add_test(tc, g10_as_printf);
	tcase_add_test(tc, integers);
	tcase_add_test(tc, shape_and_nulls);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(json_out_suite)
