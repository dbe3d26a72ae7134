/* fleet_cost RECORDING [REFRESHES]: the CPU of glass's model, idle policy
 * and rollups per refresh at fleet size.
 *
 * The first snapshot of RECORDING (tests/bench/fleet_gen.py: 1,000 hosts
 * x 100 containers) becomes one source's reading: every node with its
 * allocations and memory, its counters advancing at the recorded rates.
 * First the idle policy's window fills (IDLE_HISTORY_SLOTS refreshes, one
 * per slot of its peak history: the steady state of a glass that has run
 * for a window); then each refresh, 2 s apart on the model's clock, takes
 * the next reading (use moves from one reading to the next: memory by up
 * to +-20 %, CPU time by up to half a second, a seeded noise, so that the
 * idle policy's peak history holds varied values as a live fleet's does)
 * through what app_build_tree runs: model_build (ingest: the rate state;
 * the tree; its sort), the idle policy and its rollups, power and owner,
 * then frees the tree as the pane does for the previous one.  CPU time of
 * this thread (CLOCK_THREAD_CPUTIME_ID) per stage, the median of the
 * measured refreshes.  Making the
 * readings, which is the sources' work, is not counted.
 *
 * Then the heap glass holds per node in that steady state (mallinfo2's
 * bytes in use, chunk headers included, less what this program held
 * before the first refresh): the last tree and its reading, as the pane
 * and the board hold them, the model's rate state and build index, the
 * idle policy's tracks, the history store's open buckets (recording
 * into a scratch store, HISTORY, outside the timed part) and the TUI's
 * panel rows over the tree, every node open (its per-node state; the
 * detail pane's history follows only the rows on screen).  Each part is
 * what freeing it gives back.
 *
 * FLEET_KEYED=1: the readings hold their ids and parents as shared keys
 * (reading_add_node_keyed), as the Prometheus source's do: the keys are
 * the recording's (its ids), and the names are made once as keys that
 * outlive every reading, the source's own memory here, outside the
 * parts. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "glass/clock.h"
#include "glass/history.h"
#include "glass/idmap.h"
#include "glass/idle.h"
#include "glass/model.h"
#include "glass/owner.h"
#include "glass/power.h"
#include "glass/reading.h"
#include "glass/tui/panel.h"
#include "glass/snapshot_read.h"
#include "glass/value.h"

#define STEP_NS (2 * NS_PER_S)

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static uint64_t u64_of(double v)
{
	return value_known(v) && v >= 0 ? (uint64_t)v : GLASS_U64_UNKNOWN;
}

static uint64_t counter(double rate, double seconds, double scale)
{
	return value_known(rate) ? (uint64_t)(rate * seconds * scale) : GLASS_U64_UNKNOWN;
}

/* A noise in [0, 1) for one node at one refresh, the same every run. */
static double noise(uint64_t node, uint64_t refresh)
{
	uint64_t z = node * 0x9e3779b97f4a7c15ULL + refresh * 0xbf58476d1ce4e5b9ULL + 1;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

/* FLEET_KEYED: each node's name as a key, by its place in the walk */
static const char **name_keys;
static size_t n_name_keys;

static struct raw_node *add_node(struct reading *r, const struct node *n, const char *parent, uint64_t i)
{
	if (!name_keys)
		return reading_add_node(r, n->kind, n->id, parent, n->name);
	if (i >= n_name_keys) {
		name_keys = realloc(name_keys, (i + 1) * sizeof(*name_keys));
		for (; n_name_keys <= i; n_name_keys++)
			name_keys[n_name_keys] = NULL;
	}
	if (!name_keys[i])
		name_keys[i] = strcmp(n->name, n->id) == 0 ? NULL : idmap_key_new(n->name);
	return reading_add_node_keyed(r, n->kind, n->id, parent, name_keys[i]);
}

static void add_nodes(struct reading *r, const struct node *n, const char *parent, double t,
		      uint64_t refresh, uint64_t *index)
{
	if (n->kind != NODE_SITE) {
		uint64_t i = (*index)++;
		const struct resources *res = &n->res;
		struct raw_node *rn = add_node(r, n, parent, i);

		raw_node_set_state(rn, n->state);
		raw_node_set_runtime(rn, n->runtime);
		rn->cpu_cores_allocated = res->cpu_cores_allocated;
		/* a counter that starts well above 0, as a real one does */
		rn->cpu_time_ns = counter(res->cpu_cores_used, t + 1e5 + 0.5 * noise(i, refresh), 1e9);
		rn->mem_allocated = u64_of(res->mem_bytes_allocated);
		rn->mem_used = u64_of(res->mem_bytes_used * (0.8 + 0.4 * noise(~i, refresh)));
		rn->mem_source = value_known(res->mem_bytes_used) ? "cgroup" : NULL;
		rn->pids_current = 3;
		rn->disk_read_bytes = counter(4096, t + 1e5, 1);
		rn->disk_write_bytes = counter(8192, t + 1e5, 1);
	}
	for (size_t i = 0; i < n->n_children; i++)
		add_nodes(r, n->children[i], n->kind == NODE_SITE ? NULL : n->id, t, refresh, index);
}

/* Bytes the allocator has handed out and not had back. */
static double heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return (double)mi.uordblks + (double)mi.hblkhd;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n ? v[n / 2] : 0;
}

int main(int argc, char **argv)
{
	struct errbuf err;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;

	if (argc < 2) {
		fprintf(stderr, "usage: fleet_cost RECORDING [REFRESHES [HISTORY]]\n");
		return 2;
	}
	int refreshes = argc > 2 ? atoi(argv[2]) : 6;
	if (refreshes < 1)
		refreshes = 1;
	if (!(f = fopen(argv[1], "re")) || (len = getline(&line, &cap, f)) <= 0) {
		fprintf(stderr, "fleet_cost: %s: cannot read a snapshot\n", argv[1]);
		return 2;
	}
	fclose(f);
	errbuf_clear(&err);
	struct tree *snap = snapshot_parse(line, (size_t)len, &err);
	free(line);
	if (!snap) {
		fprintf(stderr, "fleet_cost: %s: %s\n", argv[1], err.msg);
		return 2;
	}
	if (getenv("FLEET_KEYED") && atoi(getenv("FLEET_KEYED")))
		name_keys = calloc(1, sizeof(*name_keys));
	double heap0 = heap_in_use();
	struct history *hist = NULL;
	if (argc > 3) {
		unlink(argv[3]);
		if (!(hist = history_open_writer(argv[3], 300, 35 * 86400.0, &err))) {
			fprintf(stderr, "fleet_cost: %s\n", err.msg);
			return 2;
		}
	}
	struct model_source src = {"fleet", "remote"};
	struct model *m = model_new(&src, 1);
	struct idle_params ip;
	idle_params_init(&ip);
	struct idle_policy *idle = idle_policy_new(&ip);
	struct power_params pp;
	power_params_init(&pp);
	struct owner_rules orules;
	memset(&orules, 0, sizeof(orules));
	double *build = calloc((size_t)refreshes, sizeof(double));
	double *pol = calloc((size_t)refreshes, sizeof(double));
	double *rest = calloc((size_t)refreshes, sizeof(double));
	double *total = calloc((size_t)refreshes, sizeof(double));
	size_t nodes = 0;
	struct tree *last = NULL;
	struct reading *last_r = NULL;
	struct tui_panel panel;
	tui_panel_init(&panel);

	/* FLEET_WARM: fewer refreshes before the measured ones, for a quick
	 * look at model_build (the idle figures need the whole window) */
	int warm = getenv("FLEET_WARM") ? atoi(getenv("FLEET_WARM")) : IDLE_HISTORY_SLOTS + 1;
	if (warm < 1)
		warm = 1;
	uint64_t slot_ns = (uint64_t)(ip.window_s / IDLE_HISTORY_SLOTS * (double)NS_PER_S);
	printf("filling the idle window: %d refreshes %.1f s apart\n", warm, (double)slot_ns / 1e9);
	for (int k = -warm; k < refreshes; k++) {
		uint64_t now = k < 0 ? (uint64_t)(k + warm + 1) * slot_ns
				     : (uint64_t)(warm + 1) * slot_ns + (uint64_t)(k + 1) * STEP_NS;
		struct reading *r = reading_new();
		r->mono_ns = now;
		uint64_t index = 0;
		add_nodes(r, snap->root, NULL, (double)now / 1e9, (uint64_t)(k + warm), &index);
		reading_seal(r); /* as board_publish does */
		struct board_slot_view view;
		memset(&view, 0, sizeof(view));
		view.reading = r;
		view.health = HEALTH_OK;
		view.last_ok_mono = now;

		/* the pane drops the previous tree before the new one comes */
		tui_panel_release(&panel);
		tree_free(last);
		reading_unref(last_r);
		last = NULL;
		last_r = NULL;
		double t0 = cpu_ms();
		struct tree *t = model_build(m, &view, now, 1795000000ull * NS_PER_S + now, 2.0);
		double t1 = cpu_ms();
		idle_policy_apply(idle, t, now);
		double t2 = cpu_ms();
		power_apply(&pp, t);
		owner_apply(&orules, t);
		nodes = t->n_nodes;
		double t3 = cpu_ms();
		if (hist && history_record(hist, t, &err) < 0)
			fprintf(stderr, "fleet_cost: history: %s\n", err.msg);
		tui_panel_rebuild(&panel, t);
		last = t;
		last_r = r;
		if (k < 0)
			continue;
		build[k] = t1 - t0;
		pol[k] = t2 - t1;
		rest[k] = t3 - t2;
		total[k] = t3 - t0;
		printf("refresh %d: %zu nodes: model_build %.1f ms, idle+rollups %.1f ms, "
		       "power+owner %.1f ms: %.1f ms CPU\n",
		       k + 1, nodes, build[k], pol[k], rest[k], total[k]);
	}
	size_t n = (size_t)refreshes;
	printf("median of %zu refreshes, %zu nodes: model_build %.1f ms, "
	       "idle+rollups %.1f ms, power+owner %.1f ms\n",
	       n, nodes, median(build, n), median(pol, n), median(rest, n));
	printf("FLEET_MS %.1f %zu\n", median(total, n), nodes);
	free(build);
	free(pol);
	free(rest);
	free(total);

	double heap = heap_in_use() - heap0, h0, h1, h2, h3, h4;
	tui_panel_done(&panel);
	h0 = heap_in_use();
	tree_free(last);
	h1 = heap_in_use();
	reading_unref(last_r);
	h2 = heap_in_use();
	idle_policy_free(idle);
	h3 = heap_in_use();
	model_free(m);
	h4 = heap_in_use();
	history_close(hist);
	double h5 = heap_in_use(), per = nodes ? (double)nodes : 1;
	printf("heap in steady state, %zu nodes: %.1f MiB, %.0f B per node: TUI panel %.0f, tree %.0f, "
	       "reading %.0f, idle tracks %.0f, model (rates, build index) %.0f, history %.0f, other %.0f\n",
	       nodes, heap / 1048576, heap / per, (heap0 + heap - h0) / per, (h0 - h1) / per, (h1 - h2) / per,
	       (h2 - h3) / per, (h3 - h4) / per, (h4 - h5) / per, (h5 - heap0) / per);
	printf("FLEET_HEAP %.0f %zu\n", heap / per, nodes);
	for (size_t i = 0; i < n_name_keys; i++)
		idmap_key_unref(name_keys[i]);
	free(name_keys);
	tree_free(snap);
	return 0;
}
