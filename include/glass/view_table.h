/* view_table.h: one row per output format (DESIGN.md §1, §6).
 *
 * Option parsing, --help, the error for an unknown format and the writer
 * all read this table: a new format is one row here, its enum value in
 * options.h and its render file. */
#ifndef GLASS_VIEW_TABLE_H
#define GLASS_VIEW_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/columns.h"
#include "glass/errbuf.h"
#include "glass/node.h"
#include "glass/options.h"
#include "glass/strbuf.h"

/* What one render call gets. */
struct view_args {
	const struct tree *tree;
	const struct column_set *cols; /* --fields, for views with VIEW_COLUMNS */
	bool header;                   /* the first snapshot of a stream or file */
	struct strbuf *out;
};

enum view_flags {
	VIEW_COLUMNS = 1 << 0, /* honours --fields */
};

struct view_type {
	const char *name;
	const char *help; /* a few words for --help */
	unsigned flags;
	void (*render)(const struct view_args *a);
	void (*render_idle)(const struct view_args *a); /* --idle */
	void (*render_owner)(const struct view_args *a); /* --by owner */
};

extern const struct view_type view_types[];
extern const size_t view_types_len;

const struct view_type *view_type_of(enum output_format f);
/* -1 with err naming every format when `name` is none of them. */
int view_type_find(const char *name, enum output_format *out, struct errbuf *err);
/* "text (an indented tree), json (...), ..." for --help. */
void view_types_describe(struct strbuf *out);
/* A usage error (exit 2) for options the chosen format cannot honour. */
int view_check_options(const struct options *o, struct errbuf *err);

#endif
