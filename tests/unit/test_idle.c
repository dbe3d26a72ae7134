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
	ck_assert_uint_eq(site->rollup->idle_nodes, 0);
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
	ck_assert(a->idle_cpu.idle && NEAR(a->idle_cpu.idle_amount, 3.6));
	ck_assert(a->idle_mem.idle && NEAR(a->idle_mem.idle_amount, 14 * GIB));
	ck_assert(c->idle_cpu.idle && NEAR(c->idle_cpu.idle_amount, 1.8));
	ck_assert(!c->idle_mem.idle);
	ck_assert(!off->idle_cpu.idle);
	ck_assert(!h->idle_cpu.idle);
	ck_assert(h2->idle_cpu.idle);

	const struct rollup *r = h->rollup;
	ck_assert(NEAR(r->cpu.total, 16));
	ck_assert(NEAR(r->cpu.allocated, 4 + 8 + 2)); /* the shut-off VM holds nothing */
	ck_assert(NEAR(r->cpu.unallocated, 2));
	ck_assert(NEAR(r->cpu.overcommit, 14.0 / 16.0));
	ck_assert(NEAR(r->cpu.idle, 3.6 + 1.8));
	ck_assert(NEAR(r->mem.allocated, (16 + 32 + 4) * GIB));
	ck_assert(NEAR(r->mem.idle, 14 * GIB));
	ck_assert_uint_eq(r->idle_nodes, 2);
	ck_assert_uint_eq(r->vms, 3);
	ck_assert_uint_eq(r->vms_off, 1);
	ck_assert_uint_eq(r->containers, 1);
	ck_assert_uint_eq(r->groups, 1);

	/* bare metal: the host's own idle capacity counts */
	ck_assert(NEAR(h2->rollup->cpu.idle, 7.2));
	ck_assert(NEAR(h2->rollup->mem.idle, 30 * GIB));
	ck_assert_uint_eq(h2->rollup->idle_nodes, 1);

	const struct rollup *s = site->rollup;
	ck_assert(NEAR(s->cpu.total, 24));
	ck_assert(NEAR(s->cpu.idle, 3.6 + 1.8 + 7.2));
	ck_assert(NEAR(s->cpu.used, 9.8));
	ck_assert(NEAR(s->mem.total, 96 * GIB));
	ck_assert(NEAR(s->mem.idle, 44 * GIB));
	ck_assert_uint_eq(s->idle_nodes, 3);
	ck_assert_uint_eq(s->hosts, 2);
	ck_assert(!value_known(s->cost_month));

	char *line = idle_summary_line(s, true);
	ck_assert_str_eq(line, "idle: 12.6 of 24 cores (53%) on 3 nodes \xc2\xb7 44 of 96 GiB (46%)");
	free(line);
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

	/* idle vCPUs outnumber the cores: the line says why it tops 100% */
	struct rollup r;
	memset(&r, 0, sizeof(r));
	r.cpu.total = 4;
	r.cpu.idle = 9;
	r.mem.total = 8 * GIB;
	r.mem.idle = 2 * GIB;
	r.idle_nodes = 3;
	char *line = idle_summary_line(&r, false);
	ck_assert_str_eq(line, "idle: 9.0 of 4 cores (225%, overcommitted) on 3 nodes - 2 of 8 GiB (25%)");
	free(line);
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
	ck_assert(NEAR(h->rollup->cost_month, 3.6 * 20.0 + 14 * 5.0));
	ck_assert(NEAR(site->rollup->cost_month, 3.6 * 20.0 + 14 * 5.0));
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
	tcase_add_test(tc, p95_right_size_hint);
	tcase_add_test(tc, cost_arithmetic);
	tcase_add_test(tc, window_forgets_and_sweeps);
	tcase_add_test(tc, no_hint_that_would_not_shrink);
	tcase_add_test(tc, idle_list_escapes_names_and_currency);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(idle_suite)
