/* numfmt.h: numbers as decimal text, exactly the digits printf gives,
 * without printf: the writers print tens of figures per node, and
 * printf's parsing and its multi-precision path cost more than the rest
 * of a node's output. */
#ifndef GLASS_NUMFMT_H
#define GLASS_NUMFMT_H

#include <stddef.h>
#include <stdint.h>

/* Room that is always enough for numfmt_u64 and numfmt_i64. */
#define NUMFMT_INT_MAX 21

/* "%llu" / "%lld" into out (no NUL); the length. */
size_t numfmt_u64(uint64_t v, char *out);
size_t numfmt_i64(int64_t v, char *out);
/* A number for machines: printf("%.*f", decimals, v) with trailing zeros
 * and a trailing point dropped, and "-0" as "0"; a figure too wide for
 * out goes in exponent form ("%.17g"), exact, as cut digits would be a
 * different number.  v must be known (not NaN).  NUL-terminated; the
 * length.  Exact integer arithmetic for |v| < 2^52 and decimals <= 4,
 * printf beyond. */
size_t numfmt_trimmed(double v, int decimals, char *out, size_t len);

/* printf("%.*f", decimals, v) ("-0.0" included), cut to fit len;
 * the length. */
size_t numfmt_fixed(double v, int decimals, char *out, size_t len);

/* printf("%.10g", v), byte for byte (exponent form, trailing zeros
 * dropped, "-0", "inf", "nan" as glibc spells them); NUL-terminated, the
 * length.  Exact integer arithmetic for 1e-20 <= |v| < 1e36, printf
 * beyond.  len >= NUMFMT_G10_MAX. */
#define NUMFMT_G10_MAX 24
size_t numfmt_g10(double v, char *out, size_t len);

#endif
