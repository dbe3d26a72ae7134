#include "glass/tui/procs_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "glass/procs_node.h"
#include "glass/source_cgroup.h"
#include "glass/tui/feed.h"
#include "glass/tui/pager.h"
#include "glass/tui/screen.h"
#include "glass/tui/text.h"
#include "glass/units.h"
#include "glass/value.h"
#include "glass/xalloc.h"

/* The cells before COMMAND (with the pager's margin). */
#define PROCS_COLS_W 42

void tui_procs_text(const struct proc_list *l, size_t width, struct strbuf *out)
{
	strbuf_addf(out, "%7s %-10s %s %6s %6s  %s\n", "PID", "USER", "S", "CPU%", "RSS", "COMMAND");
	for (size_t i = 0; i < l->n; i++) {
		const struct proc_info *p = &l->v[i];
		char cpu[16], rss[16];
		struct strbuf user;

		if (value_known(p->cpu_pct))
			snprintf(cpu, sizeof(cpu), "%.1f", p->cpu_pct);
		else
			snprintf(cpu, sizeof(cpu), "%s", units_unknown());
		units_bytes(p->rss_bytes, rss, sizeof(rss));
		strbuf_init(&user);
		tui_text_escape(&user, p->user);
		strbuf_addf(out, "%7d ", p->pid);
		tui_text_fit(out, user.buf ? user.buf : "", 10, TUI_ALIGN_LEFT);
		strbuf_addf(out, " %c ", p->state);
		tui_text_fit(out, cpu, 6, TUI_ALIGN_RIGHT);
		strbuf_addc(out, ' ');
		tui_text_fit(out, rss, 6, TUI_ALIGN_RIGHT);
		strbuf_adds(out, "  ");
		{
			/* one line a process, as in top: the command cut */
			struct strbuf cmd;
			size_t w;

			strbuf_init(&cmd);
			tui_text_escape(&cmd, p->command);
			w = tui_text_width(cmd.buf ? cmd.buf : "");
			if (width > PROCS_COLS_W + 8 && w > width - PROCS_COLS_W - 1)
				w = width - PROCS_COLS_W - 1;
			tui_text_fit(out, cmd.buf ? cmd.buf : "", w, TUI_ALIGN_LEFT);
			strbuf_done(&cmd);
		}
		strbuf_addc(out, '\n');
		strbuf_done(&user);
	}
}

void tui_procs_close(struct tui_state *s)
{
	proc_list_done(&s->proc_list);
	free(s->procs_id);
	s->procs_id = NULL;
}

struct find {
	const char *id;
	const struct node *found;
};

static void find_cb(const struct node *n, int depth, void *arg)
{
	struct find *f = arg;

	(void)depth;
	if (!f->found && strcmp(n->id, f->id) == 0)
		f->found = n;
}

void tui_procs_refresh(struct tui_state *s)
{
	struct find f = {s->procs_id, NULL};
	const struct node *n = NULL;
	enum procs_scope scope = PROCS_ALL;
	struct errbuf err;
	char *arg = NULL;

	if (!s->procs_id)
		return;
	if (s->tree && s->tree->root)
		tree_walk(s->tree->root, 0, find_cb, &f);
	n = f.found;
	proc_list_done(&s->proc_list);
	s->procs_why[0] = '\0';
	if (!n) {
		snprintf(s->procs_why, sizeof(s->procs_why), "the node is gone");
		return;
	}
	free(s->procs_name);
	s->procs_name = xstrdup(n->name ? n->name : n->id);
	s->procs_threads = false;
	if (!s->procs)
		s->procs = procs_new(NULL);
	if (n->procs) {
		/* what a remote glass sent with its snapshot */
		struct proc_list *d = proc_list_dup(n->procs);

		s->proc_list = *d;
		free(d);
		return;
	}
	if (s->feed && !s->feed->live) {
		/* a recording is another moment: this machine's /proc is not it */
		snprintf(s->procs_why, sizeof(s->procs_why),
			 "the recording holds no processes for it (record with --processes)");
		return;
	}
	if (!procs_node_target(s->tree, n, s->app && s->app->opts ? source_cgroup_root(s->app->opts) : NULL,
			      s->procs, &scope, &arg, s->procs_why, sizeof(s->procs_why)))
		return;
	errbuf_clear(&err);
	if (procs_sample(s->procs, scope, arg ? arg : "", &s->proc_list, &err) < 0)
		snprintf(s->procs_why, sizeof(s->procs_why), "%.150s", err.msg);
	s->procs_threads = scope == PROCS_THREADS;
	free(arg);
}

void tui_procs_open(struct tui_state *s)
{
	const struct tui_row *row = tui_panel_selected(&s->panel);

	tui_procs_close(s);
	if (!row)
		return;
	s->procs_id = xstrdup(row->node->id);
	s->procs_scroll = 0;
	s->mode = TUI_MODE_PROCS;
	tui_procs_refresh(s);
}

void tui_procs_draw(struct tui_state *s, int top, int height)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_adds(&sb, s->procs_threads ? "threads of " : "processes of ");
	tui_text_escape(&sb, s->procs_name ? s->procs_name : "");
	if (s->procs_why[0]) {
		strbuf_adds(&sb, ": ");
		tui_text_escape(&sb, s->procs_why);
		strbuf_addc(&sb, '\n');
	} else {
		strbuf_addf(&sb, ": %zu %s%s, the busiest %zu by CPU (%% of one CPU)\n",
			    s->proc_list.listed, s->procs_threads ? "threads" : "processes",
			    s->proc_list.capped ? " (the first read)" : "", s->proc_list.n);
		int rows, cols;

		tui_screen_size(&rows, &cols);
		tui_procs_text(&s->proc_list, (size_t)cols, &sb);
	}
	strbuf_adds(&sb, "\nEsc, P or Enter: back to the tree\n");
	tui_pager_draw(sb.buf, top, height, &s->procs_scroll, TUI_EL_DETAIL);
	strbuf_done(&sb);
}
