#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "glass/clock.h"
#include "glass/escape.h"
#include "glass/idle.h"
#include "glass/json_view.h"
#include "glass/units.h"
#include "glass/value.h"
#include "glass/view.h"

/* The version of the snapshot's shape (doc/snapshot.schema.json): a
 * reader refuses a document whose major version it does not know. */
#define SNAPSHOT_SCHEMA_VERSION 1

/* A string that is valid UTF-8 whatever bytes the name held. */
static json_object *jstr(const char *s)
{
	struct strbuf sb;
	json_object *o;

	if (!s)
		return NULL;
	strbuf_init(&sb);
	escape_utf8(&sb, s);
	o = json_object_new_string_len(sb.buf ? sb.buf : "", (int)sb.len);
	strbuf_done(&sb);
	return o;
}

/* A number rounded to `decimals`, or null when unknown. */
static json_object *jnum(double v, int decimals)
{
	char buf[64];

	if (!value_known(v))
		return NULL;
	units_trimmed(v, decimals, buf, sizeof(buf));
	return json_object_new_double_s(v, buf);
}

/* A whole number (bytes, counts), or null when unknown. */
static json_object *jint(double v)
{
	if (!value_known(v) || !(v > -9.2e18 && v < 9.2e18)) /* beyond int64: not a figure */
		return NULL;
	return json_object_new_int64((int64_t)llround(v));
}

static json_object *jcores(double v)
{
	return jnum(v, 4);
}

static json_object *jbytes(double v)
{
	return jint(v);
}

static json_object *jtime(uint64_t wall_ns)
{
	char buf[40];

	if (!wall_ns)
		return NULL;
	clock_format_rfc3339(wall_ns, buf, sizeof(buf));
	return json_object_new_string(buf);
}

static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static json_object *render_devs(const struct node *n, enum raw_dev_kind kind)
{
	json_object *arr = json_object_new_array();
	bool disk = kind == RAW_DEV_DISK;

	for (size_t i = 0; i < n->n_devs; i++) {
		const struct node_dev *d = &n->devs[i];
		if (d->kind != kind)
			continue;
		json_object *o = json_object_new_object();
		add(o, "name", jstr(d->name));
		add(o, disk ? "read_bytes_per_second" : "rx_bytes_per_second", jnum(d->read_bps, 1));
		add(o, disk ? "write_bytes_per_second" : "tx_bytes_per_second", jnum(d->write_bps, 1));
		json_object_array_add(arr, o);
	}
	return arr;
}

static json_object *render_fs(const struct node *n)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < n->n_fs; i++) {
		const struct node_fs *f = &n->fs[i];
		json_object *o = json_object_new_object();

		add(o, "mount", jstr(f->mount));
		add(o, "device", jstr(f->device));
		add(o, "type", jstr(f->fs_type));
		add(o, "size_bytes", jint(f->size_bytes));
		add(o, "used_bytes", jint(f->used_bytes));
		add(o, "available_bytes", jint(f->avail_bytes));
		json_object_array_add(arr, o);
	}
	return arr;
}

static json_object *render_flag(const struct idle_flag *f, bool cpu)
{
	json_object *o = json_object_new_object();

	add(o, "utilization", jnum(f->utilization, 4));
	add(o, "idle", json_object_new_boolean(f->idle));
	add(o, "provisional", json_object_new_boolean(f->provisional));
	add(o, "counted", json_object_new_boolean(f->counted));
	add(o, "observed_seconds", jnum(f->observed_s, 1));
	if (cpu) {
		add(o, "idle_cores", jnum(f->idle_amount, 4));
		add(o, "p95_cores_used", jnum(f->peak, 4));
		add(o, "right_size_cores", jnum(f->right_size, 1));
	} else {
		add(o, "idle_bytes", jint(f->idle_amount));
		add(o, "p95_bytes_used", jint(f->peak));
		add(o, "right_size_bytes", jint(f->right_size));
	}
	return o;
}

/* PSI avg10 per resource, percent; each null when the kernel has none. */
static json_object *render_pressure(const struct resources *r)
{
	static const char *const keys[3][2] = {
		{"cpu_some", "cpu_full"}, {"memory_some", "memory_full"}, {"io_some", "io_full"}};
	json_object *o = json_object_new_object();

	for (int i = 0; i < 3; i++) {
		add(o, keys[i][0], jnum(r->psi_some[i], 2));
		add(o, keys[i][1], jnum(r->psi_full[i], 2));
	}
	return o;
}

static json_object *render_rollup_res(const struct rollup_res *r, bool cpu)
{
	json_object *(*amount)(double) = cpu ? jcores : jbytes;
	json_object *o = json_object_new_object();

	add(o, "total", amount(r->total));
	add(o, "measured", amount(r->measured));
	add(o, "used", amount(r->used));
	add(o, "idle", amount(r->idle));
	add(o, "allocated", amount(r->allocated));
	add(o, "slack", amount(r->slack));
	add(o, "idle_hosts", amount(r->idle_hosts));
	add(o, "unallocated", amount(r->unallocated));
	add(o, "overcommit", jnum(r->overcommit, 4));
	add(o, "hosts_unknown", json_object_new_int64((int64_t)r->hosts_unknown));
	return o;
}

/* Watts and their energy, cost and CO2 per month: apart from the
 * hardware's idle_cost_per_month. */
static json_object *render_rollup_power(const struct rollup_power *p)
{
	json_object *o = json_object_new_object();

	add(o, "watts", jnum(p->watts, 1));
	add(o, "hosts_unknown", json_object_new_int64((int64_t)p->hosts_unknown));
	add(o, "energy_kwh_per_month", jnum(p->kwh_month, 2));
	add(o, "energy_cost_per_month", jnum(p->cost_month, 2));
	add(o, "co2_kg_per_month", jnum(p->co2_kg_month, 2));
	add(o, "pue", jnum(p->pue, 3));
	return o;
}

static json_object *render_rollup(const struct rollup *r)
{
	json_object *o = json_object_new_object();

	add(o, "cpu_cores", render_rollup_res(&r->cpu, true));
	add(o, "memory_bytes", render_rollup_res(&r->mem, false));
	add(o, "idle_holders", json_object_new_int64((int64_t)r->idle_holders));
	add(o, "idle_hosts", json_object_new_int64((int64_t)r->idle_hosts));
	add(o, "hosts", json_object_new_int64((int64_t)r->hosts));
	add(o, "vms", json_object_new_int64((int64_t)r->vms));
	add(o, "vms_off", json_object_new_int64((int64_t)r->vms_off));
	add(o, "containers", json_object_new_int64((int64_t)r->containers));
	add(o, "groups", json_object_new_int64((int64_t)r->groups));
	add(o, "idle_cost_per_month", jnum(r->idle_cost_month, 2));
	add(o, "slack_cost_per_month", jnum(r->slack_cost_month, 2));
	if (r->power.applied) {
		add(o, "power", render_rollup_power(&r->power));
		add(o, "idle_power", render_rollup_power(&r->idle_power));
	}
	return o;
}

/* The idle verdict of one node; shared with the --idle list. */
json_object *json_render_idle(const struct node *n)
{
	json_object *o = json_object_new_object();

	add(o, "cpu", render_flag(&n->idle_cpu, true));
	add(o, "memory", render_flag(&n->idle_mem, false));
	add(o, "cost_per_month", jnum(n->idle_cost_month, 2));
	return o;
}

/* The hints a guest join matches on: hosts and VMs. */
static json_object *render_identity(const struct identity *id)
{
	json_object *o = json_object_new_object();
	json_object *macs = json_object_new_array();

	add(o, "uuid", jstr(id->uuid));
	for (size_t i = 0; i < id->n_macs; i++)
		json_object_array_add(macs, jstr(id->macs[i]));
	add(o, "macs", macs);
	return o;
}

/* What a joined guest's OS says of itself, beside the hypervisor's view. */
static json_object *render_guest(const struct guest_view *g)
{
	json_object *o = json_object_new_object();
	json_object *load = json_object_new_array();
	struct resources psi;

	add(o, "host_id", jstr(g->host_id));
	add(o, "host_name", jstr(g->host_name));
	add(o, "stale", json_object_new_boolean(g->stale));
	add(o, "cpu_cores", jnum(g->cpu_cores, 4));
	add(o, "cpu_cores_used", jnum(g->cpu_cores_used, 4));
	add(o, "memory_bytes_total", jint(g->mem_bytes_total));
	add(o, "memory_bytes_used", jint(g->mem_bytes_used));
	add(o, "memory_bytes_available", jint(g->mem_bytes_available));
	for (int i = 0; i < 3; i++)
		json_object_array_add(load, jnum(g->load[i], 2));
	add(o, "load", load);
	memcpy(psi.psi_some, g->psi_some, sizeof(psi.psi_some));
	memcpy(psi.psi_full, g->psi_full, sizeof(psi.psi_full));
	add(o, "pressure", render_pressure(&psi));
	add(o, "inner_cpu_cores_allocated", jnum(g->inner_cpu_allocated, 4));
	add(o, "inner_cpu_cores_unallocated", jnum(g->inner_cpu_unallocated, 4));
	add(o, "inner_memory_bytes_allocated", jint(g->inner_mem_allocated));
	add(o, "inner_memory_bytes_unallocated", jint(g->inner_mem_unallocated));
	return o;
}

/* --processes: the busiest first, as read (names escaped by the JSON
 * writer like every string). */
static json_object *render_procs(const struct proc_list *l)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < l->n; i++) {
		const struct proc_info *p = &l->v[i];
		json_object *o = json_object_new_object();
		char st[2] = {p->state, '\0'};

		add(o, "pid", json_object_new_int(p->pid));
		add(o, "user", jstr(p->user));
		add(o, "command", jstr(p->command));
		add(o, "state", jstr(st));
		add(o, "cpu_percent", jnum(p->cpu_pct, 1));
		add(o, "rss_bytes", jint(p->rss_bytes));
		json_object_array_add(a, o);
	}
	return a;
}

/* A node's own fields, without its children. */
static json_object *render_node_own(const struct node *n)
{
	json_object *o = json_object_new_object();
	const struct resources *r = &n->res;

	add(o, "id", jstr(n->id));
	add(o, "kind", json_object_new_string(node_kind_name(n->kind)));
	add(o, "name", jstr(n->name));
	add(o, "state", jstr(n->state));
	add(o, "runtime", jstr(n->runtime));
	add(o, "owner", jstr(n->owner));
	add(o, "owner_source", jstr(n->owner_source));
	add(o, "stale", json_object_new_boolean(n->stale));
	add(o, "cpu_cores_allocated", jnum(r->cpu_cores_allocated, 4));
	add(o, "cpu_cores_used", jnum(r->cpu_cores_used, 4));
	add(o, "memory_bytes_allocated", jint(r->mem_bytes_allocated));
	add(o, "memory_bytes_max", jint(r->mem_bytes_max));
	add(o, "memory_bytes_used", jint(r->mem_bytes_used));
	add(o, "memory_source", jstr(r->mem_source));
	add(o, "disk_read_bytes_per_second", jnum(r->disk_read_bps, 1));
	add(o, "disk_write_bytes_per_second", jnum(r->disk_write_bps, 1));
	add(o, "net_rx_bytes_per_second", jnum(r->net_rx_bps, 1));
	add(o, "net_tx_bytes_per_second", jnum(r->net_tx_bps, 1));
	add(o, "pids_current", jint(r->pids_current));
	add(o, "pids_max", jint(r->pids_max));
	add(o, "pressure", render_pressure(r));
	add(o, "power_watts", jnum(r->power_watts, 1));
	add(o, "power_source", jstr(r->power_source));
	add(o, "energy_joules", jnum(r->energy_joules, 1));
	add(o, "energy_kwh_per_month", jnum(r->energy_kwh_month, 2));
	add(o, "energy_cost_per_month", jnum(r->energy_cost_month, 2));
	add(o, "co2_kg_per_month", jnum(r->co2_kg_month, 2));
	if (n->kind == NODE_HOST) {
		json_object *load = json_object_new_array();
		for (int i = 0; i < 3; i++)
			json_object_array_add(load, jnum(r->load[i], 2));
		add(o, "memory_bytes_available", jint(r->mem_bytes_available));
		add(o, "swap_bytes_total", jint(r->swap_bytes_total));
		add(o, "swap_bytes_used", jint(r->swap_bytes_used));
		add(o, "load", load);
		add(o, "filesystems", render_fs(n));
	}
	if (n->merged_id)
		add(o, "merged_cgroup_id", jstr(n->merged_id));
	if (n->kind == NODE_HOST || n->kind == NODE_VM) {
		add(o, "identity", render_identity(&n->ident));
		add(o, "join_note", jstr(n->join_note));
	}
	if (n->kind == NODE_VM) {
		add(o, "joined_by", n->guest ? jstr(n->guest->joined_by) : NULL);
		add(o, "guest", n->guest ? render_guest(n->guest) : NULL);
	}
	if (n->procs)
		add(o, "processes", render_procs(n->procs));
	add(o, "idle", json_render_idle(n));
	if (n->rollup)
		add(o, "rollup", render_rollup(n->rollup));
	if (n->n_devs) {
		add(o, "disks", render_devs(n, RAW_DEV_DISK));
		add(o, "interfaces", render_devs(n, RAW_DEV_NET));
	}
	return o;
}

#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* Appends an object's text without its closing brace, for a key to
 * follow; DEL and C1 controls spelled as escapes, as json_write_line
 * does. */
static void add_open(struct strbuf *out, json_object *o)
{
	size_t len;
	const char *s = json_object_to_json_string_length(o, JSON_FLAGS, &len);

	escape_json_controls(out, s, len - 1);
}

/* A node and its subtree, written one node at a time ("children" last): the whole
 * tree as json-c objects (~10 KiB a node) would be held only to be
 * printed, 20 MiB at 2,000 containers (make bench-memory). */
static void stream_node(const struct node *n, struct strbuf *out)
{
	json_object *o = render_node_own(n);
	bool first = true;

	add_open(out, o);
	json_object_put(o);
	strbuf_adds(out, ",\"children\":[");
	for (size_t i = 0; i < n->n_children; i++) {
		if (!n->children[i]->selected)
			continue;
		if (!first)
			strbuf_addc(out, ',');
		first = false;
		stream_node(n->children[i], out);
	}
	strbuf_adds(out, "]}");
}

static json_object *render_sources(const struct tree *t)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < t->n_sources; i++) {
		const struct tree_source *s = &t->sources[i];
		json_object *o = json_object_new_object();

		add(o, "name", jstr(s->name));
		add(o, "kind", jstr(s->kind));
		add(o, "health", json_object_new_string(health_name(s->health)));
		add(o, "reason", jstr(s->reason));
		add(o, "last_ok", jtime(s->last_ok_wall_ns));
		add(o, "next_retry", jtime(s->next_retry_wall_ns));
		if (s->same_as >= 0 && (size_t)s->same_as < t->n_sources)
			add(o, "same_as", jstr(t->sources[s->same_as].name));
		json_object_array_add(arr, o);
	}
	return arr;
}

static json_object *render_idle_policy(const struct tree *t)
{
	json_object *o = json_object_new_object();
	char *line = t->root->rollup ? idle_summary_line(t->root->rollup, true) : NULL;

	/* a replayed tree keeps the recorded line: recomputing it from
	 * rounded figures could change a digit */
	if (t->idle_summary)
		add(o, "summary", jstr(t->idle_summary));
	else
		add(o, "summary", line ? json_object_new_string(line) : NULL);
	free(line);
	add(o, "threshold", jnum(t->idle_threshold, 4));
	add(o, "window_seconds", jnum(t->idle_window_s, 1));
	add(o, "currency", t->currency ? jstr(t->currency) : NULL);
	add(o, "cost_core_month", jnum(t->cost_core_month, 4));
	add(o, "cost_gib_month", jnum(t->cost_gib_month, 4));
	return o;
}

/* The top of every snapshot: what it is, when, and the sources. */
json_object *json_render_head(const struct tree *t)
{
	json_object *doc = json_object_new_object();

	add(doc, "schema_version", json_object_new_int(SNAPSHOT_SCHEMA_VERSION));
	add(doc, "glass_version", json_object_new_string(PACKAGE_VERSION));
	add(doc, "time", jtime(t->wall_ns));
	add(doc, "interval_seconds", jnum(t->interval_s, 3));
	add(doc, "sequence", json_object_new_int64((int64_t)t->seq));
	add(doc, "idle", render_idle_policy(t));
	add(doc, "sources", render_sources(t));
	if (t->replayed)
		add(doc, "replayed", json_object_new_boolean(true));
	return doc;
}

void json_write_line(json_object *doc, struct strbuf *out)
{
	size_t len;
	const char *s = json_object_to_json_string_length(doc, JSON_FLAGS, &len);

	escape_json_controls(out, s, len);
	strbuf_addc(out, '\n');
}

json_object *json_render_node_flat(const struct node *n)
{
	return render_node_own(n);
}

void view_json_render(const struct tree *t, struct strbuf *out)
{
	json_object *doc = json_render_head(t);

	add_open(out, doc);
	json_object_put(doc);
	strbuf_adds(out, ",\"tree\":");
	stream_node(t->root, out);
	strbuf_adds(out, "}\n");
}
