/* tui/detail.h: every field glass has for one node (Enter on a leaf, or
 * d): its source and health, a sparkline of its recent CPU use and the
 * right-size hint. */
#ifndef GLASS_TUI_DETAIL_H
#define GLASS_TUI_DETAIL_H

#include <stdint.h>

#include "glass/node.h"
#include "glass/strbuf.h"
#include "glass/tui/state.h"

/* Appends one value to a node's history (at each refresh). */
void tui_history_add(struct tui_history *h, const struct node *n);
/* The sparkline of h, at most `width` cells, oldest first (pure). */
void tui_history_sparkline(const struct tui_history *h, size_t width, struct strbuf *out);
/* The pane's text: '\n'-separated lines, every untrusted byte escaped
 * (pure).  h may be NULL. */
void tui_detail_text(const struct tree *t, const struct node *n, const struct tui_history *h,
		     uint64_t now_wall_ns, struct strbuf *out);
void tui_detail_draw(const struct tui_state *s, int top, int height);

#endif
