/* prom_series.h: one series of a Prometheus instant-query answer (an
 * element of data.result, {"metric":{...},"value":[TIME,"VALUE"]}), read
 * in place: a fleet's answer is hundreds of thousands of them, and a JSON
 * object tree for each costs more than everything else the Prometheus
 * source does with it. */
#ifndef GLASS_PROM_SERIES_H
#define GLASS_PROM_SERIES_H

#include <stddef.h>

/* Labels kept of one series; later ones are read past.  A glass
 * exporter's richest family has a dozen. */
#define PROM_SERIES_LABELS_MAX 64

struct prom_series {
	size_t n;
	const char *name[PROM_SERIES_LABELS_MAX];
	const char *value[PROM_SERIES_LABELS_MAX];
	const char *sample; /* the value's string ("0.25", "NaN"); NULL: none */
};

/* Reads the JSON object in text[0, len) into s: its strings are unescaped
 * in place and end there, so s points into text.  0, or -1 when the text
 * is not one JSON object (s then says nothing).  A label whose value is
 * not a string is left out; a value that is not [TIME, "STRING"] leaves
 * sample NULL. */
int prom_series_parse(char *text, size_t len, struct prom_series *s);

/* The value of label `name`, NULL when the series has none. */
const char *prom_series_label(const struct prom_series *s, const char *name);

#endif
