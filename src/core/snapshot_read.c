#include "glass/snapshot_read.h"

#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "glass/clock.h"
#include "glass/power.h"
#include "glass/value.h"
#include "glass/xalloc.h"

#define KNOWN_SCHEMA_VERSION 1
/* Deeper than any real tree (site/host/group/pod/container...): bounds
 * the recursion on hostile input. */
#define MAX_DEPTH 64

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
	f->utilization = num(o, "utilization");
	f->idle = boolean(o, "idle");
	f->provisional = boolean(o, "provisional");
	f->counted = boolean(o, "counted");
	f->observed_s = num(o, "observed_seconds");
	f->idle_amount = num(o, cpu ? "idle_cores" : "idle_bytes");
	f->peak = num(o, cpu ? "p95_cores_used" : "p95_bytes_used");
	f->right_size = num(o, cpu ? "right_size_cores" : "right_size_bytes");
}

static void read_rollup_res(json_object *o, struct rollup_res *r)
{
	r->total = num(o, "total");
	r->measured = num(o, "measured");
	r->used = num(o, "used");
	r->idle = num(o, "idle");
	r->allocated = num(o, "allocated");
	r->slack = num(o, "slack");
	r->idle_hosts = num(o, "idle_hosts");
	r->unallocated = num(o, "unallocated");
	r->overcommit = num(o, "overcommit");
	r->hosts_unknown = (size_t)num(o, "hosts_unknown");
}

/* A count, 0 when missing or not one (casting a negative or huge
 * double is undefined; found by fuzz_snapshot). */
static uint64_t whole(double v, uint64_t max)
{
	return value_known(v) && v >= 0 && v < (double)max ? (uint64_t)v : 0;
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
	p->watts = num(o, "watts");
	p->hosts_unknown = count(o, "hosts_unknown");
	p->kwh_month = num(o, "energy_kwh_per_month");
	p->cost_month = num(o, "energy_cost_per_month");
	p->co2_kg_month = num(o, "co2_kg_per_month");
	p->pue = num(o, "pue");
}

static struct rollup *read_rollup(json_object *o)
{
	struct rollup *r;

	if (!o || !json_object_is_type(o, json_type_object))
		return NULL;
	r = xcalloc(1, sizeof(*r));
	read_rollup_res(get(o, "cpu_cores"), &r->cpu);
	read_rollup_res(get(o, "memory_bytes"), &r->mem);
	r->idle_holders = count(o, "idle_holders");
	r->idle_hosts = count(o, "idle_hosts");
	r->hosts = count(o, "hosts");
	r->vms = count(o, "vms");
	r->vms_off = count(o, "vms_off");
	r->containers = count(o, "containers");
	r->groups = count(o, "groups");
	r->idle_cost_month = num(o, "idle_cost_per_month");
	r->slack_cost_month = num(o, "slack_cost_per_month");
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
			.read_bps = num(d, disk ? "read_bytes_per_second" : "rx_bytes_per_second"),
			.write_bps = num(d, disk ? "write_bytes_per_second" : "tx_bytes_per_second"),
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
			.size_bytes = num(f, "size_bytes"),
			.used_bytes = num(f, "used_bytes"),
			.avail_bytes = num(f, "available_bytes"),
		};
	}
}

static struct node *read_node(struct tree *t, json_object *o, int depth, struct errbuf *err)
{
	const char *id = str(o, "id"), *kind_s = str(o, "kind"), *name = str(o, "name");
	enum node_kind kind;

	if (depth > MAX_DEPTH) {
		errbuf_set(err, "the tree is deeper than %d levels", MAX_DEPTH);
		return NULL;
	}
	if (!id || !kind_s || !name || !node_kind_parse(kind_s, &kind)) {
		errbuf_set(err, "a node without a valid id, kind and name");
		return NULL;
	}
	struct node *n = node_new(kind, id, name);
	struct resources *r = &n->res;
	n->state = xstrdup_or_null(str(o, "state"));
	n->runtime = xstrdup_or_null(str(o, "runtime"));
	n->stale = boolean(o, "stale");
	r->cpu_cores_allocated = num(o, "cpu_cores_allocated");
	r->cpu_cores_used = num(o, "cpu_cores_used");
	r->mem_bytes_allocated = num(o, "memory_bytes_allocated");
	r->mem_bytes_max = num(o, "memory_bytes_max");
	r->mem_bytes_used = num(o, "memory_bytes_used");
	const char *ms = str(o, "memory_source");
	r->mem_source = ms ? tree_intern(t, ms) : NULL;
	r->disk_read_bps = num(o, "disk_read_bytes_per_second");
	r->disk_write_bps = num(o, "disk_write_bytes_per_second");
	r->net_rx_bps = num(o, "net_rx_bytes_per_second");
	r->net_tx_bps = num(o, "net_tx_bytes_per_second");
	r->pids_current = num(o, "pids_current");
	r->pids_max = num(o, "pids_max");
	r->power_watts = num(o, "power_watts");
	r->power_source = power_source_static(str(o, "power_source"));
	r->energy_joules = num(o, "energy_joules");
	r->energy_kwh_month = num(o, "energy_kwh_per_month");
	r->energy_cost_month = num(o, "energy_cost_per_month");
	r->co2_kg_month = num(o, "co2_kg_per_month");
	if (kind == NODE_HOST) {
		json_object *load = get(o, "load");
		r->mem_bytes_available = num(o, "memory_bytes_available");
		r->swap_bytes_total = num(o, "swap_bytes_total");
		r->swap_bytes_used = num(o, "swap_bytes_used");
		for (size_t i = 0; i < 3 && json_object_is_type(load, json_type_array) &&
				   i < json_object_array_length(load); i++)
			r->load[i] = finite_num(json_object_array_get_idx(load, i));
		read_fs(n, get(o, "filesystems"));
	}
	read_devs(n, get(o, "disks"), RAW_DEV_DISK);
	read_devs(n, get(o, "interfaces"), RAW_DEV_NET);
	/* PSI, as json.c writes it: a container's pressure, where the kernel has it */
	static const char *const psi_keys[3][2] = {
		{"cpu_some", "cpu_full"}, {"memory_some", "memory_full"}, {"io_some", "io_full"}};
	json_object *pressure = get(o, "pressure");
	for (int i = 0; i < 3; i++) {
		r->psi_some[i] = num(pressure, psi_keys[i][0]);
		r->psi_full[i] = num(pressure, psi_keys[i][1]);
	}
	json_object *idle = get(o, "idle");
	read_flag(get(idle, "cpu"), &n->idle_cpu, true);
	read_flag(get(idle, "memory"), &n->idle_mem, false);
	n->idle_cost_month = num(idle, "cost_per_month");
	n->rollup = read_rollup(get(o, "rollup"));
	n->merged_id = xstrdup_or_null(str(o, "merged_cgroup_id"));
	t->n_nodes++;

	json_object *children = get(o, "children");
	size_t len = json_object_is_type(children, json_type_array) ? json_object_array_length(children) : 0;
	for (size_t i = 0; i < len; i++) {
		struct node *c = read_node(t, json_object_array_get_idx(children, i), depth + 1, err);
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

struct tree *snapshot_parse(const char *text, size_t len, struct errbuf *err)
{
	struct json_tokener *tok = json_tokener_new_ex(MAX_DEPTH * 4);
	json_object *doc;
	struct tree *t;

	if (!tok)
		fatal("out of memory (json tokener)");
	doc = json_tokener_parse_ex(tok, text, (int)(len > 0x7fffffff ? 0x7fffffff : len));
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	if (!doc || jerr != json_tokener_success) {
		errbuf_set(err, "not JSON: %s", doc ? "trailing bytes" : json_tokener_error_desc(jerr));
		json_object_put(doc);
		json_tokener_free(tok);
		return NULL;
	}
	json_tokener_free(tok);
	double version = num(doc, "schema_version");
	json_object *tree = get(doc, "tree");
	if (!value_known(version) || !str(doc, "glass_version") || !tree) {
		errbuf_set(err, "not a glass snapshot (no schema_version, glass_version or tree)");
		json_object_put(doc);
		return NULL;
	}
	if (version != KNOWN_SCHEMA_VERSION) {
		errbuf_set(err, "snapshot schema version %g is not understood (this glass reads %d)",
			   version, KNOWN_SCHEMA_VERSION);
		json_object_put(doc);
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->wall_ns = snapshot_parse_time(str(doc, "time"));
	t->interval_s = num(doc, "interval_seconds");
	t->seq = whole(num(doc, "sequence"), UINT64_MAX);
	json_object *idle = get(doc, "idle");
	t->idle_applied = idle != NULL;
	t->idle_threshold = num(idle, "threshold");
	t->idle_window_s = num(idle, "window_seconds");
	t->idle_summary = xstrdup_or_null(str(idle, "summary"));
	t->currency = str(idle, "currency") ? tree_intern(t, str(idle, "currency")) : NULL;
	t->replayed = true;
	read_sources(t, get(doc, "sources"));
	resolve_same_as(t, get(doc, "sources"));
	t->root = read_node(t, tree, 0, err);
	json_object_put(doc);
	if (!t->root || t->root->kind != NODE_SITE) {
		if (t->root)
			errbuf_set(err, "the tree's root is not the site");
		tree_free(t);
		return NULL;
	}
	/* sources are referenced by index from nodes; a replay shows health
	 * through `stale` only */
	return t;
}
