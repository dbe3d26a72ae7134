/* Rates from counter deltas: first sample, resets, unknown counters. */
#include <math.h>

#include "glass/clock.h"
#include "glass/model.h"
#include "glass/rates.h"
#include "glass/value.h"
#include "unit.h"

START_TEST(rate_over_time)
{
	ck_assert(rate_per_second(1000, 3000, 2 * NS_PER_S) == 1000.0);
	ck_assert(rate_per_second(0, 500, NS_PER_S / 2) == 1000.0);
	ck_assert(rate_per_second(7, 7, NS_PER_S) == 0.0);
}
END_TEST

START_TEST(cores_from_cpu_ns)
{
	/* 1.5 s of cpu in 1 s of wall time: one and a half cores busy */
	ck_assert(rate_cores(0, 1500000000ULL, NS_PER_S) == 1.5);
	ck_assert(rate_cores(10, 10, NS_PER_S) == 0.0);
}
END_TEST

START_TEST(first_sample_is_unknown)
{
	ck_assert(!value_known(rate_per_second(GLASS_U64_UNKNOWN, 100, NS_PER_S)));
	ck_assert(!value_known(rate_cores(GLASS_U64_UNKNOWN, 100, NS_PER_S)));
}
END_TEST

START_TEST(counter_reset_is_unknown)
{
	/* A restarted VM's cpu time starts again near 0. */
	ck_assert(!value_known(rate_per_second(5000000, 10, NS_PER_S)));
	ck_assert(!value_known(rate_cores(5000000, 10, NS_PER_S)));
}
END_TEST

START_TEST(no_time_or_unknown_is_unknown)
{
	ck_assert(!value_known(rate_per_second(1, 2, 0)));
	ck_assert(!value_known(rate_per_second(1, GLASS_U64_UNKNOWN, NS_PER_S)));
}
END_TEST

START_TEST(huge_counters_stay_exact_enough)
{
	uint64_t base = (uint64_t)1 << 60;
	double r = rate_per_second(base, base + 4096, NS_PER_S);

	ck_assert(r == 4096.0);
}
END_TEST

START_TEST(clamp_to_capacity)
{
	ck_assert(rate_clamp(2.01, 2.0) == 2.0);
	ck_assert(rate_clamp(1.5, 2.0) == 1.5);
	ck_assert(rate_clamp(2.0, 2.0) == 2.0);
	ck_assert(rate_clamp(3.0, GLASS_UNKNOWN) == 3.0);
	ck_assert(!value_known(rate_clamp(GLASS_UNKNOWN, 2.0)));
}
END_TEST

/* Busy ticks read a moment after the clock: 2.01 s of cpu in 1 s on a
 * host of 2 CPUs is 2 cores used, never 101%.  A container is not held
 * to its quota here (its counter is exact; the kernel enforces it). */
START_TEST(host_rate_held_to_its_cpus)
{
	static const struct model_source src = {"local", "host"};
	struct model *m = model_new(&src, 1);
	struct reading *r[2];

	for (int i = 0; i < 2; i++) {
		r[i] = reading_new();
		r[i]->mono_ns = (uint64_t)(i + 1) * NS_PER_S;
		struct raw_node *h = reading_add_node(r[i], NODE_HOST, "host:h", NULL, "h");
		h->cpu_cores_allocated = 2;
		h->cpu_time_ns = (uint64_t)i * 2010000000ULL;
		struct raw_node *c = reading_add_node(r[i], NODE_CONTAINER, "ct:h/c", "host:h", "c");
		c->cpu_cores_allocated = 0.5;
		c->cpu_time_ns = (uint64_t)i * 600000000ULL;
	}
	model_ingest(m, 0, r[0]);
	struct board_slot_view v = {.reading = r[1], .health = HEALTH_OK, .seq = 2};
	struct tree *t = model_build(m, &v, 2 * NS_PER_S, 0, 1.0);
	const struct node *h = t->root->children[0];
	ck_assert_msg(h->res.cpu_cores_used == 2.0, "host %g cores", h->res.cpu_cores_used);
	ck_assert(fabs(h->children[0]->res.cpu_cores_used - 0.6) < 1e-9);
	tree_free(t);
	for (int i = 0; i < 2; i++)
		reading_unref(r[i]);
	model_free(m);
}
END_TEST

static Suite *rates_suite(void)
{
	Suite *s = suite_create("rates");
	TCase *tc = tcase_create("deltas");

	tcase_add_test(tc, rate_over_time);
	tcase_add_test(tc, cores_from_cpu_ns);
	tcase_add_test(tc, first_sample_is_unknown);
	tcase_add_test(tc, counter_reset_is_unknown);
	tcase_add_test(tc, no_time_or_unknown_is_unknown);
	tcase_add_test(tc, huge_counters_stay_exact_enough);
	tcase_add_test(tc, clamp_to_capacity);
	tcase_add_test(tc, host_rate_held_to_its_cpus);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(rates_suite)
