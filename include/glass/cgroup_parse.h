/* cgroup_parse.h: pure parsers for cgroup v1 and v2 control files.
 *
 * No I/O: each parser takes the bytes of one file (not necessarily
 * NUL-terminated; buf may be NULL when len is 0) and returns raw values.
 * Whatever cannot be read (missing, empty, non-numeric, negative,
 * overflowing, cut short) is GLASS_U64_UNKNOWN or NaN, never 0, and the
 * rest of the file still parses.
 *
 * The kernel ends every line with '\n'.  In a multi-line file, a last line
 * without one was cut by a short read, and a cut number is a wrong number,
 * so that line is dropped.  A single-value file is taken with or without
 * its '\n', so fixtures written with `echo -n` read the same. */
#ifndef GLASS_CGROUP_PARSE_H
#define GLASS_CGROUP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "glass/value.h"

/* One decimal number: v2 memory.current, pids.current, cpu.weight;
 * v1 cpuacct.usage, cpu.shares, cpu.cfs_period_us, memory.usage_in_bytes,
 * pids.current. */
uint64_t cgroup_parse_u64(const char *buf, size_t len);

/* A number or "max" (unlimited, so unknown): memory.max, pids.max (v1 and v2). */
uint64_t cgroup_parse_u64_or_max(const char *buf, size_t len);

/* Cores allocated: quota / period; NaN when either is unknown or period is 0. */
double cgroup_parse_cores(uint64_t quota_usec, uint64_t period_usec);

/* v2 cpu.stat */
struct cgroup_parse_cpu_stat {
	uint64_t usage_usec;
	uint64_t user_usec;
	uint64_t system_usec;
	uint64_t nr_periods;
	uint64_t nr_throttled;
	uint64_t throttled_usec;
};

void cgroup_parse_cpu_stat(const char *buf, size_t len, struct cgroup_parse_cpu_stat *out);

/* v2 cpu.max: "$QUOTA $PERIOD", quota "max" when unlimited (then unknown). */
struct cgroup_parse_cpu_max {
	uint64_t quota_usec;
	uint64_t period_usec;
};

void cgroup_parse_cpu_max(const char *buf, size_t len, struct cgroup_parse_cpu_max *out);
double cgroup_parse_cpu_max_cores(const struct cgroup_parse_cpu_max *max);

/* memory.stat, v1 or v2; a key the file does not have stays unknown. */
struct cgroup_parse_memory_stat {
	/* v2 (inactive_file, active_file and shmem are in v1 too) */
	uint64_t anon;
	uint64_t file;
	uint64_t inactive_file;
	uint64_t active_file;
	uint64_t shmem;
	/* v1 */
	uint64_t cache;
	uint64_t rss;
	uint64_t total_inactive_file;
	uint64_t total_cache;
	uint64_t total_rss;
};

void cgroup_parse_memory_stat(const char *buf, size_t len, struct cgroup_parse_memory_stat *out);

/* Memory in use: current minus the inactive file cache the kernel can drop
 * at no cost (v2 inactive_file; v1 total_inactive_file, else inactive_file).
 * Clamped at 0; current when the cache size is unknown (or stat is NULL);
 * unknown when current is. */
uint64_t cgroup_parse_working_set(uint64_t memory_current,
				  const struct cgroup_parse_memory_stat *stat, bool v1);

/* v2 io.stat, summed over devices.  An empty file means no I/O yet: 0. */
struct cgroup_parse_io_stat {
	uint64_t rbytes;
	uint64_t wbytes;
	uint64_t rios;
	uint64_t wios;
};

void cgroup_parse_io_stat(const char *buf, size_t len, struct cgroup_parse_io_stat *out);

/* v2 cpu.pressure, memory.pressure, io.pressure.  avg* are percent;
 * "full" stays unknown on kernels whose cpu.pressure has no full line. */
struct cgroup_parse_psi {
	double avg10;
	double avg60;
	double avg300;
	uint64_t total_usec;
};

struct cgroup_parse_pressure {
	struct cgroup_parse_psi some;
	struct cgroup_parse_psi full;
};

void cgroup_parse_pressure(const char *buf, size_t len, struct cgroup_parse_pressure *out);

/* A cpu list as cpuset files print it ("0-3,8,10-11"): v2
 * cpuset.cpus.effective, v1 cpuset.effective_cpus or cpuset.cpus.  The
 * number of CPUs; unknown when empty or not a list. */
uint64_t cgroup_parse_cpuset_count(const char *buf, size_t len);

/* Cores a cgroup may use: its quota, or the CPUs its cpuset pins it to
 * when that is fewer.  A cpuset as wide as the root's (root_cpus) pins
 * nothing: then only the quota counts, and without one it is unknown. */
double cgroup_parse_cpu_allocation(double quota_cores, uint64_t cpuset_cpus, uint64_t root_cpus);

/* v1 cpu.cfs_quota_us: "-1" (unlimited) is unknown.  Cores allocated:
 * cgroup_parse_cores(quota, cgroup_parse_u64(cfs_period_us)). */
uint64_t cgroup_parse_v1_cfs_quota(const char *buf, size_t len);

/* v1 memory.limit_in_bytes: "unlimited" is a page-rounded value near 2^63
 * (9223372036854771712 on 4 KiB pages), so anything >= 2^62 is unknown. */
uint64_t cgroup_parse_v1_mem_limit(const char *buf, size_t len);

/* v1 blkio.throttle.io_service_bytes (bytes) or blkio.throttle.io_serviced
 * (operations): Read and Write summed over devices. */
struct cgroup_parse_blkio {
	uint64_t read;
	uint64_t write;
};

void cgroup_parse_v1_blkio(const char *buf, size_t len, struct cgroup_parse_blkio *out);

#endif
