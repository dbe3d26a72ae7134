/* The model on fixture readings: rates, the tree, staleness, sweeping. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "glass/clock.h"
#include "glass/idmap.h"
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

/* A source that has rates already (a remote glass) shows them from its
 * first reading; from the second on, the counters' own rates win. */
START_TEST(given_rates_fill_the_first_reading)
{
	static const struct model_source remote[1] = {{"glass+ssh://far", "remote"}};
	struct model *m = model_new(remote, 1);
	struct reading *r1 = fixture(NS_PER_S, 1000, 1000, 0);
	struct reading *r2 = fixture(2 * NS_PER_S, 1000 + NS_PER_S / 2, 1000, 4096);
	struct raw_node *h1 = reading_node(r1, 1), *h2 = reading_node(r2, 1);

	ck_assert_str_eq(h1->id, "host:h");
	h1->given_cpu_cores = 1.25;
	h1->given_net_rx_bps = 300;
	h2->given_cpu_cores = 7; /* the counters say 0.5 */
	struct board_slot_view v = view_of(r1, HEALTH_OK);
	struct tree *t = model_build(m, &v, NS_PER_S, 0, 2.0);
	const struct node *h = child(t->root, "host:h");
	ck_assert_ptr_nonnull(h);
	ck_assert_double_eq_tol(h->res.cpu_cores_used, 1.25, 1e-9);
	ck_assert_double_eq_tol(h->res.net_rx_bps, 300, 1e-9);
	ck_assert(!value_known(h->res.disk_read_bps)); /* none given, none counted */
	ck_assert(!value_known(child(h, "ct:h/docker/abc")->res.cpu_cores_used));
	tree_free(t);
	v = view_of(r2, HEALTH_OK);
	v.seq = 2;
	t = model_build(m, &v, 2 * NS_PER_S, 0, 2.0);
	h = child(t->root, "host:h");
	ck_assert_double_eq_tol(h->res.cpu_cores_used, 0.5, 1e-9);
	ck_assert_double_eq_tol(h->res.disk_read_bps, 4096, 1e-9);
	tree_free(t);
	reading_unref(r1);
	reading_unref(r2);
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

/* The model finds each id through where it was in the source's last
 * reading: ids that move, go and come back still get their own rates. */
static struct reading *ordered(uint64_t t, const char *const *ids, size_t n, uint64_t cpu_ns)
{
	struct reading *r = reading_new();

	r->mono_ns = t;
	reading_add_node(r, NODE_HOST, "host:h", NULL, "h");
	for (size_t i = 0; i < n; i++) {
		struct raw_node *c = reading_add_node(r, NODE_CONTAINER, ids[i], "host:h", ids[i] + 5);
		/* each container its own rate: i + 1 tenths of a core */
		c->cpu_time_ns = cpu_ns / 10 * (i + 1);
		if (strcmp(ids[i], "ct:h/b") == 0)
			c->cpu_time_ns = cpu_ns; /* b: one core */
	}
	return r;
}

START_TEST(ids_that_move_keep_their_rates)
{
	static const char *const one[] = {"ct:h/a", "ct:h/b", "ct:h/c"};
	static const char *const two[] = {"ct:h/c", "ct:h/b", "ct:h/d"};
	static const char *const three[] = {"ct:h/b", "ct:h/a", "ct:h/c", "ct:h/d"};
	struct model *m = model_new(sources, 1);
	struct reading *r[4] = {
		ordered(NS_PER_S, one, 3, 0),
		ordered(2 * NS_PER_S, two, 3, NS_PER_S),
		ordered(3 * NS_PER_S, three, 4, 2 * NS_PER_S),
		ordered(4 * NS_PER_S, three, 4, 3 * NS_PER_S),
	};

	for (int k = 0; k < 4; k++) {
		struct board_slot_view v = view_of(r[k], HEALTH_OK);
		struct tree *t = model_build(m, &v, (uint64_t)(k + 1) * NS_PER_S, 0, 1.0);
		const struct node *h = child(t->root, "host:h");
		const struct node *b = child(h, "ct:h/b");

		ck_assert_uint_eq(t->n_nodes, k == 0 || k == 1 ? 5 : 6);
		/* b was in every reading, in another place each time */
		if (k == 0)
			ck_assert(!value_known(b->res.cpu_cores_used));
		else
			ck_assert_msg(fabs(b->res.cpu_cores_used - 1.0) < 1e-9, "b at %d: %g", k,
				      b->res.cpu_cores_used);
		if (k == 2) {
			/* a left and came back: a new one, no rate across */
			ck_assert(!value_known(child(h, "ct:h/a")->res.cpu_cores_used));
			/* d came at k = 1 at place 2 and is now at place 3 */
			ck_assert(value_known(child(h, "ct:h/d")->res.cpu_cores_used));
		}
		if (k == 3)
			ck_assert(fabs(child(h, "ct:h/a")->res.cpu_cores_used - 0.2) < 1e-9);
		tree_free(t);
	}
	for (int k = 0; k < 4; k++)
		reading_unref(r[k]);
	model_free(m);
}
END_TEST

/* A source that keeps its ids as shared keys (the Prometheus source):
 * the model's rate state and the tree hold its keys, not copies, and the
 * rates still come from one reading to the next; beside it a source
 * whose ids are copied, as before. */
START_TEST(keyed_readings_share_their_ids)
{
	struct model *m = model_new(sources, 2);
	const char *host = idmap_key_new("host:k"), *ct;
	char *name = idmap_key_new_inline("ct:k/a", 2, &ct); /* the name in the id's record */
	struct reading *r[2], *plain[2];

	memcpy(name, "a", 2);

	for (int k = 0; k < 2; k++) {
		r[k] = reading_new();
		r[k]->mono_ns = (uint64_t)(k + 1) * NS_PER_S;
		reading_add_node_keyed(r[k], NODE_HOST, host, NULL, NULL);
		reading_add_node_keyed(r[k], NODE_CONTAINER, ct, host, name)->cpu_time_ns =
			(uint64_t)k * NS_PER_S / 2;
		plain[k] = reading_new();
		plain[k]->mono_ns = (uint64_t)(k + 1) * NS_PER_S;
		reading_add_node(plain[k], NODE_HOST, "host:p", NULL, "p");
		reading_add_node(plain[k], NODE_CONTAINER, "ct:p/b", "host:p", "b");
	}
	/* the source lets go: the readings hold its keys */
	idmap_key_unref(host);
	idmap_key_unref(ct);
	for (int k = 0; k < 2; k++) {
		struct board_slot_view v[2] = {view_of(r[k], HEALTH_OK), view_of(plain[k], HEALTH_OK)};
		struct tree *t = model_build(m, v, (uint64_t)(k + 1) * NS_PER_S, 0, 1.0);
		const struct node *h = child(t->root, "host:k"), *p = child(t->root, "host:p");

		ck_assert_uint_eq(t->n_nodes, 5);
		ck_assert_ptr_nonnull(h);
		ck_assert_ptr_eq(h->id, reading_node(r[k], 0)->id); /* one string */
		ck_assert_str_eq(h->name, "host:k");
		const struct node *c = child(h, "ct:k/a");
		ck_assert_ptr_eq(c->id, reading_node(r[0], 1)->id);
		ck_assert_str_eq(c->name, "a");
		if (k == 1)
			ck_assert(fabs(c->res.cpu_cores_used - 0.5) < 1e-9);
		ck_assert_ptr_nonnull(p);
		ck_assert_ptr_nonnull(child(p, "ct:p/b"));
		ck_assert_ptr_ne(p->id, reading_node(plain[k], 0)->id); /* a copy */
		tree_free(t);
	}
	for (int k = 0; k < 2; k++) {
		reading_unref(r[k]);
		reading_unref(plain[k]);
	}
	model_free(m); /* valgrind: the last holder frees each key */
}
END_TEST

/* A view older than the reading the model last ingested (the model
 * skips its ingest): its nodes are all built, those the newer reading
 * dropped without rates. */
START_TEST(an_older_reading_still_builds)
{
	static const char *const one[] = {"ct:h/a", "ct:h/b"};
	static const char *const two[] = {"ct:h/b"};
	struct model *m = model_new(sources, 1);
	struct reading *r1 = ordered(NS_PER_S, one, 2, 0);
	struct reading *r2 = ordered(2 * NS_PER_S, two, 1, NS_PER_S);
	struct board_slot_view v = view_of(r1, HEALTH_OK);

	model_ingest(m, 0, r1);
	model_ingest(m, 0, r2);
	for (int k = 0; k < 2; k++) {
		struct tree *t = model_build(m, &v, 3 * NS_PER_S, 0, 1.0);
		const struct node *h = child(t->root, "host:h");

		ck_assert_uint_eq(t->n_nodes, 4);
		ck_assert(!value_known(child(h, "ct:h/a")->res.cpu_cores_used));
		ck_assert_ptr_eq(child(h, "ct:h/a")->parent, h);
		tree_free(t);
	}
	/* and the next reading is ingested as ever */
	struct reading *r3 = ordered(3 * NS_PER_S, one, 2, 2 * NS_PER_S);
	v = view_of(r3, HEALTH_OK);
	struct tree *t = model_build(m, &v, 3 * NS_PER_S, 0, 1.0);
	const struct node *h = child(t->root, "host:h");
	ck_assert(fabs(child(h, "ct:h/b")->res.cpu_cores_used - 1.0) < 1e-9);
	ck_assert(!value_known(child(h, "ct:h/a")->res.cpu_cores_used));
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

/* A source that speaks for many machines says one is unreachable: that
 * node carries it with its reason, the others their source's health; a
 * source that goes stale makes every node stale, but an unreachable
 * machine stays unreachable (the worse of the two). */
START_TEST(per_node_health)
{
	static const struct model_source fleet[1] = {{"prometheus+http://p:9090", "prometheus"}};
	struct model *m = model_new(fleet, 1);
	struct reading *r = reading_new();
	struct board_slot_view v;

	r->mono_ns = NS_PER_S;
	struct raw_node *a = reading_add_node(r, NODE_HOST, "host:a", NULL, "a");
	raw_node_set_state(a, "up");
	struct raw_node *b = reading_add_node(r, NODE_HOST, "host:b", NULL, "b");
	raw_node_set_state(b, "down");
	raw_node_set_health(b, HEALTH_UNREACHABLE, "connection refused");
	reading_add_node(r, NODE_CONTAINER, "ct:b/x", "host:b", "x");
	v = view_of(r, HEALTH_OK);
	struct tree *t = model_build(m, &v, NS_PER_S, 0, 1.0);
	const struct node *ha = child(t->root, "host:a"), *hb = child(t->root, "host:b");

	ck_assert_int_eq(ha->health, HEALTH_OK);
	ck_assert_ptr_null(ha->health_reason);
	ck_assert_int_eq(hb->health, HEALTH_UNREACHABLE);
	ck_assert_str_eq(hb->health_reason, "connection refused");
	ck_assert(!hb->stale); /* the source itself is fresh */
	ck_assert_int_eq(child(hb, "ct:b/x")->health, HEALTH_OK);
	tree_free(t);

	v.health = HEALTH_STALE;
	snprintf(v.reason, sizeof(v.reason), "no answer for 9 s");
	t = model_build(m, &v, 2 * NS_PER_S, 0, 1.0);
	ha = child(t->root, "host:a");
	hb = child(t->root, "host:b");
	ck_assert_int_eq(ha->health, HEALTH_STALE);
	ck_assert_str_eq(ha->health_reason, "no answer for 9 s");
	ck_assert(ha->stale);
	ck_assert_int_eq(hb->health, HEALTH_UNREACHABLE);
	ck_assert_str_eq(hb->health_reason, "connection refused");
	tree_free(t);

	v.health = HEALTH_UNREACHABLE;
	snprintf(v.reason, sizeof(v.reason), "connection reset");
	t = model_build(m, &v, 3 * NS_PER_S, 0, 1.0);
	hb = child(t->root, "host:b");
	ck_assert_int_eq(hb->health, HEALTH_UNREACHABLE);
	ck_assert_str_eq(hb->health_reason, "connection reset"); /* a tie: the source's */
	tree_free(t);
	reading_unref(r);
	model_free(m);
}
END_TEST

START_TEST(one_host_seen_by_two_sources)
{
	/* slot 0: a hypervisor's view of host x; slot 1: x's own glass */
	static const struct model_source two[2] = {{"qemu+ssh://x/system", "libvirt"},
						   {"glass+ssh://x", "remote"}};
	struct model *m = model_new(two, 2);
	struct reading *lv = reading_new(), *rm = reading_new();
	struct board_slot_view v[2];

	lv->mono_ns = rm->mono_ns = NS_PER_S;
	struct raw_node *h = reading_add_node(lv, NODE_HOST, "host:x", NULL, "x");
	h->cpu_cores_allocated = 8;
	h->mem_allocated = 1000;
	reading_add_node(lv, NODE_VM, "vm:x/u1", "host:x", "db-1");
	h = reading_add_node(rm, NODE_HOST, "host:x", NULL, "x");
	h->cpu_cores_allocated = 8;
	h->mem_allocated = 999;
	reading_add_node(rm, NODE_CONTAINER, "ct:x/docker/a", "host:x", "web");
	v[0] = view_of(lv, HEALTH_OK);
	v[1] = view_of(rm, HEALTH_OK);
	struct tree *t = model_build(m, v, NS_PER_S, 0, 1.0);

	ck_assert_uint_eq(t->root->n_children, 1); /* one host node */
	const struct node *x = t->root->children[0];
	ck_assert(x->res.mem_bytes_allocated == 999.0); /* its own glass speaks for it */
	ck_assert_int_eq(x->source, 1);
	ck_assert_ptr_nonnull(child(x, "vm:x/u1"));       /* VMs from libvirt */
	ck_assert_ptr_nonnull(child(x, "ct:x/docker/a")); /* containers from ssh */
	tree_free(t);
	reading_unref(lv);
	reading_unref(rm);
	model_free(m);
}
END_TEST

START_TEST(local_vm_is_one_node)
{
	/* the local host, its cgroups, and a hypervisor that is this host */
	static const struct model_source three[3] = {
		{"local", "host"}, {"/sys/fs/cgroup", "cgroup"}, {"qemu:///system", "libvirt"}};
	struct model *m = model_new(three, 3);
	struct reading *hr = reading_new(), *cg = reading_new(), *lv = reading_new();
	struct board_slot_view v[3];

	hr->mono_ns = cg->mono_ns = lv->mono_ns = NS_PER_S;
	reading_add_node(hr, NODE_HOST, "host:h", NULL, "h");
	reading_add_node(cg, NODE_HOST, "host:h", NULL, "h");
	reading_add_node(cg, NODE_GROUP, "ct:h/machine", "host:h", "machine");
	struct raw_node *c = reading_add_node(cg, NODE_CONTAINER, "ct:h/machine/qemu-1-db.libvirt-qemu",
					      "ct:h/machine", "db");
	raw_node_set_runtime(c, "libvirt");
	c->mem_used = 4096;
	c->mem_source = "cgroup";
	c->pids_current = 7;
	reading_add_node(cg, NODE_CONTAINER, "ct:h/machine/qemu-1-db.libvirt-qemu/vcpu0",
			 "ct:h/machine/qemu-1-db.libvirt-qemu", "vcpu0");
	struct raw_node *vm = reading_add_node(lv, NODE_VM, "vm:h/uuid-1", "host:h", "db");
	vm->cpu_cores_allocated = 2;
	vm->mem_allocated = 1 << 20; /* libvirt knows the size, not the use */
	reading_add_node(lv, NODE_HOST, "host:h", NULL, "h");
	v[0] = view_of(hr, HEALTH_OK);
	v[1] = view_of(cg, HEALTH_OK);
	v[2] = view_of(lv, HEALTH_OK);
	struct tree *t = model_build(m, v, NS_PER_S, 0, 1.0);
	const struct node *h = child(t->root, "host:h");
	const struct node *d = child(h, "vm:h/uuid-1");

	ck_assert_uint_eq(t->root->n_children, 1);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(node_merged_id(d), "ct:h/machine/qemu-1-db.libvirt-qemu");
	ck_assert(d->res.mem_bytes_used == 4096.0); /* from the cgroup */
	ck_assert_str_eq(d->res.mem_source, "cgroup");
	ck_assert(d->res.cpu_cores_allocated == 2.0); /* from libvirt */
	ck_assert(d->res.pids_current == 7.0);
	ck_assert_ptr_nonnull(child(d, "ct:h/machine/qemu-1-db.libvirt-qemu/vcpu0"));
	const struct node *machine = child(h, "ct:h/machine");
	ck_assert_ptr_nonnull(machine);
	ck_assert_uint_eq(machine->n_children, 0); /* the VM is not shown twice */
	ck_assert_uint_eq(t->n_nodes, 1 + 1 + 1 + 1 + 1); /* site host machine vm vcpu0 */
	tree_free(t);
	reading_unref(hr);
	reading_unref(cg);
	reading_unref(lv);
	model_free(m);
}
END_TEST

START_TEST(two_uris_to_one_host)
{
	static const struct model_source two[2] = {{"qemu+tcp://10.0.0.5/system", "libvirt"},
						   {"qemu+ssh://hv5/system", "libvirt"}};
	struct model *m = model_new(two, 2);
	struct reading *a = reading_new(), *b = reading_new();
	struct board_slot_view v[2];

	a->mono_ns = b->mono_ns = NS_PER_S;
	reading_add_node(a, NODE_HOST, "host:hv5", NULL, "hv5");
	reading_add_node(a, NODE_VM, "vm:hv5/u1", "host:hv5", "web");
	reading_add_node(b, NODE_HOST, "host:hv5", NULL, "hv5");
	reading_add_node(b, NODE_VM, "vm:hv5/u1", "host:hv5", "web");
	v[0] = view_of(a, HEALTH_OK);
	v[1] = view_of(b, HEALTH_OK);
	struct tree *t = model_build(m, v, NS_PER_S, 0, 1.0);

	ck_assert_uint_eq(t->root->n_children, 1);
	ck_assert_uint_eq(t->root->children[0]->n_children, 1);
	ck_assert_int_eq(t->sources[0].same_as, -1);
	ck_assert_int_eq(t->sources[1].same_as, 0); /* the note */
	tree_free(t);
	reading_unref(a);
	reading_unref(b);
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

/* Two sources report one host: the better-ranked one owns each figure it
 * has, the other fills the gaps field by field, a stale one fills none. */
START_TEST(a_second_source_fills_the_gaps)
{
	struct model *m = model_new(sources, 2);
	struct reading *a = reading_new(), *b = reading_new();
	struct raw_node *ha, *hb;

	a->mono_ns = b->mono_ns = NS_PER_S;
	ha = reading_add_node(a, NODE_HOST, "host:h", NULL, "h");
	ha->cpu_cores_allocated = 4;
	ha->mem_used = 1000;
	ha->mem_source = "host";
	hb = reading_add_node(b, NODE_HOST, "host:h", NULL, "h");
	hb->cpu_cores_allocated = 8;        /* the owner has it: kept */
	hb->mem_used = 2000;                /* likewise */
	hb->mem_available = 5000;           /* a gap: filled */
	hb->load[0] = 0.5;                  /* a gap: filled */
	hb->given_net_rx_bps = 42;          /* a rate the owner has none of */
	struct board_slot_view v[2] = {view_of(a, HEALTH_OK), view_of(b, HEALTH_OK)};
	struct tree *t = model_build(m, v, NS_PER_S, 0, 2.0);
	const struct node *h = child(t->root, "host:h");

	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(h->source, 0);
	ck_assert_double_eq(h->res.cpu_cores_allocated, 4);
	ck_assert_double_eq(h->res.mem_bytes_used, 1000);
	ck_assert_str_eq(h->res.mem_source, "host");
	ck_assert_double_eq(h->res.mem_bytes_available, 5000);
	ck_assert_double_eq(h->res.load[0], 0.5);
	ck_assert_double_eq(h->res.net_rx_bps, 42);
	tree_free(t);

	/* the second source goes stale: its last figures fill nothing */
	v[1].health = HEALTH_STALE;
	t = model_build(m, v, 2 * NS_PER_S, 0, 2.0);
	h = child(t->root, "host:h");
	ck_assert(!value_known(h->res.mem_bytes_available));
	tree_free(t);
	reading_unref(a);
	reading_unref(b);
	model_free(m);
}
END_TEST

static Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("rates");

	tcase_add_test(tc, first_reading_has_no_rates);
	tcase_add_test(tc, a_second_source_fills_the_gaps);
	tcase_add_test(tc, given_rates_fill_the_first_reading);
	tcase_add_test(tc, second_reading_gives_exact_rates);
	tcase_add_test(tc, same_reading_twice_keeps_rates);
	tcase_add_test(tc, counter_reset_reads_unknown_then_recovers);
	tcase_add_test(tc, vanished_node_starts_over);
	tcase_add_test(tc, stale_source_and_orphans);
	tcase_add_test(tc, per_node_health);
	tcase_add_test(tc, one_host_seen_by_two_sources);
	tcase_add_test(tc, local_vm_is_one_node);
	tcase_add_test(tc, two_uris_to_one_host);
	tcase_add_test(tc, shared_id_keeps_the_owners_rates);
	tcase_add_test(tc, ids_that_move_keep_their_rates);
	tcase_add_test(tc, an_older_reading_still_builds);
	tcase_add_test(tc, keyed_readings_share_their_ids);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(model_suite)
