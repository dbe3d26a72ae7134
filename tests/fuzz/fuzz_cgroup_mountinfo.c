/* libFuzzer harness: one /proc/self/mountinfo line (cgroup_layout.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glass/cgroup_layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	char *mp, *type, *opts;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (cgroup_layout_parse_mountinfo(line, &mp, &type, &opts)) {
		if (!mp || !type || !opts)
			abort();
		free(mp);
		free(type);
		free(opts);
	} else if (mp || type || opts) {
		abort();
	}
	free(line);
	return 0;
}
