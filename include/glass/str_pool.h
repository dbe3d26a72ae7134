/* str_pool.h: one shared copy of the short strings that repeat on every
 * node of a fleet (a state, a runtime: "running", "systemd").
 *
 * At 100,000 nodes a copy per node in the reading and another in the tree
 * is 64 bytes a node for a handful of distinct words.  The pool is a fixed
 * block for the whole process: a string that does not fit (too long, the
 * pool full: a far side inventing states) gets its own copy, as before, so
 * the pool's size is bounded whatever the input.  Pooled strings are never
 * freed or written; str_pool_free() tells them apart by address.  Safe
 * from any thread: a lookup takes no lock. */
#ifndef GLASS_STR_POOL_H
#define GLASS_STR_POOL_H

/* The pooled copy of s, or a malloc'd copy; NULL for NULL. */
const char *str_pool(const char *s);
/* Another holder of s (pooled or not): the same pointer when pooled,
 * else a copy; NULL for NULL. */
const char *str_pool_share(const char *s);
/* Frees s unless it is pooled (or NULL). */
void str_pool_free(const char *s);

#endif
