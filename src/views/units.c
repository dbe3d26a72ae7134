#include "glass/units.h"

#include <stdio.h>
#include <string.h>

#include "glass/numfmt.h"
#include "glass/value.h"

static bool units_utf8 = false;

void units_set_utf8(bool utf8)
{
	units_utf8 = utf8;
}

bool units_is_utf8(void)
{
	return units_utf8;
}

const char *units_unknown(void)
{
	return units_utf8 ? "\xe2\x80\x94" : "-";
}

void units_cores(double cores, char *out, size_t len)
{
	if (!value_known(cores))
		snprintf(out, len, "%s", units_unknown());
	/* the range test first: casting a huge value is undefined */
	else if (cores < 1e6 && cores > -1e6 && cores == (double)(long long)cores && len > NUMFMT_INT_MAX)
		out[numfmt_i64((int64_t)cores, out)] = '\0';
	else
		numfmt_fixed(cores, 2, out, len);
}

void units_bytes(double bytes, char *out, size_t len)
{
	static const char suffix[] = "KMGTPE";
	int i = -1;
	size_t n;

	if (!value_known(bytes)) {
		snprintf(out, len, "%s", units_unknown());
		return;
	}
	while (bytes >= 1024.0 && i < 5) {
		bytes /= 1024.0;
		i++;
	}
	n = numfmt_fixed(bytes, i >= 0 && bytes < 10.0 ? 1 : 0, out, len);
	if (i >= 0 && n + 1 < len) {
		out[n] = suffix[i];
		out[n + 1] = '\0';
	}
}

void units_number(double v, int decimals, char *out, size_t len)
{
	if (!value_known(v))
		snprintf(out, len, "%s", units_unknown());
	else
		numfmt_fixed(v, decimals, out, len);
}

void units_trimmed(double v, int decimals, char *out, size_t len)
{
	numfmt_trimmed(v, decimals, out, len);
}
