#include "glass/reading.h"

#include <stdlib.h>
#include <string.h>

#include "glass/idmap.h"
#include "glass/procs.h"
#include "glass/str_pool.h"
#include "glass/value.h"
#include "glass/xalloc.h"

static const char *const kind_names[] = {
	[NODE_SITE] = "site",
	[NODE_HOST] = "host",
	[NODE_VM] = "vm",
	[NODE_GROUP] = "group",
	[NODE_CONTAINER] = "container",
};

const char *node_kind_name(enum node_kind kind)
{
	if ((unsigned)kind >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "unknown";
	return kind_names[kind];
}

bool node_kind_parse(const char *name, enum node_kind *out)
{
	for (unsigned i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++) {
		if (strcmp(name, kind_names[i]) == 0) {
			*out = (enum node_kind)i;
			return true;
		}
	}
	return false;
}

struct reading *reading_new(void)
{
	struct reading *r = xcalloc(1, sizeof(*r));

	atomic_init(&r->refs, 1);
	return r;
}

struct reading *reading_ref(struct reading *r)
{
	if (r)
		atomic_fetch_add(&r->refs, 1);
	return r;
}

static void raw_node_done(struct raw_node *n)
{
	if (n->keyed) {
		idmap_key_unref(n->id); /* and name, in its allocation or the id */
		idmap_key_unref(n->parent_id);
	} else {
		free((char *)n->id); /* and parent_id and name, in its allocation */
	}
	str_pool_free(n->state);
	str_pool_free(n->runtime);
	free(n->energy);
	free(n->owner);
	free(n->health_reason);
	struct raw_more *m = n->more;

	if (!m)
		return;
	for (size_t i = 0; i < m->n_devs; i++)
		free(m->devs[i].name);
	free(m->devs);
	for (size_t i = 0; i < m->n_fs; i++) {
		free(m->fs[i].mount);
		free(m->fs[i].device);
		free(m->fs[i].fs_type);
	}
	free(m->fs);
	identity_done(&m->ident);
	proc_list_free(m->procs);
	free(m);
}

void reading_unref(struct reading *r)
{
	if (!r || atomic_fetch_sub(&r->refs, 1) != 1)
		return;
	for (size_t i = 0; i < r->n_nodes; i++)
		raw_node_done(reading_node(r, i));
	for (size_t b = 0; b < r->n_blocks; b++)
		free(r->blocks[b]);
	free(r->blocks);
	free(r);
}

void reading_seal(struct reading *r)
{
	if (r->cap_nodes > r->n_nodes && r->n_nodes) {
		size_t last = r->n_blocks - 1, in_last = r->n_nodes - last * READING_BLOCK_NODES;

		r->blocks[last] = xreallocarray(r->blocks[last], in_last, sizeof(*r->blocks[last]));
		r->cap_nodes = r->n_nodes;
	}
}

/* Room for one more node: the last block doubles up to a whole block
 * (a reading of a few nodes stays small; a sealed one may grow again);
 * after that, a new whole block. */
static void reading_grow(struct reading *r)
{
	size_t last_cap = r->n_blocks ? r->cap_nodes - (r->n_blocks - 1) * READING_BLOCK_NODES : 0;

	if (r->n_blocks && last_cap < READING_BLOCK_NODES) {
		size_t cap = last_cap * 2 < READING_BLOCK_NODES ? last_cap * 2 : READING_BLOCK_NODES;
		struct raw_node **last = &r->blocks[r->n_blocks - 1];

		*last = xreallocarray(*last, cap, sizeof(**last));
		r->cap_nodes += cap - last_cap;
		return;
	}
	if (r->n_blocks == r->cap_blocks) {
		r->cap_blocks = r->cap_blocks ? r->cap_blocks * 2 : 4;
		r->blocks = xreallocarray(r->blocks, r->cap_blocks, sizeof(*r->blocks));
	}
	size_t cap = r->n_blocks ? READING_BLOCK_NODES : 16;
	r->blocks[r->n_blocks++] = xreallocarray(NULL, cap, sizeof(*r->blocks[0]));
	r->cap_nodes += cap;
}

/* A new node with every field unknown and no strings yet. */
static struct raw_node *add_node(struct reading *r, enum node_kind kind)
{
	struct raw_node *n;

	if (r->n_nodes == r->cap_nodes)
		reading_grow(r);
	n = reading_node(r, r->n_nodes++);
	*n = (struct raw_node){
		.kind = kind,
		.cpu_cores_allocated = GLASS_UNKNOWN,
		.cpu_time_ns = GLASS_U64_UNKNOWN,
		.mem_allocated = GLASS_U64_UNKNOWN,
		.mem_max = GLASS_U64_UNKNOWN,
		.mem_used = GLASS_U64_UNKNOWN,
		.mem_available = GLASS_U64_UNKNOWN,
		.swap_total = GLASS_U64_UNKNOWN,
		.swap_used = GLASS_U64_UNKNOWN,
		.disk_read_bytes = GLASS_U64_UNKNOWN,
		.disk_write_bytes = GLASS_U64_UNKNOWN,
		.net_rx_bytes = GLASS_U64_UNKNOWN,
		.net_tx_bytes = GLASS_U64_UNKNOWN,
		.given_cpu_cores = GLASS_UNKNOWN,
		.given_disk_read_bps = GLASS_UNKNOWN,
		.given_disk_write_bps = GLASS_UNKNOWN,
		.given_net_rx_bps = GLASS_UNKNOWN,
		.given_net_tx_bps = GLASS_UNKNOWN,
		.pids_current = GLASS_U64_UNKNOWN,
		.pids_max = GLASS_U64_UNKNOWN,
		.load = {GLASS_UNKNOWN, GLASS_UNKNOWN, GLASS_UNKNOWN},
		.psi_some = {GLASS_UNKNOWN, GLASS_UNKNOWN, GLASS_UNKNOWN},
		.psi_full = {GLASS_UNKNOWN, GLASS_UNKNOWN, GLASS_UNKNOWN},
		.power_watts = GLASS_UNKNOWN,
	};
	return n;
}

struct raw_node *reading_add_node(struct reading *r, enum node_kind kind, const char *id,
				  const char *parent_id, const char *name)
{
	size_t id_len = strlen(id) + 1, name_len = strlen(name) + 1;
	size_t parent_len = parent_id ? strlen(parent_id) + 1 : 0;
	/* one allocation for the three: a fleet's nodes are mostly these */
	char *text = xmalloc(id_len + name_len + parent_len);
	struct raw_node *n = add_node(r, kind);

	n->id = memcpy(text, id, id_len);
	n->name = memcpy(text + id_len, name, name_len);
	n->parent_id = parent_id ? memcpy(text + id_len + name_len, parent_id, parent_len) : NULL;
	return n;
}

struct raw_node *reading_add_node_keyed(struct reading *r, enum node_kind kind, const char *id,
					const char *parent_id, const char *name)
{
	struct raw_node *n = add_node(r, kind);

	n->keyed = true;
	n->id = idmap_key_ref(id);
	n->parent_id = parent_id ? idmap_key_ref(parent_id) : NULL;
	n->name = name ? name : n->id;
	return n;
}

void raw_node_set_state(struct raw_node *n, const char *state)
{
	str_pool_free(n->state);
	n->state = str_pool(state);
}

void raw_node_set_runtime(struct raw_node *n, const char *runtime)
{
	str_pool_free(n->runtime);
	n->runtime = str_pool(runtime);
}

void raw_node_set_health(struct raw_node *n, enum health h, const char *reason)
{
	free(n->health_reason);
	n->health_set = true;
	n->health = h;
	n->health_reason = reason && *reason ? xstrdup(reason) : NULL;
}

void raw_node_set_owner(struct raw_node *n, const char *owner, const char *source)
{
	free(n->owner);
	n->owner = owner && *owner ? xstrdup(owner) : NULL;
	n->owner_source = n->owner ? source : NULL;
}

struct raw_energy *raw_node_energy(struct raw_node *n)
{
	if (!n->energy)
		n->energy = xcalloc(1, sizeof(*n->energy));
	return n->energy;
}

struct raw_more *raw_node_more(struct raw_node *n)
{
	if (!n->more)
		n->more = xcalloc(1, sizeof(*n->more));
	return n->more;
}

struct raw_dev *raw_node_add_dev(struct raw_node *n, enum raw_dev_kind kind, const char *name)
{
	struct raw_more *m = raw_node_more(n);
	struct raw_dev *d;

	m->devs = xreallocarray(m->devs, m->n_devs + 1, sizeof(*m->devs));
	d = &m->devs[m->n_devs++];
	*d = (struct raw_dev){
		.name = xstrdup(name),
		.kind = kind,
		.read_bytes = GLASS_U64_UNKNOWN,
		.write_bytes = GLASS_U64_UNKNOWN,
		.given_read_bps = GLASS_UNKNOWN,
		.given_write_bps = GLASS_UNKNOWN,
	};
	return d;
}

struct raw_fs *raw_node_add_fs(struct raw_node *n, const char *mount, const char *device,
			       const char *fs_type)
{
	struct raw_more *m = raw_node_more(n);
	struct raw_fs *f;

	m->fs = xreallocarray(m->fs, m->n_fs + 1, sizeof(*m->fs));
	f = &m->fs[m->n_fs++];
	*f = (struct raw_fs){
		.mount = xstrdup(mount),
		.device = xstrdup_or_null(device),
		.fs_type = xstrdup_or_null(fs_type),
		.size_bytes = GLASS_U64_UNKNOWN,
		.used_bytes = GLASS_U64_UNKNOWN,
		.avail_bytes = GLASS_U64_UNKNOWN,
	};
	return f;
}
