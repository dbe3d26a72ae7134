/* view.h: batch views render a finished tree into a buffer (DESIGN.md §1).
 * Nothing in a view samples; the caller decides where the bytes go. */
#ifndef GLASS_VIEW_H
#define GLASS_VIEW_H

#include "glass/columns.h"
#include "glass/node.h"
#include "glass/strbuf.h"

/* An indented tree, like `top -b` / `systemd-cgtop -b`. */
void view_text_render(const struct tree *t, const struct column_set *cols, struct strbuf *out);
/* CSV (RFC 4180): one row per selected node; the header row when
 * `header`.  Unknown is an empty field. */
void view_csv_render(const struct tree *t, const struct column_set *cols, bool header,
		     struct strbuf *out);
/* Prometheus text exposition format 0.0.4. */
void view_prom_render(const struct tree *t, struct strbuf *out);
/* The same families in OpenMetrics 1.0 (counters' families named without
 * _total), without the closing "# EOF": the caller may add families. */
void view_openmetrics_render_body(const struct tree *t, struct strbuf *out);
/* Appends one RFC 4180 field (quoted when it must be). */
void csv_add_field(struct strbuf *out, const char *s, size_t len);
/* One JSON document on one line, ending in "\n" (JSON Lines). */
void view_json_render(const struct tree *t, struct strbuf *out);
/* --idle: only flagged nodes, biggest waste first, with hints and cost. */
void view_idle_text_render(const struct tree *t, struct strbuf *out);
void view_idle_json_render(const struct tree *t, struct strbuf *out);
void view_idle_csv_render(const struct tree *t, bool header, struct strbuf *out);
/* Whether a node carries an idle flag on any resource. */
bool idle_list_flagged(const struct node *n);
/* Leaves only the flagged nodes matched (for the prom view of --idle). */
void idle_list_select(struct tree *t);

#endif
