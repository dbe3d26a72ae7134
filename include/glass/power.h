/* power.h: watts for every node, the watts the idle capacity burns, and
 * what they cost (DESIGN.md §4).  Pure code on the finished tree.
 *
 * A host's watts come from a meter when a source gave them (RAPL, IPMI, a
 * remote glass), else from a linear model: P = P_idle + (P_max - P_idle) x
 * cpu utilization, with P_idle and P_max from the config (per host glob)
 * or the default per-cpu model below.  Below a host, watts are attributed
 * (Kepler's ratio model): a child's share is the active power (P - P_idle)
 * times its share of the parent's cpu time, plus the idle power times its
 * share of the parent's allocation.  Shares are taken over the larger of
 * the parent's figure and the children's sum, so children never add up to
 * more than their parent.  Unknown stays unknown. */
#ifndef GLASS_POWER_H
#define GLASS_POWER_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/errbuf.h"
#include "glass/node.h"

/* A month for energy: 365 x 24 / 12 hours. */
#define POWER_MONTH_HOURS 730.0
/* Facility overhead (heating, cooling) when power.pue is not set: none. */
#define POWER_DEFAULT_PUE 1.0
/* The default model per logical cpu, from Cloud Carbon Footprint's
 * methodology (cloudcarbonfootprint.org/docs/methodology, "Compute"): the
 * averages of SPECpower results over cloud server CPUs, 0.74 W at idle and
 * 3.5 W at full load per vCPU.  Cpus only: memory, disks and fans are not
 * in it, so it is a floor for a real server; set power.max_watts. */
#define POWER_DEFAULT_IDLE_W_PER_CPU 0.74
#define POWER_DEFAULT_MAX_W_PER_CPU 3.5

/* power.<glob>.idle_watts / .max_watts; the glob "*" for the bare keys. */
struct power_rule {
	char *glob;
	double idle_watts; /* NaN: not set by this rule */
	double max_watts;
};

struct power_params {
	struct power_rule *rules; /* in config order */
	size_t n_rules;
	double pue;          /* >= 1 */
	double cost_kwh;     /* money per kWh; NaN: no energy price */
	double carbon_g_kwh; /* g CO2 per kWh; NaN: no carbon intensity */
};

void power_params_init(struct power_params *p);
void power_params_done(struct power_params *p);

/* Applies one config key when it is a power key (power.pue,
 * power[.GLOB].idle_watts, power[.GLOB].max_watts, cost.kwh,
 * carbon.g_per_kwh): 0 applied, -1 a bad value (err), 1 not a power key. */
int power_config_key(struct power_params *p, const char *key, const char *value,
		     struct errbuf *err);

/* The static spelling of a power source name ("rapl", "ipmi", "model",
 * "attributed"), or NULL for anything else (a name read from outside). */
const char *power_source_static(const char *name);
/* Were these watts read from a meter (RAPL, a BMC), not estimated (the
 * model, attribution)?  Views mark an estimate with "~". */
bool power_source_metered(const char *source);

/* Where a host's model comes from. */
enum power_model_from {
	POWER_MODEL_NONE,    /* nothing: cpus unknown and no rule */
	POWER_MODEL_DEFAULT, /* the per-cpu default */
	POWER_MODEL_CONFIG,  /* a power.* rule */
};

/* P_idle and P_max for a host named `name` with `cpus` logical cpus: the
 * last rule whose glob matches wins over the bare keys; a rule that sets
 * only one of the two gets the other by the default model's ratio. */
enum power_model_from power_host_model(const struct power_params *p, const char *name,
				       double cpus, double *idle_w, double *max_w);
/* P_idle + (P_max - P_idle) x utilization, utilization clamped to [0, 1]. */
double power_model_watts(double idle_w, double max_w, double utilization);

/* One child's share of its parent's watts (Kepler's ratio model). */
struct power_share {
	double watts;      /* active share + idle share */
	double idle_watts; /* the idle share alone */
};
/* active_w = parent watts - parent idle watts; cpu_used / cpu_total: the
 * child's cpu and the larger of the parent's and the children's sum;
 * alloc / alloc_total likewise for the allocation. */
struct power_share power_attribute(double active_w, double idle_w, double cpu_used,
				   double cpu_total, double alloc, double alloc_total);

/* Energy per month with the facility overhead, in kWh; its cost; kg CO2. */
double power_kwh_month(double watts, double pue);
double power_cost(double kwh, double price_kwh);
double power_co2_kg(double kwh, double g_per_kwh);

/* Watts the idle capacity of one host burns: the physical-idle share of
 * its idle power, idle_w x (cores - used) / cores, plus the active power
 * of its flagged holders (their idle share is already in the first part). */
double power_idle_watts(double idle_w, double cores, double used, double flagged_active_w);

/* Fills every node's watts, source, energy, cost and CO2, and the power
 * part of the host and site rollups (run after the idle policy: idle
 * watts read its flags). */
void power_apply(const struct power_params *p, struct tree *t);

void rollup_power_init_unknown(struct rollup_power *rp);

#endif
