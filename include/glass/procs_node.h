/* procs_node.h: where the processes of a node of the tree are read on
 * this machine (procs.h): a host of this machine, a cgroup of the local
 * cgroup source, a local VM's qemu; and the busiest processes of every
 * such node of a tree (--processes). */
#ifndef GLASS_PROCS_NODE_H
#define GLASS_PROCS_NODE_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/node.h"
#include "glass/procs.h"

/* The scope and its argument (a cgroup directory, a pid; the caller's),
 * or false with why not.  cgroup_root: the cgroup source's root (NULL:
 * the default). */
bool procs_node_target(const struct tree *t, const struct node *n, const char *cgroup_root,
		       struct procs *p, enum procs_scope *scope, char **arg, char *why, size_t why_len);
/* node->procs for every host, container and VM of t this machine can
 * read (a remote's nodes keep what their glass sent). */
void procs_fill_tree(struct procs *p, struct tree *t, const char *cgroup_root);

#endif
