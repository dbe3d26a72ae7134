#include "glass/str_pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glass/xalloc.h"

/* Words up to this long are pooled: states and runtimes are a word or
 * two; ids and names, which are unique, never are. */
#define POOL_STR_MAX 31
#define POOL_SLOTS 256 /* a power of two; at most half of them used */
#define POOL_BYTES (POOL_SLOTS / 2 * (POOL_STR_MAX + 1))

static char storage[POOL_BYTES];
static size_t used_bytes; /* under lock */
static size_t n_used;     /* under lock */
static _Atomic(const char *) slots[POOL_SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static bool pooled(const char *s)
{
	return (uintptr_t)s >= (uintptr_t)storage && (uintptr_t)s < (uintptr_t)(storage + POOL_BYTES);
}

static size_t hash_str(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h & (POOL_SLOTS - 1);
}

/* The slot holding s, or the empty slot where it would go (NULL in *hit). */
static size_t probe(const char *s, size_t len, const char **hit)
{
	size_t i = hash_str(s, len);

	for (;;) {
		const char *p = atomic_load_explicit(&slots[i], memory_order_acquire);
		if (!p || strcmp(p, s) == 0) {
			*hit = p;
			return i;
		}
		i = (i + 1) & (POOL_SLOTS - 1);
	}
}

const char *str_pool(const char *s)
{
	const char *hit;
	size_t len, i;

	if (!s)
		return NULL;
	if (pooled(s))
		return s;
	len = strlen(s);
	if (len > POOL_STR_MAX)
		return xstrdup(s);
	probe(s, len, &hit);
	if (hit)
		return hit;
	pthread_mutex_lock(&lock);
	i = probe(s, len, &hit); /* another thread may have added it */
	if (!hit && n_used < POOL_SLOTS / 2 && used_bytes + len + 1 <= POOL_BYTES) {
		char *copy = storage + used_bytes;

		memcpy(copy, s, len + 1);
		used_bytes += len + 1;
		n_used++;
		atomic_store_explicit(&slots[i], copy, memory_order_release);
		hit = copy;
	}
	pthread_mutex_unlock(&lock);
	return hit ? hit : xstrdup(s);
}

const char *str_pool_share(const char *s)
{
	if (!s || pooled(s))
		return s;
	return xstrdup(s);
}

void str_pool_free(const char *s)
{
	if (!pooled(s))
		free((void *)s);
}
