/* The Prometheus source's records by id: found, added past the table's
 * growth, swept (the survivors still found past the holes), freed; a
 * record another holder keeps the key of outlives its sweep. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/idmap.h"
#include "glass/prom_ids.h"
#include "unit.h"

struct rec {
	int n;
	const char *id; /* the shared key it lives in */
};

static struct rec *rec_new(int n)
{
	char id[64];
	const char *key;

	snprintf(id, sizeof(id), "ct:fleet-h%04d/system.slice/docker-%d.scope", n / 100, n);
	struct rec *r = idmap_key_new_inline(id, sizeof(*r), &key);
	r->n = n;
	r->id = key;
	return r;
}

static int keep_even(void *rec, void *arg)
{
	(void)arg;
	return ((struct rec *)rec)->n % 2 == 0;
}

static int keep_none(void *rec, void *arg)
{
	(void)rec;
	(void)arg;
	return 0;
}

START_TEST(add_find_sweep)
{
	struct prom_ids t;
	enum { N = 5000 };

	prom_ids_init(&t, offsetof(struct rec, id));
	ck_assert_ptr_null(prom_ids_get(&t, "host:a"));
	for (int i = 0; i < N; i++)
		prom_ids_add(&t, rec_new(i));
	ck_assert_uint_eq(t.count, N);
	ck_assert_uint_le(t.count * 4, t.cap * 3);
	for (int i = 0; i < N; i++) {
		struct rec *probe = rec_new(i), *r = prom_ids_get(&t, probe->id);
		ck_assert_ptr_nonnull(r);
		ck_assert_int_eq(r->n, i);
		ck_assert_ptr_ne(r, probe); /* found by its text, not its pointer */
		idmap_key_unref(probe->id);
	}
	ck_assert_ptr_null(prom_ids_get(&t, "ct:fleet-h0000/system.slice/docker-5000.scope"));
	/* the odd ones go: the even ones are found past their holes; one
	 * whose key another holder keeps (a reading) stays until it lets go */
	struct rec *held = prom_ids_get(&t, "ct:fleet-h0000/system.slice/docker-1.scope");
	ck_assert_ptr_nonnull(held);
	idmap_key_ref(held->id);
	prom_ids_sweep(&t, keep_even, NULL);
	ck_assert_str_eq(held->id, "ct:fleet-h0000/system.slice/docker-1.scope");
	ck_assert_int_eq(held->n, 1);
	idmap_key_unref(held->id);
	ck_assert_uint_eq(t.count, N / 2);
	for (int i = 0; i < N; i++) {
		struct rec *probe = rec_new(i), *r = prom_ids_get(&t, probe->id);
		if (i % 2)
			ck_assert_ptr_null(r);
		else
			ck_assert(r && r->n == i);
		idmap_key_unref(probe->id);
	}
	/* a record made again takes the place of the old one */
	struct rec *old = prom_ids_get(&t, "ct:fleet-h0000/system.slice/docker-42.scope"), *again = rec_new(42);
	again->n = -42;
	prom_ids_replace(&t, old, again);
	ck_assert_ptr_eq(prom_ids_get(&t, "ct:fleet-h0000/system.slice/docker-42.scope"), again);
	ck_assert_uint_eq(t.count, N / 2);
	/* nothing goes: the table stays as it is */
	void **slots = t.slot;
	prom_ids_sweep(&t, keep_even, NULL);
	ck_assert_ptr_eq(t.slot, slots);
	/* all gone: the table shrinks and takes new records */
	prom_ids_sweep(&t, keep_none, NULL);
	ck_assert_uint_eq(t.count, 0);
	ck_assert_uint_eq(t.cap, 64);
	prom_ids_add(&t, rec_new(7));
	ck_assert_ptr_nonnull(prom_ids_get(&t, "ct:fleet-h0000/system.slice/docker-7.scope"));
	prom_ids_done(&t);
	ck_assert_uint_eq(t.cap, 0);
	ck_assert_ptr_null(prom_ids_get(&t, "ct:fleet-h0000/system.slice/docker-7.scope"));
	prom_ids_done(&t);
}
END_TEST

static Suite *prom_ids_suite(void)
{
	Suite *s = suite_create("prom_ids");
	TCase *tc = tcase_create("ids");

	tcase_add_test(tc, add_find_sweep);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(prom_ids_suite)
