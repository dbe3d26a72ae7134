/* prom_ids.h: the Prometheus source's records, one per id it has seen,
 * found by their id.
 *
 * An open-addressed table of pointers to records that live in their
 * id's shared key (idmap_key_new_inline) and point at it (a const char *
 * at a fixed offset in each record): the id is kept once, where a map
 * that copies its keys would keep it twice, and the readings the source
 * makes hold that key rather than a copy.  A fleet has 100,000 ids of
 * ~100 bytes. */
#ifndef GLASS_PROM_IDS_H
#define GLASS_PROM_IDS_H

#include <stddef.h>

struct prom_ids {
	void **slot;    /* NULL: empty; a power of two of them (or none) */
	size_t cap;
	size_t count;
	size_t key_off; /* where a record's id is, in bytes from its start */
};

/* An empty table whose records (idmap_key_new_inline's) keep their key
 * at key_off. */
void prom_ids_init(struct prom_ids *t, size_t key_off);
/* Drops every record (its key's reference) and frees the table. */
void prom_ids_done(struct prom_ids *t);
/* The record of id, NULL when none. */
void *prom_ids_get(const struct prom_ids *t, const char *id);
/* Adds rec, whose id is not in the table yet; the table holds its key's
 * reference. */
void prom_ids_add(struct prom_ids *t, void *rec);
/* Puts rec, whose id is old's, in old's place, and drops old: a record
 * made again (its size changed) keeps its place. */
void prom_ids_replace(struct prom_ids *t, void *old, void *rec);
/* Drops the records keep() says no to. */
void prom_ids_sweep(struct prom_ids *t, int (*keep)(void *rec, void *arg), void *arg);

#endif
