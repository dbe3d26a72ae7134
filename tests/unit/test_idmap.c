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

static int keep_even_int(void *value, void *arg)
{
	(void)arg;
	return *(int *)value % 2 == 0;
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

static int keep_none(void *value, void *arg)
{
	(void)value;
	(void)arg;
	return 0;
}

/* One id in several maps is one string: a borrowing map holds the key
 * another map's entry shares, which outlives its own map's sweep and
 * free while held (valgrind and ASan see the frees). */
START_TEST(shared_keys_outlive_their_maps)
{
	struct idmap *owner = idmap_new(), *a = idmap_new_borrowing(), *b = idmap_new_borrowing();
	struct idmap_entry *hint = NULL;
	const char *keys[N];
	char id[96];

	for (int i = 0; i < N; i++) {
		id_of(id, sizeof(id), i);
		struct rec *r = idmap_add_inline_hinted(owner, id, sizeof(*r), &hint);
		r->n = (uint64_t)i;
		keys[i] = idmap_key_of(hint);
		ck_assert_str_eq(keys[i], id);
		*(int *)idmap_add_inline(a, keys[i], sizeof(int)) = i;
		ck_assert_ptr_null(idmap_put(b, keys[i], &keys[i]));
	}
	/* the owner's entries go; the borrowers still find every id, by
	 * any copy of it */
	idmap_sweep(owner, keep_none, NULL, NULL);
	ck_assert_uint_eq(idmap_count(owner), 0);
	idmap_free(owner, NULL);
	const char *held = idmap_key_ref(keys[7]);
	for (int i = 0; i < N; i++) {
		id_of(id, sizeof(id), i);
		int *v = idmap_get(a, id);
		ck_assert_ptr_nonnull(v);
		ck_assert_int_eq(*v, i);
		ck_assert_ptr_eq(idmap_key_of_inline(a, v), keys[i]); /* the value gives its key */
		ck_assert_ptr_eq(idmap_get(b, id), &keys[i]);
		struct idmap_entry *h = NULL;
		ck_assert_ptr_eq(idmap_get_hinted(a, keys[i], &h), v);
		ck_assert_ptr_eq(idmap_get_hinted(a, keys[i], &h), v); /* by its hint */
	}
	idmap_sweep(a, keep_even_int, NULL, NULL);
	ck_assert_uint_eq(idmap_count(a), N / 2);
	idmap_free(a, NULL);
	idmap_free(b, NULL);
	id_of(id, sizeof(id), 7);
	ck_assert_str_eq(held, id); /* held past every map */
	idmap_key_unref(held);

	/* a key made outside any map */
	const char *k = idmap_key_new("vm:host/one");
	struct idmap *c = idmap_new_borrowing();
	idmap_add_inline(c, k, 8);
	idmap_key_unref(k);
	ck_assert_ptr_nonnull(idmap_get(c, "vm:host/one"));
	idmap_free(c, NULL);
	idmap_key_unref(NULL);
}
END_TEST

/* A sharing map: the even ids come as shared keys and are held, the odd
 * ones copied; every one is found by any copy of its text and gives its
 * key; what goes lets go of its key, which a holder keeps; a key made by
 * idmap_key_new_inline carries its record. */
START_TEST(sharing_map_holds_or_copies)
{
	struct idmap *m = idmap_new_sharing();
	const char *given[N], *key[N];
	char id[96];

	for (int i = 0; i < N; i++) {
		struct idmap_entry *h = NULL;
		int *v;
		id_of(id, sizeof(id), i);
		given[i] = i % 2 ? NULL : idmap_key_new(id);
		v = given[i] ? idmap_add_inline_held(m, given[i], sizeof(int), &h)
			     : idmap_add_inline_hinted(m, id, sizeof(int), &h);
		*v = i;
		key[i] = idmap_entry_key(m, h);
		ck_assert_str_eq(key[i], id);
		if (given[i])
			ck_assert_ptr_eq(key[i], given[i]); /* held, not copied */
		else
			ck_assert_ptr_eq(key[i], idmap_key_of(h)); /* the entry's own */
	}
	for (int i = 0; i < N; i++) {
		struct idmap_entry *h = NULL;
		id_of(id, sizeof(id), i);
		int *v = idmap_get(m, id);
		ck_assert(v && *v == i);
		ck_assert_ptr_eq(idmap_get_hinted(m, key[i], &h), v);
		ck_assert_ptr_eq(idmap_entry_key(m, h), key[i]);
		if (given[i])
			idmap_key_unref(given[i]); /* the map holds it still */
	}
	const char *held_even = idmap_key_ref(key[4]), *held_odd = idmap_key_ref(key[5]);
	idmap_sweep(m, keep_even_int, NULL, NULL);
	ck_assert_uint_eq(idmap_count(m), N / 2);
	ck_assert_ptr_null(idmap_get(m, key[5]));
	ck_assert_ptr_nonnull(idmap_get(m, key[4]));
	idmap_free(m, NULL);
	id_of(id, sizeof(id), 4);
	ck_assert_str_eq(held_even, id);
	id_of(id, sizeof(id), 5);
	ck_assert_str_eq(held_odd, id);
	idmap_key_unref(held_even);
	idmap_key_unref(held_odd);

	const char *k;
	uint64_t *rec = idmap_key_new_inline("ct:h/a", 3 * sizeof(uint64_t), &k);
	ck_assert_str_eq(k, "ct:h/a");
	ck_assert(rec[0] == 0 && rec[2] == 0);
	rec[2] = 42;
	ck_assert_str_eq(k, "ct:h/a");
	idmap_key_unref(k);
}
END_TEST

static Suite *idmap_suite(void)
{
	Suite *s = suite_create("idmap");
	TCase *tc = tcase_create("map");

	tcase_add_test(tc, inline_values_live_in_their_entries);
	tcase_add_test(tc, put_replaces_and_returns_the_old_value);
	tcase_add_test(tc, hinted_lookups);
	tcase_add_test(tc, shared_keys_outlive_their_maps);
	tcase_add_test(tc, sharing_map_holds_or_copies);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(idmap_suite)
