/* The history store: bucketing, the row blob, downsampling, retention, the
 * p95 from buckets, schema versions, corrupt files, and the idle policy
 * seeded from it. */
#include <glob.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glass/clock.h"
#include "glass/config.h"
#include "glass/history.h"
#include "glass/idmap.h"
#include "glass/idle.h"
#include "glass/options.h"
#include "glass/xalloc.h"
#include "unit.h"

#define GIB (1024.0 * 1024.0 * 1024.0)
/* a Monday at midnight, UTC: buckets and rows start on it */
#define T0 1796083200

static char dir[64];
static char path[128];

static void make_dir(void)
{
	strcpy(dir, "/tmp/glass-history-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/h.db", dir);
}

static void remove_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* site > host > one container using `cpu` of 2 cores and `mem` of 4 GiB */
static struct tree *make_tree(int64_t t, double cpu, double mem)
{
	struct tree *tr = xcalloc(1, sizeof(*tr));
	struct node *site = node_new(NODE_SITE, "site", "site");
	struct node *host = node_new(NODE_HOST, "host:h", "h");
	struct node *ct = node_new(NODE_CONTAINER, "ct:h/app.scope", "app");

	ct->res.cpu_cores_allocated = 2;
	ct->res.cpu_cores_used = cpu;
	ct->res.mem_bytes_allocated = 4 * GIB;
	ct->res.mem_bytes_used = mem;
	node_add_child(host, ct);
	node_add_child(site, host);
	tr->root = site;
	tr->wall_ns = (uint64_t)t * NS_PER_S;
	return tr;
}

static void record(struct history *h, int64_t t, double cpu, double mem)
{
	struct tree *tr = make_tree(t, cpu, mem);
	struct errbuf err;

	ck_assert_int_eq(history_record(h, tr, &err), 0);
	tree_free(tr);
}

static int64_t sql_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void sql_exec(const char *sql)
{
	sqlite3 *db;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

struct seen {
	struct history_stats cpu, mem;
	int calls;
};

static void on_stats(const char *id, enum history_res r, const struct history_stats *s, void *arg)
{
	struct seen *seen = arg;

	if (strcmp(id, "ct:h/app.scope") != 0)
		return;
	seen->calls++;
	if (r == HISTORY_CPU)
		seen->cpu = *s;
	else
		seen->mem = *s;
}

START_TEST(bucket_start_floors)
{
	ck_assert_int_eq(history_bucket_start(0, 300), 0);
	ck_assert_int_eq(history_bucket_start(299, 300), 0);
	ck_assert_int_eq(history_bucket_start(300, 300), 300);
	ck_assert_int_eq(history_bucket_start(T0 + 3599, 3600), T0);
	ck_assert_int_eq(history_bucket_start(-1, 300), -300);
}
END_TEST

START_TEST(units_round_and_unknown)
{
	ck_assert_int_eq(history_to_units(HISTORY_CPU, 0.1), 100);
	ck_assert_int_eq(history_to_units(HISTORY_CPU, 1.9996), 2000);
	ck_assert_int_eq(history_to_units(HISTORY_MEM, GIB), 1024);
	ck_assert_int_eq(history_to_units(HISTORY_CPU, NAN), -1);
	ck_assert_int_eq(history_to_units(HISTORY_MEM, -5), -1);
	ck_assert(isnan(history_from_units(HISTORY_CPU, -1)));
	ck_assert_double_eq(history_from_units(HISTORY_MEM, 2), 2 * 1048576.0);
}
END_TEST

START_TEST(bucket_add_and_merge)
{
	struct history_cell a, b;

	history_cell_init(&a);
	history_cell_init(&b);
	history_bucket_add(&a.res[HISTORY_CPU], 100, 2000);
	history_bucket_add(&a.res[HISTORY_CPU], 300, -1); /* allocation unknown: kept */
	history_bucket_add(&a.res[HISTORY_CPU], -1, -1);  /* use unknown: not a sample */
	ck_assert_uint_eq(a.res[HISTORY_CPU].n, 2);
	ck_assert_uint_eq(a.res[HISTORY_CPU].sum, 400);
	ck_assert_uint_eq(a.res[HISTORY_CPU].max, 300);
	ck_assert_int_eq(a.res[HISTORY_CPU].alloc, 2000);
	history_bucket_add(&b.res[HISTORY_CPU], 500, 4000);
	history_bucket_merge(&a.res[HISTORY_CPU], &b.res[HISTORY_CPU]);
	ck_assert_uint_eq(a.res[HISTORY_CPU].n, 3);
	ck_assert_uint_eq(a.res[HISTORY_CPU].sum, 900);
	ck_assert_uint_eq(a.res[HISTORY_CPU].max, 500);
	ck_assert_int_eq(a.res[HISTORY_CPU].alloc, 4000);
	ck_assert_uint_eq(a.res[HISTORY_MEM].n, 0);
	ck_assert_int_eq(a.res[HISTORY_MEM].alloc, -1);
}
END_TEST

START_TEST(row_round_trip)
{
	struct history_row row, back;
	uint8_t blob[HISTORY_ROW_MAX_BYTES];

	history_row_init(&row, T0, 300, HISTORY_ROW_BUCKETS);
	for (size_t i = 0; i < HISTORY_ROW_BUCKETS; i += 2) {
		history_bucket_add(&row.slot[i].res[HISTORY_CPU], (int64_t)(i * 37), 2000);
		history_bucket_add(&row.slot[i].res[HISTORY_CPU], (int64_t)(i * 91), 2000);
		history_bucket_add(&row.slot[i].res[HISTORY_MEM], 700000 + (int64_t)i, i == 4 ? -1 : 4096);
	}
	history_bucket_add(&row.slot[11].res[HISTORY_MEM], UINT32_MAX, 8192);
	size_t len = history_row_encode(&row, blob);
	ck_assert_uint_le(len, HISTORY_ROW_MAX_BYTES);
	history_row_init(&back, T0, 300, HISTORY_ROW_BUCKETS);
	ck_assert_int_eq(history_row_decode(&back, blob, len), 0);
	ck_assert_mem_eq(back.slot, row.slot, sizeof(row.slot));
	/* an unchanged allocation costs a byte: 6 slots of 2 samples in ~8 bytes each */
	ck_assert_uint_lt(len, 6 * 2 * 8 + 16);
	/* malformed: cut short, or bytes after the end */
	ck_assert_int_eq(history_row_decode(&back, blob, len - 1), -1);
	blob[len] = 0;
	ck_assert_int_eq(history_row_decode(&back, blob, len + 1), -1);
	/* a slot past the row's end */
	history_row_init(&back, T0, 3600, 1);
	ck_assert_int_eq(history_row_decode(&back, blob, len), -1);
}
END_TEST

START_TEST(downsample_merges_a_row)
{
	struct history_row row;

	history_row_init(&row, T0, 300, HISTORY_ROW_BUCKETS);
	for (size_t i = 0; i < HISTORY_ROW_BUCKETS; i++)
		history_bucket_add(&row.slot[i].res[HISTORY_CPU], (int64_t)(100 + i), 2000);
	history_row_downsample(&row);
	ck_assert_uint_eq(row.n_slots, 1);
	ck_assert_int_eq(row.span, 3600);
	ck_assert_uint_eq(row.slot[0].res[HISTORY_CPU].n, 12);
	ck_assert_uint_eq(row.slot[0].res[HISTORY_CPU].sum, 12 * 100 + 66);
	ck_assert_uint_eq(row.slot[0].res[HISTORY_CPU].max, 111);
	ck_assert_int_eq(row.slot[0].res[HISTORY_CPU].alloc, 2000);
	ck_assert_uint_eq(row.slot[1].res[HISTORY_CPU].n, 0);
}
END_TEST

START_TEST(p95_from_bucket_maxes)
{
	struct history_acc a;
	struct history_stats s;
	struct history_bucket b;

	history_acc_init(&a);
	for (int i = 1; i <= 100; i++) {
		b = (struct history_bucket){.n = 1, .sum = (uint64_t)i * 10, .max = (uint64_t)i * 10,
					    .alloc = 2000};
		history_acc_add(&a, HISTORY_CPU, &b, T0 + 300 * i, 300, 300);
	}
	history_acc_finish(&a, T0 + 300 * 101, &s);
	ck_assert_double_eq_tol(s.p95, 0.95, 1e-9);
	ck_assert_double_eq_tol(s.peak_max, 1.0, 1e-9);
	/* mean of i*10 over 2000 mc: 505/2000 */
	ck_assert_double_eq_tol(s.avg_util, 505.0 / 2000.0, 1e-9);
	ck_assert_double_eq(s.observed_s, 300 * 100);
	history_acc_done(&a);

	/* a downsampled bucket weighs as its 12 fine ones: one coarse bucket
	 * at 1.0 core and 12 fine ones at 0.1 put the p95 at 1.0 */
	history_acc_init(&a);
	b = (struct history_bucket){.n = 12, .sum = 12000, .max = 1000, .alloc = 2000};
	history_acc_add(&a, HISTORY_CPU, &b, T0, 3600, 300);
	for (int i = 0; i < 12; i++) {
		b = (struct history_bucket){.n = 1, .sum = 100, .max = 100, .alloc = 2000};
		history_acc_add(&a, HISTORY_CPU, &b, T0 + 3600 + 300 * i, 300, 300);
	}
	history_acc_finish(&a, T0 + 7200, &s);
	ck_assert_double_eq_tol(s.p95, 1.0, 1e-9);
	ck_assert_double_eq_tol(s.avg_util, (12 * 0.5 + 12 * 0.05) / 24, 1e-9);
	history_acc_done(&a);

	/* nothing known: NaN, not 0 */
	history_acc_init(&a);
	history_acc_finish(&a, T0, &s);
	ck_assert(isnan(s.p95) && isnan(s.avg_util) && isnan(s.peak_max));
	history_acc_done(&a);
}
END_TEST

START_TEST(record_and_query)
{
	struct errbuf err;
	struct history *h;
	struct seen seen = {0};

	make_dir();
	h = history_open_writer(path, 300, HISTORY_DEFAULT_RETENTION_S, &err);
	ck_assert_msg(h != NULL, "%s", err.msg);
	/* two hours at one sample a minute: 0.5 of 2 cores, 1 GiB of 4 */
	for (int i = 0; i < 120; i++)
		record(h, T0 + 60 * i, i == 30 ? 1.5 : 0.5, GIB);
	ck_assert_int_eq(history_flush(h, &err), 0);
	history_close(h);

	/* 24 buckets in two rows; the host, with nothing known, has none */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM buckets"), 2);
	h = history_open_reader(path, &err);
	ck_assert_msg(h != NULL, "%s", err.msg);
	ck_assert_int_eq(history_query(h, T0 + 7200, 7200, on_stats, &seen, &err), 0);
	ck_assert_int_eq(seen.calls, 2);
	ck_assert_uint_eq(seen.cpu.samples, 120);
	ck_assert_double_eq_tol(seen.cpu.avg_util, (119 * 0.25 + 0.75) / 120, 1e-9);
	ck_assert_double_eq_tol(seen.cpu.p95, 0.5, 1e-9); /* one busy bucket of 24 */
	ck_assert_double_eq_tol(seen.cpu.peak_max, 1.5, 1e-9);
	ck_assert_double_eq(seen.cpu.observed_s, 7200);
	ck_assert_double_eq_tol(seen.mem.avg_util, 0.25, 1e-9);

	double series[4];
	ck_assert_int_eq(history_series(h, "ct:h/app.scope", HISTORY_CPU, T0 + 3600, 900, series, 4, &err),
			 0);
	ck_assert_double_eq_tol(series[0], 0.5, 1e-9);
	ck_assert_double_eq_tol(series[2], (14 * 0.5 + 1.5) / 15, 1e-9);
	ck_assert_int_eq(history_series(h, "ct:h/app.scope", HISTORY_CPU, T0 + 14400, 900, series, 4, &err),
			 0);
	ck_assert(isnan(series[0]) && isnan(series[3]));
	history_close(h);
	remove_dir();
}
END_TEST

START_TEST(downsample_and_retention)
{
	struct errbuf err;
	struct history *h;
	struct seen seen = {0};

	make_dir();
	h = history_open_writer(path, 300, 10 * 86400.0, &err);
	ck_assert_ptr_nonnull(h);
	/* one sample every 5 minutes for 3 days */
	for (int64_t t = T0; t < T0 + 3 * 86400; t += 300)
		record(h, t, 0.2, GIB);
	ck_assert_int_eq(history_flush(h, &err), 0);
	/* 72 rows; the first day's (older than 2 days) are hourly */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM buckets b JOIN nodes n ON n.id = b.node"
				 " WHERE n.name = 'ct:h/app.scope'"),
			 72);
	ck_assert_int_ge(sql_int("SELECT count(*) FROM buckets WHERE span = 3600"), 23);
	ck_assert_int_le(sql_int("SELECT count(*) FROM buckets WHERE span = 3600"), 24);
	ck_assert_int_eq(sql_int("SELECT max(t) FROM buckets WHERE span = 3600") < T0 + 86400 + 3600, 1);
	history_close(h);

	/* every sample is still counted across both resolutions */
	h = history_open_reader(path, &err);
	ck_assert_int_eq(history_query(h, T0 + 3 * 86400, 3 * 86400, on_stats, &seen, &err), 0);
	ck_assert_uint_eq(seen.cpu.samples, 3 * 288);
	ck_assert_double_eq_tol(seen.cpu.avg_util, 0.1, 1e-9);
	ck_assert_double_eq(seen.cpu.observed_s, 3 * 86400);
	history_close(h);

	/* 11 days on, the old days are past retention: deleted */
	h = history_open_writer(path, 300, 10 * 86400.0, &err);
	record(h, T0 + 11 * 86400, 0.2, GIB);
	record(h, T0 + 11 * 86400 + 300, 0.2, GIB);
	history_close(h);
	ck_assert_int_eq(sql_int("SELECT min(t) FROM buckets"), T0 + 86400);
	remove_dir();
}
END_TEST

START_TEST(schema_version_newer_is_refused)
{
	struct errbuf err;
	struct history *h;

	make_dir();
	h = history_open_writer(path, 300, 0, &err);
	ck_assert_ptr_nonnull(h);
	history_close(h);
	ck_assert_int_eq(sql_int("PRAGMA user_version"), HISTORY_SCHEMA_VERSION);
	sql_exec("PRAGMA user_version = 99");
	h = history_open_writer(path, 300, 0, &err);
	ck_assert_ptr_null(h);
	ck_assert_msg(strstr(err.msg, "schema version 99 is newer") != NULL, "%s", err.msg);
	h = history_open_reader(path, &err);
	ck_assert_ptr_null(h);
	ck_assert_msg(strstr(err.msg, "newer") != NULL, "%s", err.msg);
	/* the file is left as it is: a newer glass's store */
	ck_assert_int_eq(sql_int("PRAGMA user_version"), 99);
	remove_dir();
}
END_TEST

START_TEST(bucket_width_kept_by_the_store)
{
	struct errbuf err;
	struct history *h;

	make_dir();
	h = history_open_writer(path, 60, 0, &err);
	ck_assert_int_eq(history_bucket_width(h), 60);
	history_close(h);
	h = history_open_writer(path, 300, 0, &err);
	ck_assert_int_eq(history_bucket_width(h), 60);
	history_close(h);
	remove_dir();
}
END_TEST

static int count_corrupt(void)
{
	char pat[160];
	glob_t g;
	int n;

	snprintf(pat, sizeof(pat), "%s.corrupt-*", path);
	if (glob(pat, 0, NULL, &g) != 0)
		return 0;
	n = 0;
	for (size_t i = 0; i < g.gl_pathc; i++)
		if (!strstr(g.gl_pathv[i], "-wal") && !strstr(g.gl_pathv[i], "-shm"))
			n++;
	globfree(&g);
	return n;
}

START_TEST(corrupt_file_moved_aside)
{
	struct errbuf err;
	struct history *h;
	FILE *f;

	make_dir();
	f = fopen(path, "w");
	for (int i = 0; i < 300; i++)
		fputs("not a database at all ", f);
	fclose(f);
	/* a reader leaves it alone, and says why */
	h = history_open_reader(path, &err);
	ck_assert_ptr_null(h);
	ck_assert_msg(strstr(err.msg, "not a database") != NULL, "%s", err.msg);
	ck_assert_int_eq(count_corrupt(), 0);
	/* a writer moves it aside and makes a new store */
	h = history_open_writer(path, 300, 0, &err);
	ck_assert_msg(h != NULL, "%s", err.msg);
	ck_assert_int_eq(count_corrupt(), 1);
	record(h, T0, 0.1, GIB);
	ck_assert_int_eq(history_flush(h, &err), 0);
	history_close(h);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM buckets"), 1);
	remove_dir();
}
END_TEST

START_TEST(truncated_file_moved_aside)
{
	struct errbuf err;
	struct history *h;
	struct stat st;

	make_dir();
	h = history_open_writer(path, 300, 0, &err);
	/* many nodes' worth of pages */
	for (int64_t t = T0; t < T0 + 2 * 86400; t += 300)
		record(h, t, 0.2, GIB);
	for (int i = 0; i < 400; i++) {
		char id[32];
		struct tree *tr = make_tree(T0 + 2 * 86400, 0.1, GIB);
		snprintf(id, sizeof(id), "ct:h/n%d.scope", i);
		/* the same leaf under another id: a node's id is fixed
		 * at node_new, so a new node takes over what it holds */
		struct node **slot = &tr->root->children[0]->children[0];
		struct node *nc = node_new((*slot)->kind, id, (*slot)->name);
		const char *nid = nc->id, *nname = nc->name;
		*nc = **slot;
		nc->id = nid;
		nc->name = nname;
		idmap_key_unref((*slot)->id); /* what node_free would drop */
		free(*slot);
		*slot = nc;
		ck_assert_int_eq(history_record(h, tr, &err), 0);
		tree_free(tr);
	}
	history_close(h);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_gt(st.st_size, 4 * 4096);
	ck_assert_int_eq(truncate(path, st.st_size / 2), 0);
	h = history_open_writer(path, 300, 0, &err);
	ck_assert_msg(h != NULL, "%s", err.msg);
	ck_assert_int_eq(count_corrupt(), 1);
	history_close(h);
	remove_dir();
}
END_TEST

START_TEST(reader_of_a_missing_file)
{
	struct errbuf err;

	make_dir();
	ck_assert_ptr_null(history_open_reader(path, &err));
	ck_assert_str_eq(err.msg, "");
	ck_assert_int_eq(access(path, F_OK), -1); /* a reader makes nothing */
	remove_dir();
}
END_TEST

static struct node *find(struct node *n, const char *id)
{
	if (strcmp(n->id, id) == 0)
		return n;
	for (size_t i = 0; i < n->n_children; i++) {
		struct node *f = find(n->children[i], id);
		if (f)
			return f;
	}
	return NULL;
}

START_TEST(idle_seeded_from_history)
{
	struct idle_params params;
	struct idle_policy *p;
	struct tree *tr = make_tree(T0, 0.05, GIB);
	struct node *ct;

	idle_params_init(&params);
	params.window_s = 3 * 86400;
	p = idle_policy_new(&params);
	/* 3 days at 5% of 2 cores, p95 0.1, a daily peak of 0.3 */
	idle_policy_seed(p, "ct:h/app.scope", IDLE_RES_CPU, 0.05, 3 * 86400, 0.1, 0.3);
	/* a first tree without the node (its source not in yet) keeps the seed */
	struct tree *early = make_tree(T0, 0.05, GIB);
	node_free(early->root->children[0]);
	early->root->n_children = 0;
	idle_policy_apply(p, early, 999 * NS_PER_S);
	tree_free(early);
	idle_policy_apply(p, tr, 1000 * NS_PER_S);
	ct = find(tr->root, "ct:h/app.scope");
	ck_assert(ct->idle_cpu.idle);
	ck_assert(!ct->idle_cpu.provisional);
	ck_assert_double_eq(ct->idle_cpu.observed_s, 3 * 86400);
	ck_assert_double_eq_tol(ct->idle_cpu.utilization, 0.05, 1e-9);
	/* days of history: the max of daily peaks, rounded up to 0.1 core */
	ck_assert_double_eq_tol(ct->idle_cpu.right_size, 0.3, 1e-9);
	tree_free(tr);
	idle_policy_free(p);

	/* less than a day: the p95 with 25% headroom */
	p = idle_policy_new(&params);
	tr = make_tree(T0, 0.05, GIB);
	idle_policy_seed(p, "ct:h/app.scope", IDLE_RES_CPU, 0.05, 3600, 0.4, NAN);
	idle_policy_apply(p, tr, 1000 * NS_PER_S);
	ct = find(tr->root, "ct:h/app.scope");
	ck_assert_double_eq_tol(ct->idle_cpu.right_size, 0.5, 1e-9);
	tree_free(tr);
	idle_policy_free(p);
}
END_TEST

START_TEST(options_and_config_keys)
{
	struct options o;
	struct errbuf err;
	double v;
	char *argv[] = {"glass", "--history", "/tmp/x.db", "--no-history", "--window", "7d", NULL};
	const char *rc = "history.path = /srv/h.db\nhistory.retention = 10d\nhistory.bucket = 1m\n";

	ck_assert_int_eq(options_parse_duration("7d", &v, &err), 0);
	ck_assert_double_eq(v, 7 * 86400);
	ck_assert_int_eq(options_parse_duration("1.5d", &v, &err), 0);
	ck_assert_double_eq(v, 1.5 * 86400);
	ck_assert_int_eq(options_parse_duration("400d", &v, &err), -1);
	ck_assert_int_eq(options_parse_duration("3w", &v, &err), -1);

	options_init(&o);
	ck_assert_int_eq(options_parse(&o, 6, argv, &err), OPTIONS_RUN);
	ck_assert_str_eq(o.history_path, "/tmp/x.db");
	ck_assert(o.history_named && o.no_history);
	ck_assert_double_eq(o.idle_window_s, 7 * 86400);
	/* the command line's --history wins over history.path */
	ck_assert_int_eq(config_apply_text(&o, "rc", rc, strlen(rc), &err), 0);
	ck_assert_str_eq(o.history_path, "/tmp/x.db");
	ck_assert_double_eq(o.history_retention_s, 10 * 86400);
	ck_assert_double_eq(o.history_bucket_s, 60);
	options_done(&o);

	options_init(&o);
	ck_assert(!o.history_named && o.history_path == NULL);
	ck_assert_double_eq(o.history_retention_s, HISTORY_DEFAULT_RETENTION_S);
	ck_assert_int_eq(config_apply_text(&o, "rc", rc, strlen(rc), &err), 0);
	ck_assert_str_eq(o.history_path, "/srv/h.db");
	ck_assert(o.history_named);
	const char *bad = "history.bucket = 7\n";
	ck_assert_int_eq(config_apply_text(&o, "rc", bad, strlen(bad), &err), -1);
	ck_assert_msg(strstr(err.msg, "divides an hour") != NULL, "%s", err.msg);
	bad = "history.path = rel.db\n";
	ck_assert_int_eq(config_apply_text(&o, "rc", bad, strlen(bad), &err), -1);
	options_done(&o);
}
END_TEST

static Suite *history_suite(void)
{
	Suite *s = suite_create("history");
	TCase *pure = tcase_create("pure");
	TCase *store = tcase_create("store");

	tcase_add_test(pure, bucket_start_floors);
	tcase_add_test(pure, units_round_and_unknown);
	tcase_add_test(pure, bucket_add_and_merge);
	tcase_add_test(pure, row_round_trip);
	tcase_add_test(pure, downsample_merges_a_row);
	tcase_add_test(pure, p95_from_bucket_maxes);
	tcase_add_test(pure, idle_seeded_from_history);
	tcase_add_test(pure, options_and_config_keys);
	suite_add_tcase(s, pure);
	tcase_set_timeout(store, 60);
	tcase_add_test(store, record_and_query);
	tcase_add_test(store, downsample_and_retention);
	tcase_add_test(store, schema_version_newer_is_refused);
	tcase_add_test(store, bucket_width_kept_by_the_store);
	tcase_add_test(store, corrupt_file_moved_aside);
	tcase_add_test(store, truncated_file_moved_aside);
	tcase_add_test(store, reader_of_a_missing_file);
	suite_add_tcase(s, store);
	return s;
}

UNIT_MAIN(history_suite)
