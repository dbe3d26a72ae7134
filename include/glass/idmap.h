/* idmap.h: a string-keyed hash map.  The model keys rate state, and the
 * tree keys nodes, by stable id (DESIGN.md §2). */
#ifndef GLASS_IDMAP_H
#define GLASS_IDMAP_H

#include <stddef.h>

struct idmap;

struct idmap *idmap_new(void);
/* Frees the map; free_value (may be NULL) is called on every value. */
void idmap_free(struct idmap *m, void (*free_value)(void *));
void *idmap_get(const struct idmap *m, const char *key);
/* Inserts or replaces (the old value is returned); the key is copied. */
void *idmap_put(struct idmap *m, const char *key, void *value);
/* Removes every entry for which keep() says no, freeing its value. */
void idmap_sweep(struct idmap *m, int (*keep)(void *value, void *arg), void *arg,
		 void (*free_value)(void *));
size_t idmap_count(const struct idmap *m);

#endif
