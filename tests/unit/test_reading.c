/* A reading's layout: a node's id, parent and name in one allocation
 * (or the three held as shared keys),
 * its state and runtime pooled (str_pool.c), its energy counters and its
 * devices, filesystems, identity and processes made only on first use, its node array sealed to size; and the pool itself:
 * one copy per word, a copy of its own for what does not fit. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/idmap.h"
#include "glass/reading.h"
#include "glass/str_pool.h"
#include "unit.h"

START_TEST(node_strings_and_seal)
{
	struct reading *r = reading_new();
	char id[64], name[32];

	for (int i = 0; i < 100; i++) {
		snprintf(id, sizeof(id), "ct:h/system.slice/app%03d.service", i);
		snprintf(name, sizeof(name), "app%03d.service", i);
		struct raw_node *n = reading_add_node(r, NODE_CONTAINER, id, i % 2 ? "host:h" : NULL, name);
		raw_node_set_state(n, i % 3 ? "running" : NULL);
		raw_node_set_runtime(n, "systemd");
		raw_node_set_runtime(n, "docker"); /* replaced */
	}
	ck_assert_uint_gt(r->cap_nodes, r->n_nodes);
	reading_seal(r);
	ck_assert_uint_eq(r->cap_nodes, 100);
	ck_assert_uint_eq(r->n_nodes, 100);
	for (size_t i = 0; i < r->n_nodes; i++) {
		const struct raw_node *n = reading_node(r, i);

		snprintf(id, sizeof(id), "ct:h/system.slice/app%03zu.service", i);
		snprintf(name, sizeof(name), "app%03zu.service", i);
		ck_assert_str_eq(n->id, id);
		ck_assert_str_eq(n->name, name);
		if (i % 2)
			ck_assert_str_eq(n->parent_id, "host:h");
		else
			ck_assert_ptr_null(n->parent_id);
		if (i % 3)
			ck_assert_ptr_eq(n->state, reading_node(r, 1)->state); /* one copy */
		else
			ck_assert_ptr_null(n->state);
		ck_assert_str_eq(n->runtime, "docker");
		ck_assert_ptr_eq(n->runtime, reading_node(r, 0)->runtime);
		ck_assert_ptr_null(n->energy);
		ck_assert_uint_eq(raw_node_n_energy(n), 0);
	}
	struct raw_node *h = reading_add_node(r, NODE_HOST, "host:h", NULL, "h");
	struct raw_energy *e = raw_node_energy(h);
	ck_assert_ptr_eq(raw_node_energy(h), e);
	e->uj[0] = 5;
	e->n = 1;
	ck_assert_uint_eq(raw_node_n_energy(h), 1);
	reading_unref(r);
}
END_TEST

/* A fleet's reading spans many blocks: every node keeps its place and
 * its fields, a block once full never moves, and a sealed reading may
 * still grow (its last block, cut to size, grows again). */
/* A keyed node holds its source's keys: they outlive the source's
 * references while the reading lives, and so does a name kept in its
 * id's record. */
START_TEST(keyed_nodes_hold_keys)
{
	struct reading *r = reading_new();
	const char *host, *ct = idmap_key_new("ct:h1/system.slice/docker-abc.scope");
	char *hname = idmap_key_new_inline("host:h1", 3, &host);

	memcpy(hname, "h1", 3);

	struct raw_node *h = reading_add_node_keyed(r, NODE_HOST, host, NULL, hname);
	ck_assert(h->keyed);
	ck_assert_ptr_eq(h->id, host);
	ck_assert_ptr_null(h->parent_id);
	ck_assert_ptr_eq(h->name, hname);
	/* no name: the id is the name */
	struct raw_node *c = reading_add_node_keyed(r, NODE_CONTAINER, ct, host, NULL);
	ck_assert_ptr_eq(c->id, ct);
	ck_assert_ptr_eq(c->parent_id, host);
	ck_assert_ptr_eq(c->name, ct);
	/* a plain node beside them */
	ck_assert(!reading_add_node(r, NODE_HOST, "host:h2", NULL, "h2")->keyed);
	reading_seal(r);
	/* the source lets go; the reading still holds them */
	idmap_key_unref(host);
	idmap_key_unref(ct);
	ck_assert_str_eq(reading_node(r, 1)->parent_id, "host:h1");
	ck_assert_str_eq(reading_node(r, 1)->name, "ct:h1/system.slice/docker-abc.scope");
	ck_assert_str_eq(reading_node(r, 0)->name, "h1");
	ck_assert_str_eq(reading_node(r, 2)->name, "h2");
	reading_unref(r); /* valgrind: every key freed with its last holder */
}
END_TEST

START_TEST(many_nodes_in_blocks)
{
	struct reading *r = reading_new();
	const size_t n = 3 * READING_BLOCK_NODES + 7, more = READING_BLOCK_NODES + 3;
	char id[32];

	for (size_t i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "ct:h/%zu", i);
		reading_add_node(r, NODE_CONTAINER, id, "host:h", id + 5)->cpu_time_ns = i;
	}
	const struct raw_node *first = reading_node(r, 0), *mid = reading_node(r, READING_BLOCK_NODES + 1);
	ck_assert_uint_eq(r->n_blocks, 4);
	reading_seal(r);
	ck_assert_uint_eq(r->cap_nodes, n);
	ck_assert_ptr_eq(reading_node(r, 0), first);
	ck_assert_ptr_eq(reading_node(r, READING_BLOCK_NODES + 1), mid);
	for (size_t i = 0; i < more; i++) {
		snprintf(id, sizeof(id), "ct:h/%zu", n + i);
		reading_add_node(r, NODE_CONTAINER, id, "host:h", id + 5)->cpu_time_ns = n + i;
	}
	reading_seal(r);
	ck_assert_uint_eq(r->n_nodes, n + more);
	ck_assert_uint_eq(r->cap_nodes, n + more);
	ck_assert_ptr_eq(reading_node(r, 0), first);
	for (size_t i = 0; i < r->n_nodes; i++) {
		const struct raw_node *rn = reading_node(r, i);

		snprintf(id, sizeof(id), "ct:h/%zu", i);
		ck_assert_str_eq(rn->id, id);
		ck_assert_str_eq(rn->name, id + 5);
		ck_assert_str_eq(rn->parent_id, "host:h");
		ck_assert_uint_eq(rn->cpu_time_ns, i);
	}
	reading_unref(r);
}
END_TEST

START_TEST(rare_fields_made_on_first_use)
{
	struct reading *r = reading_new();
	struct raw_node *c = reading_add_node(r, NODE_CONTAINER, "ct:h/a", "host:h", "a");

	ck_assert_ptr_null(c->more); /* a plain container carries none */
	struct raw_node *h = reading_add_node(r, NODE_HOST, "host:h", NULL, "h");
	struct raw_dev *d = raw_node_add_dev(h, RAW_DEV_DISK, "sda");

	ck_assert_ptr_nonnull(h->more);
	ck_assert_ptr_eq(d, &h->more->devs[0]);
	struct raw_fs *f = raw_node_add_fs(h, "/", "/dev/sda1", "ext4");

	ck_assert_ptr_eq(f, &h->more->fs[0]);
	ck_assert_uint_eq(h->more->n_devs, 1);
	ck_assert_uint_eq(h->more->n_fs, 1);
	ck_assert_ptr_eq(raw_node_more(h), h->more); /* made once */
	ck_assert(identity_set_uuid(&raw_node_more(h)->ident, "12345678-1234-1234-1234-123456789abc"));
	reading_seal(r);
	ck_assert_ptr_null(reading_node(r, 0)->more);
	ck_assert_str_eq(reading_node(r, 1)->more->devs[0].name, "sda");
	reading_unref(r); /* valgrind: everything in it freed */
}
END_TEST

START_TEST(pool_shares_short_words)
{
	char buf[] = "running";
	const char *a = str_pool(buf);
	const char *b = str_pool("running");

	ck_assert_ptr_eq(a, b);
	ck_assert_ptr_ne(a, buf);
	ck_assert_ptr_eq(str_pool(a), a);
	ck_assert_ptr_eq(str_pool_share(a), a);
	ck_assert_ptr_null(str_pool(NULL));
	ck_assert_ptr_null(str_pool_share(NULL));
	str_pool_free(a); /* pooled: not freed */
	str_pool_free(NULL);
	ck_assert_str_eq(str_pool("running"), "running");

	/* a word too long is a copy of its own, and so is what it shares */
	const char *lng = "a state far longer than any state glass has seen";
	const char *c = str_pool(lng), *d = str_pool(lng);
	ck_assert_str_eq(c, lng);
	ck_assert_ptr_ne(c, d);
	const char *e = str_pool_share(c);
	ck_assert_ptr_ne(e, c);
	ck_assert_str_eq(e, lng);
	str_pool_free(c);
	str_pool_free(d);
	str_pool_free(e);
}
END_TEST

static void *pool_words(void *arg)
{
	const char **out = arg;
	char w[16];

	for (int i = 0; i < 40; i++) {
		snprintf(w, sizeof(w), "word%d", i);
		out[i] = str_pool(w);
	}
	return NULL;
}

START_TEST(pool_threads_agree)
{
	const char *a[40], *b[40];
	pthread_t ta, tb;

	ck_assert_int_eq(pthread_create(&ta, NULL, pool_words, a), 0);
	ck_assert_int_eq(pthread_create(&tb, NULL, pool_words, b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	for (int i = 0; i < 40; i++) {
		ck_assert_ptr_eq(a[i], b[i]);
		ck_assert_ptr_eq(str_pool(a[i]), a[i]);
	}
}
END_TEST

/* Last: it fills the process's pool. */
START_TEST(pool_full_gives_copies)
{
	const char *w[400];
	char buf[32];
	size_t copies = 0;
	const char *running = str_pool("running");

	for (int i = 0; i < 400; i++) {
		snprintf(buf, sizeof(buf), "filler-%d", i);
		w[i] = str_pool(buf);
		ck_assert_str_eq(w[i], buf);
		const char *again = str_pool_share(w[i]);

		if (again != w[i])
			copies++;
		str_pool_free(again);
	}
	ck_assert_uint_gt(copies, 200); /* the pool holds at most 128 */
	ck_assert_ptr_eq(str_pool("running"), running); /* still there */
	for (int i = 0; i < 400; i++)
		str_pool_free(w[i]);
}
END_TEST

static Suite *reading_suite(void)
{
	Suite *s = suite_create("reading");
	TCase *tc = tcase_create("reading");

	tcase_add_test(tc, node_strings_and_seal);
	tcase_add_test(tc, keyed_nodes_hold_keys);
	tcase_add_test(tc, many_nodes_in_blocks);
	tcase_add_test(tc, rare_fields_made_on_first_use);
	tcase_add_test(tc, pool_shares_short_words);
	tcase_add_test(tc, pool_threads_agree);
	tcase_add_test(tc, pool_full_gives_copies);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(reading_suite)
