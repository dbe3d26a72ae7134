/* clock.h: glass times rates with its own monotonic clock (DESIGN.md §8)
 * and converts to wall time only for display. */
#ifndef GLASS_CLOCK_H
#define GLASS_CLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define NS_PER_S 1000000000ULL

uint64_t clock_mono_ns(void);
/* Wall clock, ns since the epoch. */
uint64_t clock_wall_ns(void);
/* The wall time (ns since the epoch) at which monotonic time `mono` was,
 * given a pair of (wall_now, mono_now) read together. */
uint64_t clock_mono_to_wall(uint64_t mono, uint64_t mono_now, uint64_t wall_now);
/* RFC 3339 UTC with milliseconds, e.g. 2026-11-25T10:05:43.123Z. */
void clock_format_rfc3339(uint64_t wall_ns, char *out, size_t outlen);
struct timespec clock_ns_to_timespec(uint64_t ns);

#endif
