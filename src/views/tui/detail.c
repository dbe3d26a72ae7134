#include "glass/tui/detail.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "glass/app.h"
#include "glass/clock.h"
#include "glass/columns.h"
#include "glass/metric.h"
#include "glass/history.h"
#include "glass/idle_label.h"
#include "glass/idmap.h"
#include "glass/power.h"
#include "glass/tui/feed.h"
#include "glass/tui/pager.h"
#include "glass/tui/screen.h"
#include "glass/tui/text.h"
#include "glass/units.h"
#include "glass/value.h"
#include "glass/xalloc.h"

void tui_history_sparkline(const struct tui_history *h, enum tui_history_series which, size_t width,
			   struct strbuf *out)
{
	const struct tui_glyphs *g = tui_glyphs();
	const tui_h16 *cells = which == TUI_HISTORY_MEM ? h->mem_used : h->cpu_used;
	double v[TUI_HISTORY];
	size_t n = h->n < width ? h->n : width;
	double top = which == TUI_HISTORY_MEM ? h->mem_alloc : h->cpu_alloc;

	for (size_t i = 0; i < TUI_HISTORY; i++)
		v[i] = tui_h16_value(cells[i]);
	/* Against the allocation when it is known, else the highest value
	 * seen, so a line of full blocks means "used all it was given" and a
	 * flat bottom line is capacity that sits idle. */
	if (!value_known(top) || top <= 0) {
		top = 0;
		for (size_t i = 0; i < h->n; i++)
			if (value_known(v[i]) && v[i] > top)
				top = v[i];
	}
	for (size_t k = 0; k < n; k++) {
		size_t i = (h->head + TUI_HISTORY - n + k) % TUI_HISTORY;

		if (!value_known(v[i]) || top <= 0) {
			strbuf_adds(out, value_known(v[i]) ? g->spark[0] : " ");
			continue;
		}
		long level = lround(v[i] / top * 7.0);
		if (level < 0)
			level = 0;
		if (level > 7)
			level = 7;
		strbuf_adds(out, g->spark[level]);
	}
}

/* How many of the remembered refreshes had the resource flagged idle. */
static size_t idle_count(const struct tui_history *h, uint64_t flags)
{
	size_t k = 0;

	for (size_t i = 0; i < h->n; i++)
		k += (flags >> ((h->head + TUI_HISTORY - h->n + i) % TUI_HISTORY)) & 1;
	return k;
}

/* The sparkline's cells in the pane: with its label and count it fits
 * an 80-column terminal on one line. */
#define DETAIL_SPARK 36

/* One resource's sparkline (used of given) and how often the policy
 * flagged it: a VM idle on memory only is never said to be idle on its
 * CPU line. */
static void history_line(const struct tui_history *h, enum tui_history_series which,
			 struct strbuf *out)
{
	strbuf_addf(out, "%-14s ", which == TUI_HISTORY_MEM ? "mem used/given" : "cpu used/given");
	if (!h || !h->n) {
		strbuf_adds(out, units_unknown());
		strbuf_addc(out, '\n');
		return;
	}
	size_t k = idle_count(h, which == TUI_HISTORY_MEM ? h->idle_mem : h->idle_cpu);

	tui_history_sparkline(h, which, DETAIL_SPARK, out);
	if (k)
		strbuf_addf(out, "  idle %zu of %zu refreshes\n", k, (size_t)h->n);
	else
		strbuf_addf(out, "  not idle in %zu refreshes\n", (size_t)h->n);
}

/* The idle history and the right-size hint, from the idle policy: the
 * same verdicts as the IDLE column, the JSON and --idle. */
static void idle_lines(const struct node *n, const struct tui_history *h, struct strbuf *out)
{
	char a[64], b[32];

	history_line(h, TUI_HISTORY_CPU, out);
	history_line(h, TUI_HISTORY_MEM, out);
	/* A machine's idle capacity is physical (the idle line's): only
	 * what was given (VMs, containers) is right-sized. */
	if (n->kind == NODE_HOST || n->kind == NODE_SITE)
		return;
	strbuf_addf(out, "%-14s ", "right-size");
	idle_hint(n, tui_text_utf8(), a, sizeof(a));
	if (*a) {
		strbuf_adds(out, a);
		strbuf_adds(out, " (the p95 of the window and 25% headroom)");
	} else if (!n->idle_cpu.idle && !n->idle_mem.idle) {
		strbuf_adds(out, "none: not idle");
	} else {
		strbuf_adds(out, "none yet: too few readings for a p95");
	}
	if (value_known(n->idle_cpu.peak)) {
		units_cores(n->idle_cpu.peak, b, sizeof(b));
		strbuf_addf(out, "   cpu p95 %s", b);
	}
	if (value_known(n->idle_mem.peak)) {
		units_bytes(n->idle_mem.peak, b, sizeof(b));
		strbuf_addf(out, "   mem p95 %s", b);
	}
	strbuf_addc(out, '\n');
}

/* A rate: "1.5K/s", or the unknown dash alone (a dash is not per second). */
static void rate(double bps, char *out, size_t len)
{
	units_bytes(bps, out, len);
	if (value_known(bps))
		strncat(out, "/s", len - strlen(out) - 1);
}

static void line_str(struct strbuf *out, const char *label, const char *value)
{
	strbuf_addf(out, "%-14s ", label);
	if (value)
		tui_text_escape(out, value);
	else
		strbuf_adds(out, units_unknown());
	strbuf_addc(out, '\n');
}

static void line_pair(struct strbuf *out, const char *label, const char *a, const char *join,
		      const char *b)
{
	strbuf_addf(out, "%-14s %s %s %s\n", label, a, join, b);
}

static void ago(struct strbuf *out, uint64_t then, uint64_t now, bool future)
{
	if (!then) {
		strbuf_adds(out, units_unknown());
		return;
	}
	if (future)
		strbuf_addf(out, "in %llus",
			    (unsigned long long)(then > now ? (then - now + NS_PER_S - 1) / NS_PER_S : 0));
	else
		strbuf_addf(out, "%llus ago",
			    (unsigned long long)(now > then ? (now - then) / NS_PER_S : 0));
}

/* A VM's joined guest, as its own OS sees itself, beside what the
 * hypervisor sees above; and why a join was not made. */
static void guest_lines(const struct node *n, struct strbuf *out)
{
	const struct guest_view *g = n->guest;
	char a[32], b[32], c[32];

	if (g) {
		strbuf_addf(out, "%-14s ", "guest host");
		tui_text_escape(out, g->host_name);
		strbuf_adds(out, " (");
		tui_text_escape(out, g->host_id);
		strbuf_addf(out, "), joined by %s%s\n", g->joined_by,
			    g->stale ? "; stale: last known figures" : "");
		units_cores(g->cpu_cores_used, a, sizeof(a));
		units_cores(g->cpu_cores, b, sizeof(b));
		line_pair(out, "guest cpu", a, "used of", b);
		units_bytes(g->mem_bytes_used, a, sizeof(a));
		units_bytes(g->mem_bytes_available, b, sizeof(b));
		strbuf_addf(out, "%-14s %s used, %s available\n", "guest memory", a, b);
		units_number(g->load[0], 2, a, sizeof(a));
		units_number(g->load[1], 2, b, sizeof(b));
		units_number(g->load[2], 2, c, sizeof(c));
		strbuf_addf(out, "%-14s %s %s %s\n", "guest load", a, b, c);
		units_number(g->psi_some[PSI_CPU], 2, a, sizeof(a));
		units_number(g->psi_some[PSI_MEMORY], 2, b, sizeof(b));
		units_number(g->psi_some[PSI_IO], 2, c, sizeof(c));
		strbuf_addf(out, "%-14s cpu %s%%  memory %s%%  io %s%%\n", "guest pressure", a, b, c);
		units_cores(g->inner_cpu_unallocated, a, sizeof(a));
		units_bytes(g->inner_mem_unallocated, b, sizeof(b));
		strbuf_addf(out, "%-14s %s cores, %s (not given to its containers)\n", "inner unalloc", a, b);
	}
	if (node_join_note(n))
		line_str(out, "guest join", node_join_note(n));
}

/* Each known field of the metric table the lines above do not lay out: a
 * line of its own, in its column's units. */
static void other_metric_lines(const struct node *n, struct strbuf *out)
{
	size_t n_metrics;
	const struct metric *m = metrics_all(&n_metrics);

	for (size_t i = 0; i < n_metrics; i++) {
		const struct column *c = (m[i].flags & METRIC_LAID_OUT) ? NULL : column_find(m[i].key);
		char label[15], value[64];

		if (!c || !metric_applies(&m[i], n->kind) ||
		    (m[i].unit == METRIC_TEXT ? !metric_text(&m[i], &n->res)
					      : !value_known(metric_value(&m[i], &n->res))))
			continue;
		snprintf(label, sizeof(label), "%s", m[i].key);
		for (char *p = label; *p; p++)
			if (*p == '_')
				*p = ' ';
		column_text_value(c, n, value, sizeof(value));
		line_str(out, label, value);
	}
}

void tui_detail_text(const struct tree *t, const struct node *n, const struct tui_history *h,
		     uint64_t now_wall_ns, struct strbuf *out)
{
	const struct resources *r = &n->res;
	char a[32], b[32], c[32];

	line_str(out, "name", n->name);
	line_str(out, "id", n->id);
	line_str(out, "kind", node_kind_name(n->kind));
	line_str(out, "state", n->state);
	if (n->runtime)
		line_str(out, "runtime", n->runtime);
	if (n->owner && n->owner_source) {
		char *o = xasprintf("%s (%s)", n->owner, n->owner_source);
		line_str(out, "owner", o);
		free(o);
	}
	if (t && n->source >= 0 && (size_t)n->source < t->n_sources) {
		const struct tree_source *s = &t->sources[n->source];

		strbuf_addf(out, "%-14s ", "source");
		tui_text_escape(out, s->name);
		strbuf_addf(out, " (%s): %s", s->kind, health_name(s->health));
		if (s->reason) {
			strbuf_adds(out, ": ");
			tui_text_escape(out, s->reason);
		}
		strbuf_addc(out, '\n');
		strbuf_addf(out, "%-14s ", "last good");
		ago(out, s->last_ok_wall_ns, now_wall_ns, false);
		strbuf_adds(out, "   next retry ");
		ago(out, s->next_retry_wall_ns, now_wall_ns, true);
		strbuf_addc(out, '\n');
	}
	if (n->stale)
		strbuf_addf(out, "%-14s last known values: the source has no fresh reading\n", "stale");
	if (n->health != HEALTH_OK && !n->stale) {
		strbuf_addf(out, "%-14s %s", "health", health_name(n->health));
		if (n->health_reason) {
			strbuf_adds(out, ": ");
			tui_text_escape(out, n->health_reason);
		}
		strbuf_addc(out, '\n');
	}
	if (n->kind == NODE_SITE)
		return;
	units_cores(r->cpu_cores_used, a, sizeof(a));
	units_cores(r->cpu_cores_allocated, b, sizeof(b));
	line_pair(out, "cpu cores", a, "used of", b);
	units_bytes(r->mem_bytes_used, a, sizeof(a));
	units_bytes(r->mem_bytes_allocated, b, sizeof(b));
	strbuf_addf(out, "%-14s %s used of %s", "memory", a, b);
	if (r->mem_source)
		strbuf_addf(out, " (used from %s)", r->mem_source);
	strbuf_addc(out, '\n');
	if (value_known(r->mem_bytes_available)) {
		units_bytes(r->mem_bytes_available, a, sizeof(a));
		line_str(out, "mem available", a);
	}
	if (value_known(r->swap_bytes_total)) {
		units_bytes(r->swap_bytes_used, a, sizeof(a));
		units_bytes(r->swap_bytes_total, b, sizeof(b));
		line_pair(out, "swap", a, "used of", b);
	}
	rate(r->disk_read_bps, a, sizeof(a));
	rate(r->disk_write_bps, b, sizeof(b));
	strbuf_addf(out, "%-14s read %s  write %s\n", "disk", a, b);
	rate(r->net_rx_bps, a, sizeof(a));
	rate(r->net_tx_bps, b, sizeof(b));
	strbuf_addf(out, "%-14s rx %s  tx %s\n", "network", a, b);
	if (value_known(r->pids_current) || value_known(r->pids_max)) {
		units_number(r->pids_current, 0, a, sizeof(a));
		units_number(r->pids_max, 0, b, sizeof(b));
		line_pair(out, "pids", a, "of", b);
	}
	if (value_known(r->load[0])) {
		units_number(r->load[0], 2, a, sizeof(a));
		units_number(r->load[1], 2, b, sizeof(b));
		units_number(r->load[2], 2, c, sizeof(c));
		strbuf_addf(out, "%-14s %s %s %s\n", "load", a, b, c);
	}
	if (!value_known(r->power_watts)) {
		strbuf_addf(out, "%-14s %s\n", "power", units_unknown());
	} else {
		/* watts and how they were found (a meter, or an estimate);
		 * energy with PUE per month */
		const char *src = r->power_source;
		bool metered = power_source_metered(src);
		units_number(r->power_watts, 1, a, sizeof(a));
		units_number(r->energy_kwh_month, 1, b, sizeof(b));
		strbuf_addf(out, "%-14s %s W %s (%s)  %s kWh/month", "power", a,
			    metered ? "measured" : "estimate", src ? src : units_unknown(), b);
		if (value_known(r->energy_cost_month)) {
			units_number(r->energy_cost_month, 2, c, sizeof(c));
			strbuf_addf(out, "  energy %s", c);
			if (t && t->currency) {
				strbuf_addc(out, ' ');
				tui_text_escape(out, t->currency);
			}
			strbuf_adds(out, "/month");
		}
		if (value_known(r->co2_kg_month)) {
			units_number(r->co2_kg_month, 1, c, sizeof(c));
			strbuf_addf(out, "  %s kg CO2/month", c);
		}
		strbuf_addc(out, '\n');
	}
	other_metric_lines(n, out);
	for (size_t i = 0; i < n->n_devs; i++) {
		const struct node_dev *d = &n->devs[i];
		rate(d->read_bps, a, sizeof(a));
		rate(d->write_bps, b, sizeof(b));
		strbuf_addf(out, "%-14s ", d->kind == RAW_DEV_NET ? "interface" : "disk device");
		tui_text_escape(out, d->name);
		strbuf_addf(out, "  %s %s\n", a, b);
	}
	for (size_t i = 0; i < n->n_fs; i++) {
		const struct node_fs *f = &n->fs[i];
		units_bytes(f->used_bytes, a, sizeof(a));
		units_bytes(f->size_bytes, b, sizeof(b));
		strbuf_addf(out, "%-14s ", "filesystem");
		tui_text_escape(out, f->mount);
		strbuf_addf(out, "  %s of %s\n", a, b);
	}
	guest_lines(n, out);
	tui_idle_text(n, a, sizeof(a));
	line_str(out, "idle", a);
	idle_lines(n, h, out);
}

/* The window's use from the history store, when it has the node: a week
 * in TUI_HISTORY cells (hours where history keeps hours). */
#define HISTORY_SPAN_S (7 * 86400)
static void stored_lines(struct history *hs, const struct node *n, struct strbuf *out)
{
	static const char *const label[] = {"cpu 7 days", "mem 7 days"};
	int64_t now = (int64_t)(clock_wall_ns() / NS_PER_S);
	int64_t step = HISTORY_SPAN_S / TUI_HISTORY;

	for (int r = 0; r < HISTORY_N_RES; r++) {
		struct tui_history h = {.n = TUI_HISTORY, .head = 0};
		double v[TUI_HISTORY];
		struct errbuf err;
		bool any = false;

		if (history_series(hs, n->id, (enum history_res)r, now, step, v, TUI_HISTORY, &err) < 0)
			return;
		for (size_t i = 0; i < TUI_HISTORY; i++) {
			any |= value_known(v[i]);
			(r ? h.mem_used : h.cpu_used)[i] = tui_h16_of(v[i]);
		}
		if (!any)
			continue;
		h.cpu_alloc = (float)n->res.cpu_cores_allocated;
		h.mem_alloc = (float)n->res.mem_bytes_allocated;
		strbuf_addf(out, "%-14s ", label[r]);
		tui_history_sparkline(&h, r ? TUI_HISTORY_MEM : TUI_HISTORY_CPU, TUI_HISTORY, out);
		strbuf_adds(out, "  used of given, from history\n");
	}
}

void tui_detail_cpu_text(const struct cpustat *a, const struct cpustat *b, size_t width,
			 struct strbuf *out)
{
	struct cpustat_pct all;
	char v[3][16];
	size_t cell = 20, per_line, at = 0;

	if (!a->n_cpu || !b->n_cpu)
		return;
	all = cpustat_delta(&a->all, &b->all);
	if (!value_known(all.busy))
		return;
	snprintf(v[0], sizeof(v[0]), "%.1f%%", all.steal);
	snprintf(v[1], sizeof(v[1]), "%.1f%%", all.iowait);
	snprintf(v[2], sizeof(v[2]), "%.1f%%", all.busy);
	strbuf_addf(out, "%-14s steal %s  iowait %s  busy %s (since the last refresh)\n", "cpu time",
		    v[0], v[1], v[2]);
	per_line = width > 15 + cell ? (width - 15) / cell : 1;
	for (size_t i = 0; i < b->n_cpu; i++) {
		struct cpustat_pct p;
		char bar[16];
		int fill;

		if (!b->online[i] || i >= a->n_cpu || !a->online[i])
			continue;
		p = cpustat_delta(&a->cpu[i], &b->cpu[i]);
		if (at % per_line == 0)
			strbuf_addf(out, "%s%-14s", at ? "\n" : "", at ? "" : "per cpu");
		fill = value_known(p.busy) ? (int)lround(p.busy / 10.0) : 0;
		fill = fill < 0 ? 0 : fill > 10 ? 10 : fill;
		memset(bar, '|', (size_t)fill);
		memset(bar + fill, ' ', (size_t)(10 - fill));
		bar[10] = '\0';
		if (value_known(p.busy))
			strbuf_addf(out, " %3zu[%s]%3.0f%%", i, bar, p.busy);
		else
			strbuf_addf(out, " %3zu[%s]%4s", i, bar, units_unknown());
		at++;
	}
	if (at)
		strbuf_addc(out, '\n');
}

void tui_detail_numa_text(const struct numa_node *m, size_t n, struct strbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		char a[32], b[32], label[24];

		units_bytes(m[i].mem_free, a, sizeof(a));
		units_bytes(m[i].mem_total, b, sizeof(b));
		snprintf(label, sizeof(label), "numa node%d", m[i].id);
		strbuf_addf(out, "%-14s cpus %s  memory %s free of %s\n", label,
			    m[i].cpulist[0] ? m[i].cpulist : units_unknown(), a, b);
	}
}

void tui_detail_psi_text(const struct node *n, struct strbuf *out)
{
	static const char *const name[3] = {"cpu", "mem", "io"};
	bool any = false;

	for (int i = 0; i < 3; i++)
		any |= value_known(n->res.psi_some[i]) || value_known(n->res.psi_full[i]);
	if (!any)
		return;
	/* avg10; a host's "cpu full" is not defined: only "some" for cpu */
	strbuf_addf(out, "%-14s", "pressure 10s");
	for (int i = 0; i < 3; i++) {
		char a[16], b[16];

		units_number(n->res.psi_some[i], 1, a, sizeof(a));
		units_number(n->res.psi_full[i], 1, b, sizeof(b));
		strbuf_addf(out, " %s some %s%s", name[i], a, value_known(n->res.psi_some[i]) ? "%" : "");
		if (i != 0)
			strbuf_addf(out, " full %s%s", b, value_known(n->res.psi_full[i]) ? "%" : "");
	}
	strbuf_addc(out, '\n');
}

void tui_detail_draw(struct tui_state *s, int top, int height)
{
	const struct tui_row *row = tui_panel_selected(&s->panel);
	struct strbuf sb;

	if (!row) {
		for (int i = 0; i < height; i++)
			tui_screen_fill(top + i, TUI_EL_DETAIL);
		if (height > 0)
			tui_screen_put(top, 1, "nothing selected", TUI_EL_DETAIL);
		return;
	}
	strbuf_init(&sb);
	tui_detail_text(s->tree, row->node, idmap_get(s->history, row->node->id),
			clock_wall_ns(), &sb);
	tui_detail_psi_text(row->node, &sb);
	/* this machine's host: CPU by kind, per CPU, NUMA */
	if (row->node->kind == NODE_HOST && s->tree && row->node->source >= 0 &&
	    (size_t)row->node->source < s->tree->n_sources &&
	    strcmp(s->tree->sources[row->node->source].kind, "host") == 0 && (!s->feed || s->feed->live)) {
		struct numa_node numa[64];
		int rows, cols;
		size_t n;

		tui_screen_size(&rows, &cols);
		tui_detail_cpu_text(&s->cpu_prev, &s->cpu_cur, (size_t)cols, &sb);
		n = numa_read("/sys/devices/system/node", numa, sizeof(numa) / sizeof(numa[0]));
		tui_detail_numa_text(numa, n, &sb);
	}
	if (s->app && s->app->history)
		stored_lines(s->app->history, row->node, &sb);
	strbuf_adds(&sb, "\nEsc, d or Enter: back to the tree\n");
	tui_pager_draw(sb.buf, top, height, &s->detail_scroll, TUI_EL_DETAIL);
	strbuf_done(&sb);
}
