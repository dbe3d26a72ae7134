/* The header and the detail pane as text, without a terminal. */
#include <locale.h>
#include <string.h>

#include "glass/clock.h"
#include "glass/tui/detail.h"
#include "glass/tui/header.h"
#include "glass/tui/text.h"
#include "glass/units.h"
#include "glass/value.h"
#include "glass/xalloc.h"
#include "unit.h"

static struct tree *make_tree(void)
{
	struct tree *t = xcalloc(1, sizeof(*t));
	struct node *site = node_new(NODE_SITE, "site", "site");
	struct node *host = node_new(NODE_HOST, "host:h1", "h1");
	struct node *vm = node_new(NODE_VM, "vm:h1/\x1b[2J", "\x1b]0;pwned\a");
	struct node *ct = node_new(NODE_CONTAINER, "ct:h1/a", "a");

	host->source = vm->source = ct->source = 0;
	vm->state = xstrdup("run\x1b[31m");
	vm->res.cpu_cores_allocated = 2;
	vm->res.cpu_cores_used = 0.5;
	node_add_child(site, host);
	node_add_child(host, vm);
	node_add_child(host, ct);
	t->root = site;
	t->n_sources = 2;
	t->sources = xcalloc(2, sizeof(*t->sources));
	t->sources[0].name = xstrdup("qemu+tcp://h1\x1b/system");
	t->sources[0].kind = "libvirt";
	t->sources[0].health = HEALTH_STALE;
	t->sources[0].reason = xstrdup("no reading for 4s\a");
	t->sources[0].last_ok_wall_ns = 96 * NS_PER_S;
	t->sources[0].next_retry_wall_ns = 103 * NS_PER_S;
	t->sources[1].name = xstrdup("local");
	t->sources[1].kind = "host";
	t->sources[1].health = HEALTH_OK;
	return t;
}

static void setup_utf8(void)
{
	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, "C.UTF-8"));
	tui_text_set_utf8(true);
	units_set_utf8(true);
}

static void assert_no_controls(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		ck_assert_msg(*p == '\n' || (*p >= 0x20 && *p != 0x7f), "control 0x%02x in:\n%s", *p,
			      s);
}

START_TEST(header_counts_nodes_and_health)
{
	struct tree *t = make_tree();
	struct strbuf sb;

	setup_utf8();
	strbuf_init(&sb);
	tui_header_summary(t, &sb);
	ck_assert_str_eq(sb.buf, "1 host \xc2\xb7 1 VM \xc2\xb7 1 container \xc2\xb7 sources: 1 ok "
				 "\xc2\xb7 1 stale");
	strbuf_reset(&sb);
	tui_header_summary(NULL, &sb);
	ck_assert_ptr_nonnull(strstr(sb.buf, "sources: none yet"));
	strbuf_done(&sb);
	tree_free(t);
}
END_TEST

/* A node its (fresh) source says is unreachable: the pane says so and why,
 * escaped; a fresh node says nothing of health beyond its source's line. */
START_TEST(detail_gives_a_nodes_own_health)
{
	struct tree *t = make_tree();
	struct node *host = t->root->children[0];
	const struct node *ct = host->children[1];
	struct tui_history h;
	struct strbuf sb;

	setup_utf8();
	memset(&h, 0, sizeof(h));
	host->source = 1;
	node_set_health(host, HEALTH_UNREACHABLE, "Get \"http://h1:9100/metrics\": refused\x1b[2J");
	strbuf_init(&sb);
	tui_detail_text(t, host, &h, 100 * NS_PER_S, &sb);
	assert_no_controls(sb.buf);
	ck_assert_ptr_nonnull(
		strstr(sb.buf, "health         unreachable: Get \"http://h1:9100/metrics\": refused\\x1b[2J\n"));
	strbuf_reset(&sb);
	tui_detail_text(t, ct, &h, 100 * NS_PER_S, &sb);
	ck_assert_ptr_null(strstr(sb.buf, "health "));
	strbuf_done(&sb);
	tree_free(t);
}
END_TEST

START_TEST(detail_escapes_every_outside_string)
{
	struct tree *t = make_tree();
	const struct node *vm = t->root->children[0]->children[0];
	struct tui_history h;
	struct strbuf sb;

	setup_utf8();
	memset(&h, 0, sizeof(h));
	for (int i = 0; i < 10; i++)
		tui_history_add(&h, vm);
	strbuf_init(&sb);
	tui_detail_text(t, vm, &h, 100 * NS_PER_S, &sb);
	assert_no_controls(sb.buf);
	ck_assert_ptr_nonnull(strstr(sb.buf, "\\x1b]0;pwned\\x07"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "vm:h1/\\x1b[2J"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "run\\x1b[31m"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "qemu+tcp://h1\\x1b/system (libvirt): stale: no reading for 4s\\x07"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "last good      4s ago   next retry in 3s"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "cpu cores      0.50 used of 2"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "memory         \xe2\x80\x94 used of \xe2\x80\x94"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "  not idle in 10 refreshes\nmem used/given "));
	/* an unknown rate is a dash, not a dash per second */
	ck_assert_ptr_nonnull(strstr(sb.buf, "disk           read \xe2\x80\x94  write \xe2\x80\x94\n"));
	ck_assert_ptr_null(strstr(sb.buf, "\xe2\x80\x94/s"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "right-size     none: not idle"));
	strbuf_done(&sb);
	tree_free(t);
}
END_TEST

START_TEST(sparkline_scales_to_the_allocation)
{
	struct tui_history h;
	struct node *n = node_new(NODE_VM, "vm:x", "x");
	struct strbuf sb;
	const double used[] = {0, 1, 2, 4, GLASS_UNKNOWN};

	setup_utf8();
	memset(&h, 0, sizeof(h));
	n->res.cpu_cores_allocated = 4;
	for (size_t i = 0; i < 5; i++) {
		n->res.cpu_cores_used = used[i];
		tui_history_add(&h, n);
	}
	strbuf_init(&sb);
	tui_history_sparkline(&h, TUI_HISTORY_CPU, 60, &sb);
	/* ▁ for 0, ▃ for a quarter (7/4 rounds to 2), ▅ half, █ full, blank for unknown */
	ck_assert_str_eq(sb.buf, "\xe2\x96\x81\xe2\x96\x83\xe2\x96\x85\xe2\x96\x88 ");
	strbuf_reset(&sb);
	tui_history_sparkline(&h, TUI_HISTORY_CPU, 2, &sb); /* the newest two */
	ck_assert_str_eq(sb.buf, "\xe2\x96\x88 ");
	/* the ring keeps the last TUI_HISTORY values */
	for (int i = 0; i < TUI_HISTORY + 5; i++)
		tui_history_add(&h, n);
	ck_assert_uint_eq(h.n, TUI_HISTORY);
	strbuf_done(&sb);
	node_free(n);
}
END_TEST

/* The idle history counts the refreshes the policy flagged the node, and
 * the right-size hint is the policy's, as in --idle and the JSON. */
START_TEST(idle_history_and_hint_come_from_the_policy)
{
	struct tui_history h;
	struct node *n = node_new(NODE_VM, "vm:x", "x");
	struct strbuf sb;

	setup_utf8();
	memset(&h, 0, sizeof(h));
	n->res.cpu_cores_allocated = 4;
	n->res.cpu_cores_used = 0.5;
	n->res.mem_bytes_allocated = 8.0 * (1 << 30);
	n->res.mem_bytes_used = 8.0 * (1 << 30);
	idle_flag_init_unknown(&n->idle_cpu);
	idle_flag_init_unknown(&n->idle_mem);
	for (int i = 0; i < 3; i++)
		tui_history_add(&h, n);
	n->idle_cpu.idle = true;
	n->idle_cpu.peak = 0.6;
	n->idle_cpu.right_size = 1;
	for (int i = 0; i < 2; i++)
		tui_history_add(&h, n);
	strbuf_init(&sb);
	tui_detail_text(NULL, n, &h, 100 * NS_PER_S, &sb);
	ck_assert_ptr_nonnull(strstr(sb.buf, "  idle 2 of 5 refreshes\nmem used/given "));
	/* memory was never flagged: its line does not borrow the CPU's count */
	ck_assert_ptr_nonnull(strstr(sb.buf, "  not idle in 5 refreshes\nright-size"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "right-size     4 \xe2\x86\x92 1 vCPU"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "cpu p95 0.60"));
	/* memory used all it was given: a line of full blocks */
	ck_assert_ptr_nonnull(strstr(sb.buf, "mem used/given \xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88  not idle in 5 refreshes"));
	strbuf_done(&sb);
	node_free(n);
}
END_TEST

/* A VM idle on memory only: its CPU line says not idle; a busy host gets
 * no right-size line (only what was given is right-sized); a known rate
 * is per second. */
START_TEST(idle_history_is_per_resource)
{
	struct tui_history h;
	struct node *vm = node_new(NODE_VM, "vm:x", "x");
	struct node *host = node_new(NODE_HOST, "host:x", "x");
	struct strbuf sb;

	setup_utf8();
	memset(&h, 0, sizeof(h));
	idle_flag_init_unknown(&vm->idle_cpu);
	idle_flag_init_unknown(&vm->idle_mem);
	vm->idle_mem.idle = true;
	vm->res.disk_read_bps = 1536;
	for (int i = 0; i < 15; i++)
		tui_history_add(&h, vm);
	strbuf_init(&sb);
	tui_detail_text(NULL, vm, &h, 100 * NS_PER_S, &sb);
	ck_assert_msg(strstr(sb.buf, "  not idle in 15 refreshes\nmem used/given "),
		      "%s", sb.buf);
	ck_assert_ptr_nonnull(strstr(sb.buf, "  idle 15 of 15 refreshes\nright-size"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "read 1.5K/s  write \xe2\x80\x94\n"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "right-size     none yet: too few readings for a p95"));
	strbuf_reset(&sb);
	idle_flag_init_unknown(&host->idle_cpu);
	idle_flag_init_unknown(&host->idle_mem);
	host->idle_cpu.idle = true;
	tui_detail_text(NULL, host, NULL, 100 * NS_PER_S, &sb);
	ck_assert_ptr_null(strstr(sb.buf, "right-size"));
	ck_assert_ptr_null(strstr(sb.buf, "needs what it was given"));
	strbuf_done(&sb);
	node_free(vm);
	node_free(host);
}
END_TEST

/* A joined guest's view and a join's note, their outside strings escaped. */
START_TEST(detail_shows_the_guest)
{
	struct tree *t = make_tree();
	struct node *vm = t->root->children[0]->children[0];
	struct node *ct = t->root->children[0]->children[1];
	struct strbuf sb;

	setup_utf8();
	vm->guest = guest_view_new("host:web\x1b[1", "web\x1b[1", "mac");
	vm->guest->cpu_cores = 4;
	vm->guest->cpu_cores_used = 1;
	vm->guest->inner_cpu_unallocated = 3;
	node_extra(ct)->join_note = xstrdup("not joined: 2 VMs match by mac: a\x1b[2J");
	strbuf_init(&sb);
	tui_detail_text(t, vm, NULL, 100 * NS_PER_S, &sb);
	assert_no_controls(sb.buf);
	ck_assert_ptr_nonnull(strstr(sb.buf, "guest host     web\\x1b[1 (host:web\\x1b[1), joined by mac\n"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "guest cpu      1 used of 4\n"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "inner unalloc  3 cores, \xe2\x80\x94"));
	strbuf_reset(&sb);
	tui_detail_text(t, ct, NULL, 100 * NS_PER_S, &sb);
	assert_no_controls(sb.buf);
	ck_assert_ptr_nonnull(strstr(sb.buf, "guest join     not joined: 2 VMs match by mac: a\\x1b[2J"));
	strbuf_done(&sb);
	tree_free(t);
}
END_TEST

static Suite *tui_detail_suite(void)
{
	Suite *s = suite_create("tui_detail");
	TCase *tc = tcase_create("detail");

	tcase_add_test(tc, header_counts_nodes_and_health);
	tcase_add_test(tc, detail_escapes_every_outside_string);
	tcase_add_test(tc, detail_gives_a_nodes_own_health);
	tcase_add_test(tc, detail_shows_the_guest);
	tcase_add_test(tc, idle_history_is_per_resource);
	tcase_add_test(tc, idle_history_and_hint_come_from_the_policy);
	tcase_add_test(tc, sparkline_scales_to_the_allocation);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(tui_detail_suite)
