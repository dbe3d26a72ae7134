#include "glass/view_table.h"

#include <string.h>

#include "glass/view.h"

static void text_render(const struct view_args *a)
{
	view_text_render(a->tree, a->cols, a->out);
}

static void text_idle(const struct view_args *a)
{
	view_idle_text_render(a->tree, a->out);
}

static void json_render(const struct view_args *a)
{
	view_json_render(a->tree, a->out);
}

static void json_idle(const struct view_args *a)
{
	view_idle_json_render(a->tree, a->out);
}

static void csv_render(const struct view_args *a)
{
	view_csv_render(a->tree, a->cols, a->header, a->out);
}

static void csv_idle(const struct view_args *a)
{
	view_idle_csv_render(a->tree, a->header, a->out);
}

static void text_owner(const struct view_args *a)
{
	view_owner_text_render(a->tree, a->out);
}

static void json_owner(const struct view_args *a)
{
	view_owner_json_render(a->tree, a->out);
}

static void csv_owner(const struct view_args *a)
{
	view_owner_csv_render(a->tree, a->header, a->out);
}

static void prom_owner(const struct view_args *a)
{
	view_owner_prom_render(a->tree, a->out);
}

/* --idle leaves only the flagged nodes matched: the same families, fewer samples. */
static void prom_render(const struct view_args *a)
{
	view_prom_render(a->tree, a->out);
}

const struct view_type view_types[] = {
	[FORMAT_TEXT] = {"text", "an indented tree like top -b", VIEW_COLUMNS, text_render, text_idle,
			 text_owner},
	[FORMAT_JSON] = {"json", "a JSON document per snapshot, JSON Lines when N > 1", 0,
			 json_render, json_idle, json_owner},
	[FORMAT_CSV] = {"csv", "a row per node, the header once", VIEW_COLUMNS, csv_render,
			csv_idle, csv_owner},
	[FORMAT_PROM] = {"prom", "the Prometheus text format; with -n > 1 use -o, as concatenated "
				 "snapshots are not one exposition",
			 0, prom_render, prom_render, prom_owner},
};
const size_t view_types_len = sizeof(view_types) / sizeof(view_types[0]);

const struct view_type *view_type_of(enum output_format f)
{
	return (size_t)f < view_types_len ? &view_types[f] : &view_types[FORMAT_TEXT];
}

static void names(struct strbuf *out)
{
	for (size_t i = 0; i < view_types_len; i++)
		strbuf_addf(out, "%s%s", i == 0 ? "" : i + 1 == view_types_len ? " or " : ", ",
			    view_types[i].name);
}

int view_type_find(const char *name, enum output_format *out, struct errbuf *err)
{
	struct strbuf sb;

	for (size_t i = 0; i < view_types_len; i++) {
		if (strcmp(name, view_types[i].name) == 0) {
			*out = (enum output_format)i;
			return 0;
		}
	}
	strbuf_init(&sb);
	names(&sb);
	errbuf_set(err, "unknown format '%s': expected %s", name, sb.buf);
	strbuf_done(&sb);
	return -1;
}

void view_types_describe(struct strbuf *out)
{
	for (size_t i = 0; i < view_types_len; i++)
		strbuf_addf(out, "%s%s (%s)", i == 0 ? "" : i + 1 == view_types_len ? " or " : ", ",
			    view_types[i].name, view_types[i].help);
}

int view_check_options(const struct options *o, struct errbuf *err)
{
	const struct view_type *v = view_type_of(o->format);

	if (o->by != BY_NONE) {
		/* the report charges the whole site: its total is the site's */
		if (o->idle_only)
			return errbuf_set(err, "--by owner and --idle are two reports: choose one");
		if (o->fields)
			return errbuf_set(err, "--by owner: the report has its own columns (no --fields)");
		if (o->filter || o->kinds)
			return errbuf_set(err, "--by owner: the report covers the whole site (no --filter or --kind)");
	}
	if (o->fields && !(v->flags & VIEW_COLUMNS))
		return errbuf_set(err, "--fields: the %s format has no columns", v->name);
	return 0;
}
