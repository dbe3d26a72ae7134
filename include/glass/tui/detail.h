/* tui/detail.h: every field glass has for one node (Enter on a leaf, or
 * d): its source and health, its idle history as sparklines of CPU and
 * memory used against what it was given, and the right-size hint. */
#ifndef GLASS_TUI_DETAIL_H
#define GLASS_TUI_DETAIL_H

#include <stdint.h>

#include "glass/cpustat.h"
#include "glass/node.h"
#include "glass/strbuf.h"
#include "glass/tui/state.h"
#include "glass/tui/trend.h"

enum tui_history_series { TUI_HISTORY_CPU, TUI_HISTORY_MEM };
/* The sparkline of one series of h, at most `width` cells, oldest first,
 * scaled to the allocation (pure). */
void tui_history_sparkline(const struct tui_history *h, enum tui_history_series which, size_t width,
			   struct strbuf *out);
/* The pane's text: '\n'-separated lines, every untrusted byte escaped
 * (pure).  h may be NULL. */
void tui_detail_text(const struct tree *t, const struct node *n, const struct tui_history *h,
		     uint64_t now_wall_ns, struct strbuf *out);
/* A host's CPU by kind between two reads of /proc/stat: steal, iowait,
 * a compact bar per CPU in `width` cells (pure). */
void tui_detail_cpu_text(const struct cpustat *a, const struct cpustat *b, size_t width,
			 struct strbuf *out);
/* NUMA nodes, one line each (pure). */
void tui_detail_numa_text(const struct numa_node *m, size_t n, struct strbuf *out);
/* Pressure (PSI avg10) where known (pure). */
void tui_detail_psi_text(const struct node *n, struct strbuf *out);
/* Scrolls with s->detail_scroll (clamped here), marked where cut. */
void tui_detail_draw(struct tui_state *s, int top, int height);

#endif
