#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "glass/clock.h"
#include "glass/escape.h"
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
	size_t len;

	if (!value_known(v))
		return NULL;
	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	if (strchr(buf, '.')) {
		len = strlen(buf);
		while (buf[len - 1] == '0')
			buf[--len] = '\0';
		if (buf[len - 1] == '.')
			buf[--len] = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
	return json_object_new_double_s(v, buf);
}

/* A whole number (bytes, counts), or null when unknown. */
static json_object *jint(double v)
{
	if (!value_known(v))
		return NULL;
	return json_object_new_int64((int64_t)llround(v));
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

static json_object *render_node(const struct node *n)
{
	json_object *o = json_object_new_object();
	const struct resources *r = &n->res;

	add(o, "id", jstr(n->id));
	add(o, "kind", json_object_new_string(node_kind_name(n->kind)));
	add(o, "name", jstr(n->name));
	add(o, "state", jstr(n->state));
	add(o, "runtime", jstr(n->runtime));
	add(o, "stale", json_object_new_boolean(n->stale));
	add(o, "cpu_cores_allocated", jnum(r->cpu_cores_allocated, 4));
	add(o, "cpu_cores_used", jnum(r->cpu_cores_used, 4));
	add(o, "memory_bytes_allocated", jint(r->mem_bytes_allocated));
	add(o, "memory_bytes_used", jint(r->mem_bytes_used));
	add(o, "memory_source", r->mem_source ? json_object_new_string(r->mem_source) : NULL);
	add(o, "disk_read_bytes_per_second", jnum(r->disk_read_bps, 1));
	add(o, "disk_write_bytes_per_second", jnum(r->disk_write_bps, 1));
	add(o, "net_rx_bytes_per_second", jnum(r->net_rx_bps, 1));
	add(o, "net_tx_bytes_per_second", jnum(r->net_tx_bps, 1));
	add(o, "pids_current", jint(r->pids_current));
	add(o, "pids_max", jint(r->pids_max));
	add(o, "pressure", render_pressure(r));
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
	if (n->n_devs) {
		add(o, "disks", render_devs(n, RAW_DEV_DISK));
		add(o, "interfaces", render_devs(n, RAW_DEV_NET));
	}
	json_object *children = json_object_new_array();
	for (size_t i = 0; i < n->n_children; i++)
		json_object_array_add(children, render_node(n->children[i]));
	add(o, "children", children);
	return o;
}

static json_object *render_sources(const struct tree *t)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < t->n_sources; i++) {
		const struct tree_source *s = &t->sources[i];
		json_object *o = json_object_new_object();

		add(o, "name", jstr(s->name));
		add(o, "kind", json_object_new_string(s->kind));
		add(o, "health", json_object_new_string(health_name(s->health)));
		add(o, "reason", jstr(s->reason));
		add(o, "last_ok", jtime(s->last_ok_wall_ns));
		add(o, "next_retry", jtime(s->next_retry_wall_ns));
		json_object_array_add(arr, o);
	}
	return arr;
}

void view_json_render(const struct tree *t, struct strbuf *out)
{
	json_object *doc = json_object_new_object();
	const char *s;
	size_t len;

	add(doc, "schema_version", json_object_new_int(SNAPSHOT_SCHEMA_VERSION));
	add(doc, "glass_version", json_object_new_string(PACKAGE_VERSION));
	add(doc, "time", jtime(t->wall_ns));
	add(doc, "interval_seconds", jnum(t->interval_s, 3));
	add(doc, "sequence", json_object_new_int64((int64_t)t->seq));
	add(doc, "sources", render_sources(t));
	add(doc, "tree", render_node(t->root));
	s = json_object_to_json_string_length(doc, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	strbuf_add(out, s, len);
	strbuf_addc(out, '\n');
	json_object_put(doc);
}
