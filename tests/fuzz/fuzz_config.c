/* libFuzzer harness: the config file (config.h), `key = value` lines from
 * a file the user points at with -C.  Applied twice over the same options,
 * as a default file then a named one would be, so every replaced value is
 * freed.  Invariant: an error is one line naming "<path>:<line>:". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glass/config.h"
#include "glass/options.h"

#define PATH "fuzz.glassrc"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(const struct errbuf *err)
{
	const char *m = err->msg;
	size_t plen = strlen(PATH);

	if (strncmp(m, PATH ":", plen + 1) != 0)
		__builtin_trap(); /* an error names the file */
	m += plen + 1;
	if (*m < '1' || *m > '9')
		__builtin_trap(); /* ... and the line, from 1 */
	while (*m >= '0' && *m <= '9')
		m++;
	if (strncmp(m, ": ", 2) != 0 || !m[2])
		__builtin_trap(); /* ... and why */
	if (strchr(err->msg, '\n'))
		__builtin_trap(); /* one line on stderr */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct options o;
	struct errbuf err;

	options_init(&o);
	for (int pass = 0; pass < 2; pass++) {
		errbuf_clear(&err);
		if (config_apply_text(&o, PATH, (const char *)data, size, &err) < 0)
			check_error(&err);
		else if (err.msg[0])
			__builtin_trap(); /* success leaves no error behind */
		/* values are checked before they are taken */
		if (!(o.interval_s > 0) || !(o.idle_threshold > 0 && o.idle_threshold <= 1) ||
		    !(o.idle_window_s >= 1 && o.idle_window_s <= 86400 * 366) ||
		    o.cost_core_month < 0 || o.cost_gib_month < 0 ||
		    (o.currency && strlen(o.currency) > 8))
			__builtin_trap();
		o.set_on_cli = ~0u; /* pass 2: command-line values stay */
	}
	options_done(&o);
	return 0;
}
