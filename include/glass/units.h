/* units.h: numbers in human units for text views ("1.5G", "0.25", "—"). */
#ifndef GLASS_UNITS_H
#define GLASS_UNITS_H

#include <stdbool.h>
#include <stddef.h>

/* What an unknown value prints as: "—" in a UTF-8 locale, else "-". */
void units_set_utf8(bool utf8);
const char *units_unknown(void);
bool units_is_utf8(void);

/* Cores with two decimals ("0.25", "16"), or unknown. */
void units_cores(double cores, char *out, size_t len);
/* Bytes in binary units ("512", "1.5K", "3.2G"), or unknown. */
void units_bytes(double bytes, char *out, size_t len);
/* A number for machines: at most `decimals` decimals, trailing zeros
 * dropped ("0.25", "2", never "-0").  The value must be known. */
void units_trimmed(double v, int decimals, char *out, size_t len);
/* A plain number with `decimals`, or unknown. */
void units_number(double v, int decimals, char *out, size_t len);

#endif
