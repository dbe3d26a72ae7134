#include "glass/tui/procs_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "glass/cgroup_layout.h"
#include "glass/source_cgroup.h"
#include "glass/tui/pager.h"
#include "glass/tui/screen.h"
#include "glass/tui/text.h"
#include "glass/units.h"
#include "glass/value.h"
#include "glass/xalloc.h"

static const char *source_kind(const struct tree *t, const struct node *n)
{
	if (!t || n->source < 0 || (size_t)n->source >= t->n_sources)
		return "";
	return t->sources[n->source].kind;
}

/* The directory of cgroup `path` (relative to a hierarchy's root): the
 * unified tree, else the first v1 hierarchy that has it. */
static char *cgroup_dir(const char *root, const char *path)
{
	static const enum cgroup_ctrl order[] = {CG_UNIFIED, CG_PIDS,  CG_CPU,
						 CG_CPUACCT, CG_MEMORY, CG_BLKIO};
	struct cgroup_layout L;
	struct errbuf err;
	char *found = NULL;

	if (cgroup_layout_detect(root ? root : SOURCE_CGROUP_DEFAULT_ROOT, "/proc/self/mountinfo", &L,
				 &err) < 0)
		return NULL;
	for (size_t i = 0; !found && i < sizeof(order) / sizeof(order[0]); i++) {
		struct stat st;
		char *dir;

		if (!L.dirs[order[i]])
			continue;
		dir = xasprintf("%s/%s", L.dirs[order[i]], path);
		if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
			found = dir;
		else
			free(dir);
	}
	cgroup_layout_done(&L);
	return found;
}

/* "ct:HOST/PATH" -> PATH */
static const char *ct_path(const char *id)
{
	const char *slash;

	if (!id || strncmp(id, "ct:", 3) != 0 || !(slash = strchr(id + 3, '/')))
		return NULL;
	return slash + 1;
}

bool tui_procs_target(const struct tree *t, const struct node *n, const char *cgroup_root,
		      struct procs *p, enum procs_scope *scope, char **arg, char *why, size_t why_len)
{
	const char *kind = source_kind(t, n);

	*arg = NULL;
	if (strcmp(kind, "remote") == 0) {
		snprintf(why, why_len, "a remote node: its processes are read on its own machine, "
				       "and the far glass does not send them");
		return false;
	}
	switch (n->kind) {
	case NODE_SITE:
		snprintf(why, why_len, "the site runs nothing itself: choose a host, VM or container");
		return false;
	case NODE_HOST:
		if (strcmp(kind, "host") != 0 && strcmp(kind, "cgroup") != 0) {
			snprintf(why, why_len, "not this machine: its processes cannot be read here");
			return false;
		}
		*scope = PROCS_ALL;
		return true;
	case NODE_CONTAINER:
	case NODE_GROUP: {
		const char *path = ct_path(n->id);
		if (strcmp(kind, "cgroup") != 0 || !path) {
			snprintf(why, why_len, "no local cgroup known for this node");
			return false;
		}
		*arg = cgroup_dir(cgroup_root, path);
		if (!*arg) {
			snprintf(why, why_len, "its cgroup is gone");
			return false;
		}
		*scope = PROCS_CGROUP;
		return true;
	}
	case NODE_VM: {
		/* its qemu: the process of its cgroup with the most threads
		 * (a merged VM), else libvirt's pid file on this machine */
		const char *path = ct_path(n->merged_id);
		char *dir = path ? cgroup_dir(cgroup_root, path) : NULL;
		int pid = dir ? procs_busiest_threads(p, dir) : -1;

		free(dir);
		if (pid < 0 && strncmp(t->sources[n->source].name, "qemu:///", 8) == 0 && n->name) {
			char *pidfile = xasprintf("/run/libvirt/qemu/%s.pid", n->name);
			FILE *f = strchr(n->name, '/') ? NULL : fopen(pidfile, "re");
			if (f) {
				if (fscanf(f, "%d", &pid) != 1)
					pid = -1;
				fclose(f);
			}
			free(pidfile);
		}
		if (pid <= 0) {
			snprintf(why, why_len, "no qemu process of this VM on this machine");
			return false;
		}
		*arg = xasprintf("%d", pid);
		*scope = PROCS_THREADS;
		return true;
	}
	}
	snprintf(why, why_len, "nothing to show");
	return false;
}

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
	if (!tui_procs_target(s->tree, n, s->app && s->app->opts ? s->app->opts->cgroup_root : NULL,
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
