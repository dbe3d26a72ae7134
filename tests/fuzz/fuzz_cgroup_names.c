/* libFuzzer harness: docker's config.v2.json for a container's name
 * (cgroup_names.h): untrusted bytes from disk. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glass/cgroup_names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name = cgroup_names_parse_docker_config((const char *)data, size);

	if (name && name[0] == '\0')
		abort(); /* no name rather than an empty one */
	free(name);
	return 0;
}
