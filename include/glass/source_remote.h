/* source_remote.h: a remote host's own glass, over OpenSSH
 * (glass+ssh://[user@]host[:port]).  The far side runs
 * `glass -b -n 0 --format json --no-libvirt` and streams snapshots; each
 * line becomes that host's subtree here: its host node and containers. */
#ifndef GLASS_SOURCE_REMOTE_H
#define GLASS_SOURCE_REMOTE_H

#include <stdbool.h>

#include "glass/errbuf.h"
#include "glass/source.h"

#define REMOTE_SCHEME "glass+ssh://"
/* A snapshot line longer than this is not a glass snapshot. */
#define REMOTE_MAX_LINE (16u * 1024 * 1024)

struct remote_params {
	const char *ssh;     /* the ssh command and its options, split on spaces */
	const char *command; /* the remote glass, possibly with options */
	double interval_s;
};

bool source_remote_uri(const char *uri);
/* NULL with err for a URI that is not glass+ssh://[user@]host[:port]. */
struct source *source_remote_new(const char *uri, const struct remote_params *params,
				 struct errbuf *err);

#endif
