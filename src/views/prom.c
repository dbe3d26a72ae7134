/* Prometheus text exposition format 0.0.4: a drop-in for node_exporter's
 * textfile collector.  Unknown values are left out (a missing sample is
 * how Prometheus says "unknown"), never written as 0 or NaN. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/escape.h"
#include "glass/metric.h"
#include "glass/numfmt.h"
#include "glass/power.h"
#include "glass/value.h"
#include "glass/view.h"
#include "glass/xalloc.h"

/* A node family the metric table does not hold: idle verdicts, the
 * power meter's mark, a joined guest's figures. */
struct prom_family {
	const char *name;
	const char *help;
	double (*value)(const struct node *n);
};

#define VAL(fn, expr) \
	static double fn(const struct node *n) { return (expr); }

VAL(v_stale, n->stale ? 1.0 : 0.0)
VAL(v_cpu_util, n->idle_cpu.utilization)
VAL(v_mem_util, n->idle_mem.utilization)
VAL(v_cpu_idle, value_known(n->idle_cpu.utilization) ? (n->idle_cpu.idle ? 1.0 : 0.0) : GLASS_UNKNOWN)
VAL(v_mem_idle, value_known(n->idle_mem.utilization) ? (n->idle_mem.idle ? 1.0 : 0.0) : GLASS_UNKNOWN)
/* flagged nodes only: a flag inside a holder that counts it is shown, not summed */
VAL(v_cpu_counted, n->idle_cpu.idle ? (n->idle_cpu.counted ? 1.0 : 0.0) : GLASS_UNKNOWN)
VAL(v_mem_counted, n->idle_mem.idle ? (n->idle_mem.counted ? 1.0 : 0.0) : GLASS_UNKNOWN)
VAL(v_idle_cores, n->idle_cpu.idle_amount)
VAL(v_idle_bytes, n->idle_mem.idle_amount)
VAL(v_hint_cores, n->idle_cpu.right_size)
VAL(v_hint_bytes, n->idle_mem.right_size)
VAL(v_cost, n->idle_cost_month)
VAL(v_measured, value_known(n->res.power_watts) ? (power_source_metered(n->res.power_source) ? 1.0 : 0.0) : GLASS_UNKNOWN)
static const struct prom_family node_families[] = {
	{"glass_stale", "1 when the node's source has no fresh reading.", v_stale},
	{"glass_cpu_utilization_ratio", "Average of cpu used / allocated over the idle window.", v_cpu_util},
	{"glass_memory_utilization_ratio", "Average of memory used / allocated over the idle window.", v_mem_util},
	{"glass_cpu_idle", "1 when the node's cpu is flagged idle.", v_cpu_idle},
	{"glass_memory_idle", "1 when the node's memory is flagged idle.", v_mem_idle},
	{"glass_cpu_idle_counted", "1 when the node's idle cpu is summed into the rollups (a top-level VM or container, or a host); 0 when a holder above it counts it.", v_cpu_counted},
	{"glass_memory_idle_counted", "1 when the node's idle memory is summed into the rollups (a top-level VM or container, or a host); 0 when a holder above it counts it.", v_mem_counted},
	{"glass_idle_cores", "Idle cores held by the node (allocated - used when flagged).", v_idle_cores},
	{"glass_idle_bytes", "Idle memory held by the node (allocated - used when flagged).", v_idle_bytes},
	{"glass_right_size_cores", "Right-size hint: cores that hold the p95 with 25% headroom.", v_hint_cores},
	{"glass_right_size_bytes", "Right-size hint: memory that holds the p95 with 25% headroom.", v_hint_bytes},
	{"glass_idle_cost_per_month", "Idle capacity in money per month (cost model).", v_cost},
	{"glass_power_measured", "1 when the node's watts come from a meter (RAPL, IPMI), 0 when modelled or attributed.", v_measured},
};

/* A label value: \\, \" and \n escaped as the format asks; invalid UTF-8
 * and terminal controls become \\xNN first (escape_data).  A return may
 * stay raw in the format but would overwrite the line on a terminal: it
 * becomes \\x0d too. */
void prom_add_label(struct strbuf *out, const char *name, const char *value, bool first)
{
	struct strbuf v;
	const char *s = value ? value : "";
	size_t plain = 0;

	if (!first)
		strbuf_addc(out, ',');
	strbuf_adds(out, name);
	strbuf_add(out, "=\"", 2);
	/* most values are printable ASCII without \ or ": copied as they are */
	while (s[plain] >= 0x20 && s[plain] < 0x7f && s[plain] != '\\' && s[plain] != '"')
		plain++;
	if (s[plain] == '\0') {
		strbuf_add(out, s, plain);
		strbuf_addc(out, '"');
		return;
	}
	strbuf_init(&v);
	escape_data(&v, s);
	for (size_t i = 0; i < v.len; i++) {
		char c = v.buf[i];
		if (c == '\\')
			strbuf_add(out, "\\\\", 2);
		else if (c == '"')
			strbuf_add(out, "\\\"", 2);
		else if (c == '\n')
			strbuf_add(out, "\\n", 2);
		else if (c == '\r')
			strbuf_add(out, "\\\\x0d", 5);
		else
			strbuf_addc(out, c);
	}
	strbuf_addc(out, '"');
	strbuf_done(&v);
}

void prom_add_value(struct strbuf *out, double v)
{
	char buf[64];
	size_t n = 1;

	buf[0] = ' ';
	/* whole numbers (bytes, counts) exactly; others to 10 digits.  The
	 * range test comes first: casting NaN or a huge value is undefined. */
	if (v < 1e18 && v > -1e18 && v == (double)(long long)v)
		n += numfmt_i64((int64_t)v, buf + 1);
	else
		n += numfmt_g10(v, buf + 1, sizeof(buf) - 2);
	buf[n++] = '\n';
	strbuf_add(out, buf, n);
}

void prom_family_head(struct strbuf *out, const char *name, const char *help)
{
	strbuf_addf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* Every shown node's label set ({id,kind,name,host,runtime}), escaped
 * once per snapshot: each of the node families repeats it. */
struct label_sets {
	struct strbuf text;
	struct label_set {
		const struct node *node;
		size_t at, len; /* in text */
		size_t kind_at; /* where ",kind=" starts: glass_node_info puts parent before it */
	} *v;
	size_t n, cap;
};

static void label_sets_add(struct label_sets *ls, const struct node *n, const char *host)
{
	if (n->kind == NODE_HOST)
		host = n->name;
	if (n->matched && n->kind != NODE_SITE) {
		size_t at = ls->text.len;

		size_t kind_at;

		strbuf_addc(&ls->text, '{');
		prom_add_label(&ls->text, "id", n->id, true);
		kind_at = ls->text.len;
		prom_add_label(&ls->text, "kind", node_kind_name(n->kind), false);
		prom_add_label(&ls->text, "name", n->name, false);
		prom_add_label(&ls->text, "host", host, false);
		prom_add_label(&ls->text, "runtime", n->runtime, false);
		strbuf_addc(&ls->text, '}');
		if (ls->n == ls->cap) {
			ls->cap = ls->cap ? 2 * ls->cap : 64;
			ls->v = xrealloc(ls->v, ls->cap * sizeof(*ls->v));
		}
		ls->v[ls->n++] = (struct label_set){n, at, ls->text.len - at, kind_at};
	}
	for (size_t i = 0; i < n->n_children; i++)
		label_sets_add(ls, n->children[i], host);
}

/* One family's samples: a row of the metric table (m), or f. */
static void node_samples(const struct metric *m, const struct prom_family *f,
			 const struct label_sets *ls, struct strbuf *out)
{
	const char *name = m ? m->prom_name : f->name;
	size_t name_len = strlen(name);

	prom_family_head(out, name, m ? m->prom_help : f->help);
	for (size_t i = 0; i < ls->n; i++) {
		const struct node *n = ls->v[i].node;
		double v = m ? metric_value_of(m, n) : f->value(n);

		if (!value_known(v))
			continue;
		strbuf_add(out, name, name_len);
		strbuf_add(out, ls->text.buf + ls->v[i].at, ls->v[i].len);
		prom_add_value(out, v);
	}
}

/* One sample per node naming its parent: with it a reader of the
 * exposition (Prometheus, a far glass) rebuilds the tree, as
 * kube-state-metrics' *_info series carry an object's relations.  The
 * node's labels as escaped for the families, parent and state added. */
static void info_samples(const struct label_sets *ls, struct strbuf *out)
{
	for (size_t i = 0; i < ls->n; i++) {
		const struct label_set *l = &ls->v[i];
		const struct node *n = l->node, *p = n->parent;
		const char *text = ls->text.buf + l->at;
		size_t kind = l->kind_at - l->at;

		strbuf_add(out, "glass_node_info", 15);
		strbuf_add(out, text, kind);
		prom_add_label(out, "parent", p && p->kind != NODE_SITE ? p->id : "", false);
		strbuf_add(out, text + kind, l->len - kind - 1); /* without its '}' */
		prom_add_label(out, "state", n->state, false);
		prom_add_label(out, "owner", n->owner, false);
		prom_add_label(out, "owner_source", n->owner_source, false);
		strbuf_addc(out, '}');
		prom_add_value(out, 1);
	}
}

/* One sample per node with its health and why, apart from
 * glass_node_info: a node that turns unreachable and back starts a new
 * series here, and leaves the info series (the tree) whole. */
static void health_samples(const struct label_sets *ls, struct strbuf *out)
{
	for (size_t i = 0; i < ls->n; i++) {
		const struct label_set *l = &ls->v[i];
		const struct node *n = l->node;

		strbuf_add(out, "glass_node_health", 17);
		strbuf_add(out, ls->text.buf + l->at, l->len - 1); /* without its '}' */
		prom_add_label(out, "health", health_name(n->health), false);
		prom_add_label(out, "reason", n->health_reason, false);
		strbuf_addc(out, '}');
		prom_add_value(out, 1);
	}
}

struct rollup_family {
	const char *name; /* after glass_site_ / glass_host_ */
	const char *help;
	size_t offset; /* into struct rollup_res */
	bool cpu;
};

#define RES(field) offsetof(struct rollup_res, field)
static const struct rollup_family rollup_families[] = {
	{"cpu_total_cores", "Logical CPUs of the hosts.", RES(total), true},
	{"cpu_used_cores", "Average cores in use over the idle window, of the hosts whose use is known.", RES(used), true},
	{"cpu_idle_cores", "Physical idle: logical CPUs minus use, per host, of the hosts whose use is known.", RES(idle), true},
	{"cpu_allocated_cores", "vCPUs and cores held by top-level VMs (on) and limited containers.", RES(allocated), true},
	{"cpu_slack_cores", "Allocated minus used of the flagged top-level VMs and containers.", RES(slack), true},
	{"cpu_unallocated_cores", "Per host, logical CPUs no top-level VM or container holds (never below 0).", RES(unallocated), true},
	{"cpu_overcommit_ratio", "Allocated / logical CPUs.", RES(overcommit), true},
	{"memory_total_bytes", "RAM of the hosts.", RES(total), false},
	{"memory_used_bytes", "Average memory in use over the idle window, of the hosts whose use is known.", RES(used), false},
	{"memory_idle_bytes", "Physical idle: RAM minus use, per host, of the hosts whose use is known.", RES(idle), false},
	{"memory_allocated_bytes", "Memory held by top-level VMs (on) and limited containers.", RES(allocated), false},
	{"memory_slack_bytes", "Allocated minus used of the flagged top-level VMs and containers.", RES(slack), false},
	{"memory_unallocated_bytes", "Per host, RAM no top-level VM or container holds (never below 0).", RES(unallocated), false},
	{"memory_overcommit_ratio", "Allocated / RAM.", RES(overcommit), false},
};

/* Measured energy since glass started, a counter as Kepler's
 * kepler_node_platform_joules_total is. */
static void energy_samples(const struct node *n, const char *host, bool *head, bool om,
			   struct strbuf *out)
{
	if (n->kind == NODE_HOST)
		host = n->name;
	if (n->matched && n->kind != NODE_SITE && value_known(n->res.energy_joules)) {
		/* OpenMetrics names the counter's family without its _total */
		if (!*head)
			strbuf_adds(out, om ? "# HELP glass_energy_joules Energy measured (RAPL, IPMI) since glass started.\n"
					      "# TYPE glass_energy_joules counter\n# UNIT glass_energy_joules joules\n"
					    : "# HELP glass_energy_joules_total Energy measured (RAPL, IPMI) since glass started.\n"
					      "# TYPE glass_energy_joules_total counter\n");
		*head = true;
		strbuf_adds(out, "glass_energy_joules_total{");
		prom_add_label(out, "id", n->id, true);
		prom_add_label(out, "kind", node_kind_name(n->kind), false);
		prom_add_label(out, "name", n->name, false);
		prom_add_label(out, "host", host, false);
		prom_add_label(out, "source", n->res.power_source, false);
		strbuf_addc(out, '}');
		prom_add_value(out, n->res.energy_joules);
	}
	for (size_t i = 0; i < n->n_children; i++)
		energy_samples(n->children[i], host, head, om, out);
}

static void rollup_sample(struct strbuf *out, const char *prefix, const char *name,
			  const struct node *host, double v)
{
	if (!value_known(v))
		return; /* unknown: no sample, as for nodes */
	strbuf_addf(out, "%s%s", prefix, name);
	if (host) {
		strbuf_addc(out, '{');
		prom_add_label(out, "id", host->id, true);
		prom_add_label(out, "host", host->name, false);
		strbuf_addc(out, '}');
	}
	prom_add_value(out, v);
}

/* One family per figure for the site (no labels) and one for the hosts. */
static void rollup_figure(const struct tree *t, struct strbuf *out, const char *name,
			  const char *help, double (*get)(const struct rollup *, const void *),
			  const void *arg)
{
	char full[96];

	snprintf(full, sizeof(full), "glass_site_%s", name);
	prom_family_head(out, full, help);
	rollup_sample(out, "glass_site_", name, NULL, get(t->root->rollup, arg));
	snprintf(full, sizeof(full), "glass_host_%s", name);
	prom_family_head(out, full, help);
	for (size_t i = 0; i < t->root->n_children; i++) {
		const struct node *h = t->root->children[i];
		if (h->rollup)
			rollup_sample(out, "glass_host_", name, h, get(h->rollup, arg));
	}
}

static double get_res(const struct rollup *r, const void *arg)
{
	const struct rollup_family *rf = arg;
	const struct rollup_res *rr = rf->cpu ? &r->cpu : &r->mem;

	return *(const double *)((const char *)rr + rf->offset);
}

#define ROLLUP_GET(fn, expr) \
	static double fn(const struct rollup *r, const void *arg) { (void)arg; return (expr); }
ROLLUP_GET(get_idle_holders, (double)r->idle_holders)
ROLLUP_GET(get_idle_hosts, (double)r->idle_hosts)
ROLLUP_GET(get_hosts_unknown, (double)r->cpu.hosts_unknown)
ROLLUP_GET(get_idle_cost, r->idle_cost_month)
ROLLUP_GET(get_slack_cost, r->slack_cost_month)
/* power (power.h): measured or modelled watts, and what idle capacity burns */
ROLLUP_GET(get_watts, r->power.watts)
ROLLUP_GET(get_idle_watts, r->idle_power.watts)
ROLLUP_GET(get_energy_cost, r->power.cost_month)
ROLLUP_GET(get_idle_energy_cost, r->idle_power.cost_month)
ROLLUP_GET(get_co2, r->power.co2_kg_month)
ROLLUP_GET(get_idle_co2, r->idle_power.co2_kg_month)

static void rollup_samples(const struct tree *t, struct strbuf *out)
{
	if (!t->root->rollup)
		return;
	for (size_t f = 0; f < sizeof(rollup_families) / sizeof(rollup_families[0]); f++)
		rollup_figure(t, out, rollup_families[f].name, rollup_families[f].help, get_res,
			      &rollup_families[f]);
	rollup_figure(t, out, "idle_holders", "Flagged top-level VMs and containers (their slack is summed).",
		      get_idle_holders, NULL);
	rollup_figure(t, out, "idle_hosts", "Hosts flagged idle on cpu or memory.", get_idle_hosts, NULL);
	rollup_figure(t, out, "cpu_hosts_unknown", "Hosts left out of used and idle: their cpu use is unknown.",
		      get_hosts_unknown, NULL);
	if (value_known(t->root->rollup->idle_cost_month)) {
		rollup_figure(t, out, "idle_cost_per_month", "What the physically idle capacity costs per month (cost model).",
			      get_idle_cost, NULL);
		rollup_figure(t, out, "slack_cost_per_month", "What right-sizing the flagged VMs and containers would reclaim per month (cost model).",
			      get_slack_cost, NULL);
	}
	const struct rollup_power *pw = &t->root->rollup->power;
	if (!pw->applied)
		return;
	rollup_figure(t, out, "power_watts", "Watts the hosts burn (those whose watts are known).", get_watts, NULL);
	rollup_figure(t, out, "idle_power_watts", "Watts the idle capacity burns.", get_idle_watts, NULL);
	if (value_known(pw->cost_month)) {
		rollup_figure(t, out, "energy_cost_per_month", "Energy cost per month, with PUE (cost.kwh).",
			      get_energy_cost, NULL);
		rollup_figure(t, out, "idle_energy_cost_per_month", "Energy cost per month of the idle capacity, with PUE.",
			      get_idle_energy_cost, NULL);
	}
	if (value_known(pw->co2_kg_month)) {
		rollup_figure(t, out, "co2_kg_per_month", "kg CO2 per month, with PUE (carbon.g_per_kwh).", get_co2, NULL);
		rollup_figure(t, out, "idle_co2_kg_per_month", "kg CO2 per month of the idle capacity, with PUE.",
			      get_idle_co2, NULL);
	}
}

static void source_samples(const struct tree *t, struct strbuf *out)
{
	prom_family_head(out, "glass_source_up", "1 when the source gave a fresh reading.");
	for (size_t i = 0; i < t->n_sources; i++) {
		const struct tree_source *s = &t->sources[i];

		strbuf_adds(out, "glass_source_up{");
		prom_add_label(out, "uri", s->name, true); /* names are redacted already */
		prom_add_label(out, "kind", s->kind, false);
		prom_add_label(out, "health", health_name(s->health), false);
		strbuf_addc(out, '}');
		prom_add_value(out, s->health == HEALTH_OK ? 1.0 : 0.0);
	}
}

/* glass_guest_joined: 1 per VM with a joined guest, how it was joined and
 * which host the guest is. */
static void guest_samples(const struct node *n, bool *head, struct strbuf *out)
{
	if (n->guest && n->matched) {
		if (!*head) {
			prom_family_head(out, "glass_guest_joined",
				    "1 for a VM whose guest host is joined below it (joined_by: uuid, mac, name, config).");
			*head = true;
		}
		strbuf_adds(out, "glass_guest_joined{");
		prom_add_label(out, "id", n->id, true);
		prom_add_label(out, "name", n->name, false);
		prom_add_label(out, "guest_host", n->guest->host_id, false);
		prom_add_label(out, "joined_by", n->guest->joined_by, false);
		strbuf_addc(out, '}');
		prom_add_value(out, 1);
	}
	for (size_t i = 0; i < n->n_children; i++)
		guest_samples(n->children[i], head, out);
}

static void render(const struct tree *t, bool om, struct strbuf *out)
{
	source_samples(t, out);
	struct label_sets ls = {.v = NULL};
	strbuf_init(&ls.text);
	label_sets_add(&ls, t->root, "");
	prom_family_head(out, "glass_node_info", "One per node: its id, parent id (empty at the top), kind, name, host, runtime, state, owner and where the owner came from.");
	info_samples(&ls, out);
	prom_family_head(out, "glass_node_health", "One per node: its health (ok, stale, unreachable, connecting) and why, as its source says.");
	health_samples(&ls, out);
	size_t n_metrics;
	const struct metric *metrics = metrics_all(&n_metrics);
	for (size_t m = 0; m < n_metrics; m++)
		if (metrics[m].prom_name && metrics[m].unit != METRIC_TEXT)
			node_samples(&metrics[m], NULL, &ls, out);
	for (size_t f = 0; f < sizeof(node_families) / sizeof(node_families[0]); f++)
		node_samples(NULL, &node_families[f], &ls, out);
	metrics = guest_metrics_all(&n_metrics);
	for (size_t m = 0; m < n_metrics; m++)
		node_samples(&metrics[m], NULL, &ls, out);
	strbuf_done(&ls.text);
	free(ls.v);
	bool energy_head = false;
	energy_samples(t->root, "", &energy_head, om, out);
	bool guest_head = false;
	guest_samples(t->root, &guest_head, out);
	rollup_samples(t, out);
}

void view_prom_render(const struct tree *t, struct strbuf *out)
{
	render(t, false, out);
}

void view_openmetrics_render_body(const struct tree *t, struct strbuf *out)
{
	render(t, true, out);
}
