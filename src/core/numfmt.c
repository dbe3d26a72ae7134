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
