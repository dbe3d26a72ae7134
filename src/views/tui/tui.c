/* The TUI's loop: poll() on the terminal and the board's pipe, keys
 * handled at once, a redraw on new readings, keys or the clock; it never
 * waits on a source (DESIGN.md §1, §6). */
#include "glass/errbuf.h"
#include "glass/exit_status.h"
#include "glass/tui.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "glass/clock.h"
#include "glass/tui/detail.h"
#include "glass/tui/feed.h"
#include "glass/tui/header.h"
#include "glass/tui/help.h"
#include "glass/tui/keys.h"
#include "glass/tui/owners.h"
#include "glass/tui/panel_draw.h"
#include "glass/tui/procs_view.h"
#include "glass/tui/prompt.h"
#include "glass/tui/setup.h"
#include "glass/tui/signals.h"
#include "glass/tui/screen.h"
#include "glass/tui/state.h"
#include "glass/tui/status.h"
#include "glass/tui/text.h"
#include "glass/tui/trend.h"
#include "glass/xalloc.h"

#define KEY_ESC 27
#define KEY_CTRL_L 12

static int theme_index_of(const char *name)
{
	for (int i = 0; i < TUI_THEME_N_BUILTIN; i++)
		if (strcmp(name, tui_theme_builtin_names[i]) == 0)
			return i;
	return -1;
}

static int load_first_theme(struct tui_state *s, const char *name, struct errbuf *err)
{
	int rc = tui_theme_load(&s->theme, name ? name : "default", err);

	/* Without an installed default theme glass still runs, with the
	 * built-in one; a theme the operator named must exist. */
	if (rc == -2 && !name) {
		tui_theme_fallback(&s->theme);
		rc = 0;
	}
	s->theme_index = theme_index_of(name ? name : "default");
	return rc < 0 ? -1 : 0;
}

static void next_theme(struct tui_state *s)
{
	int i = (s->theme_index + 1) % TUI_THEME_N_BUILTIN;
	struct tui_theme th;
	struct errbuf err;

	errbuf_clear(&err);
	if (tui_theme_load(&th, tui_theme_builtin_names[i], &err) < 0) {
		tui_message(s, "%s", err.msg);
		s->theme_index = i; /* the next t tries the one after */
		return;
	}
	s->theme = th;
	s->theme_index = i;
	tui_screen_apply_theme(&s->theme, s->no_color);
	tui_message(s, "theme: %s%s", th.name, s->no_color ? " (NO_COLOR: no colours)" : "");
}

static void take_tree(struct tui_state *s)
{
	bool grouped = s->owners != NULL;
	struct errbuf err;
	struct tree *t;

	errbuf_clear(&err);
	if (s->feed->frees_first && s->tree) {
		/* Nothing may point into the old tree while the next is built:
		 * the panel's rows and the owners view borrow its nodes. */
		tui_panel_release(&s->panel);
		tui_owners_free(s->owners);
		s->owners = NULL;
		tree_free(s->tree);
		s->tree = NULL;
	}
	t = s->feed->ops->tree(s->feed, &err);
	if (!t) {
		/* one bad line in a recording: say so, keep the screen (no
		 * reason: the next tree is not read yet) */
		if (err.msg[0])
			tui_message(s, "%s", err.msg);
		return;
	}

	if (grouped) {
		struct tree *v = tui_owners_build(t);
		tui_panel_rebuild(&s->panel, v); /* before the old views go */
		tui_owners_free(s->owners);
		s->owners = v;
	} else {
		tui_panel_rebuild(&s->panel, t); /* before the old tree goes */
	}
	tree_free(s->tree);
	s->tree = t;
}

/* The feed's next tree on the screen; then the feed may read on. */
static void rebuild(struct tui_state *s)
{
	take_tree(s);
	s->feed->ops->settled(s->feed);
}

static void toggle_by_owner(struct tui_state *s)
{
	struct tree *old = s->owners;

	if (!s->tree)
		return;
	s->owners = old ? NULL : tui_owners_build(s->tree);
	tui_panel_rebuild(&s->panel, tui_shown(s));
	tui_owners_free(old);
	tui_message(s, s->owners ? "grouped by owner (o again: the tree)" : "the tree");
}

/* Rows of the panel for paging. */
static int panel_height(void)
{
	int rows, cols;

	tui_screen_size(&rows, &cols);
	return rows - (rows < TUI_MIN_ROWS || cols < TUI_MIN_COLS ? 3 : 4);
}

static void sort_step(struct tui_state *s, int step)
{
	enum tui_sort next = (enum tui_sort)((s->panel.sort + TUI_SORT_COUNT + step) % TUI_SORT_COUNT);

	tui_panel_set_sort(&s->panel, tui_shown(s), next, tui_sort_starts_descending(next));
	tui_message(s, "sort by %s, %s (I inverts)", tui_sort_name(next),
		s->panel.descending ? "descending" : "ascending");
}

/* Enter opens or closes a node; on a leaf it shows the details. */
static void key_enter(struct tui_state *s)
{
	const struct tui_row *row = tui_panel_selected(&s->panel);

	if (row && !row->has_children) {
		s->mode = TUI_MODE_DETAIL;
		s->detail_scroll = 0;
	} else {
		tui_panel_toggle(&s->panel, tui_shown(s));
	}
}

/* Right opens a closed node; Left closes an open one, or goes to the
 * parent, as in file managers' trees. */
static void key_right(struct tui_state *s)
{
	const struct tui_row *row = tui_panel_selected(&s->panel);

	if (row && row->has_children && !row->expanded)
		tui_panel_toggle(&s->panel, tui_shown(s));
}

static void key_left(struct tui_state *s)
{
	const struct tui_row *row = tui_panel_selected(&s->panel);

	if (!row)
		return;
	if (row->has_children && row->expanded) {
		tui_panel_toggle(&s->panel, tui_shown(s));
		return;
	}
	for (size_t i = s->panel.selected; row->node->parent && i-- > 0;) {
		if (s->panel.rows[i].node == row->node->parent) {
			tui_panel_move(&s->panel, (long)i - (long)s->panel.selected);
			return;
		}
	}
}

/* [ and ]: one snapshot back or forward in a --replay file; stepping
 * pauses the playback (p plays on from there). */
static void feed_step(struct tui_state *s, int dir)
{
	struct errbuf msg;

	errbuf_clear(&msg);
	if (s->feed->ops->step(s->feed, dir, &msg) == 0) {
		s->paused = true;
		rebuild(s);
	}
	tui_message(s, "%s", msg.msg);
}

static void clear_filters(struct tui_state *s)
{
	if (!s->panel.filter && !s->panel.idle_only)
		return;
	tui_panel_set_filter(&s->panel, tui_shown(s), NULL);
	tui_panel_set_idle_only(&s->panel, tui_shown(s), false);
	tui_message(s, "filter cleared: every node");
}

/* False when the key asks to quit. */
static bool key_tree(struct tui_state *s, int type, wint_t k)
{
	long page = panel_height() > 1 ? panel_height() : 1;
	int key = type == KEY_CODE_YES ? TUI_KEY_FN((int)k) : (int)k;

	switch (tui_keys_action(key)) {
	case TUI_ACT_NONE: break;
	case TUI_ACT_UP: tui_panel_move(&s->panel, -1); break;
	case TUI_ACT_DOWN: tui_panel_move(&s->panel, 1); break;
	case TUI_ACT_PAGE_UP: tui_panel_move(&s->panel, -page); break;
	case TUI_ACT_PAGE_DOWN: tui_panel_move(&s->panel, page); break;
	case TUI_ACT_HOME: tui_panel_move(&s->panel, -(long)s->panel.n_rows); break;
	case TUI_ACT_END: tui_panel_move(&s->panel, (long)s->panel.n_rows); break;
	case TUI_ACT_ENTER: key_enter(s); break;
	case TUI_ACT_TOGGLE: tui_panel_toggle(&s->panel, tui_shown(s)); break;
	case TUI_ACT_RIGHT: key_right(s); break;
	case TUI_ACT_LEFT: key_left(s); break;
	case TUI_ACT_OPEN_ALL: tui_panel_set_all(&s->panel, tui_shown(s), true); break;
	case TUI_ACT_CLOSE_ALL: tui_panel_set_all(&s->panel, tui_shown(s), false); break;
	case TUI_ACT_DETAIL:
		s->mode = TUI_MODE_DETAIL;
		s->detail_scroll = 0;
		break;
	case TUI_ACT_PROCS: tui_procs_open(s); break;
	case TUI_ACT_SETUP: tui_setup_open(s); break;
	case TUI_ACT_SEARCH: tui_prompt_start(s, TUI_MODE_SEARCH); break;
	case TUI_ACT_FILTER: tui_prompt_start(s, TUI_MODE_FILTER); break;
	case TUI_ACT_CLEAR: clear_filters(s); break;
	case TUI_ACT_SORT_NEXT: sort_step(s, 1); break;
	case TUI_ACT_SORT_PREV: sort_step(s, -1); break;
	case TUI_ACT_SORT_INVERT:
		tui_panel_set_sort(&s->panel, tui_shown(s), s->panel.sort, !s->panel.descending);
		tui_message(s, "sort by %s, %s", tui_sort_name(s->panel.sort),
			s->panel.descending ? "descending" : "ascending");
		break;
	case TUI_ACT_IDLE_ONLY:
		tui_panel_set_idle_only(&s->panel, tui_shown(s), !s->panel.idle_only);
		if (s->panel.idle_only)
			tui_message(s, "idle nodes only (i again or Esc: all)");
		break;
	case TUI_ACT_BY_OWNER: toggle_by_owner(s); break;
	case TUI_ACT_THEME: next_theme(s); break;
	case TUI_ACT_PAUSE:
		s->paused = !s->paused;
		tui_message(s, s->paused ? "paused: the screen holds, sampling goes on" : "resumed");
		if (!s->paused)
			rebuild(s);
		break;
	case TUI_ACT_REPLAY_BACK: feed_step(s, -1); break;
	case TUI_ACT_REPLAY_FORWARD: feed_step(s, 1); break;
	case TUI_ACT_REDRAW: tui_screen_redraw_all(); break;
	case TUI_ACT_HELP:
		s->mode = TUI_MODE_HELP;
		s->help_scroll = 0;
		break;
	case TUI_ACT_QUIT: return false;
	}
	return true;
}

/* Up, Down, PgUp, PgDn, Home, End scroll a pane of text; false for any
 * other key. */
static bool key_scroll(size_t *scroll, int type, wint_t k)
{
	long page = panel_height() > 2 ? panel_height() - 1 : 1;

	if (type != KEY_CODE_YES)
		return false;
	switch (k) {
	case KEY_UP: *scroll = *scroll > 0 ? *scroll - 1 : 0; return true;
	case KEY_DOWN: (*scroll)++; return true;
	case KEY_PPAGE: *scroll = *scroll > (size_t)page ? *scroll - (size_t)page : 0; return true;
	case KEY_NPAGE: *scroll += (size_t)page; return true;
	case KEY_HOME: *scroll = 0; return true;
	case KEY_END: *scroll = (size_t)-1 / 2; return true; /* clamped when drawn */
	default: return false;
	}
}

static bool key_help(struct tui_state *s, int type, wint_t k)
{
	if (type == KEY_CODE_YES && k == KEY_F(10))
		return false;
	if (!key_scroll(&s->help_scroll, type, k))
		s->mode = TUI_MODE_TREE;
	return true;
}

static bool key_detail(struct tui_state *s, int type, wint_t k)
{
	if (type == KEY_CODE_YES) {
		if (k == KEY_F(10))
			return false;
		if (!key_scroll(&s->detail_scroll, type, k) && k == KEY_ENTER)
			s->mode = TUI_MODE_TREE;
		return true;
	}
	if (k == 'q')
		return false;
	if (k == KEY_ESC || k == 'd' || k == '\r' || k == '\n' || k == ' ')
		s->mode = TUI_MODE_TREE;
	else if (k == KEY_CTRL_L)
		tui_screen_redraw_all();
	return true;
}

static bool key_procs(struct tui_state *s, int type, wint_t k)
{
	if (type == KEY_CODE_YES) {
		if (k == KEY_F(10))
			return false;
		if (!key_scroll(&s->procs_scroll, type, k) && k == KEY_ENTER) {
			s->mode = TUI_MODE_TREE;
			tui_procs_close(s);
		}
		return true;
	}
	if (k == 'q')
		return false;
	if (k == KEY_ESC || k == 'P' || k == '\r' || k == '\n' || k == ' ') {
		s->mode = TUI_MODE_TREE;
		tui_procs_close(s);
	} else if (k == KEY_CTRL_L) {
		tui_screen_redraw_all();
	}
	return true;
}

static void setup_save(struct tui_state *s)
{
	struct errbuf err;
	char *path = NULL;

	errbuf_clear(&err);
	if (tui_setup_save(s, &path, &err) < 0)
		tui_message(s, "setup not saved: %s", err.msg);
	else
		tui_message(s, "setup saved to %s", path);
	free(path);
}

static bool key_setup(struct tui_state *s, int type, wint_t k)
{
	switch (tui_setup_key(s, type, k)) {
	case TUI_SETUP_GO_ON: break;
	case TUI_SETUP_THEME: next_theme(s); break;
	case TUI_SETUP_DONE:
		setup_save(s);
		s->mode = TUI_MODE_TREE;
		break;
	case TUI_SETUP_QUIT:
		setup_save(s);
		return false;
	}
	return true;
}

/* The tree's body: the column titles, then the rows. */
static void draw_tree(struct tui_state *s, int top, int height)
{
	tui_panel_draw(s, top, top + 1, height - 1);
}

/* What each mode does with a key (false: quit) and how it draws the
 * screen between the header and the status line.  The prompts draw in
 * the status line over the tree. */
static const struct tui_mode_ops {
	bool (*key)(struct tui_state *s, int type, wint_t k);
	void (*draw)(struct tui_state *s, int top, int height);
} modes[] = {
	[TUI_MODE_TREE] = {key_tree, draw_tree},
	[TUI_MODE_HELP] = {key_help, tui_help_draw},
	[TUI_MODE_DETAIL] = {key_detail, tui_detail_draw},
	[TUI_MODE_SEARCH] = {tui_prompt_key, draw_tree},
	[TUI_MODE_FILTER] = {tui_prompt_key, draw_tree},
	[TUI_MODE_PROCS] = {key_procs, tui_procs_draw},
	[TUI_MODE_SETUP] = {key_setup, tui_setup_draw},
};

static void draw(struct tui_state *s)
{
	int rows, cols;
	bool small;
	int y = 0;

	tui_screen_size(&rows, &cols);
	small = rows < TUI_MIN_ROWS || cols < TUI_MIN_COLS;
	tui_screen_begin();
	/* From the top: header, idle line, titles, rows; the status line
	 * (or the hint) always has the last line. */
	if (rows >= 3) {
		tui_header_draw(s, small ? 1 : 2);
		y = small ? 1 : 2;
	}
	int body = rows - y - 1;
	if (body > 0)
		modes[s->mode].draw(s, y, body);
	if (rows >= 1)
		tui_status_draw(s, rows - 1, clock_mono_ns(), small);
	tui_screen_commit();
}

/* Readable with nothing to read: the end of input (stdin is not a
 * terminal, or it went away).  Without this check the loop would spin. */
static bool input_ended(void)
{
	int avail = 0;

	return ioctl(STDIN_FILENO, FIONREAD, &avail) < 0 || avail == 0;
}

/* Reads every pending key; false when one asks to quit.  *ended is set
 * when input ended. */
static bool read_keys(struct tui_state *s, bool *ended)
{
	bool any = false;
	wint_t k;
	int type;

	while ((type = get_wch(&k)) != ERR) {
		any = true;
		if (type == KEY_CODE_YES && k == KEY_RESIZE)
			continue;
		if (!modes[s->mode].key(s, type, k))
			return false;
	}
	*ended = !any && input_ended();
	return true;
}

static int poll_timeout_ms(uint64_t due)
{
	uint64_t now = clock_mono_ns();
	uint64_t to_due = due > now ? due - now : 0;
	/* Wake at the next wall-clock second for the clock and countdowns. */
	uint64_t to_tick = NS_PER_S - clock_wall_ns() % NS_PER_S;
	uint64_t ns = to_due < to_tick ? to_due : to_tick;

	return (int)((ns + 999999) / 1000000);
}

static int tui_main(struct app *app, struct tui_feed *feed)
{
	const struct options *o = app->opts;
	long iterations = (o->set_on_cli & OPTSET_ITERATIONS) ? o->iterations : 0;
	const char *nc = getenv("NO_COLOR");
	struct sigaction old_sig[3];
	struct tui_state s;
	struct errbuf err;
	uint64_t due;

	memset(&s, 0, sizeof(s));
	s.app = app;
	s.feed = feed;
	errbuf_clear(&err);
	tui_text_set_utf8(strcmp(nl_langinfo(CODESET), "UTF-8") == 0);
	if (load_first_theme(&s, o->theme, &err) < 0) {
		glass_say("%s", err.msg);
		return GLASS_EXIT_USAGE;
	}
	s.no_color = nc && *nc;
	tui_panel_init(&s.panel);
	tui_setup_apply_options(&s);
	s.history = idmap_new();
	tui_signals_install(app->board, old_sig);
	if (!tui_screen_init()) {
		const char *term = getenv("TERM");
		tui_signals_restore(old_sig);
		glass_say("cannot use the terminal (TERM=%s): try glass -b",
			term ? term : "unset");
		tui_screen_done();
		return GLASS_EXIT_FAILED;
	}
	app_start(app);
	tui_screen_apply_theme(&s.theme, s.no_color);
	rebuild(&s);
	if (s.feed->live && !cpustat_read("/proc/stat", &s.cpu_cur))
		memset(&s.cpu_cur, 0, sizeof(s.cpu_cur));
	due = app->start_mono + app->interval_ns;
	struct pollfd pfd[3] = {
		{.fd = STDIN_FILENO, .events = POLLIN},
		{.fd = board_wake_fd(app->board), .events = POLLIN},
		{.fd = s.feed->ops->wake_fd(s.feed), .events = POLLIN},
	};
	for (bool running = true; running && !tui_signals_stop_requested();) {
		bool last = false;

		if (tui_signals_take_resize()) {
			tui_screen_resize();
			/* From the top again: a taller screen shows the first
			 * rows, the selection still in view (scrolled when drawn). */
			s.panel.top = 0;
		}
		if (clock_mono_ns() >= due) {
			/* A scheduled refresh: the one --iterations counts. */
			s.refreshes++;
			if (!s.paused)
				s.feed->ops->advance(s.feed);
			if (s.feed->live) {
				cpustat_done(&s.cpu_prev);
				s.cpu_prev = s.cpu_cur;
				if (!cpustat_read("/proc/stat", &s.cpu_cur))
					memset(&s.cpu_cur, 0, sizeof(s.cpu_cur));
			}
			if (!s.paused) {
				rebuild(&s);
				tui_history_record(&s, panel_height() > 0 ? (size_t)panel_height() : 0);
				if (s.mode == TUI_MODE_PROCS)
					tui_procs_refresh(&s);
			}
			while (due <= clock_mono_ns())
				due += app->interval_ns;
			last = iterations > 0 && (long)s.refreshes >= iterations;
		}
		draw(&s);
		if (last)
			break;
		int rc = poll(pfd, 3, poll_timeout_ms(due));
		if (rc < 0 && errno != EINTR)
			break;
		if (rc <= 0)
			continue;
		if (pfd[1].revents & POLLIN) {
			board_drain(app->board);
			app_ingest(app);
			if (!s.paused)
				rebuild(&s);
		}
		/* a tree the feed read on its own thread: shown paused or not
		 * (a step back asked for it) */
		if (pfd[2].revents & POLLIN)
			rebuild(&s);
		if (pfd[0].revents & (POLLHUP | POLLERR))
			break; /* the terminal went away */
		if (pfd[0].revents & POLLIN) {
			bool ended = false;
			running = read_keys(&s, &ended);
			/* No more keys (stdin is a file): show on, until a
			 * signal or --iterations. */
			if (ended)
				pfd[0].fd = -1;
		}
	}
	tui_screen_done();
	tui_signals_restore(old_sig);
	cpustat_done(&s.cpu_prev);
	cpustat_done(&s.cpu_cur);
	tui_procs_close(&s);
	procs_free(s.procs);
	free(s.procs_name);
	tui_setup_done(&s);
	tui_panel_done(&s.panel);
	tui_owners_free(s.owners);
	tree_free(s.tree);
	tui_history_free(&s);
	return GLASS_EXIT_OK;
}

static int run_feed(struct app *app, struct tui_feed *feed)
{
	int status = tui_main(app, feed);

	tui_feed_free(feed);
	return status;
}

int tui_run(struct app *app)
{
	return run_feed(app, tui_feed_live(app));
}

int tui_run_replay(struct app *app, struct replay_index *replay)
{
	return run_feed(app, tui_feed_replay(replay));
}
