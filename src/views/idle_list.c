/* The --idle list: the flagged nodes of a tree, biggest waste first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/clock.h"
#include "glass/escape.h"
#include "glass/idle.h"
#include "glass/idle_label.h"
#include "glass/json_view.h"
#include "glass/units.h"
#include "glass/value.h"
#include "glass/view.h"
#include "glass/xalloc.h"

struct idle_entry {
	const struct node *node; /* (borrowed) */
	const struct node *host; /* (borrowed) NULL for an orphan */
};

struct idle_list {
	struct idle_entry *v;
	size_t n;
};

static double waste_cores(const struct node *n)
{
	return n->idle_cpu.idle ? n->idle_cpu.idle_amount : 0.0;
}

static double waste_bytes(const struct node *n)
{
	return n->idle_mem.idle ? n->idle_mem.idle_amount : 0.0;
}

/* Money when there is a cost model, else cores, then bytes. */
static int cmp_waste(const void *a, const void *b)
{
	const struct node *x = ((const struct idle_entry *)a)->node;
	const struct node *y = ((const struct idle_entry *)b)->node;
	double dx, dy;

	if (value_known(x->idle_cost_month) && value_known(y->idle_cost_month) &&
	    x->idle_cost_month != y->idle_cost_month) {
		dx = x->idle_cost_month;
		dy = y->idle_cost_month;
	} else if (waste_cores(x) != waste_cores(y)) {
		dx = waste_cores(x);
		dy = waste_cores(y);
	} else if (waste_bytes(x) != waste_bytes(y)) {
		dx = waste_bytes(x);
		dy = waste_bytes(y);
	} else {
		return strcmp(x->id, y->id);
	}
	return (dx < dy) - (dx > dy);
}

static void collect(const struct node *n, const struct node *host, struct idle_list *l)
{
	if (n->kind == NODE_HOST)
		host = n;
	if (n->matched && (n->idle_cpu.idle || n->idle_mem.idle)) {
		l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
		l->v[l->n++] = (struct idle_entry){n, host};
	}
	for (size_t i = 0; i < n->n_children; i++)
		collect(n->children[i], host, l);
}

static void list_build(const struct tree *t, struct idle_list *l)
{
	l->v = NULL;
	l->n = 0;
	collect(t->root, NULL, l);
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_waste);
}

static void add_padded(struct strbuf *out, const char *s, size_t width)
{
	size_t w = 0;

	for (const char *p = s; *p; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			w++;
	strbuf_adds(out, s);
	strbuf_pad(out, w < width ? width - w : 1);
}

void view_idle_text_render(const struct tree *t, struct strbuf *out)
{
	struct idle_list l;
	char when[40], buf[96];

	list_build(t, &l);
	clock_format_rfc3339(t->wall_ns, when, sizeof(when));
	strbuf_addf(out, "glass idle  %s  threshold %g%%  window %gs  snapshot %llu\n", when,
		    t->idle_threshold * 100.0, t->idle_window_s, (unsigned long long)t->seq);
	if (t->root->rollup) {
		char *line = idle_summary_line(t->root->rollup, units_is_utf8());
		strbuf_adds(out, line);
		strbuf_addc(out, '\n');
		free(line);
	}
	strbuf_adds(out, "NAME                         KIND       HOST             IDLE               "
			 "CPU%   MEM%   RIGHT-SIZE                     COST/MONTH  OBSERVED\n");
	for (size_t i = 0; i < l.n; i++) {
		const struct node *n = l.v[i].node;
		struct strbuf esc;

		strbuf_init(&esc);
		escape_terminal(&esc, n->name);
		add_padded(out, esc.buf ? esc.buf : "", 29);
		add_padded(out, node_kind_name(n->kind), 11);
		strbuf_reset(&esc);
		escape_terminal(&esc, l.v[i].host ? l.v[i].host->name : "-");
		add_padded(out, esc.buf ? esc.buf : "", 17);
		strbuf_done(&esc);
		idle_label(n, buf, sizeof(buf));
		add_padded(out, buf, 19);
		units_number(n->idle_cpu.utilization * 100.0, 1, buf, sizeof(buf));
		add_padded(out, buf, 7);
		units_number(n->idle_mem.utilization * 100.0, 1, buf, sizeof(buf));
		add_padded(out, buf, 7);
		idle_hint(n, units_is_utf8(), buf, sizeof(buf));
		add_padded(out, *buf ? buf : units_unknown(), 31);
		if (value_known(n->idle_cost_month))
			snprintf(buf, sizeof(buf), "%.2f%s%s", n->idle_cost_month, t->currency ? " " : "",
				 t->currency ? t->currency : "");
		else
			snprintf(buf, sizeof(buf), "%s", units_unknown());
		add_padded(out, buf, 12);
		strbuf_addf(out, "%.0fs\n", n->idle_cpu.observed_s);
	}
	if (l.n == 0)
		strbuf_adds(out, "(no node is idle)\n");
	free(l.v);
}

/* An id from outside (a replayed file, a remote) as valid UTF-8. */
static json_object *json_id(const char *id)
{
	struct strbuf sb;
	json_object *o;

	strbuf_init(&sb);
	escape_utf8(&sb, id);
	o = json_object_new_string_len(sb.buf ? sb.buf : "", (int)sb.len);
	strbuf_done(&sb);
	return o;
}

void view_idle_json_render(const struct tree *t, struct strbuf *out)
{
	struct idle_list l;
	json_object *doc = json_render_head(t);
	json_object *arr = json_object_new_array();
	char hint[96];

	list_build(t, &l);
	for (size_t i = 0; i < l.n; i++) {
		const struct node *n = l.v[i].node;
		json_object *o = json_render_node_flat(n);

		json_object_object_add(o, "host_id", l.v[i].host ? json_id(l.v[i].host->id) : NULL);
		idle_hint(n, 1, hint, sizeof(hint));
		json_object_object_add(o, "right_size_hint", *hint ? json_object_new_string(hint) : NULL);
		json_object_array_add(arr, o);
	}
	json_object_object_add(doc, "idle_nodes", arr);
	if (t->root->rollup) {
		/* the site's rollup, as in a full snapshot's tree */
		json_object *site = json_render_node_flat(t->root);
		json_object *r = NULL;
		if (json_object_object_get_ex(site, "rollup", &r))
			json_object_object_add(doc, "rollup", json_object_get(r));
		json_object_put(site);
	}
	json_write_line(doc, out);
	json_object_put(doc);
	free(l.v);
}
