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
#include "glass/node_kind.h"
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
};

struct node {
	char *id;
	enum node_kind kind;
	char *name;
	char *state;   /* NULL when the kind has none */
	char *runtime; /* NULL when none */
	struct node *parent; /* (borrowed) NULL for the site */
	struct node **children;
	size_t n_children;
	int source;  /* index into tree.sources; -1 for the site */
	bool stale;  /* its source has no fresh reading: last known values */
	struct resources res;
	struct node_dev *devs;
	size_t n_devs;
	struct node_fs *fs;
	size_t n_fs;
};

struct tree_source {
	char *name; /* redacted */
	const char *kind;
	enum health health;
	char *reason;            /* NULL when none */
	uint64_t last_ok_wall_ns;    /* 0: never */
	uint64_t next_retry_wall_ns; /* 0: none planned */
};

struct tree {
	struct node *root; /* the site */
	struct tree_source *sources;
	size_t n_sources;
	uint64_t wall_ns; /* when the tree was built */
	double interval_s;
	uint64_t seq; /* snapshot number, from 1 */
	size_t n_nodes;
};

/* A node with every resource unknown; strings copied. */
struct node *node_new(enum node_kind kind, const char *id, const char *name);
void node_add_child(struct node *parent, struct node *child);
void node_free(struct node *n); /* and its subtree */
void resources_init_unknown(struct resources *res);

void tree_free(struct tree *t);
/* Calls fn on every node, depth first, parents before children. */
void tree_walk(const struct node *n, int depth, void (*fn)(const struct node *, int, void *),
	       void *arg);

#endif
