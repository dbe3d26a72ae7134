/* The id map: lookups, replacement, values kept in their entries, and
 * sweeps, across the growth of its buckets. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/idmap.h"
#include "unit.h"

#define N 5000

struct rec {
	uint64_t n;
	double d;
	char *owned; /* freed by the map's callback */
};

static size_t freed;

static void rec_clear(void *p)
{
	struct rec *r = p;

	free(r->owned);
	freed++;
}

static int keep_even(void *value, void *arg)
{
	(void)arg;
	return ((struct rec *)value)->n % 2 == 0;
}

static void id_of(char *buf, size_t len, int i)
{
	/* long ids as the model's are, with a common prefix */
	snprintf(buf, len, "ct:node%04d/system.slice/docker-%08x.scope", i % 1000, (unsigned)i * 2654435761u);
}

START_TEST(inline_values_live_in_their_entries)
{
	struct idmap *m = idmap_new();
	char id[96];

	freed = 0;
	for (int i = 0; i < N; i++) {
		id_of(id, sizeof(id), i);
		ck_assert_ptr_null(idmap_get(m, id));
		struct rec *r = idmap_add_inline(m, id, sizeof(*r));
		ck_assert_msg(r->n == 0 && r->d == 0 && r->owned == NULL, "zeroed");
		ck_assert_msg(((uintptr_t)r & 7) == 0, "aligned for doubles");
		r->n = (uint64_t)i;
		r->d = i * 0.5;
		r->owned = strdup(id);
	}
	ck_assert_uint_eq(idmap_count(m), N);
	for (int i = 0; i < N; i++) {
		id_of(id, sizeof(id), i);
		struct rec *r = idmap_get(m, id);
		ck_assert_ptr_nonnull(r);
		ck_assert_uint_eq(r->n, (uint64_t)i);
		ck_assert(r->d == i * 0.5);
		ck_assert_str_eq(r->owned, id);
	}
	idmap_sweep(m, keep_even, NULL, rec_clear);
	ck_assert_uint_eq(idmap_count(m), N / 2);
	ck_assert_uint_eq(freed, N / 2);
	ck_assert_uint_eq(idmap_removed(m), N / 2); /* what hints are stamped with */
	for (int i = 0; i < N; i++) {
		id_of(id, sizeof(id), i);
		struct rec *r = idmap_get(m, id);
		if (i % 2)
			ck_assert_ptr_null(r);
		else
			ck_assert_uint_eq(r->n, (uint64_t)i);
	}
	idmap_free(m, rec_clear);
	ck_assert_uint_eq(freed, N);
}
END_TEST

START_TEST(put_replaces_and_returns_the_old_value)
{
	struct idmap *m = idmap_new();
	int a = 1, b = 2;

	ck_assert_ptr_null(idmap_put(m, "host:h", &a));
	ck_assert_ptr_eq(idmap_put(m, "host:h", &b), &a);
	ck_assert_ptr_eq(idmap_get(m, "host:h"), &b);
	ck_assert_ptr_null(idmap_get(m, "host:"));
	ck_assert_ptr_null(idmap_get(m, "host:hh"));
	ck_assert_ptr_nonnull(idmap_add_inline(m, "", 1)); /* an empty key is a key */
	ck_assert_uint_eq(idmap_count(m), 2);
	idmap_free(m, NULL);
}
END_TEST

/* A hint is tried first; a wrong one costs a lookup, never a wrong answer. */
START_TEST(hinted_lookups)
{
	struct idmap *m = idmap_new();
	struct idmap_entry *ha = NULL, *hb = NULL, *none = NULL;
	int *a = idmap_add_inline_hinted(m, "ct:h/a", sizeof(int), &ha);
	int *b = idmap_add_inline(m, "ct:h/b", sizeof(int));

	*a = 1;
	*b = 2;
	ck_assert_ptr_nonnull(ha);
	ck_assert_ptr_eq(idmap_get_hinted(m, "ct:h/a", &ha), a);
	ck_assert_ptr_eq(idmap_get_hinted(m, "ct:h/b", &hb), b); /* found: now its hint */
	ck_assert_ptr_nonnull(hb);
	struct idmap_entry *wrong = ha;
	ck_assert_ptr_eq(idmap_get_hinted(m, "ct:h/b", &wrong), b);
	ck_assert_ptr_eq(wrong, hb);
	wrong = ha;
	ck_assert_ptr_null(idmap_get_hinted(m, "ct:h/c", &wrong));
	ck_assert_ptr_null(wrong);
	ck_assert_ptr_null(idmap_get_hinted(m, "ct:h/c", &none));
	ck_assert_uint_eq(idmap_removed(m), 0);
	idmap_free(m, NULL);
}
END_TEST

static Suite *idmap_suite(void)
{
	Suite *s = suite_create("idmap");
	TCase *tc = tcase_create("map");

	tcase_add_test(tc, inline_values_live_in_their_entries);
	tcase_add_test(tc, put_replaces_and_returns_the_old_value);
	tcase_add_test(tc, hinted_lookups);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(idmap_suite)
