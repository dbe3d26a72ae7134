/* tui/trend.h: the last readings of the nodes on screen, kept for the
 * detail pane's sparklines and idle history (struct tui_history). */
#ifndef GLASS_TUI_TREND_H
#define GLASS_TUI_TREND_H

#include "glass/node.h"
#include "glass/tui/state.h"

/* Appends the node's values and idle verdict to its history (at each
 * refresh, after the idle policy ran). */
void tui_history_add(struct tui_history *h, const struct node *n);
/* The nodes of the panel's rows on screen (height rows from its top)
 * and the selected one into s->history; the others are forgotten.  What
 * the operator can open is on screen, and at a fleet's size a history of
 * every node would be the TUI's largest part (35 MiB at 100,000 nodes);
 * their longer past is the history store's (stored_lines). */
void tui_history_record(struct tui_state *s, size_t height);
/* Frees s->history. */
void tui_history_free(struct tui_state *s);

#endif
