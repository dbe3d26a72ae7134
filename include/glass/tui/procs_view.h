/* tui/procs_view.h: what runs inside the selected node (procs.h): its
 * processes, or a VM's qemu threads, the busiest first; read again at
 * every refresh while the view is open. */
#ifndef GLASS_TUI_PROCS_VIEW_H
#define GLASS_TUI_PROCS_VIEW_H

#include "glass/node.h"
#include "glass/procs.h"
#include "glass/strbuf.h"
#include "glass/tui/state.h"

/* The table, every name escaped, a command cut to fit `width` cells
 * (pure). */
void tui_procs_text(const struct proc_list *l, size_t width, struct strbuf *out);
/* Opens the view on the selected node / reads again / draws it. */
void tui_procs_open(struct tui_state *s);
void tui_procs_refresh(struct tui_state *s);
void tui_procs_draw(struct tui_state *s, int top, int height);
void tui_procs_close(struct tui_state *s);

#endif
