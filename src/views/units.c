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
	else if (cores < 1e6 && cores > -1e6 && cores == (double)(long long)cores)
		snprintf(out, len, "%lld", (long long)cores);
	else
		snprintf(out, len, "%.2f", cores);
}

void units_bytes(double bytes, char *out, size_t len)
{
	static const char suffix[] = "KMGTPE";
	int i = -1;

	if (!value_known(bytes)) {
		snprintf(out, len, "%s", units_unknown());
		return;
	}
	while (bytes >= 1024.0 && i < 5) {
		bytes /= 1024.0;
		i++;
	}
	if (i < 0)
		snprintf(out, len, "%.0f", bytes);
	else if (bytes < 10.0)
		snprintf(out, len, "%.1f%c", bytes, suffix[i]);
	else
		snprintf(out, len, "%.0f%c", bytes, suffix[i]);
}

void units_number(double v, int decimals, char *out, size_t len)
{
	if (!value_known(v))
		snprintf(out, len, "%s", units_unknown());
	else
		snprintf(out, len, "%.*f", decimals, v);
}

void units_trimmed(double v, int decimals, char *out, size_t len)
{
	numfmt_trimmed(v, decimals, out, len);
}
