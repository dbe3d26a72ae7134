/* tui/owners.h: the tree grouped by owner (the o key; chargeback.h).
 *
 * A view tree: the site, an owner row per owner (and the unowned holders'
 * row) whose figures are the chargeback report's, and below each the
 * top-level VMs and containers charged to it, each with its own subtree.
 * The owner rows and the site are made here; every node below them is
 * borrowed from the real tree, which must outlive the view.  An owner
 * row's allocation and IDLE are the report's; its CPU and MEM USED are the
 * sum of its holders' as shown, so each row adds up to what is below it. */
#ifndef GLASS_TUI_OWNERS_H
#define GLASS_TUI_OWNERS_H

#include "glass/node.h"

/* Ids of owner rows start so; no source makes such an id. */
#define TUI_OWNER_ID_PREFIX "owner:"

struct tree *tui_owners_build(const struct tree *t);
/* Frees what build made, never the borrowed nodes. */
void tui_owners_free(struct tree *v);

#endif
