/* chargeback.h: per owner, what its VMs and containers were given, what
 * they use and leave idle, what they burn and cost (DESIGN.md §3, §4).
 *
 * Pure code on a finished tree (the idle policy and the power stage ran,
 * owners set: owner.h).  Only top-level holders count, as the idle rollup
 * counts them: per resource, the first VM (on) or container on the way
 * down from a host with a known allocation holds it, and nothing inside
 * it counts again.  So the owners' rows add up to the site's rollup:
 * allocated to its `allocated`, idle to its `slack` (the idle line's "in N
 * idle VMs/containers"), idle cost to its slack cost.  Holders whose owner
 * is unknown make the unowned row (owner NULL). */
#ifndef GLASS_CHARGEBACK_H
#define GLASS_CHARGEBACK_H

#include <stddef.h>

#include "glass/node.h"

#define CHARGEBACK_UNOWNED "(unowned)"

struct chargeback_res {
	double allocated; /* what its top-level holders hold (cores, bytes) */
	double measured;  /* the part of it whose use is known */
	double used;      /* the window's average use of those; NaN: none known */
	double idle;      /* the slack of its counted flagged holders */
};

struct chargeback_row {
	char *owner;        /* NULL: the unowned row, or the total */
	size_t holders;     /* top-level holders (of cpu or memory) */
	size_t idle_holders; /* of them, counted idle (the idle line's N) */
	struct chargeback_res cpu, mem;
	double watts;       /* the holders' watts; NaN: none known */
	size_t watts_unknown; /* holders whose watts are unknown */
	double energy_kwh_month;
	/* per month, NaN without the price: allocation x rate (OpenCost's
	 * rule), idle (slack) x rate, energy x cost.kwh */
	double alloc_cost_month;
	double idle_cost_month;
	double energy_cost_month;
	const struct node **nodes; /* (borrowed from the tree) its holders, tree order */
};

struct chargeback {
	struct chargeback_row *rows; /* by owner name, the unowned row last */
	size_t n_rows;
	struct chargeback_row total; /* the sum of the rows */
	const char *currency;        /* (borrowed from the tree) NULL: none named */
	double cost_core_month;      /* the rates applied; NaN unset */
	double cost_gib_month;
};

struct chargeback *chargeback_compute(const struct tree *t);
void chargeback_free(struct chargeback *cb);

/* used / measured allocation; NaN when either is unknown or nothing is measured. */
double chargeback_efficiency(const struct chargeback_res *r);
/* cores x core rate + bytes / GiB x GiB rate, each part where its rate is
 * set; NaN when neither is. */
double chargeback_price(double core_month, double gib_month, double cores, double bytes);
/* The row an owner goes to ("(unowned)" for NULL). */
const char *chargeback_row_name(const struct chargeback_row *r);

#endif
