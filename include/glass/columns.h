/* columns.h: the named per-node fields that the table formats (text and
 * CSV) print, and that --fields chooses from.  One table, so the names in
 * the man page, the CSV header and --fields=help never drift apart. */
#ifndef GLASS_COLUMNS_H
#define GLASS_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/errbuf.h"
#include "glass/metric.h"
#include "glass/node.h"
#include "glass/strbuf.h"

enum column_type {
	COLUMN_TEXT,  /* a string (may be NULL: unknown) */
	COLUMN_CORES, /* cores, 4 decimals */
	COLUMN_BYTES, /* whole bytes */
	COLUMN_RATE,  /* bytes per second */
	COLUMN_COUNT, /* whole number */
	COLUMN_RATIO, /* a fraction, 4 decimals */
	COLUMN_BOOL,
	COLUMN_FIXED1, /* 1 decimal */
	COLUMN_FIXED2, /* 2 decimals: money, kWh, percent, load */
	COLUMN_WATTS, /* watts, 1 decimal, "~" when not metered */
};

struct column {
	const char *name;  /* CSV header, --fields name */
	const char *title; /* text header */
	int width;         /* text width, right-aligned numbers */
	enum column_type type;
	double (*number)(const struct node *n);      /* numeric types */
	const char *(*text)(const struct node *n);   /* COLUMN_TEXT, COLUMN_BOOL "true"/"false" */
	const struct metric *metric; /* a row of the metric table instead of the two above */
};

/* A cell's value: unknown (NaN, NULL) where the node's kind has no such field. */
double column_number(const struct column *c, const struct node *n);
const char *column_text(const struct column *c, const struct node *n);

/* Every column, in the CSV order: the node's names, a column per row of
 * the metric table (metric.h), the idle verdict and a joined guest. */
const struct column *columns_all(size_t *n);
/* Frees the columns built from the metric table (at exit). */
void columns_free(void);
const struct column *column_find(const char *name);

/* A choice of columns: --fields, or a default. */
struct column_set {
	const struct column **cols;
	size_t n;
};

/* Parses "a,b,c"; NULL or empty gives the default for the format.
 * -1 with err naming the unknown field. */
int column_set_parse(struct column_set *set, const char *list, bool for_text, struct errbuf *err);
void column_set_done(struct column_set *set);
/* The names, one per line, for --fields=help. */
void columns_list(struct strbuf *out);

/* A cell for CSV: unknown is empty; the raw value, no units. */
void column_csv_value(const struct column *c, const struct node *n, struct strbuf *out);
/* A cell for text: human units, "—" for unknown, names escaped. */
void column_text_value(const struct column *c, const struct node *n, char *out, size_t len);

#endif
