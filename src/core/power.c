#include "glass/power.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "glass/value.h"
#include "glass/xalloc.h"

void power_params_init(struct power_params *p)
{
	*p = (struct power_params){
		.pue = POWER_DEFAULT_PUE,
		.cost_kwh = GLASS_UNKNOWN,
		.carbon_g_kwh = GLASS_UNKNOWN,
	};
}

void power_params_done(struct power_params *p)
{
	for (size_t i = 0; i < p->n_rules; i++)
		free(p->rules[i].glob);
	free(p->rules);
	p->rules = NULL;
	p->n_rules = 0;
}

static int parse_number(const char *value, double min, double *out, struct errbuf *err,
			const char *what)
{
	char *end;
	double v = strtod(value, &end);

	if (end == value || *end != '\0' || !(v >= min) || v > 1e12)
		return errbuf_set(err, "invalid %s '%.60s': a number >= %g", what, value, min);
	*out = v;
	return 0;
}

static struct power_rule *rule_for(struct power_params *p, const char *glob, size_t len)
{
	for (size_t i = 0; i < p->n_rules; i++)
		if (strlen(p->rules[i].glob) == len && strncmp(p->rules[i].glob, glob, len) == 0)
			return &p->rules[i];
	p->rules = xreallocarray(p->rules, p->n_rules + 1, sizeof(*p->rules));
	p->rules[p->n_rules] = (struct power_rule){xstrndup(glob, len), GLASS_UNKNOWN, GLASS_UNKNOWN};
	return &p->rules[p->n_rules++];
}

static bool ends_with(const char *s, const char *suffix, size_t *stem)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	if (ls < lx || strcmp(s + ls - lx, suffix) != 0)
		return false;
	*stem = ls - lx;
	return true;
}

int power_config_key(struct power_params *p, const char *key, const char *value,
		     struct errbuf *err)
{
	size_t stem;

	if (strcmp(key, "power.pue") == 0)
		return parse_number(value, 1.0, &p->pue, err, "power.pue");
	if (strcmp(key, "cost.kwh") == 0)
		return parse_number(value, 0.0, &p->cost_kwh, err, "cost.kwh");
	if (strcmp(key, "carbon.g_per_kwh") == 0)
		return parse_number(value, 0.0, &p->carbon_g_kwh, err, "carbon.g_per_kwh");
	if (strncmp(key, "power.", 6) != 0)
		return 1;
	bool idle = ends_with(key, "idle_watts", &stem);
	if (!idle && !ends_with(key, "max_watts", &stem))
		return 1;
	/* power.idle_watts (every host) or power.GLOB.idle_watts */
	const char *glob = key + 6;
	size_t len = stem - 6;
	if (len == 0) {
		glob = "*";
		len = 1;
	} else if (len < 2 || glob[len - 1] != '.') {
		return 1;
	} else {
		len--;
	}
	double v;
	if (parse_number(value, 0.0, &v, err, idle ? "idle_watts" : "max_watts") < 0)
		return -1;
	struct power_rule *r = rule_for(p, glob, len);
	if (idle)
		r->idle_watts = v;
	else
		r->max_watts = v;
	return 0;
}

const char *power_source_static(const char *name)
{
	static const char *const names[] = {"rapl", "ipmi", "model", "attributed"};

	for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return names[i];
	return NULL;
}

bool power_source_metered(const char *source)
{
	return source && (strcmp(source, "rapl") == 0 || strcmp(source, "ipmi") == 0);
}

enum power_model_from power_host_model(const struct power_params *p, const char *name,
				       double cpus, double *idle_w, double *max_w)
{
	const struct power_rule *fallback = NULL, *match = NULL;

	for (size_t i = 0; i < p->n_rules; i++) {
		const struct power_rule *r = &p->rules[i];
		if (strcmp(r->glob, "*") == 0)
			fallback = r;
		else if (name && fnmatch(r->glob, name, 0) == 0)
			match = r; /* the last match wins */
	}
	const struct power_rule *r = match ? match : fallback;
	const double ratio = POWER_DEFAULT_IDLE_W_PER_CPU / POWER_DEFAULT_MAX_W_PER_CPU;
	if (r) {
		double i = r->idle_watts, m = r->max_watts;
		if (!value_known(i))
			i = m * ratio;
		if (!value_known(m))
			m = i / ratio;
		*idle_w = i;
		*max_w = m < i ? i : m;
		return POWER_MODEL_CONFIG;
	}
	if (!value_known(cpus) || cpus <= 0) {
		*idle_w = *max_w = GLASS_UNKNOWN;
		return POWER_MODEL_NONE;
	}
	*idle_w = cpus * POWER_DEFAULT_IDLE_W_PER_CPU;
	*max_w = cpus * POWER_DEFAULT_MAX_W_PER_CPU;
	return POWER_MODEL_DEFAULT;
}

static double clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

double power_model_watts(double idle_w, double max_w, double utilization)
{
	if (!value_known(idle_w) || !value_known(max_w) || !value_known(utilization))
		return GLASS_UNKNOWN;
	return idle_w + (max_w - idle_w) * clamp01(utilization);
}

/* part / whole, 0 when the whole is nothing (no one to share with) */
static double ratio_of(double part, double whole)
{
	return whole > 0 ? part / whole : 0;
}

struct power_share power_attribute(double active_w, double idle_w, double cpu_used,
				   double cpu_total, double alloc, double alloc_total)
{
	struct power_share s = {GLASS_UNKNOWN, GLASS_UNKNOWN};

	if (!value_known(idle_w) || !value_known(active_w))
		return s;
	/* no allocation holds no idle power */
	s.idle_watts = idle_w * ratio_of(value_known(alloc) ? alloc : 0, alloc_total);
	double active = active_w > 0 ? active_w : 0;
	if (active > 0 && !value_known(cpu_used))
		return s; /* its cpu time unknown: its active share is too */
	s.watts = s.idle_watts + (active > 0 ? active * ratio_of(cpu_used, cpu_total) : 0);
	return s;
}

double power_kwh_month(double watts, double pue)
{
	if (!value_known(watts) || !value_known(pue))
		return GLASS_UNKNOWN;
	return watts * pue * POWER_MONTH_HOURS / 1000.0;
}

double power_cost(double kwh, double price_kwh)
{
	return value_known(kwh) && value_known(price_kwh) ? kwh * price_kwh : GLASS_UNKNOWN;
}

double power_co2_kg(double kwh, double g_per_kwh)
{
	return value_known(kwh) && value_known(g_per_kwh) ? kwh * g_per_kwh / 1000.0 : GLASS_UNKNOWN;
}

double power_idle_watts(double idle_w, double cores, double used, double flagged_active_w)
{
	if (!value_known(idle_w) || !value_known(cores) || cores <= 0 || !value_known(used))
		return GLASS_UNKNOWN;
	double w = idle_w * clamp01((cores - used) / cores);
	return value_known(flagged_active_w) ? w + flagged_active_w : GLASS_UNKNOWN;
}

void rollup_power_init_unknown(struct rollup_power *rp)
{
	*rp = (struct rollup_power){
		.applied = false,
		.watts = GLASS_UNKNOWN,
		.kwh_month = GLASS_UNKNOWN,
		.cost_month = GLASS_UNKNOWN,
		.co2_kg_month = GLASS_UNKNOWN,
		.pue = GLASS_UNKNOWN,
	};
}

/* The allocation a node holds for the idle split: its cpu allocation; a
 * group's is what the holders below it hold; a VM that is off holds
 * nothing (DESIGN.md §3). */
static double alloc_weight(const struct node *n)
{
	if (n->kind == NODE_VM && n->state && strcmp(n->state, "running") != 0 &&
	    strcmp(n->state, "paused") != 0)
		return 0;
	if (value_known(n->res.cpu_cores_allocated))
		return n->res.cpu_cores_allocated;
	double sum = 0;
	if (n->kind == NODE_GROUP)
		for (size_t i = 0; i < n->n_children; i++)
			sum += alloc_weight(n->children[i]);
	return sum;
}

static bool is_holder(const struct node *n)
{
	return n->kind == NODE_VM ||
	       (n->kind == NODE_CONTAINER && value_known(n->res.cpu_cores_allocated));
}

/* What a host's flagged holders burn actively; NaN once one is unknown. */
struct host_acc {
	double flagged_active;
};

static void attribute_children(struct node *n, double idle_w, bool under_holder,
			       struct host_acc *acc)
{
	double cpu_sum = 0, alloc_sum = 0;

	if (n->n_children == 0)
		return;
	for (size_t i = 0; i < n->n_children; i++) {
		const struct node *c = n->children[i];
		if (value_known(c->res.cpu_cores_used))
			cpu_sum += c->res.cpu_cores_used;
		alloc_sum += alloc_weight(c);
	}
	double cpu_total = n->res.cpu_cores_used, alloc_total = alloc_weight(n);
	cpu_total = value_known(cpu_total) && cpu_total > cpu_sum ? cpu_total : cpu_sum;
	alloc_total = alloc_total > alloc_sum ? alloc_total : alloc_sum;
	double active = value_known(n->res.power_watts) && value_known(idle_w)
				? n->res.power_watts - idle_w : GLASS_UNKNOWN;

	for (size_t i = 0; i < n->n_children; i++) {
		struct node *c = n->children[i];
		struct power_share s = {GLASS_UNKNOWN, GLASS_UNKNOWN};

		if (!power_source_metered(c->res.power_source)) {
			s = power_attribute(active, idle_w, c->res.cpu_cores_used, cpu_total,
					    alloc_weight(c), alloc_total);
			c->res.power_watts = s.watts;
			c->res.power_source = value_known(s.watts) ? "attributed" : NULL;
		}
		bool holder = !under_holder && is_holder(c);
		if (holder && c->idle_cpu.idle) {
			double a = c->res.power_watts - s.idle_watts;
			acc->flagged_active = value_known(a) && value_known(acc->flagged_active)
						      ? acc->flagged_active + a : GLASS_UNKNOWN;
		}
		attribute_children(c, s.idle_watts, under_holder || holder, acc);
	}
}

static void finish_node(const struct power_params *p, struct node *n)
{
	struct resources *r = &n->res;

	r->energy_kwh_month = power_kwh_month(r->power_watts, p->pue);
	r->energy_cost_month = power_cost(r->energy_kwh_month, p->cost_kwh);
	r->co2_kg_month = power_co2_kg(r->energy_kwh_month, p->carbon_g_kwh);
	for (size_t i = 0; i < n->n_children; i++)
		finish_node(p, n->children[i]);
}

static void rollup_begin(const struct power_params *p, struct rollup_power *rp)
{
	rollup_power_init_unknown(rp);
	rp->applied = true;
	rp->pue = p->pue;
}

/* A host's figure into a sum: unknown until one host's is known */
static void rollup_add(const struct power_params *p, struct rollup_power *rp, double watts)
{
	if (value_known(watts))
		rp->watts = value_known(rp->watts) ? rp->watts + watts : watts;
	else
		rp->hosts_unknown++;
	rp->kwh_month = power_kwh_month(rp->watts, p->pue);
	rp->cost_month = power_cost(rp->kwh_month, p->cost_kwh);
	rp->co2_kg_month = power_co2_kg(rp->kwh_month, p->carbon_g_kwh);
}

/* A host under the site: its watts (a meter's, or the model's), then its
 * subtree's shares, then what its idle capacity burns. */
static void apply_host(const struct power_params *p, struct node *h, struct rollup *site)
{
	struct resources *r = &h->res;
	double idle_w, max_w;

	power_host_model(p, h->name, r->cpu_cores_allocated, &idle_w, &max_w);
	double util = value_known(r->cpu_cores_allocated) && r->cpu_cores_allocated > 0
			      ? r->cpu_cores_used / r->cpu_cores_allocated : GLASS_UNKNOWN;
	if (!value_known(r->power_watts)) {
		r->power_watts = power_model_watts(idle_w, max_w, util);
		r->power_source = value_known(r->power_watts) ? "model" : NULL;
	}
	/* a meter can read below the model's idle: the idle part is at most
	 * what the host burns */
	if (value_known(idle_w) && value_known(r->power_watts) && idle_w > r->power_watts)
		idle_w = r->power_watts;
	if (!value_known(r->power_watts))
		idle_w = GLASS_UNKNOWN;
	struct host_acc acc = {0};
	attribute_children(h, idle_w, false, &acc);
	double idle_watts = power_idle_watts(idle_w, r->cpu_cores_allocated, r->cpu_cores_used,
					     acc.flagged_active);
	if (h->rollup) {
		rollup_begin(p, &h->rollup->power);
		rollup_begin(p, &h->rollup->idle_power);
		rollup_add(p, &h->rollup->power, r->power_watts);
		rollup_add(p, &h->rollup->idle_power, idle_watts);
	}
	if (site) {
		rollup_add(p, &site->power, r->power_watts);
		rollup_add(p, &site->idle_power, idle_watts);
	}
}

void power_apply(const struct power_params *p, struct tree *t)
{
	struct rollup *site = t->root->rollup;

	if (site) {
		rollup_begin(p, &site->power);
		rollup_begin(p, &site->idle_power);
	}
	for (size_t i = 0; i < t->root->n_children; i++) {
		struct node *c = t->root->children[i];
		if (c->kind == NODE_HOST)
			apply_host(p, c, site);
	}
	/* the site burns what its hosts burn (those whose watts are known) */
	if (site)
		t->root->res.power_watts = site->power.watts;
	finish_node(p, t->root);
}
