/* idle_label.h: the short idle verdict every view shows beside a node,
 * e.g. "idle 1.8c 3.2G", "idle? 0.9c" (provisional: watched < 1 min). */
#ifndef GLASS_IDLE_LABEL_H
#define GLASS_IDLE_LABEL_H

#include <stddef.h>

#include "glass/node.h"

/* Empty when the node is not flagged on any resource. */
void idle_label(const struct node *n, char *out, size_t len);
/* The right-size hint, e.g. "16 -> 4 vCPU, 64G -> 12G"; empty when none.
 * `utf8` picks the arrow. */
void idle_hint(const struct node *n, int utf8, char *out, size_t len);

#endif
