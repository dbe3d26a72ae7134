/* libFuzzer harness: the cgroup v2 file parsers (cgroup_parse.h) on any
 * bytes.  Beyond "no crash, no over-read" (ASan/UBSan), the results must
 * keep their promises: unknown or a real value, never garbage. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "glass/cgroup_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_psi(const struct cgroup_parse_psi *p)
{
	if (!isnan(p->avg10) && !(p->avg10 >= 0 && isfinite(p->avg10)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *b = (const char *)data;
	struct cgroup_parse_cpu_stat cs;
	struct cgroup_parse_cpu_max cm;
	struct cgroup_parse_memory_stat ms;
	struct cgroup_parse_io_stat io;
	struct cgroup_parse_pressure pr;

	cgroup_parse_cpu_stat(b, size, &cs);
	cgroup_parse_cpu_max(b, size, &cm);
	double cores = cgroup_parse_cpu_max_cores(&cm);
	if (!isnan(cores) && !(cores >= 0))
		abort();
	cgroup_parse_memory_stat(b, size, &ms);
	uint64_t cur = cgroup_parse_u64(b, size);
	uint64_t ws = cgroup_parse_working_set(cur, &ms, false);
	if (value_u64_known(ws) && (!value_u64_known(cur) || ws > cur))
		abort();
	(void)cgroup_parse_u64_or_max(b, size);
	cgroup_parse_io_stat(b, size, &io);
	cgroup_parse_pressure(b, size, &pr);
	check_psi(&pr.some);
	check_psi(&pr.full);
	/* a cpuset is 1..65536 CPUs or unknown, and pins no more than the
	 * CPUs it counts */
	uint64_t cpus = cgroup_parse_cpuset_count(b, size);
	if (value_u64_known(cpus) && (cpus == 0 || cpus > 65536))
		abort();
	double alloc = cgroup_parse_cpu_allocation(cores, cpus, 65536);
	if (!isnan(alloc) && !(alloc >= 0 && (!value_u64_known(cpus) || alloc <= (double)cpus ||
					      alloc == cores)))
		abort();
	/* a NULL buffer with length 0 is allowed */
	cgroup_parse_pressure(NULL, 0, &pr);
	return 0;
}
