#include "glass/idmap.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glass/xalloc.h"

/* An entry is also its key's shared copy (idmap_key_of): it is freed
 * when neither its map nor any holder of its key refers to it.  In a
 * borrowing map key[] holds a pointer to another entry's key instead, as
 * it does in a sharing map's entries that hold a key (refs 0 there:
 * nobody holds such an entry, where a key's entry is held by its map). */
struct idmap_entry {
	struct idmap_entry *next;
	void *value; /* for idmap_add_inline, in this allocation after the key */
	uint32_t hash;
	_Atomic uint32_t refs;
	char key[]; /* NUL-terminated */
};

struct idmap {
	struct idmap_entry **buckets;
	size_t n_buckets; /* a power of two */
	size_t count;
	uint64_t removed;
	bool borrows; /* keys are shared keys, held (idmap_new_borrowing) */
	bool shares;  /* some are (idmap_new_sharing): those with refs 0 */
};

static struct idmap_entry *entry_of(const char *key)
{
	return (struct idmap_entry *)(void *)(key - offsetof(struct idmap_entry, key));
}

const char *idmap_key_new(const char *s)
{
	size_t len = strlen(s);
	struct idmap_entry *e = xmalloc(sizeof(*e) + len + 1);

	e->next = NULL;
	e->value = NULL;
	e->hash = 0;
	atomic_init(&e->refs, 1);
	memcpy(e->key, s, len + 1);
	return e->key;
}

/* what a value holds: pointers, doubles, 64-bit integers */
#define VALUE_ALIGN 8

void *idmap_key_new_inline(const char *s, size_t size, const char **key)
{
	size_t len = strlen(s);
	size_t at = (sizeof(struct idmap_entry) + len + 1 + VALUE_ALIGN - 1) / VALUE_ALIGN * VALUE_ALIGN;
	struct idmap_entry *e = xmalloc(at + size);

	e->next = NULL;
	e->value = (char *)e + at;
	e->hash = 0;
	atomic_init(&e->refs, 1);
	memcpy(e->key, s, len + 1);
	memset(e->value, 0, size);
	*key = e->key;
	return e->value;
}

const char *idmap_key_ref(const char *key)
{
	atomic_fetch_add_explicit(&entry_of(key)->refs, 1, memory_order_relaxed);
	return key;
}

void idmap_key_unref(const char *key)
{
	if (!key)
		return;
	struct idmap_entry *e = entry_of(key);
	if (atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) == 1)
		free(e);
}

const char *idmap_key_of(const struct idmap_entry *e)
{
	return e->key;
}

/* Does the entry hold a shared key rather than being its key? */
static bool holds(const struct idmap *m, const struct idmap_entry *e)
{
	return m->borrows || (m->shares && atomic_load_explicit(&e->refs, memory_order_relaxed) == 0);
}

/* The key an entry stands for: its own, or the one it borrows. */
static const char *ekey(const struct idmap *m, const struct idmap_entry *e)
{
	const char *k;

	if (!holds(m, e))
		return e->key;
	memcpy(&k, e->key, sizeof(k));
	return k;
}

const char *idmap_entry_key(const struct idmap *m, const struct idmap_entry *e)
{
	return ekey(m, e);
}

/* Unlinked from its map: its value's content is already freed. */
static void entry_drop(const struct idmap *m, struct idmap_entry *e)
{
	if (holds(m, e)) {
		idmap_key_unref(ekey(m, e));
		free(e);
	} else {
		idmap_key_unref(e->key);
	}
}

/* Eight bytes a step, then a final mix so that the low bits (the bucket)
 * depend on every byte: ids are long (ct:HOST/a/cgroup/path.scope) and
 * looked up several times per node per refresh, where a byte-at-a-time
 * hash cost more than the rest of the lookup.  No adversary worth a keyed
 * hash here. */
uint64_t idmap_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, len);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

struct idmap *idmap_new(void)
{
	struct idmap *m = xcalloc(1, sizeof(*m));

	m->n_buckets = 64;
	m->buckets = xcalloc(m->n_buckets, sizeof(*m->buckets));
	return m;
}

struct idmap *idmap_new_borrowing(void)
{
	struct idmap *m = idmap_new();

	m->borrows = true;
	return m;
}

struct idmap *idmap_new_sharing(void)
{
	struct idmap *m = idmap_new();

	m->shares = true;
	return m;
}

void idmap_free(struct idmap *m, void (*free_value)(void *))
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_buckets; i++) {
		struct idmap_entry *e = m->buckets[i];
		while (e) {
			struct idmap_entry *next = e->next;
			if (free_value)
				free_value(e->value);
			entry_drop(m, e);
			e = next;
		}
	}
	free(m->buckets);
	free(m);
}

static struct idmap_entry *find(const struct idmap *m, const char *key, uint64_t h)
{
	for (struct idmap_entry *e = m->buckets[h & (m->n_buckets - 1)]; e; e = e->next)
		if (e->hash == (uint32_t)h && strcmp(ekey(m, e), key) == 0)
			return e;
	return NULL;
}

void *idmap_get(const struct idmap *m, const char *key)
{
	struct idmap_entry *e = find(m, key, idmap_hash(key, strlen(key)));

	return e ? e->value : NULL;
}

static void idmap_grow(struct idmap *m)
{
	size_t n = m->n_buckets * 2;
	struct idmap_entry **b = xcalloc(n, sizeof(*b));

	for (size_t i = 0; i < m->n_buckets; i++) {
		struct idmap_entry *e = m->buckets[i];
		while (e) {
			struct idmap_entry *next = e->next;
			size_t j = e->hash & (n - 1);
			e->next = b[j];
			b[j] = e;
			e = next;
		}
	}
	free(m->buckets);
	m->buckets = b;
	m->n_buckets = n;
}

/* The bytes key[] takes in an entry of m (holding a shared key). */
static size_t key_bytes(const struct idmap *m, size_t klen, bool hold)
{
	return m->borrows || hold ? sizeof(const char *) : klen + 1;
}

/* A new entry of `extra` bytes after its key, linked in; a borrowing map
 * (a sharing map told to hold it) takes a reference on the shared key. */
static struct idmap_entry *add(struct idmap *m, const char *key, size_t klen, uint64_t h,
			       size_t extra, bool hold)
{
	if (m->count >= m->n_buckets)
		idmap_grow(m);
	hold = hold || m->borrows;
	struct idmap_entry *e = xmalloc(sizeof(*e) + key_bytes(m, klen, hold) + extra);
	if (hold) {
		idmap_key_ref(key);
		memcpy(e->key, &key, sizeof(key));
	} else {
		memcpy(e->key, key, klen + 1);
	}
	e->hash = (uint32_t)h;
	atomic_init(&e->refs, hold && m->shares ? 0 : 1);
	size_t i = h & (m->n_buckets - 1);
	e->next = m->buckets[i];
	m->buckets[i] = e;
	m->count++;
	return e;
}

void *idmap_put(struct idmap *m, const char *key, void *value)
{
	size_t klen = strlen(key);
	uint64_t h = idmap_hash(key, klen);
	struct idmap_entry *e = find(m, key, h);

	if (e) {
		void *old = e->value;
		e->value = value;
		return old;
	}
	add(m, key, klen, h, 0, false)->value = value;
	return NULL;
}

static struct idmap_entry *add_inline(struct idmap *m, const char *key, size_t size, bool hold)
{
	size_t klen = strlen(key);
	uint64_t h = idmap_hash(key, klen);
	size_t kb = key_bytes(m, klen, hold);
	size_t at = (sizeof(struct idmap_entry) + kb + VALUE_ALIGN - 1) / VALUE_ALIGN * VALUE_ALIGN;
	struct idmap_entry *e = add(m, key, klen, h, at - sizeof(*e) - kb + size, hold);

	e->value = (char *)e + at;
	memset(e->value, 0, size);
	return e;
}

const char *idmap_key_of_inline(const struct idmap *m, const void *value)
{
	size_t at = (sizeof(struct idmap_entry) + sizeof(const char *) + VALUE_ALIGN - 1) / VALUE_ALIGN *
		    VALUE_ALIGN;

	if (!m->borrows)
		return NULL;
	return ekey(m, (const struct idmap_entry *)(const void *)((const char *)value - at));
}

void *idmap_add_inline(struct idmap *m, const char *key, size_t size)
{
	return add_inline(m, key, size, false)->value;
}

void *idmap_add_inline_hinted(struct idmap *m, const char *key, size_t size,
			      struct idmap_entry **hint)
{
	*hint = add_inline(m, key, size, false);
	return (*hint)->value;
}

void *idmap_add_inline_held(struct idmap *m, const char *key, size_t size, struct idmap_entry **hint)
{
	*hint = add_inline(m, key, size, m->shares);
	return (*hint)->value;
}

void *idmap_get_hinted(const struct idmap *m, const char *key, struct idmap_entry **hint)
{
	struct idmap_entry *e = *hint;

	if (e) {
		const char *k = ekey(m, e);
		/* a borrowing map is mostly asked with the very key it holds */
		if (k == key || strcmp(k, key) == 0)
			return e->value;
	}
	e = find(m, key, idmap_hash(key, strlen(key)));
	*hint = e;
	return e ? e->value : NULL;
}

void idmap_sweep(struct idmap *m, int (*keep)(void *value, void *arg), void *arg,
		 void (*free_value)(void *))
{
	for (size_t i = 0; i < m->n_buckets; i++) {
		struct idmap_entry **pp = &m->buckets[i];
		while (*pp) {
			struct idmap_entry *e = *pp;
			if (keep(e->value, arg)) {
				pp = &e->next;
				continue;
			}
			*pp = e->next;
			if (free_value)
				free_value(e->value);
			entry_drop(m, e);
			m->count--;
			m->removed++;
		}
	}
}

size_t idmap_count(const struct idmap *m)
{
	return m->count;
}

uint64_t idmap_removed(const struct idmap *m)
{
	return m->removed;
}
