/* source_remote.h: a remote host's own glass, over OpenSSH
 * (glass+ssh://[user@]host[:port]).  The far side runs
 * `glass -b -n 0 --format json --no-libvirt` and streams snapshots; each
 * line becomes that host's subtree here: its host node and containers.
 * A remote speaks only for ids under its own host, and a host name that
 * this host or another remote already has is refused, never merged. */
#ifndef GLASS_SOURCE_REMOTE_H
#define GLASS_SOURCE_REMOTE_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/errbuf.h"
#include "glass/source.h"
#include "glass/source_config.h"

#define REMOTE_SCHEME "glass+ssh://"
/* A snapshot line longer than this is not a glass snapshot. */
#define REMOTE_MAX_LINE (16u * 1024 * 1024)
/* The default cap on the nodes of one remote snapshot (remote.max_nodes):
 * a line under the byte cap can still hold hundreds of thousands. */
#define REMOTE_MAX_NODES 100000

struct remote_params {
	const char *ssh;     /* the ssh command and its options, split on spaces */
	const char *command; /* the remote glass, possibly with options */
	double interval_s;
	size_t max_nodes;    /* past it the remote is unreachable; 0: REMOTE_MAX_NODES */
	/* this host's id (host:<name>) when glass watches it, else NULL: a
	 * remote that reports this name is refused, never merged */
	const char *local_host_id;
};

/* Its settings (config remote.*, remote_config.c); `host = URI` watches
 * a remote as -c does. */
struct remote_settings {
	char *ssh;        /* remote.ssh: the ssh command; NULL = "ssh" */
	char *command;    /* remote.command: the far glass; NULL = "glass" */
	size_t max_nodes; /* remote.max_nodes; 0 = the default */
};
extern const struct source_config remote_config;

bool source_remote_uri(const char *uri);
/* NULL with err for a URI that is not glass+ssh://[user@]host[:port]. */
struct source *source_remote_new(const char *uri, const struct remote_params *params,
				 struct errbuf *err);

#endif
