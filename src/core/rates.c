#include "glass/rates.h"

#include "glass/clock.h"
#include "glass/value.h"

double rate_per_second(uint64_t prev, uint64_t cur, uint64_t dt_ns)
{
	if (!value_u64_known(prev) || !value_u64_known(cur) || dt_ns == 0 || cur < prev)
		return GLASS_UNKNOWN;
	return (double)(cur - prev) * (double)NS_PER_S / (double)dt_ns;
}

double rate_cores(uint64_t prev_cpu_ns, uint64_t cur_cpu_ns, uint64_t dt_ns)
{
	double r = rate_per_second(prev_cpu_ns, cur_cpu_ns, dt_ns);

	return value_known(r) ? r / (double)NS_PER_S : r;
}

double rate_clamp(double v, double cap)
{
	return value_known(v) && value_known(cap) && v > cap ? cap : v;
}

/* 2^64: the first double a uint64_t cannot hold */
#define U64_LIMIT 18446744073709551616.0

uint64_t rate_integrate(uint64_t counter, double rate, double dt_s, double scale)
{
	double step = rate * dt_s * scale + 0.5;

	if (!value_known(rate) || !(step >= 0 && step < U64_LIMIT))
		return counter;
	if (!value_u64_known(counter))
		counter = 0;
	return counter + (uint64_t)step;
}

uint64_t value_to_u64(double v)
{
	return value_known(v) && v >= 0 && v < U64_LIMIT ? (uint64_t)v : GLASS_U64_UNKNOWN;
}
