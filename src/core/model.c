#include "glass/model.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "glass/clock.h"
#include "glass/guest_join.h"
#include "glass/idmap.h"
#include "glass/metric.h"
#include "glass/rates.h"
#include "glass/source_table.h"
#include "glass/str_pool.h"
#include "glass/value.h"
#include "glass/xalloc.h"

struct dev_state {
	char *name;
	enum raw_dev_kind kind;
	uint64_t read_bytes, write_bytes;
	double read_bps, write_bps;
};

/* What the model keeps for one id: the last counters one source gave
 * and the rates they gave, one of each per rate row of the metric table
 * in its order; and where the tree being built holds the id (kept
 * between builds, so that the index of 100,000 nodes is not 100,000 new
 * entries every refresh, and one lookup per node finds both). */
struct rate_state {
	uint64_t gen; /* the slot's ingest generation that last saw this id */
	uint64_t mono;
	uint64_t counter[METRIC_RATES_MAX];
	double rate[METRIC_RATES_MAX];
	struct dev_state *devs;
	struct node *node; /* made by build `seq` */
	uint64_t seq;
	uint32_t slot;
	uint32_t n_devs;
	/* false: no source's counters (a new id, or one its source dropped
	 * while the build in progress holds its node) */
	bool has_rates;
};

/* The energy counters last seen for one id: kept apart from rate_state,
 * so a power source fills a node whose other counters another source
 * owns (RAPL beside the local host). */
struct energy_state {
	size_t slot;
	uint64_t gen;
	uint64_t mono;
	size_t n;
	uint64_t uj[RAW_ENERGY_MAX];
	double joules; /* summed deltas since the first reading */
	double watts;
};

struct slot_state {
	uint64_t gen;
	uint64_t last_mono; /* of the last reading ingested; 0: none */
	/* Per node of the source's last reading, in its order, the entry its
	 * id had in `rates` (idmap_get_hinted): a source lists
	 * its nodes in the same order every time, so the next reading finds
	 * each id by one key compare instead of a hash lookup.  Every entry
	 * in them is live while idmap_removed(rates) is still the
	 * stamp; positions from n_used on are NULL. */
	struct idmap_entry **hint;
	size_t n_used, cap;
	uint64_t stamp;
	/* the number of nodes of the reading whose ingest filled the hints;
	 * 0 when a build or a stale stamp changed them since */
	size_t n_ingested;
};

struct model {
	struct idmap *rates; /* id -> struct rate_state (sharing: a keyed reading's ids held) */
	struct idmap *energy; /* id -> struct energy_state */
	bool building; /* inside model_build, making build `seq` */
	const struct model_source *sources; /* (borrowed) */
	size_t n_sources;
	struct slot_state *slots;
	uint64_t seq;
	struct guest_policy guests;
};

/* At fleet size every node's reading, record and strings are far from
 * the cache, and one node's misses are one after the other: the loops
 * over a reading ask for the memory of a node some places ahead while
 * they work on this one (a prefetch never faults, whatever the address). */
#define AHEAD 8
#define ENTRY_BYTES 320 /* an idmap entry: its key, a rate state */

static void prefetch(const void *p, size_t bytes)
{
	for (size_t at = 0; p && at < bytes; at += 64)
		__builtin_prefetch((const char *)p + at);
}

/* Node i + AHEAD's record and reading, and node i + AHEAD / 2's id (its
 * reading is in the cache by then). */
static void prefetch_ahead(const struct slot_state *ss, const struct reading *r, size_t i)
{
	if (i + AHEAD < r->n_nodes) {
		prefetch(reading_node(r, i + AHEAD), sizeof(struct raw_node));
		prefetch(ss->hint[i + AHEAD], ENTRY_BYTES);
	}
	if (i + AHEAD / 2 < r->n_nodes)
		prefetch(reading_node(r, i + AHEAD / 2)->id, 64);
}

/* Does slot a speak for an id before slot b?  The one that measures it
 * most directly: by its type's rank in the source table, then slot order. */
static bool owns_before(const struct model *m, size_t a, size_t b)
{
	int ra = source_type_rank(m->sources[a].kind), rb = source_type_rank(m->sources[b].kind);

	return ra != rb ? ra < rb : a < b;
}

/* Rate states live in their idmap entries (idmap_add_inline): a rate
 * state frees only its devices.  Clearing leaves where the build holds
 * the id. */
static void rate_state_clear(void *p)
{
	struct rate_state *s = p;

	for (size_t i = 0; i < s->n_devs; i++)
		free(s->devs[i].name);
	free(s->devs);
	s->devs = NULL;
	s->n_devs = 0;
	s->gen = s->mono = 0;
	s->slot = 0;
	s->has_rates = false;
}

struct model *model_new(const struct model_source *sources, size_t n_sources)
{
	struct model *m = xcalloc(1, sizeof(*m));

	m->rates = idmap_new_sharing();
	m->energy = idmap_new();
	m->sources = sources;
	m->n_sources = n_sources;
	m->slots = xcalloc(n_sources ? n_sources : 1, sizeof(*m->slots));
	m->guests.match = GUEST_MATCH_DEFAULT;
	return m;
}

void model_set_guests(struct model *m, const struct guest_policy *policy)
{
	m->guests = *policy;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	idmap_free(m->rates, rate_state_clear);
	idmap_free(m->energy, free);
	for (size_t i = 0; i < m->n_sources; i++)
		free(m->slots[i].hint);
	free(m->slots);
	free(m);
}

static struct dev_state *find_dev(struct rate_state *s, const struct raw_dev *d)
{
	for (size_t i = 0; i < s->n_devs; i++)
		if (s->devs[i].kind == d->kind && strcmp(s->devs[i].name, d->name) == 0)
			return &s->devs[i];
	return NULL;
}

/* Device rates: matched by name, so a hot-plugged disk starts unknown. */
static void ingest_devs(struct rate_state *s, const struct raw_node *n, uint64_t dt)
{
	size_t n_devs = n->more ? n->more->n_devs : 0;

	if (n_devs == 0 && s->n_devs == 0)
		return; /* most nodes (containers): nothing to match */
	struct dev_state *devs = xcalloc(n_devs ? n_devs : 1, sizeof(*devs));

	for (size_t i = 0; i < n_devs; i++) {
		const struct raw_dev *d = &n->more->devs[i];
		struct dev_state *old = find_dev(s, d);

		devs[i].name = xstrdup(d->name);
		devs[i].kind = d->kind;
		devs[i].read_bytes = d->read_bytes;
		devs[i].write_bytes = d->write_bytes;
		devs[i].read_bps = old ? rate_per_second(old->read_bytes, d->read_bytes, dt) : GLASS_UNKNOWN;
		devs[i].write_bps = old ? rate_per_second(old->write_bytes, d->write_bytes, dt) : GLASS_UNKNOWN;
		if (!value_known(devs[i].read_bps))
			devs[i].read_bps = d->given_read_bps;
		if (!value_known(devs[i].write_bps))
			devs[i].write_bps = d->given_write_bps;
	}
	for (size_t i = 0; i < s->n_devs; i++)
		free(s->devs[i].name);
	free(s->devs);
	s->devs = devs;
	s->n_devs = (uint32_t)n_devs;
}

uint64_t model_energy_delta(uint64_t prev, uint64_t cur, uint64_t max)
{
	if (!value_u64_known(prev) || !value_u64_known(cur))
		return GLASS_U64_UNKNOWN;
	if (cur >= prev)
		return cur - prev;
	/* the counter passed its max and began again at 0 */
	if (value_u64_known(max) && prev <= max)
		return max - prev + cur;
	return GLASS_U64_UNKNOWN; /* a reset: no delta to trust */
}

/* Watts from a node's energy counters: the sum of every counter's delta
 * over the time between two readings; unknown when the set of counters
 * changed or one of them went back without a wrap. */
static void ingest_energy(struct model *m, size_t slot, uint64_t mono, const struct raw_node *n)
{
	struct energy_state *e = idmap_get(m->energy, n->id);
	double joules = 0;
	bool known;

	if (e && e->slot != slot) {
		if (owns_before(m, e->slot, slot) && e->gen == m->slots[e->slot].gen)
			return;
		free(idmap_put(m->energy, n->id, NULL));
		e = NULL;
	}
	if (!e) {
		e = xcalloc(1, sizeof(*e));
		e->joules = GLASS_UNKNOWN;
		idmap_put(m->energy, n->id, e);
	}
	const struct raw_energy *en = n->energy;

	known = e->mono && mono > e->mono && e->n == en->n;
	for (size_t i = 0; known && i < en->n; i++) {
		uint64_t d = model_energy_delta(e->uj[i], en->uj[i], en->max_uj[i]);
		if (!value_u64_known(d))
			known = false;
		else
			joules += (double)d / 1e6;
	}
	e->watts = known ? joules / ((double)(mono - e->mono) / (double)NS_PER_S) : GLASS_UNKNOWN;
	if (known)
		e->joules = (value_known(e->joules) ? e->joules : 0) + joules;
	e->n = en->n;
	memcpy(e->uj, en->uj, sizeof(e->uj));
	e->mono = mono;
	e->slot = slot;
	e->gen = m->slots[slot].gen;
}

/* Each rate row's rate from its counter's delta.  Where the counters give
 * no rate yet (a first reading, a reset), the rate a source already had:
 * a remote's first snapshot shows its rates.  The counters are kept. */
static void ingest_rates(struct rate_state *s, const struct raw_node *n, uint64_t dt)
{
	size_t n_metrics, k = 0;
	const struct metric *m = metrics_all(&n_metrics);

	for (size_t i = 0; i < n_metrics && k < METRIC_RATES_MAX; i++) {
		if (m[i].raw != METRIC_RAW_RATE)
			continue;
		uint64_t counter = metric_raw_u64(&m[i], n);
		double r = rate_per_second(s->counter[k], counter, dt);

		s->rate[k] = value_known(r) ? r / m[i].rate_scale : metric_raw_given(&m[i], n);
		s->counter[k++] = counter;
	}
}

/* A new rate state for the node's id, *hint its entry: the entry holds
 * the reading's key where the node's id is one (a source that keeps its
 * ids as keys: one copy of each id for the source, its readings, this
 * map and the tree), else a copy. */
static struct rate_state *rate_add(struct model *m, const struct raw_node *n, struct idmap_entry **hint)
{
	if (n->keyed)
		return idmap_add_inline_held(m->rates, n->id, sizeof(struct rate_state), hint);
	return idmap_add_inline_hinted(m->rates, n->id, sizeof(struct rate_state), hint);
}

/* Ingests one node; true when its hint was the entry of its id. */
static bool ingest_node(struct model *m, size_t slot, uint64_t mono, const struct raw_node *n,
			struct idmap_entry **hint)
{
	struct idmap_entry *was = *hint;
	struct rate_state *s = idmap_get_hinted(m->rates, n->id, hint);
	bool hit = was && *hint == was;
	uint64_t dt = 0;

	if (raw_node_n_energy(n))
		ingest_energy(m, slot, mono, n);
	/* Two sources report one id (qemu:///system beside the local host,
	 * two URIs to one hypervisor): the first source owns it, as in
	 * model_build, and the other's counters never mix into its rates. */
	if (s && s->has_rates && s->slot != slot) {
		if (owns_before(m, s->slot, slot) && s->gen == m->slots[s->slot].gen)
			return hit;
		rate_state_clear(s);
	}
	if (!s)
		s = rate_add(m, n, hint);
	if (!s->has_rates) {
		/* First sample: no previous counters, every rate unknown. */
		for (size_t k = 0; k < METRIC_RATES_MAX; k++)
			s->counter[k] = GLASS_U64_UNKNOWN;
	} else if (mono > s->mono) {
		dt = mono - s->mono;
	}
	ingest_rates(s, n, dt);
	ingest_devs(s, n, dt);
	s->mono = mono;
	s->slot = (uint32_t)slot;
	s->gen = m->slots[slot].gen;
	s->has_rates = true;
	return hit;
}

struct sweep_arg {
	size_t slot;
	uint64_t gen;
	const struct model *m;
};

static int keep_seen(void *value, void *arg)
{
	struct rate_state *s = value;
	const struct sweep_arg *a = arg;
	/* the build in progress holds its node: the id stays, without the
	 * counters its source no longer gives */
	bool held = a->m->building && s->seq == a->m->seq;

	if (!s->has_rates)
		return held;
	if (s->slot != a->slot || s->gen == a->gen)
		return 1;
	if (held)
		rate_state_clear(s);
	return held;
}

static int keep_energy_seen(void *value, void *arg)
{
	const struct energy_state *e = value;
	const struct sweep_arg *a = arg;

	return e->slot != a->slot || e->gen == a->gen;
}

/* Room for n hints; every hint whose map removed an entry since its
 * stamp is dropped (it may be gone). */
static void slot_hints(struct model *m, struct slot_state *ss, size_t n)
{
	if (n > ss->cap) {
		size_t cap = n + n / 64;

		ss->hint = xreallocarray(ss->hint, cap, sizeof(*ss->hint));
		memset(ss->hint + ss->n_used, 0, (cap - ss->n_used) * sizeof(*ss->hint));
		ss->cap = cap;
	}
	if (n < ss->n_used)
		memset(ss->hint + n, 0, (ss->n_used - n) * sizeof(*ss->hint));
	ss->n_used = n;
	if (ss->stamp != idmap_removed(m->rates)) {
		memset(ss->hint, 0, n * sizeof(*ss->hint));
		ss->stamp = idmap_removed(m->rates);
		ss->n_ingested = 0;
	}
}

void model_ingest(struct model *m, size_t slot, const struct reading *r)
{
	struct slot_state *ss;

	if (!r || slot >= m->n_sources)
		return;
	ss = &m->slots[slot];
	if (r->mono_ns <= ss->last_mono)
		return;
	ss->last_mono = r->mono_ns;
	ss->gen++;
	slot_hints(m, ss, r->n_nodes);
	/* every id of the last ingest again, in its place: the ids this
	 * source owns are all seen (they were all in that reading) */
	bool same = ss->n_ingested == r->n_nodes;
	for (size_t i = 0; i < r->n_nodes; i++) {
		prefetch_ahead(ss, r, i);
		if (!ingest_node(m, slot, r->mono_ns, reading_node(r, i), &ss->hint[i]))
			same = false;
	}
	ss->n_ingested = r->n_nodes;
	/* Mark and sweep: what this source no longer reports is gone. */
	struct sweep_arg a = {slot, ss->gen, m};
	if (!same)
		idmap_sweep(m->rates, keep_seen, &a, rate_state_clear);
	/* the sweep kept every id of this reading: the hints stay good */
	ss->stamp = idmap_removed(m->rates);
	if (idmap_count(m->energy))
		idmap_sweep(m->energy, keep_energy_seen, &a, free);
}

static void fill_more(struct node *nd, const struct raw_more *rm, const struct rate_state *s);

static void fill_node(struct node *nd, const struct raw_node *rn, const struct rate_state *s)
{
	struct resources *res = &nd->res;

	nd->state = str_pool_share(rn->state);
	nd->runtime = str_pool_share(rn->runtime);
	if (rn->owner) {
		struct node_extra *x = node_extra(nd);
		x->owner_hint = xstrdup(rn->owner);
		x->owner_hint_source = rn->owner_source;
	}
	size_t n_metrics, k = 0;
	const struct metric *m = metrics_all(&n_metrics);

	metric_gauges_from_raw(res, rn);
	for (size_t i = 0; s && i < n_metrics && k < METRIC_RATES_MAX; i++)
		if (m[i].raw == METRIC_RAW_RATE)
			*metric_slot(&m[i], res) = s->rate[k++];
	res->mem_source = value_u64_known(rn->mem_used) ? rn->mem_source : NULL;
	if (nd->kind == NODE_HOST)
		res->cpu_cores_used = rate_clamp(res->cpu_cores_used, res->cpu_cores_allocated);
	if (rn->more)
		fill_more(nd, rn->more, s);
}

/* Devices, filesystems, identity and processes, where the raw node has
 * them. */
static void fill_more(struct node *nd, const struct raw_more *rm, const struct rate_state *s)
{
	identity_copy(&nd->ident, &rm->ident);
	if (rm->procs && !nd->procs)
		nd->procs = proc_list_dup(rm->procs);
	if (rm->n_devs) {
		nd->devs = xcalloc(rm->n_devs, sizeof(*nd->devs));
		nd->n_devs = (uint32_t)rm->n_devs;
	}
	for (size_t i = 0; i < rm->n_devs; i++) {
		const struct dev_state *ds = (s && i < s->n_devs) ? &s->devs[i] : NULL;

		nd->devs[i].name = xstrdup(rm->devs[i].name);
		nd->devs[i].kind = rm->devs[i].kind;
		nd->devs[i].read_bps = ds ? ds->read_bps : GLASS_UNKNOWN;
		nd->devs[i].write_bps = ds ? ds->write_bps : GLASS_UNKNOWN;
	}
	if (rm->n_fs) {
		nd->fs = xcalloc(rm->n_fs, sizeof(*nd->fs));
		nd->n_fs = (uint32_t)rm->n_fs;
	}
	for (size_t i = 0; i < rm->n_fs; i++) {
		const struct raw_fs *f = &rm->fs[i];

		nd->fs[i] = (struct node_fs){
			.mount = xstrdup(f->mount),
			.device = xstrdup_or_null(f->device),
			.fs_type = xstrdup_or_null(f->fs_type),
			.size_bytes = value_from_u64(f->size_bytes),
			.used_bytes = value_from_u64(f->used_bytes),
			.avail_bytes = value_from_u64(f->avail_bytes),
		};
	}
}

/* A node's watts: the gauge a source gave, else the rate of its energy
 * counters.  Fills only what is still unknown, so the first source to
 * give watts for an id keeps them. */
static void fill_power(struct node *nd, const struct raw_node *rn, const struct energy_state *e)
{
	struct resources *res = &nd->res;
	double watts = rn->power_watts;

	if (value_known(res->power_watts))
		return;
	if (!value_known(watts) && raw_node_n_energy(rn) && e && e->n == raw_node_n_energy(rn)) {
		watts = e->watts;
		res->energy_joules = e->joules;
	}
	if (value_known(watts)) {
		res->power_watts = watts;
		res->power_source = rn->power_source;
	}
}

/* A lower-ranked source that reports an id the owner has: its figures
 * fill the owner's unknown ones, field by field. */
static void fill_gaps(struct node *owner, const struct raw_node *rn)
{
	struct resources *res = &owner->res;
	bool had_used = value_known(res->mem_bytes_used);

	metric_fill_gaps(res, rn);
	if (!had_used && value_known(res->mem_bytes_used))
		res->mem_source = rn->mem_source;
	if (owner->kind == NODE_HOST)
		res->cpu_cores_used = rate_clamp(res->cpu_cores_used, res->cpu_cores_allocated);
}

static int cmp_child(const void *a, const void *b)
{
	const struct node *x = *(const struct node *const *)a;
	const struct node *y = *(const struct node *const *)b;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->id, y->id);
}

/* Hosts keep the order of their sources (the operator's order); below a
 * host, children are sorted so that snapshots are stable to diff. */
static void sort_below_hosts(struct node *n)
{
	bool sorted = true;

	/* a source lists its nodes in the same order every time: often
	 * sorted already, and then a check is all it costs (the order is
	 * total, so a sort would leave it as it is) */
	for (size_t i = 1; sorted && n->kind != NODE_SITE && i < n->n_children; i++)
		sorted = cmp_child(&n->children[i - 1], &n->children[i]) <= 0;
	if (!sorted)
		qsort(n->children, n->n_children, sizeof(*n->children), cmp_child);
	for (size_t i = 0; i < n->n_children; i++)
		sort_below_hosts(n->children[i]);
}

static void add_sources(struct tree *t, const struct model *m, const struct board_slot_view *views,
			uint64_t now_mono, uint64_t now_wall)
{
	t->n_sources = m->n_sources;
	t->sources = xcalloc(m->n_sources ? m->n_sources : 1, sizeof(*t->sources));
	for (size_t i = 0; i < m->n_sources; i++) {
		const struct board_slot_view *v = &views[i];
		struct tree_source *ts = &t->sources[i];

		ts->name = xstrdup(m->sources[i].name);
		ts->kind = m->sources[i].kind;
		ts->health = v->health;
		ts->reason = v->reason[0] ? xstrdup(v->reason) : NULL;
		ts->last_ok_wall_ns = v->last_ok_mono ? clock_mono_to_wall(v->last_ok_mono, now_mono, now_wall) : 0;
		ts->next_retry_wall_ns = v->next_retry_mono ? clock_mono_to_wall(v->next_retry_mono, now_mono, now_wall) : 0;
		ts->same_as = -1;
	}
}

/* A libvirt VM on a host glass also reads cgroups of is a cgroup too (the
 * cgroup source names it after the domain, runtime "libvirt"): one node,
 * the VM, taking the cgroup's numbers only where libvirt has none. */
static void fill_unknown(double *dst, double src)
{
	if (!value_known(*dst))
		*dst = src;
}

static struct node *find_vm(struct node *host, const char *name)
{
	for (size_t i = 0; i < host->n_children; i++) {
		struct node *c = host->children[i];
		if (c->kind == NODE_VM && strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

static void absorb(struct node *vm, struct node *cg)
{
	struct resources *v = &vm->res;
	const struct resources *c = &cg->res;

	fill_unknown(&v->cpu_cores_used, c->cpu_cores_used);
	if (!value_known(v->mem_bytes_used) && value_known(c->mem_bytes_used)) {
		v->mem_bytes_used = c->mem_bytes_used;
		v->mem_source = c->mem_source;
	}
	fill_unknown(&v->disk_read_bps, c->disk_read_bps);
	fill_unknown(&v->disk_write_bps, c->disk_write_bps);
	fill_unknown(&v->pids_current, c->pids_current);
	fill_unknown(&v->pids_max, c->pids_max);
	struct node_extra *x = node_extra(vm);
	free(x->merged_id);
	x->merged_id = xstrdup(cg->id);
	/* libvirt's metadata names the owner; the cgroup's slice fills a gap */
	if (!x->owner_hint && node_owner_hint(cg)) {
		x->owner_hint = cg->extra->owner_hint;
		x->owner_hint_source = cg->extra->owner_hint_source;
		cg->extra->owner_hint = NULL;
	}
	/* what ran inside the VM's cgroup (vcpu threads, emulator) stays
	 * visible below the VM */
	for (size_t i = 0; i < cg->n_children; i++)
		node_add_child(vm, cg->children[i]);
	cg->n_children = 0;
}

/* Detaches and frees the children of `parent` that `vm_of` maps to a VM
 * of `host`, absorbing them; recurses into groups (machine.slice). */
static size_t merge_below(struct node *host, struct node *parent)
{
	size_t merged = 0, kept = 0;

	for (size_t i = 0; i < parent->n_children; i++) {
		struct node *c = parent->children[i];
		struct node *vm = NULL;

		if (c->kind != NODE_VM && c->runtime && strcmp(c->runtime, "libvirt") == 0)
			vm = find_vm(host, c->name);
		if (vm) {
			absorb(vm, c);
			node_free(c);
			merged++;
			continue;
		}
		if (c->kind == NODE_GROUP || c->kind == NODE_CONTAINER)
			merged += merge_below(host, c);
		parent->children[kept++] = c;
	}
	parent->n_children = kept;
	return merged;
}

static size_t merge_identities(struct node *site)
{
	size_t merged = 0;

	for (size_t i = 0; i < site->n_children; i++) {
		struct node *h = site->children[i];
		bool vms = false;

		/* only a VM of the host can take a cgroup in */
		for (size_t j = 0; h->kind == NODE_HOST && !vms && j < h->n_children; j++)
			vms = h->children[j]->kind == NODE_VM;
		if (vms)
			merged += merge_below(h, h);
	}
	return merged;
}

/* How bad a health is: a node shows the worse of its own and its source's. */
static int health_rank(enum health h)
{
	switch (h) {
	case HEALTH_OK:
		return 0;
	case HEALTH_CONNECTING:
		return 1;
	case HEALTH_STALE:
		return 2;
	case HEALTH_UNREACHABLE:
		return 3;
	}
	return 3;
}

static void node_health(struct node *nd, const struct raw_node *rn, const struct tree_source *src)
{
	if (rn->health_set && health_rank(rn->health) > health_rank(src->health))
		node_set_health(nd, rn->health, rn->health_reason);
	else
		node_set_health(nd, src->health, src->reason);
}

static size_t *source_order(const struct model *m)
{
	size_t *order = xcalloc(m->n_sources ? m->n_sources : 1, sizeof(*order));

	for (size_t i = 0; i < m->n_sources; i++)
		order[i] = i;
	/* insertion sort: stable, and a handful of sources */
	for (size_t i = 1; i < m->n_sources; i++) {
		size_t v = order[i], j = i;
		while (j > 0 && source_type_rank(m->sources[order[j - 1]].kind) > source_type_rank(m->sources[v].kind)) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = v;
	}
	return order;
}

/* The node this build made for `id`, or NULL. */
static struct node *built_node(const struct model *m, const char *id, uint64_t seq)
{
	const struct rate_state *s = idmap_get(m->rates, id);

	return s && s->seq == seq ? s->node : NULL;
}

struct tree *model_build(struct model *m, const struct board_slot_view *views,
			 uint64_t now_mono, uint64_t now_wall, double interval_s)
{
	struct tree *t = xcalloc(1, sizeof(*t));
	struct pending {
		struct node *node;
		union {
			const char *parent_id; /* (borrowed from the reading) */
			struct node *parent;   /* once found */
		};
	} *pending; /* nodes waiting for their parent */
	size_t n_pending = 0, cap_pending = 0;

	t->root = node_new(NODE_SITE, "site", "site");
	t->cost_core_month = t->cost_gib_month = GLASS_UNKNOWN;
	t->wall_ns = now_wall;
	t->interval_s = interval_s;
	t->seq = ++m->seq;
	m->building = true;
	t->n_nodes = 1;
	add_sources(t, m, views, now_mono, now_wall);

	size_t *order = source_order(m);
	/* one block, not one that doubles: at fleet size a doubling block
	 * is moved to new pages every build */
	for (size_t k = 0; k < m->n_sources; k++)
		if (views[k].reading)
			cap_pending += views[k].reading->n_nodes;
	pending = xcalloc(cap_pending ? cap_pending : 1, sizeof(*pending));
	for (size_t k = 0; k < m->n_sources; k++) {
		size_t slot = order[k];
		const struct reading *r = views[slot].reading;

		if (!r)
			continue;
		model_ingest(m, slot, r);
		bool stale = views[slot].health != HEALTH_OK;
		struct slot_state *ss = &m->slots[slot];
		slot_hints(m, ss, r->n_nodes);
		for (size_t i = 0; i < r->n_nodes; i++) {
			const struct raw_node *rn = reading_node(r, i);

			prefetch_ahead(ss, r, i);
			if (i + AHEAD / 2 < r->n_nodes) {
				const struct raw_node *next = reading_node(r, i + AHEAD / 2);
				prefetch(next->name, 64);
				prefetch(next->state, 64);
				prefetch(next->runtime, 64);
			}
			/* only a node with energy counters has energy state */
			const struct energy_state *e = raw_node_n_energy(rn) ? idmap_get(m->energy, rn->id) : NULL;
			struct idmap_entry *was = ss->hint[i];
			struct rate_state *s = idmap_get_hinted(m->rates, rn->id, &ss->hint[i]);

			/* an id its sources no longer count (a reading older
			 * than the one ingested): no rates, a place in the index */
			if (!s)
				s = rate_add(m, rn, &ss->hint[i]);
			if (ss->hint[i] != was)
				ss->n_ingested = 0; /* no longer the last ingest's */
			struct node *owner = s->seq == t->seq ? s->node : NULL;
			if (owner) {
				/* another source speaks for a node the best-ranked
				 * one owns: its watts and figures fill the gaps,
				 * while they are fresh (a meter that stopped
				 * answering leaves the host to the power model, not
				 * to its last reading) */
				if (!stale) {
					fill_power(owner, rn, e);
					fill_gaps(owner, rn);
				}
				/* the first source to report an id owns it; a host
				 * two hypervisor URIs reach is one machine */
				if (rn->kind == NODE_HOST && owner->source != (int)slot &&
				    strcmp(t->sources[slot].kind, t->sources[owner->source].kind) == 0)
					t->sources[slot].same_as = owner->source;
				continue;
			}
			/* the node holds its record's key: one copy of the id */
			struct node *nd = node_new_keyed(rn->kind, idmap_entry_key(m->rates, ss->hint[i]), rn->name);
			nd->source = (int)slot;
			nd->stale = stale;
			node_health(nd, rn, &t->sources[slot]);
			fill_node(nd, rn, s->has_rates ? s : NULL);
			fill_power(nd, rn, e);
			s->node = nd;
			s->seq = t->seq;
			pending[n_pending].node = nd;
			pending[n_pending++].parent_id = rn->parent_id;
			t->n_nodes++;
		}
	}
	/* Link after all nodes exist: a source may list a child before its
	 * parent, and another source may own the parent (VMs of a hypervisor
	 * under the host its remote glass reports).  An orphan (its parent
	 * vanished mid-read) hangs from the site rather than disappearing. */
	const char *last_id = NULL; /* siblings come together: one lookup */
	struct node *last = NULL;
	for (size_t i = 0; i < n_pending; i++) {
		struct node *nd = pending[i].node;
		const char *parent_id = pending[i].parent_id;
		struct node *parent = NULL;
		if (parent_id && last_id && strcmp(parent_id, last_id) == 0) {
			parent = last;
		} else if (parent_id) {
			parent = built_node(m, parent_id, t->seq);
			last_id = parent_id;
			last = parent;
		}
		pending[i].parent = parent && parent != nd ? parent : t->root;
		pending[i].parent->n_children++; /* counted first */
	}
	/* each parent's children in one block, as node_add_child would have
	 * grown it (a power of two), rather than doubling child by child */
	for (size_t i = 0; i < n_pending; i++) {
		struct node *p = pending[i].parent;

		if (!p->children) {
			size_t cap = 1;
			while (cap < p->n_children)
				cap *= 2;
			p->children = xreallocarray(NULL, cap, sizeof(*p->children));
			p->n_children = 0;
		}
		p->children[p->n_children++] = pending[i].node;
		pending[i].node->parent = p;
	}
	free(pending);
	free(order);
	/* the nodes the index points to are the caller's now: it never
	 * reads them after this build */
	m->building = false;
	t->n_nodes -= merge_identities(t->root);
	t->n_nodes -= guest_join(t, &m->guests);
	sort_below_hosts(t->root);
	return t;
}
