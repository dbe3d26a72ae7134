/* snapshot_fields.h: what snapshot_read.c reads from the json-c objects
 * of one snapshot, for the walk over the document's text
 * (snapshot_walk.c) that hands it one node at a time. */
#ifndef GLASS_SNAPSHOT_FIELDS_H
#define GLASS_SNAPSHOT_FIELDS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "glass/errbuf.h"
#include "glass/node.h"

/* Deeper than any real tree (site/host/group/pod/container...): bounds
 * the recursion on hostile input. */
#define SNAPSHOT_MAX_DEPTH 64

/* The document without its tree: the schema version checked, then its
 * own fields (time, idle, sources) in a new tree without a root.
 * has_tree: the document had a "tree" (cut out, or still in doc).  NULL
 * with err when it is not a glass snapshot this glass reads. */
struct tree *snapshot_read_doc(json_object *doc, bool has_tree, struct errbuf *err);
/* One node object at depth (0: the root), counted in t->n_nodes, with
 * the children o still holds; NULL with err when it is not a node, is
 * deeper than SNAPSHOT_MAX_DEPTH or the tree would pass max_nodes (0: no
 * cap). */
struct node *snapshot_read_node(struct tree *t, json_object *o, int depth, size_t max_nodes,
				struct errbuf *err);

#endif
