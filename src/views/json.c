#include <stdlib.h>
#include <string.h>

#include "glass/clock.h"
#include "glass/idle.h"
#include "glass/json_view.h"
#include "glass/metric.h"
#include "glass/value.h"
#include "glass/view.h"
#include "glass/view_spill.h"

/* The version of the snapshot's shape (doc/snapshot.schema.json): a
 * reader refuses a document whose major version it does not know. */
#define SNAPSHOT_SCHEMA_VERSION 1

/* A member whose name is a literal: its length known at compile time. */
#define KEY(j, k) JSON_OUT_KEY(j, k)
#define KSTR(j, k, s) (KEY(j, k), json_out_string((j), (s)))
#define KNUM(j, k, v, d) (KEY(j, k), json_out_number((j), (v), (d)))
#define KWHOLE(j, k, v) (KEY(j, k), json_out_whole((j), (v)))
#define KBOOL(j, k, v) (KEY(j, k), json_out_bool((j), (v)))
#define KCOUNT(j, k, v) (KEY(j, k), json_out_i64((j), (int64_t)(v)))

static void put_time(struct json_out *j, uint64_t wall_ns)
{
	char buf[40];

	if (!wall_ns) {
		json_out_null(j);
		return;
	}
	clock_format_rfc3339(wall_ns, buf, sizeof(buf));
	json_out_string(j, buf);
}

static void put_devs(struct json_out *j, const struct node *n, enum raw_dev_kind kind)
{
	bool disk = kind == RAW_DEV_DISK;

	json_out_begin_array(j);
	for (size_t i = 0; i < n->n_devs; i++) {
		const struct node_dev *d = &n->devs[i];
		if (d->kind != kind)
			continue;
		json_out_begin_object(j);
		KSTR(j, "name", d->name);
		json_out_key(j, disk ? "read_bytes_per_second" : "rx_bytes_per_second");
		json_out_number(j, d->read_bps, 1);
		json_out_key(j, disk ? "write_bytes_per_second" : "tx_bytes_per_second");
		json_out_number(j, d->write_bps, 1);
		json_out_end_object(j);
	}
	json_out_end_array(j);
}

static void put_fs(struct json_out *j, const struct node *n)
{
	json_out_begin_array(j);
	for (size_t i = 0; i < n->n_fs; i++) {
		const struct node_fs *f = &n->fs[i];

		json_out_begin_object(j);
		KSTR(j, "mount", f->mount);
		KSTR(j, "device", f->device);
		KSTR(j, "type", f->fs_type);
		KWHOLE(j, "size_bytes", f->size_bytes);
		KWHOLE(j, "used_bytes", f->used_bytes);
		KWHOLE(j, "available_bytes", f->avail_bytes);
		json_out_end_object(j);
	}
	json_out_end_array(j);
}

static void put_flag(struct json_out *j, const struct idle_flag *f, bool cpu)
{
	json_out_begin_object(j);
	KNUM(j, "utilization", f->utilization, 4);
	KBOOL(j, "idle", f->idle);
	KBOOL(j, "provisional", f->provisional);
	KBOOL(j, "counted", f->counted);
	KNUM(j, "observed_seconds", f->observed_s, 1);
	if (cpu) {
		KNUM(j, "idle_cores", f->idle_amount, 4);
		KNUM(j, "p95_cores_used", f->peak, 4);
		KNUM(j, "right_size_cores", f->right_size, 1);
	} else {
		KWHOLE(j, "idle_bytes", f->idle_amount);
		KWHOLE(j, "p95_bytes_used", f->peak);
		KWHOLE(j, "right_size_bytes", f->right_size);
	}
	json_out_end_object(j);
}

/* Cores with 4 decimals, bytes whole. */
static void put_amount(struct json_out *j, double v, bool cpu)
{
	if (cpu)
		json_out_number(j, v, 4);
	else
		json_out_whole(j, v);
}

static void put_rollup_res(struct json_out *j, const struct rollup_res *r, bool cpu)
{
	json_out_begin_object(j);
	KEY(j, "total");
	put_amount(j, r->total, cpu);
	KEY(j, "measured");
	put_amount(j, r->measured, cpu);
	KEY(j, "used");
	put_amount(j, r->used, cpu);
	KEY(j, "idle");
	put_amount(j, r->idle, cpu);
	KEY(j, "allocated");
	put_amount(j, r->allocated, cpu);
	KEY(j, "slack");
	put_amount(j, r->slack, cpu);
	KEY(j, "idle_hosts");
	put_amount(j, r->idle_hosts, cpu);
	KEY(j, "unallocated");
	put_amount(j, r->unallocated, cpu);
	KNUM(j, "overcommit", r->overcommit, 4);
	KCOUNT(j, "hosts_unknown", r->hosts_unknown);
	json_out_end_object(j);
}

/* Watts and their energy, cost and CO2 per month: apart from the
 * hardware's idle_cost_per_month. */
static void put_rollup_power(struct json_out *j, const struct rollup_power *p)
{
	json_out_begin_object(j);
	KNUM(j, "watts", p->watts, 1);
	KCOUNT(j, "hosts_unknown", p->hosts_unknown);
	KNUM(j, "energy_kwh_per_month", p->kwh_month, 2);
	KNUM(j, "energy_cost_per_month", p->cost_month, 2);
	KNUM(j, "co2_kg_per_month", p->co2_kg_month, 2);
	KNUM(j, "pue", p->pue, 3);
	json_out_end_object(j);
}

void json_emit_rollup(struct json_out *j, const struct rollup *r)
{
	json_out_begin_object(j);
	KEY(j, "cpu_cores");
	put_rollup_res(j, &r->cpu, true);
	KEY(j, "memory_bytes");
	put_rollup_res(j, &r->mem, false);
	KCOUNT(j, "idle_holders", r->idle_holders);
	KCOUNT(j, "idle_hosts", r->idle_hosts);
	KCOUNT(j, "hosts", r->hosts);
	KCOUNT(j, "vms", r->vms);
	KCOUNT(j, "vms_off", r->vms_off);
	KCOUNT(j, "containers", r->containers);
	KCOUNT(j, "groups", r->groups);
	KNUM(j, "idle_cost_per_month", r->idle_cost_month, 2);
	KNUM(j, "slack_cost_per_month", r->slack_cost_month, 2);
	if (r->power.applied) {
		KEY(j, "power");
		put_rollup_power(j, &r->power);
		KEY(j, "idle_power");
		put_rollup_power(j, &r->idle_power);
	}
	json_out_end_object(j);
}

/* The idle verdict of one node. */
static void put_idle(struct json_out *j, const struct node *n)
{
	json_out_begin_object(j);
	KEY(j, "cpu");
	put_flag(j, &n->idle_cpu, true);
	KEY(j, "memory");
	put_flag(j, &n->idle_mem, false);
	KNUM(j, "cost_per_month", n->idle_cost_month, 2);
	json_out_end_object(j);
}

/* The hints a guest join matches on: hosts and VMs. */
static void put_identity(struct json_out *j, const struct identity *id)
{
	json_out_begin_object(j);
	KSTR(j, "uuid", id->uuid);
	KEY(j, "macs");
	json_out_begin_array(j);
	for (size_t i = 0; i < id->n_macs; i++)
		json_out_string(j, id->macs[i]);
	json_out_end_array(j);
	json_out_end_object(j);
}

static void group_end(struct json_out *j, enum metric_group g)
{
	if (g == METRIC_GROUP_PRESSURE)
		json_out_end_object(j);
	else if (g == METRIC_GROUP_LOAD)
		json_out_end_array(j);
}

/* Every row of a metric table the node's kind carries, from the record
 * that holds them (the node's resources, its guest's view), in the
 * table's order: a group ("pressure", "load") opens at its first row. */
static void put_metrics(struct json_out *j, const struct metric *m, size_t n_metrics,
			enum node_kind kind, const void *record)
{
	enum metric_group group = METRIC_GROUP_NODE;

	for (size_t i = 0; i < n_metrics; i++) {
		if (!metric_applies(&m[i], kind))
			continue;
		if (m[i].group != group) {
			group_end(j, group);
			group = m[i].group;
			if (group == METRIC_GROUP_PRESSURE) {
				KEY(j, "pressure");
				json_out_begin_object(j);
			} else if (group == METRIC_GROUP_LOAD) {
				KEY(j, "load");
				json_out_begin_array(j);
			}
		}
		if (m[i].json_key)
			json_out_key(j, m[i].json_key);
		if (m[i].unit == METRIC_TEXT) {
			json_out_string(j, *(const char *const *)(const void *)((const char *)record + m[i].off));
		} else {
			int d = metric_decimals(m[i].unit);
			if (d < 0)
				json_out_whole(j, metric_value_in(&m[i], record));
			else
				json_out_number(j, metric_value_in(&m[i], record), d);
		}
	}
	group_end(j, group);
}

/* What a joined guest's OS says of itself, beside the hypervisor's view. */
static void put_guest(struct json_out *j, const struct guest_view *g)
{
	json_out_begin_object(j);
	KSTR(j, "host_id", g->host_id);
	KSTR(j, "host_name", g->host_name);
	KBOOL(j, "stale", g->stale);
	size_t n_metrics;
	const struct metric *m = guest_metrics_all(&n_metrics);
	put_metrics(j, m, n_metrics, NODE_VM, g);
	json_out_end_object(j);
}

/* --processes: the busiest first, as read (names escaped like every
 * string). */
static void put_procs(struct json_out *j, const struct proc_list *l)
{
	json_out_begin_array(j);
	for (size_t i = 0; i < l->n; i++) {
		const struct proc_info *p = &l->v[i];
		char st[2] = {p->state, '\0'};

		json_out_begin_object(j);
		KCOUNT(j, "pid", p->pid);
		KSTR(j, "user", p->user);
		KSTR(j, "command", p->command);
		KSTR(j, "state", st);
		KNUM(j, "cpu_percent", p->cpu_pct, 1);
		KWHOLE(j, "rss_bytes", p->rss_bytes);
		json_out_end_object(j);
	}
	json_out_end_array(j);
}

void json_emit_node(struct json_out *j, const struct node *n)
{
	KSTR(j, "id", n->id);
	KSTR(j, "kind", node_kind_name(n->kind));
	KSTR(j, "name", n->name);
	KSTR(j, "state", n->state);
	KSTR(j, "runtime", n->runtime);
	KSTR(j, "owner", n->owner);
	KSTR(j, "owner_source", n->owner_source);
	KBOOL(j, "stale", n->stale);
	KSTR(j, "health", health_name(n->health));
	KSTR(j, "health_reason", n->health_reason);
	size_t n_metrics;
	const struct metric *m = metrics_all(&n_metrics);
	put_metrics(j, m, n_metrics, n->kind, &n->res);
	if (n->kind == NODE_HOST) {
		KEY(j, "filesystems");
		put_fs(j, n);
	}
	if (node_merged_id(n))
		KSTR(j, "merged_cgroup_id", node_merged_id(n));
	if (n->kind == NODE_HOST || n->kind == NODE_VM) {
		KEY(j, "identity");
		put_identity(j, &n->ident);
		KSTR(j, "join_note", node_join_note(n));
	}
	if (n->kind == NODE_VM) {
		KSTR(j, "joined_by", n->guest ? n->guest->joined_by : NULL);
		KEY(j, "guest");
		if (n->guest)
			put_guest(j, n->guest);
		else
			json_out_null(j);
	}
	if (n->procs) {
		KEY(j, "processes");
		put_procs(j, n->procs);
	}
	KEY(j, "idle");
	put_idle(j, n);
	if (n->rollup) {
		KEY(j, "rollup");
		json_emit_rollup(j, n->rollup);
	}
	if (n->n_devs) {
		KEY(j, "disks");
		put_devs(j, n, RAW_DEV_DISK);
		KEY(j, "interfaces");
		put_devs(j, n, RAW_DEV_NET);
	}
}

/* A node and its selected subtree, "children" last. */
static void put_subtree(struct json_out *j, const struct node *n)
{
	json_out_begin_object(j);
	json_emit_node(j, n);
	view_row_done(j->sb);
	KEY(j, "children");
	json_out_begin_array(j);
	for (size_t i = 0; i < n->n_children; i++)
		if (n->children[i]->selected)
			put_subtree(j, n->children[i]);
	json_out_end_array(j);
	json_out_end_object(j);
}

static void put_sources(struct json_out *j, const struct tree *t)
{
	json_out_begin_array(j);
	for (size_t i = 0; i < t->n_sources; i++) {
		const struct tree_source *s = &t->sources[i];

		json_out_begin_object(j);
		KSTR(j, "name", s->name);
		KSTR(j, "kind", s->kind);
		KSTR(j, "health", health_name(s->health));
		KSTR(j, "reason", s->reason);
		KEY(j, "last_ok");
		put_time(j, s->last_ok_wall_ns);
		KEY(j, "next_retry");
		put_time(j, s->next_retry_wall_ns);
		if (s->same_as >= 0 && (size_t)s->same_as < t->n_sources)
			KSTR(j, "same_as", t->sources[s->same_as].name);
		json_out_end_object(j);
	}
	json_out_end_array(j);
}

static void put_idle_policy(struct json_out *j, const struct tree *t)
{
	json_out_begin_object(j);
	/* a replayed tree keeps the recorded line: recomputing it from
	 * rounded figures could change a digit */
	if (t->idle_summary) {
		KSTR(j, "summary", t->idle_summary);
	} else {
		char *line = t->root->rollup ? idle_summary_line(t->root->rollup, true) : NULL;

		KSTR(j, "summary", line);
		free(line);
	}
	KNUM(j, "threshold", t->idle_threshold, 4);
	KNUM(j, "window_seconds", t->idle_window_s, 1);
	KSTR(j, "currency", t->currency);
	KNUM(j, "cost_core_month", t->cost_core_month, 4);
	KNUM(j, "cost_gib_month", t->cost_gib_month, 4);
	json_out_end_object(j);
}

void json_emit_head(struct json_out *j, const struct tree *t)
{
	KCOUNT(j, "schema_version", SNAPSHOT_SCHEMA_VERSION);
	KSTR(j, "glass_version", PACKAGE_VERSION);
	KEY(j, "time");
	put_time(j, t->wall_ns);
	KNUM(j, "interval_seconds", t->interval_s, 3);
	KCOUNT(j, "sequence", t->seq);
	KEY(j, "idle");
	put_idle_policy(j, t);
	KEY(j, "sources");
	put_sources(j, t);
	if (t->replayed)
		KBOOL(j, "replayed", true);
}

void view_json_render(const struct tree *t, struct strbuf *out)
{
	struct json_out j;

	json_out_init(&j, out);
	json_out_begin_object(&j);
	json_emit_head(&j, t);
	KEY(&j, "tree");
	put_subtree(&j, t->root);
	json_out_end_object(&j);
	strbuf_addc(out, '\n');
}
