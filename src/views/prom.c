/* Prometheus text exposition format 0.0.4: a drop-in for node_exporter's
 * textfile collector.  Unknown values are left out (a missing sample is
 * how Prometheus says "unknown"), never written as 0 or NaN. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "glass/escape.h"
#include "glass/value.h"
#include "glass/view.h"

struct prom_family {
	const char *name;
	const char *help;
	double (*value)(const struct node *n);
};

#define VAL(fn, expr) \
	static double fn(const struct node *n) { return (expr); }

VAL(v_cpu_alloc, n->res.cpu_cores_allocated)
VAL(v_cpu_used, n->res.cpu_cores_used)
VAL(v_mem_alloc, n->res.mem_bytes_allocated)
VAL(v_mem_used, n->res.mem_bytes_used)
VAL(v_disk_r, n->res.disk_read_bps)
VAL(v_disk_w, n->res.disk_write_bps)
VAL(v_net_rx, n->res.net_rx_bps)
VAL(v_net_tx, n->res.net_tx_bps)
VAL(v_pids, n->res.pids_current)
VAL(v_pids_max, n->res.pids_max)
VAL(v_stale, n->stale ? 1.0 : 0.0)
VAL(v_cpu_util, n->idle_cpu.utilization)
VAL(v_mem_util, n->idle_mem.utilization)
VAL(v_cpu_idle, value_known(n->idle_cpu.utilization) ? (n->idle_cpu.idle ? 1.0 : 0.0) : GLASS_UNKNOWN)
VAL(v_mem_idle, value_known(n->idle_mem.utilization) ? (n->idle_mem.idle ? 1.0 : 0.0) : GLASS_UNKNOWN)
VAL(v_idle_cores, n->idle_cpu.idle_amount)
VAL(v_idle_bytes, n->idle_mem.idle_amount)
VAL(v_hint_cores, n->idle_cpu.right_size)
VAL(v_hint_bytes, n->idle_mem.right_size)
VAL(v_cost, n->idle_cost_month)
VAL(v_watts, n->res.power_watts)
VAL(v_measured, value_known(n->res.power_watts) ? (n->res.power_source && (strcmp(n->res.power_source, "rapl") == 0 || strcmp(n->res.power_source, "ipmi") == 0) ? 1.0 : 0.0) : GLASS_UNKNOWN)
VAL(v_kwh, n->res.energy_kwh_month)
VAL(v_energy_cost, n->res.energy_cost_month)
VAL(v_co2, n->res.co2_kg_month)

static const struct prom_family node_families[] = {
	{"glass_cpu_allocated_cores", "Cores the node was given (host: logical CPUs, vm: vCPUs, container: quota).", v_cpu_alloc},
	{"glass_cpu_used_cores", "Cores in use over the last interval (1 = one core busy).", v_cpu_used},
	{"glass_memory_allocated_bytes", "Memory the node was given.", v_mem_alloc},
	{"glass_memory_used_bytes", "Memory in use.", v_mem_used},
	{"glass_disk_read_bytes_per_second", "Bytes read from disks per second.", v_disk_r},
	{"glass_disk_written_bytes_per_second", "Bytes written to disks per second.", v_disk_w},
	{"glass_network_receive_bytes_per_second", "Bytes received per second.", v_net_rx},
	{"glass_network_transmit_bytes_per_second", "Bytes sent per second.", v_net_tx},
	{"glass_pids", "Processes (tasks) in the node.", v_pids},
	{"glass_pids_max", "The node's limit on processes.", v_pids_max},
	{"glass_stale", "1 when the node's source has no fresh reading.", v_stale},
	{"glass_cpu_utilization_ratio", "Average of cpu used / allocated over the idle window.", v_cpu_util},
	{"glass_memory_utilization_ratio", "Average of memory used / allocated over the idle window.", v_mem_util},
	{"glass_cpu_idle", "1 when the node's cpu is flagged idle.", v_cpu_idle},
	{"glass_memory_idle", "1 when the node's memory is flagged idle.", v_mem_idle},
	{"glass_idle_cores", "Idle cores held by the node (allocated - used when flagged).", v_idle_cores},
	{"glass_idle_bytes", "Idle memory held by the node (allocated - used when flagged).", v_idle_bytes},
	{"glass_right_size_cores", "Right-size hint: cores that hold the p95 with 25% headroom.", v_hint_cores},
	{"glass_right_size_bytes", "Right-size hint: memory that holds the p95 with 25% headroom.", v_hint_bytes},
	{"glass_idle_cost_per_month", "Idle capacity in money per month (cost model).", v_cost},
	{"glass_power_watts", "Watts the node burns: measured (RAPL, IPMI), modelled, or its share of its parent's.", v_watts},
	{"glass_power_measured", "1 when the node's watts come from a meter (RAPL, IPMI), 0 when modelled or attributed.", v_measured},
	{"glass_energy_kwh_per_month", "Energy per month at the node's watts, with the facility overhead (PUE).", v_kwh},
	{"glass_energy_cost_per_month", "Energy cost per month (cost.kwh), apart from the hardware's.", v_energy_cost},
	{"glass_co2_kg_per_month", "kg CO2 per month (carbon.g_per_kwh).", v_co2},
};

/* A label value: \\, \" and \n escaped as the format asks; invalid UTF-8
 * and terminal controls become \\xNN first (escape_data).  A return may
 * stay raw in the format but would overwrite the line on a terminal: it
 * becomes \\x0d too. */
static void add_label(struct strbuf *out, const char *name, const char *value, bool first)
{
	struct strbuf v;

	strbuf_init(&v);
	escape_data(&v, value ? value : "");
	strbuf_addf(out, "%s%s=\"", first ? "" : ",", name);
	for (size_t i = 0; i < v.len; i++) {
		char c = v.buf[i];
		if (c == '\\')
			strbuf_adds(out, "\\\\");
		else if (c == '"')
			strbuf_adds(out, "\\\"");
		else if (c == '\n')
			strbuf_adds(out, "\\n");
		else if (c == '\r')
			strbuf_adds(out, "\\\\x0d");
		else
			strbuf_addc(out, c);
	}
	strbuf_addc(out, '"');
	strbuf_done(&v);
}

static void add_value(struct strbuf *out, double v)
{
	char buf[64];

	/* whole numbers (bytes, counts) exactly; others to 10 digits.  The
	 * range test comes first: casting NaN or a huge value is undefined. */
	if (v < 1e18 && v > -1e18 && v == (double)(long long)v)
		snprintf(buf, sizeof(buf), "%lld", (long long)v);
	else
		snprintf(buf, sizeof(buf), "%.10g", v);
	strbuf_addf(out, " %s\n", buf);
}

static void family_head(struct strbuf *out, const char *name, const char *help)
{
	strbuf_addf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void node_samples(const struct prom_family *f, const struct node *n, const char *host,
			 struct strbuf *out)
{
	if (n->kind == NODE_HOST)
		host = n->name;
	if (n->matched && n->kind != NODE_SITE) {
		double v = f->value(n);
		if (value_known(v)) {
			strbuf_addf(out, "%s{", f->name);
			add_label(out, "id", n->id, true);
			add_label(out, "kind", node_kind_name(n->kind), false);
			add_label(out, "name", n->name, false);
			add_label(out, "host", host, false);
			add_label(out, "runtime", n->runtime, false);
			strbuf_addc(out, '}');
			add_value(out, v);
		}
	}
	for (size_t i = 0; i < n->n_children; i++)
		node_samples(f, n->children[i], host, out);
}

struct rollup_family {
	const char *name;
	const char *help;
	size_t offset; /* into struct rollup_res */
	bool cpu;
};

#define RES(field) offsetof(struct rollup_res, field)
static const struct rollup_family rollup_families[] = {
	{"glass_site_cpu_total_cores", "Physical cores of every host.", RES(total), true},
	{"glass_site_cpu_allocated_cores", "Cores held by VMs and limited containers.", RES(allocated), true},
	{"glass_site_cpu_used_cores", "Cores in use on every host.", RES(used), true},
	{"glass_site_cpu_idle_cores", "Cores held idle by flagged nodes.", RES(idle), true},
	{"glass_site_cpu_unallocated_cores", "Physical cores no VM or limited container holds.", RES(unallocated), true},
	{"glass_site_memory_total_bytes", "RAM of every host.", RES(total), false},
	{"glass_site_memory_allocated_bytes", "Memory held by VMs and limited containers.", RES(allocated), false},
	{"glass_site_memory_used_bytes", "Memory in use on every host.", RES(used), false},
	{"glass_site_memory_idle_bytes", "Memory held idle by flagged nodes.", RES(idle), false},
	{"glass_site_memory_unallocated_bytes", "RAM no VM or limited container holds.", RES(unallocated), false},
};

struct power_rollup_family {
	const char *name;
	const char *help;
	bool idle; /* rollup.idle_power, else rollup.power */
	size_t offset; /* into struct rollup_power */
};

#define PWR(field) offsetof(struct rollup_power, field)
static const struct power_rollup_family power_rollup_families[] = {
	{"glass_site_power_watts", "Watts the hosts burn (those whose watts are known).", false, PWR(watts)},
	{"glass_site_idle_power_watts", "Watts the idle capacity burns.", true, PWR(watts)},
	{"glass_site_energy_cost_per_month", "Energy cost per month of the hosts, with PUE.", false, PWR(cost_month)},
	{"glass_site_idle_energy_cost_per_month", "Energy cost per month of the idle capacity, with PUE.", true, PWR(cost_month)},
	{"glass_site_co2_kg_per_month", "kg CO2 per month of the hosts, with PUE.", false, PWR(co2_kg_month)},
	{"glass_site_idle_co2_kg_per_month", "kg CO2 per month of the idle capacity, with PUE.", true, PWR(co2_kg_month)},
};

static void power_rollup_samples(const struct tree *t, struct strbuf *out)
{
	for (size_t f = 0; f < sizeof(power_rollup_families) / sizeof(power_rollup_families[0]); f++) {
		const struct power_rollup_family *pf = &power_rollup_families[f];
		bool head = false;

		for (size_t i = 0; i <= t->root->n_children; i++) {
			const struct node *n = i == 0 ? t->root : t->root->children[i - 1];
			if (!n->rollup)
				continue;
			const struct rollup_power *rp = pf->idle ? &n->rollup->idle_power : &n->rollup->power;
			double v = *(const double *)((const char *)rp + pf->offset);
			if (!rp->applied || !value_known(v))
				continue;
			if (!head)
				family_head(out, pf->name, pf->help);
			head = true;
			strbuf_addf(out, "%s{", pf->name);
			add_label(out, "scope", n->kind == NODE_SITE ? "site" : "host", true);
			add_label(out, "host", n->kind == NODE_SITE ? "" : n->name, false);
			strbuf_addc(out, '}');
			add_value(out, v);
		}
	}
}

/* Measured energy since glass started, a counter as Kepler's
 * kepler_node_platform_joules_total is. */
static void energy_samples(const struct node *n, const char *host, bool *head, struct strbuf *out)
{
	if (n->kind == NODE_HOST)
		host = n->name;
	if (n->matched && n->kind != NODE_SITE && value_known(n->res.energy_joules)) {
		if (!*head)
			strbuf_adds(out, "# HELP glass_energy_joules_total Energy measured (RAPL, IPMI) since glass started.\n"
					 "# TYPE glass_energy_joules_total counter\n");
		*head = true;
		strbuf_adds(out, "glass_energy_joules_total{");
		add_label(out, "id", n->id, true);
		add_label(out, "kind", node_kind_name(n->kind), false);
		add_label(out, "name", n->name, false);
		add_label(out, "host", host, false);
		add_label(out, "source", n->res.power_source, false);
		strbuf_addc(out, '}');
		add_value(out, n->res.energy_joules);
	}
	for (size_t i = 0; i < n->n_children; i++)
		energy_samples(n->children[i], host, head, out);
}

/* Site and host rollups: one family per figure, a sample per scope. */
static void rollup_samples(const struct tree *t, struct strbuf *out)
{
	for (size_t f = 0; f < sizeof(rollup_families) / sizeof(rollup_families[0]); f++) {
		const struct rollup_family *rf = &rollup_families[f];

		family_head(out, rf->name, rf->help);
		for (size_t i = 0; i <= t->root->n_children; i++) {
			const struct node *n = i == 0 ? t->root : t->root->children[i - 1];
			if (!n->rollup)
				continue;
			const struct rollup_res *rr = rf->cpu ? &n->rollup->cpu : &n->rollup->mem;
			double v = *(const double *)((const char *)rr + rf->offset);
			if (!value_known(v))
				continue; /* unknown: no sample, as for nodes */
			strbuf_addf(out, "%s{", rf->name);
			add_label(out, "scope", n->kind == NODE_SITE ? "site" : "host", true);
			add_label(out, "host", n->kind == NODE_SITE ? "" : n->name, false);
			strbuf_addc(out, '}');
			add_value(out, v);
		}
	}
	power_rollup_samples(t, out);
	const struct rollup *r = t->root->rollup;
	if (!r)
		return;
	family_head(out, "glass_site_idle_nodes", "Nodes whose idle capacity is counted.");
	strbuf_adds(out, "glass_site_idle_nodes");
	add_value(out, (double)r->idle_nodes);
	if (value_known(r->cost_month)) {
		family_head(out, "glass_site_idle_cost_per_month", "Idle capacity in money per month.");
		strbuf_adds(out, "glass_site_idle_cost_per_month");
		add_value(out, r->cost_month);
	}
}

static void source_samples(const struct tree *t, struct strbuf *out)
{
	family_head(out, "glass_source_up", "1 when the source gave a fresh reading.");
	for (size_t i = 0; i < t->n_sources; i++) {
		const struct tree_source *s = &t->sources[i];

		strbuf_adds(out, "glass_source_up{");
		add_label(out, "uri", s->name, true); /* names are redacted already */
		add_label(out, "kind", s->kind, false);
		add_label(out, "health", health_name(s->health), false);
		strbuf_addc(out, '}');
		add_value(out, s->health == HEALTH_OK ? 1.0 : 0.0);
	}
}

void view_prom_render(const struct tree *t, struct strbuf *out)
{
	source_samples(t, out);
	for (size_t f = 0; f < sizeof(node_families) / sizeof(node_families[0]); f++) {
		family_head(out, node_families[f].name, node_families[f].help);
		node_samples(&node_families[f], t->root, "", out);
	}
	bool energy_head = false;
	energy_samples(t->root, "", &energy_head, out);
	rollup_samples(t, out);
}
