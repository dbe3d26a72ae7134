/* libFuzzer harness: escaping of untrusted names (escape.h), the last
 * step between outside bytes and a terminal or an output format.
 * Invariants: every output is valid UTF-8; the terminal form has no
 * control byte (C0, DEL, C1); the data form keeps only tab, newline and
 * return; a name that was valid UTF-8 passes escape_utf8 unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glass/escape.h"
#include "glass/strbuf.h"
#include "glass/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* true when s[0..len) is valid UTF-8; traps on a control not in allow. */
static bool scan(const char *buf, size_t len, const char *allow, bool controls_ok)
{
	const unsigned char *s = (const unsigned char *)buf;

	for (size_t i = 0; i < len;) {
		size_t n = escape_utf8_seq_len(s + i, len - i);
		if (n == 0)
			return false;
		if (n > len - i)
			__builtin_trap(); /* a sequence past the end */
		if (!controls_ok && n == 1 && (s[i] < 0x20 || s[i] == 0x7f) && !strchr(allow, s[i]))
			__builtin_trap();
		if (!controls_ok && n == 2 && s[i] == 0xc2 && s[i + 1] < 0xa0)
			__builtin_trap(); /* C1 */
		i += n;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	size_t len = strlen(s);
	bool valid = scan(s, len, "", true);
	struct strbuf out;

	strbuf_init(&out);
	escape_terminal(&out, s);
	if (!scan(out.buf ? out.buf : "", out.len, "", false))
		__builtin_trap();
	strbuf_reset(&out);
	escape_data(&out, s);
	if (!scan(out.buf ? out.buf : "", out.len, "\t\n\r", false))
		__builtin_trap();
	strbuf_reset(&out);
	escape_utf8(&out, s);
	if (!scan(out.buf ? out.buf : "", out.len, "", true))
		__builtin_trap();
	if (valid && (out.len != len || memcmp(out.buf ? out.buf : "", s, len) != 0))
		__builtin_trap(); /* a valid name stays exact */
	strbuf_done(&out);
	free(s);
	return 0;
}
