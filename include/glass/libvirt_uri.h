/* libvirt_uri.h: what glass does to a libvirt URI before and after using
 * it: ssh transports must never ask a question on the terminal, and
 * anything secret in the URI must never reach an output. */
#ifndef GLASS_LIBVIRT_URI_H
#define GLASS_LIBVIRT_URI_H

#include <stdbool.h>

/* True for a transport that runs the ssh binary (qemu+ssh://...). */
bool libvirt_uri_is_ssh(const char *uri);
/* The URI to open: without the password of `user:pass@` (libvirt never
 * uses one, and +ssh would show it on ssh's command line), and an ssh URI
 * gets no_tty=1 unless it names no_tty itself.  The caller's string. */
char *libvirt_uri_prepare(const char *uri);
/* A copy of msg with every secret of uri (the password of user:pass@ and
 * the values of secret-looking query parameters) replaced by "***".  The
 * caller's string. */
char *libvirt_uri_scrub(const char *uri, const char *msg);

#endif
