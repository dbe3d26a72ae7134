/* json_view.h: the pieces of the JSON snapshot that other JSON writers
 * (the --idle list, the --by=owner report) share with view_json_render,
 * written with json_out. */
#ifndef GLASS_JSON_VIEW_H
#define GLASS_JSON_VIEW_H

#include "glass/json_out.h"
#include "glass/node.h"

/* The head's members into an open object: schema_version, glass_version,
 * time, interval, sequence, idle, sources (and replayed). */
void json_emit_head(struct json_out *j, const struct tree *t);
/* A node's own members, without its children, into an open object. */
void json_emit_node(struct json_out *j, const struct node *n);
/* A host's or the site's rollup, as a value. */
void json_emit_rollup(struct json_out *j, const struct rollup *r);

#endif
