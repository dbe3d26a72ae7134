/* Power: the energy counter's wrap, a meter beside the host source, the
 * model, Kepler's ratio attribution by hand, idle watts, and the money
 * and carbon arithmetic. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glass/clock.h"
#include "glass/idle.h"
#include "glass/model.h"
#include "glass/power.h"
#include "glass/source_ipmi.h"
#include "glass/str_pool.h"
#include "glass/strbuf.h"
#include "glass/tui/detail.h"
#include "glass/tui/row.h"
#include "glass/units.h"
#include "glass/value.h"
#include "glass/xalloc.h"
#include "unit.h"

#define EPS 1e-9

static struct node *add(struct node *parent, enum node_kind kind, const char *id, double alloc,
			double used)
{
	struct node *n = node_new(kind, id, id);

	n->res.cpu_cores_allocated = alloc;
	n->res.cpu_cores_used = used;
	if (kind == NODE_VM)
		n->state = xstrdup("running");
	if (kind == NODE_HOST || kind == NODE_SITE)
		n->rollup = xcalloc(1, sizeof(*n->rollup));
	if (parent)
		node_add_child(parent, n);
	return n;
}

static struct tree *new_tree(void)
{
	struct tree *t = xcalloc(1, sizeof(*t));

	t->root = add(NULL, NODE_SITE, "site", GLASS_UNKNOWN, GLASS_UNKNOWN);
	return t;
}

static void config(struct power_params *p, const char *key, const char *value)
{
	struct errbuf err;

	ck_assert_int_eq(power_config_key(p, key, value, &err), 0);
}

START_TEST(energy_delta_wraps_and_resets)
{
	ck_assert_uint_eq(model_energy_delta(100, 250, 1000), 150);
	/* past max: max - prev + cur */
	ck_assert_uint_eq(model_energy_delta(900, 50, 1000), 150);
	/* back without a known max: a reset, no delta */
	ck_assert(!value_u64_known(model_energy_delta(900, 50, GLASS_U64_UNKNOWN)));
	/* prev above max: not a wrap of this counter */
	ck_assert(!value_u64_known(model_energy_delta(2000, 50, 1000)));
	ck_assert(!value_u64_known(model_energy_delta(GLASS_U64_UNKNOWN, 50, 1000)));
}
END_TEST

static const struct model_source meter_sources[2] = {{"local", "host"}, {"rapl:/x", "rapl"}};

static struct reading *host_reading(uint64_t t, uint64_t cpu_ns)
{
	struct reading *r = reading_new();
	struct raw_node *h = reading_add_node(r, NODE_HOST, "host:h", NULL, "h");

	r->mono_ns = t;
	h->cpu_time_ns = cpu_ns;
	h->cpu_cores_allocated = 4;
	return r;
}

static struct reading *rapl_reading(uint64_t t, uint64_t pkg_uj, uint64_t dram_uj)
{
	struct reading *r = reading_new();
	struct raw_node *h = reading_add_node(r, NODE_HOST, "host:h", NULL, "h");

	r->mono_ns = t;
	struct raw_energy *e = raw_node_energy(h);

	e->uj[0] = pkg_uj;
	e->max_uj[0] = 262143328850ULL;
	e->uj[1] = dram_uj;
	e->max_uj[1] = 65712999613ULL;
	e->n = 2;
	h->power_source = "rapl";
	return r;
}

static struct tree *build(struct model *m, struct reading *host, struct reading *rapl, uint64_t t)
{
	struct board_slot_view v[2] = {{.reading = host, .health = HEALTH_OK},
				       {.reading = rapl, .health = HEALTH_OK}};

	return model_build(m, v, t, 0, 1.0);
}

/* RAPL beside the local host: one node, the host's cpu and the meter's
 * watts; a wrap of one counter is not a reset. */
START_TEST(meter_fills_the_hosts_watts)
{
	struct model *m = model_new(meter_sources, 2);
	struct reading *h1 = host_reading(NS_PER_S, 0), *r1 = rapl_reading(NS_PER_S, 1000000, 5000000);
	struct tree *t = build(m, h1, r1, NS_PER_S);
	const struct node *h = t->root->children[0];

	ck_assert_uint_eq(t->root->n_children, 1);
	ck_assert(!value_known(h->res.power_watts)); /* one reading: no rate yet */
	tree_free(t);
	/* 2 s later: +100 J package, +20 J dram: 60 W; cpu 2 cores */
	struct reading *h2 = host_reading(3 * NS_PER_S, 4 * NS_PER_S);
	struct reading *r2 = rapl_reading(3 * NS_PER_S, 101000000, 25000000);
	t = build(m, h2, r2, 3 * NS_PER_S);
	h = t->root->children[0];
	ck_assert_double_eq_tol(h->res.power_watts, 60.0, EPS);
	ck_assert_str_eq(h->res.power_source, "rapl");
	ck_assert_double_eq_tol(h->res.cpu_cores_used, 2.0, EPS);
	ck_assert_double_eq_tol(h->res.cpu_cores_allocated, 4.0, EPS);
	ck_assert_double_eq_tol(h->res.energy_joules, 120.0, EPS);
	tree_free(t);
	/* the package counter wraps: 262143328850 - 262100000000 + 6666150 uj
	 * = 49.995 J in 1 s, dram +10 J: 59.995 W, not a reset */
	struct reading *h3 = host_reading(4 * NS_PER_S, 5 * NS_PER_S);
	struct reading *r3a = rapl_reading(4 * NS_PER_S, 262100000000ULL, 35000000);
	t = build(m, h3, r3a, 4 * NS_PER_S);
	tree_free(t);
	struct reading *h4 = host_reading(5 * NS_PER_S, 6 * NS_PER_S);
	struct reading *r4 = rapl_reading(5 * NS_PER_S, 6666150, 45000000);
	t = build(m, h4, r4, 5 * NS_PER_S);
	h = t->root->children[0];
	ck_assert_double_eq_tol(h->res.power_watts, (262143328850.0 - 262100000000.0 + 6666150.0) / 1e6 + 10.0, 1e-6);
	ck_assert_double_eq_tol(h->res.cpu_cores_used, 1.0, EPS);
	tree_free(t);
	reading_unref(h1);
	reading_unref(r1);
	reading_unref(h2);
	reading_unref(r2);
	reading_unref(h3);
	reading_unref(r3a);
	reading_unref(h4);
	reading_unref(r4);
	model_free(m);
}
END_TEST

START_TEST(model_from_config_and_default)
{
	struct power_params p;
	double idle, max;

	power_params_init(&p);
	/* no rule: the per-cpu default */
	ck_assert_int_eq(power_host_model(&p, "a", 4, &idle, &max), POWER_MODEL_DEFAULT);
	ck_assert_double_eq_tol(idle, 2.96, EPS);
	ck_assert_double_eq_tol(max, 14.0, EPS);
	ck_assert_double_eq_tol(power_model_watts(idle, max, 0.25), 2.96 + 11.04 * 0.25, EPS);
	ck_assert_int_eq(power_host_model(&p, "a", GLASS_UNKNOWN, &idle, &max), POWER_MODEL_NONE);
	ck_assert(!value_known(idle));
	/* the bare keys for every host, a glob for some; the last match wins */
	config(&p, "power.idle_watts", "100");
	config(&p, "power.max_watts", "300");
	config(&p, "power.kvm*.max_watts", "450");
	ck_assert_int_eq(power_host_model(&p, "web1", 4, &idle, &max), POWER_MODEL_CONFIG);
	ck_assert_double_eq_tol(idle, 100, EPS);
	ck_assert_double_eq_tol(max, 300, EPS);
	ck_assert_double_eq_tol(power_model_watts(idle, max, 0.5), 200, EPS);
	/* utilization clamps to [0, 1] */
	ck_assert_double_eq_tol(power_model_watts(idle, max, 1.7), 300, EPS);
	ck_assert(!value_known(power_model_watts(idle, max, GLASS_UNKNOWN)));
	/* kvm1: max 450 from the glob, idle by the default's ratio 0.74/3.5 */
	ck_assert_int_eq(power_host_model(&p, "kvm1", 4, &idle, &max), POWER_MODEL_CONFIG);
	ck_assert_double_eq_tol(max, 450, EPS);
	ck_assert_double_eq_tol(idle, 450 * 0.74 / 3.5, EPS);
	power_params_done(&p);
}
END_TEST

START_TEST(config_keys)
{
	struct power_params p;
	struct errbuf err;

	power_params_init(&p);
	ck_assert_double_eq(p.pue, 1.0);
	ck_assert(!value_known(p.cost_kwh));
	ck_assert(!value_known(p.carbon_g_kwh));
	config(&p, "power.pue", "1.4");
	config(&p, "cost.kwh", "0.25");
	config(&p, "carbon.g_per_kwh", "350");
	ck_assert_double_eq_tol(p.pue, 1.4, EPS);
	ck_assert_double_eq_tol(p.cost_kwh, 0.25, EPS);
	ck_assert_double_eq_tol(p.carbon_g_kwh, 350, EPS);
	ck_assert_int_eq(power_config_key(&p, "power.pue", "0.9", &err), -1);
	ck_assert_int_eq(power_config_key(&p, "power.max_watts", "lots", &err), -1);
	ck_assert_int_eq(power_config_key(&p, "cost.kwh", "-1", &err), -1);
	ck_assert_int_eq(power_config_key(&p, "power.colour", "red", &err), 1);
	ck_assert_int_eq(power_config_key(&p, "power.kvm*max_watts", "1", &err), 1);
	ck_assert_int_eq(power_config_key(&p, "cost.core_month", "1", &err), 1);
	power_params_done(&p);
}
END_TEST

/* The example: a host at 300 W (a meter) whose idle is 150 W,
 * 8 cores with 4 used; VM a (4 vCPU) uses 3, VM b (2 vCPU) uses 1 and
 * is flagged idle; in a: ct1 (limit 2) uses 2, ct2 (no limit) 0.5, ct3
 * unknown.  Every figure by hand. */
START_TEST(attribution_by_hand)
{
	struct power_params p;
	struct tree *t = new_tree();
	struct node *h = add(t->root, NODE_HOST, "host:h", 8, 4);
	struct node *a = add(h, NODE_VM, "vm:h/a", 4, 3);
	struct node *b = add(h, NODE_VM, "vm:h/b", 2, 1);
	struct node *ct1 = add(a, NODE_CONTAINER, "ct:a/1", 2, 2);
	struct node *ct2 = add(a, NODE_CONTAINER, "ct:a/2", GLASS_UNKNOWN, 0.5);
	struct node *ct3 = add(a, NODE_CONTAINER, "ct:a/3", 1, GLASS_UNKNOWN);

	power_params_init(&p);
	config(&p, "power.idle_watts", "150");
	config(&p, "power.max_watts", "400");
	config(&p, "power.pue", "1.5");
	config(&p, "cost.kwh", "0.30");
	config(&p, "carbon.g_per_kwh", "400");
	h->res.power_watts = 300;
	h->res.power_source = "rapl";
	b->idle_cpu.idle = true;
	power_apply(&p, t);

	/* active 150 W by cpu over 4 cores used, idle 150 W by allocation
	 * over 8 cores: a = 150*3/4 + 150*4/8, b = 150*1/4 + 150*2/8 */
	ck_assert_str_eq(h->res.power_source, "rapl");
	ck_assert_double_eq_tol(a->res.power_watts, 112.5 + 75, EPS);
	ck_assert_double_eq_tol(b->res.power_watts, 37.5 + 37.5, EPS);
	ck_assert_str_eq(a->res.power_source, "attributed");
	/* in a: active 112.5 by cpu over 3, idle 75 by allocation over 4 (ct3's
	 * limit counts; ct2 has none) */
	ck_assert_double_eq_tol(ct1->res.power_watts, 112.5 * 2 / 3 + 75.0 * 2 / 4, EPS);
	ck_assert_double_eq_tol(ct2->res.power_watts, 112.5 * 0.5 / 3, EPS);
	ck_assert(!value_known(ct3->res.power_watts));
	ck_assert_ptr_null(ct3->res.power_source);
	ck_assert(a->res.power_watts + b->res.power_watts <= h->res.power_watts);
	ck_assert(ct1->res.power_watts + ct2->res.power_watts <= a->res.power_watts);
	/* idle: 150 * (8 - 4) / 8 = 75 W of idle power, plus b's active 37.5 */
	ck_assert_double_eq_tol(h->rollup->idle_power.watts, 112.5, EPS);
	ck_assert_double_eq_tol(t->root->rollup->idle_power.watts, 112.5, EPS);
	ck_assert_double_eq_tol(t->root->rollup->power.watts, 300, EPS);
	ck_assert_double_eq_tol(t->root->res.power_watts, 300, EPS);
	/* money and carbon: 300 W x 1.5 x 730 h = 328.5 kWh; x 0.30 = 98.55;
	 * x 400 g = 131.4 kg.  Idle: 112.5 W -> 123.1875 kWh, 36.95625, 49.275 kg */
	ck_assert_double_eq_tol(h->res.energy_kwh_month, 328.5, 1e-9);
	ck_assert_double_eq_tol(h->res.energy_cost_month, 98.55, 1e-9);
	ck_assert_double_eq_tol(h->res.co2_kg_month, 131.4, 1e-9);
	ck_assert_double_eq_tol(t->root->rollup->idle_power.kwh_month, 123.1875, 1e-9);
	ck_assert_double_eq_tol(t->root->rollup->idle_power.cost_month, 36.95625, 1e-9);
	ck_assert_double_eq_tol(t->root->rollup->idle_power.co2_kg_month, 49.275, 1e-9);
	ck_assert_double_eq_tol(t->root->rollup->power.pue, 1.5, EPS);
	ck_assert_double_eq_tol(ct1->res.energy_cost_month, 112.5 * 1.5 * 0.730 * 0.30, 1e-9);
	/* the detail pane says it, with where the watts came from */
	struct strbuf sb;
	strbuf_init(&sb);
	t->currency = "EUR";
	tui_detail_text(t, h, NULL, 0, &sb);
	ck_assert_ptr_nonnull(strstr(sb.buf, "power          300.0 W measured (rapl)  328.5 kWh/month  energy 98.55 EUR/month  131.4 kg CO2/month\n"));
	strbuf_done(&sb);
	strbuf_init(&sb);
	tui_detail_text(t, ct3, NULL, 0, &sb);
	char unknown[64];
	snprintf(unknown, sizeof(unknown), "power          %s\n", units_unknown());
	ck_assert_ptr_nonnull(strstr(sb.buf, unknown)); /* unknown: said so */
	strbuf_done(&sb);
	/* the W column: metered plain, estimates marked, unknown a dash */
	char w[32];
	tui_watts_text(h, w, sizeof(w));
	ck_assert_str_eq(w, "300");
	tui_watts_text(ct1, w, sizeof(w));
	ck_assert_str_eq(w, "112~");
	tui_watts_text(ct3, w, sizeof(w));
	ck_assert_str_eq(w, units_unknown());
	tree_free(t);
	power_params_done(&p);
}
END_TEST

/* No meter, no cpus, no rule: unknown, and so is everything below; the
 * site counts the host as unknown, never as 0 W. */
START_TEST(unknown_stays_unknown)
{
	struct power_params p;
	struct tree *t = new_tree();
	struct node *h = add(t->root, NODE_HOST, "host:x", GLASS_UNKNOWN, GLASS_UNKNOWN);
	struct node *v = add(h, NODE_VM, "vm:x/a", 2, 1);
	struct node *h2 = add(t->root, NODE_HOST, "host:y", 4, 2);

	power_params_init(&p);
	power_apply(&p, t);
	ck_assert(!value_known(h->res.power_watts));
	ck_assert_ptr_null(h->res.power_source);
	ck_assert(!value_known(v->res.power_watts));
	ck_assert(!value_known(v->res.energy_kwh_month));
	/* y: the default model, 4 cpus at half load: 2.96 + 11.04 / 2 */
	ck_assert_str_eq(h2->res.power_source, "model");
	ck_assert_double_eq_tol(h2->res.power_watts, 8.48, EPS);
	ck_assert(!value_known(h2->res.energy_cost_month)); /* no cost.kwh */
	ck_assert_uint_eq(t->root->rollup->power.hosts_unknown, 1);
	ck_assert_double_eq_tol(t->root->rollup->power.watts, 8.48, EPS);
	tree_free(t);

	/* only the unknown host: the site's watts are unknown, not 0 W, and
	 * the idle line says nothing of watts */
	t = new_tree();
	add(t->root, NODE_HOST, "host:x", GLASS_UNKNOWN, GLASS_UNKNOWN);
	power_apply(&p, t);
	ck_assert(t->root->rollup->power.applied);
	ck_assert(!value_known(t->root->rollup->power.watts));
	ck_assert(!value_known(t->root->rollup->idle_power.watts));
	ck_assert(!value_known(t->root->res.power_watts));
	char *line = idle_summary_line(t->root->rollup, true);
	ck_assert_ptr_null(strstr(line, " W idle"));
	free(line);
	tree_free(t);
	power_params_done(&p);
}
END_TEST

START_TEST(idle_line_says_idle_watts)
{
	struct rollup r;

	memset(&r, 0, sizeof(r));
	r.hosts = 1;
	r.cpu.total = 8;
	r.cpu.idle = 2;
	r.mem.total = 16.0 * 1024 * 1024 * 1024;
	char *line = idle_summary_line(&r, true);
	ck_assert_ptr_null(strstr(line, "W idle")); /* no power stage: no watts */
	free(line);
	rollup_power_init_unknown(&r.idle_power);
	r.idle_power.applied = true;
	r.idle_power.watts = 112.5;
	line = idle_summary_line(&r, true);
	/* the idle accounting's line, then the watts */
	const char *tail = " \xc2\xb7 112 W idle";
	ck_assert_uint_gt(strlen(line), strlen(tail));
	ck_assert_str_eq(line + strlen(line) - strlen(tail), tail);
	ck_assert_ptr_nonnull(strstr(line, "idle: "));
	free(line);
	line = idle_summary_line(&r, false);
	ck_assert_ptr_nonnull(strstr(line, " - 112 W idle"));
	free(line);
	r.idle_power.watts = 3140;
	line = idle_summary_line(&r, true);
	ck_assert_ptr_nonnull(strstr(line, " \xc2\xb7 3.1 kW idle"));
	free(line);
}
END_TEST

/* Overcommitted allocations, children using more cpu than the parent
 * reports, a VM that is off: shares never add past the parent. */
START_TEST(children_never_exceed_parent)
{
	struct power_params p;

	power_params_init(&p);
	config(&p, "power.idle_watts", "100");
	config(&p, "power.max_watts", "250");
	srand(7);
	for (int round = 0; round < 200; round++) {
		struct tree *t = new_tree();
		struct node *h = add(t->root, NODE_HOST, "host:r", 4, (rand() % 50) / 10.0);
		size_t n = 1 + (size_t)(rand() % 6);
		for (size_t i = 0; i < n; i++) {
			struct node *v = add(h, NODE_VM, "vm", 1 + rand() % 8, (rand() % 40) / 10.0);
			if (rand() % 4 == 0) {
				str_pool_free(v->state);
				v->state = xstrdup("shut off");
			}
			for (int k = rand() % 3; k > 0; k--)
				add(v, NODE_CONTAINER, "ct", rand() % 2 ? GLASS_UNKNOWN : 1.0, (rand() % 30) / 10.0);
		}
		power_apply(&p, t);
		double sum = 0;
		for (size_t i = 0; i < h->n_children; i++) {
			const struct node *v = h->children[i];
			double csum = 0;
			ck_assert(value_known(v->res.power_watts));
			for (size_t k = 0; k < v->n_children; k++)
				csum += v->children[k]->res.power_watts;
			ck_assert(csum <= v->res.power_watts + 1e-9);
			sum += v->res.power_watts;
		}
		ck_assert(sum <= h->res.power_watts + 1e-9);
		ck_assert(h->rollup->idle_power.watts <= h->res.power_watts + 1e-9);
		tree_free(t);
	}
	power_params_done(&p);
}
END_TEST

START_TEST(off_vm_holds_no_idle_power)
{
	struct power_params p;
	struct tree *t = new_tree();
	struct node *h = add(t->root, NODE_HOST, "host:h", 4, 0);
	struct node *on = add(h, NODE_VM, "vm:h/on", 2, 0);
	struct node *off = add(h, NODE_VM, "vm:h/off", 2, 0);

	str_pool_free(off->state);
	off->state = xstrdup("shut off");
	power_params_init(&p);
	config(&p, "power.idle_watts", "100");
	config(&p, "power.max_watts", "200");
	power_apply(&p, t);
	ck_assert_double_eq_tol(h->res.power_watts, 100, EPS);
	ck_assert_double_eq_tol(on->res.power_watts, 50, EPS);
	ck_assert_double_eq_tol(off->res.power_watts, 0, EPS);
	/* nothing used: all of the idle power is idle capacity */
	ck_assert_double_eq_tol(h->rollup->idle_power.watts, 100, EPS);
	tree_free(t);
	power_params_done(&p);
}
END_TEST

START_TEST(cost_arithmetic)
{
	/* 1 kW for a month of 730 h at PUE 1.2: 876 kWh; at 0.2 a kWh 175.2;
	 * at 250 g a kWh 219 kg */
	double kwh = power_kwh_month(1000, 1.2);
	ck_assert_double_eq_tol(kwh, 876, 1e-9);
	ck_assert_double_eq_tol(power_cost(kwh, 0.2), 175.2, 1e-9);
	ck_assert_double_eq_tol(power_co2_kg(kwh, 250), 219, 1e-9);
	ck_assert(!value_known(power_cost(kwh, GLASS_UNKNOWN)));
	ck_assert(!value_known(power_co2_kg(GLASS_UNKNOWN, 250)));
	ck_assert(!value_known(power_kwh_month(GLASS_UNKNOWN, 1.0)));
	ck_assert_str_eq(power_source_static("rapl"), "rapl");
	ck_assert_ptr_null(power_source_static("solar"));
}
END_TEST

/* A BMC's gauge beside the host and RAPL: its watts win (the whole
 * machine), and a stale or unreachable BMC speaks for nothing: the host
 * is left to the model, its own numbers untouched. */
static const struct model_source bmc_sources[3] = {
	{"local", "host"}, {"rapl:/x", "rapl"}, {"ipmi+lan://u@bmc", "ipmi"}};

static struct reading *bmc_reading(uint64_t t, double watts)
{
	struct reading *r = reading_new();
	struct raw_node *h = reading_add_node(r, NODE_HOST, "host:h", NULL, "h");

	r->mono_ns = t;
	h->power_watts = watts;
	h->power_source = "ipmi";
	return r;
}

START_TEST(bmc_wins_and_a_stale_one_is_dropped)
{
	struct model *m = model_new(bmc_sources, 3);
	struct reading *h1 = host_reading(NS_PER_S, 0), *r1 = rapl_reading(NS_PER_S, 1000000, 5000000);
	struct reading *h2 = host_reading(3 * NS_PER_S, 4 * NS_PER_S);
	struct reading *r2 = rapl_reading(3 * NS_PER_S, 101000000, 25000000);
	struct reading *b = bmc_reading(3 * NS_PER_S, 232.0);
	struct board_slot_view v[3] = {{.reading = h1, .health = HEALTH_OK},
				       {.reading = r1, .health = HEALTH_OK},
				       {.reading = b, .health = HEALTH_OK}};
	tree_free(model_build(m, v, NS_PER_S, 0, 1.0));
	v[0].reading = h2;
	v[1].reading = r2;
	struct tree *t = model_build(m, v, 3 * NS_PER_S, 0, 1.0);
	const struct node *h = t->root->children[0];
	ck_assert_uint_eq(t->root->n_children, 1);
	ck_assert_double_eq_tol(h->res.power_watts, 232.0, EPS);
	ck_assert_str_eq(h->res.power_source, "ipmi");
	ck_assert_double_eq_tol(h->res.cpu_cores_used, 2.0, EPS);
	tree_free(t);
	/* the BMC stops answering: RAPL speaks again; without RAPL, nothing */
	v[2].health = HEALTH_STALE;
	t = model_build(m, v, 3 * NS_PER_S, 0, 1.0);
	h = t->root->children[0];
	ck_assert_str_eq(h->res.power_source, "rapl");
	ck_assert(!h->stale);
	tree_free(t);
	v[1].health = HEALTH_UNREACHABLE;
	v[2].health = HEALTH_UNREACHABLE;
	t = model_build(m, v, 3 * NS_PER_S, 0, 1.0);
	h = t->root->children[0];
	ck_assert(!value_known(h->res.power_watts)); /* the model fills it later */
	ck_assert_double_eq_tol(h->res.cpu_cores_used, 2.0, EPS);
	ck_assert(!h->stale);
	tree_free(t);
	reading_unref(h1);
	reading_unref(r1);
	reading_unref(h2);
	reading_unref(r2);
	reading_unref(b);
	model_free(m);
}
END_TEST

START_TEST(ipmi_uris_and_password_file)
{
	struct ipmi_target t;
	struct errbuf err;

	ck_assert(source_ipmi_uri("ipmi+lan://u@b"));
	ck_assert(source_ipmi_uri("ipmi://"));
	ck_assert(!source_ipmi_uri("ipmix://"));
	ck_assert_int_eq(ipmi_target_parse("ipmi+lanplus://admin@bmc-1.lan:6230/?host=kvm2&sensor=Sys Power", &t, &err), 0);
	ck_assert_int_eq(t.mode, IPMI_LANPLUS);
	ck_assert_str_eq(t.user, "admin");
	ck_assert_str_eq(t.address, "bmc-1.lan");
	ck_assert_str_eq(t.port, "6230");
	ck_assert_str_eq(t.host_name, "kvm2");
	ck_assert_str_eq(t.sensor, "Sys Power");
	ipmi_target_done(&t);
	ck_assert_int_eq(ipmi_target_parse("ipmi://", &t, &err), 0);
	ck_assert_int_eq(t.mode, IPMI_INBAND);
	ck_assert_ptr_null(t.address);
	ipmi_target_done(&t);
	/* refused, the password never echoed */
	ck_assert_int_eq(ipmi_target_parse("ipmi+lan://u:hunter2@b", &t, &err), -1);
	ck_assert_ptr_null(strstr(err.msg, "hunter2"));
	ck_assert_int_eq(ipmi_target_parse("ipmi://bmc", &t, &err), -1);
	ck_assert_int_eq(ipmi_target_parse("ipmi+lan://u@-oProxy", &t, &err), -1);
	ck_assert_int_eq(ipmi_target_parse("ipmi+lan://u@b:0", &t, &err), -1);
	ck_assert_int_eq(ipmi_target_parse("ipmi+lan://u@b?host=a&host=b", &t, &err), -1);
	ck_assert_int_eq(ipmi_target_parse("ipmi+lan://u@b?password_file=rel", &t, &err), -1);
	ck_assert_int_eq(ipmi_target_parse("ipmi+lan://u@b/x", &t, &err), -1);
	/* the file's first line, its line end left out; too long refused */
	char path[] = "/tmp/glass-pw-XXXXXX", pw[IPMI_PASSWORD_MAX + 1];
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "s3cret\r\nnext\n", 13), 13);
	ck_assert_int_eq(ipmi_password_read(path, pw, sizeof(pw), &err), 0);
	ck_assert_str_eq(pw, "s3cret");
	ck_assert_int_eq(ftruncate(fd, 0), 0);
	ck_assert_int_eq(pwrite(fd, "012345678901234567890\n", 22, 0), 22);
	ck_assert_int_eq(ipmi_password_read(path, pw, sizeof(pw), &err), -1);
	ck_assert_ptr_null(strstr(err.msg, "0123456789"));
	ck_assert_int_eq(ftruncate(fd, 0), 0);
	ck_assert_int_eq(ipmi_password_read(path, pw, sizeof(pw), &err), -1);
	close(fd);
	unlink(path);
	ck_assert_int_eq(ipmi_password_read(path, pw, sizeof(pw), &err), -1);
}
END_TEST

static Suite *power_suite(void)
{
	Suite *s = suite_create("power");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, energy_delta_wraps_and_resets);
	tcase_add_test(tc, meter_fills_the_hosts_watts);
	tcase_add_test(tc, bmc_wins_and_a_stale_one_is_dropped);
	tcase_add_test(tc, ipmi_uris_and_password_file);
	tcase_add_test(tc, model_from_config_and_default);
	tcase_add_test(tc, config_keys);
	tcase_add_test(tc, attribution_by_hand);
	tcase_add_test(tc, unknown_stays_unknown);
	tcase_add_test(tc, children_never_exceed_parent);
	tcase_add_test(tc, off_vm_holds_no_idle_power);
	tcase_add_test(tc, cost_arithmetic);
	tcase_add_test(tc, idle_line_says_idle_watts);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(power_suite)
