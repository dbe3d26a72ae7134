/* The tree panel's state across refreshes, without a terminal. */
#include <math.h>
#include <string.h>

#include "glass/idmap.h"
#include "glass/tui/panel.h"
#include "glass/tui/state.h"
#include "glass/tui/trend.h"
#include "glass/xalloc.h"
#include "unit.h"

static struct node *add(struct node *parent, enum node_kind k, const char *id, const char *name,
			double cpu_used)
{
	struct node *n = node_new(k, id, name);

	n->res.cpu_cores_used = cpu_used;
	n->source = 0;
	node_add_child(parent, n);
	return n;
}

/* site > alpha (vm zed, vm yak), beta; cpu used: yak 3, zed 1, beta 2. */
static struct tree *make_tree(void)
{
	struct tree *t = xcalloc(1, sizeof(*t));
	struct node *site = node_new(NODE_SITE, "site", "site");
	struct node *alpha = add(site, NODE_HOST, "host:alpha", "alpha", 0.5);

	add(alpha, NODE_VM, "vm:alpha/2", "zed", 1);
	add(alpha, NODE_VM, "vm:alpha/1", "yak", 3);
	add(site, NODE_HOST, "host:beta", "beta", 2);
	t->root = site;
	return t;
}

static const char *row_name(const struct tui_panel *p, size_t i)
{
	ck_assert_uint_lt(i, p->n_rows);
	return p->rows[i].node->name;
}

static void assert_rows(const struct tui_panel *p, const char *want)
{
	char got[256] = "";

	for (size_t i = 0; i < p->n_rows; i++) {
		strcat(got, i ? " " : "");
		strcat(got, row_name(p, i));
	}
	ck_assert_str_eq(got, want);
}

START_TEST(flattens_sorted_by_name)
{
	struct tui_panel p;
	struct tree *t = make_tree();

	tui_panel_init(&p);
	tui_panel_rebuild(&p, t);
	assert_rows(&p, "site alpha yak zed beta");
	ck_assert_int_eq(p.rows[2].depth, 2);
	ck_assert(p.rows[1].has_children && p.rows[1].expanded);
	ck_assert(!p.rows[2].has_children);
	tui_panel_done(&p);
	tree_free(t);
}
END_TEST

/* The next tree with beta gone. */
static struct tree *make_tree_without_beta(void)
{
	struct tree *t = make_tree();

	node_free(t->root->children[1]);
	t->root->n_children = 1;
	return t;
}

/* The panel over t with alpha closed and beta selected. */
static void close_alpha_select_beta(struct tui_panel *p, const struct tree *t)
{
	tui_panel_init(p);
	tui_panel_rebuild(p, t);
	tui_panel_move(p, 1); /* alpha */
	ck_assert(tui_panel_toggle(p, t));
	tui_panel_move(p, 1); /* beta */
}

START_TEST(toggle_and_selection_survive_refresh)
{
	struct tui_panel p;
	struct tree *t = make_tree();

	close_alpha_select_beta(&p, t);
	assert_rows(&p, "site alpha beta");
	ck_assert_str_eq(p.selected_id, "host:beta");
	/* A new tree (a refresh): same ids, new pointers. */
	struct tree *t2 = make_tree();
	tui_panel_rebuild(&p, t2);
	tree_free(t);
	assert_rows(&p, "site alpha beta");
	ck_assert_str_eq(tui_panel_selected(&p)->node->id, "host:beta");
	/* The selected node goes away: the selection stays in place. */
	struct tree *t3 = make_tree_without_beta();
	tui_panel_rebuild(&p, t3);
	ck_assert_str_eq(tui_panel_selected(&p)->node->id, "host:alpha");
	tui_panel_done(&p);
	tree_free(t2);
	tree_free(t3);
}
END_TEST

/* The live TUI frees the tree on screen before the next is built: the
 * panel drops its rows first and keeps the rest (tui_panel_release). */
START_TEST(release_keeps_selection_and_toggles)
{
	struct tui_panel p;
	struct tree *t = make_tree();

	close_alpha_select_beta(&p, t);
	tui_panel_release(&p);
	ck_assert_uint_eq(p.n_rows, 0);
	ck_assert_ptr_null(tui_panel_selected(&p));
	tree_free(t); /* nothing of the panel points into it now */
	struct tree *t2 = make_tree();
	tui_panel_rebuild(&p, t2);
	assert_rows(&p, "site alpha beta");
	ck_assert_str_eq(tui_panel_selected(&p)->node->id, "host:beta");
	/* the selected node gone from the next tree: the same place */
	tui_panel_release(&p);
	tree_free(t2);
	struct tree *t3 = make_tree_without_beta();
	tui_panel_rebuild(&p, t3);
	ck_assert_str_eq(tui_panel_selected(&p)->node->id, "host:alpha");
	tui_panel_done(&p);
	tree_free(t3);
}
END_TEST

START_TEST(sort_by_cpu_descending_per_parent)
{
	struct tui_panel p;
	struct tree *t = make_tree();

	tui_panel_init(&p);
	tui_panel_set_sort(&p, t, TUI_SORT_CPU_USED, true);
	assert_rows(&p, "site beta alpha yak zed");
	tui_panel_set_sort(&p, t, TUI_SORT_CPU_USED, false);
	assert_rows(&p, "site alpha zed yak beta");
	/* numbers start biggest first, names A to Z */
	ck_assert(tui_sort_starts_descending(TUI_SORT_CPU_USED));
	ck_assert(tui_sort_starts_descending(TUI_SORT_MEM_ALLOC));
	ck_assert(tui_sort_starts_descending(TUI_SORT_IDLE));
	ck_assert(tui_sort_starts_descending(TUI_SORT_WATTS));
	ck_assert_int_eq(tui_sort_column(TUI_SORT_WATTS), TUI_COL_WATTS);
	ck_assert_str_eq(tui_sort_name(TUI_SORT_WATTS), "watts");
	ck_assert(!tui_sort_starts_descending(TUI_SORT_NAME));
	ck_assert(!tui_sort_starts_descending(TUI_SORT_KIND));
	ck_assert(!tui_sort_starts_descending(TUI_SORT_STATE));
	/* unknown sorts last both ways */
	t->root->children[1]->res.cpu_cores_used = NAN;
	tui_panel_set_sort(&p, t, TUI_SORT_CPU_USED, true);
	assert_rows(&p, "site alpha yak zed beta");
	tui_panel_done(&p);
	tree_free(t);
}
END_TEST

START_TEST(filter_keeps_ancestors)
{
	struct tui_panel p;
	struct tree *t = make_tree();

	tui_panel_init(&p);
	tui_panel_rebuild(&p, t);
	tui_panel_set_all(&p, t, false);
	assert_rows(&p, "site alpha beta");
	tui_panel_set_filter(&p, t, "ZE");
	assert_rows(&p, "site alpha zed");
	tui_panel_set_filter(&p, t, "nothing-like-it");
	ck_assert_uint_eq(p.n_rows, 0);
	ck_assert_ptr_null(tui_panel_selected(&p));
	tui_panel_set_filter(&p, t, NULL);
	assert_rows(&p, "site alpha beta"); /* closed again as before */
	tui_panel_set_idle_only(&p, t, true);
	ck_assert_uint_eq(p.n_rows, 0); /* nothing is flagged idle yet */
	tui_panel_done(&p);
	tree_free(t);
}
END_TEST

START_TEST(search_opens_ancestors_and_moves_on)
{
	struct tui_panel p;
	struct tree *t = make_tree();

	tui_panel_init(&p);
	tui_panel_rebuild(&p, t);
	tui_panel_set_all(&p, t, false);
	ck_assert(tui_panel_search(&p, t, "yak", false));
	ck_assert_str_eq(p.selected_id, "vm:alpha/1");
	assert_rows(&p, "site alpha yak zed beta");
	ck_assert_str_eq(tui_panel_selected(&p)->node->name, "yak");
	/* "a" matches alpha, yak, beta: next goes on from yak to beta,
	 * then wraps to alpha. */
	ck_assert(tui_panel_search(&p, t, "a", true));
	ck_assert_str_eq(p.selected_id, "host:beta");
	ck_assert(tui_panel_search(&p, t, "a", true));
	ck_assert_str_eq(p.selected_id, "host:alpha");
	ck_assert(!tui_panel_search(&p, t, "qqq", true));
	tui_panel_done(&p);
	tree_free(t);
}
END_TEST

START_TEST(move_and_scroll_clamp)
{
	struct tui_panel p;
	struct tree *t = make_tree();

	tui_panel_init(&p);
	tui_panel_rebuild(&p, t);
	tui_panel_move(&p, -10);
	ck_assert_uint_eq(p.selected, 0);
	tui_panel_move(&p, 100);
	ck_assert_uint_eq(p.selected, 4);
	tui_panel_scroll(&p, 2);
	ck_assert_uint_eq(p.top, 3);
	tui_panel_scroll(&p, 0); /* a 0-row panel must not crash */
	tui_panel_move(&p, -100);
	tui_panel_scroll(&p, 2);
	ck_assert_uint_eq(p.top, 0);
	tui_panel_done(&p);
	tree_free(t);
}
END_TEST

/* The detail pane's history follows the rows on screen and the
 * selected node, not every node of the tree. */
START_TEST(history_follows_the_rows_on_screen)
{
	struct tui_state s;
	struct tree *t = make_tree();

	memset(&s, 0, sizeof(s));
	tui_panel_init(&s.panel);
	s.history = idmap_new();
	s.tree = t;
	tui_panel_rebuild(&s.panel, t); /* site alpha yak zed beta */
	s.panel.top = 1;
	tui_panel_move(&s.panel, 4); /* beta, off a screen of two rows */
	s.refreshes = 1;
	tui_history_record(&s, 2);
	ck_assert_ptr_null(idmap_get(s.history, "site"));
	ck_assert_ptr_nonnull(idmap_get(s.history, "host:alpha"));
	ck_assert_ptr_nonnull(idmap_get(s.history, "vm:alpha/1"));
	ck_assert_ptr_null(idmap_get(s.history, "vm:alpha/2"));
	ck_assert_ptr_nonnull(idmap_get(s.history, "host:beta"));
	ck_assert_uint_eq(idmap_count(s.history), 3);

	/* scrolled down: alpha leaves the screen and is forgotten, yak
	 * stays and has two refreshes */
	s.panel.top = 2;
	s.refreshes = 2;
	tui_history_record(&s, 2);
	ck_assert_ptr_null(idmap_get(s.history, "host:alpha"));
	ck_assert_uint_eq(((const struct tui_history *)idmap_get(s.history, "vm:alpha/1"))->n, 2);
	ck_assert_uint_eq(((const struct tui_history *)idmap_get(s.history, "vm:alpha/2"))->n, 1);
	ck_assert_uint_eq(idmap_count(s.history), 3);
	tui_history_free(&s);
	tui_panel_done(&s.panel);
	tree_free(t);
}
END_TEST

static Suite *tui_panel_suite(void)
{
	Suite *s = suite_create("tui_panel");
	TCase *tc = tcase_create("panel");

	tcase_add_test(tc, flattens_sorted_by_name);
	tcase_add_test(tc, toggle_and_selection_survive_refresh);
	tcase_add_test(tc, release_keeps_selection_and_toggles);
	tcase_add_test(tc, sort_by_cpu_descending_per_parent);
	tcase_add_test(tc, filter_keeps_ancestors);
	tcase_add_test(tc, search_opens_ancestors_and_moves_on);
	tcase_add_test(tc, move_and_scroll_clamp);
	tcase_add_test(tc, history_follows_the_rows_on_screen);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(tui_panel_suite)
