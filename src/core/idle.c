#include "glass/idle.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/clock.h"
#include "glass/idmap.h"
#include "glass/strbuf.h"
#include "glass/value.h"
#include "glass/xalloc.h"

#define GIB (1024.0 * 1024.0 * 1024.0)
#define HINT_MEM_STEP (256.0 * 1024.0 * 1024.0)
#define HINT_CONTAINER_CPU_STEP 0.1
#define HINT_VM_CPU_STEP 1.0

/* The p95 of n slot peaks (nearest rank, as idle_quantile takes it) is
 * the k-th largest for k = n - ceil(0.95 n) + 1: at most 4 for n <= 60. */
#define P95_K_MAX 4
_Static_assert(IDLE_HISTORY_SLOTS <= 64 && IDLE_HISTORY_SLOTS - ((95 * IDLE_HISTORY_SLOTS + 99) / 100) + 1 <= P95_K_MAX,
	       "the slot mask is 64 bits; k must stay within P95_K_MAX");

/* The history of one resource of one node.
 *
 * Peaks of `used`, one per time slot of window / IDLE_HISTORY_SLOTS: a
 * bounded memory whatever the refresh rate.  Which slots of the window
 * had a sample is a bit mask; of their peaks, only those a p95 can still
 * need are kept.  The window is always the newest slots, so a peak with
 * P95_K_MAX newer ones at least as high is never the k-th largest of any
 * window it is in (its newer ones are in it too), and it is dropped
 * when the block is full (until then it is harmless: it is never the
 * answer).  A
 * steady or rising use keeps 4 peaks, a noisy one about 15, a falling one
 * at worst all 60: the p95 is the one the 60 slots would give, in a
 * fraction of their memory at fleet size.  The time (mono) never goes
 * back: a CLOCK_MONOTONIC reading. */
struct res_track {
	double avg; /* of utilization */
	/* history_p95's last answer, good while the window stays in slot
	 * p95_slot (0: none) and no peak rises above it */
	double p95;
	uint64_t p95_slot;
	uint64_t last_slot; /* slot number + 1 of the newest peak; 0 = none */
	uint64_t filled;    /* bit j: slot last_slot - j had a sample */
	/* the kept peaks, oldest first (the newest is last_slot's); their
	 * slot numbers modulo IDLE_HISTORY_SLOTS follow at slot60(rt) */
	double *peak;
	uint8_t n_peaks, cap_peaks;
	bool has_avg;
};

/* What the history store said of a node (idle_policy_seed): only nodes
 * it knew have one, so it is kept apart from the track. */
struct res_seed {
	bool seeded;
	double p95;
	double peak_max; /* NaN: less than a day of history */
};

struct track_seed {
	double observed_s; /* how long history watched it */
	struct res_seed cpu, mem;
};

struct track {
	uint64_t gen;
	uint64_t first_mono;
	uint64_t last_mono;
	struct track_seed *seed; /* NULL: history knew nothing of it */
	bool fresh;              /* seeded, no live sample yet */
	struct res_track cpu;
	struct res_track mem;
};

/* Tracks live in their idmap entries (idmap_add_inline): only their
 * peaks are theirs to free. */
static void track_free_peaks(void *p)
{
	struct track *t = p;

	free(t->cpu.peak);
	free(t->mem.peak);
	free(t->seed);
}

struct idle_policy {
	struct idle_params params;
	struct idmap *tracks; /* node id -> struct track */
	uint64_t gen;
	size_t n_fresh; /* tracks seeded and not yet sampled */
	/* The entry each node of the last tree had, in walk order
	 * (idmap_get_hinted): trees come in the same order refresh after
	 * refresh.  All live while idmap_removed(tracks) is the stamp;
	 * positions from n_hint on are NULL. */
	struct idmap_entry **hint;
	size_t n_hint, cap_hint;
	uint64_t stamp;
	/* an entry's bytes from its start to its track's end, measured on
	 * the first one made: what the walk asks ahead for */
	size_t entry_bytes;
};

void idle_params_init(struct idle_params *p)
{
	*p = (struct idle_params){
		.window_s = IDLE_DEFAULT_WINDOW_S,
		.threshold = IDLE_DEFAULT_THRESHOLD,
		.cost_core_month = GLASS_UNKNOWN,
		.cost_gib_month = GLASS_UNKNOWN,
		.currency = NULL,
	};
}

struct idle_policy *idle_policy_new(const struct idle_params *params)
{
	struct idle_policy *p = xcalloc(1, sizeof(*p));

	p->params = *params;
	p->tracks = idmap_new_borrowing(); /* the nodes' ids */
	return p;
}

void idle_policy_free(struct idle_policy *p)
{
	if (!p)
		return;
	idmap_free(p->tracks, track_free_peaks);
	free(p->hint);
	free(p);
}

double idle_ewma_step(double avg, double sample, double dt_s, double window_s)
{
	if (!value_known(avg))
		return sample; /* the first tick counts fully */
	if (dt_s <= 0 || window_s <= 0)
		return avg;
	double alpha = 1.0 - exp(-dt_s / window_s);
	return avg + alpha * (sample - avg);
}

bool idle_is_below(double avg_utilization, double threshold)
{
	return value_known(avg_utilization) && avg_utilization < threshold;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double idle_quantile(double *values, size_t n, double q)
{
	if (n == 0)
		return GLASS_UNKNOWN;
	qsort(values, n, sizeof(*values), cmp_double);
	double rank = ceil(q * (double)n);
	size_t i = rank < 1 ? 0 : (size_t)rank - 1;
	return values[i < n ? i : n - 1];
}

double idle_round_up(double v, double step)
{
	if (!value_known(v) || step <= 0)
		return GLASS_UNKNOWN;
	/* A tiny epsilon keeps 4.0000000001 steps from becoming 5. */
	double steps = ceil(v / step - 1e-9);
	return (steps < 1 ? 1 : steps) * step;
}

double idle_right_size(double peak, double step)
{
	return idle_round_up(value_known(peak) ? peak * IDLE_HINT_HEADROOM : peak, step);
}

void idle_policy_seed(struct idle_policy *p, const char *id, enum idle_resource r, double avg_util,
		      double observed_s, double p95, double daily_peak_max)
{
	struct track *t = idmap_get(p->tracks, id);

	if (!t) {
		const char *key = idmap_key_new(id);
		t = idmap_add_inline(p->tracks, key, sizeof(*t));
		idmap_key_unref(key);
		t->fresh = true;
		p->n_fresh++;
	}
	if (!t->seed)
		t->seed = xcalloc(1, sizeof(*t->seed));
	if (observed_s > t->seed->observed_s)
		t->seed->observed_s = observed_s;
	struct res_track *rt = r == IDLE_RES_CPU ? &t->cpu : &t->mem;
	struct res_seed *rs = r == IDLE_RES_CPU ? &t->seed->cpu : &t->seed->mem;
	rs->seeded = true;
	rs->p95 = p95;
	rs->peak_max = daily_peak_max;
	if (value_known(avg_util)) {
		rt->avg = avg_util;
		rt->has_avg = true;
	}
}

static double max_known(double a, double b)
{
	if (!value_known(a))
		return b;
	return value_known(b) && b > a ? b : a;
}

static bool node_is_off(const struct node *n)
{
	return n->kind == NODE_VM && n->state &&
	       (strncmp(n->state, "shut", 4) == 0 || strcmp(n->state, "crashed") == 0);
}

/* Kinds whose allocation is capacity that could be handed back. */
static bool node_holds_capacity(const struct node *n)
{
	return n->kind == NODE_HOST || n->kind == NODE_VM || n->kind == NODE_CONTAINER;
}

static uint64_t slot_at(uint64_t mono, double window_s)
{
	double slot_s = window_s / IDLE_HISTORY_SLOTS;

	return (uint64_t)((double)mono / (double)NS_PER_S / slot_s) + 1;
}

static uint8_t *slot60(const struct res_track *rt)
{
	return (uint8_t *)(rt->peak + rt->cap_peaks);
}

/* How many slots before last_slot kept peak i is. */
static unsigned peak_age(const struct res_track *rt, size_t i)
{
	unsigned last = (unsigned)(rt->last_slot % IDLE_HISTORY_SLOTS);

	return (last + IDLE_HISTORY_SLOTS - slot60(rt)[i]) % IDLE_HISTORY_SLOTS;
}

/* Room for `want` kept peaks: one block of cap doubles, then cap slot
 * bytes.  It grows and shrinks PEAKS_STEP at a time, and shrinks as
 * soon as a whole step is free after a prune: a noisy use keeps 10-20
 * peaks, and the slack of a doubling block (or of two steps) would be a
 * fifth of the track. */
#define PEAKS_STEP 4
static void peaks_reserve(struct res_track *rt, size_t want)
{
	size_t cap = rt->cap_peaks;

	if (want <= cap && want + PEAKS_STEP > cap)
		return;
	cap = (want + PEAKS_STEP - 1) / PEAKS_STEP * PEAKS_STEP;
	if (cap > IDLE_HISTORY_SLOTS)
		cap = IDLE_HISTORY_SLOTS;
	double *block = xmalloc(cap * (sizeof(double) + 1));
	uint8_t *slots = (uint8_t *)(block + cap);

	if (rt->n_peaks) {
		memcpy(block, rt->peak, rt->n_peaks * sizeof(double));
		memcpy(slots, slot60(rt), rt->n_peaks);
	}
	free(rt->peak);
	rt->peak = block;
	rt->cap_peaks = (uint8_t)cap;
}

/* The k highest values so far, top[0..*kept) in descending order: adds
 * v if there is room or it is above the k-th, and says whether it did. */
static inline bool top_k_add(double *top, size_t *kept, size_t k, double v)
{
	if (*kept == k && !(v > top[k - 1]))
		return false;
	size_t j = *kept < k ? (*kept)++ : k - 1;
	while (j > 0 && v > top[j - 1]) {
		top[j] = top[j - 1];
		j--;
	}
	top[j] = v;
	return true;
}

/* Keeps the peaks a p95 can still need: each with fewer than P95_K_MAX
 * newer peaks at least as high.  Newest first, the highest newer ones in
 * a small descending list.  Run when the block is full, not per sample:
 * a peak it would drop is never a window's answer anyway. */
static void peaks_prune(struct res_track *rt)
{
	double top[P95_K_MAX];
	bool keep[IDLE_HISTORY_SLOTS];
	size_t kept = 0, n = rt->n_peaks, out = 0;
	uint8_t *slots = slot60(rt);

	for (size_t i = n; i-- > 0;)
		keep[i] = top_k_add(top, &kept, P95_K_MAX, rt->peak[i]);
	for (size_t i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		rt->peak[out] = rt->peak[i];
		slots[out++] = slots[i];
	}
	rt->n_peaks = (uint8_t)out;
}

static void history_add(struct res_track *rt, double used, uint64_t mono, double window_s)
{
	uint64_t slot = slot_at(mono, window_s);

	if (rt->last_slot == slot) {
		double *newest = &rt->peak[rt->n_peaks - 1];

		if (!(used > *newest))
			return;
		*newest = used;
		/* a value that rises but stays at or below the p95 leaves
		 * every value above it, and so the p95, as they were */
		if (!(used <= rt->p95))
			rt->p95_slot = 0;
		return;
	}
	if (slot < rt->last_slot) {
		/* a clock that went back (never CLOCK_MONOTONIC): start over */
		rt->last_slot = 0;
		rt->n_peaks = 0;
	}
	uint64_t d = slot - rt->last_slot;
	size_t gone = 0;

	/* the peaks a window ending at `slot` no longer holds go: the
	 * oldest, before their slot numbers (modulo the window) alias */
	while (rt->last_slot && gone < rt->n_peaks && peak_age(rt, gone) + d >= IDLE_HISTORY_SLOTS)
		gone++;
	if (gone) {
		rt->n_peaks = (uint8_t)(rt->n_peaks - gone);
		memmove(rt->peak, rt->peak + gone, rt->n_peaks * sizeof(double));
		memmove(slot60(rt), slot60(rt) + gone, rt->n_peaks);
	}
	rt->filled = rt->last_slot && d < IDLE_HISTORY_SLOTS ? rt->filled << d : 0;
	rt->filled = (rt->filled & ((UINT64_C(1) << IDLE_HISTORY_SLOTS) - 1)) | 1;
	rt->last_slot = slot;
	if (rt->n_peaks == rt->cap_peaks) {
		peaks_prune(rt);
		peaks_reserve(rt, (size_t)rt->n_peaks + 1);
	}
	rt->peak[rt->n_peaks] = used;
	slot60(rt)[rt->n_peaks++] = (uint8_t)(slot % IDLE_HISTORY_SLOTS);
	rt->p95_slot = 0; /* one more value in the window */
}

static size_t popcount64(uint64_t v)
{
	v -= (v >> 1) & 0x5555555555555555ULL;
	v = (v & 0x3333333333333333ULL) + ((v >> 2) & 0x3333333333333333ULL);
	v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (size_t)((v * 0x0101010101010101ULL) >> 56);
}

/* The p95 of the window's slot peaks, by nearest rank as idle_quantile
 * takes it, without sorting: the value at rank ceil(0.95 n) is the k-th
 * largest for k = n - rank + 1 (at most 4 of 60), kept in a small
 * descending list.  Twice per node per refresh, where a sort of 60
 * values was most of the idle policy's cost at fleet size. */
static double history_p95(struct res_track *rt, uint64_t mono, double window_s)
{
	uint64_t now_slot = slot_at(mono, window_s);
	double top[P95_K_MAX];
	size_t n = 0, k, kept = 0;

	/* the same window as last time, no peak above its p95: the same p95
	 * (most refreshes: a slot is window/60, 5 s by default) */
	if (rt->p95_slot == now_slot)
		return rt->p95;
	rt->p95_slot = now_slot;

	uint64_t d = now_slot > rt->last_slot ? now_slot - rt->last_slot : 0;
	if (rt->last_slot && d < IDLE_HISTORY_SLOTS)
		n = popcount64(rt->filled & ((UINT64_C(1) << (IDLE_HISTORY_SLOTS - d)) - 1));
	if (n == 0)
		return rt->p95 = GLASS_UNKNOWN;
	double rank = ceil(0.95 * (double)n);
	size_t at = rank < 1 ? 0 : (size_t)rank - 1;
	k = n - (at < n ? at : n - 1);
	/* the window's peaks: all but an oldest few when no sample came
	 * since last_slot */
	size_t from = 0;
	while (d && from < rt->n_peaks && peak_age(rt, from) + d >= IDLE_HISTORY_SLOTS)
		from++;
	for (size_t i = from; i < rt->n_peaks; i++)
		top_k_add(top, &kept, k, rt->peak[i]);
	return rt->p95 = top[k - 1];
}

double idle_unused(double allocated, double utilization)
{
	if (!value_known(allocated) || !value_known(utilization))
		return GLASS_UNKNOWN;
	double u = utilization < 0 ? 0 : utilization > 1 ? 1 : utilization;
	return allocated * (1.0 - u);
}

static void judge(const struct idle_policy *p, struct res_track *rt, const struct res_seed *seed,
		  struct idle_flag *f, const struct node *n, double allocated, double used,
		  double dt_s, uint64_t mono, double observed_s, double hint_step)
{
	bool seeded = seed && seed->seeded;

	idle_flag_init_unknown(f);
	f->observed_s = observed_s;
	if (value_known(used) && value_known(allocated) && allocated > 0) {
		rt->avg = idle_ewma_step(rt->has_avg ? rt->avg : GLASS_UNKNOWN, used / allocated,
					 dt_s, p->params.window_s);
		rt->has_avg = true;
		history_add(rt, used, mono, p->params.window_s);
	}
	if (!value_known(allocated) || !(allocated > 0) || !rt->has_avg)
		return; /* unknown allocation: never flagged */
	f->utilization = rt->avg;
	f->peak = history_p95(rt, mono, p->params.window_s);
	if (seeded)
		f->peak = max_known(f->peak, seed->p95);
	/* A shut-off VM holds nothing while off: listed, not idle capacity. */
	f->idle = !node_is_off(n) && node_holds_capacity(n) &&
		  idle_is_below(rt->avg, p->params.threshold);
	/* A verdict on less than one window of watching is a guess. */
	f->provisional = f->idle && observed_s < p->params.window_s;
	f->idle_amount = f->idle ? idle_unused(allocated, rt->avg) : 0.0;
	if (f->idle && hint_step > 0) {
		/* days of history: the max of daily peaks (DESIGN.md §3) */
		f->right_size = seeded && value_known(seed->peak_max)
					? idle_round_up(max_known(seed->peak_max, f->peak), hint_step)
					: idle_right_size(f->peak, hint_step);
		/* a hint that would not shrink the allocation is no hint */
		if (value_known(f->right_size) && f->right_size >= allocated)
			f->right_size = GLASS_UNKNOWN;
	}
}

static double cpu_hint_step(const struct node *n)
{
	if (n->kind == NODE_VM)
		return HINT_VM_CPU_STEP;
	if (n->kind == NODE_CONTAINER)
		return HINT_CONTAINER_CPU_STEP;
	return 0; /* a host's cores are hardware: no hint */
}

static double known_or_zero(double v)
{
	return value_known(v) ? v : 0.0;
}

double idle_cost(const struct idle_params *p, double idle_cores, double idle_bytes)
{
	bool core = value_known(p->cost_core_month), gib = value_known(p->cost_gib_month);

	if (!core && !gib)
		return GLASS_UNKNOWN;
	return (core ? idle_cores * p->cost_core_month : 0.0) +
	       (gib ? idle_bytes / GIB * p->cost_gib_month : 0.0);
}

/* One walk of a tree: where it is in the hint list, how many tracks it
 * has seen. */
struct walk {
	size_t at;
	size_t seen;
};

static struct idmap_entry **next_hint(struct idle_policy *p, struct walk *w)
{
	if (w->at == p->cap_hint) {
		size_t cap = p->cap_hint ? p->cap_hint + p->cap_hint / 64 + 16 : 64;

		p->hint = xreallocarray(p->hint, cap, sizeof(*p->hint));
		memset(p->hint + p->cap_hint, 0, (cap - p->cap_hint) * sizeof(*p->hint));
		p->cap_hint = cap;
	}
	return &p->hint[w->at++];
}

/* At fleet size every node's fields, its track's entry and its peak
 * blocks are cache misses, and the walk is a chain of them: ask for
 * them ahead.  The hints are in walk order, so the entry APPLY_AHEAD
 * places on is the one the walk will want then (or a live entry that
 * is not: a wasted fetch, no harm). */
#define APPLY_AHEAD 8

static void prefetch_lines(const void *p, size_t bytes)
{
	for (size_t at = 0; p && at < bytes; at += 64)
		__builtin_prefetch((const char *)p + at);
}

static void prefetch_node(const struct node *n)
{
	__builtin_prefetch(&n->id);
	__builtin_prefetch(&n->kind);
	prefetch_lines(&n->res, sizeof(n->res));
	prefetch_lines(&n->idle_cpu, sizeof(n->idle_cpu) * 2 + sizeof(n->idle_cost_month));
}

static void apply_node(struct idle_policy *p, struct walk *w, struct node *n, uint64_t now)
{
	if (w->at + APPLY_AHEAD < p->n_hint)
		prefetch_lines(p->hint[w->at + APPLY_AHEAD], p->entry_bytes);
	struct idmap_entry **hint = next_hint(p, w);
	struct track *t = idmap_get_hinted(p->tracks, n->id, hint);
	double dt_s = 0;

	if (t) {
		__builtin_prefetch(t->cpu.peak);
		__builtin_prefetch(t->mem.peak);
	}

	if (!t) {
		t = idmap_add_inline_hinted(p->tracks, n->id, sizeof(*t), hint);
		t->first_mono = now;
		t->last_mono = now;
	} else if (t->fresh) {
		/* seeded from history: the first live sample starts the clock */
		t->fresh = false;
		p->n_fresh--;
		t->first_mono = now;
		t->last_mono = now;
	} else if (now > t->last_mono) {
		dt_s = (double)(now - t->last_mono) / (double)NS_PER_S;
	}
	t->last_mono = now;
	if (!p->entry_bytes) /* *hint is t's entry, found or made */
		p->entry_bytes = (size_t)((const char *)(t + 1) - (const char *)*hint);
	if (t->gen != p->gen)
		w->seen++;
	t->gen = p->gen;
	double observed = (t->seed ? t->seed->observed_s : 0) +
			  (double)(now - t->first_mono) / (double)NS_PER_S;
	judge(p, &t->cpu, t->seed ? &t->seed->cpu : NULL, &n->idle_cpu, n,
	      n->res.cpu_cores_allocated, n->res.cpu_cores_used, dt_s, now, observed,
	      cpu_hint_step(n));
	/* a paused guest's balloon figures are frozen: no new sample */
	double mem_used = n->res.mem_source && strcmp(n->res.mem_source, "guest-stale") == 0
				  ? GLASS_UNKNOWN
				  : n->res.mem_bytes_used;
	judge(p, &t->mem, t->seed ? &t->seed->mem : NULL, &n->idle_mem, n,
	      n->res.mem_bytes_allocated, mem_used, dt_s, now, observed,
	      n->kind == NODE_HOST ? 0 : HINT_MEM_STEP);
	n->idle_cost_month = idle_cost(&p->params, known_or_zero(n->idle_cpu.idle_amount),
				       known_or_zero(n->idle_mem.idle_amount));
	for (size_t i = 0; i < n->n_children; i++) {
		/* a node's id once its first line (asked for two nodes
		 * ago) is in */
		if (i + 3 < n->n_children)
			prefetch_node(n->children[i + 3]);
		if (i + 1 < n->n_children)
			__builtin_prefetch(n->children[i + 1]->id);
		apply_node(p, w, n->children[i], now);
	}
}

/* ---- rollups (DESIGN.md §3) ---- */

static bool node_is_holder(const struct node *n)
{
	return (n->kind == NODE_VM || n->kind == NODE_CONTAINER) && !node_is_off(n);
}

/* Walks a host's subtree and sums what its top-level holders hold: per
 * resource, the first holder on the way down with a known allocation
 * holds it, and nothing inside it counts again (a container inside a
 * flagged VM is flagged, never added twice).  Marks the flags it sums. */
static void sum_holders(struct node *n, struct rollup *r, bool cpu_held, bool mem_held)
{
	bool holder = node_is_holder(n);
	bool counted = false;

	if (n->kind == NODE_VM && node_is_off(n))
		return;
	if (holder && !cpu_held && value_known(n->res.cpu_cores_allocated)) {
		r->cpu.allocated += n->res.cpu_cores_allocated;
		cpu_held = true;
		if (n->idle_cpu.idle) {
			n->idle_cpu.counted = true;
			r->cpu.slack += n->idle_cpu.idle_amount;
			counted = true;
		}
	}
	if (holder && !mem_held && value_known(n->res.mem_bytes_allocated)) {
		r->mem.allocated += n->res.mem_bytes_allocated;
		mem_held = true;
		if (n->idle_mem.idle) {
			n->idle_mem.counted = true;
			r->mem.slack += n->idle_mem.idle_amount;
			counted = true;
		}
	}
	if (counted)
		r->idle_holders++;
	for (size_t i = 0; i < n->n_children; i++)
		sum_holders(n->children[i], r, cpu_held, mem_held);
}

/* What a guest's top-level holders were given: per resource, the first
 * holder down each path with a known allocation, as sum_holders counts a
 * host's. */
static void sum_inner(const struct node *n, double *cpu, double *mem, bool cpu_held, bool mem_held)
{
	if (node_is_holder(n)) {
		if (!cpu_held && value_known(n->res.cpu_cores_allocated)) {
			*cpu += n->res.cpu_cores_allocated;
			cpu_held = true;
		}
		if (!mem_held && value_known(n->res.mem_bytes_allocated)) {
			*mem += n->res.mem_bytes_allocated;
			mem_held = true;
		}
	}
	for (size_t i = 0; i < n->n_children; i++)
		sum_inner(n->children[i], cpu, mem, cpu_held, mem_held);
}

static double inner_unallocated(double vm, double given)
{
	if (!value_known(vm))
		return GLASS_UNKNOWN;
	return vm > given ? vm - given : 0.0;
}

/* A VM with a joined guest: the guest's own idle, its containers'
 * allocations against the VM's vCPUs and memory.  Shown, never summed:
 * the VM is the top-level holder and its slack is counted already. */
static void guest_inner(struct node *n)
{
	if (n->kind == NODE_VM && n->guest) {
		double cpu = 0, mem = 0;

		for (size_t i = 0; i < n->n_children; i++)
			sum_inner(n->children[i], &cpu, &mem, false, false);
		n->guest->inner_cpu_allocated = cpu;
		n->guest->inner_mem_allocated = mem;
		n->guest->inner_cpu_unallocated = inner_unallocated(n->res.cpu_cores_allocated, cpu);
		n->guest->inner_mem_unallocated = inner_unallocated(n->res.mem_bytes_allocated, mem);
	}
	for (size_t i = 0; i < n->n_children; i++)
		guest_inner(n->children[i]);
}

static void count_kinds(const struct node *n, struct rollup *r)
{
	switch (n->kind) {
	case NODE_VM:
		r->vms++;
		if (node_is_off(n))
			r->vms_off++;
		break;
	case NODE_CONTAINER:
		r->containers++;
		break;
	case NODE_GROUP:
		r->groups++;
		break;
	default:
		break;
	}
	for (size_t i = 0; i < n->n_children; i++)
		count_kinds(n->children[i], r);
}

/* One resource of one host: capacity C, average use U (from the policy's
 * utilization, so the figure is the window's, like the flags), the
 * allocation A its holders summed. */
static void host_res(struct rollup_res *rr, double capacity, struct idle_flag *f)
{
	rr->total = value_known(capacity) && capacity > 0 ? capacity : 0.0;
	rr->unallocated = rr->total > rr->allocated ? rr->total - rr->allocated : 0.0;
	rr->overcommit = rr->total > 0 ? rr->allocated / rr->total : GLASS_UNKNOWN;
	if (rr->total > 0 && value_known(f->utilization)) {
		rr->measured = rr->total;
		rr->idle = idle_unused(rr->total, f->utilization);
		rr->used = rr->total - rr->idle;
		if (f->idle) {
			f->counted = true;
			rr->idle_hosts = f->idle_amount;
		}
	} else {
		rr->used = rr->idle = GLASS_UNKNOWN;
		rr->hosts_unknown = 1;
	}
}

static double price(const struct idle_params *p, const struct rollup_res *cpu,
		    const struct rollup_res *mem, size_t field)
{
	double cores = *(const double *)((const char *)cpu + field);
	double bytes = *(const double *)((const char *)mem + field);

	return idle_cost(p, value_known(cores) ? cores : 0.0, value_known(bytes) ? bytes : 0.0);
}

static void rollup_prices(const struct idle_params *p, struct rollup *r)
{
	r->idle_cost_month = price(p, &r->cpu, &r->mem, offsetof(struct rollup_res, idle));
	r->slack_cost_month = price(p, &r->cpu, &r->mem, offsetof(struct rollup_res, slack));
}

static void rollup_host(const struct idle_policy *p, struct node *h)
{
	struct rollup *r = xcalloc(1, sizeof(*r));

	r->hosts = 1;
	for (size_t i = 0; i < h->n_children; i++)
		sum_holders(h->children[i], r, false, false);
	host_res(&r->cpu, h->res.cpu_cores_allocated, &h->idle_cpu);
	host_res(&r->mem, h->res.mem_bytes_allocated, &h->idle_mem);
	if (h->idle_cpu.counted || h->idle_mem.counted)
		r->idle_hosts = 1;
	count_kinds(h, r);
	rollup_prices(&p->params, r);
	free(h->rollup);
	h->rollup = r;
}

/* Sums that skip unknown parts; a sum of no known part stays unknown. */
static void add_known(double *to, double v)
{
	if (!value_known(v))
		return;
	*to = value_known(*to) ? *to + v : v;
}

static void add_res(struct rollup_res *to, const struct rollup_res *from)
{
	to->total += from->total;
	to->measured += from->measured;
	add_known(&to->used, from->used);
	add_known(&to->idle, from->idle);
	to->allocated += from->allocated;
	to->slack += from->slack;
	to->idle_hosts += from->idle_hosts;
	to->unallocated += from->unallocated;
	to->hosts_unknown += from->hosts_unknown;
}

static void rollup_site(const struct idle_policy *p, struct node *site)
{
	struct rollup *r = xcalloc(1, sizeof(*r));

	r->cpu.used = r->cpu.idle = GLASS_UNKNOWN;
	r->mem.used = r->mem.idle = GLASS_UNKNOWN;
	for (size_t i = 0; i < site->n_children; i++) {
		struct node *c = site->children[i];

		if (c->kind != NODE_HOST) {
			/* an orphan (its host vanished): counted, not rolled up */
			count_kinds(c, r);
			continue;
		}
		rollup_host(p, c);
		const struct rollup *h = c->rollup;
		add_res(&r->cpu, &h->cpu);
		add_res(&r->mem, &h->mem);
		r->idle_holders += h->idle_holders;
		r->idle_hosts += h->idle_hosts;
		r->hosts += h->hosts;
		r->vms += h->vms;
		r->vms_off += h->vms_off;
		r->containers += h->containers;
		r->groups += h->groups;
	}
	r->cpu.overcommit = r->cpu.total > 0 ? r->cpu.allocated / r->cpu.total : GLASS_UNKNOWN;
	r->mem.overcommit = r->mem.total > 0 ? r->mem.allocated / r->mem.total : GLASS_UNKNOWN;
	rollup_prices(&p->params, r);
	free(site->rollup);
	site->rollup = r;
}

static int keep_current(void *value, void *arg)
{
	const struct track *t = value;

	/* a seed waits for its node: the first trees may come before every
	 * source has reported */
	return t->fresh || t->gen == *(const uint64_t *)arg;
}

void idle_policy_apply(struct idle_policy *p, struct tree *t, uint64_t now_mono)
{
	struct walk w = {0, 0};

	p->gen++;
	if (p->stamp != idmap_removed(p->tracks))
		memset(p->hint, 0, p->n_hint * sizeof(*p->hint));
	apply_node(p, &w, t->root, now_mono);
	if (w.at < p->n_hint)
		memset(p->hint + w.at, 0, (p->n_hint - w.at) * sizeof(*p->hint));
	p->n_hint = w.at;
	/* a track neither seen nor waiting for its first sample goes */
	if (idmap_count(p->tracks) > w.seen + p->n_fresh)
		idmap_sweep(p->tracks, keep_current, &p->gen, track_free_peaks);
	/* the sweep kept every track this walk saw: the hints stay good */
	p->stamp = idmap_removed(p->tracks);
	rollup_site(p, t->root);
	guest_inner(t->root);
	t->idle_applied = true;
	t->idle_threshold = p->params.threshold;
	t->idle_window_s = p->params.window_s;
	t->currency = p->params.currency;
	t->cost_core_month = p->params.cost_core_month;
	t->cost_gib_month = p->params.cost_gib_month;
}

/* "61.2 of 92 cores (66%)": physical idle of the hosts whose use is
 * known, over their capacity; the hosts left out are named. */
static void add_physical(struct strbuf *sb, const struct rollup_res *rr, bool cpu,
			 const char *unknown)
{
	double scale = cpu ? 1.0 : GIB;
	const char *unit = cpu ? "cores" : "GiB";

	if (!(rr->total > 0)) {
		strbuf_addf(sb, "%s %s", unknown, unit); /* no capacity known */
	} else if (!value_known(rr->idle) || !(rr->measured > 0)) {
		strbuf_addf(sb, "%s of ", unknown);
		strbuf_addf(sb, cpu ? "%g %s" : "%.1f %s", rr->total / scale, unit);
	} else {
		strbuf_addf(sb, cpu ? "%.1f of %g %s (%.0f%%" : "%.1f of %.1f %s (%.0f%%",
			    rr->idle / scale, rr->measured / scale, unit,
			    100.0 * rr->idle / rr->measured);
		if (rr->hosts_unknown)
			strbuf_addf(sb, "; %zu host%s unknown", rr->hosts_unknown,
				    rr->hosts_unknown == 1 ? "" : "s");
		strbuf_addc(sb, ')');
	}
}

char *idle_summary_line(const struct rollup *r, bool utf8)
{
	struct strbuf sb;
	const char *sep = utf8 ? " \xc2\xb7 " : " - ";
	const char *unknown = utf8 ? "\xe2\x80\x94" : "-";

	strbuf_init(&sb);
	strbuf_adds(&sb, "idle: ");
	if (r->hosts == 0) {
		strbuf_adds(&sb, unknown);
		return strbuf_detach(&sb);
	}
	add_physical(&sb, &r->cpu, true, unknown);
	strbuf_adds(&sb, sep);
	add_physical(&sb, &r->mem, false, unknown);
	if (r->idle_holders)
		strbuf_addf(&sb, "%sin %zu idle VM%s/container%s: %.1f vCPU, %.1f GiB", sep,
			    r->idle_holders, r->idle_holders == 1 ? "" : "s",
			    r->idle_holders == 1 ? "" : "s", r->cpu.slack, r->mem.slack / GIB);
	if (r->cpu.allocated > 0 || r->mem.allocated > 0)
		strbuf_addf(&sb, "%sunallocated: %.1f cores, %.1f GiB", sep, r->cpu.unallocated,
			    r->mem.unallocated / GIB);
	if (r->idle_hosts)
		strbuf_addf(&sb, "%s%zu idle host%s", sep, r->idle_hosts,
			    r->idle_hosts == 1 ? "" : "s");
	/* what the idle capacity burns (power.h), where the power stage ran */
	if (r->idle_power.applied && value_known(r->idle_power.watts))
		strbuf_addf(&sb, r->idle_power.watts >= 1000 ? "%s%.1f kW idle" : "%s%.0f W idle", sep,
			    r->idle_power.watts >= 1000 ? r->idle_power.watts / 1000 : r->idle_power.watts);
	return strbuf_detach(&sb);
}
