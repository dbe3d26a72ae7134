/* errbuf.h: user errors are returned as values (DESIGN.md §6), in a small
 * fixed buffer the caller owns, so a failing path never allocates. */
#ifndef GLASS_ERRBUF_H
#define GLASS_ERRBUF_H

#include <stddef.h>

#define ERRBUF_SIZE 512

struct errbuf {
	char msg[ERRBUF_SIZE];
};

/* Sets the message; returns -1 so callers can `return errbuf_set(...)`. */
int errbuf_set(struct errbuf *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void errbuf_clear(struct errbuf *err);
/* The one way glass tells the operator something on stderr: a line
 * "glass: <what>: <why>" (the newline is added). */
void glass_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
