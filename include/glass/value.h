/* value.h: "unknown" as a value, never 0 (DESIGN.md §2).
 *
 * Raw counters and gauges read from the outside world are uint64_t; a
 * field that could not be read holds GLASS_U64_UNKNOWN.  Derived numbers
 * (rates, cores, ratios) are double; unknown is NaN.  Every view prints
 * an unknown as "—" (text) or null (JSON). */
#ifndef GLASS_VALUE_H
#define GLASS_VALUE_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#define GLASS_U64_UNKNOWN UINT64_MAX
#define GLASS_UNKNOWN ((double)NAN)

static inline bool value_u64_known(uint64_t v) { return v != GLASS_U64_UNKNOWN; }
static inline bool value_known(double v) { return !isnan(v); }

/* A u64 as a double, unknown preserved. */
static inline double value_from_u64(uint64_t v)
{
	return value_u64_known(v) ? (double)v : GLASS_UNKNOWN;
}

/* a - b, unknown when either is unknown or the result would be negative. */
static inline uint64_t value_u64_sub(uint64_t a, uint64_t b)
{
	if (!value_u64_known(a) || !value_u64_known(b) || b > a)
		return GLASS_U64_UNKNOWN;
	return a - b;
}

#endif
