/* history.h: the history store (DESIGN.md §3): days of use and allocation
 * per node in SQLite, so a one-shot glass judges idleness over days.
 *
 * Layout.  Time is cut into buckets (5 minutes by default, fixed when the
 * store is made).  A bucket holds, per resource (cpu, memory), the number
 * of samples n, the sum and the max of `used`, and the allocation last
 * seen.  The p95 of a window is the p95 of its bucket maxes: an upper
 * bound of the samples' p95 (a bucket's max covers all its samples), so a
 * right-size hint from it never undersizes, and it costs one number per
 * bucket where a histogram would cost ten.  One table row holds a node's
 * HISTORY_ROW_BUCKETS consecutive buckets, packed as varints in a blob: a
 * row per bucket would spend most of its bytes on keys and headers.  After
 * HISTORY_FINE_KEEP_S a row is downsampled to one bucket (hourly at the
 * default width); after the retention it is deleted.
 *
 * Who writes.  A glass writes only a store it was told to keep (--history
 * FILE or history.path) and only when it records: batch with -n 0 (the
 * service) or --replay.  Every other glass reads the store, when it
 * exists, to seed the idle policy.  A reader never creates, moves or
 * changes the file. */
#ifndef GLASS_HISTORY_H
#define GLASS_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "glass/errbuf.h"
#include "glass/node.h"

#define HISTORY_SCHEMA_VERSION 1
#define HISTORY_DEFAULT_BUCKET_S 300
#define HISTORY_ROW_BUCKETS 12
#define HISTORY_FINE_KEEP_S (2 * 86400)
#define HISTORY_DEFAULT_RETENTION_S (35 * 86400)

enum history_res { HISTORY_CPU, HISTORY_MEM, HISTORY_N_RES };

/* One resource in one bucket.  Values are in stored units: millicores
 * for cpu, MiB for memory (history_to_units/history_from_units). */
struct history_bucket {
	uint64_t n;     /* samples with `used` known; 0: nothing */
	uint64_t sum;   /* of used */
	uint64_t max;   /* of used */
	int64_t alloc;  /* the allocation last seen; -1: unknown */
};

struct history_cell {
	struct history_bucket res[HISTORY_N_RES];
};

/* A row: HISTORY_ROW_BUCKETS slots of `span` seconds each, or, once
 * downsampled, one slot spanning the whole row. */
struct history_row {
	int64_t t;       /* start, unix seconds, a multiple of the row's width */
	int64_t span;    /* seconds per slot */
	size_t n_slots;  /* HISTORY_ROW_BUCKETS, or 1 when downsampled */
	struct history_cell slot[HISTORY_ROW_BUCKETS];
};

/* ---- pure helpers (no SQLite) ---- */

/* A resource's value in stored units, rounded; -1 for unknown or < 0. */
int64_t history_to_units(enum history_res r, double v);
double history_from_units(enum history_res r, int64_t u);
/* The start of the bucket of `width` seconds that holds t. */
int64_t history_bucket_start(int64_t t, int64_t width);
void history_cell_init(struct history_cell *c);
/* Adds one sample in stored units (-1: unknown) to a bucket. */
void history_bucket_add(struct history_bucket *b, int64_t used, int64_t alloc);
/* Merges `from` into `into` (counts and sums add, maxes max; the later
 * bucket's known allocation wins). */
void history_bucket_merge(struct history_bucket *into, const struct history_bucket *from);
void history_row_init(struct history_row *row, int64_t t, int64_t span, size_t n_slots);
/* The row's blob; returns its length (at most HISTORY_ROW_MAX_BYTES). */
#define HISTORY_ROW_MAX_BYTES (2 + HISTORY_ROW_BUCKETS * HISTORY_N_RES * 4 * 10)
size_t history_row_encode(const struct history_row *row, uint8_t *out);
/* Fills row's slots from a blob (row's t, span, n_slots already set);
 * -1 when the blob is malformed. */
int history_row_decode(struct history_row *row, const uint8_t *blob, size_t len);
/* Merges a row's slots into one spanning the row. */
void history_row_downsample(struct history_row *row);

/* What a window of history says about one resource of one node. */
struct history_stats {
	double avg_util;       /* mean of used / allocation; NaN: unknown */
	double observed_s;     /* from the first bucket with data to `now` */
	double p95;            /* of the bucket maxes, in the resource's units */
	double peak_max;       /* the max of daily peaks (the max over the window) */
	uint64_t samples;
};

/* Accumulates buckets of one node and resource into stats. */
struct history_acc {
	double util_sum;
	uint64_t util_n;
	uint64_t samples;
	int64_t first_t;
	double *maxes; /* one per fine bucket (a coarse bucket counts for its span) */
	size_t n_maxes, cap_maxes;
	double peak_max;
};
void history_acc_init(struct history_acc *a);
void history_acc_add(struct history_acc *a, enum history_res r, const struct history_bucket *b,
		     int64_t t, int64_t span, int64_t width);
void history_acc_finish(struct history_acc *a, int64_t now, struct history_stats *out);
void history_acc_done(struct history_acc *a);

/* ---- the store ---- */

struct history;

/* The default path: /var/lib/glass/history.db for root, else
 * $XDG_STATE_HOME/glass/history.db (else ~/.local/state/glass/...).
 * The caller's string; NULL when there is no home to put it in. */
char *history_default_path(void);

/* Opens FILE to record into: made when missing (with its directory),
 * moved aside to FILE.corrupt-<time> when it is not a good store, a
 * fresh one made.  bucket_s applies to a new store only.  NULL with err
 * ("FILE: why") when it cannot be written: glass goes on without it. */
struct history *history_open_writer(const char *path, int64_t bucket_s, double retention_s,
				    struct errbuf *err);
/* Opens FILE to read: NULL with err empty when it does not exist; NULL
 * with err when it cannot be read or is not a store glass knows. */
struct history *history_open_reader(const char *path, struct errbuf *err);
void history_close(struct history *h);
int64_t history_bucket_width(const struct history *h);

/* Adds every host, VM and container of the tree at its wall time.  When
 * that time enters a new bucket, the closed buckets are written in one
 * transaction.  -1 with err when writing failed: the buckets are kept and
 * written with the next ones; the caller says it once. */
int history_record(struct history *h, const struct tree *t, struct errbuf *err);
/* Writes the open buckets too (at exit). */
int history_flush(struct history *h, struct errbuf *err);

/* Calls fn for every node and resource with data in [now - window, now]. */
typedef void (*history_stats_fn)(const char *node_id, enum history_res r,
				 const struct history_stats *s, void *arg);
int history_query(struct history *h, int64_t now, double window_s, history_stats_fn fn, void *arg,
		  struct errbuf *err);

/* The mean use of one node's resource in `n` equal steps ending at now
 * (NaN where there is no data); -1 with err.  For sparklines. */
int history_series(struct history *h, const char *node_id, enum history_res r, int64_t now,
		   int64_t step_s, double *out, size_t n, struct errbuf *err);

#endif
