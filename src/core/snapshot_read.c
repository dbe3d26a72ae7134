#include "glass/snapshot_read.h"
#include "glass/snapshot_fields.h"

#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "glass/clock.h"
#include "glass/metric.h"
#include "glass/owner.h"
#include "glass/power.h"
#include "glass/str_pool.h"
#include "glass/value.h"
#include "glass/xalloc.h"

#define KNOWN_SCHEMA_VERSION 1
#define MAX_DEPTH SNAPSHOT_MAX_DEPTH

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

/* A finite number, or NaN for null/missing/not a number.  json-c reads
 * 1e999 as inf, which no view can write back (found by fuzz_snapshot). */
static double finite_num(json_object *v)
{
	double d;

	if (!v || !(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
		return GLASS_UNKNOWN;
	d = json_object_get_double(v);
	return isfinite(d) ? d : GLASS_UNKNOWN;
}

static double num(json_object *o, const char *key)
{
	return finite_num(get(o, key));
}

/* What one node can hold, far above any real machine: outside it a figure
 * is not a measurement (-64 cores, 1e308 bytes, 1e19 pids) and reads as
 * unknown, so no total goes negative and no view formats a number it
 * cannot hold.  2^53 is the largest whole number a double keeps exact. */
#define MAX_WHOLE 9007199254740992.0 /* bytes, bytes/s, pids */
#define MAX_CORES 1048576.0          /* cores of one node */
#define MAX_SITE_WHOLE 4611686018427387904.0 /* 2^62: a site's sum of bytes */
#define MAX_SITE_CORES 1073741824.0  /* a site's sum of cores */
#define MAX_RATIO 1e6                /* utilization, overcommit, load */
#define MAX_SECONDS 1e10             /* about 300 years */
#define MAX_MONEY 1e15

/* num() when it lies in [0, max], else unknown. */
static double ranged(json_object *o, const char *key, double max)
{
	double v = num(o, key);

	return value_known(v) && v >= 0 && v <= max ? v : GLASS_UNKNOWN;
}

static const char *str(json_object *o, const char *key)
{
	json_object *v = get(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static bool boolean(json_object *o, const char *key)
{
	json_object *v = get(o, key);

	return v && json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

unsigned long long snapshot_parse_time(const char *s)
{
	struct tm tm;
	unsigned ms = 0;
	int n = 0;

	if (!s)
		return 0;
	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3uZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms, &n) != 7 || s[n] != '\0')
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t secs = timegm(&tm);
	if (secs < 0)
		return 0;
	return (unsigned long long)secs * NS_PER_S + (unsigned long long)ms * 1000000ULL;
}

static void read_flag(json_object *o, struct idle_flag *f, bool cpu)
{
	idle_flag_init_unknown(f);
	if (!o)
		return;
	double max = cpu ? MAX_CORES : MAX_WHOLE;

	f->utilization = ranged(o, "utilization", MAX_RATIO);
	f->idle = boolean(o, "idle");
	f->provisional = boolean(o, "provisional");
	f->counted = boolean(o, "counted");
	f->observed_s = ranged(o, "observed_seconds", MAX_SECONDS);
	f->idle_amount = ranged(o, cpu ? "idle_cores" : "idle_bytes", max);
	f->peak = ranged(o, cpu ? "p95_cores_used" : "p95_bytes_used", max);
	f->right_size = ranged(o, cpu ? "right_size_cores" : "right_size_bytes", max);
}

/* A count, 0 when missing or not one (casting a negative or huge
 * double is undefined; found by fuzz_snapshot). */
static uint64_t whole(double v, uint64_t max)
{
	return value_known(v) && v >= 0 && v < (double)max ? (uint64_t)v : 0;
}

static void read_rollup_res(json_object *o, struct rollup_res *r, double max)
{
	r->total = ranged(o, "total", max);
	r->measured = ranged(o, "measured", max);
	r->used = ranged(o, "used", max);
	r->idle = ranged(o, "idle", max);
	r->allocated = ranged(o, "allocated", max);
	r->slack = ranged(o, "slack", max);
	r->idle_hosts = ranged(o, "idle_hosts", max);
	r->unallocated = ranged(o, "unallocated", max);
	r->overcommit = ranged(o, "overcommit", MAX_RATIO);
	r->hosts_unknown = (size_t)whole(num(o, "hosts_unknown"), SIZE_MAX);
}

static size_t count(json_object *o, const char *key)
{
	return (size_t)whole(num(o, key), SIZE_MAX);
}

static void read_rollup_power(json_object *o, struct rollup_power *p)
{
	rollup_power_init_unknown(p);
	if (!o || !json_object_is_type(o, json_type_object))
		return;
	p->applied = true;
	p->watts = ranged(o, "watts", MAX_SITE_WHOLE);
	p->hosts_unknown = count(o, "hosts_unknown");
	p->kwh_month = ranged(o, "energy_kwh_per_month", MAX_SITE_WHOLE);
	p->cost_month = ranged(o, "energy_cost_per_month", MAX_MONEY);
	p->co2_kg_month = ranged(o, "co2_kg_per_month", MAX_SITE_WHOLE);
	p->pue = ranged(o, "pue", MAX_RATIO);
}

static struct rollup *read_rollup(json_object *o)
{
	struct rollup *r;

	if (!o || !json_object_is_type(o, json_type_object))
		return NULL;
	r = xcalloc(1, sizeof(*r));
	read_rollup_res(get(o, "cpu_cores"), &r->cpu, MAX_SITE_CORES);
	read_rollup_res(get(o, "memory_bytes"), &r->mem, MAX_SITE_WHOLE);
	r->idle_holders = count(o, "idle_holders");
	r->idle_hosts = count(o, "idle_hosts");
	r->hosts = count(o, "hosts");
	r->vms = count(o, "vms");
	r->vms_off = count(o, "vms_off");
	r->containers = count(o, "containers");
	r->groups = count(o, "groups");
	r->idle_cost_month = ranged(o, "idle_cost_per_month", MAX_MONEY);
	r->slack_cost_month = ranged(o, "slack_cost_per_month", MAX_MONEY);
	read_rollup_power(get(o, "power"), &r->power);
	read_rollup_power(get(o, "idle_power"), &r->idle_power);
	return r;
}

static void read_devs(struct node *n, json_object *arr, enum raw_dev_kind kind)
{
	size_t len = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
	bool disk = kind == RAW_DEV_DISK;

	for (size_t i = 0; i < len; i++) {
		json_object *d = json_object_array_get_idx(arr, i);
		const char *name = str(d, "name");
		if (!name)
			continue;
		n->devs = xreallocarray(n->devs, n->n_devs + 1, sizeof(*n->devs));
		n->devs[n->n_devs++] = (struct node_dev){
			.name = xstrdup(name),
			.kind = kind,
			.read_bps = ranged(d, disk ? "read_bytes_per_second" : "rx_bytes_per_second", MAX_WHOLE),
			.write_bps = ranged(d, disk ? "write_bytes_per_second" : "tx_bytes_per_second", MAX_WHOLE),
		};
	}
}

static void read_fs(struct node *n, json_object *arr)
{
	size_t len = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;

	for (size_t i = 0; i < len; i++) {
		json_object *f = json_object_array_get_idx(arr, i);
		const char *mount = str(f, "mount");
		if (!mount)
			continue;
		n->fs = xreallocarray(n->fs, n->n_fs + 1, sizeof(*n->fs));
		n->fs[n->n_fs++] = (struct node_fs){
			.mount = xstrdup(mount),
			.device = xstrdup_or_null(str(f, "device")),
			.fs_type = xstrdup_or_null(str(f, "type")),
			.size_bytes = ranged(f, "size_bytes", MAX_WHOLE),
			.used_bytes = ranged(f, "used_bytes", MAX_WHOLE),
			.avail_bytes = ranged(f, "available_bytes", MAX_WHOLE),
		};
	}
}

static void read_identity(struct identity *id, json_object *o)
{
	json_object *macs = get(o, "macs");
	size_t len = json_object_is_type(macs, json_type_array) ? json_object_array_length(macs) : 0;

	identity_set_uuid(id, str(o, "uuid"));
	for (size_t i = 0; i < len && i < IDENTITY_MAX_MACS; i++) {
		json_object *m = json_object_array_get_idx(macs, i);
		if (json_object_is_type(m, json_type_string))
			identity_add_mac(id, json_object_get_string(m));
	}
}

/* "uuid", "mac", "name" or "config" as a static string; NULL otherwise. */
static const char *joined_by_static(const char *s)
{
	static const char *const ways[] = {"uuid", "mac", "name", "config"};

	for (size_t i = 0; s && i < sizeof(ways) / sizeof(ways[0]); i++)
		if (strcmp(s, ways[i]) == 0)
			return ways[i];
	return NULL;
}

/* Where a row of the metric table sits in a node's object. */
static json_object *metric_holder(json_object *o, enum metric_group g)
{
	if (g == METRIC_GROUP_PRESSURE)
		return get(o, "pressure");
	if (g == METRIC_GROUP_LOAD)
		return get(o, "load");
	return o;
}

/* Every row of a metric table the node's kind carries, into the record
 * that holds them (its resources, its guest's view), bounded by the row's
 * max; a string as one of the known spellings where the row has them,
 * else kept once per tree. */
static void read_metrics(struct tree *t, const struct metric *m, size_t n_metrics,
			 enum node_kind kind, void *record, json_object *o)
{
	size_t element = 0; /* within an array group */

	for (size_t i = 0; i < n_metrics; i++) {
		if (!metric_applies(&m[i], kind))
			continue;
		json_object *h = metric_holder(o, m[i].group);
		if (m[i].unit == METRIC_TEXT) {
			const char *s = str(h, m[i].json_key);
			*(const char **)(void *)((char *)record + m[i].off) =
				!s ? NULL : m[i].known ? m[i].known(s) : tree_intern(t, s);
			continue;
		}
		double v;
		if (m[i].json_key) {
			element = 0;
			v = num(h, m[i].json_key);
		} else {
			v = json_object_is_type(h, json_type_array) && element < json_object_array_length(h)
				? finite_num(json_object_array_get_idx(h, element)) : GLASS_UNKNOWN;
			element++;
		}
		*metric_slot_in(&m[i], record) = value_known(v) && v >= 0 && v <= m[i].max ? v : GLASS_UNKNOWN;
	}
}

static struct guest_view *read_guest(json_object *o, const char *joined_by)
{
	const char *host_id = str(o, "host_id"), *host_name = str(o, "host_name");
	const char *by = joined_by_static(joined_by);

	if (!o || !json_object_is_type(o, json_type_object) || !host_id || !host_name || !by)
		return NULL;
	struct guest_view *g = guest_view_new(host_id, host_name, by);
	size_t n_metrics;
	const struct metric *m = guest_metrics_all(&n_metrics);
	g->stale = boolean(o, "stale");
	read_metrics(NULL, m, n_metrics, NODE_VM, g, o);
	return g;
}

/* "processes" (--processes): at most PROCS_TOP of them, whatever the far
 * side sent; an entry without a pid or a command is skipped. */
static struct proc_list *read_procs(json_object *arr)
{
	size_t len = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
	struct proc_list *l;

	if (!json_object_is_type(arr, json_type_array))
		return NULL;
	l = xcalloc(1, sizeof(*l));
	l->v = xcalloc(PROCS_TOP, sizeof(*l->v));
	l->listed = len;
	for (size_t i = 0; i < len && l->n < PROCS_TOP; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		double pid = ranged(o, "pid", 4194304);
		const char *cmd = str(o, "command"), *user = str(o, "user"), *st = str(o, "state");
		struct proc_info *p = &l->v[l->n];

		if (!value_known(pid) || !cmd)
			continue;
		p->pid = (int)pid;
		snprintf(p->user, sizeof(p->user), "%s", user ? user : "?");
		p->command = xstrndup(cmd, 4096);
		p->state = st && st[0] && st[0] > ' ' && st[0] < 127 ? st[0] : '?';
		p->cpu_pct = ranged(o, "cpu_percent", 100000);
		p->rss_bytes = ranged(o, "rss_bytes", MAX_WHOLE);
		l->n++;
	}
	return l;
}

static struct node *read_node(struct tree *t, json_object *o, int depth, size_t max_nodes,
			      struct errbuf *err)
{
	const char *id = str(o, "id"), *kind_s = str(o, "kind"), *name = str(o, "name");
	enum node_kind kind;

	if (depth > MAX_DEPTH) {
		errbuf_set(err, "the tree is deeper than %d levels", MAX_DEPTH);
		return NULL;
	}
	if (max_nodes && t->n_nodes >= max_nodes) {
		errbuf_set(err, "more than %zu nodes", max_nodes);
		return NULL;
	}
	if (!id || !kind_s || !name || !node_kind_parse(kind_s, &kind)) {
		errbuf_set(err, "a node without a valid id, kind and name");
		return NULL;
	}
	struct node *n = node_new(kind, id, name);
	n->state = str_pool(str(o, "state"));
	n->runtime = str_pool(str(o, "runtime"));
	/* a recorded owner stands as recorded; one from an unknown source
	 * is no owner (the source names a static string) */
	const char *owner = str(o, "owner");
	n->owner_source = owner_source_static(str(o, "owner_source"));
	n->owner = n->owner_source && owner ? owner_clean(owner, strlen(owner)) : NULL;
	if (!n->owner)
		n->owner_source = NULL;
	n->stale = boolean(o, "stale");
	/* a snapshot from before per-node health: its source's, as stale says */
	if (!health_parse(str(o, "health"), &n->health))
		n->health = n->stale ? HEALTH_STALE : HEALTH_OK;
	n->health_reason = xstrdup_or_null(str(o, "health_reason"));
	size_t n_metrics;
	const struct metric *m = metrics_all(&n_metrics);
	read_metrics(t, m, n_metrics, kind, &n->res, o);
	if (kind == NODE_HOST)
		read_fs(n, get(o, "filesystems"));
	read_devs(n, get(o, "disks"), RAW_DEV_DISK);
	read_devs(n, get(o, "interfaces"), RAW_DEV_NET);
	json_object *idle = get(o, "idle");
	read_flag(get(idle, "cpu"), &n->idle_cpu, true);
	read_flag(get(idle, "memory"), &n->idle_mem, false);
	n->idle_cost_month = ranged(idle, "cost_per_month", MAX_MONEY);
	n->rollup = read_rollup(get(o, "rollup"));
	if (str(o, "merged_cgroup_id"))
		node_extra(n)->merged_id = xstrdup(str(o, "merged_cgroup_id"));
	if (kind == NODE_HOST || kind == NODE_VM) {
		read_identity(&n->ident, get(o, "identity"));
		if (str(o, "join_note"))
			node_extra(n)->join_note = xstrdup(str(o, "join_note"));
	}
	if (kind == NODE_VM)
		n->guest = read_guest(get(o, "guest"), str(o, "joined_by"));
	n->procs = read_procs(get(o, "processes"));
	t->n_nodes++;

	json_object *children = get(o, "children");
	size_t len = json_object_is_type(children, json_type_array) ? json_object_array_length(children) : 0;
	for (size_t i = 0; i < len; i++) {
		struct node *c = read_node(t, json_object_array_get_idx(children, i), depth + 1, max_nodes, err);
		if (!c) {
			node_free(n);
			return NULL;
		}
		node_add_child(n, c);
	}
	return n;
}

static void read_sources(struct tree *t, json_object *arr)
{
	size_t len = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;

	t->sources = xcalloc(len ? len : 1, sizeof(*t->sources));
	for (size_t i = 0; i < len; i++) {
		json_object *s = json_object_array_get_idx(arr, i);
		struct tree_source *ts = &t->sources[t->n_sources];
		const char *name = str(s, "name"), *health = str(s, "health");

		if (!name)
			continue;
		ts->name = xstrdup(name);
		ts->kind = tree_intern(t, str(s, "kind") ? str(s, "kind") : "unknown");
		ts->health = HEALTH_UNREACHABLE;
		for (int h = HEALTH_CONNECTING; h <= HEALTH_UNREACHABLE; h++)
			if (health && strcmp(health, health_name((enum health)h)) == 0)
				ts->health = (enum health)h;
		ts->reason = xstrdup_or_null(str(s, "reason"));
		ts->last_ok_wall_ns = snapshot_parse_time(str(s, "last_ok"));
		ts->next_retry_wall_ns = snapshot_parse_time(str(s, "next_retry"));
		ts->same_as = -1;
		t->n_sources++;
	}
}

/* "same_as" names another source: back to its index. */
static void resolve_same_as(struct tree *t, json_object *arr)
{
	size_t len = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;

	for (size_t i = 0, k = 0; i < len && k < t->n_sources; i++) {
		json_object *s = json_object_array_get_idx(arr, i);
		const char *same = str(s, "same_as");
		if (!str(s, "name"))
			continue;
		for (size_t j = 0; same && j < t->n_sources; j++)
			if (strcmp(t->sources[j].name, same) == 0)
				t->sources[k].same_as = (int)j;
		k++;
	}
}

struct node *snapshot_read_node(struct tree *t, json_object *o, int depth, size_t max_nodes,
				struct errbuf *err)
{
	return read_node(t, o, depth, max_nodes, err);
}

struct tree *snapshot_read_doc(json_object *doc, bool has_tree, struct errbuf *err)
{
	struct tree *t;

	double version = num(doc, "schema_version");
	if (!value_known(version) || !str(doc, "glass_version") || !has_tree) {
		errbuf_set(err, "not a glass snapshot (no schema_version, glass_version or tree)");
		return NULL;
	}
	if (version != KNOWN_SCHEMA_VERSION) {
		errbuf_set(err, "snapshot schema version %g is not understood (this glass reads %d)",
			   version, KNOWN_SCHEMA_VERSION);
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->wall_ns = snapshot_parse_time(str(doc, "time"));
	t->interval_s = ranged(doc, "interval_seconds", MAX_SECONDS);
	t->seq = whole(num(doc, "sequence"), UINT64_MAX);
	json_object *idle = get(doc, "idle");
	t->idle_applied = idle != NULL;
	t->idle_threshold = ranged(idle, "threshold", 1);
	t->idle_window_s = ranged(idle, "window_seconds", MAX_SECONDS);
	t->idle_summary = xstrdup_or_null(str(idle, "summary"));
	t->currency = str(idle, "currency") ? tree_intern(t, str(idle, "currency")) : NULL;
	t->cost_core_month = ranged(idle, "cost_core_month", MAX_MONEY);
	t->cost_gib_month = ranged(idle, "cost_gib_month", MAX_MONEY);
	t->replayed = true;
	read_sources(t, get(doc, "sources"));
	resolve_same_as(t, get(doc, "sources"));
	return t;
}
