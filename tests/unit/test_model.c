/* The model on fixture readings: rates, the tree, staleness, sweeping. */
#include <stdio.h>
#include <string.h>

#include "glass/clock.h"
#include "glass/model.h"
#include "glass/value.h"
#include "unit.h"

static const struct model_source sources[2] = {{"local", "host"}, {"other", "libvirt"}};

/* A reading at time t: a host with a container and a vm. */
static struct reading *fixture(uint64_t t, uint64_t host_cpu_ns, uint64_t ct_cpu_ns,
			       uint64_t disk_read)
{
	struct reading *r = reading_new();
	struct raw_node *h, *c, *v;

	r->mono_ns = t;
	/* the child comes first: the model must not depend on order */
	c = reading_add_node(r, NODE_CONTAINER, "ct:h/docker/abc", "host:h", "web");
	c->cpu_time_ns = ct_cpu_ns;
	c->cpu_cores_allocated = 0.5;
	c->mem_allocated = 268435456;
	c->mem_used = 1000;
	c->mem_source = "cgroup";
	h = reading_add_node(r, NODE_HOST, "host:h", NULL, "h");
	h->cpu_time_ns = host_cpu_ns;
	h->cpu_cores_allocated = 4;
	h->disk_read_bytes = disk_read;
	struct raw_dev *d = raw_node_add_dev(h, RAW_DEV_DISK, "sda");
	d->read_bytes = disk_read;
	v = reading_add_node(r, NODE_VM, "vm:h/uuid-1", "host:h", "db");
	raw_node_set_state(v, "running");
	return r;
}

static struct board_slot_view view_of(struct reading *r, enum health h)
{
	struct board_slot_view v = {.reading = r, .health = h, .seq = 1};

	return v;
}

static const struct node *child(const struct node *n, const char *id)
{
	for (size_t i = 0; i < n->n_children; i++)
		if (strcmp(n->children[i]->id, id) == 0)
			return n->children[i];
	return NULL;
}

START_TEST(first_reading_has_no_rates)
{
	struct model *m = model_new(sources, 1);
	struct reading *r = fixture(NS_PER_S, 1000, 1000, 0);
	struct board_slot_view v = view_of(r, HEALTH_OK);
	struct tree *t = model_build(m, &v, NS_PER_S, 0, 2.0);
	const struct node *h = child(t->root, "host:h");

	ck_assert_ptr_nonnull(h);
	ck_assert(!value_known(h->res.cpu_cores_used));
	ck_assert(!value_known(h->res.disk_read_bps));
	ck_assert(value_known(h->res.cpu_cores_allocated));
	ck_assert_uint_eq(t->n_nodes, 4);
	tree_free(t);
	reading_unref(r);
	model_free(m);
}
END_TEST

START_TEST(second_reading_gives_exact_rates)
{
	struct model *m = model_new(sources, 1);
	struct reading *r1 = fixture(10 * NS_PER_S, 0, 0, 1000);
	struct reading *r2 = fixture(12 * NS_PER_S, 3 * NS_PER_S, NS_PER_S / 2, 5000);
	struct board_slot_view v = view_of(r2, HEALTH_OK);

	model_ingest(m, 0, r1);
	struct tree *t = model_build(m, &v, 12 * NS_PER_S, 0, 2.0);
	const struct node *h = child(t->root, "host:h");
	const struct node *c = child(h, "ct:h/docker/abc");

	ck_assert(h->res.cpu_cores_used == 1.5);  /* 3 s of cpu over 2 s */
	ck_assert(h->res.disk_read_bps == 2000.0); /* 4000 B over 2 s */
	ck_assert_uint_eq(h->n_devs, 1);
	ck_assert(h->devs[0].read_bps == 2000.0);
	ck_assert(c->res.cpu_cores_used == 0.25);
	ck_assert(c->res.cpu_cores_allocated == 0.5);
	ck_assert(c->res.mem_bytes_allocated == 268435456.0);
	ck_assert_str_eq(c->res.mem_source, "cgroup");
	ck_assert_ptr_eq(c->parent, h);
	/* an unknown counter stays unknown, never 0 */
	ck_assert(!value_known(c->res.net_rx_bps));
	tree_free(t);
	reading_unref(r1);
	reading_unref(r2);
	model_free(m);
}
END_TEST

START_TEST(same_reading_twice_keeps_rates)
{
	struct model *m = model_new(sources, 1);
	struct reading *r1 = fixture(NS_PER_S, 0, 0, 0);
	struct reading *r2 = fixture(2 * NS_PER_S, NS_PER_S, 0, 0);
	struct board_slot_view v = view_of(r2, HEALTH_OK);

	model_ingest(m, 0, r1);
	model_ingest(m, 0, r2);
	model_ingest(m, 0, r2); /* the main loop may see it again */
	model_ingest(m, 0, r1); /* or an older one: ignored */
	struct tree *t = model_build(m, &v, 3 * NS_PER_S, 0, 1.0);
	ck_assert(child(t->root, "host:h")->res.cpu_cores_used == 1.0);
	tree_free(t);
	reading_unref(r1);
	reading_unref(r2);
	model_free(m);
}
END_TEST

START_TEST(counter_reset_reads_unknown_then_recovers)
{
	struct model *m = model_new(sources, 1);
	struct reading *r1 = fixture(NS_PER_S, 50 * NS_PER_S, 0, 0);
	struct reading *r2 = fixture(2 * NS_PER_S, NS_PER_S, 0, 0); /* went back */
	struct reading *r3 = fixture(3 * NS_PER_S, 2 * NS_PER_S, 0, 0);
	struct board_slot_view v = view_of(r2, HEALTH_OK);

	model_ingest(m, 0, r1);
	struct tree *t = model_build(m, &v, 2 * NS_PER_S, 0, 1.0);
	ck_assert(!value_known(child(t->root, "host:h")->res.cpu_cores_used));
	tree_free(t);
	v.reading = r3;
	t = model_build(m, &v, 3 * NS_PER_S, 0, 1.0);
	ck_assert(child(t->root, "host:h")->res.cpu_cores_used == 1.0);
	tree_free(t);
	reading_unref(r1);
	reading_unref(r2);
	reading_unref(r3);
	model_free(m);
}
END_TEST

START_TEST(vanished_node_starts_over)
{
	struct model *m = model_new(sources, 1);
	struct reading *r1 = fixture(NS_PER_S, 0, 0, 0);
	struct reading *r2 = reading_new();
	struct reading *r3 = fixture(3 * NS_PER_S, NS_PER_S, NS_PER_S, 0);
	struct board_slot_view v = view_of(r3, HEALTH_OK);

	r2->mono_ns = 2 * NS_PER_S;
	reading_add_node(r2, NODE_HOST, "host:h", NULL, "h");
	model_ingest(m, 0, r1);
	model_ingest(m, 0, r2); /* the container is gone: its state is swept */
	struct tree *t = model_build(m, &v, 3 * NS_PER_S, 0, 1.0);
	const struct node *h = child(t->root, "host:h");
	/* a container with the same path is a new one: no rate across */
	ck_assert(!value_known(child(h, "ct:h/docker/abc")->res.cpu_cores_used));
	tree_free(t);
	reading_unref(r1);
	reading_unref(r2);
	reading_unref(r3);
	model_free(m);
}
END_TEST

START_TEST(stale_source_and_orphans)
{
	struct model *m = model_new(sources, 2);
	struct reading *r0 = fixture(NS_PER_S, 0, 0, 0);
	struct reading *r1 = reading_new();
	struct board_slot_view v[2];

	r1->mono_ns = NS_PER_S;
	reading_add_node(r1, NODE_VM, "vm:far/u", "host:gone", "lost");
	reading_add_node(r1, NODE_HOST, "host:h", NULL, "dup"); /* id taken by slot 0 */
	v[0] = view_of(r0, HEALTH_OK);
	v[1] = view_of(r1, HEALTH_UNREACHABLE);
	snprintf(v[1].reason, sizeof(v[1].reason), "connection reset");
	struct tree *t = model_build(m, v, 2 * NS_PER_S, 5 * NS_PER_S, 1.0);
	const struct node *lost = child(t->root, "vm:far/u");

	ck_assert_ptr_nonnull(lost); /* an orphan hangs from the site */
	ck_assert(lost->stale);
	ck_assert(!child(t->root, "host:h")->stale);
	ck_assert_str_eq(child(t->root, "host:h")->name, "h");
	ck_assert_uint_eq(t->n_sources, 2);
	ck_assert_int_eq(t->sources[1].health, HEALTH_UNREACHABLE);
	ck_assert_str_eq(t->sources[1].reason, "connection reset");
	ck_assert_uint_eq(t->seq, 1);
	tree_free(t);
	reading_unref(r0);
	reading_unref(r1);
	model_free(m);
}
END_TEST

/* Two sources report one host (qemu:///system beside the local host):
 * the owner's rates never mix with the other's counters, whichever
 * reading arrives first. */
START_TEST(shared_id_keeps_the_owners_rates)
{
	struct model *m = model_new(sources, 2);
	struct board_slot_view v[2];
	struct reading *a[3], *b[3];

	for (int k = 0; k < 3; k++) {
		a[k] = fixture((uint64_t)(k + 1) * NS_PER_S, (uint64_t)k * NS_PER_S, 0, 0);
		b[k] = reading_new();
		b[k]->mono_ns = (uint64_t)(k + 1) * NS_PER_S + 1000;
		/* the other source's counter for the host: a different base */
		reading_add_node(b[k], NODE_HOST, "host:h", NULL, "h")->cpu_time_ns =
			1000 * NS_PER_S + (uint64_t)k * 3 * NS_PER_S;
	}
	for (int k = 0; k < 3; k++) {
		model_ingest(m, 1, b[k]); /* the other one first, as it may */
		model_ingest(m, 0, a[k]);
	}
	v[0] = view_of(a[2], HEALTH_OK);
	v[1] = view_of(b[2], HEALTH_OK);
	struct tree *t = model_build(m, v, 4 * NS_PER_S, 5 * NS_PER_S, 1.0);
	const struct node *h = child(t->root, "host:h");

	ck_assert_ptr_nonnull(h);
	ck_assert_uint_eq(h->source, 0);
	ck_assert_double_eq_tol(h->res.cpu_cores_used, 1.0, 1e-9);
	tree_free(t);
	for (int k = 0; k < 3; k++) {
		reading_unref(a[k]);
		reading_unref(b[k]);
	}
	model_free(m);
}
END_TEST

static Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("rates");

	tcase_add_test(tc, first_reading_has_no_rates);
	tcase_add_test(tc, second_reading_gives_exact_rates);
	tcase_add_test(tc, same_reading_twice_keeps_rates);
	tcase_add_test(tc, counter_reset_reads_unknown_then_recovers);
	tcase_add_test(tc, vanished_node_starts_over);
	tcase_add_test(tc, stale_source_and_orphans);
	tcase_add_test(tc, shared_id_keeps_the_owners_rates);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(model_suite)
