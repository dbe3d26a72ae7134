/* idmap.h: a string-keyed hash map.  The model keys rate state, and the
 * tree keys nodes, by stable id (DESIGN.md §2). */
#ifndef GLASS_IDMAP_H
#define GLASS_IDMAP_H

#include <stddef.h>
#include <stdint.h>

struct idmap;
struct idmap_entry;

struct idmap *idmap_new(void);
/* Frees the map; free_value (may be NULL) is called on every value. */
void idmap_free(struct idmap *m, void (*free_value)(void *));
void *idmap_get(const struct idmap *m, const char *key);
/* The maps' hash of an id of len bytes (every byte counts in the low
 * bits): for a table of ids of its own, as a source's records. */
uint64_t idmap_hash(const char *s, size_t len);
/* A map whose keys are shared keys (below) that it holds rather than
 * copies: the ids of one node in several maps are one string.  What it
 * adds must be a shared key; lookups take any string. */
struct idmap *idmap_new_borrowing(void);
/* A map whose entries either copy their key, as idmap_new's (idmap_put,
 * idmap_add_inline...), or hold a shared key given them
 * (idmap_add_inline_held): ids that come as shared keys are kept once,
 * the others copied once.  idmap_entry_key gives an entry's key. */
struct idmap *idmap_new_sharing(void);
/* Inserts or replaces (the old value is returned); the key is copied
 * (held, in a borrowing map). */
void *idmap_put(struct idmap *m, const char *key, void *value);
/* Adds `key` (not in the map) with `size` zeroed bytes of value kept in
 * its entry: one allocation per id, and the value beside the key a
 * lookup has just read; aligned for pointers, doubles and 64-bit
 * integers.  The value lives as long as the entry: a map of
 * such values is given free_value callbacks that free only what the value
 * points to (or NULL), and never idmap_put. */
void *idmap_add_inline(struct idmap *m, const char *key, size_t size);
/* The key of a value idmap_add_inline made in a borrowing map (the
 * value's place gives its entry; NULL in another map): idmap_sweep
 * hands over values only. */
const char *idmap_key_of_inline(const struct idmap *m, const void *value);
/* Removes every entry for which keep() says no, freeing its value. */
void idmap_sweep(struct idmap *m, int (*keep)(void *value, void *arg), void *arg,
		 void (*free_value)(void *));
size_t idmap_count(const struct idmap *m);
/* How many entries the map has removed since it was made: a caller that
 * keeps entries as hints (below) knows they are all still there while
 * this has not moved. */
uint64_t idmap_removed(const struct idmap *m);

/* In a sharing map: idmap_add_inline_hinted, holding `key` (a shared
 * key) rather than copying it. */
void *idmap_add_inline_held(struct idmap *m, const char *key, size_t size, struct idmap_entry **hint);

/* Lookups with a hint: a caller that asks for the same keys in the same
 * order every refresh (a source's nodes, a tree's) keeps the entry each
 * one found, and the next lookup of that position compares one key
 * instead of hashing and walking a bucket.  *hint is NULL or an entry
 * still in m; it is set to the entry found (NULL when none). */
struct idmap_entry;
void *idmap_get_hinted(const struct idmap *m, const char *key, struct idmap_entry **hint);
/* idmap_add_inline, setting *hint to the new entry. */
void *idmap_add_inline_hinted(struct idmap *m, const char *key, size_t size,
			      struct idmap_entry **hint);

/* Shared keys: every entry of a map that is not borrowing is also a
 * shared copy of its key, counted: it outlives its removal from the map
 * (its value's content freed, its bytes not) while a holder keeps it.
 * idmap_key_of gives an entry's key (valid while the entry is in its map;
 * take a reference to keep it longer).  idmap_key_new makes one outside
 * any map, held once.  The counts are atomic: a tree's nodes hold keys
 * and may be freed on another thread. */
const char *idmap_key_of(const struct idmap_entry *e);
const char *idmap_key_new(const char *s);
/* A shared key made outside any map with `size` zeroed bytes beside it
 * for its holder (aligned as idmap_add_inline's): a record and its id in
 * one allocation, freed with the key's last reference; *key is set to
 * the key.  The record is the holder's only while it holds the key. */
void *idmap_key_new_inline(const char *s, size_t size, const char **key);
/* The key entry e stands for in m: its own, or in a borrowing map the
 * shared key it holds (valid while the entry is in its map). */
const char *idmap_entry_key(const struct idmap *m, const struct idmap_entry *e);
const char *idmap_key_ref(const char *key);
void idmap_key_unref(const char *key); /* NULL: nothing */

#endif
