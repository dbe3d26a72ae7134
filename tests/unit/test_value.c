/* The resource record's "unknown": never 0, kept through arithmetic. */
#include "glass/node.h"
#include "glass/reading.h"
#include "glass/units.h"
#include "glass/value.h"
#include "unit.h"

START_TEST(u64_unknown_is_not_zero)
{
	ck_assert(!value_u64_known(GLASS_U64_UNKNOWN));
	ck_assert(value_u64_known(0));
	ck_assert(value_known(0.0));
	ck_assert(!value_known(GLASS_UNKNOWN));
	ck_assert(!value_known(value_from_u64(GLASS_U64_UNKNOWN)));
	ck_assert(value_from_u64(42) == 42.0);
}
END_TEST

START_TEST(subtraction_keeps_unknown)
{
	ck_assert_uint_eq(value_u64_sub(10, 3), 7);
	ck_assert(!value_u64_known(value_u64_sub(GLASS_U64_UNKNOWN, 3)));
	ck_assert(!value_u64_known(value_u64_sub(10, GLASS_U64_UNKNOWN)));
	/* used = total - available can never go negative: unknown instead */
	ck_assert(!value_u64_known(value_u64_sub(3, 10)));
}
END_TEST

START_TEST(new_raw_node_is_all_unknown)
{
	struct reading *r = reading_new();
	struct raw_node *n = reading_add_node(r, NODE_CONTAINER, "ct:h/a", "host:h", "a");

	ck_assert(!value_known(n->cpu_cores_allocated));
	ck_assert(!value_u64_known(n->cpu_time_ns));
	ck_assert(!value_u64_known(n->mem_allocated));
	ck_assert(!value_u64_known(n->mem_used));
	ck_assert(!value_u64_known(n->disk_read_bytes));
	ck_assert(!value_u64_known(n->net_tx_bytes));
	ck_assert(!value_u64_known(n->pids_max));
	ck_assert(!value_known(n->load[2]));
	ck_assert_str_eq(n->parent_id, "host:h");
	struct raw_dev *d = raw_node_add_dev(n, RAW_DEV_NET, "eth0");
	ck_assert(!value_u64_known(d->read_bytes));
	reading_unref(r);
}
END_TEST

START_TEST(new_node_is_all_unknown)
{
	struct node *n = node_new(NODE_VM, "vm:h/u", "db-1");

	ck_assert(!value_known(n->res.cpu_cores_allocated));
	ck_assert(!value_known(n->res.cpu_cores_used));
	ck_assert(!value_known(n->res.mem_bytes_allocated));
	ck_assert(!value_known(n->res.mem_bytes_used));
	ck_assert(!value_known(n->res.net_rx_bps));
	ck_assert_ptr_null(n->res.mem_source);
	node_free(n);
}
END_TEST

START_TEST(views_print_unknown_as_dash)
{
	char buf[32];

	units_set_utf8(true);
	units_cores(GLASS_UNKNOWN, buf, sizeof(buf));
	ck_assert_str_eq(buf, "\xe2\x80\x94");
	units_bytes(GLASS_UNKNOWN, buf, sizeof(buf));
	ck_assert_str_eq(buf, "\xe2\x80\x94");
	units_set_utf8(false);
	units_bytes(GLASS_UNKNOWN, buf, sizeof(buf));
	ck_assert_str_eq(buf, "-");
	units_cores(0.0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0");
	units_cores(0.25, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0.25");
	units_bytes(1536.0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1.5K");
	units_bytes(3.0 * 1024 * 1024 * 1024, buf, sizeof(buf));
	ck_assert_str_eq(buf, "3.0G");
	units_bytes(512, buf, sizeof(buf));
	ck_assert_str_eq(buf, "512");
}
END_TEST

START_TEST(kind_names_round_trip)
{
	enum node_kind k;

	ck_assert(node_kind_parse("container", &k));
	ck_assert_int_eq(k, NODE_CONTAINER);
	ck_assert_str_eq(node_kind_name(NODE_VM), "vm");
	ck_assert(!node_kind_parse("pod", &k));
}
END_TEST

static Suite *value_suite(void)
{
	Suite *s = suite_create("value");
	TCase *tc = tcase_create("unknown");

	tcase_add_test(tc, u64_unknown_is_not_zero);
	tcase_add_test(tc, subtraction_keeps_unknown);
	tcase_add_test(tc, new_raw_node_is_all_unknown);
	tcase_add_test(tc, new_node_is_all_unknown);
	tcase_add_test(tc, views_print_unknown_as_dash);
	tcase_add_test(tc, kind_names_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(value_suite)
