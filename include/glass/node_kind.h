/* node_kind.h: the kinds of node in glass's tree (DESIGN.md §2). */
#ifndef GLASS_NODE_KIND_H
#define GLASS_NODE_KIND_H

#include <stdbool.h>

enum node_kind {
	NODE_SITE,
	NODE_HOST,
	NODE_VM,
	NODE_GROUP,
	NODE_CONTAINER,
};

/* "site", "host", "vm", "group", "container". */
const char *node_kind_name(enum node_kind kind);
bool node_kind_parse(const char *name, enum node_kind *out);

#endif
