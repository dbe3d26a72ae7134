#include "glass/chargeback.h"

#include <stdlib.h>
#include <string.h>

#include "glass/value.h"
#include "glass/xalloc.h"

#define GIB (1024.0 * 1024.0 * 1024.0)

static void res_init(struct chargeback_res *r)
{
	*r = (struct chargeback_res){0, 0, GLASS_UNKNOWN, 0};
}

static void row_init(struct chargeback_row *r, const char *owner)
{
	*r = (struct chargeback_row){
		.owner = owner ? xstrdup(owner) : NULL,
		.watts = GLASS_UNKNOWN,
		.energy_kwh_month = GLASS_UNKNOWN,
		.alloc_cost_month = GLASS_UNKNOWN,
		.idle_cost_month = GLASS_UNKNOWN,
		.energy_cost_month = GLASS_UNKNOWN,
	};
	res_init(&r->cpu);
	res_init(&r->mem);
}

/* A sum of the known parts; unknown while no part is known. */
static void add_known(double *to, double v)
{
	if (value_known(v))
		*to = value_known(*to) ? *to + v : v;
}

double chargeback_price(double core_month, double gib_month, double cores, double bytes)
{
	bool core = value_known(core_month), gib = value_known(gib_month);

	if (!core && !gib)
		return GLASS_UNKNOWN;
	return (core ? cores * core_month : 0.0) + (gib ? bytes / GIB * gib_month : 0.0);
}

double chargeback_efficiency(const struct chargeback_res *r)
{
	if (!value_known(r->used) || !(r->measured > 0))
		return GLASS_UNKNOWN;
	return r->used / r->measured;
}

const char *chargeback_row_name(const struct chargeback_row *r)
{
	return r->owner ? r->owner : CHARGEBACK_UNOWNED;
}

static struct chargeback_row *row_for(struct chargeback *cb, const char *owner)
{
	for (size_t i = 0; i < cb->n_rows; i++) {
		const char *o = cb->rows[i].owner;
		if ((!o && !owner) || (o && owner && strcmp(o, owner) == 0))
			return &cb->rows[i];
	}
	cb->rows = xreallocarray(cb->rows, cb->n_rows + 1, sizeof(*cb->rows));
	row_init(&cb->rows[cb->n_rows], owner);
	return &cb->rows[cb->n_rows++];
}

static bool node_is_off(const struct node *n)
{
	return n->kind == NODE_VM && n->state &&
	       (strncmp(n->state, "shut", 4) == 0 || strcmp(n->state, "crashed") == 0);
}

/* One resource a holder holds: its allocation, its average use (the idle
 * policy's windowed utilization, as the flags and the rollup take it) and,
 * when the rollup counted its flag, its slack. */
static void hold(struct chargeback_res *r, double allocated, const struct idle_flag *f)
{
	r->allocated += allocated;
	if (value_known(f->utilization)) {
		r->measured += allocated;
		add_known(&r->used, f->utilization * allocated);
	}
	if (f->counted && value_known(f->idle_amount))
		r->idle += f->idle_amount;
}

/* Walks a host's subtree as idle.c's sum_holders does. */
static void walk(struct chargeback *cb, const struct node *n, bool cpu_held, bool mem_held,
		 bool power_held)
{
	bool holder = (n->kind == NODE_VM || n->kind == NODE_CONTAINER) && !node_is_off(n);
	struct chargeback_row *row = NULL;

	if (n->kind == NODE_VM && node_is_off(n))
		return;
	if (holder && !cpu_held && value_known(n->res.cpu_cores_allocated)) {
		row = row_for(cb, n->owner);
		hold(&row->cpu, n->res.cpu_cores_allocated, &n->idle_cpu);
		cpu_held = true;
	}
	if (holder && !mem_held && value_known(n->res.mem_bytes_allocated)) {
		if (!row)
			row = row_for(cb, n->owner);
		hold(&row->mem, n->res.mem_bytes_allocated, &n->idle_mem);
		mem_held = true;
	}
	if (row) {
		row->nodes = xreallocarray(row->nodes, row->holders + 1, sizeof(*row->nodes));
		row->nodes[row->holders] = n;
		row->holders++;
		if (n->idle_cpu.counted || n->idle_mem.counted)
			row->idle_holders++;
		/* the first holder on the way down burns what is below it */
		if (!power_held) {
			if (value_known(n->res.power_watts))
				add_known(&row->watts, n->res.power_watts);
			else
				row->watts_unknown++;
			add_known(&row->energy_kwh_month, n->res.energy_kwh_month);
			add_known(&row->energy_cost_month, n->res.energy_cost_month);
			power_held = true;
		}
	}
	for (size_t i = 0; i < n->n_children; i++)
		walk(cb, n->children[i], cpu_held, mem_held, power_held);
}

static void price_row(const struct chargeback *cb, struct chargeback_row *r)
{
	r->alloc_cost_month = chargeback_price(cb->cost_core_month, cb->cost_gib_month,
					       r->cpu.allocated, r->mem.allocated);
	r->idle_cost_month = chargeback_price(cb->cost_core_month, cb->cost_gib_month, r->cpu.idle,
					      r->mem.idle);
}

static void add_res(struct chargeback_res *to, const struct chargeback_res *from)
{
	to->allocated += from->allocated;
	to->measured += from->measured;
	add_known(&to->used, from->used);
	to->idle += from->idle;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct chargeback_row *x = a, *y = b;

	if (!x->owner || !y->owner)
		return (x->owner == NULL) - (y->owner == NULL);
	return strcmp(x->owner, y->owner);
}

struct chargeback *chargeback_compute(const struct tree *t)
{
	struct chargeback *cb = xcalloc(1, sizeof(*cb));

	cb->currency = t->currency;
	cb->cost_core_month = t->cost_core_month;
	cb->cost_gib_month = t->cost_gib_month;
	row_init(&cb->total, NULL);
	/* hosts under the site, as the rollup takes them (an orphan is not
	 * rolled up, so it is charged to no one either) */
	for (size_t i = 0; t->root && i < t->root->n_children; i++) {
		const struct node *h = t->root->children[i];
		if (h->kind != NODE_HOST)
			continue;
		for (size_t j = 0; j < h->n_children; j++)
			walk(cb, h->children[j], false, false, false);
	}
	if (cb->n_rows > 1)
		qsort(cb->rows, cb->n_rows, sizeof(*cb->rows), cmp_rows);
	for (size_t i = 0; i < cb->n_rows; i++) {
		struct chargeback_row *r = &cb->rows[i];

		price_row(cb, r);
		cb->total.holders += r->holders;
		cb->total.idle_holders += r->idle_holders;
		add_res(&cb->total.cpu, &r->cpu);
		add_res(&cb->total.mem, &r->mem);
		add_known(&cb->total.watts, r->watts);
		cb->total.watts_unknown += r->watts_unknown;
		add_known(&cb->total.energy_kwh_month, r->energy_kwh_month);
		add_known(&cb->total.energy_cost_month, r->energy_cost_month);
	}
	price_row(cb, &cb->total);
	return cb;
}

void chargeback_free(struct chargeback *cb)
{
	if (!cb)
		return;
	for (size_t i = 0; i < cb->n_rows; i++) {
		free(cb->rows[i].owner);
		free(cb->rows[i].nodes);
	}
	free(cb->rows);
	free(cb->total.owner);
	free(cb);
}
