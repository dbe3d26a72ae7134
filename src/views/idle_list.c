/* The --idle list (DESIGN.md §3): the flagged nodes of a tree in sections,
 * biggest waste first.  The holders' and the hosts' sections each add up
 * to the summary line's figure for them; nested flags are shown, never
 * added. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/clock.h"
#include "glass/escape.h"
#include "glass/idle.h"
#include "glass/idle_label.h"
#include "glass/json_view.h"
#include "glass/units.h"
#include "glass/power.h"
#include "glass/value.h"
#include "glass/view.h"
#include "glass/xalloc.h"

#define GIB (1024.0 * 1024.0 * 1024.0)

enum idle_section { SECTION_HOLDERS, SECTION_HOSTS, SECTION_NESTED, N_SECTIONS };

static const struct {
	const char *key;   /* JSON array, CSV `section` value */
	const char *title; /* text heading */
} sections[N_SECTIONS] = {
	[SECTION_HOLDERS] = {"holders", "VMs and containers: their slack (given - used) adds up to the line's \"in N idle VMs/containers\""},
	[SECTION_HOSTS] = {"hosts", "hosts: their physical idle (capacity - used); the line's \"N idle hosts\""},
	[SECTION_NESTED] = {"nested", "inside another holder (flagged, already counted in the holder above it, not added)"},
};

struct idle_entry {
	const struct node *node; /* (borrowed) */
	const struct node *host; /* (borrowed) NULL for an orphan */
};

struct idle_list {
	struct idle_entry *v[N_SECTIONS];
	size_t n[N_SECTIONS];
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

bool idle_list_flagged(const struct node *n)
{
	return n->idle_cpu.idle || n->idle_mem.idle;
}

static enum idle_section section_of(const struct node *n)
{
	if (n->kind == NODE_HOST)
		return SECTION_HOSTS;
	if (n->idle_cpu.counted || n->idle_mem.counted)
		return SECTION_HOLDERS;
	return SECTION_NESTED;
}

static void collect(const struct node *n, const struct node *host, struct idle_list *l)
{
	if (n->kind == NODE_HOST)
		host = n;
	if (n->matched && idle_list_flagged(n)) {
		enum idle_section s = section_of(n);
		l->v[s] = xreallocarray(l->v[s], l->n[s] + 1, sizeof(*l->v[s]));
		l->v[s][l->n[s]++] = (struct idle_entry){n, host};
	}
	for (size_t i = 0; i < n->n_children; i++)
		collect(n->children[i], host, l);
}

static void list_build(const struct tree *t, struct idle_list *l)
{
	memset(l, 0, sizeof(*l));
	collect(t->root, NULL, l);
	for (int s = 0; s < N_SECTIONS; s++)
		if (l->n[s] > 1)
			qsort(l->v[s], l->n[s], sizeof(*l->v[s]), cmp_waste);
}

static void list_done(struct idle_list *l)
{
	for (int s = 0; s < N_SECTIONS; s++)
		free(l->v[s]);
}

/* Only the listed nodes stay matched: the prom view then writes their
 * samples and the rollups, nothing else. */
void idle_list_select(struct tree *t)
{
	struct node **stack = xcalloc(t->n_nodes + 1, sizeof(*stack));
	size_t cap = t->n_nodes + 1, top = 0;

	stack[top++] = t->root;
	while (top) {
		struct node *n = stack[--top];
		n->matched = n->matched && idle_list_flagged(n);
		if (top + n->n_children > cap) {
			cap = top + n->n_children;
			stack = xreallocarray(stack, cap, sizeof(*stack));
		}
		for (size_t i = 0; i < n->n_children; i++)
			stack[top++] = n->children[i];
	}
	free(stack);
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

static void add_money(struct strbuf *out, const struct tree *t, double v, size_t width)
{
	char buf[96];

	if (value_known(v)) {
		/* the currency comes from a config or a recording */
		struct strbuf esc;
		strbuf_init(&esc);
		escape_terminal(&esc, t->currency ? t->currency : "");
		snprintf(buf, sizeof(buf), "%.2f%s%s", v, t->currency ? " " : "", esc.buf ? esc.buf : "");
		strbuf_done(&esc);
	} else
		snprintf(buf, sizeof(buf), "%s", units_unknown());
	add_padded(out, buf, width);
}

/* A row's watts: "~" after an estimate (modelled or attributed), as in
 * the text view's W column. */
static void idle_watts_text(const struct node *n, char *buf, size_t len)
{
	const char *src = n->res.power_source;
	bool metered = power_source_metered(src);

	units_number(n->res.power_watts, 1, buf, len);
	if (value_known(n->res.power_watts) && !metered && strlen(buf) + 2 <= len)
		strcat(buf, "~");
}

static void text_row(const struct tree *t, const struct idle_entry *e, struct strbuf *out)
{
	const struct node *n = e->node;
	struct strbuf esc;
	char buf[96];

	strbuf_init(&esc);
	escape_terminal(&esc, n->name);
	add_padded(out, esc.buf ? esc.buf : "", 29);
	add_padded(out, node_kind_name(n->kind), 11);
	strbuf_reset(&esc);
	escape_terminal(&esc, e->host ? e->host->name : "-");
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
	add_money(out, t, n->idle_cost_month, 12);
	snprintf(buf, sizeof(buf), "%.0fs", n->idle_cpu.observed_s);
	add_padded(out, buf, 10);
	idle_watts_text(n, buf, sizeof(buf));
	strbuf_adds(out, buf);
	strbuf_addc(out, '\n');
}

/* The idle hardware's cost counts every host's physical idle; the hosts'
 * rows below list only the flagged ones, so the line says how much of it
 * they hold: the rows add up to a figure that is shown. */
static void add_hosts_share(struct strbuf *out, const struct tree *t, const struct rollup *r)
{
	struct idle_params p;

	idle_params_init(&p);
	p.cost_core_month = t->cost_core_month;
	p.cost_gib_month = t->cost_gib_month;
	double share = idle_cost(&p, r->cpu.idle_hosts, r->mem.idle_hosts);
	if (!value_known(share))
		return;
	strbuf_adds(out, " (");
	add_money(out, t, share, 0);
	strbuf_addf(out, "of it in the %zu idle host%s below)", r->idle_hosts,
		    r->idle_hosts == 1 ? "" : "s");
}

void view_idle_text_render(const struct tree *t, struct strbuf *out)
{
	struct idle_list l;
	char when[40];

	list_build(t, &l);
	clock_format_rfc3339(t->wall_ns, when, sizeof(when));
	strbuf_addf(out, "glass idle  %s  threshold %g%%  window %gs  snapshot %llu\n", when,
		    t->idle_threshold * 100.0, t->idle_window_s, (unsigned long long)t->seq);
	const struct rollup *r = t->root->rollup;
	if (r) {
		char *line = idle_summary_line(r, units_is_utf8());
		strbuf_adds(out, line);
		strbuf_addc(out, '\n');
		free(line);
		if (value_known(r->idle_cost_month)) {
			strbuf_adds(out, "idle hardware costs ");
			add_money(out, t, r->idle_cost_month, 0);
			strbuf_adds(out, "a month");
			if (r->idle_hosts)
				add_hosts_share(out, t, r);
			strbuf_adds(out, "; right-sizing the idle VMs/containers would reclaim ");
			add_money(out, t, r->slack_cost_month, 0);
			strbuf_adds(out, "a month\n");
		}
	}
	for (int s = 0; s < N_SECTIONS; s++) {
		if (l.n[s] == 0)
			continue;
		strbuf_addf(out, "\n%s\n", sections[s].title);
		strbuf_adds(out, "NAME                         KIND       HOST             IDLE               "
				 "CPU%   MEM%   RIGHT-SIZE                     COST/MONTH  OBSERVED  W\n");
		for (size_t i = 0; i < l.n[s]; i++)
			text_row(t, &l.v[s][i], out);
	}
	if (l.n[SECTION_HOLDERS] + l.n[SECTION_HOSTS] + l.n[SECTION_NESTED] == 0)
		strbuf_adds(out, "(no node is idle)\n");
	list_done(&l);
}

/* An id holds the host's name: bytes from outside, made valid UTF-8 as
 * every string of the snapshot is. */
static json_object *id_string(const char *id)
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
	char hint[96];

	list_build(t, &l);
	for (int s = 0; s < N_SECTIONS; s++) {
		json_object *arr = json_object_new_array();
		for (size_t i = 0; i < l.n[s]; i++) {
			const struct node *n = l.v[s][i].node;
			json_object *o = json_render_node_flat(n);

			json_object_object_add(o, "host_id",
					       l.v[s][i].host ? id_string(l.v[s][i].host->id) : NULL);
			idle_hint(n, 1, hint, sizeof(hint));
			json_object_object_add(o, "right_size_hint",
					       *hint ? json_object_new_string(hint) : NULL);
			json_object_array_add(arr, o);
		}
		char key[32];
		snprintf(key, sizeof(key), "idle_%s", sections[s].key);
		json_object_object_add(doc, key, arr);
	}
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
	list_done(&l);
}

static void csv_text(struct strbuf *out, const char *s)
{
	struct strbuf safe;

	strbuf_init(&safe);
	escape_data(&safe, s ? s : "");
	strbuf_addc(out, ',');
	csv_add_field(out, safe.buf ? safe.buf : "", safe.len);
	strbuf_done(&safe);
}

static void csv_num(struct strbuf *out, double v, int decimals)
{
	char buf[64];

	strbuf_addc(out, ',');
	if (value_known(v)) {
		units_trimmed(v, decimals, buf, sizeof(buf));
		strbuf_adds(out, buf);
	}
}

void view_idle_csv_render(const struct tree *t, bool header, struct strbuf *out)
{
	struct idle_list l;
	char when[40];

	list_build(t, &l);
	clock_format_rfc3339(t->wall_ns, when, sizeof(when));
	if (header)
		strbuf_adds(out, "time,sequence,section,id,name,kind,host,cpu_idle,memory_idle,"
				 "idle_cores,idle_bytes,cpu_utilization,memory_utilization,"
				 "right_size_cores,right_size_bytes,cost_per_month,provisional,"
				 "observed_seconds,power_watts,power_source\r\n");
	for (int s = 0; s < N_SECTIONS; s++) {
		for (size_t i = 0; i < l.n[s]; i++) {
			const struct node *n = l.v[s][i].node;
			strbuf_addf(out, "%s,%llu,%s", when, (unsigned long long)t->seq,
				    sections[s].key);
			csv_text(out, n->id);
			csv_text(out, n->name);
			csv_text(out, node_kind_name(n->kind));
			csv_text(out, l.v[s][i].host ? l.v[s][i].host->name : NULL);
			csv_text(out, n->idle_cpu.idle ? "true" : "false");
			csv_text(out, n->idle_mem.idle ? "true" : "false");
			csv_num(out, n->idle_cpu.idle_amount, 4);
			csv_num(out, n->idle_mem.idle_amount, 0);
			csv_num(out, n->idle_cpu.utilization, 4);
			csv_num(out, n->idle_mem.utilization, 4);
			csv_num(out, n->idle_cpu.right_size, 1);
			csv_num(out, n->idle_mem.right_size, 0);
			csv_num(out, n->idle_cost_month, 2);
			csv_text(out, n->idle_cpu.provisional || n->idle_mem.provisional ? "true"
											 : "false");
			csv_num(out, n->idle_cpu.observed_s, 1);
			csv_num(out, n->res.power_watts, 2);
			csv_text(out, n->res.power_source);
			strbuf_adds(out, "\r\n");
		}
	}
	list_done(&l);
}
