/* json_view.h: the pieces of the JSON snapshot that other JSON writers
 * (the --idle list) share with view_json_render. */
#ifndef GLASS_JSON_VIEW_H
#define GLASS_JSON_VIEW_H

#include <json-c/json.h>

#include "glass/node.h"
#include "glass/strbuf.h"

/* schema_version, glass_version, time, interval, sequence, idle, sources */
json_object *json_render_head(const struct tree *t);
/* A node without its children. */
json_object *json_render_node_flat(const struct node *n);
json_object *json_render_idle(const struct node *n);
/* The document on one line, then "\n". */
void json_write_line(json_object *doc, struct strbuf *out);

#endif
