/* libFuzzer harness: runtime recognition from cgroup path components and
 * systemd unescaping (cgroup_runtime.h).  Input: "parent\0component". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glass/cgroup_runtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 2);
	const char *sep;
	const char *component;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = '\0';
	sep = memchr(buf, '\0', size);
	component = sep ? sep + 1 : buf;
	for (int k = 0; k < 8; k++) {
		struct cgroup_runtime_ctx ctx = {sep ? buf : "", k & 1, (k >> 1) & 1};
		struct cgroup_runtime_match m;

		if (k & 4)
			ctx.parent = NULL;
		cgroup_runtime_classify(&ctx, component, &m);
		if (m.role != CGROUP_ROLE_PLAIN && m.role != CGROUP_ROLE_CONTAINER &&
		    m.role != CGROUP_ROLE_POD && m.role != CGROUP_ROLE_IGNORE)
			abort();
		if ((m.role == CGROUP_ROLE_CONTAINER || m.role == CGROUP_ROLE_POD) && !m.name)
			abort(); /* every shown node has a name */
		cgroup_runtime_match_done(&m);
	}
	char *u = cgroup_runtime_unescape(component);
	if (strlen(u) > strlen(component))
		abort(); /* unescaping only shrinks */
	free(u);
	(void)cgroup_runtime_is_kubepods(component);
	free(buf);
	return 0;
}
