#include "glass/tui/panel.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "glass/idmap.h"
#include "glass/value.h"
#include "glass/xalloc.h"

/* Values of p->open: an idmap holds pointers, these are never followed. */
#define OPEN_MARK ((void *)1)
#define CLOSED_MARK ((void *)2)

void tui_panel_init(struct tui_panel *p)
{
	memset(p, 0, sizeof(*p));
	p->open = idmap_new();
	p->default_open = true;
	p->sort = TUI_SORT_NAME;
}

void tui_panel_done(struct tui_panel *p)
{
	idmap_free(p->open, NULL);
	free(p->selected_id);
	free(p->filter);
	free(p->rows);
	memset(p, 0, sizeof(*p));
}

static bool filtering(const struct tui_panel *p)
{
	return (p->filter && p->filter[0]) || p->idle_only;
}

bool tui_panel_matches(const struct node *n, const char *text)
{
	if (!text || !text[0])
		return true;
	return strcasestr(n->name, text) || strcasestr(n->id, text);
}

static bool node_passes(const struct tui_panel *p, const struct node *n)
{
	if (p->idle_only && !tui_node_is_idle(n))
		return false;
	return tui_panel_matches(n, p->filter);
}

/* Shown while filtering: it passes or a descendant does. */
static bool subtree_passes(const struct tui_panel *p, const struct node *n)
{
	if (node_passes(p, n))
		return true;
	for (size_t i = 0; i < n->n_children; i++)
		if (subtree_passes(p, n->children[i]))
			return true;
	return false;
}

static bool node_open(const struct tui_panel *p, const struct node *n)
{
	void *v = idmap_get(p->open, n->id);

	if (v == OPEN_MARK)
		return true;
	if (v == CLOSED_MARK)
		return false;
	return p->default_open || n->kind == NODE_SITE;
}

/* qsort has no context argument; the TUI sorts on one thread only. */
static const struct tui_panel *sorting;

static double sort_value(const struct node *n, enum tui_sort s)
{
	const struct resources *r = &n->res;

	switch (s) {
	case TUI_SORT_CPU_ALLOC: return r->cpu_cores_allocated;
	case TUI_SORT_CPU_USED: return r->cpu_cores_used;
	case TUI_SORT_MEM_ALLOC: return r->mem_bytes_allocated;
	case TUI_SORT_MEM_USED: return r->mem_bytes_used;
	case TUI_SORT_DISK: return r->disk_read_bps + r->disk_write_bps;
	case TUI_SORT_NET: return r->net_rx_bps + r->net_tx_bps;
	case TUI_SORT_WATTS: return r->power_watts;
	case TUI_SORT_IDLE:
		/* idle capacity, cores first: the biggest waste on top when inverted */
		if (!n->idle_cpu.idle && !n->idle_mem.idle)
			return GLASS_UNKNOWN;
		return (n->idle_cpu.idle ? n->idle_cpu.idle_amount * 1e12 : 0) +
		       (n->idle_mem.idle ? n->idle_mem.idle_amount / 1e6 : 0);
	default: return GLASS_UNKNOWN;
	}
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_nodes(const void *pa, const void *pb)
{
	const struct node *a = *(const struct node *const *)pa;
	const struct node *b = *(const struct node *const *)pb;
	enum tui_sort s = sorting->sort;
	int sign = sorting->descending ? -1 : 1;
	int c = 0;

	switch (s) {
	case TUI_SORT_NAME: c = cmp_str(a->name, b->name); break;
	case TUI_SORT_KIND: c = (int)a->kind - (int)b->kind; break;
	case TUI_SORT_STATE: c = cmp_str(a->state, b->state); break;
	default: {
		double va = sort_value(a, s), vb = sort_value(b, s);
		/* Unknown sorts last both ways: it is not a small number. */
		if (value_known(va) != value_known(vb))
			return value_known(va) ? -1 : 1;
		if (value_known(va))
			c = va < vb ? -1 : va > vb ? 1 : 0;
	}
	}
	if (c)
		return sign * c;
	c = cmp_str(a->name, b->name);
	return c ? c : cmp_str(a->id, b->id);
}

static const struct node **sorted_children(const struct tui_panel *p, const struct node *n)
{
	const struct node **kids = xcalloc(n->n_children, sizeof(*kids));

	for (size_t i = 0; i < n->n_children; i++)
		kids[i] = n->children[i];
	sorting = p;
	qsort(kids, n->n_children, sizeof(*kids), cmp_nodes);
	sorting = NULL;
	return kids;
}

struct flat {
	struct tui_row *rows;
	size_t n, cap;
};

static void flat_add(struct flat *f, const struct tui_row *row)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->rows = xreallocarray(f->rows, f->cap, sizeof(*f->rows));
	}
	f->rows[f->n++] = *row;
}

/* all: every node, open or not (for search). */
static void flatten(const struct tui_panel *p, const struct node *n, int depth, bool all,
		    struct flat *f)
{
	bool filt = filtering(p);
	size_t shown = 0;

	if (filt && !subtree_passes(p, n))
		return;
	for (size_t i = 0; i < n->n_children; i++)
		if (!filt || subtree_passes(p, n->children[i]))
			shown++;
	struct tui_row row = {
		.node = n,
		.depth = depth,
		.has_children = shown > 0,
		.expanded = shown > 0 && (filt || node_open(p, n)),
	};
	flat_add(f, &row);
	if (!row.expanded && !all)
		return;
	const struct node **kids = sorted_children(p, n);
	for (size_t i = 0; i < n->n_children; i++)
		flatten(p, kids[i], depth + 1, all, f);
	free(kids);
}

static void select_index(struct tui_panel *p, size_t i)
{
	p->selected = i;
	if (i < p->n_rows) {
		free(p->selected_id);
		p->selected_id = xstrdup(p->rows[i].node->id);
	}
}

/* The widest name and IDLE figure over every node, open or not: the
 * columns hold still while nodes open and close. */
static void measure(struct tui_panel *p, const struct node *n, int depth)
{
	struct tui_row row = {.node = n, .depth = depth};
	size_t w = tui_row_name_want(&row);

	if (w > p->name_want)
		p->name_want = w;
	w = tui_row_idle_want(n);
	if (w > p->idle_want)
		p->idle_want = w;
	for (size_t i = 0; i < n->n_children; i++)
		measure(p, n->children[i], depth + 1);
}

void tui_panel_rebuild(struct tui_panel *p, const struct tree *t)
{
	struct flat f = {0};

	p->name_want = p->idle_want = 0;
	if (t && t->root) {
		flatten(p, t->root, 0, false, &f);
		measure(p, t->root, 0);
	}
	free(p->rows);
	p->rows = f.rows;
	p->n_rows = f.n;
	if (p->n_rows == 0) {
		p->selected = p->top = 0;
		return;
	}
	for (size_t i = 0; p->selected_id && i < p->n_rows; i++) {
		if (strcmp(p->rows[i].node->id, p->selected_id) == 0) {
			p->selected = i;
			return;
		}
	}
	/* The selected node went away (or is filtered out): stay at the
	 * same place on the screen, as htop does. */
	select_index(p, p->selected < p->n_rows ? p->selected : p->n_rows - 1);
}

void tui_panel_release(struct tui_panel *p)
{
	free(p->rows);
	p->rows = NULL;
	p->n_rows = 0;
}

const struct tui_row *tui_panel_selected(const struct tui_panel *p)
{
	return p->selected < p->n_rows ? &p->rows[p->selected] : NULL;
}

void tui_panel_move(struct tui_panel *p, long delta)
{
	long i = (long)p->selected + delta;

	if (p->n_rows == 0)
		return;
	if (delta < 0 && (long)p->selected < -delta)
		i = 0;
	if (i >= (long)p->n_rows)
		i = (long)p->n_rows - 1;
	select_index(p, (size_t)i);
}

void tui_panel_scroll(struct tui_panel *p, size_t height)
{
	if (height == 0)
		return;
	if (p->selected < p->top)
		p->top = p->selected;
	if (p->selected >= p->top + height)
		p->top = p->selected - height + 1;
	/* No empty space below the last row when rows could fill it. */
	if (p->n_rows >= height && p->top > p->n_rows - height)
		p->top = p->n_rows - height;
	if (p->n_rows < height)
		p->top = 0;
}

bool tui_panel_toggle(struct tui_panel *p, const struct tree *t)
{
	const struct tui_row *row = tui_panel_selected(p);

	if (!row || !row->has_children || filtering(p))
		return false;
	idmap_put(p->open, row->node->id, row->expanded ? CLOSED_MARK : OPEN_MARK);
	tui_panel_rebuild(p, t);
	return true;
}

static void close_below_site(struct tui_panel *p, const struct node *n)
{
	if (n->kind != NODE_SITE && n->n_children)
		idmap_put(p->open, n->id, CLOSED_MARK);
	for (size_t i = 0; i < n->n_children; i++)
		close_below_site(p, n->children[i]);
}

void tui_panel_set_all(struct tui_panel *p, const struct tree *t, bool open)
{
	idmap_free(p->open, NULL);
	p->open = idmap_new();
	p->default_open = open;
	/* Nodes that come later follow default_open; the ones here now are
	 * marked too so a node that is both new and old reads the same. */
	if (!open && t && t->root)
		close_below_site(p, t->root);
	tui_panel_rebuild(p, t);
}

void tui_panel_set_filter(struct tui_panel *p, const struct tree *t, const char *filter)
{
	free(p->filter);
	p->filter = filter && filter[0] ? xstrdup(filter) : NULL;
	tui_panel_rebuild(p, t);
}

void tui_panel_set_sort(struct tui_panel *p, const struct tree *t, enum tui_sort sort,
			bool descending)
{
	p->sort = sort;
	p->descending = descending;
	tui_panel_rebuild(p, t);
}

void tui_panel_set_idle_only(struct tui_panel *p, const struct tree *t, bool on)
{
	p->idle_only = on;
	tui_panel_rebuild(p, t);
}

bool tui_panel_search(struct tui_panel *p, const struct tree *t, const char *text, bool next)
{
	struct flat f = {0};
	size_t start = 0;
	bool found = false;

	if (!t || !t->root || !text || !text[0])
		return false;
	flatten(p, t->root, 0, true, &f);
	for (size_t i = 0; p->selected_id && i < f.n; i++) {
		if (strcmp(f.rows[i].node->id, p->selected_id) == 0) {
			start = next ? i + 1 : i;
			break;
		}
	}
	for (size_t k = 0; k < f.n && !found; k++) {
		const struct node *n = f.rows[(start + k) % f.n].node;

		if (!strcasestr(n->name, text))
			continue;
		found = true;
		for (const struct node *a = n->parent; a; a = a->parent)
			idmap_put(p->open, a->id, OPEN_MARK);
		free(p->selected_id);
		p->selected_id = xstrdup(n->id);
	}
	free(f.rows);
	if (found)
		tui_panel_rebuild(p, t);
	return found;
}
