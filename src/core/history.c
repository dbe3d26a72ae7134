#include "glass/history.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "glass/clock.h"
#include "glass/errbuf.h"
#include "glass/idmap.h"
#include "glass/strbuf.h"
#include "glass/value.h"
#include "glass/xalloc.h"

#define MIB (1024.0 * 1024.0)
/* A writer waits this long for another writer; a reader of a WAL store
 * is never blocked, so "database is locked" does not reach the operator. */
#define BUSY_TIMEOUT_MS 10000
/* Closed buckets kept while the store cannot be written (disk full):
 * a day of a few hundred nodes; older ones are dropped first. */
#define PENDING_MAX 100000
#define DAY_S 86400

struct open_bucket {
	int64_t t;
	struct history_cell cell;
};

struct pending {
	char *node;
	int64_t t;
	struct history_cell cell;
};

struct history {
	sqlite3 *db;
	char *path;
	bool writer;
	int64_t width;       /* bucket seconds */
	double retention_s;
	/* node id -> struct open_entry, in the entry (idmap_add_inline) */
	struct idmap *open;
	/* the row ids the open entries hold are good while it stays the same:
	 * a rollback, a maintenance that deleted nodes or a store moved
	 * aside bumps it */
	uint32_t ids_gen;
	struct pending *pending;
	size_t n_pending, cap_pending;
	int64_t last_maint;
	bool failing;        /* the last write failed (said once) */
};

/* ---- pure helpers ---- */

int64_t history_to_units(enum history_res r, double v)
{
	if (!value_known(v) || v < 0)
		return -1;
	double u = r == HISTORY_CPU ? v * 1000.0 : v / MIB;
	return u > 9e18 ? -1 : llround(u);
}

double history_from_units(enum history_res r, int64_t u)
{
	if (u < 0)
		return GLASS_UNKNOWN;
	return r == HISTORY_CPU ? (double)u / 1000.0 : (double)u * MIB;
}

int64_t history_bucket_start(int64_t t, int64_t width)
{
	int64_t q = t / width;

	if (t % width < 0)
		q--;
	return q * width;
}

void history_cell_init(struct history_cell *c)
{
	memset(c, 0, sizeof(*c));
	for (int r = 0; r < HISTORY_N_RES; r++)
		c->res[r].alloc = -1;
}

void history_bucket_add(struct history_bucket *b, int64_t used, int64_t alloc)
{
	if (used >= 0) {
		b->n++;
		b->sum += (uint64_t)used;
		if ((uint64_t)used > b->max)
			b->max = (uint64_t)used;
	}
	if (alloc >= 0)
		b->alloc = alloc;
}

void history_bucket_merge(struct history_bucket *into, const struct history_bucket *from)
{
	into->n += from->n;
	into->sum += from->sum;
	if (from->max > into->max)
		into->max = from->max;
	if (from->alloc >= 0)
		into->alloc = from->alloc;
}

void history_row_init(struct history_row *row, int64_t t, int64_t span, size_t n_slots)
{
	row->t = t;
	row->span = span;
	row->n_slots = n_slots;
	for (size_t i = 0; i < HISTORY_ROW_BUCKETS; i++)
		history_cell_init(&row->slot[i]);
}

static size_t put_varint(uint8_t *out, uint64_t v)
{
	size_t n = 0;

	do {
		uint8_t byte = v & 0x7f;
		v >>= 7;
		out[n++] = byte | (v ? 0x80 : 0);
	} while (v);
	return n;
}

static int get_varint(const uint8_t *in, size_t len, size_t *pos, uint64_t *v)
{
	uint64_t r = 0;

	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (*pos >= len)
			return -1;
		uint8_t byte = in[(*pos)++];
		r |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return -1;
}

static bool cell_empty(const struct history_cell *c)
{
	for (int r = 0; r < HISTORY_N_RES; r++)
		if (c->res[r].n || c->res[r].alloc >= 0)
			return false;
	return true;
}

/* The blob: a varint mask of the slots present, then per slot and
 * resource: n, and when n > 0 the sum and the max; then the allocation
 * as 0 (unknown), 1 (as in the previous slot of this row) or alloc + 2.
 * Allocations rarely change, so most cost one byte. */
size_t history_row_encode(const struct history_row *row, uint8_t *out)
{
	uint64_t mask = 0;
	int64_t prev[HISTORY_N_RES];
	size_t n = 0;

	for (size_t i = 0; i < row->n_slots; i++)
		if (!cell_empty(&row->slot[i]))
			mask |= 1u << i;
	n += put_varint(out + n, mask);
	for (int r = 0; r < HISTORY_N_RES; r++)
		prev[r] = -1;
	for (size_t i = 0; i < row->n_slots; i++) {
		if (!(mask & (1u << i)))
			continue;
		for (int r = 0; r < HISTORY_N_RES; r++) {
			const struct history_bucket *b = &row->slot[i].res[r];

			n += put_varint(out + n, b->n);
			if (b->n) {
				n += put_varint(out + n, b->sum);
				n += put_varint(out + n, b->max);
			}
			if (b->alloc < 0)
				n += put_varint(out + n, 0);
			else if (b->alloc == prev[r])
				n += put_varint(out + n, 1);
			else
				n += put_varint(out + n, (uint64_t)b->alloc + 2);
			if (b->alloc >= 0)
				prev[r] = b->alloc;
		}
	}
	return n;
}

int history_row_decode(struct history_row *row, const uint8_t *blob, size_t len)
{
	size_t pos = 0;
	uint64_t mask, v;
	int64_t prev[HISTORY_N_RES];

	for (size_t i = 0; i < HISTORY_ROW_BUCKETS; i++)
		history_cell_init(&row->slot[i]);
	if (get_varint(blob, len, &pos, &mask) < 0 || mask >> row->n_slots)
		return -1;
	for (int r = 0; r < HISTORY_N_RES; r++)
		prev[r] = -1;
	for (size_t i = 0; i < row->n_slots; i++) {
		if (!(mask & (1u << i)))
			continue;
		for (int r = 0; r < HISTORY_N_RES; r++) {
			struct history_bucket *b = &row->slot[i].res[r];

			if (get_varint(blob, len, &pos, &b->n) < 0)
				return -1;
			if (b->n && (get_varint(blob, len, &pos, &b->sum) < 0 ||
				     get_varint(blob, len, &pos, &b->max) < 0 || b->max > b->sum))
				return -1;
			if (get_varint(blob, len, &pos, &v) < 0 || v > INT64_MAX)
				return -1;
			if (v == 1 && prev[r] < 0)
				return -1;
			b->alloc = v == 0 ? -1 : v == 1 ? prev[r] : (int64_t)(v - 2);
			if (b->alloc >= 0)
				prev[r] = b->alloc;
		}
	}
	return pos == len ? 0 : -1;
}

void history_row_downsample(struct history_row *row)
{
	struct history_cell all;

	if (row->n_slots <= 1)
		return;
	history_cell_init(&all);
	for (size_t i = 0; i < row->n_slots; i++)
		for (int r = 0; r < HISTORY_N_RES; r++)
			history_bucket_merge(&all.res[r], &row->slot[i].res[r]);
	row->span *= (int64_t)row->n_slots;
	row->n_slots = 1;
	for (size_t i = 0; i < HISTORY_ROW_BUCKETS; i++)
		history_cell_init(&row->slot[i]);
	row->slot[0] = all;
}

void history_acc_init(struct history_acc *a)
{
	memset(a, 0, sizeof(*a));
	a->first_t = INT64_MAX;
	a->peak_max = GLASS_UNKNOWN;
}

void history_acc_add(struct history_acc *a, enum history_res r, const struct history_bucket *b,
		     int64_t t, int64_t span, int64_t width)
{
	if (b->n == 0)
		return;
	/* a downsampled bucket weighs as the fine buckets it replaced */
	size_t w = width > 0 && span > width ? (size_t)(span / width) : 1;
	double max = history_from_units(r, (int64_t)b->max);

	a->samples += b->n;
	if (t < a->first_t)
		a->first_t = t;
	if (b->alloc > 0) {
		a->util_sum += (double)b->sum / (double)b->n / (double)b->alloc * (double)w;
		a->util_n += w;
	}
	if (a->n_maxes + w > a->cap_maxes) {
		a->cap_maxes = (a->n_maxes + w) * 2;
		a->maxes = xreallocarray(a->maxes, a->cap_maxes, sizeof(*a->maxes));
	}
	for (size_t i = 0; i < w; i++)
		a->maxes[a->n_maxes++] = max;
	if (!value_known(a->peak_max) || max > a->peak_max)
		a->peak_max = max;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

void history_acc_finish(struct history_acc *a, int64_t now, struct history_stats *out)
{
	out->samples = a->samples;
	out->avg_util = a->util_n ? a->util_sum / (double)a->util_n : GLASS_UNKNOWN;
	out->observed_s = a->samples && now > a->first_t ? (double)(now - a->first_t) : 0.0;
	out->peak_max = a->peak_max;
	out->p95 = GLASS_UNKNOWN;
	if (a->n_maxes) {
		/* nearest rank, as idle.c's quantile */
		qsort(a->maxes, a->n_maxes, sizeof(*a->maxes), cmp_double);
		double rank = ceil(0.95 * (double)a->n_maxes);
		size_t i = rank < 1 ? 0 : (size_t)rank - 1;
		out->p95 = a->maxes[i < a->n_maxes ? i : a->n_maxes - 1];
	}
}

void history_acc_done(struct history_acc *a)
{
	free(a->maxes);
	history_acc_init(a);
}

/* ---- the store ---- */

char *history_default_path(void)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	if (geteuid() == 0)
		return xstrdup("/var/lib/glass/history.db");
	if (xdg && *xdg == '/')
		return xasprintf("%s/glass/history.db", xdg);
	if (home && *home)
		return xasprintf("%s/.local/state/glass/history.db", home);
	return NULL;
}

static const char schema_sql[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE nodes(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
	"CREATE TABLE buckets(node INTEGER NOT NULL, t INTEGER NOT NULL,"
	" span INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY(node, t)) WITHOUT ROWID;";

static bool is_corrupt(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

static int db_err(struct history *h, struct errbuf *err, int rc)
{
	errbuf_set(err, "history %s: %s", h->path, h->db ? sqlite3_errmsg(h->db) : sqlite3_errstr(rc));
	return rc;
}

static int exec(struct history *h, const char *sql, struct errbuf *err)
{
	int rc = sqlite3_exec(h->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : db_err(h, err, rc);
}

/* One integer from a query; rc. */
static int query_int(struct history *h, const char *sql, int64_t *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(h->db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		*out = 0;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static struct history *history_new(const char *path, bool writer)
{
	struct history *h = xcalloc(1, sizeof(*h));

	h->path = xstrdup(path);
	h->writer = writer;
	h->width = HISTORY_DEFAULT_BUCKET_S;
	h->retention_s = HISTORY_DEFAULT_RETENTION_S;
	return h;
}

static void db_close(struct history *h)
{
	if (h->db)
		sqlite3_close_v2(h->db);
	h->db = NULL;
}

/* The store's schema version and how many tables it holds, read in one
 * statement: a store being made by another glass is seen before or after
 * its schema commits, never half-way. */
static int read_version(struct history *h, int64_t *version, int64_t *tables)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(h->db,
				    "SELECT (SELECT user_version FROM pragma_user_version),"
				    " (SELECT count(*) FROM sqlite_master)",
				    -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*version = sqlite3_column_int64(st, 0);
		*tables = sqlite3_column_int64(st, 1);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Reads the store's version and bucket width; makes the schema in a new
 * (empty) file when `create`, inside one write transaction so that two
 * recorders starting together make it once.  rc, with err for what is not
 * corruption. */
static int check_schema(struct history *h, bool create, int64_t bucket_s, struct errbuf *err)
{
	int64_t version = 0, tables = 0;
	int rc = create ? sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) : SQLITE_OK;

	if (rc == SQLITE_OK)
		rc = read_version(h, &version, &tables);
	if (rc == SQLITE_OK && version > HISTORY_SCHEMA_VERSION) {
		errbuf_set(err,
			   "history %s: schema version %lld is newer than this glass reads (%d): "
			   "history off (upgrade glass or name another file)",
			   h->path, (long long)version, HISTORY_SCHEMA_VERSION);
		rc = SQLITE_MISUSE;
	} else if (rc == SQLITE_OK && version == 0 && tables > 0) {
		errbuf_set(err, "history %s: not a glass history store (other tables in it)", h->path);
		rc = SQLITE_MISUSE;
	} else if (rc == SQLITE_OK && version == 0 && !create) {
		return SQLITE_EMPTY; /* a store being made: nothing to read yet */
	} else if (rc == SQLITE_OK && version == 0) {
		char *sql = xasprintf("%s INSERT INTO meta VALUES('bucket_s', %lld);"
				      " PRAGMA user_version = %d;",
				      schema_sql, (long long)bucket_s, HISTORY_SCHEMA_VERSION);
		rc = sqlite3_exec(h->db, sql, NULL, NULL, NULL);
		free(sql);
		if (rc != SQLITE_OK)
			db_err(h, err, rc);
	} else if (rc != SQLITE_OK) {
		db_err(h, err, rc);
	}
	if (create) {
		if (rc == SQLITE_OK) {
			rc = sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
			if (rc != SQLITE_OK)
				db_err(h, err, rc);
		}
		if (rc != SQLITE_OK)
			sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK)
		return rc;
	rc = query_int(h, "SELECT value FROM meta WHERE key = 'bucket_s'", &h->width);
	if (rc != SQLITE_OK)
		return db_err(h, err, rc);
	if (h->width <= 0 || h->width > DAY_S) {
		errbuf_set(err, "history %s: bucket width %lld s is not one glass writes", h->path,
			   (long long)h->width);
		return SQLITE_CORRUPT;
	}
	return SQLITE_OK;
}

/* Pages one by one as the cache needs them, not a block of 20 made up
 * front per connection: ~110 KiB held for good, a fixed cost of ~36 B per
 * node at 3,000 nodes.  It must come before SQLite's first use; this file
 * is glass's only user of SQLite. */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
}

static int open_db_as(struct history *h, const char *name, int flags, struct errbuf *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, sqlite_setup);
	int rc = sqlite3_open_v2(name, &h->db, flags, NULL);

	if (rc != SQLITE_OK) {
		db_err(h, err, rc);
		db_close(h);
		return rc;
	}
	sqlite3_extended_result_codes(h->db, 1);
	sqlite3_busy_timeout(h->db, BUSY_TIMEOUT_MS);
	return SQLITE_OK;
}

static int open_db(struct history *h, int flags, struct errbuf *err)
{
	return open_db_as(h, h->path, flags, err);
}

/* A file: URI that names path, read as it is on disk. */
static char *immutable_uri(const char *path)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_adds(&sb, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p <= ' ' || *p >= 0x7f)
			strbuf_addf(&sb, "%%%02X", *p);
		else
			strbuf_add(&sb, (const char *)p, 1);
	}
	strbuf_adds(&sb, "?immutable=1");
	return strbuf_detach(&sb);
}

/* FILE -> FILE.corrupt-<time>, with its WAL and shared memory: a stale
 * WAL beside a new store would be replayed into it. */
static int move_aside(struct history *h, const char *why, struct errbuf *err)
{
	char *to = xasprintf("%s.corrupt-%lld", h->path, (long long)time(NULL));
	static const char *const tails[] = {"-wal", "-shm"};

	db_close(h);
	if (rename(h->path, to) < 0) {
		errbuf_set(err, "history %s: %s, and it cannot be moved aside: %s", h->path, why,
			   strerror(errno));
		free(to);
		return -1;
	}
	for (size_t i = 0; i < 2; i++) {
		char *from = xasprintf("%s%s", h->path, tails[i]);
		char *dst = xasprintf("%s%s", to, tails[i]);

		/* missing when the store was not in WAL mode: nothing to move */
		(void)rename(from, dst);
		free(from);
		free(dst);
	}
	glass_say("history %s: %s: moved aside to %s, a new store made", h->path, why, to);
	free(to);
	return 0;
}

static void make_parent_dir(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');

	if (slash && slash != dir) {
		*slash = '\0';
		/* on failure, SQLite's open says why, with the file's name */
		(void)mkdir(dir, 0755);
	}
	free(dir);
}

/* Opens and checks a writer's store once; a corrupt file says so in
 * *corrupt with its reason in err. */
static int writer_try(struct history *h, int64_t bucket_s, bool *corrupt, struct errbuf *err)
{
	int64_t ok = 0;
	int rc;

	*corrupt = false;
	rc = open_db(h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err);
	if (rc != SQLITE_OK)
		return rc;
	if (sqlite3_db_readonly(h->db, "main") == 1) {
		/* SQLite falls back to reading a file it cannot write */
		errbuf_set(err, "history %s: %s", h->path, strerror(EACCES));
		return SQLITE_READONLY;
	}
	rc = check_schema(h, true, bucket_s, err);
	if (rc == SQLITE_OK) {
		/* A truncated file reads fine until its missing pages are
		 * needed: look at every page once, when the recorder starts. */
		sqlite3_stmt *st;
		rc = sqlite3_prepare_v2(h->db, "PRAGMA quick_check(1)", -1, &st, NULL);
		if (rc == SQLITE_OK) {
			rc = sqlite3_step(st);
			if (rc == SQLITE_ROW) {
				const char *res = (const char *)sqlite3_column_text(st, 0);
				ok = res && strcmp(res, "ok") == 0;
				rc = SQLITE_OK;
			}
			sqlite3_finalize(st);
		}
		if (rc == SQLITE_OK && !ok) {
			errbuf_set(err, "history %s: database disk image is malformed", h->path);
			*corrupt = true;
			return SQLITE_CORRUPT;
		}
		if (rc != SQLITE_OK)
			db_err(h, err, rc);
	}
	if (rc == SQLITE_OK)
		rc = exec(h, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -64;", err);
	*corrupt = is_corrupt(rc);
	return rc;
}

struct history *history_open_writer(const char *path, int64_t bucket_s, double retention_s,
				    struct errbuf *err)
{
	struct history *h = history_new(path, true);
	bool corrupt;
	int rc;

	make_parent_dir(path);
	rc = writer_try(h, bucket_s, &corrupt, err);
	if (rc != SQLITE_OK && corrupt) {
		const char *why = (h->db && is_corrupt(sqlite3_errcode(h->db)))
					  ? sqlite3_errmsg(h->db)
					  : "database disk image is malformed";
		char *reason = xstrdup(why);

		if (move_aside(h, reason, err) == 0)
			rc = writer_try(h, bucket_s, &corrupt, err);
		free(reason);
	}
	if (rc != SQLITE_OK) {
		history_close(h);
		return NULL;
	}
	h->retention_s = retention_s > 0 ? retention_s : HISTORY_DEFAULT_RETENTION_S;
	h->open = idmap_new_borrowing(); /* the nodes' ids */
	return h;
}

struct history *history_open_reader(const char *path, struct errbuf *err)
{
	struct history *h;
	int rc;

	errbuf_clear(err);
	if (access(path, F_OK) < 0) {
		if (errno != ENOENT)
			errbuf_set(err, "history %s: %s", path, strerror(errno));
		return NULL;
	}
	h = history_new(path, false);
	rc = open_db(h, SQLITE_OPEN_READONLY, err);
	if (rc == SQLITE_OK)
		rc = check_schema(h, false, 0, err);
	if ((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_READONLY) {
		/* A WAL store in a directory this user cannot write: no shared
		 * memory can be made beside it, and no writer can be running
		 * there either, so the file is read as it stands. */
		char *uri = immutable_uri(path);

		db_close(h);
		rc = open_db_as(h, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, err);
		if (rc == SQLITE_OK)
			rc = check_schema(h, false, 0, err);
		free(uri);
	}
	if (rc == SQLITE_EMPTY)
		errbuf_clear(err);
	if (rc != SQLITE_OK) {
		history_close(h);
		return NULL;
	}
	return h;
}

int64_t history_bucket_width(const struct history *h)
{
	return h->width;
}

static void free_pending(struct history *h)
{
	for (size_t i = 0; i < h->n_pending; i++)
		free(h->pending[i].node);
	free(h->pending);
	h->pending = NULL;
	h->n_pending = h->cap_pending = 0;
}

void history_close(struct history *h)
{
	if (!h)
		return;
	db_close(h);
	idmap_free(h->open, NULL);
	free_pending(h);
	free(h->path);
	free(h);
}

/* ---- writing ---- */

static void pend(struct history *h, const char *node, int64_t t, const struct history_cell *c)
{
	if (h->n_pending == PENDING_MAX) {
		/* the oldest go first */
		free(h->pending[0].node);
		memmove(h->pending, h->pending + 1, (h->n_pending - 1) * sizeof(*h->pending));
		h->n_pending--;
	}
	if (h->n_pending == h->cap_pending) {
		h->cap_pending = h->cap_pending ? 2 * h->cap_pending : 256;
		h->pending = xreallocarray(h->pending, h->cap_pending, sizeof(*h->pending));
	}
	h->pending[h->n_pending++] = (struct pending){xstrdup(node), t, *c};
}

static bool holds_capacity(const struct node *n)
{
	return n->kind == NODE_HOST || n->kind == NODE_VM || n->kind == NODE_CONTAINER;
}

struct sweep_arg {
	struct history *h;
	int64_t keep_t;
	bool all;
};

/* The bucket a node is filling, and its row in `nodes` once a bucket of
 * it was written: the one record history keeps per node.  Its node id
 * is its entry's key (idmap_key_of_inline): 88 bytes keep the entry in
 * a 128-byte chunk. */
struct open_entry {
	struct open_bucket ob;
	int64_t rowid;    /* 0: not known (or ids_gen is not the store's) */
	uint32_t ids_gen;
	/* ob holds samples of bucket ob.t; else closed, kept until the next
	 * refresh for its row id (the node's next bucket reopens it) */
	bool open;
};

/* idmap_sweep's keep: a bucket of another time is closed, pending; an
 * entry no sample reopened since (its node is gone or stale) goes. */
static int sweep_closed(void *value, void *arg)
{
	struct open_entry *e = value;
	struct sweep_arg *a = arg;

	if (!e->open)
		return 0;
	if (!a->all && e->ob.t == a->keep_t)
		return 1;
	pend(a->h, idmap_key_of_inline(a->h->open, e), e->ob.t, &e->ob.cell);
	e->open = false;
	return !a->all;
}

/* id: a node's, a shared key (idmap.h) */
static struct open_bucket *open_get(struct history *h, const char *id, int64_t bt)
{
	struct open_entry *e = idmap_get(h->open, id);

	if (!e)
		e = idmap_add_inline(h->open, id, sizeof(*e));
	if (!e->open) {
		e->open = true;
		e->ob.t = bt;
		history_cell_init(&e->ob.cell);
	}
	return &e->ob;
}

static void add_tree(struct history *h, const struct node *n, int64_t bt)
{
	if (holds_capacity(n) && !n->stale) {
		struct open_bucket *ob = open_get(h, n->id, bt);

		history_bucket_add(&ob->cell.res[HISTORY_CPU],
				 history_to_units(HISTORY_CPU, n->res.cpu_cores_used),
				 history_to_units(HISTORY_CPU, n->res.cpu_cores_allocated));
		history_bucket_add(&ob->cell.res[HISTORY_MEM],
				 history_to_units(HISTORY_MEM, n->res.mem_bytes_used),
				 history_to_units(HISTORY_MEM, n->res.mem_bytes_allocated));
	}
	for (size_t i = 0; i < n->n_children; i++)
		add_tree(h, n->children[i], bt);
}

static int64_t node_rowid(struct history *h, const char *name, int *rc)
{
	struct open_entry *e = idmap_get(h->open, name);
	sqlite3_stmt *st;
	int64_t id = 0;

	if (e && e->rowid > 0 && e->ids_gen == h->ids_gen)
		return e->rowid;
	*rc = sqlite3_prepare_v2(h->db, "INSERT OR IGNORE INTO nodes(name) VALUES(?1)", -1, &st, NULL);
	if (*rc != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	*rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (*rc != SQLITE_DONE)
		return 0;
	*rc = sqlite3_prepare_v2(h->db, "SELECT id FROM nodes WHERE name = ?1", -1, &st, NULL);
	if (*rc != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	*rc = sqlite3_step(st);
	if (*rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		*rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (id > 0 && e) {
		e->rowid = id;
		e->ids_gen = h->ids_gen;
	}
	return id;
}

/* Reads a stored row (or makes an empty one at the fine width). */
static int load_row(struct history *h, sqlite3_stmt *get, int64_t node, int64_t row_t,
		    struct history_row *row)
{
	int rc;

	sqlite3_reset(get);
	sqlite3_bind_int64(get, 1, node);
	sqlite3_bind_int64(get, 2, row_t);
	history_row_init(row, row_t, h->width, HISTORY_ROW_BUCKETS);
	rc = sqlite3_step(get);
	if (rc == SQLITE_DONE)
		return SQLITE_OK;
	if (rc != SQLITE_ROW)
		return rc;
	int64_t span = sqlite3_column_int64(get, 0);
	const void *blob = sqlite3_column_blob(get, 1);
	int len = sqlite3_column_bytes(get, 1);
	if (span == h->width * HISTORY_ROW_BUCKETS)
		history_row_init(row, row_t, span, 1);
	else if (span != h->width)
		return SQLITE_CORRUPT;
	if (history_row_decode(row, blob, (size_t)len) < 0)
		return SQLITE_CORRUPT;
	return SQLITE_OK;
}

static int store_row(sqlite3_stmt *put, int64_t node, const struct history_row *row)
{
	uint8_t blob[HISTORY_ROW_MAX_BYTES];
	size_t len = history_row_encode(row, blob);
	int rc;

	sqlite3_reset(put);
	sqlite3_bind_int64(put, 1, node);
	sqlite3_bind_int64(put, 2, row->t);
	sqlite3_bind_int64(put, 3, row->span);
	sqlite3_bind_blob(put, 4, blob, (int)len, SQLITE_TRANSIENT);
	rc = sqlite3_step(put);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Downsamples rows past the fine keep and deletes rows past retention,
 * as of data time `now` (a replay's clock is its recording's). */
static int maintain(struct history *h, int64_t now)
{
	int64_t row_w = h->width * HISTORY_ROW_BUCKETS;
	sqlite3_stmt *st = NULL, *put = NULL;
	int rc;

	rc = sqlite3_prepare_v2(h->db, "DELETE FROM buckets WHERE t + ?2 <= ?1", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, now - (int64_t)h->retention_s);
	sqlite3_bind_int64(st, 2, row_w);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	rc = sqlite3_exec(h->db,
			  "DELETE FROM nodes WHERE NOT EXISTS "
			  "(SELECT 1 FROM buckets WHERE buckets.node = nodes.id)",
			  NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return rc;
	h->ids_gen++; /* ids of deleted nodes may be reused */

	/* Collected first: rows are rewritten in place while read. */
	struct coarse {
		int64_t node;
		struct history_row row;
	} *todo = NULL;
	size_t n = 0, cap = 0;
	rc = sqlite3_prepare_v2(h->db, "SELECT node, t, data FROM buckets WHERE span = ?1 AND t + ?2 <= ?3",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, h->width);
	sqlite3_bind_int64(st, 2, row_w);
	sqlite3_bind_int64(st, 3, now - HISTORY_FINE_KEEP_S);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			todo = xreallocarray(todo, cap, sizeof(*todo));
		}
		todo[n].node = sqlite3_column_int64(st, 0);
		history_row_init(&todo[n].row, sqlite3_column_int64(st, 1), h->width, HISTORY_ROW_BUCKETS);
		if (history_row_decode(&todo[n].row, sqlite3_column_blob(st, 2),
				       (size_t)sqlite3_column_bytes(st, 2)) < 0) {
			rc = SQLITE_CORRUPT;
			break;
		}
		history_row_downsample(&todo[n].row);
		n++;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = sqlite3_prepare_v2(h->db, "INSERT OR REPLACE INTO buckets VALUES(?1, ?2, ?3, ?4)", -1,
					&put, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < n; i++)
		rc = store_row(put, todo[i].node, &todo[i].row);
	sqlite3_finalize(put);
	free(todo);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int write_pending_once(struct history *h, int64_t now, struct errbuf *err)
{
	sqlite3_stmt *get = NULL, *put = NULL;
	int rc = sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return db_err(h, err, rc);
	rc = sqlite3_prepare_v2(h->db, "SELECT span, data FROM buckets WHERE node = ?1 AND t = ?2", -1,
				&get, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(h->db, "INSERT OR REPLACE INTO buckets VALUES(?1, ?2, ?3, ?4)",
					-1, &put, NULL);
	int64_t row_w = h->width * HISTORY_ROW_BUCKETS;
	for (size_t i = 0; rc == SQLITE_OK && i < h->n_pending; i++) {
		const struct pending *p = &h->pending[i];
		struct history_row row;

		if (cell_empty(&p->cell))
			continue; /* nothing known of it: no row */
		int64_t node = node_rowid(h, p->node, &rc);

		if (rc != SQLITE_OK)
			break;
		int64_t row_t = history_bucket_start(p->t, row_w);
		rc = load_row(h, get, node, row_t, &row);
		if (rc != SQLITE_OK)
			break;
		size_t slot = row.n_slots == 1 ? 0 : (size_t)((p->t - row_t) / h->width);
		for (int r = 0; r < HISTORY_N_RES; r++)
			history_bucket_merge(&row.slot[slot].res[r], &p->cell.res[r]);
		rc = store_row(put, node, &row);
	}
	sqlite3_finalize(get);
	sqlite3_finalize(put);
	if (rc == SQLITE_OK && (h->last_maint == 0 || now - h->last_maint >= row_w)) {
		rc = maintain(h, now);
		if (rc == SQLITE_OK)
			h->last_maint = now;
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		/* the reason before ROLLBACK replaces it */
		db_err(h, err, rc);
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
		/* rows made in the transaction are gone: so are their ids */
		h->ids_gen++;
	}
	return rc;
}

static int write_pending(struct history *h, int64_t now, struct errbuf *err)
{
	int rc;

	if (!h->db) {
		/* moved aside and could not be made again: keep trying */
		bool corrupt;
		rc = writer_try(h, h->width, &corrupt, err);
		if (rc != SQLITE_OK) {
			db_close(h);
			goto failed;
		}
	}
	rc = write_pending_once(h, now, err);
	if (is_corrupt(rc)) {
		char *why = xstrdup(sqlite3_errstr(rc));
		bool corrupt;

		h->ids_gen++;
		if (move_aside(h, why, err) == 0 && writer_try(h, h->width, &corrupt, err) == SQLITE_OK)
			rc = write_pending_once(h, now, err);
		else
			rc = SQLITE_CANTOPEN;
		free(why);
		if (rc != SQLITE_OK && !h->db)
			goto failed;
	}
	if (rc != SQLITE_OK)
		goto failed;
	free_pending(h);
	if (h->failing)
		glass_say("history %s: writing again", h->path);
	h->failing = false;
	return 0;
failed:
	if (!h->failing)
		glass_say("%s: buckets kept in memory, tried again at the next one", err->msg);
	h->failing = true;
	return -1;
}

int history_record(struct history *h, const struct tree *t, struct errbuf *err)
{
	int64_t now = (int64_t)(t->wall_ns / NS_PER_S);
	int64_t bt = history_bucket_start(now, h->width);
	struct sweep_arg sa = {h, bt, false};

	/* buckets of another time (and of nodes gone) are closed */
	idmap_sweep(h->open, sweep_closed, &sa, NULL);
	add_tree(h, t->root, bt);
	if (h->n_pending == 0)
		return 0;
	return write_pending(h, now, err);
}

int history_flush(struct history *h, struct errbuf *err)
{
	struct sweep_arg sa = {h, 0, true};
	int64_t now = 0;

	for (size_t i = 0; i < h->n_pending; i++)
		if (h->pending[i].t > now)
			now = h->pending[i].t;
	idmap_sweep(h->open, sweep_closed, &sa, NULL);
	for (size_t i = 0; i < h->n_pending; i++)
		if (h->pending[i].t + h->width > now)
			now = h->pending[i].t + h->width;
	if (h->n_pending == 0)
		return 0;
	return write_pending(h, now, err);
}

/* ---- reading ---- */

struct node_acc {
	struct history_acc res[HISTORY_N_RES];
};

static void add_row(struct history *h, struct node_acc *na, const struct history_row *row,
		    int64_t since, int64_t now)
{
	for (size_t i = 0; i < row->n_slots; i++) {
		int64_t bt = row->t + (int64_t)i * row->span;

		if (bt + row->span <= since || bt > now)
			continue;
		for (int r = 0; r < HISTORY_N_RES; r++)
			history_acc_add(&na->res[r], (enum history_res)r, &row->slot[i].res[r], bt, row->span,
					h->width);
	}
}

static void finish_node(const char *name, struct node_acc *na, int64_t now, double window_s,
			history_stats_fn fn, void *arg)
{
	for (int r = 0; r < HISTORY_N_RES; r++) {
		struct history_stats s;

		history_acc_finish(&na->res[r], now, &s);
		if (s.observed_s > window_s)
			s.observed_s = window_s;
		if (s.samples)
			fn(name, (enum history_res)r, &s, arg);
		history_acc_done(&na->res[r]);
	}
}

static int decode_stored(struct history *h, sqlite3_stmt *st, int col, struct history_row *row)
{
	int64_t t = sqlite3_column_int64(st, col);
	int64_t span = sqlite3_column_int64(st, col + 1);

	if (span == h->width)
		history_row_init(row, t, span, HISTORY_ROW_BUCKETS);
	else if (span == h->width * HISTORY_ROW_BUCKETS)
		history_row_init(row, t, span, 1);
	else
		return -1;
	return history_row_decode(row, sqlite3_column_blob(st, col + 2),
				  (size_t)sqlite3_column_bytes(st, col + 2));
}

int history_query(struct history *h, int64_t now, double window_s, history_stats_fn fn, void *arg,
		  struct errbuf *err)
{
	int64_t since = now - (int64_t)window_s;
	int64_t row_w = h->width * HISTORY_ROW_BUCKETS;
	sqlite3_stmt *nodes = NULL, *rows = NULL;
	int rc;

	/* node by node: each a range of the primary key (node, t), so a short
	 * window reads little of a large store */
	rc = sqlite3_prepare_v2(h->db, "SELECT id, name FROM nodes", -1, &nodes, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(h->db,
					"SELECT t, span, data FROM buckets"
					" WHERE node = ?1 AND t > ?2 AND t <= ?3 ORDER BY t",
					-1, &rows, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(nodes)) == SQLITE_ROW) {
		struct node_acc na;
		char *name = xstrdup((const char *)sqlite3_column_text(nodes, 1));

		for (int r = 0; r < HISTORY_N_RES; r++)
			history_acc_init(&na.res[r]);
		sqlite3_reset(rows);
		sqlite3_bind_int64(rows, 1, sqlite3_column_int64(nodes, 0));
		sqlite3_bind_int64(rows, 2, since - row_w);
		sqlite3_bind_int64(rows, 3, now);
		while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
			struct history_row row;

			if (decode_stored(h, rows, 0, &row) < 0) {
				rc = SQLITE_CORRUPT;
				break;
			}
			add_row(h, &na, &row, since, now);
		}
		if (rc == SQLITE_DONE) {
			finish_node(name, &na, now, window_s, fn, arg);
			rc = SQLITE_OK;
		}
		for (int r = 0; r < HISTORY_N_RES; r++)
			history_acc_done(&na.res[r]);
		free(name);
	}
	sqlite3_finalize(nodes);
	sqlite3_finalize(rows);
	if (rc != SQLITE_DONE) {
		if (rc == SQLITE_CORRUPT)
			errbuf_set(err, "history %s: a row is not one glass wrote", h->path);
		else
			db_err(h, err, rc);
		return -1;
	}
	return 0;
}

/* A mean in stored units, back in the resource's own. */
static double units_mean(enum history_res r, double u)
{
	return r == HISTORY_CPU ? u / 1000.0 : u * MIB;
}

int history_series(struct history *h, const char *node_id, enum history_res r, int64_t now,
		   int64_t step_s, double *out, size_t n, struct errbuf *err)
{
	int64_t since = now - step_s * (int64_t)n;
	int64_t row_w = h->width * HISTORY_ROW_BUCKETS;
	double *sum = xcalloc(n, sizeof(*sum));
	uint64_t *cnt = xcalloc(n, sizeof(*cnt));
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(h->db,
				"SELECT b.t, b.span, b.data FROM buckets b JOIN nodes n ON n.id = b.node"
				" WHERE n.name = ?1 AND b.t > ?2 AND b.t <= ?3 ORDER BY b.t",
				-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, node_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, since - row_w);
		sqlite3_bind_int64(st, 3, now);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			struct history_row row;

			if (decode_stored(h, st, 0, &row) < 0) {
				rc = SQLITE_CORRUPT;
				break;
			}
			for (size_t i = 0; i < row.n_slots; i++) {
				const struct history_bucket *b = &row.slot[i].res[r];
				int64_t bt = row.t + (int64_t)i * row.span;

				if (!b->n || bt < since || bt >= now)
					continue;
				size_t k = (size_t)((bt - since) / step_s);
				if (k < n) {
					sum[k] += (double)b->sum;
					cnt[k] += b->n;
				}
			}
		}
		sqlite3_finalize(st);
	}
	for (size_t k = 0; k < n; k++)
		out[k] = cnt[k] ? units_mean(r, sum[k] / (double)cnt[k]) : GLASS_UNKNOWN;
	free(sum);
	free(cnt);
	if (rc != SQLITE_DONE) {
		if (rc == SQLITE_CORRUPT)
			errbuf_set(err, "history %s: a row is not one glass wrote", h->path);
		else
			db_err(h, err, rc);
		return -1;
	}
	return 0;
}
