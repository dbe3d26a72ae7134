/* xalloc.h: allocation that cannot fail (DESIGN.md §6).
 *
 * Out of memory is the one "impossible" condition glass treats as fatal:
 * xalloc restores the terminal (through the hook a view registers) and
 * exits with a one-line message instead of limping on with NULLs. */
#ifndef GLASS_XALLOC_H
#define GLASS_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* xstrdup that passes NULL through. */
char *xstrdup_or_null(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Called before a fatal exit, e.g. to end curses mode.  (borrowed) */
void xalloc_set_fatal_hook(void (*hook)(void));
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
