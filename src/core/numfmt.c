#include "glass/numfmt.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char digit_pairs[] = "00010203040506070809"
				  "10111213141516171819"
				  "20212223242526272829"
				  "30313233343536373839"
				  "40414243444546474849"
				  "50515253545556575859"
				  "60616263646566676869"
				  "70717273747576777879"
				  "80818283848586878889"
				  "90919293949596979899";

size_t numfmt_u64(uint64_t v, char *out)
{
	char tmp[NUMFMT_INT_MAX];
	char *p = tmp + sizeof(tmp);
	size_t n;

	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		p -= 2;
		memcpy(p, digit_pairs + 2 * r, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(out, p, n);
	return n;
}

size_t numfmt_i64(int64_t v, char *out)
{
	if (v >= 0)
		return numfmt_u64((uint64_t)v, out);
	out[0] = '-';
	/* the magnitude in unsigned arithmetic: -INT64_MIN overflows */
	return 1 + numfmt_u64(0 - (uint64_t)v, out + 1);
}

/* The printf path, for what the integer one does not cover. */
static size_t trimmed_printf(double v, int decimals, char *out, size_t len)
{
	size_t n;

	if (snprintf(out, len, "%.*f", decimals, v) >= (int)len)
		return (size_t)snprintf(out, len, "%.17g", v);
	n = strlen(out);
	if (strchr(out, '.')) {
		while (out[n - 1] == '0')
			out[--n] = '\0';
		if (out[n - 1] == '.')
			out[--n] = '\0';
	}
	if (strcmp(out, "-0") == 0)
		n = (size_t)snprintf(out, len, "0");
	return n;
}

/* printf's "%.*f", or with trim its digits without trailing zeros: the
 * sign, whole part and up to 4 decimals of |v| < 2^52, rounded as
 * printf rounds: the exact binary value to the nearest, ties to even.
 * The fraction f = m * 2^e (m < 2^53, e <= -53 as f < 1) times 10^d is
 * m * 5^d * 2^(e + d): m * 5^d < 2^63 fits, and the shift splits it
 * into the digits and a remainder to compare with one half. */
static size_t fixed_exact(double v, int decimals, bool trim, char *out)
{
	static const uint64_t pow5[] = {1, 5, 25, 125, 625};
	static const uint64_t pow10[] = {1, 10, 100, 1000, 10000};
	bool neg = signbit(v);
	double a = fabs(v);
	uint64_t whole = (uint64_t)a, frac = 0;
	double f = a - (double)whole; /* exact: both lie in one binade's grid */
	size_t n = 0;

	if (f != 0) {
		uint64_t bits, m, scaled;
		int exp2, shift;

		memcpy(&bits, &f, sizeof(bits));
		m = bits & ((UINT64_C(1) << 52) - 1);
		exp2 = (int)((bits >> 52) & 0x7ff);
		if (exp2 == 0) {
			exp2 = -1074; /* subnormal */
		} else {
			m |= UINT64_C(1) << 52;
			exp2 -= 1075;
		}
		scaled = m * pow5[decimals];
		shift = -(exp2 + decimals); /* >= 49 */
		if (shift < 64) {
			uint64_t rem = scaled & ((UINT64_C(1) << shift) - 1);
			uint64_t half = UINT64_C(1) << (shift - 1);
			uint64_t last;

			frac = scaled >> shift;
			last = decimals ? frac : whole;
			if (rem > half || (rem == half && (last & 1)))
				frac++;
			if (frac == pow10[decimals]) {
				whole++;
				frac = 0;
			}
		} /* else below 2^-64 of a unit in the last place: rounds to 0 */
	}
	/* printf keeps the sign of a negative that rounds to zero ("-0.0");
	 * trimmed, "-0" is "0" */
	if (neg && (!trim || whole || frac))
		out[n++] = '-';
	n += numfmt_u64(whole, out + n);
	if (frac || (!trim && decimals > 0)) {
		int d = decimals;

		while (trim && frac % 10 == 0) { /* the trailing zeros, dropped */
			frac /= 10;
			d--;
		}
		out[n++] = '.';
		for (int i = d - 1; i >= 0; i--) {
			out[n + (size_t)i] = (char)('0' + frac % 10);
			frac /= 10;
		}
		n += (size_t)d;
	}
	out[n] = '\0';
	return n;
}

size_t numfmt_trimmed(double v, int decimals, char *out, size_t len)
{
	/* sign, 16 digits, point, 4 decimals, NUL: 23 */
	if (decimals >= 0 && decimals <= 4 && fabs(v) < 4503599627370496.0 && len >= 24)
		return fixed_exact(v, decimals, true, out);
	return trimmed_printf(v, decimals, out, len);
}

size_t numfmt_fixed(double v, int decimals, char *out, size_t len)
{
	int n;

	if (decimals >= 0 && decimals <= 4 && fabs(v) < 4503599627370496.0 && len >= 24)
		return fixed_exact(v, decimals, false, out);
	n = snprintf(out, len, "%.*f", decimals, v);
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

/* 128-bit integers: every 64-bit target of gcc and clang has them; a
 * 32-bit one formats %.10g with printf. */
#ifdef __SIZEOF_INT128__
__extension__ typedef unsigned __int128 u128;

/* 5^k for k <= 55, from 5^27 < 2^63 as the largest table entry */
static u128 pow5(int k)
{
	static const uint64_t t[28] = {
		1ULL, 5ULL, 25ULL, 125ULL, 625ULL, 3125ULL, 15625ULL, 78125ULL, 390625ULL,
		1953125ULL, 9765625ULL, 48828125ULL, 244140625ULL, 1220703125ULL,
		6103515625ULL, 30517578125ULL, 152587890625ULL, 762939453125ULL,
		3814697265625ULL, 19073486328125ULL, 95367431640625ULL, 476837158203125ULL,
		2384185791015625ULL, 11920928955078125ULL, 59604644775390625ULL,
		298023223876953125ULL, 1490116119384765625ULL, 7450580596923828125ULL,
	};

	return k <= 27 ? (u128)t[k] : (u128)t[27] * t[k - 27];
}

/* m * 2^e2 * 10^s rounded to the nearest integer, ties to even, the exact
 * binary value (as printf rounds); *down gets it rounded down, which says
 * whether s puts 10 digits before the point.  numfmt_g10's range keeps
 * every operand below 2^122: m < 2^53, 5^|s| <= 5^29 < 2^68, and the
 * shifts as small as a 10-digit result makes them. */
static uint64_t scale_round(uint64_t m, int e2, int s, uint64_t *down)
{
	u128 q, rem, den;

	if (s >= 0) {
		u128 num = (u128)m * pow5(s);
		int b = e2 + s;

		if (b >= 0) { /* a whole number: nothing to round */
			*down = (uint64_t)(num << b);
			return *down;
		}
		q = num >> -b;
		den = (u128)1 << -b;
		rem = num & (den - 1);
	} else {
		int k = -s;

		if (e2 >= k) {
			u128 num = (u128)m << (e2 - k);

			den = pow5(k);
			q = num / den;
			rem = num - q * den;
		} else {
			den = pow5(k) << (k - e2);
			q = (u128)m / den;
			rem = (u128)m - q * den;
		}
	}
	*down = (uint64_t)q;
	if (2 * rem > den || (2 * rem == den && (q & 1)))
		q++;
	return (uint64_t)q;
}

#endif

static size_t g10_printf(double v, char *out, size_t len)
{
	int n = snprintf(out, len, "%.10g", v);

	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

#ifndef __SIZEOF_INT128__
size_t numfmt_g10(double v, char *out, size_t len)
{
	return g10_printf(v, out, len);
}
#else

/* %g with precision P = 10: the 10 significant digits q and the
 * exponent X of their first; exponent form when X < -4 or X >= 10, else
 * fixed with 9 - X decimals; either way trailing zeros of the fraction
 * (and then the point) dropped. */
size_t numfmt_g10(double v, char *out, size_t len)
{
	static const uint64_t lo = 1000000000ULL, hi = 10000000000ULL;
	uint64_t bits, m, q = 0, down = 0;
	int biased, e2, x, tries;
	char d[NUMFMT_INT_MAX];
	size_t n = 0, nd;

	memcpy(&bits, &v, sizeof(bits));
	biased = (int)((bits >> 52) & 0x7ff);
	if (len < NUMFMT_G10_MAX || biased == 0x7ff || (biased == 0 && (bits << 1) != 0))
		return g10_printf(v, out, len); /* inf, nan, subnormal */
	if (bits >> 63)
		out[n++] = '-';
	if (biased == 0) { /* zero */
		out[n++] = '0';
		out[n] = '\0';
		return n;
	}
	m = (bits & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1) << 52);
	e2 = biased - 1075;
	/* |v| lies in [2^(e2+52), 2^(e2+53)): floor((e2 + 52) log10 2), from
	 * 78913 / 2^18 just under log10 2, is X or one less */
	x = ((e2 + 52) * 78913) >> 18;
	for (tries = 0; tries < 3; tries++) {
		if (x < -20 || x > 35)
			return g10_printf(v, out, len);
		q = scale_round(m, e2, 9 - x, &down);
		if (down >= hi)
			x++;
		else if (down < lo)
			x--;
		else
			break;
	}
	if (tries == 3)
		return g10_printf(v, out, len);
	if (q == hi) { /* rounded up to the next power of ten */
		q = lo;
		x++;
	}
	numfmt_u64(q, d); /* 10 digits */
	for (nd = 10; nd > 1 && d[nd - 1] == '0'; nd--)
		;
	if (x < -4 || x >= 10) {
		unsigned ax = (unsigned)(x < 0 ? -x : x);

		out[n++] = d[0];
		if (nd > 1) {
			out[n++] = '.';
			memcpy(out + n, d + 1, nd - 1);
			n += nd - 1;
		}
		out[n++] = 'e';
		out[n++] = x < 0 ? '-' : '+';
		if (ax < 10)
			out[n++] = '0';
		n += numfmt_u64(ax, out + n);
	} else if (x >= 0) {
		size_t whole = (size_t)x + 1;

		memcpy(out + n, d, whole);
		n += whole;
		if (nd > whole) {
			out[n++] = '.';
			memcpy(out + n, d + whole, nd - whole);
			n += nd - whole;
		}
	} else {
		out[n++] = '0';
		out[n++] = '.';
		for (int i = x + 1; i < 0; i++)
			out[n++] = '0';
		memcpy(out + n, d, nd);
		n += nd;
	}
	out[n] = '\0';
	return n;
}
#endif
