/* reading.h: what one source saw at one moment, raw (DESIGN.md §1).
 *
 * A reading is a flat list of raw nodes.  Counters are cumulative (cpu
 * time, bytes) and never rates: the model turns them into rates from the
 * deltas between two readings over the monotonic time between them.
 * Gauges (memory, pids, allocations) are taken as they are.  Every field
 * that could not be read is unknown (value.h), never 0.
 *
 * A reading is immutable once published and reference-counted, so a
 * poller thread can publish the next one while the main thread still
 * reads this one. */
#ifndef GLASS_READING_H
#define GLASS_READING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "glass/health.h"
#include "glass/identity.h"
#include "glass/node_kind.h"

struct proc_list;

enum raw_dev_kind { RAW_DEV_DISK, RAW_DEV_NET };

/* Energy counters one node may carry (RAPL: packages and dram). */
#define RAW_ENERGY_MAX 8

/* Pressure stall information: which resource (index of psi_some/psi_full). */
enum psi_resource { PSI_CPU, PSI_MEMORY, PSI_IO };

/* One disk or network device of a node: two counters each. */
struct raw_dev {
	char *name;
	enum raw_dev_kind kind;
	uint64_t read_bytes;  /* disk: read; net: received */
	uint64_t write_bytes; /* disk: written; net: transmitted */
	/* the rates its source already has (a remote glass's), standing in
	 * where the counters give none; NaN unknown */
	double given_read_bps;
	double given_write_bps;
};

struct raw_fs {
	char *mount;
	char *device;
	char *fs_type;
	uint64_t size_bytes;
	uint64_t used_bytes;
	uint64_t avail_bytes;
};

/* Energy counters in microjoules (RAPL zones, summed by the model), each
 * wrapping to 0 past its max (GLASS_U64_UNKNOWN: never wraps). */
struct raw_energy {
	size_t n;
	uint64_t uj[RAW_ENERGY_MAX];
	uint64_t max_uj[RAW_ENERGY_MAX];
};

struct raw_node {
	/* id, parent_id and name share one allocation (reading_add_node's),
	 * or, with `keyed`, id and parent_id are shared keys (idmap.h) the
	 * node holds and name is id or in its key's allocation
	 * (reading_add_node_keyed's); state and runtime are pooled
	 * (str_pool.h): a few words repeated on every node of a fleet */
	const char *id;        /* stable: host:<name>, vm:<host>/<uuid>, ct:<host>/<path> */
	const char *parent_id; /* NULL: directly under the site */
	const char *name;
	const char *state;   /* "running", "paused", ...; NULL when it has none */
	const char *runtime; /* "docker", "libvirt", ...; NULL when none */
	/* who the node belongs to, as its source knows it (owner.h): a libvirt
	 * domain's metadata or title, a container's label, a pod's namespace,
	 * a user slice's user; NULL when the source knows none */
	char *owner;
	const char *owner_source; /* static (owner_source_static); NULL with no owner */
	char *health_reason; /* NULL when none */
	enum node_kind kind;
	/* the node's own health, where its source speaks for many machines
	 * (a Prometheus target that is down, a far glass's stale node);
	 * without health_set the node has its source's */
	enum health health;
	bool health_set;
	bool keyed; /* id and parent_id are shared keys, held */

	double cpu_cores_allocated; /* NaN when unknown (no quota) */
	uint64_t cpu_time_ns;       /* counter: cpu time used, all cpus */

	uint64_t mem_allocated; /* bytes; a VM: what it holds now (balloon current) */
	uint64_t mem_max;       /* bytes; a VM: the most it may be given */
	uint64_t mem_used;      /* bytes */
	uint64_t mem_available; /* bytes; hosts */
	const char *mem_source; /* static string: how mem_used was measured */
	uint64_t swap_total;
	uint64_t swap_used;

	/* counters, summed over devices */
	uint64_t disk_read_bytes;
	uint64_t disk_write_bytes;
	uint64_t net_rx_bytes;
	uint64_t net_tx_bytes;
	/* rates a source already has (a remote glass's, Prometheus's rate()):
	 * they stand in where the counters give none yet (the first reading,
	 * a reset); NaN unknown */
	double given_cpu_cores;
	double given_disk_read_bps;
	double given_disk_write_bps;
	double given_net_rx_bps;
	double given_net_tx_bps;

	uint64_t pids_current;
	uint64_t pids_max;
	double load[3]; /* hosts: 1, 5, 15 min; NaN unknown */
	/* PSI avg10 in percent, [PSI_CPU|PSI_MEMORY|PSI_IO]; NaN unknown */
	double psi_some[3];
	double psi_full[3];
	/* power: energy counters (raw_node_energy; NULL: none, as on every
	 * node but a measured host), and/or a watts gauge where the far side
	 * gives watts (a remote glass, a BMC); NaN unknown */
	struct raw_energy *energy;
	double power_watts;
	const char *power_source; /* static: "rapl", "ipmi", "model", "attributed"; NULL */

	/* devices, filesystems, identity and processes: NULL when the node
	 * has none (raw_node_more makes it) */
	struct raw_more *more;
};

/* What only some nodes carry (hosts, VMs, a far glass's nodes), apart
 * from the raw node: a fleet's containers, two readings of them alive
 * at once, then pay one pointer for it instead of 64 bytes. */
struct raw_more {
	struct raw_dev *devs;
	size_t n_devs;
	struct raw_fs *fs;
	size_t n_fs;
	/* hosts: SMBIOS UUID and NIC MACs; VMs: domain UUID and interface
	 * MACs (the guest join, DESIGN.md §2) */
	struct identity ident;
	struct proc_list *procs; /* what a remote glass sent: its busiest
				  * processes; NULL none */
};

/* The node's struct raw_more, made (empty) the first time. */
struct raw_more *raw_node_more(struct raw_node *n);

/* Nodes per block of a reading (reading_node).  A block stays under
 * malloc's mmap threshold (128 KiB): a fleet's reading is then made of
 * blocks the heap hands back from the last one freed, never moved once
 * written, where one array grown by doubling is mmapped fresh for every
 * reading and moved by mremap as it grows, and each of its pages faults
 * again when the model first reads it. */
#define READING_BLOCK_SHIFT 8
#define READING_BLOCK_NODES ((size_t)1 << READING_BLOCK_SHIFT)

struct reading {
	atomic_int refs;
	uint64_t mono_ns; /* when it was sampled (monotonic) */
	/* node i is blocks[i / READING_BLOCK_NODES][i % READING_BLOCK_NODES]:
	 * every block but the last holds READING_BLOCK_NODES */
	struct raw_node **blocks;
	size_t n_blocks, cap_blocks;
	size_t n_nodes;
	size_t cap_nodes; /* room in the blocks there are */
};

/* Node i of the reading (i < n_nodes); its address never changes once
 * the reading is sealed. */
static inline struct raw_node *reading_node(const struct reading *r, size_t i)
{
	return &r->blocks[i >> READING_BLOCK_SHIFT][i & (READING_BLOCK_NODES - 1)];
}

struct reading *reading_new(void);
/* Gives back the room the last block grew into and no node took: a
 * source calls it (through board_publish) once the reading is whole. */
void reading_seal(struct reading *r);
struct reading *reading_ref(struct reading *r);
void reading_unref(struct reading *r);

/* Appends a node with every field unknown; strings are copied.  The
 * pointer stays good until the next reading_add_node or reading_seal
 * (the first block grows in place); reading_node(r, i) is for later. */
struct raw_node *reading_add_node(struct reading *r, enum node_kind kind, const char *id,
				  const char *parent_id, const char *name);
/* The same, the node holding `id` and `parent_id` (NULL: none) as shared
 * keys (idmap.h) where reading_add_node copies them: a source that keeps
 * its ids as keys across readings (a fleet's) pays no copy per node per
 * reading.  `name` is NULL (the id is the name) or lives as long as the
 * id's key: in the record idmap_key_new_inline made with it. */
struct raw_node *reading_add_node_keyed(struct reading *r, enum node_kind kind, const char *id,
					const char *parent_id, const char *name);
void raw_node_set_state(struct raw_node *n, const char *state);
void raw_node_set_runtime(struct raw_node *n, const char *runtime);
/* An owner hint and where it came from (a static string); NULL clears. */
void raw_node_set_owner(struct raw_node *n, const char *owner, const char *source);
/* The node's own health and why (copied; NULL none). */
void raw_node_set_health(struct raw_node *n, enum health h, const char *reason);
/* The node's energy counters, made (none yet) on first use. */
struct raw_energy *raw_node_energy(struct raw_node *n);
/* How many energy counters the node carries. */
static inline size_t raw_node_n_energy(const struct raw_node *n)
{
	return n->energy ? n->energy->n : 0;
}
struct raw_dev *raw_node_add_dev(struct raw_node *n, enum raw_dev_kind kind, const char *name);
struct raw_fs *raw_node_add_fs(struct raw_node *n, const char *mount, const char *device,
			       const char *fs_type);

#endif
