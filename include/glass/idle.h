/* idle.h: the idle policy and the rollups (DESIGN.md §3).
 *
 * Per node and resource (cpu, memory) the policy keeps an exponentially
 * weighted average of utilization (used / allocated) over a window, and a
 * coarse history of peaks for the right-size hint.  A node is idle on a
 * resource when its allocation is known and its average is below the
 * threshold.  Pure code: fed finished trees with their monotonic time. */
#ifndef GLASS_IDLE_H
#define GLASS_IDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "glass/node.h"

#define IDLE_DEFAULT_WINDOW_S 300.0
#define IDLE_DEFAULT_THRESHOLD 0.20
/* Headroom over the observed p95 for the right-size hint. */
#define IDLE_HINT_HEADROOM 1.25
/* Peaks kept per resource: one slot per window/IDLE_HISTORY_SLOTS. */
#define IDLE_HISTORY_SLOTS 60

struct idle_params {
	double window_s;
	double threshold; /* a fraction: 0.2 = 20% */
	/* Cost model; NaN when not configured. */
	double cost_core_month;
	double cost_gib_month;
	const char *currency; /* (borrowed) */
};

void idle_params_init(struct idle_params *p);

struct idle_policy;

struct idle_policy *idle_policy_new(const struct idle_params *params);
void idle_policy_free(struct idle_policy *p);

/* Updates the averages from the tree's nodes at monotonic time now, sets
 * every node's idle flags and hints, and computes the rollups of every
 * host and of the site.  Nodes no longer in the tree are forgotten. */
void idle_policy_apply(struct idle_policy *p, struct tree *t, uint64_t now_mono);

/* The one-line summary (DESIGN.md §3), e.g. "idle: 61.2 of 92 cores (66%)
 * · 212.0 of 384.0 GiB (55%) · in 14 idle VMs/containers: 48.0 vCPU,
 * 160.0 GiB · unallocated: 10.0 cores, 40.0 GiB · 3 idle hosts".
 * `utf8` picks "·" or "-" as the separator.  The caller's string. */
char *idle_summary_line(const struct rollup *r, bool utf8);

/* Idle capacity in money per month; NaN without a cost model. */
double idle_cost(const struct idle_params *p, double idle_cores, double idle_bytes);

/* What an allocation leaves unused at an average utilization (clamped to
 * 0..1): never below 0, never above the allocation; NaN when unknown. */
double idle_unused(double allocated, double utilization);

/* Pure pieces, exposed for the tests. */
double idle_ewma_step(double avg, double sample, double dt_s, double window_s);
bool idle_is_below(double avg_utilization, double threshold);
/* The q-quantile (0..1) of n values, by nearest rank; NaN when n == 0.
 * Reorders values. */
double idle_quantile(double *values, size_t n, double q);
/* The allocation that holds `peak` with headroom, rounded up to `step`
 * and at least one step. */
double idle_right_size(double peak, double step);

#endif
