#include "glass/clock.h"

#include <stdio.h>

uint64_t clock_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

uint64_t clock_wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

uint64_t clock_mono_to_wall(uint64_t mono, uint64_t mono_now, uint64_t wall_now)
{
	if (mono <= mono_now) {
		uint64_t ago = mono_now - mono;
		return ago > wall_now ? 0 : wall_now - ago;
	}
	return wall_now + (mono - mono_now);
}

void clock_format_rfc3339(uint64_t wall_ns, char *out, size_t outlen)
{
	time_t secs = (time_t)(wall_ns / NS_PER_S);
	unsigned ms = (unsigned)((wall_ns % NS_PER_S) / 1000000);
	struct tm tm;
	char base[32];

	gmtime_r(&secs, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, outlen, "%s.%03uZ", base, ms);
}

struct timespec clock_ns_to_timespec(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / NS_PER_S),
		.tv_nsec = (long)(ns % NS_PER_S),
	};
	return ts;
}
