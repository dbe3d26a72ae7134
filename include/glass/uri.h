/* uri.h: glass never prints credentials from a URI.  Every URI that reaches
 * a view, a log line or an error message goes through uri_redact first. */
#ifndef GLASS_URI_H
#define GLASS_URI_H

#include <stdbool.h>
#include <stddef.h>

/* A copy of uri with the password of `user:pass@` and the value of every
 * query parameter whose name looks like a secret replaced by "***".
 * Returns a new string (the caller's). */
char *uri_redact(const char *uri);

/* A copy of uri without the password of `user:pass@` (`user@` stays), or
 * NULL when it has none.  The caller's string. */
char *uri_without_password(const char *uri);

/* True when a query parameter of this name would carry a secret. */
bool uri_param_is_secret(const char *name, size_t len);

#endif
