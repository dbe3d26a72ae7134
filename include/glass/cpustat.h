/* cpustat.h: a host's CPU time by kind, from /proc/stat: steal (time a
 * hypervisor gave this host's vCPUs to others), iowait, per-CPU use; and
 * its NUMA nodes (/sys/devices/system/node).  Percentages come from the
 * deltas between two reads. */
#ifndef GLASS_CPUSTAT_H
#define GLASS_CPUSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPUSTAT_MAX 1024

enum cpustat_field {
	CPUSTAT_USER, CPUSTAT_NICE, CPUSTAT_SYSTEM, CPUSTAT_IDLE, CPUSTAT_IOWAIT,
	CPUSTAT_IRQ, CPUSTAT_SOFTIRQ, CPUSTAT_STEAL, CPUSTAT_NFIELDS,
};

struct cpustat_times {
	uint64_t t[CPUSTAT_NFIELDS]; /* ticks */
};

struct cpustat {
	struct cpustat_times all;
	struct cpustat_times *cpu; /* by CPU number */
	bool *online;              /* a line was there */
	size_t n_cpu;              /* highest CPU number + 1 */
};

/* The usage between two reads, in percent of the time that passed. */
struct cpustat_pct {
	double busy, iowait, steal; /* NaN when unknown (no time passed) */
};

/* Parses /proc/stat's text: false when it has no "cpu" line. */
bool cpustat_parse(const char *text, struct cpustat *out);
/* Reads path (normally /proc/stat). */
bool cpustat_read(const char *path, struct cpustat *out);
void cpustat_done(struct cpustat *s);
/* The percentages from a to b (b later). */
struct cpustat_pct cpustat_delta(const struct cpustat_times *a, const struct cpustat_times *b);

struct numa_node {
	int id;
	char cpulist[64];
	double mem_total, mem_free; /* bytes; NaN unknown */
};

/* The NUMA nodes under dir (normally /sys/devices/system/node): how
 * many were filled (at most max), 0 when there are none. */
size_t numa_read(const char *dir, struct numa_node *out, size_t max);

#endif
