/* source_libvirt.h: one libvirt hypervisor per URI (DESIGN.md §1, §8).
 *
 * The hypervisor becomes a host node and each of its domains a vm node
 * below it.  The connection is read-only, never prompts for credentials,
 * and is watched by keepalive and a close callback; the poller reopens it
 * with backoff when it breaks. */
#ifndef GLASS_SOURCE_LIBVIRT_H
#define GLASS_SOURCE_LIBVIRT_H

#include "glass/source.h"
#include "glass/source_config.h"

/* Its config key: `hypervisor = URI` watches one as -c does. */
extern const struct source_config libvirt_config;

/* A source for uri; its name is the redacted uri.  Also sets up what
 * libvirt needs process-wide (a quiet error handler, the default event
 * loop on its own thread) the first time: call it from the main thread
 * before pollers start. */
struct source *source_libvirt_new(const char *uri);

/* libvirt API calls that went to the hypervisor during the last sample
 * (the benchmark compares it with per-domain polling). */
unsigned long source_libvirt_last_calls(const struct source *src);

#endif
