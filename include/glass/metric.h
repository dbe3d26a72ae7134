/* metric.h: the table of a node's measured fields (struct resources).
 *
 * One row per field says everything a view, a reader or a source needs to
 * know about it: its JSON key and place, its column, its Prometheus family,
 * its unit, the bounds a reader accepts, and where it lives in the raw
 * reading (a gauge, or a counter the model turns into a rate).  The JSON
 * writer and reader, the CSV and text columns, --fields, the Prometheus
 * output, the remote stream and the model loop over it, so a new field is
 * one row here plus the sources that read it (doc/HACKING.md). */
#ifndef GLASS_METRIC_H
#define GLASS_METRIC_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/node.h"
#include "glass/value.h"

/* How a value is written: its decimals in JSON and CSV, its units on a
 * terminal. */
enum metric_unit {
	METRIC_CORES,   /* 4 decimals */
	METRIC_BYTES,   /* whole */
	METRIC_RATE,    /* bytes per second, 1 decimal */
	METRIC_COUNT,   /* whole */
	METRIC_PERCENT, /* already in percent, 2 decimals */
	METRIC_LOAD,    /* a load average, 2 decimals */
	METRIC_WATTS,   /* 1 decimal */
	METRIC_JOULES,  /* 1 decimal */
	METRIC_MONTHLY, /* kWh, money or kg per month, 2 decimals */
	METRIC_TEXT,    /* a static string (const char *), NULL unknown */
};

/* Where a row sits in a node's JSON object. */
enum metric_group {
	METRIC_GROUP_NODE,     /* a member of the node itself */
	METRIC_GROUP_PRESSURE, /* a member of its "pressure" object */
	METRIC_GROUP_LOAD,     /* an element of its "load" array */
};

/* Where the raw reading holds it (struct raw_node). */
enum metric_raw {
	METRIC_RAW_NONE,   /* worked out by a stage (power, cost) or by hand */
	METRIC_RAW_U64,    /* a uint64_t gauge, GLASS_U64_UNKNOWN unknown */
	METRIC_RAW_DOUBLE, /* a double gauge, NaN unknown */
	METRIC_RAW_RATE,   /* a uint64_t counter at raw_off, the model's rate of
			    * it per second × rate_scale; a rate the source
			    * already has at given_off */
};

#define METRIC_HOSTS_ONLY 0x1u /* only a host has it (JSON and the reader) */
#define METRIC_LAID_OUT 0x2u   /* the TUI's detail pane shows it among its
				* neighbours; others get a line of their own */

/* Which record of a node holds the row's field. */
enum metric_record {
	METRIC_IN_RESOURCES, /* struct resources (node->res) */
	METRIC_IN_GUEST,     /* struct guest_view (node->guest): a VM's joined guest */
};

struct metric {
	const char *key;      /* --fields and CSV name */
	const char *json_key; /* in its group; NULL for an array element */
	enum metric_group group;
	enum metric_unit unit;
	unsigned flags;
	size_t off;           /* in struct resources: a double, or a const char * */
	double max;           /* a snapshot reader takes [0, max], else unknown */
	const char *title;    /* text column */
	int width;
	const char *prom_name; /* NULL: not exported */
	const char *prom_help;
	enum metric_raw raw;
	size_t raw_off;   /* in struct raw_node */
	size_t given_off; /* METRIC_RAW_RATE: the double the source's own rate is in */
	double rate_scale; /* METRIC_RAW_RATE: counter units per value unit (ns per core-second) */
	/* METRIC_TEXT: the static spelling of a string read back from a
	 * snapshot, NULL for one it does not know; NULL: kept as read */
	const char *(*known)(const char *s);
	enum metric_record record;
};

/* Every row, in the JSON order. */
const struct metric *metrics_all(size_t *n);
/* The rows of a joined guest's view (METRIC_IN_GUEST), in its JSON order. */
const struct metric *guest_metrics_all(size_t *n);
const struct metric *metric_find(const char *key);

/* JSON decimals for a unit: -1 for a whole number. */
int metric_decimals(enum metric_unit unit);

/* A row's field in its record (struct resources or struct guest_view). */
static inline double metric_value_in(const struct metric *m, const void *record)
{
	return *(const double *)(const void *)((const char *)record + m->off);
}

static inline double *metric_slot_in(const struct metric *m, void *record)
{
	return (double *)(void *)((char *)record + m->off);
}

static inline double metric_value(const struct metric *m, const struct resources *r)
{
	return metric_value_in(m, r);
}

static inline double *metric_slot(const struct metric *m, struct resources *r)
{
	return metric_slot_in(m, r);
}

/* Does this kind of node carry the row? */
static inline bool metric_applies(const struct metric *m, enum node_kind kind)
{
	return !(m->flags & METRIC_HOSTS_ONLY) || kind == NODE_HOST;
}

/* A row's value on a node: unknown where its kind has no such field, or
 * for a guest row, where no guest is joined. */
static inline double metric_value_of(const struct metric *m, const struct node *n)
{
	if (m->record == METRIC_IN_GUEST)
		return n->guest ? metric_value_in(m, n->guest) : GLASS_UNKNOWN;
	return metric_applies(m, n->kind) ? metric_value_in(m, &n->res) : GLASS_UNKNOWN;
}

static inline const char *metric_text(const struct metric *m, const struct resources *r)
{
	return *(const char *const *)(const void *)((const char *)r + m->off);
}

static inline const char **metric_text_slot(const struct metric *m, struct resources *r)
{
	return (const char **)(void *)((char *)r + m->off);
}

/* Rate rows a table may have: the model and the remote stream keep a
 * counter for each. */
#define METRIC_RATES_MAX 8

/* A row's field in a raw reading. */
static inline uint64_t metric_raw_u64(const struct metric *m, const struct raw_node *n)
{
	return *(const uint64_t *)(const void *)((const char *)n + m->raw_off);
}

static inline double metric_raw_double(const struct metric *m, const struct raw_node *n)
{
	return *(const double *)(const void *)((const char *)n + m->raw_off);
}

static inline double metric_raw_given(const struct metric *m, const struct raw_node *n)
{
	return *(const double *)(const void *)((const char *)n + m->given_off);
}

static inline uint64_t *metric_raw_u64_slot(const struct metric *m, struct raw_node *n)
{
	return (uint64_t *)(void *)((char *)n + m->raw_off);
}

static inline double *metric_raw_double_slot(const struct metric *m, struct raw_node *n)
{
	return (double *)(void *)((char *)n + m->raw_off);
}

static inline double *metric_raw_given_slot(const struct metric *m, struct raw_node *n)
{
	return (double *)(void *)((char *)n + m->given_off);
}

/* A finished node's figures into a raw reading, for a source that reads
 * other glasses (a remote, Prometheus): gauges as they are; each rate as
 * the source's own rate and as a counter built back from it in counter[]
 * (one per rate row, in table order; start them at GLASS_U64_UNKNOWN), so
 * the model's rates follow from the next reading on. */
void metric_to_raw(struct raw_node *r, const struct resources *res, uint64_t counter[METRIC_RATES_MAX],
		   double dt_s);
/* Every gauge of a raw reading into a node's figures (the model). */
void metric_gauges_from_raw(struct resources *res, const struct raw_node *r);

/* Where a node's figure is unknown, what another source that reports the
 * same id read: a gauge, or the rate it already has (the best-ranked
 * source owns a field, the others fill its gaps). */
void metric_fill_gaps(struct resources *res, const struct raw_node *r);

/* The table the views use: the built-in one, or a test's (NULL restores
 * the built-in one).  Tests prove that one row reaches every view. */
void metrics_use(const struct metric *rows, size_t n);

#endif
