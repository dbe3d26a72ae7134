/* rates.h: rates from counter deltas over monotonic time (DESIGN.md §1).
 * A rate is unknown (NaN) on the first sample, when either counter is
 * unknown, when no time passed, and when the counter went backwards (a
 * reset: a restarted VM, a re-created cgroup): never a huge or negative
 * number. */
#ifndef GLASS_RATES_H
#define GLASS_RATES_H

#include <stdint.h>

/* Units per second between two samples dt_ns apart. */
double rate_per_second(uint64_t prev, uint64_t cur, uint64_t dt_ns);
/* Cores busy from a cpu-time counter in ns (1.0 = one core all the time). */
double rate_cores(uint64_t prev_cpu_ns, uint64_t cur_cpu_ns, uint64_t dt_ns);
/* A rate held to what can physically be: v, or cap when v is over it.
 * Unknown stays unknown; an unknown cap caps nothing.  A host's busy
 * time and its clock are read a moment apart, so two CPUs can read 2.01
 * cores: a host never uses more than its logical CPUs. */
double rate_clamp(double v, double cap);
/* A rate read from a source that gives rates (a remote glass,
 * Prometheus) becomes a counter again: it grows by rate x the local time
 * between two readings (times scale: NS_PER_S for cores), so the model,
 * dividing by that same time, shows the rate.  An unknown, negative or
 * absurd rate adds nothing. */
uint64_t rate_integrate(uint64_t counter, double rate, double dt_s, double scale);
/* A figure as a count: unknown unless it is one (casting a negative or
 * huge double is undefined). */
uint64_t value_to_u64(double v);

#endif
