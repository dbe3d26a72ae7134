/* source_table.h: every kind of source glass can read, in one table: its
 * name, the URIs it takes, its settings and config keys, how it is made
 * from the options, and its rank (DESIGN.md §1).  Adding a source type is a row here plus its file. */
#ifndef GLASS_SOURCE_TABLE_H
#define GLASS_SOURCE_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/errbuf.h"
#include "glass/options.h"
#include "glass/source.h"
#include "glass/source_config.h"

/* What a source type is made from. */
struct source_env {
	const struct options *opts;
	/* this host's id (host:<name>) when glass watches this host, else
	 * NULL: a remote that reports it is refused, never merged */
	const char *local_host_id;
};

struct source_type {
	const char *kind;    /* the sources' ops->kind */
	const char *schemes; /* the URIs it takes, as --help names them; NULL: local only */
	/* Its settings and config keys (source_config.h), in its own
	 * <kind>_config.c; NULL: none. */
	const struct source_config *config;
	/* Does a -c URI belong to this type?  NULL: it takes no URI. */
	bool (*claims)(const char *uri);
	/* Makes the source for uri; NULL with err set is a usage error. */
	struct source *(*make)(const char *uri, struct source_env *env, struct errbuf *err);
	/* Makes this host's own source when the options ask for it, in the
	 * table's order; NULL without err: nothing to add.  NULL: the type
	 * has no local source. */
	struct source *(*make_local)(struct source_env *env, struct errbuf *err);
};

/* The types in rank order: where several sources report the same node,
 * the first type's source owns it (the one that measures it most
 * directly), and a later one fills its gaps. */
extern const struct source_type source_types[];
extern const size_t n_source_types;

/* The rank of a kind (its row); unknown kinds rank last. */
int source_type_rank(const char *kind);
/* The type a -c URI names; the fallback (libvirt, which takes any URI
 * libvirt knows) when no other type claims it. */
const struct source_type *source_type_for_uri(const char *uri);

#endif
