#include "glass/tui/trend.h"

#include <stdlib.h>

#include "glass/idmap.h"
#include "glass/xalloc.h"

void tui_history_add(struct tui_history *h, const struct node *n)
{
	h->cpu_used[h->head] = n->res.cpu_cores_used;
	h->mem_used[h->head] = n->res.mem_bytes_used;
	h->idle_cpu[h->head] = n->idle_cpu.idle;
	h->idle_mem[h->head] = n->idle_mem.idle;
	h->head = (h->head + 1) % TUI_HISTORY;
	if (h->n < TUI_HISTORY)
		h->n++;
	h->cpu_alloc = n->res.cpu_cores_allocated;
	h->mem_alloc = n->res.mem_bytes_allocated;
}

static int history_keep(void *v, void *arg)
{
	return ((struct tui_history *)v)->seen == *(uint64_t *)arg;
}

static void record_node(const struct node *n, int depth, void *arg)
{
	struct tui_state *s = arg;
	struct tui_history *h = idmap_get(s->history, n->id);

	(void)depth;
	if (!h) {
		h = xcalloc(1, sizeof(*h));
		idmap_put(s->history, n->id, h);
	}
	tui_history_add(h, n);
	h->seen = s->refreshes;
}

void tui_history_record(struct tui_state *s)
{
	if (!s->tree || !s->tree->root)
		return;
	tree_walk(s->tree->root, 0, record_node, s);
	idmap_sweep(s->history, history_keep, &s->refreshes, free);
}

void tui_history_free(struct tui_state *s)
{
	idmap_free(s->history, free);
	s->history = NULL;
}
