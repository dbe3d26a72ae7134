/* The idle policy and the rollups on hand-made trees (DESIGN.md §3). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/clock.h"
#include "glass/escape.h"
#include "glass/idle.h"
#include "glass/value.h"
#include "glass/view.h"
#include "glass/xalloc.h"
#include "unit.h"

#define GIB (1024.0 * 1024.0 * 1024.0)
#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

static struct node *mk(struct node *parent, enum node_kind kind, const char *id, double cores,
		       double cores_used, double mem, double mem_used)
{
	struct node *n = node_new(kind, id, id);

	n->res.cpu_cores_allocated = cores;
	n->res.cpu_cores_used = cores_used;
	n->res.mem_bytes_allocated = mem;
	n->res.mem_bytes_used = mem_used;
	if (parent)
		node_add_child(parent, n);
	return n;
}

static struct tree *tree_with(struct node *root)
{
	struct tree *t = xcalloc(1, sizeof(*t));

	t->root = root;
	return t;
}

static struct idle_policy *policy(double window_s, double threshold)
{
	struct idle_params p;

	idle_params_init(&p);
	p.window_s = window_s;
	p.threshold = threshold;
	return idle_policy_new(&p);
}

START_TEST(ewma_over_a_known_series)
{
	double avg = GLASS_UNKNOWN;

	avg = idle_ewma_step(avg, 0.5, 0, 10); /* first tick counts fully */
	ck_assert(avg == 0.5);
	avg = idle_ewma_step(avg, 0.0, 10, 10); /* one window: weight 1 - 1/e */
	ck_assert(NEAR(avg, 0.5 * exp(-1.0)));
	avg = idle_ewma_step(avg, 1.0, 0, 10); /* no time passed: unchanged */
	ck_assert(NEAR(avg, 0.5 * exp(-1.0)));
	double a = 1.0;
	for (int i = 0; i < 100; i++)
		a = idle_ewma_step(a, 0.1, 1, 10);
	ck_assert(NEAR(a, 0.1 + 0.9 * exp(-10.0)));
}
END_TEST

START_TEST(threshold_edges)
{
	ck_assert(idle_is_below(0.199, 0.20));
	ck_assert(!idle_is_below(0.20, 0.20));
	ck_assert(!idle_is_below(GLASS_UNKNOWN, 0.20));

	/* through the policy: a VM at exactly 20.0% is not idle, 19.9% is */
	struct node *site = node_new(NODE_SITE, "site", "site");
	struct node *h = mk(site, NODE_HOST, "host:h", 8, 1, 8 * GIB, GIB);
	struct node *a = mk(h, NODE_VM, "vm:h/a", 10, 2.0, GIB, GLASS_UNKNOWN);
	struct node *b = mk(h, NODE_VM, "vm:h/b", 10, 1.99, GIB, GLASS_UNKNOWN);
	struct tree *t = tree_with(site);
	struct idle_policy *p = policy(300, 0.20);

	idle_policy_apply(p, t, NS_PER_S);
	ck_assert(!a->idle_cpu.idle);
	ck_assert(b->idle_cpu.idle);
	ck_assert(b->idle_cpu.provisional); /* watched 0 s */
	ck_assert(!b->idle_mem.idle);       /* memory use unknown */
	ck_assert(!value_known(b->idle_mem.utilization));
	tree_free(t);
	idle_policy_free(p);
}
END_TEST

START_TEST(unknown_allocation_never_flagged)
{
	struct node *site = node_new(NODE_SITE, "site", "site");
	struct node *h = mk(site, NODE_HOST, "host:h", 4, 3.9, 4 * GIB, 3.9 * GIB);
	struct node *c = mk(h, NODE_CONTAINER, "ct:h/x", GLASS_UNKNOWN, 0.0, GLASS_UNKNOWN, 1024);
	struct tree *t = tree_with(site);
	struct idle_policy *p = policy(300, 0.20);

	for (uint64_t s = 1; s <= 5; s++)
		idle_policy_apply(p, t, s * NS_PER_S);
	ck_assert(!c->idle_cpu.idle);
	ck_assert(!c->idle_mem.idle);
	ck_assert(!value_known(c->idle_cpu.idle_amount));
	ck_assert_uint_eq(site->rollup->idle_holders, 0);
	tree_free(t);
	idle_policy_free(p);
}
END_TEST

/* site -> host (16 cores, 64 GiB) -> vm a (4 vCPU idle), vm b (8 busy),
 *                                   -> group g -> container c (2 cores idle)
 *                                   -> vm off (4 vCPU, shut off)
 *       host2 (8 cores, bare metal, idle) */
START_TEST(rollup_sums_by_hand)
{
	struct node *site = node_new(NODE_SITE, "site", "site");
	struct node *h = mk(site, NODE_HOST, "host:h", 16, 9.0, 64 * GIB, 40 * GIB);
	struct node *a = mk(h, NODE_VM, "vm:h/a", 4, 0.4, 16 * GIB, 2 * GIB);
	mk(h, NODE_VM, "vm:h/b", 8, 7.0, 32 * GIB, 30 * GIB);
	struct node *g = mk(h, NODE_GROUP, "ct:h/g", GLASS_UNKNOWN, 0.3, GLASS_UNKNOWN, GIB);
	struct node *c = mk(g, NODE_CONTAINER, "ct:h/g/c", 2, 0.2, 4 * GIB, 3.5 * GIB);
	struct node *off = mk(h, NODE_VM, "vm:h/off", 4, GLASS_UNKNOWN, 8 * GIB, GLASS_UNKNOWN);
	struct node *h2 = mk(site, NODE_HOST, "host:h2", 8, 0.8, 32 * GIB, 2 * GIB);
	struct tree *t = tree_with(site);
	struct idle_policy *p = policy(300, 0.20);

	off->state = xstrdup("shut off");
	idle_policy_apply(p, t, NS_PER_S);
	ck_assert(a->idle_cpu.idle && NEAR(a->idle_cpu.idle_amount, 3.6) && a->idle_cpu.counted);
	ck_assert(a->idle_mem.idle && NEAR(a->idle_mem.idle_amount, 14 * GIB));
	ck_assert(c->idle_cpu.idle && NEAR(c->idle_cpu.idle_amount, 1.8) && c->idle_cpu.counted);
	ck_assert(!c->idle_mem.idle);
	ck_assert(!off->idle_cpu.idle);
	ck_assert(!h->idle_cpu.idle);
	ck_assert(h2->idle_cpu.idle && NEAR(h2->idle_cpu.idle_amount, 7.2) && h2->idle_cpu.counted);

	const struct rollup *r = h->rollup;
	ck_assert(NEAR(r->cpu.total, 16));
	ck_assert(NEAR(r->cpu.used, 9));
	ck_assert(NEAR(r->cpu.idle, 7)); /* physical: 16 - 9 */
	ck_assert(NEAR(r->cpu.allocated, 4 + 8 + 2)); /* the shut-off VM holds nothing */
	ck_assert(NEAR(r->cpu.unallocated, 2));
	ck_assert(NEAR(r->cpu.overcommit, 14.0 / 16.0));
	ck_assert(NEAR(r->cpu.slack, 3.6 + 1.8));
	ck_assert(NEAR(r->mem.idle, 24 * GIB));
	ck_assert(NEAR(r->mem.allocated, (16 + 32 + 4) * GIB));
	ck_assert(NEAR(r->mem.slack, 14 * GIB));
	ck_assert_uint_eq(r->idle_holders, 2);
	ck_assert_uint_eq(r->idle_hosts, 0);
	ck_assert_uint_eq(r->vms, 3);
	ck_assert_uint_eq(r->vms_off, 1);
	ck_assert_uint_eq(r->containers, 1);
	ck_assert_uint_eq(r->groups, 1);

	/* bare metal: nothing below holds an allocation */
	ck_assert(NEAR(h2->rollup->cpu.idle, 7.2));
	ck_assert(NEAR(h2->rollup->cpu.idle_hosts, 7.2));
	ck_assert(NEAR(h2->rollup->mem.idle, 30 * GIB));
	ck_assert(NEAR(h2->rollup->cpu.unallocated, 8));
	ck_assert_uint_eq(h2->rollup->idle_hosts, 1);

	const struct rollup *s = site->rollup;
	ck_assert(NEAR(s->cpu.total, 24));
	ck_assert(NEAR(s->cpu.measured, 24));
	ck_assert(NEAR(s->cpu.used, 9.8));
	ck_assert(NEAR(s->cpu.idle, 7 + 7.2));
	ck_assert(NEAR(s->cpu.slack, 5.4));
	ck_assert(NEAR(s->cpu.idle_hosts, 7.2));
	ck_assert(NEAR(s->cpu.unallocated, 10));
	ck_assert(NEAR(s->mem.total, 96 * GIB));
	ck_assert(NEAR(s->mem.idle, 54 * GIB));
	ck_assert(NEAR(s->mem.unallocated, 44 * GIB));
	ck_assert_uint_eq(s->idle_holders, 2);
	ck_assert_uint_eq(s->idle_hosts, 1);
	ck_assert_uint_eq(s->hosts, 2);
	ck_assert(!value_known(s->idle_cost_month));
	ck_assert(!value_known(s->slack_cost_month));

	char *line = idle_summary_line(s, true);
	ck_assert_str_eq(line, "idle: 14.2 of 24 cores (59%) \xc2\xb7 54.0 of 96.0 GiB (56%) \xc2\xb7 "
			       "in 2 idle VMs/containers: 5.4 vCPU, 14.0 GiB \xc2\xb7 "
			       "unallocated: 10.0 cores, 44.0 GiB \xc2\xb7 1 idle host");
	free(line);
	tree_free(t);
	idle_policy_free(p);
}
END_TEST

/* The sample of the first line of `text` that starts with `prefix` is `value`. */
static bool prom_sample_is(const char *text, const char *prefix, const char *value)
{
	const char *line = strstr(text, prefix);

	if (!line || (line != text && line[-1] != '\n'))
		return false;
	const char *end = strchr(line, '\n');
	const char *sp = end ? end : line + strlen(line);

	while (sp > line && sp[-1] != ' ')
		sp--;
	size_t n = (size_t)((end ? end : line + strlen(line)) - sp);
	return n == strlen(value) && strncmp(sp, value, n) == 0;
}

/* The site DESIGN.md §3 is written for: a hypervisor overcommitted 2:1
 * beside a half-empty one and a bare-metal host whose cpu use is unknown;
 * an idle container inside an idle VM.  Every figure by hand:
 *   hvA  8 cores, 6 used; 32 GiB, 20 used.  v1 8 vCPU 0.4 used, 16 GiB 2 used
 *        (idle; inside it ct 2 cores 0.1 used, 2 GiB 0.1 used, idle);
 *        v2 8 vCPU 5 used, 16 GiB 14 used.
 *   hvB  16 cores, 1 used; 64 GiB, 8 used.  v3 4 vCPU 0.2 used, 8 GiB 1 used.
 *   bm   4 cores, use unknown; 16 GiB, 12 used. */
START_TEST(mixed_site_adds_up)
{
	struct node *site = node_new(NODE_SITE, "site", "site");
	struct node *hva = mk(site, NODE_HOST, "host:hvA", 8, 6, 32 * GIB, 20 * GIB);
	struct node *v1 = mk(hva, NODE_VM, "vm:hvA/v1", 8, 0.4, 16 * GIB, 2 * GIB);
	struct node *ct = mk(v1, NODE_CONTAINER, "ct:v1/app", 2, 0.1, 2 * GIB, 0.1 * GIB);
	struct node *v2 = mk(hva, NODE_VM, "vm:hvA/v2", 8, 5, 16 * GIB, 14 * GIB);
	struct node *hvb = mk(site, NODE_HOST, "host:hvB", 16, 1, 64 * GIB, 8 * GIB);
	struct node *v3 = mk(hvb, NODE_VM, "vm:hvB/v3", 4, 0.2, 8 * GIB, 1 * GIB);
	struct node *bm = mk(site, NODE_HOST, "host:bm", 4, GLASS_UNKNOWN, 16 * GIB, 12 * GIB);
	struct tree *t = tree_with(site);
	struct idle_params params;

	idle_params_init(&params);
	params.cost_core_month = 10.0;
	params.cost_gib_month = 2.0;
	struct idle_policy *p = idle_policy_new(&params);
	idle_policy_apply(p, t, NS_PER_S);

	/* flags: who is summed, who is only shown */
	ck_assert(v1->idle_cpu.counted && v1->idle_mem.counted);
	ck_assert(ct->idle_cpu.idle && !ct->idle_cpu.counted);
	ck_assert(ct->idle_mem.idle && !ct->idle_mem.counted);
	ck_assert(!v2->idle_cpu.idle && !v2->idle_mem.idle);
	ck_assert(v3->idle_cpu.counted && v3->idle_mem.counted);
	ck_assert(hvb->idle_cpu.counted && hvb->idle_mem.counted);
	ck_assert(!hva->idle_cpu.idle && !bm->idle_cpu.idle && !bm->idle_mem.idle);

	const struct rollup *a = hva->rollup;
	ck_assert(NEAR(a->cpu.idle, 2) && NEAR(a->cpu.allocated, 16));
	ck_assert(NEAR(a->cpu.overcommit, 2.0) && NEAR(a->cpu.unallocated, 0));
	ck_assert(NEAR(a->cpu.slack, 7.6) && NEAR(a->mem.slack, 14 * GIB));
	ck_assert(NEAR(a->mem.idle, 12 * GIB) && NEAR(a->mem.unallocated, 0));
	const struct rollup *b = hvb->rollup;
	ck_assert(NEAR(b->cpu.idle, 15) && NEAR(b->cpu.unallocated, 12));
	ck_assert(NEAR(b->cpu.slack, 3.8) && NEAR(b->mem.slack, 7 * GIB));
	ck_assert(NEAR(b->cpu.idle_hosts, 15) && NEAR(b->mem.idle_hosts, 56 * GIB));
	const struct rollup *m = bm->rollup;
	ck_assert(!value_known(m->cpu.used) && !value_known(m->cpu.idle));
	ck_assert_uint_eq(m->cpu.hosts_unknown, 1);
	ck_assert(NEAR(m->mem.idle, 4 * GIB) && NEAR(m->cpu.unallocated, 4));

	const struct rollup *s = site->rollup;
	ck_assert(NEAR(s->cpu.total, 28) && NEAR(s->cpu.measured, 24));
	ck_assert(NEAR(s->cpu.used, 7) && NEAR(s->cpu.idle, 17));
	ck_assert(NEAR(s->cpu.allocated, 20));
	/* per host: hvA's overcommit does not eat hvB's free cores (28 - 20 = 8) */
	ck_assert(NEAR(s->cpu.unallocated, 16));
	ck_assert(NEAR(s->cpu.slack, 11.4) && NEAR(s->cpu.idle_hosts, 15));
	ck_assert_uint_eq(s->cpu.hosts_unknown, 1);
	ck_assert_uint_eq(s->mem.hosts_unknown, 0);
	ck_assert(NEAR(s->mem.total, 112 * GIB) && NEAR(s->mem.used, 40 * GIB));
	ck_assert(NEAR(s->mem.idle, 72 * GIB) && NEAR(s->mem.unallocated, 72 * GIB));
	ck_assert(NEAR(s->mem.slack, 21 * GIB) && NEAR(s->mem.idle_hosts, 56 * GIB));
	ck_assert_uint_eq(s->idle_holders, 2);
	ck_assert_uint_eq(s->idle_hosts, 1);
	/* idle never tops what was measured */
	ck_assert(s->cpu.idle <= s->cpu.measured && s->mem.idle <= s->mem.measured);

	/* money: idle hardware and right-sizing, never added together */
	ck_assert(NEAR(s->idle_cost_month, 17 * 10.0 + 72 * 2.0));
	ck_assert(NEAR(s->slack_cost_month, 11.4 * 10.0 + 21 * 2.0));
	ck_assert(NEAR(v1->idle_cost_month, 7.6 * 10.0 + 14 * 2.0));
	ck_assert(NEAR(v3->idle_cost_month + v1->idle_cost_month, s->slack_cost_month));

	char *line = idle_summary_line(s, false);
	ck_assert_str_eq(line, "idle: 17.0 of 24 cores (71%; 1 host unknown) - 72.0 of 112.0 GiB (64%)"
			       " - in 2 idle VMs/containers: 11.4 vCPU, 21.0 GiB"
			       " - unallocated: 16.0 cores, 72.0 GiB - 1 idle host");
	free(line);

	/* the --idle list: three sections, the first two adding up */
	struct strbuf sb;
	strbuf_init(&sb);
	tree_select(t, NULL, 0);
	view_idle_csv_render(t, true, &sb);
	ck_assert_ptr_nonnull(strstr(sb.buf, ",holders,vm:hvA/v1,"));
	ck_assert_ptr_nonnull(strstr(sb.buf, ",holders,vm:hvB/v3,"));
	ck_assert_ptr_nonnull(strstr(sb.buf, ",hosts,host:hvB,"));
	ck_assert_ptr_nonnull(strstr(sb.buf, ",nested,ct:v1/app,"));
	ck_assert_ptr_null(strstr(sb.buf, "vm:hvA/v2"));
	/* text: the idle hardware's cost counts hvA's and bm's physical idle
	 * too; the line says how much of it the one host row holds */
	strbuf_reset(&sb);
	view_idle_text_render(t, &sb);
	ck_assert_ptr_nonnull(strstr(sb.buf, "\nidle hardware costs 314.00 a month (262.00 of it in the "
					     "1 idle host below); right-sizing the idle VMs/containers "
					     "would reclaim 156.00 a month\n"));
	/* prom: which rows the rollups sum, so that a query adds each once */
	strbuf_reset(&sb);
	view_prom_render(t, &sb);
	ck_assert(prom_sample_is(sb.buf, "glass_cpu_idle_counted{id=\"vm:hvA/v1\",", "1"));
	ck_assert(prom_sample_is(sb.buf, "glass_memory_idle_counted{id=\"vm:hvA/v1\",", "1"));
	ck_assert(prom_sample_is(sb.buf, "glass_cpu_idle_counted{id=\"ct:v1/app\",", "0"));
	ck_assert(prom_sample_is(sb.buf, "glass_memory_idle_counted{id=\"ct:v1/app\",", "0"));
	ck_assert(prom_sample_is(sb.buf, "glass_cpu_idle_counted{id=\"host:hvB\",", "1"));
	ck_assert_ptr_null(strstr(sb.buf, "glass_cpu_idle_counted{id=\"vm:hvA/v2\","));
	strbuf_done(&sb);
	tree_free(t);
	idle_policy_free(p);
}
END_TEST

START_TEST(nothing_measured_is_unknown)
{
	struct node *site = node_new(NODE_SITE, "site", "site");
	struct tree *t = tree_with(site);
	struct idle_policy *p = policy(300, 0.20);

	idle_policy_apply(p, t, NS_PER_S);
	char *line = idle_summary_line(site->rollup, true);
	ck_assert_str_eq(line, "idle: \xe2\x80\x94");
	free(line);
	mk(site, NODE_HOST, "host:h", 8, GLASS_UNKNOWN, GLASS_UNKNOWN, GLASS_UNKNOWN);
	idle_policy_apply(p, t, 2 * NS_PER_S);
	line = idle_summary_line(site->rollup, true);
	ck_assert_str_eq(line, "idle: \xe2\x80\x94 of 8 cores \xc2\xb7 \xe2\x80\x94 GiB");
	free(line);
	ck_assert(!value_known(site->rollup->cpu.used));
	tree_free(t);
	idle_policy_free(p);
}
END_TEST

/* A paused guest's balloon figures are frozen: they are no new sample. */
START_TEST(stale_guest_memory_is_no_sample)
{
	struct node *site = node_new(NODE_SITE, "site", "site");
	struct node *h = mk(site, NODE_HOST, "host:h", 8, 4, 64 * GIB, 40 * GIB);
	struct node *vm = mk(h, NODE_VM, "vm:h/p", 4, 0.0, 16 * GIB, 1 * GIB);
	struct tree *t = tree_with(site);
	struct idle_policy *p = policy(300, 0.20);

	vm->res.mem_source = "guest-stale";
	idle_policy_apply(p, t, NS_PER_S);
	ck_assert(!vm->idle_mem.idle);
	ck_assert(!value_known(vm->idle_mem.utilization));
	vm->res.mem_source = "guest";
	idle_policy_apply(p, t, 2 * NS_PER_S);
	ck_assert(vm->idle_mem.idle);
	tree_free(t);
	idle_policy_free(p);
}
END_TEST

/* A flag is provisional until the node has been watched a whole window. */
START_TEST(provisional_for_one_window)
{
	struct node *site = node_new(NODE_SITE, "site", "site");
	struct node *h = mk(site, NODE_HOST, "host:h", 2, 0.1, 2 * GIB, 0.1 * GIB);
	struct tree *t = tree_with(site);
	struct idle_policy *p = policy(3, 0.20);

	idle_policy_apply(p, t, 1 * NS_PER_S);
	ck_assert(h->idle_cpu.idle && h->idle_cpu.provisional);
	idle_policy_apply(p, t, 3 * NS_PER_S);
	ck_assert(h->idle_cpu.provisional); /* 2 s of a 3 s window */
	idle_policy_apply(p, t, 4 * NS_PER_S);
	ck_assert(h->idle_cpu.idle && !h->idle_cpu.provisional);
	tree_free(t);
	idle_policy_free(p);
}
END_TEST

START_TEST(overcommit_above_one)
{
	struct node *site = node_new(NODE_SITE, "site", "site");
	struct node *h = mk(site, NODE_HOST, "host:h", 4, 3, 8 * GIB, 7 * GIB);
	for (int i = 0; i < 3; i++) {
		char id[16];
		snprintf(id, sizeof(id), "vm:h/%d", i);
		mk(h, NODE_VM, id, 4, 1, 4 * GIB, 2 * GIB);
	}
	struct tree *t = tree_with(site);
	struct idle_policy *p = policy(300, 0.20);

	idle_policy_apply(p, t, NS_PER_S);
	ck_assert(NEAR(h->rollup->cpu.overcommit, 3.0));
	ck_assert(NEAR(h->rollup->mem.overcommit, 1.5));
	ck_assert(NEAR(h->rollup->cpu.unallocated, 0));
	tree_free(t);
	idle_policy_free(p);

}
END_TEST

START_TEST(p95_right_size_hint)
{
	double v[20];

	for (int i = 0; i < 20; i++)
		v[i] = i + 1; /* 1..20 */
	ck_assert(idle_quantile(v, 20, 0.95) == 19.0);
	ck_assert(!value_known(idle_quantile(v, 0, 0.95)));
	ck_assert(idle_right_size(3.1, 1.0) == 4.0);   /* 3.875 -> 4 vCPU */
	ck_assert(idle_right_size(3.2, 1.0) == 4.0);   /* exactly 4.0 stays 4 */
	ck_assert(idle_right_size(0.01, 1.0) == 1.0);  /* at least one step */
	ck_assert(NEAR(idle_right_size(0.33, 0.1), 0.5));

	/* A 16-vCPU VM whose use per slot runs 0.1 .. 2.0 cores: p95 over
	 * 20 slots is 1.9, the hint 1.9 * 1.25 = 2.375 -> 3 vCPU. */
	struct node *site = node_new(NODE_SITE, "site", "site");
	struct node *h = mk(site, NODE_HOST, "host:h", 64, 4, 256 * GIB, 100 * GIB);
	struct node *vm = mk(h, NODE_VM, "vm:h/db-1", 16, 0, 64 * GIB, 9 * GIB);
	struct tree *t = tree_with(site);
	struct idle_policy *p = policy(60, 0.20); /* slots of 1 s */

	for (int i = 1; i <= 20; i++) {
		vm->res.cpu_cores_used = i * 0.1;
		idle_policy_apply(p, t, (uint64_t)i * NS_PER_S);
	}
	ck_assert(vm->idle_cpu.idle);
	ck_assert(NEAR(vm->idle_cpu.peak, 1.9));
	ck_assert(vm->idle_cpu.right_size == 3.0);
	/* memory: 9 GiB used, * 1.25 = 11.25 GiB -> 11.25 GiB in 256 MiB steps */
	ck_assert(vm->idle_mem.idle);
	ck_assert(NEAR(vm->idle_mem.right_size, 11.25 * GIB));
	ck_assert(vm->idle_cpu.provisional); /* watched 19 s: under a minute */
	tree_free(t);
	idle_policy_free(p);
}
END_TEST

/* The p95 the policy gives is the nearest-rank p95 of the peaks of the
 * window's slots, counted here the plain way (one peak per slot, the
 * window's slots sorted): over use that falls (every peak kept), rises,
 * repeats and jitters, refreshes several to a slot and gaps longer than
 * the window. */
START_TEST(p95_is_the_window_quantile)
{
	struct node *site = node_new(NODE_SITE, "site", "site");
	struct node *h = mk(site, NODE_HOST, "host:h", 64, 4, 256 * GIB, 100 * GIB);
	struct node *vm = mk(h, NODE_VM, "vm:h/a", 16, 0, 64 * GIB, 9 * GIB);
	struct tree *t = tree_with(site);
	struct idle_policy *p = policy(60, 0.20); /* slots of 1 s */
	double peak[IDLE_HISTORY_SLOTS];
	uint64_t slot_of[IDLE_HISTORY_SLOTS] = {0}, now = 0, rng = 12345;
	const uint64_t steps_ms[] = {250, 1000, 1000, 3000, 700, 1000, 1000, 500};

	for (int i = 0; i < 2000; i++) {
		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		double r = (double)(rng >> 11) / 9007199254740992.0;
		double used = i < 300 ? 16.0 - i * 0.05		/* falling */
			      : i < 600 ? (i - 300) * 0.05	/* rising */
			      : i < 900 ? (double)(i % 3)	/* repeating */
					: r * 16;
		now += (i % 500 == 499 ? 61000 : steps_ms[(rng >> 20) % 8]) * 1000000ULL;
		vm->res.cpu_cores_used = used;
		idle_policy_apply(p, t, now);

		uint64_t slot = now / NS_PER_S + 1;
		size_t at = slot % IDLE_HISTORY_SLOTS, n = 0;
		if (slot_of[at] != slot) {
			slot_of[at] = slot;
			peak[at] = used;
		} else if (used > peak[at]) {
			peak[at] = used;
		}
		double in[IDLE_HISTORY_SLOTS];
		for (size_t j = 0; j < IDLE_HISTORY_SLOTS; j++)
			if (slot_of[j] && slot_of[j] + IDLE_HISTORY_SLOTS > slot)
				in[n++] = peak[j];
		ck_assert_msg(vm->idle_cpu.peak == idle_quantile(in, n, 0.95),
			      "refresh %d: p95 %g, the window's %g", i, vm->idle_cpu.peak,
			      idle_quantile(in, n, 0.95));
	}
	tree_free(t);
	idle_policy_free(p);
}
END_TEST

START_TEST(cost_arithmetic)
{
	struct idle_params params;

	idle_params_init(&params);
	ck_assert(!value_known(idle_cost(&params, 4, 8 * GIB)));
	params.cost_core_month = 20.0;
	params.cost_gib_month = 5.0;
	ck_assert(NEAR(idle_cost(&params, 4, 8 * GIB), 4 * 20.0 + 8 * 5.0));
	params.cost_gib_month = GLASS_UNKNOWN;
	ck_assert(NEAR(idle_cost(&params, 1.5, 8 * GIB), 30.0));

	struct node *site = node_new(NODE_SITE, "site", "site");
	struct node *h = mk(site, NODE_HOST, "host:h", 16, 9, 64 * GIB, 40 * GIB);
	struct node *vm = mk(h, NODE_VM, "vm:h/a", 4, 0.4, 16 * GIB, 2 * GIB);
	struct tree *t = tree_with(site);
	params.cost_gib_month = 5.0;
	struct idle_policy *p = idle_policy_new(&params);

	idle_policy_apply(p, t, NS_PER_S);
	ck_assert(NEAR(vm->idle_cost_month, 3.6 * 20.0 + 14 * 5.0));
	ck_assert(NEAR(h->rollup->slack_cost_month, 3.6 * 20.0 + 14 * 5.0));
	ck_assert(NEAR(site->rollup->slack_cost_month, 3.6 * 20.0 + 14 * 5.0));
	/* the idle hardware: 16 - 9 cores and 64 - 40 GiB */
	ck_assert(NEAR(site->rollup->idle_cost_month, 7 * 20.0 + 24 * 5.0));
	tree_free(t);
	idle_policy_free(p);
}
END_TEST

START_TEST(window_forgets_and_sweeps)
{
	struct node *site = node_new(NODE_SITE, "site", "site");
	struct node *h = mk(site, NODE_HOST, "host:h", 2, 0.1, 2 * GIB, GIB);
	struct tree *t = tree_with(site);
	struct idle_policy *p = policy(10, 0.20);

	idle_policy_apply(p, t, NS_PER_S);
	ck_assert(h->idle_cpu.idle);
	/* busy for 30 s = 3 windows: the average follows, the flag goes */
	h->res.cpu_cores_used = 2.0;
	for (uint64_t s = 2; s <= 31; s++)
		idle_policy_apply(p, t, s * NS_PER_S);
	ck_assert(!h->idle_cpu.idle);
	ck_assert(h->idle_cpu.utilization > 0.9);
	ck_assert(NEAR(h->idle_cpu.observed_s, 30));
	tree_free(t);

	/* a node that comes back after being gone starts over */
	site = node_new(NODE_SITE, "site", "site");
	t = tree_with(site);
	idle_policy_apply(p, t, 32 * NS_PER_S); /* host:h swept */
	h = mk(site, NODE_HOST, "host:h", 2, 0.1, 2 * GIB, GIB);
	idle_policy_apply(p, t, 33 * NS_PER_S);
	ck_assert(h->idle_cpu.idle);
	ck_assert(NEAR(h->idle_cpu.observed_s, 0));
	tree_free(t);
	idle_policy_free(p);
}
END_TEST

START_TEST(no_hint_that_would_not_shrink)
{
	struct node *site = node_new(NODE_SITE, "site", "site");
	struct node *h = mk(site, NODE_HOST, "host:h", 8, 4, 64 * GIB, 40 * GIB);
	struct node *c = mk(h, NODE_CONTAINER, "ct:h/tiny", 0.1, 0.0, 256.0 * 1024 * 1024, 1024);
	struct tree *t = tree_with(site);
	struct idle_policy *p = policy(300, 0.20);

	idle_policy_apply(p, t, NS_PER_S);
	ck_assert(c->idle_cpu.idle && c->idle_mem.idle);
	/* already at the smallest step: 0.1 core, 256 MiB */
	ck_assert(!value_known(c->idle_cpu.right_size));
	ck_assert(!value_known(c->idle_mem.right_size));
	tree_free(t);
	idle_policy_free(p);
}
END_TEST

static bool valid_utf8(const char *s)
{
	size_t len = strlen(s);

	for (size_t i = 0, n; i < len; i += n)
		if ((n = escape_utf8_seq_len((const unsigned char *)s + i, len - i)) == 0)
			return false;
	return true;
}

/* The idle list carries names from outside: a host named with an escape
 * and a byte that is not UTF-8, and a currency (config or recording) that
 * is an escape.  The JSON stays valid UTF-8 (host_id included); the text
 * holds no raw ESC or BEL. */
START_TEST(idle_list_escapes_names_and_currency)
{
	struct idle_params params;
	struct strbuf sb;

	idle_params_init(&params);
	params.cost_core_month = 20.0;
	params.currency = "\x1b[2J\x07";
	struct node *site = node_new(NODE_SITE, "site", "site");
	struct node *h = mk(site, NODE_HOST, "host:h\x1b]0;x\x07\xff", 16, 9, 64 * GIB, 40 * GIB);
	mk(h, NODE_VM, "vm:h/\x1b[2J\xfe", 4, 0.4, 16 * GIB, 2 * GIB);
	struct tree *t = tree_with(site);
	struct idle_policy *p = idle_policy_new(&params);

	idle_policy_apply(p, t, NS_PER_S);
	strbuf_init(&sb);
	view_idle_json_render(t, &sb);
	ck_assert(valid_utf8(sb.buf));
	ck_assert_ptr_nonnull(strstr(sb.buf, "\"host_id\":\"host:h\\u001b]0;x\\u0007\\\\xff\""));
	ck_assert_ptr_null(strchr(sb.buf, 0x1b));
	strbuf_reset(&sb);
	view_idle_text_render(t, &sb);
	ck_assert_ptr_null(strchr(sb.buf, 0x1b));
	ck_assert_ptr_null(strchr(sb.buf, 0x07));
	ck_assert_ptr_nonnull(strstr(sb.buf, "72.00 \\x1b[2J\\x07"));
	strbuf_done(&sb);
	tree_free(t);
	idle_policy_free(p);
}
END_TEST

static Suite *idle_suite(void)
{
	Suite *s = suite_create("idle");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, ewma_over_a_known_series);
	tcase_add_test(tc, threshold_edges);
	tcase_add_test(tc, unknown_allocation_never_flagged);
	tcase_add_test(tc, rollup_sums_by_hand);
	tcase_add_test(tc, overcommit_above_one);
	tcase_add_test(tc, mixed_site_adds_up);
	tcase_add_test(tc, nothing_measured_is_unknown);
	tcase_add_test(tc, provisional_for_one_window);
	tcase_add_test(tc, stale_guest_memory_is_no_sample);
	tcase_add_test(tc, p95_right_size_hint);
	tcase_add_test(tc, p95_is_the_window_quantile);
	tcase_add_test(tc, cost_arithmetic);
	tcase_add_test(tc, window_forgets_and_sweeps);
	tcase_add_test(tc, no_hint_that_would_not_shrink);
	tcase_add_test(tc, idle_list_escapes_names_and_currency);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(idle_suite)
