#include "glass/tui/owners.h"

#include <stdlib.h>
#include <string.h>

#include "glass/chargeback.h"
#include "glass/value.h"
#include "glass/xalloc.h"

/* A sum of the known parts; unknown while no part is known. */
static void add_known(double *to, double v)
{
	if (value_known(v))
		*to = value_known(*to) ? *to + v : v;
}

/* Borrowed children: the real nodes keep their real parents. */
static void borrow_child(struct node *parent, const struct node *child)
{
	parent->children = xreallocarray(parent->children, parent->n_children + 1,
					 sizeof(*parent->children));
	parent->children[parent->n_children++] = (struct node *)child;
}

static void owner_figures(struct node *o, const struct chargeback_row *r)
{
	struct resources *res = &o->res;

	res->cpu_cores_allocated = r->cpu.allocated;
	res->mem_bytes_allocated = r->mem.allocated;
	res->power_watts = r->watts;
	res->energy_cost_month = r->energy_cost_month;
	for (size_t i = 0; r->nodes && i < r->holders; i++) {
		add_known(&res->cpu_cores_used, r->nodes[i]->res.cpu_cores_used);
		add_known(&res->mem_bytes_used, r->nodes[i]->res.mem_bytes_used);
	}
	/* IDLE: the slack of its counted idle holders, as the report says */
	o->idle_cpu.idle = r->cpu.idle > 0;
	o->idle_cpu.counted = o->idle_cpu.idle;
	o->idle_cpu.idle_amount = r->cpu.idle;
	o->idle_cpu.utilization = chargeback_efficiency(&r->cpu);
	o->idle_mem.idle = r->mem.idle > 0;
	o->idle_mem.counted = o->idle_mem.idle;
	o->idle_mem.idle_amount = r->mem.idle;
	o->idle_mem.utilization = chargeback_efficiency(&r->mem);
	o->idle_cost_month = r->idle_cost_month;
}

struct tree *tui_owners_build(const struct tree *t)
{
	struct tree *v = xcalloc(1, sizeof(*v));
	struct chargeback *cb = chargeback_compute(t);

	*v = *t; /* sources, time, policy: borrowed for drawing */
	v->idle_summary = NULL;
	v->strings = NULL;
	v->n_strings = 0;
	v->root = node_new(NODE_SITE, "site", t->root ? t->root->name : "site");
	v->root->selected = true;
	owner_figures(v->root, &cb->total);
	v->root->state = xstrdup("by owner");
	v->n_nodes = 1;
	for (size_t i = 0; i < cb->n_rows; i++) {
		const struct chargeback_row *r = &cb->rows[i];
		const char *name = chargeback_row_name(r);
		char *id = xasprintf("%s%s", TUI_OWNER_ID_PREFIX, name);
		struct node *o = node_new(NODE_GROUP, id, name);

		free(id);
		o->state = xstrdup("owner");
		o->owner = r->owner ? xstrdup(r->owner) : NULL;
		owner_figures(o, r);
		node_add_child(v->root, o);
		for (size_t k = 0; k < r->holders; k++)
			borrow_child(o, r->nodes[k]);
		v->n_nodes += 1 + r->holders;
		add_known(&v->root->res.cpu_cores_used, o->res.cpu_cores_used);
		add_known(&v->root->res.mem_bytes_used, o->res.mem_bytes_used);
	}
	chargeback_free(cb);
	return v;
}

void tui_owners_free(struct tree *v)
{
	if (!v)
		return;
	for (size_t i = 0; v->root && i < v->root->n_children; i++)
		v->root->children[i]->n_children = 0; /* borrowed: not freed here */
	node_free(v->root);
	free(v);
}
