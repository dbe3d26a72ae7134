/* node.h: the finished tree that views read (DESIGN.md §2).
 *
 * Every node carries the same resource record, so views and rollups treat
 * all kinds alike.  Every number is a double and unknown is NaN (value.h):
 * a view prints it as "—" or null, never 0.  A tree is built whole by the
 * model and owned by its caller; views never change it. */
#ifndef GLASS_NODE_H
#define GLASS_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "glass/health.h"
#include "glass/identity.h"
#include "glass/node_kind.h"
#include "glass/procs.h"
#include "glass/reading.h"

struct node_dev {
	char *name;
	enum raw_dev_kind kind;
	double read_bps;  /* disk read / net rx, bytes per second */
	double write_bps; /* disk write / net tx */
};

struct node_fs {
	char *mount;
	char *device;
	char *fs_type;
	double size_bytes;
	double used_bytes;
	double avail_bytes;
};

struct resources {
	double cpu_cores_allocated;
	double cpu_cores_used;
	double mem_bytes_allocated;
	double mem_bytes_max; /* a VM's balloon maximum; NaN unknown */
	double mem_bytes_used;
	double mem_bytes_available;
	const char *mem_source; /* static; NULL when unknown */
	double swap_bytes_total;
	double swap_bytes_used;
	double disk_read_bps;
	double disk_write_bps;
	double net_rx_bps;
	double net_tx_bps;
	double pids_current;
	double pids_max;
	double load[3];
	double psi_some[3]; /* PSI avg10, percent: [PSI_CPU|PSI_MEMORY|PSI_IO] */
	double psi_full[3];
	double power_watts;       /* NaN unknown */
	const char *power_source; /* static: rapl|ipmi|model|attributed; NULL unknown */
	double energy_joules;     /* measured energy since glass started; NaN unknown */
	/* energy per month at this power, with the facility overhead (PUE);
	 * its cost and CO2 where cost.kwh / carbon.g_per_kwh are set (power.h) */
	double energy_kwh_month;
	double energy_cost_month;
	double co2_kg_month;
};

/* The idle policy's verdict on one resource of a node (idle.h). */
struct idle_flag {
	double utilization; /* windowed average of used / allocated; NaN unknown */
	bool idle;          /* allocation known and utilization under threshold */
	bool provisional;   /* watched for less than a whole window */
	bool counted;       /* flagged and summed in the rollups: a host, or a
			     * top-level holder of this resource (nothing above
			     * it below the host holds it) */
	double observed_s;  /* how long the node has been watched */
	double idle_amount; /* when flagged: a holder's slack (allocated - average
			     * used), a host's physical idle (capacity - average
			     * used); else 0; NaN unknown */
	double peak;        /* p95 of used over the window; NaN unknown */
	double right_size;  /* the allocation the hint proposes; NaN when none */
};

/* Sums for a host or the site (DESIGN.md §3), in the resource's units
 * (cores or bytes).  A host whose use is unknown is left out of `used` and
 * `idle` and counted in `hosts_unknown`; NaN when no host's use is known. */
struct rollup_res {
	double total;       /* capacity: the hosts' logical CPUs / RAM */
	double measured;    /* capacity of the hosts whose use is known */
	double used;        /* average use over the window of those hosts */
	double idle;        /* physical idle: per host capacity - use, in [0, capacity] */
	double allocated;   /* held by top-level holders: VMs that are on,
			     * containers with a limit */
	double slack;       /* allocated - used of the flagged top-level holders */
	double idle_hosts;  /* physical idle of the hosts flagged on this resource */
	double unallocated; /* per host max(0, capacity - allocated), summed */
	double overcommit;  /* allocated / total; NaN when total is 0 */
	size_t hosts_unknown; /* hosts whose use (or capacity) is unknown */
};

struct rollup {
	struct rollup_res cpu;  /* cores */
	struct rollup_res mem;  /* bytes */
	size_t idle_holders;    /* flagged top-level holders (VMs, containers) */
	size_t idle_hosts;      /* hosts flagged on cpu or memory */
	size_t hosts, vms, containers, groups;
	size_t vms_off;         /* shut-off VMs: they hold nothing while off */
	/* Money per month with a cost model, never added together: what the
	 * physically idle hardware costs, and what right-sizing the flagged
	 * holders would reclaim.  NaN without a cost model. */
	double idle_cost_month;
	double slack_cost_month;
	/* power (power.h): the hosts' watts and what the idle capacity burns;
	 * energy per month with PUE, its cost and CO2 (NaN unconfigured) */
	struct rollup_power {
		bool applied;       /* the power stage ran: else every figure unknown */
		double watts;       /* sum over hosts whose watts are known; NaN: none */
		size_t hosts_unknown; /* hosts left out: watts unknown */
		double kwh_month;
		double cost_month;
		double co2_kg_month;
		double pue;         /* the facility overhead the energy includes */
	} power, idle_power;
};

/* What a VM's guest OS says of itself, once its host (a remote glass) is
 * joined to the VM (DESIGN.md §2): beside what the hypervisor sees. */
struct guest_view {
	char *host_id;         /* the guest host's own id (host:<name>) */
	char *host_name;
	const char *joined_by; /* static: uuid|mac|name|config */
	bool stale;            /* the guest's glass has no fresh reading: last known figures */
	double cpu_cores;      /* the guest's logical CPUs */
	double cpu_cores_used;
	double mem_bytes_total;
	double mem_bytes_used;
	double mem_bytes_available;
	double load[3];
	double psi_some[3];
	double psi_full[3];
	/* Set by the idle policy: what the guest's top-level holders
	 * (containers with a limit) were given, and the VM's allocation
	 * they leave, max(0, VM - given); NaN unknown. */
	double inner_cpu_allocated;
	double inner_cpu_unallocated;
	double inner_mem_allocated;
	double inner_mem_unallocated;
};

/* What few nodes have, kept out of every node's allocation: a tree of
 * 100,000 containers holds none of it. */
struct node_extra {
	char *merged_id;         /* the cgroup this VM also is (identity merge); NULL */
	char *owner_hint;        /* what its source said (raw_node.owner); NULL */
	const char *owner_hint_source; /* static; NULL */
	char *join_note;         /* why a guest join was not made; NULL */
};

struct node {
	const char *id;   /* a shared key (idmap.h), held */
	const char *name; /* in the node's own allocation */
	/* pooled (str_pool.h): a few words repeated on every node */
	const char *state;   /* NULL when the kind has none */
	const char *runtime; /* NULL when none */
	char *owner;   /* who it is charged to (owner.h); NULL: unowned */
	const char *owner_source; /* static: config, libvirt-metadata, ..., inherited; NULL */
	struct node *parent; /* (borrowed) NULL for the site */
	struct node **children;
	size_t n_children;
	enum node_kind kind;
	int source;  /* index into tree.sources; -1 for the site */
	bool stale;  /* its source has no fresh reading: last known values */
	/* its source's health, or the node's own where the source speaks for
	 * many machines and says one of them is stale or unreachable */
	bool matched;  /* chosen by --filter/--kind (true when none given) */
	bool selected; /* matched, or an ancestor of a matched node: shown in trees */
	enum health health;
	uint32_t n_devs;
	uint32_t n_fs;
	char *health_reason; /* NULL when none */
	struct resources res;
	struct node_dev *devs;
	struct node_fs *fs;
	struct idle_flag idle_cpu;
	struct idle_flag idle_mem;
	double idle_cost_month; /* the node's idle_amounts priced (a holder's slack,
				 * a host's physical idle); NaN without a cost model */
	struct rollup *rollup;  /* hosts and the site only; else NULL */
	struct node_extra *extra; /* NULL: every field of it NULL */
	struct identity ident;  /* hosts and VMs: UUID, MACs */
	struct guest_view *guest; /* a VM whose guest host is joined; else NULL */
	struct proc_list *procs; /* its busiest processes (--processes, or what a
				  * remote glass sent); NULL when not read */
};

struct tree_source {
	char *name; /* redacted */
	const char *kind;
	enum health health;
	char *reason;            /* NULL when none */
	uint64_t last_ok_wall_ns;    /* 0: never */
	uint64_t next_retry_wall_ns; /* 0: none planned */
	int same_as; /* another source that reports this one's host (the same
		      * machine through two URIs): shown once; -1 when none */
};

struct tree {
	struct node *root; /* the site */
	struct tree_source *sources;
	size_t n_sources;
	uint64_t wall_ns; /* when the tree was built */
	double interval_s;
	uint64_t seq; /* snapshot number, from 1 */
	size_t n_nodes;
	bool idle_applied;      /* the idle policy ran on this tree */
	double idle_threshold;  /* as applied */
	double idle_window_s;
	const char *currency;   /* (borrowed) NULL without a cost model */
	double cost_core_month; /* the cost model's rates, as applied; NaN unset */
	double cost_gib_month;
	char *idle_summary;     /* a replayed tree's recorded line; else NULL */
	bool replayed;          /* read back from a --record file */
	char **strings;         /* strings a replayed tree owns (kinds, sources) */
	size_t n_strings;
};

/* A node with every resource unknown; strings copied. */
struct node *node_new(enum node_kind kind, const char *id, const char *name);
/* The same, holding `key` (a shared key, idmap.h) as its id. */
struct node *node_new_keyed(enum node_kind kind, const char *key, const char *name);
void node_add_child(struct node *parent, struct node *child);
void node_free(struct node *n); /* and its subtree */
/* The node's extra fields, made (all NULL) on first use. */
struct node_extra *node_extra(struct node *n);
static inline const char *node_merged_id(const struct node *n)
{
	return n->extra ? n->extra->merged_id : NULL;
}
static inline const char *node_owner_hint(const struct node *n)
{
	return n->extra ? n->extra->owner_hint : NULL;
}
static inline const char *node_owner_hint_source(const struct node *n)
{
	return n->extra ? n->extra->owner_hint_source : NULL;
}
static inline const char *node_join_note(const struct node *n)
{
	return n->extra ? n->extra->join_note : NULL;
}
/* The node's health and why (copied; NULL none). */
void node_set_health(struct node *n, enum health h, const char *reason);
void resources_init_unknown(struct resources *res);
void idle_flag_init_unknown(struct idle_flag *f);
/* A guest view with every figure unknown; strings copied. */
struct guest_view *guest_view_new(const char *host_id, const char *host_name, const char *joined_by);
void guest_view_free(struct guest_view *g);

void tree_free(struct tree *t);
/* Keeps a copy of s for the tree's lifetime; returns the copy. */
const char *tree_intern(struct tree *t, const char *s);
/* Marks the nodes --filter (a glob on name or id, NULL for all) and
 * --kind (a mask of 1 << kind, 0 for all) choose, and their ancestors. */
void tree_select(struct tree *t, const char *glob, unsigned kinds);
/* Calls fn on every node, depth first, parents before children. */
void tree_walk(const struct node *n, int depth, void (*fn)(const struct node *, int, void *),
	       void *arg);

#endif
