/* The Prometheus source's records by id (prom_ids.h): linear probing
 * over a table at most three quarters full. */
#include "glass/prom_ids.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glass/idmap.h"
#include "glass/xalloc.h"

void prom_ids_init(struct prom_ids *t, size_t key_off)
{
	*t = (struct prom_ids){.key_off = key_off};
}

static const char *key_of(const struct prom_ids *t, const void *rec)
{
	const char *key;

	memcpy(&key, (const char *)rec + t->key_off, sizeof(key));
	return key;
}

/* The record goes with its key's last reference. */
static void drop(const struct prom_ids *t, void *rec)
{
	idmap_key_unref(key_of(t, rec));
}

static size_t hash(const char *s)
{
	return (size_t)idmap_hash(s, strlen(s));
}

/* Where rec goes in slots (cap of them, none with its id). */
static void place(void **slot, size_t cap, const struct prom_ids *t, void *rec)
{
	size_t i = hash(key_of(t, rec)) & (cap - 1);

	while (slot[i])
		i = (i + 1) & (cap - 1);
	slot[i] = rec;
}

/* The table again at cap slots, its records in them. */
static void rehash(struct prom_ids *t, size_t cap)
{
	void **slot = xcalloc(cap, sizeof(*slot));

	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i])
			place(slot, cap, t, t->slot[i]);
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
}

void prom_ids_done(struct prom_ids *t)
{
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i])
			drop(t, t->slot[i]);
	free(t->slot);
	prom_ids_init(t, t->key_off);
}

void *prom_ids_get(const struct prom_ids *t, const char *id)
{
	if (!t->cap)
		return NULL;
	for (size_t i = hash(id) & (t->cap - 1); t->slot[i]; i = (i + 1) & (t->cap - 1))
		if (strcmp(key_of(t, t->slot[i]), id) == 0)
			return t->slot[i];
	return NULL;
}

void prom_ids_add(struct prom_ids *t, void *rec)
{
	if ((t->count + 1) * 4 > t->cap * 3)
		rehash(t, t->cap ? t->cap * 2 : 64);
	place(t->slot, t->cap, t, rec);
	t->count++;
}

void prom_ids_replace(struct prom_ids *t, void *old, void *rec)
{
	for (size_t i = hash(key_of(t, old)) & (t->cap - 1); t->slot[i]; i = (i + 1) & (t->cap - 1))
		if (t->slot[i] == old) {
			t->slot[i] = rec;
			drop(t, old);
			return;
		}
}

/* A removal leaves a hole a probe would stop at: the table is made again
 * (only when something went, which a steady fleet seldom does). */
void prom_ids_sweep(struct prom_ids *t, int (*keep)(void *rec, void *arg), void *arg)
{
	size_t gone = 0;

	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i] && !keep(t->slot[i], arg)) {
			drop(t, t->slot[i]);
			t->slot[i] = NULL;
			gone++;
		}
	if (!gone)
		return;
	t->count -= gone;
	size_t cap = t->cap;
	while (cap > 64 && t->count * 4 < cap) /* shrinks when a quarter full */
		cap /= 2;
	rehash(t, cap);
}
