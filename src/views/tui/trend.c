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

static void record_node(struct tui_state *s, const struct node *n)
{
	struct tui_history *h = idmap_get(s->history, n->id);

	/* in the entry that holds the node's id: one allocation per node */
	if (!h)
		h = idmap_add_inline(s->history, n->id, sizeof(*h));
	tui_history_add(h, n);
	h->seen = (uint32_t)s->refreshes;
}

void tui_history_record(struct tui_state *s, size_t height)
{
	const struct tui_panel *p = &s->panel;
	size_t end = p->top + height < p->n_rows ? p->top + height : p->n_rows;

	if (!s->tree)
		return;
	for (size_t i = p->top; i < end; i++)
		record_node(s, p->rows[i].node);
	if (p->selected < p->n_rows && (p->selected < p->top || p->selected >= end))
		record_node(s, p->rows[p->selected].node);
	idmap_sweep(s->history, history_keep, &s->refreshes, NULL);
}

void tui_history_free(struct tui_state *s)
{
	idmap_free(s->history, NULL);
	s->history = NULL;
}
