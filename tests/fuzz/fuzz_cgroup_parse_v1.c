/* libFuzzer harness: the cgroup v1 file parsers (cgroup_parse.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "glass/cgroup_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *b = (const char *)data;
	struct cgroup_parse_memory_stat ms;
	struct cgroup_parse_blkio bl;

	uint64_t quota = cgroup_parse_v1_cfs_quota(b, size);
	double cores = cgroup_parse_cores(quota, cgroup_parse_u64(b, size));
	if (!isnan(cores) && !(cores >= 0))
		abort();
	uint64_t limit = cgroup_parse_v1_mem_limit(b, size);
	if (value_u64_known(limit) && limit >= (UINT64_C(1) << 62))
		abort(); /* the "unlimited" sentinel must read as unknown */
	cgroup_parse_memory_stat(b, size, &ms);
	uint64_t usage = cgroup_parse_u64(b, size);
	uint64_t ws = cgroup_parse_working_set(usage, &ms, true);
	if (value_u64_known(ws) && (!value_u64_known(usage) || ws > usage))
		abort();
	cgroup_parse_v1_blkio(b, size, &bl);
	return 0;
}
