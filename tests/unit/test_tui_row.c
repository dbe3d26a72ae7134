/* The TUI's lines without a terminal: columns, widths, escaping, units. */
#include <locale.h>
#include <string.h>

#include "glass/clock.h"
#include "glass/tui/row.h"
#include "glass/tui/text.h"
#include "glass/units.h"
#include "glass/value.h"
#include "glass/xalloc.h"
#include "unit.h"

static void utf8_mode(bool on)
{
	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, "C.UTF-8"));
	tui_text_set_utf8(on);
	units_set_utf8(on);
}

/* A site with one host holding one VM named `vm_name`. */
static struct tree *make_tree(const char *vm_name)
{
	struct tree *t = xcalloc(1, sizeof(*t));
	struct node *site = node_new(NODE_SITE, "site", "site");
	struct node *host = node_new(NODE_HOST, "host:h1", "h1");
	struct node *vm = node_new(NODE_VM, "vm:h1/u1", vm_name);

	host->source = 0;
	vm->source = 0;
	host->res.cpu_cores_allocated = 8;
	host->res.cpu_cores_used = 2;
	host->res.mem_bytes_allocated = 16.0 * 1024 * 1024 * 1024;
	host->res.mem_bytes_used = 1.5 * 1024 * 1024 * 1024;
	vm->res.cpu_cores_allocated = 2;
	vm->res.cpu_cores_used = 1;
	node_add_child(site, host);
	node_add_child(host, vm);
	t->root = site;
	t->n_sources = 1;
	t->sources = xcalloc(1, sizeof(*t->sources));
	t->sources[0].name = xstrdup("local");
	t->sources[0].kind = "host";
	t->sources[0].health = HEALTH_OK;
	t->n_nodes = 3;
	return t;
}

static char *render(const struct tree *t, const struct node *n, int depth, size_t width)
{
	struct tui_layout L;
	struct tui_row row = {.node = n, .depth = depth, .has_children = n->n_children > 0,
			      .expanded = true};
	struct tui_row_ctx ctx = {.tree = t, .now_wall_ns = 1000 * NS_PER_S};
	struct strbuf sb;

	tui_layout_compute(&L, width, tui_row_name_want(&row), tui_row_idle_want(n));
	strbuf_init(&sb);
	tui_row_render(&L, &row, &ctx, &sb);
	return strbuf_detach(&sb);
}

static void assert_no_controls(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		ck_assert_msg(*p >= 0x20 && *p != 0x7f, "control byte 0x%02x in '%s'", *p, s);
}

START_TEST(escape_sequence_name_is_shown_escaped)
{
	utf8_mode(true);
	struct tree *t = make_tree("\x1b]0;pwned\a");
	const struct node *vm = t->root->children[0]->children[0];
	char *line = render(t, vm, 2, 120);

	assert_no_controls(line);
	ck_assert_ptr_nonnull(strstr(line, "\\x1b]0;pwned\\x07"));
	ck_assert_uint_eq(tui_text_width(line), 120);
	free(line);
	tree_free(t);
}
END_TEST

START_TEST(invalid_utf8_and_c1_escaped)
{
	utf8_mode(true);
	struct tree *t = make_tree("bad\xff\xc2\x9b" "end");
	char *line = render(t, t->root->children[0]->children[0], 2, 100);

	assert_no_controls(line);
	ck_assert_ptr_nonnull(strstr(line, "bad\\xff\\xc2\\x9bend"));
	free(line);
	tree_free(t);
}
END_TEST

START_TEST(ascii_locale_escapes_non_ascii)
{
	utf8_mode(false);
	struct tree *t = make_tree("caf\xc3\xa9");
	char *line = render(t, t->root->children[0], 1, 100);

	for (const unsigned char *p = (const unsigned char *)line; *p; p++)
		ck_assert_uint_lt(*p, 0x80);
	ck_assert_ptr_nonnull(strstr(line, "- h1")); /* ASCII open marker */
	free(line);
	line = render(t, t->root->children[0]->children[0], 2, 100);
	ck_assert_ptr_nonnull(strstr(line, "caf\\xc3\\xa9"));
	free(line);
	tree_free(t);
	utf8_mode(true);
}
END_TEST

START_TEST(every_width_is_exact)
{
	utf8_mode(true);
	struct tree *t = make_tree("a-rather-long-virtual-machine-name-\xe2\x9c\x93-that-goes-on");
	const struct node *nodes[3] = {t->root, t->root->children[0],
				       t->root->children[0]->children[0]};

	for (size_t w = 1; w <= 220; w++) {
		for (int k = 0; k < 3; k++) {
			char *line = render(t, nodes[k], k, w);
			ck_assert_msg(tui_text_width(line) == w, "width %zu: '%s' is %zu cells", w,
				      line, tui_text_width(line));
			free(line);
		}
	}
	tree_free(t);
}
END_TEST

START_TEST(long_names_cut_with_ellipsis)
{
	utf8_mode(true);
	struct tree *t = make_tree("a-rather-long-virtual-machine-name-that-goes-on-and-on");
	char *line = render(t, t->root->children[0]->children[0], 2, 40);

	ck_assert_ptr_nonnull(strstr(line, "\xe2\x80\xa6")); /* … */
	ck_assert_ptr_null(strstr(line, "and-on"));
	free(line);
	tree_free(t);
}
END_TEST

START_TEST(columns_drop_from_the_right)
{
	struct tui_layout L;

	utf8_mode(true);
	tui_layout_compute(&L, 200, 20, 0);
	ck_assert_uint_eq(L.n_cols, TUI_COL_COUNT);
	ck_assert_ptr_nonnull(tui_layout_find(&L, TUI_COL_IDLE));
	tui_layout_compute(&L, 80, 20, 0);
	ck_assert_ptr_null(tui_layout_find(&L, TUI_COL_NET_RX));
	ck_assert_ptr_null(tui_layout_find(&L, TUI_COL_DISK_R));
	ck_assert_ptr_nonnull(tui_layout_find(&L, TUI_COL_CPU_USED));
	ck_assert_ptr_nonnull(tui_layout_find(&L, TUI_COL_IDLE));
	tui_layout_compute(&L, 20, 20, 0);
	ck_assert_ptr_nonnull(tui_layout_find(&L, TUI_COL_NAME));
	ck_assert_ptr_null(tui_layout_find(&L, TUI_COL_KIND));
	for (size_t w = 1; w < 220; w++) {
		tui_layout_compute(&L, w, 30, 0);
		ck_assert_uint_ge(L.n_cols, 1);
		ck_assert_uint_eq(L.cols[0].col, TUI_COL_NAME);
		const struct tui_layout_col *last = &L.cols[L.n_cols - 1];
		ck_assert_uint_le(last->x + last->w, w);
	}
}
END_TEST

START_TEST(unknown_is_a_dash_and_bars_show_percent)
{
	utf8_mode(true);
	struct tree *t = make_tree("vm1");
	struct node *vm = t->root->children[0]->children[0];
	char *line = render(t, vm, 2, 200);

	/* mem of the VM is unknown: "—", never 0 */
	ck_assert_ptr_nonnull(strstr(line, "\xe2\x80\x94"));
	ck_assert_ptr_nonnull(strstr(line, "[|||| 50%]")); /* 1 of 2 cores, 8 cells inside */
	free(line);
	ck_assert_int_eq(tui_row_bar_fill(1, 2, 10), 5);
	ck_assert_int_eq(tui_row_bar_fill(3, 2, 10), 10);
	ck_assert_int_eq(tui_row_bar_fill(1, GLASS_UNKNOWN, 10), -1);
	tree_free(t);
}
END_TEST

START_TEST(down_source_shows_reason_and_countdown)
{
	utf8_mode(true);
	struct tree *t = make_tree("vm1");
	t->sources[0].health = HEALTH_UNREACHABLE;
	t->sources[0].reason = xstrdup("connection refused");
	t->sources[0].next_retry_wall_ns = 1005 * NS_PER_S;
	t->root->children[0]->children[0]->stale = true;
	char *host = render(t, t->root->children[0], 1, 200);
	char *vm = render(t, t->root->children[0]->children[0], 2, 200);

	ck_assert_ptr_nonnull(strstr(host, "unreachable"));
	ck_assert_ptr_nonnull(strstr(host, "connection refused \xc2\xb7 retry in 5s"));
	ck_assert(tui_row_source_down(t->root->children[0], t));
	ck_assert(!tui_row_source_down(t->root->children[0]->children[0], t));
	ck_assert_ptr_nonnull(strstr(vm, "stale"));
	free(host);
	free(vm);
	tree_free(t);
}
END_TEST

/* One machine of a fresh source is unreachable: its row says so in STATE
 * and keeps its (unknown) figures, not a source's reason and countdown. */
START_TEST(unreachable_node_of_a_fresh_source)
{
	utf8_mode(true);
	struct tree *t = make_tree("vm1");
	struct node *host = t->root->children[0];
	host->state = xstrdup("down");
	node_set_health(host, HEALTH_UNREACHABLE, "connection refused");
	char *hl = render(t, host, 1, 200);
	char *vl = render(t, host->children[0], 2, 200);

	ck_assert(!tui_row_source_down(host, t));
	ck_assert_ptr_nonnull(strstr(hl, "unreachable"));
	ck_assert_ptr_null(strstr(hl, "retry"));
	ck_assert_ptr_null(strstr(vl, "unreachable"));
	free(hl);
	free(vl);
	tree_free(t);
}
END_TEST

/* The headline is never cut while it is on screen: the rates drop
 * first, and spare cells widen it. */
START_TEST(idle_column_holds_its_figure_whole)
{
	struct tui_layout L;
	const struct tui_layout_col *c;

	utf8_mode(true);
	for (size_t want = 0; want <= TUI_IDLE_MAX; want++) {
		for (size_t w = 60; w <= 220; w++) {
			tui_layout_compute(&L, w, 24, want);
			c = tui_layout_find(&L, TUI_COL_IDLE);
			if (c)
				ck_assert_uint_ge(c->w, want);
		}
	}
	/* "idle? 12.5c 1.5G" at 120 columns: shown, whole, and a rate
	 * column gave way for it */
	tui_layout_compute(&L, 120, 24, 16);
	c = tui_layout_find(&L, TUI_COL_IDLE);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_ge(c->w, 16);
	ck_assert_ptr_null(tui_layout_find(&L, TUI_COL_NET_TX));
	/* wider than TUI_IDLE_MAX: the spare cells at the right */
	tui_layout_compute(&L, 220, 20, 30);
	c = tui_layout_find(&L, TUI_COL_IDLE);
	ck_assert_uint_eq(c->w, 30);
	/* the name's width alone decides NAME's place: never the rows */
	tui_layout_compute(&L, 120, 20, 8);
	ck_assert_uint_eq(tui_layout_find(&L, TUI_COL_NAME)->w, 20);
}
END_TEST

START_TEST(over_quota_is_used_above_allocated)
{
	struct node *n = node_new(NODE_CONTAINER, "ct:h/a", "a");

	n->res.cpu_cores_allocated = 2;
	n->res.cpu_cores_used = 2.01; /* jitter at the limit */
	ck_assert(!tui_node_over_quota(n));
	n->res.cpu_cores_used = 2.5;
	ck_assert(tui_node_over_quota(n));
	n->res.cpu_cores_used = GLASS_UNKNOWN;
	n->res.mem_bytes_allocated = 1024;
	n->res.mem_bytes_used = 4096;
	ck_assert(tui_node_over_quota(n));
	n->res.mem_bytes_allocated = GLASS_UNKNOWN;
	ck_assert(!tui_node_over_quota(n));
	node_free(n);
}
END_TEST

/* libvirt's VMs under the local host (another source): when libvirt
 * stops answering, the host's line says why and the VM keeps its
 * numbers, marked stale. */
START_TEST(down_source_below_another_host_shows_on_the_host)
{
	utf8_mode(true);
	struct tree *t = make_tree("vm1");
	struct node *host = t->root->children[0];
	struct node *vm = host->children[0];

	t->sources = xreallocarray(t->sources, 2, sizeof(*t->sources));
	t->n_sources = 2;
	memset(&t->sources[1], 0, sizeof(t->sources[1]));
	t->sources[1].name = xstrdup("qemu:///system");
	t->sources[1].kind = "libvirt";
	t->sources[1].health = HEALTH_STALE;
	t->sources[1].reason = xstrdup("no reading for 3.0 s");
	vm->source = 1;
	vm->stale = true;
	ck_assert_int_eq(tui_row_down_source(host, t), 1);
	ck_assert_int_eq(tui_row_down_source(vm, t), -1);
	char *hl = render(t, host, 1, 200);
	char *vl = render(t, vm, 2, 200);
	ck_assert_ptr_nonnull(strstr(hl, "stale"));
	ck_assert_ptr_nonnull(strstr(hl, "no reading for 3.0 s \xc2\xb7 call pending"));
	ck_assert_ptr_null(strstr(vl, "no reading"));
	ck_assert_ptr_nonnull(strstr(vl, "stale"));
	ck_assert_ptr_nonnull(strstr(vl, "[|||| 50%]")); /* its numbers stay */
	free(hl);
	free(vl);
	tree_free(t);
}
END_TEST

START_TEST(title_marks_the_sort_column)
{
	struct tui_layout L;
	struct strbuf sb;

	utf8_mode(true);
	tui_layout_compute(&L, 120, 20, 0);
	strbuf_init(&sb);
	tui_row_title(&L, TUI_COL_CPU_USED, true, &sb);
	ck_assert_ptr_nonnull(strstr(sb.buf, "USED\xe2\x96\xbc"));
	ck_assert_uint_eq(tui_text_width(sb.buf), 120);
	strbuf_done(&sb);
}
END_TEST

static Suite *tui_row_suite(void)
{
	Suite *s = suite_create("tui_row");
	TCase *tc = tcase_create("row");

	tcase_add_test(tc, escape_sequence_name_is_shown_escaped);
	tcase_add_test(tc, invalid_utf8_and_c1_escaped);
	tcase_add_test(tc, ascii_locale_escapes_non_ascii);
	tcase_add_test(tc, every_width_is_exact);
	tcase_add_test(tc, long_names_cut_with_ellipsis);
	tcase_add_test(tc, columns_drop_from_the_right);
	tcase_add_test(tc, unknown_is_a_dash_and_bars_show_percent);
	tcase_add_test(tc, down_source_shows_reason_and_countdown);
	tcase_add_test(tc, unreachable_node_of_a_fresh_source);
	tcase_add_test(tc, title_marks_the_sort_column);
	tcase_add_test(tc, idle_column_holds_its_figure_whole);
	tcase_add_test(tc, over_quota_is_used_above_allocated);
	tcase_add_test(tc, down_source_below_another_host_shows_on_the_host);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(tui_row_suite)
