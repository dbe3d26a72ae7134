/* libFuzzer harness: one series of a Prometheus answer read in place
 * (prom_series.h), the bytes a Prometheus server (or whatever answers at
 * its address) sends.  Invariants: the parser stays within the text it
 * is given; on success every label name and value and the sample lie
 * within it, end with a NUL there, and there are at most
 * PROM_SERIES_LABELS_MAX labels. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glass/prom_series.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void within(const char *s, const char *buf, size_t len)
{
	if (!s || s < buf || s >= buf + len)
		__builtin_trap();
	if (!memchr(s, '\0', len - (size_t)(s - buf)))
		__builtin_trap(); /* not ended within the text */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* exactly the input's bytes, so ASan sees a read past them */
	char *buf = malloc(size ? size : 1);
	struct prom_series s;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (prom_series_parse(buf, size, &s) == 0) {
		if (s.n > PROM_SERIES_LABELS_MAX)
			__builtin_trap();
		for (size_t i = 0; i < s.n; i++) {
			within(s.name[i], buf, size);
			within(s.value[i], buf, size);
			if (prom_series_label(&s, s.name[i]) == NULL)
				__builtin_trap();
		}
		if (s.sample)
			within(s.sample, buf, size);
	}
	free(buf);
	return 0;
}
