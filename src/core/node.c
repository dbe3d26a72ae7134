#include "glass/node.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "glass/idmap.h"
#include "glass/str_pool.h"
#include "glass/value.h"
#include "glass/xalloc.h"

void resources_init_unknown(struct resources *res)
{
	*res = (struct resources){
		.cpu_cores_allocated = GLASS_UNKNOWN,
		.cpu_cores_used = GLASS_UNKNOWN,
		.mem_bytes_allocated = GLASS_UNKNOWN,
		.mem_bytes_max = GLASS_UNKNOWN,
		.mem_bytes_used = GLASS_UNKNOWN,
		.mem_bytes_available = GLASS_UNKNOWN,
		.mem_source = NULL,
		.swap_bytes_total = GLASS_UNKNOWN,
		.swap_bytes_used = GLASS_UNKNOWN,
		.disk_read_bps = GLASS_UNKNOWN,
		.disk_write_bps = GLASS_UNKNOWN,
		.net_rx_bps = GLASS_UNKNOWN,
		.net_tx_bps = GLASS_UNKNOWN,
		.pids_current = GLASS_UNKNOWN,
		.pids_max = GLASS_UNKNOWN,
		.load = {GLASS_UNKNOWN, GLASS_UNKNOWN, GLASS_UNKNOWN},
		.psi_some = {GLASS_UNKNOWN, GLASS_UNKNOWN, GLASS_UNKNOWN},
		.psi_full = {GLASS_UNKNOWN, GLASS_UNKNOWN, GLASS_UNKNOWN},
		.power_watts = GLASS_UNKNOWN,
		.energy_joules = GLASS_UNKNOWN,
		.energy_kwh_month = GLASS_UNKNOWN,
		.energy_cost_month = GLASS_UNKNOWN,
		.co2_kg_month = GLASS_UNKNOWN,
	};
}

void idle_flag_init_unknown(struct idle_flag *f)
{
	*f = (struct idle_flag){
		.utilization = GLASS_UNKNOWN,
		.idle_amount = GLASS_UNKNOWN,
		.peak = GLASS_UNKNOWN,
		.right_size = GLASS_UNKNOWN,
	};
}

struct guest_view *guest_view_new(const char *host_id, const char *host_name, const char *joined_by)
{
	struct guest_view *g = xcalloc(1, sizeof(*g));

	*g = (struct guest_view){
		.host_id = xstrdup(host_id),
		.host_name = xstrdup(host_name),
		.joined_by = joined_by,
		.cpu_cores = GLASS_UNKNOWN,
		.cpu_cores_used = GLASS_UNKNOWN,
		.mem_bytes_total = GLASS_UNKNOWN,
		.mem_bytes_used = GLASS_UNKNOWN,
		.mem_bytes_available = GLASS_UNKNOWN,
		.load = {GLASS_UNKNOWN, GLASS_UNKNOWN, GLASS_UNKNOWN},
		.psi_some = {GLASS_UNKNOWN, GLASS_UNKNOWN, GLASS_UNKNOWN},
		.psi_full = {GLASS_UNKNOWN, GLASS_UNKNOWN, GLASS_UNKNOWN},
		.inner_cpu_allocated = GLASS_UNKNOWN,
		.inner_cpu_unallocated = GLASS_UNKNOWN,
		.inner_mem_allocated = GLASS_UNKNOWN,
		.inner_mem_unallocated = GLASS_UNKNOWN,
	};
	return g;
}

void guest_view_free(struct guest_view *g)
{
	if (!g)
		return;
	free(g->host_id);
	free(g->host_name);
	free(g);
}

/* One allocation for the node and its name (which never changes after
 * this): a tree of 100,000 nodes is rebuilt every refresh.  Its id is a
 * shared key (idmap.h) that the maps keyed by node ids hold too. */
static struct node *node_make(enum node_kind kind, const char *key, const char *name)
{
	size_t name_len = strlen(name);
	struct node *n = xcalloc(1, sizeof(*n) + name_len + 1);

	n->kind = kind;
	n->id = key;
	n->name = memcpy((char *)(n + 1), name, name_len + 1);
	n->source = -1;
	n->health = HEALTH_OK;
	n->matched = true;
	n->selected = true;
	resources_init_unknown(&n->res);
	idle_flag_init_unknown(&n->idle_cpu);
	idle_flag_init_unknown(&n->idle_mem);
	n->idle_cost_month = GLASS_UNKNOWN;
	return n;
}

struct node *node_new(enum node_kind kind, const char *id, const char *name)
{
	return node_make(kind, idmap_key_new(id), name);
}

struct node *node_new_keyed(enum node_kind kind, const char *key, const char *name)
{
	return node_make(kind, idmap_key_ref(key), name);
}

/* The array doubles at each power of two (0, 1, 2, 4, ...), so a site or
 * host with many children costs no realloc per child; dropping children
 * (n_children = kept) leaves room enough for the next add. */
void node_add_child(struct node *parent, struct node *child)
{
	size_t n = parent->n_children;

	if ((n & (n - 1)) == 0)
		parent->children = xreallocarray(parent->children, n ? 2 * n : 1,
						 sizeof(*parent->children));
	parent->children[parent->n_children++] = child;
	child->parent = parent;
}

void node_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n_children; i++)
		node_free(n->children[i]);
	free(n->children);
	for (size_t i = 0; i < n->n_devs; i++)
		free(n->devs[i].name);
	free(n->devs);
	for (size_t i = 0; i < n->n_fs; i++) {
		free(n->fs[i].mount);
		free(n->fs[i].device);
		free(n->fs[i].fs_type);
	}
	free(n->fs);
	free(n->rollup);
	if (n->extra) {
		free(n->extra->merged_id);
		free(n->extra->owner_hint);
		free(n->extra->join_note);
		free(n->extra);
	}
	identity_done(&n->ident);
	guest_view_free(n->guest);
	proc_list_free(n->procs);
	str_pool_free(n->state);
	str_pool_free(n->runtime);
	free(n->owner);
	free(n->health_reason);
	idmap_key_unref(n->id);
	free(n);
}

struct node_extra *node_extra(struct node *n)
{
	if (!n->extra)
		n->extra = xcalloc(1, sizeof(*n->extra));
	return n->extra;
}

void node_set_health(struct node *n, enum health h, const char *reason)
{
	free(n->health_reason);
	n->health = h;
	n->health_reason = reason && *reason ? xstrdup(reason) : NULL;
}

void tree_free(struct tree *t)
{
	if (!t)
		return;
	node_free(t->root);
	for (size_t i = 0; i < t->n_sources; i++) {
		free(t->sources[i].name);
		free(t->sources[i].reason);
	}
	free(t->sources);
	free(t->idle_summary);
	for (size_t i = 0; i < t->n_strings; i++)
		free(t->strings[i]);
	free(t->strings);
	free(t);
}

const char *tree_intern(struct tree *t, const char *s)
{
	for (size_t i = 0; i < t->n_strings; i++)
		if (strcmp(t->strings[i], s) == 0)
			return t->strings[i];
	t->strings = xreallocarray(t->strings, t->n_strings + 1, sizeof(*t->strings));
	t->strings[t->n_strings] = xstrdup(s);
	return t->strings[t->n_strings++];
}

void tree_walk(const struct node *n, int depth, void (*fn)(const struct node *, int, void *),
	       void *arg)
{
	fn(n, depth, arg);
	for (size_t i = 0; i < n->n_children; i++)
		tree_walk(n->children[i], depth + 1, fn, arg);
}

static bool select_node(struct node *n, const char *glob, unsigned kinds)
{
	bool below = false;

	for (size_t i = 0; i < n->n_children; i++)
		if (select_node(n->children[i], glob, kinds))
			below = true;
	n->matched = (!kinds || (kinds & (1u << n->kind))) &&
		     (!glob || fnmatch(glob, n->name, 0) == 0 || fnmatch(glob, n->id, 0) == 0);
	n->selected = n->matched || below;
	return n->selected;
}

void tree_select(struct tree *t, const char *glob, unsigned kinds)
{
	select_node(t->root, glob, kinds);
	/* the site stays as the root of every tree view */
	t->root->selected = true;
}
