/* Rates from counter deltas: first sample, resets, unknown counters. */
#include "glass/clock.h"
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
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(rates_suite)
