#include "glass/idmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glass/xalloc.h"

struct idmap_entry {
	struct idmap_entry *next;
	uint64_t hash;
	void *value; /* for idmap_add_inline, in this allocation after the key */
	char key[]; /* NUL-terminated */
};

struct idmap {
	struct idmap_entry **buckets;
	size_t n_buckets; /* a power of two */
	size_t count;
	uint64_t removed;
};

/* Eight bytes a step, then a final mix so that the low bits (the bucket)
 * depend on every byte: ids are long (ct:HOST/a/cgroup/path.scope) and
 * looked up several times per node per refresh, where a byte-at-a-time
 * hash cost more than the rest of the lookup.  No adversary worth a keyed
 * hash here. */
static uint64_t hash_key(const char *s, size_t len)
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
			free(e);
			e = next;
		}
	}
	free(m->buckets);
	free(m);
}

void *idmap_get(const struct idmap *m, const char *key)
{
	uint64_t h = hash_key(key, strlen(key));

	for (struct idmap_entry *e = m->buckets[h & (m->n_buckets - 1)]; e; e = e->next)
		if (e->hash == h && strcmp(e->key, key) == 0)
			return e->value;
	return NULL;
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

static struct idmap_entry *find(const struct idmap *m, const char *key, uint64_t h)
{
	for (struct idmap_entry *e = m->buckets[h & (m->n_buckets - 1)]; e; e = e->next)
		if (e->hash == h && strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

/* A new entry of `extra` bytes after its key, linked in. */
static struct idmap_entry *add(struct idmap *m, const char *key, size_t klen, uint64_t h,
			       size_t extra)
{
	if (m->count >= m->n_buckets)
		idmap_grow(m);
	struct idmap_entry *e = xmalloc(sizeof(*e) + klen + 1 + extra);
	memcpy(e->key, key, klen + 1);
	e->hash = h;
	size_t i = h & (m->n_buckets - 1);
	e->next = m->buckets[i];
	m->buckets[i] = e;
	m->count++;
	return e;
}

void *idmap_put(struct idmap *m, const char *key, void *value)
{
	size_t klen = strlen(key);
	uint64_t h = hash_key(key, klen);
	struct idmap_entry *e = find(m, key, h);

	if (e) {
		void *old = e->value;
		e->value = value;
		return old;
	}
	add(m, key, klen, h, 0)->value = value;
	return NULL;
}

/* what a value holds: pointers, doubles, 64-bit integers */
#define VALUE_ALIGN 8

static struct idmap_entry *add_inline(struct idmap *m, const char *key, size_t size)
{
	size_t klen = strlen(key);
	uint64_t h = hash_key(key, klen);
	size_t at = (sizeof(struct idmap_entry) + klen + 1 + VALUE_ALIGN - 1) / VALUE_ALIGN * VALUE_ALIGN;
	struct idmap_entry *e = add(m, key, klen, h, at - sizeof(*e) - klen - 1 + size);

	e->value = (char *)e + at;
	memset(e->value, 0, size);
	return e;
}

void *idmap_add_inline(struct idmap *m, const char *key, size_t size)
{
	return add_inline(m, key, size)->value;
}

void *idmap_add_inline_hinted(struct idmap *m, const char *key, size_t size,
			      struct idmap_entry **hint)
{
	*hint = add_inline(m, key, size);
	return (*hint)->value;
}

void *idmap_get_hinted(const struct idmap *m, const char *key, struct idmap_entry **hint)
{
	struct idmap_entry *e = *hint;

	if (e && strcmp(e->key, key) == 0)
		return e->value;
	e = find(m, key, hash_key(key, strlen(key)));
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
			free(e);
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
