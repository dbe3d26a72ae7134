/* What runs inside a node (procs), a host's CPU by kind (cpustat), the
 * setup screen's config keys (colcfg, config_write): pure parts, and
 * /proc of this very test process. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "glass/config.h"
#include "glass/config_write.h"
#include "glass/cpustat.h"
#include "glass/options.h"
#include "glass/procs.h"
#include "glass/tui/colcfg.h"
#include "glass/xalloc.h"
#include "unit.h"

START_TEST(stat_line_with_a_hostile_name)
{
	/* a name may hold spaces and ')': the fields start after the last ')' */
	const char *line = "4242 (a) b (x) R 1 4242 4242 0 -1 4194560 100 0 0 0 "
			   "250 50 0 0 20 0 1 0 9999 1000000 300 18446744073709551615\n";
	char st, comm[64];
	uint64_t ticks, start, rss;

	ck_assert(procs_parse_stat(line, &st, &ticks, &start, &rss, comm, sizeof(comm)));
	ck_assert_int_eq(st, 'R');
	ck_assert_uint_eq(ticks, 300);
	ck_assert_uint_eq(start, 9999);
	ck_assert_uint_eq(rss, 300);
	ck_assert_str_eq(comm, "a) b (x");
	ck_assert(!procs_parse_stat("4242 (cut", &st, &ticks, &start, &rss, comm, sizeof(comm)));
	ck_assert(!procs_parse_stat("", &st, &ticks, &start, &rss, comm, sizeof(comm)));
}
END_TEST

static volatile int spin_stop;

static void *named_spinner(void *arg)
{
	(void)arg;
	while (!spin_stop)
		;
	return NULL;
}

START_TEST(threads_of_a_process_are_named_and_timed)
{
	struct procs *p = procs_new(NULL);
	struct proc_list l = {0};
	struct errbuf err;
	pthread_t t;
	char pid[16];
	bool found = false;

	/* a qemu names its vCPU threads "CPU n/KVM": so does this one */
	ck_assert_int_eq(pthread_create(&t, NULL, named_spinner, NULL), 0);
	pthread_setname_np(t, "CPU 0/KVM");
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	ck_assert_int_eq(procs_sample(p, PROCS_THREADS, pid, &l, &err), 0);
	usleep(300 * 1000);
	ck_assert_int_eq(procs_sample(p, PROCS_THREADS, pid, &l, &err), 0);
	ck_assert_uint_ge(l.listed, 2);
	for (size_t i = 0; i < l.n; i++) {
		if (strcmp(l.v[i].command, "CPU 0/KVM") != 0)
			continue;
		found = true;
		/* it spins: busiest first, with a rate from the two samples */
		ck_assert_uint_eq(i, 0);
		ck_assert(!isnan(l.v[i].cpu_pct));
		ck_assert(l.v[i].cpu_pct > 5);
	}
	ck_assert(found);
	spin_stop = 1;
	pthread_join(t, NULL);
	/* a process that is gone is an error for its threads, not a crash */
	ck_assert_int_eq(procs_sample(p, PROCS_THREADS, "999999999", &l, &err), -1);
	proc_list_done(&l);
	procs_free(p);
}
END_TEST

START_TEST(all_processes_are_bounded)
{
	struct procs *p = procs_new(NULL);
	struct proc_list l = {0};
	struct errbuf err;
	bool me = false;

	ck_assert_int_eq(procs_sample(p, PROCS_ALL, NULL, &l, &err), 0);
	ck_assert_uint_le(l.n, PROCS_TOP);
	ck_assert_uint_ge(l.listed, 1);
	for (size_t i = 0; i < l.n; i++)
		me |= l.v[i].pid == 1;
	/* pid 1 is sorted by CPU, maybe not kept: the count is what holds */
	(void)me;
	ck_assert_uint_eq(l.n, l.listed < PROCS_TOP ? l.listed : PROCS_TOP);
	proc_list_done(&l);
	procs_free(p);
}
END_TEST

START_TEST(cpu_steal_iowait_and_per_cpu_from_deltas)
{
	const char *a = "cpu  100 0 100 700 50 0 0 50 0 0\n"
			"cpu0 50 0 50 350 25 0 0 25 0 0\n"
			"cpu1 50 0 50 350 25 0 0 25 0 0\nintr 1 2 3\n";
	const char *b = "cpu  200 0 200 1400 100 0 0 100 0 0\n"
			"cpu0 150 0 50 350 25 0 0 25 0 0\n"
			"cpu1 50 0 150 1050 75 0 0 75 0 0\n";
	struct cpustat x, y;
	struct cpustat_pct p;

	ck_assert(cpustat_parse(a, &x));
	ck_assert(cpustat_parse(b, &y));
	ck_assert_uint_eq(y.n_cpu, 2);
	p = cpustat_delta(&x.all, &y.all);
	/* 1000 ticks: 200 busy + 50 steal, 50 iowait, 700 idle */
	ck_assert_double_eq_tol(p.steal, 5.0, 1e-9);
	ck_assert_double_eq_tol(p.iowait, 5.0, 1e-9);
	ck_assert_double_eq_tol(p.busy, 25.0, 1e-9);
	p = cpustat_delta(&x.cpu[0], &y.cpu[0]);
	ck_assert_double_eq_tol(p.busy, 100.0, 1e-9);
	p = cpustat_delta(&x.cpu[0], &x.cpu[0]);
	ck_assert(isnan(p.busy)); /* no time passed: unknown, not 0 */
	cpustat_done(&y);
	ck_assert(!cpustat_parse("intr 1\n", &y));
	cpustat_done(&x);
}
END_TEST

START_TEST(columns_and_sort_by_name)
{
	enum tui_col order[TUI_COL_COUNT];
	enum tui_sort sort;
	struct strbuf sb;
	struct errbuf err;
	bool desc;
	size_t n;

	ck_assert_int_eq(tui_columns_parse("idle, cpu_used,mem", order, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(order[0], TUI_COL_IDLE);
	ck_assert_int_eq(order[2], TUI_COL_MEM_ALLOC);
	strbuf_init(&sb);
	tui_columns_format(order, n, &sb);
	ck_assert_str_eq(sb.buf, "idle,cpu_used,mem");
	ck_assert_int_eq(tui_columns_parse("idle,idle", order, &n, &err), -1);
	ck_assert_int_eq(tui_columns_parse("cpu,bogus", order, &n, &err), -1);
	ck_assert(strstr(err.msg, "bogus"));
	ck_assert_int_eq(tui_columns_parse("name", order, &n, &err), -1);
	ck_assert_int_eq(tui_sort_parse("cpu_used", &sort, &desc, &err), 0);
	ck_assert_int_eq(sort, TUI_SORT_CPU_USED);
	ck_assert(desc);
	ck_assert_int_eq(tui_sort_parse("name descending", &sort, &desc, &err), 0);
	ck_assert(desc);
	ck_assert_int_eq(tui_sort_parse("name sideways", &sort, &desc, &err), -1);
	strbuf_reset(&sb);
	tui_sort_format(TUI_SORT_MEM_USED, false, &sb);
	ck_assert_str_eq(sb.buf, "mem_used ascending");
	strbuf_done(&sb);
}
END_TEST

START_TEST(config_keys_are_set_and_the_rest_kept)
{
	const char *text = "# mine\ninterval = 2 # fast\n\ntheme = light\n  theme=mono\nformat = json";
	const char *keys[] = {"theme", "tui.sort"};
	const char *values[] = {"default", "idle descending"};
	char *out = config_set_text(text, strlen(text), keys, values, 2);

	/* the first theme line replaced where it stood, its repeat gone,
	 * the new key at the end, every other byte kept */
	ck_assert_str_eq(out, "# mine\ninterval = 2 # fast\n\ntheme = default\nformat = json\n"
			      "tui.sort = idle descending\n");
	free(out);
}
END_TEST

START_TEST(saved_config_is_read_back)
{
	char dir[] = "/tmp/glass-opview-XXXXXX";
	const char *keys[] = {"tui.columns", "tui.sort", "theme"};
	const char *values[] = {"idle,cpu", "cpu descending", "mono"};
	struct options o;
	struct errbuf err;
	char *path;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = xasprintf("%s/sub/glassrc", dir);
	ck_assert_int_eq(config_save_keys(path, NULL, keys, values, 3, &err), 0);
	options_init(&o);
	ck_assert_int_eq(config_load_file(&o, path, true, &err), 0);
	ck_assert_str_eq(o.tui_columns, "idle,cpu");
	ck_assert_str_eq(o.tui_sort, "cpu descending");
	ck_assert_str_eq(o.theme, "mono");
	options_done(&o);
	unlink(path);
	free(path);
	path = xasprintf("%s/sub", dir);
	rmdir(path);
	free(path);
	rmdir(dir);
}
END_TEST

static Suite *opview_suite(void)
{
	Suite *s = suite_create("opview");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, stat_line_with_a_hostile_name);
	tcase_add_test(tc, threads_of_a_process_are_named_and_timed);
	tcase_add_test(tc, all_processes_are_bounded);
	tcase_add_test(tc, cpu_steal_iowait_and_per_cpu_from_deltas);
	tcase_add_test(tc, columns_and_sort_by_name);
	tcase_add_test(tc, config_keys_are_set_and_the_rest_kept);
	tcase_add_test(tc, saved_config_is_read_back);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(opview_suite)
