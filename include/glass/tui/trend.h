/* tui/trend.h: the last readings of every node on screen, kept for the
 * detail pane's sparklines and idle history (struct tui_history). */
#ifndef GLASS_TUI_TREND_H
#define GLASS_TUI_TREND_H

#include "glass/node.h"
#include "glass/tui/state.h"

/* Appends the node's values and idle verdict to its history (at each
 * refresh, after the idle policy ran). */
void tui_history_add(struct tui_history *h, const struct node *n);
/* Every node of the tree on screen into s->history; nodes gone from it
 * are forgotten. */
void tui_history_record(struct tui_state *s);
/* Frees s->history. */
void tui_history_free(struct tui_state *s);

#endif
