/* view.h: batch views render a finished tree into a buffer (DESIGN.md §1).
 * Nothing in a view samples; the caller decides where the bytes go. */
#ifndef GLASS_VIEW_H
#define GLASS_VIEW_H

#include "glass/node.h"
#include "glass/strbuf.h"

/* An indented tree, like `top -b` / `systemd-cgtop -b`. */
void view_text_render(const struct tree *t, struct strbuf *out);
/* One JSON document on one line, ending in "\n" (JSON Lines). */
void view_json_render(const struct tree *t, struct strbuf *out);
/* --idle: only flagged nodes, biggest waste first, with hints and cost. */
void view_idle_text_render(const struct tree *t, struct strbuf *out);
void view_idle_json_render(const struct tree *t, struct strbuf *out);

#endif
