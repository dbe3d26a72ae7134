#include "glass/tui/trend.h"

#include <stdlib.h>

#include "glass/idmap.h"
#include "glass/xalloc.h"

void tui_history_add(struct tui_history *h, const struct node *n)
{
	uint64_t bit = (uint64_t)1 << h->head;

	h->cpu_used[h->head] = tui_h16_of(n->res.cpu_cores_used);
	h->mem_used[h->head] = tui_h16_of(n->res.mem_bytes_used);
	h->idle_cpu = n->idle_cpu.idle ? h->idle_cpu | bit : h->idle_cpu & ~bit;
	h->idle_mem = n->idle_mem.idle ? h->idle_mem | bit : h->idle_mem & ~bit;
	h->head = (uint16_t)((h->head + 1) % TUI_HISTORY);
	if (h->n < TUI_HISTORY)
		h->n++;
	h->cpu_alloc = (float)n->res.cpu_cores_allocated;
	h->mem_alloc = (float)n->res.mem_bytes_allocated;
}

static int history_keep(void *v, void *arg)
{
	return ((struct tui_history *)v)->seen == (uint32_t) * (uint64_t *)arg;
}

static void record_node(const struct node *n, int depth, void *arg)
{
	struct tui_state *s = arg;
	struct tui_history *h = idmap_get(s->history, n->id);

	(void)depth;
	/* in the entry that holds the node's id: one allocation per node */
	if (!h)
		h = idmap_add_inline(s->history, n->id, sizeof(*h));
	tui_history_add(h, n);
	h->seen = (uint32_t)s->refreshes;
}

void tui_history_record(struct tui_state *s)
{
	if (!s->tree || !s->tree->root)
		return;
	tree_walk(s->tree->root, 0, record_node, s);
	idmap_sweep(s->history, history_keep, &s->refreshes, NULL);
}

void tui_history_free(struct tui_state *s)
{
	idmap_free(s->history, NULL);
	s->history = NULL;
}
