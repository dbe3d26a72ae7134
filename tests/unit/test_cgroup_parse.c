/* test_cgroup_parse.c: the cgroup file parsers on real kernel output and
 * on everything a short or odd read can hand them.
 *
 * Every buffer is copied to a heap block of exactly its length before it is
 * parsed, so ASan and valgrind report any read past len. */
#include "glass/cgroup_parse.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define UNK GLASS_U64_UNKNOWN

typedef uint64_t (*u64_parser)(const char *, size_t);

static char *dup_exact(const char *s, size_t n)
{
	char *b = malloc(n ? n : 1);
	ck_assert_ptr_nonnull(b);
	memcpy(b, s, n);
	return b;
}

/* Parses the first n bytes of s; s may go on past n to prove len is obeyed. */
static uint64_t u64n(u64_parser fn, const char *s, size_t n)
{
	char *b = dup_exact(s, n);
	uint64_t v = fn(b, n);
	free(b);
	return v;
}

static uint64_t u64s(u64_parser fn, const char *s)
{
	return u64n(fn, s, strlen(s));
}

#define PARSE_N(fn, s, n, out)                     \
	do {                                       \
		size_t n_ = (n);                   \
		char *b_ = dup_exact((s), n_);     \
		fn(b_, n_, (out));                 \
		free(b_);                          \
	} while (0)
#define PARSE(fn, s, out) PARSE_N(fn, s, strlen(s), out)

#define ck_assert_nan(x) ck_assert_msg(isnan(x), "%s is %g, expected NaN", #x, (double)(x))
#define ck_assert_dbl(x, y) ck_assert_double_eq_tol((x), (y), 1e-9)

/* ---- single values ---------------------------------------------------- */

START_TEST(u64_plain)
{
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "283115520\n"), 283115520);
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "0\n"), 0);
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "100\n"), 100);   /* cpu.weight */
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "1024\n"), 1024); /* cpu.shares */
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "42\n"), 42);     /* pids.current */
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "18446744073709551614\n"),
			  UINT64_C(18446744073709551614));
}
END_TEST

START_TEST(u64_without_newline)
{
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "1234"), 1234);
}
END_TEST

START_TEST(u64_respects_len)
{
	ck_assert_uint_eq(u64n(cgroup_parse_u64, "12347", 4), 1234);
	ck_assert_uint_eq(u64n(cgroup_parse_u64, "1234\n7", 5), 1234);
	ck_assert_uint_eq(u64n(cgroup_parse_u64, "7", 0), UNK);
}
END_TEST

START_TEST(u64_empty)
{
	ck_assert_uint_eq(u64s(cgroup_parse_u64, ""), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "  \n"), UNK);
	ck_assert_uint_eq(cgroup_parse_u64(NULL, 0), UNK);
	ck_assert_uint_eq(cgroup_parse_u64(NULL, 5), UNK);
}
END_TEST

START_TEST(u64_non_numeric)
{
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "abc\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "12a\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "1 2\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "0x10\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "max\n"), UNK);
	ck_assert_uint_eq(u64n(cgroup_parse_u64, "1\0" "2\n", 3), UNK);
}
END_TEST

START_TEST(u64_overflow)
{
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "99999999999999999999\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "18446744073709551616\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "184467440737095516150\n"), UNK);
}
END_TEST

START_TEST(u64_negative_or_signed)
{
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "-5\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "-0\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "+5\n"), UNK);
}
END_TEST

START_TEST(u64_extra_lines)
{
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "1234\nbogus 99\n"), 1234);
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "  1234 \n"), 1234);
}
END_TEST

START_TEST(u64_or_max_values)
{
	ck_assert_uint_eq(u64s(cgroup_parse_u64_or_max, "max\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64_or_max, "max"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64_or_max, "536870912\n"), 536870912); /* memory.max */
	ck_assert_uint_eq(u64s(cgroup_parse_u64_or_max, "4915\n"), 4915);           /* pids.max */
	ck_assert_uint_eq(u64s(cgroup_parse_u64_or_max, "0\n"), 0);
}
END_TEST

START_TEST(u64_or_max_bad)
{
	ck_assert_uint_eq(u64s(cgroup_parse_u64_or_max, ""), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64_or_max, "ma"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64_or_max, "maximum\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64_or_max, "-1\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64_or_max, "99999999999999999999\n"), UNK);
	ck_assert_uint_eq(u64n(cgroup_parse_u64_or_max, "1007", 3), 100);
	ck_assert_uint_eq(u64n(cgroup_parse_u64_or_max, "max7", 3), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64_or_max, "4096\nmax\n"), 4096);
}
END_TEST

START_TEST(cores_ratio)
{
	ck_assert_dbl(cgroup_parse_cores(50000, 100000), 0.5);
	ck_assert_dbl(cgroup_parse_cores(250000, 100000), 2.5);
	ck_assert_nan(cgroup_parse_cores(UNK, 100000));
	ck_assert_nan(cgroup_parse_cores(50000, UNK));
	ck_assert_nan(cgroup_parse_cores(50000, 0));
}
END_TEST

/* ---- cpu.stat ---------------------------------------------------------- */

static const char CPU_STAT_V2[] =
	"usage_usec 3421789\n"
	"user_usec 2198455\n"
	"system_usec 1223334\n"
	"core_sched.force_idle_usec 0\n"
	"nr_periods 1204\n"
	"nr_throttled 37\n"
	"throttled_usec 2010467\n"
	"nr_bursts 0\n"
	"burst_usec 0\n";

START_TEST(cpu_stat_real)
{
	struct cgroup_parse_cpu_stat st;
	PARSE(cgroup_parse_cpu_stat, CPU_STAT_V2, &st);
	ck_assert_uint_eq(st.usage_usec, 3421789);
	ck_assert_uint_eq(st.user_usec, 2198455);
	ck_assert_uint_eq(st.system_usec, 1223334);
	ck_assert_uint_eq(st.nr_periods, 1204);
	ck_assert_uint_eq(st.nr_throttled, 37);
	ck_assert_uint_eq(st.throttled_usec, 2010467);
}
END_TEST

START_TEST(cpu_stat_without_cpu_controller)
{
	/* Only the cpu controller adds the throttling keys. */
	struct cgroup_parse_cpu_stat st;
	PARSE(cgroup_parse_cpu_stat, "usage_usec 0\nuser_usec 0\nsystem_usec 0\n", &st);
	ck_assert_uint_eq(st.usage_usec, 0);
	ck_assert_uint_eq(st.system_usec, 0);
	ck_assert_uint_eq(st.nr_periods, UNK);
	ck_assert_uint_eq(st.throttled_usec, UNK);
}
END_TEST

START_TEST(cpu_stat_empty)
{
	struct cgroup_parse_cpu_stat st;
	memset(&st, 0, sizeof st);
	PARSE(cgroup_parse_cpu_stat, "", &st);
	ck_assert_uint_eq(st.usage_usec, UNK);
	ck_assert_uint_eq(st.user_usec, UNK);
	ck_assert_uint_eq(st.system_usec, UNK);
	ck_assert_uint_eq(st.nr_periods, UNK);
	ck_assert_uint_eq(st.nr_throttled, UNK);
	ck_assert_uint_eq(st.throttled_usec, UNK);
	cgroup_parse_cpu_stat(NULL, 0, &st);
	ck_assert_uint_eq(st.usage_usec, UNK);
}
END_TEST

START_TEST(cpu_stat_truncated)
{
	struct cgroup_parse_cpu_stat st;
	PARSE(cgroup_parse_cpu_stat, "usage_usec 3421789\nuser_usec 21", &st);
	ck_assert_uint_eq(st.usage_usec, 3421789);
	ck_assert_uint_eq(st.user_usec, UNK);
	ck_assert_uint_eq(st.system_usec, UNK);
	PARSE(cgroup_parse_cpu_stat, "usage_usec 3421789\nuser_us", &st);
	ck_assert_uint_eq(st.usage_usec, 3421789);
	ck_assert_uint_eq(st.user_usec, UNK);
}
END_TEST

START_TEST(cpu_stat_bad_values)
{
	struct cgroup_parse_cpu_stat st;
	PARSE(cgroup_parse_cpu_stat,
	      "usage_usec abc\n"
	      "user_usec -5\n"
	      "system_usec 99999999999999999999\n"
	      "nr_periods 7\n"
	      "nr_throttled\n"
	      "throttled_usec 12x\n", &st);
	ck_assert_uint_eq(st.usage_usec, UNK);
	ck_assert_uint_eq(st.user_usec, UNK);
	ck_assert_uint_eq(st.system_usec, UNK);
	ck_assert_uint_eq(st.nr_periods, 7);
	ck_assert_uint_eq(st.nr_throttled, UNK);
	ck_assert_uint_eq(st.throttled_usec, UNK);
}
END_TEST

START_TEST(cpu_stat_unexpected_lines)
{
	struct cgroup_parse_cpu_stat st;
	PARSE(cgroup_parse_cpu_stat,
	      "garbage line here\n"
	      "\n"
	      "usage_usec_total 5\n"
	      "user_usec 10 20\n"
	      "  system_usec\t30  \n"
	      "nr_throttled 3\n", &st);
	ck_assert_uint_eq(st.usage_usec, UNK);
	ck_assert_uint_eq(st.user_usec, UNK);
	ck_assert_uint_eq(st.system_usec, 30);
	ck_assert_uint_eq(st.nr_throttled, 3);
}
END_TEST

START_TEST(cpu_stat_respects_len)
{
	static const char s[] = "usage_usec 12\nuser_usec 7\n";
	struct cgroup_parse_cpu_stat st;
	PARSE_N(cgroup_parse_cpu_stat, s, strlen("usage_usec 12\n"), &st);
	ck_assert_uint_eq(st.usage_usec, 12);
	ck_assert_uint_eq(st.user_usec, UNK);
}
END_TEST

/* ---- cpu.max ----------------------------------------------------------- */

START_TEST(cpu_max_unlimited)
{
	struct cgroup_parse_cpu_max m;
	PARSE(cgroup_parse_cpu_max, "max 100000\n", &m);
	ck_assert_uint_eq(m.quota_usec, UNK);
	ck_assert_uint_eq(m.period_usec, 100000);
	ck_assert_nan(cgroup_parse_cpu_max_cores(&m));
}
END_TEST

START_TEST(cpu_max_limited)
{
	struct cgroup_parse_cpu_max m;
	PARSE(cgroup_parse_cpu_max, "50000 100000\n", &m);
	ck_assert_uint_eq(m.quota_usec, 50000);
	ck_assert_uint_eq(m.period_usec, 100000);
	ck_assert_dbl(cgroup_parse_cpu_max_cores(&m), 0.5);
	PARSE(cgroup_parse_cpu_max, "200000 100000", &m);
	ck_assert_dbl(cgroup_parse_cpu_max_cores(&m), 2.0);
}
END_TEST

START_TEST(cpu_max_empty)
{
	struct cgroup_parse_cpu_max m = { 1, 1 };
	PARSE(cgroup_parse_cpu_max, "", &m);
	ck_assert_uint_eq(m.quota_usec, UNK);
	ck_assert_uint_eq(m.period_usec, UNK);
	ck_assert_nan(cgroup_parse_cpu_max_cores(&m));
	ck_assert_nan(cgroup_parse_cpu_max_cores(NULL));
}
END_TEST

START_TEST(cpu_max_truncated)
{
	struct cgroup_parse_cpu_max m;
	PARSE(cgroup_parse_cpu_max, "50000", &m);
	ck_assert_uint_eq(m.quota_usec, 50000);
	ck_assert_uint_eq(m.period_usec, UNK);
	ck_assert_nan(cgroup_parse_cpu_max_cores(&m));
	PARSE(cgroup_parse_cpu_max, "ma", &m);
	ck_assert_uint_eq(m.quota_usec, UNK);
}
END_TEST

START_TEST(cpu_max_bad_values)
{
	struct cgroup_parse_cpu_max m;
	PARSE(cgroup_parse_cpu_max, "abc 100000\n", &m);
	ck_assert_uint_eq(m.quota_usec, UNK);
	ck_assert_uint_eq(m.period_usec, 100000);
	PARSE(cgroup_parse_cpu_max, "50000 xyz\n", &m);
	ck_assert_uint_eq(m.quota_usec, 50000);
	ck_assert_uint_eq(m.period_usec, UNK);
	PARSE(cgroup_parse_cpu_max, "99999999999999999999 100000\n", &m);
	ck_assert_uint_eq(m.quota_usec, UNK);
	ck_assert_uint_eq(m.period_usec, 100000);
	PARSE(cgroup_parse_cpu_max, "-1 100000\n", &m);
	ck_assert_uint_eq(m.quota_usec, UNK);
	ck_assert_uint_eq(m.period_usec, 100000);
	PARSE(cgroup_parse_cpu_max, "50000 0\n", &m);
	ck_assert_uint_eq(m.period_usec, 0);
	ck_assert_nan(cgroup_parse_cpu_max_cores(&m));
}
END_TEST

START_TEST(cpu_max_unexpected)
{
	struct cgroup_parse_cpu_max m;
	PARSE(cgroup_parse_cpu_max, "50000 100000 7\n", &m);
	ck_assert_uint_eq(m.quota_usec, UNK);
	ck_assert_uint_eq(m.period_usec, UNK);
	PARSE(cgroup_parse_cpu_max, "50000 100000\nmax 1\n", &m);
	ck_assert_uint_eq(m.quota_usec, 50000);
	ck_assert_uint_eq(m.period_usec, 100000);
}
END_TEST

START_TEST(cpu_max_respects_len)
{
	struct cgroup_parse_cpu_max m;
	PARSE_N(cgroup_parse_cpu_max, "50000 1000007", 12, &m);
	ck_assert_uint_eq(m.period_usec, 100000);
	ck_assert_dbl(cgroup_parse_cpu_max_cores(&m), 0.5);
}
END_TEST

/* ---- memory.stat ------------------------------------------------------- */

static const char MEMORY_STAT_V2[] =
	"anon 9404416\n"
	"file 27381760\n"
	"kernel 1523712\n"
	"kernel_stack 98304\n"
	"pagetables 217088\n"
	"sec_pagetables 0\n"
	"percpu 2880\n"
	"sock 0\n"
	"vmalloc 0\n"
	"shmem 135168\n"
	"zswap 0\n"
	"zswapped 0\n"
	"file_mapped 12029952\n"
	"file_dirty 0\n"
	"file_writeback 0\n"
	"swapcached 0\n"
	"anon_thp 0\n"
	"file_thp 0\n"
	"shmem_thp 0\n"
	"inactive_anon 9539584\n"
	"active_anon 0\n"
	"inactive_file 19451904\n"
	"active_file 7794688\n"
	"unevictable 0\n"
	"slab_reclaimable 834256\n"
	"slab_unreclaimable 287424\n"
	"slab 1121680\n"
	"workingset_refault_anon 0\n"
	"workingset_refault_file 112\n"
	"workingset_activate_anon 0\n"
	"workingset_activate_file 0\n"
	"workingset_restore_anon 0\n"
	"workingset_restore_file 0\n"
	"workingset_nodereclaim 0\n"
	"pgscan 0\n"
	"pgsteal 0\n"
	"pgscan_kswapd 0\n"
	"pgscan_direct 0\n"
	"pgsteal_kswapd 0\n"
	"pgsteal_direct 0\n"
	"pgfault 44183\n"
	"pgmajfault 118\n"
	"pgrefill 0\n"
	"pgactivate 1903\n"
	"pgdeactivate 0\n"
	"pglazyfree 0\n"
	"pglazyfreed 0\n"
	"zswpin 0\n"
	"zswpout 0\n"
	"thp_fault_alloc 0\n"
	"thp_collapse_alloc 0\n";

static const char MEMORY_STAT_V1[] =
	"cache 4325376\n"
	"rss 1073152\n"
	"rss_huge 0\n"
	"shmem 0\n"
	"mapped_file 2297856\n"
	"dirty 0\n"
	"writeback 0\n"
	"swap 0\n"
	"pgpgin 4257\n"
	"pgpgout 2934\n"
	"pgfault 5478\n"
	"pgmajfault 33\n"
	"inactive_anon 1073152\n"
	"active_anon 0\n"
	"inactive_file 2703360\n"
	"active_file 1622016\n"
	"unevictable 0\n"
	"hierarchical_memory_limit 9223372036854771712\n"
	"hierarchical_memsw_limit 9223372036854771712\n"
	"total_cache 8650752\n"
	"total_rss 2146304\n"
	"total_rss_huge 0\n"
	"total_shmem 0\n"
	"total_mapped_file 4595712\n"
	"total_dirty 0\n"
	"total_writeback 0\n"
	"total_swap 0\n"
	"total_pgpgin 8514\n"
	"total_pgpgout 5868\n"
	"total_pgfault 10956\n"
	"total_pgmajfault 66\n"
	"total_inactive_anon 2146304\n"
	"total_active_anon 0\n"
	"total_inactive_file 5406720\n"
	"total_active_file 3244032\n"
	"total_unevictable 0\n";

START_TEST(memory_stat_v2_real)
{
	struct cgroup_parse_memory_stat st;
	PARSE(cgroup_parse_memory_stat, MEMORY_STAT_V2, &st);
	ck_assert_uint_eq(st.anon, 9404416);
	ck_assert_uint_eq(st.file, 27381760);
	ck_assert_uint_eq(st.inactive_file, 19451904);
	ck_assert_uint_eq(st.active_file, 7794688);
	ck_assert_uint_eq(st.shmem, 135168);
	ck_assert_uint_eq(st.cache, UNK);
	ck_assert_uint_eq(st.rss, UNK);
	ck_assert_uint_eq(st.total_inactive_file, UNK);
	ck_assert_uint_eq(st.total_cache, UNK);
	ck_assert_uint_eq(st.total_rss, UNK);
}
END_TEST

START_TEST(memory_stat_v1_real)
{
	struct cgroup_parse_memory_stat st;
	PARSE(cgroup_parse_memory_stat, MEMORY_STAT_V1, &st);
	ck_assert_uint_eq(st.cache, 4325376);
	ck_assert_uint_eq(st.rss, 1073152);
	ck_assert_uint_eq(st.shmem, 0);
	ck_assert_uint_eq(st.inactive_file, 2703360);
	ck_assert_uint_eq(st.active_file, 1622016);
	ck_assert_uint_eq(st.total_inactive_file, 5406720);
	ck_assert_uint_eq(st.total_cache, 8650752);
	ck_assert_uint_eq(st.total_rss, 2146304);
	ck_assert_uint_eq(st.anon, UNK);
	ck_assert_uint_eq(st.file, UNK);
}
END_TEST

START_TEST(memory_stat_empty)
{
	struct cgroup_parse_memory_stat st;
	memset(&st, 0, sizeof st);
	PARSE(cgroup_parse_memory_stat, "", &st);
	ck_assert_uint_eq(st.anon, UNK);
	ck_assert_uint_eq(st.file, UNK);
	ck_assert_uint_eq(st.inactive_file, UNK);
	ck_assert_uint_eq(st.active_file, UNK);
	ck_assert_uint_eq(st.shmem, UNK);
	ck_assert_uint_eq(st.cache, UNK);
	ck_assert_uint_eq(st.rss, UNK);
	ck_assert_uint_eq(st.total_inactive_file, UNK);
	ck_assert_uint_eq(st.total_cache, UNK);
	ck_assert_uint_eq(st.total_rss, UNK);
}
END_TEST

START_TEST(memory_stat_truncated)
{
	struct cgroup_parse_memory_stat st;
	PARSE(cgroup_parse_memory_stat, "anon 9404416\nfile 27381760\ninactive_file 194", &st);
	ck_assert_uint_eq(st.anon, 9404416);
	ck_assert_uint_eq(st.file, 27381760);
	ck_assert_uint_eq(st.inactive_file, UNK);
	ck_assert_uint_eq(st.active_file, UNK);
	PARSE(cgroup_parse_memory_stat, "anon 9404416\ninactive_fi", &st);
	ck_assert_uint_eq(st.anon, 9404416);
	ck_assert_uint_eq(st.inactive_file, UNK);
}
END_TEST

START_TEST(memory_stat_bad_values)
{
	struct cgroup_parse_memory_stat st;
	PARSE(cgroup_parse_memory_stat,
	      "anon -1\n"
	      "file abc\n"
	      "shmem 99999999999999999999\n"
	      "active_file 5\n"
	      "inactive_file 1.5\n", &st);
	ck_assert_uint_eq(st.anon, UNK);
	ck_assert_uint_eq(st.file, UNK);
	ck_assert_uint_eq(st.shmem, UNK);
	ck_assert_uint_eq(st.active_file, 5);
	ck_assert_uint_eq(st.inactive_file, UNK);
}
END_TEST

START_TEST(memory_stat_similar_keys)
{
	/* total_inactive_file and inactive_file_x must not fill inactive_file. */
	struct cgroup_parse_memory_stat st;
	PARSE(cgroup_parse_memory_stat,
	      "total_inactive_file 7\n"
	      "inactive_file_x 3\n"
	      "inactive 4\n"
	      "some garbage line\n"
	      "rss_huge 2097152\n", &st);
	ck_assert_uint_eq(st.total_inactive_file, 7);
	ck_assert_uint_eq(st.inactive_file, UNK);
	ck_assert_uint_eq(st.rss, UNK);
}
END_TEST

START_TEST(memory_stat_respects_len)
{
	static const char s[] = "anon 100\nfile 200\n";
	struct cgroup_parse_memory_stat st;
	PARSE_N(cgroup_parse_memory_stat, s, strlen("anon 100\n"), &st);
	ck_assert_uint_eq(st.anon, 100);
	ck_assert_uint_eq(st.file, UNK);
}
END_TEST

/* ---- working set ------------------------------------------------------- */

static struct cgroup_parse_memory_stat memory_stat_unknown(void)
{
	struct cgroup_parse_memory_stat st;
	cgroup_parse_memory_stat("", 0, &st);
	return st;
}

START_TEST(working_set_v2)
{
	struct cgroup_parse_memory_stat st = memory_stat_unknown();
	st.inactive_file = 300;
	st.total_inactive_file = 900;
	ck_assert_uint_eq(cgroup_parse_working_set(1000, &st, false), 700);
}
END_TEST

START_TEST(working_set_v1_prefers_total)
{
	struct cgroup_parse_memory_stat st = memory_stat_unknown();
	st.inactive_file = 300;
	st.total_inactive_file = 900;
	ck_assert_uint_eq(cgroup_parse_working_set(1000, &st, true), 100);
	st.total_inactive_file = UNK;
	ck_assert_uint_eq(cgroup_parse_working_set(1000, &st, true), 700);
}
END_TEST

START_TEST(working_set_clamped)
{
	struct cgroup_parse_memory_stat st = memory_stat_unknown();
	st.inactive_file = 5000;
	ck_assert_uint_eq(cgroup_parse_working_set(1000, &st, false), 0);
	st.inactive_file = 1000;
	ck_assert_uint_eq(cgroup_parse_working_set(1000, &st, false), 0);
}
END_TEST

START_TEST(working_set_unknowns)
{
	struct cgroup_parse_memory_stat st = memory_stat_unknown();
	ck_assert_uint_eq(cgroup_parse_working_set(1000, &st, false), 1000);
	ck_assert_uint_eq(cgroup_parse_working_set(1000, &st, true), 1000);
	ck_assert_uint_eq(cgroup_parse_working_set(1000, NULL, false), 1000);
	st.inactive_file = 300;
	ck_assert_uint_eq(cgroup_parse_working_set(UNK, &st, false), UNK);
}
END_TEST

START_TEST(working_set_from_files)
{
	struct cgroup_parse_memory_stat st;
	PARSE(cgroup_parse_memory_stat, MEMORY_STAT_V1, &st);
	uint64_t usage = u64s(cgroup_parse_u64, "11796480\n");
	ck_assert_uint_eq(cgroup_parse_working_set(usage, &st, true), 11796480 - 5406720);
	PARSE(cgroup_parse_memory_stat, MEMORY_STAT_V2, &st);
	uint64_t current = u64s(cgroup_parse_u64, "38543360\n");
	ck_assert_uint_eq(cgroup_parse_working_set(current, &st, false), 38543360 - 19451904);
}
END_TEST

/* ---- io.stat ----------------------------------------------------------- */

static const char IO_STAT_V2[] =
	"8:16 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0\n"
	"8:0 rbytes=90430464 wbytes=299008000 rios=8950 wios=1252 dbytes=50331648 dios=3021\n";

START_TEST(io_stat_real)
{
	struct cgroup_parse_io_stat io;
	PARSE(cgroup_parse_io_stat, IO_STAT_V2, &io);
	ck_assert_uint_eq(io.rbytes, 1459200 + 90430464);
	ck_assert_uint_eq(io.wbytes, 314773504 + 299008000);
	ck_assert_uint_eq(io.rios, 192 + 8950);
	ck_assert_uint_eq(io.wios, 353 + 1252);
}
END_TEST

START_TEST(io_stat_empty_is_zero)
{
	struct cgroup_parse_io_stat io;
	memset(&io, 0xff, sizeof io);
	PARSE(cgroup_parse_io_stat, "", &io);
	ck_assert_uint_eq(io.rbytes, 0);
	ck_assert_uint_eq(io.wbytes, 0);
	ck_assert_uint_eq(io.rios, 0);
	ck_assert_uint_eq(io.wios, 0);
}
END_TEST

START_TEST(io_stat_truncated)
{
	struct cgroup_parse_io_stat io;
	PARSE(cgroup_parse_io_stat,
	      "8:16 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0\n"
	      "8:0 rbytes=904", &io);
	ck_assert_uint_eq(io.rbytes, UNK);
	ck_assert_uint_eq(io.wbytes, UNK);
	ck_assert_uint_eq(io.rios, UNK);
	ck_assert_uint_eq(io.wios, UNK);
}
END_TEST

START_TEST(io_stat_bad_values)
{
	struct cgroup_parse_io_stat io;
	PARSE(cgroup_parse_io_stat,
	      "8:0 rbytes=abc wbytes=10 rios=-1 wios=99999999999999999999\n"
	      "8:16 rbytes=5 wbytes=20 rios=1 wios=2\n", &io);
	ck_assert_uint_eq(io.rbytes, UNK);
	ck_assert_uint_eq(io.wbytes, 30);
	ck_assert_uint_eq(io.rios, UNK);
	ck_assert_uint_eq(io.wios, UNK);
}
END_TEST

START_TEST(io_stat_sum_overflow)
{
	struct cgroup_parse_io_stat io;
	PARSE(cgroup_parse_io_stat,
	      "8:0 rbytes=18446744073709551000 wbytes=1\n"
	      "8:16 rbytes=1000 wbytes=2\n", &io);
	ck_assert_uint_eq(io.rbytes, UNK);
	ck_assert_uint_eq(io.wbytes, 3);
}
END_TEST

START_TEST(io_stat_unexpected)
{
	struct cgroup_parse_io_stat io;
	PARSE(cgroup_parse_io_stat,
	      "garbage\n"
	      "\n"
	      "foo rbytes=5000\n"
	      "8: rbytes=6000\n"
	      "8:0 rbytes=1 cost.vrate=100.00 depth=1 avg_lat=10 win=0 rios rbytesx=9 =4\n"
	      "253:1\n", &io);
	ck_assert_uint_eq(io.rbytes, 1);
	ck_assert_uint_eq(io.wbytes, 0);
	ck_assert_uint_eq(io.rios, 0);
	ck_assert_uint_eq(io.wios, 0);
}
END_TEST

START_TEST(io_stat_respects_len)
{
	static const char s[] = "8:0 rbytes=10 wbytes=20 rios=1 wios=2\n7";
	struct cgroup_parse_io_stat io;
	PARSE_N(cgroup_parse_io_stat, s, sizeof s - 2, &io);
	ck_assert_uint_eq(io.rbytes, 10);
	ck_assert_uint_eq(io.wios, 2);
}
END_TEST

/* ---- pressure ---------------------------------------------------------- */

static const char PRESSURE[] =
	"some avg10=1.53 avg60=0.87 avg300=0.25 total=4379712\n"
	"full avg10=0.00 avg60=0.12 avg300=0.03 total=1207330\n";

START_TEST(pressure_real)
{
	struct cgroup_parse_pressure p;
	PARSE(cgroup_parse_pressure, PRESSURE, &p);
	ck_assert_dbl(p.some.avg10, 1.53);
	ck_assert_dbl(p.some.avg60, 0.87);
	ck_assert_dbl(p.some.avg300, 0.25);
	ck_assert_uint_eq(p.some.total_usec, 4379712);
	ck_assert_dbl(p.full.avg10, 0.0);
	ck_assert_dbl(p.full.avg60, 0.12);
	ck_assert_dbl(p.full.avg300, 0.03);
	ck_assert_uint_eq(p.full.total_usec, 1207330);
}
END_TEST

START_TEST(pressure_cpu_without_full)
{
	struct cgroup_parse_pressure p;
	PARSE(cgroup_parse_pressure, "some avg10=100.00 avg60=99.50 avg300=42.07 total=987654321\n", &p);
	ck_assert_dbl(p.some.avg10, 100.0);
	ck_assert_dbl(p.some.avg60, 99.5);
	ck_assert_dbl(p.some.avg300, 42.07);
	ck_assert_uint_eq(p.some.total_usec, 987654321);
	ck_assert_nan(p.full.avg10);
	ck_assert_nan(p.full.avg60);
	ck_assert_nan(p.full.avg300);
	ck_assert_uint_eq(p.full.total_usec, UNK);
}
END_TEST

START_TEST(pressure_empty)
{
	struct cgroup_parse_pressure p;
	memset(&p, 0, sizeof p);
	PARSE(cgroup_parse_pressure, "", &p);
	ck_assert_nan(p.some.avg10);
	ck_assert_nan(p.some.avg60);
	ck_assert_nan(p.some.avg300);
	ck_assert_uint_eq(p.some.total_usec, UNK);
	ck_assert_nan(p.full.avg10);
	ck_assert_uint_eq(p.full.total_usec, UNK);
}
END_TEST

START_TEST(pressure_truncated)
{
	struct cgroup_parse_pressure p;
	PARSE(cgroup_parse_pressure,
	      "some avg10=1.53 avg60=0.87 avg300=0.25 total=4379712\n"
	      "full avg10=0.00 avg60=0.1", &p);
	ck_assert_dbl(p.some.avg10, 1.53);
	ck_assert_uint_eq(p.some.total_usec, 4379712);
	ck_assert_nan(p.full.avg10);
	ck_assert_nan(p.full.avg60);
	ck_assert_uint_eq(p.full.total_usec, UNK);
}
END_TEST

START_TEST(pressure_bad_values)
{
	struct cgroup_parse_pressure p;
	PARSE(cgroup_parse_pressure,
	      "some avg10=abc avg60=-1.00 avg300=1..2 total=99999999999999999999\n"
	      "full avg10=.5 avg60=3. avg300=7 total=-4\n", &p);
	ck_assert_nan(p.some.avg10);
	ck_assert_nan(p.some.avg60);
	ck_assert_nan(p.some.avg300);
	ck_assert_uint_eq(p.some.total_usec, UNK);
	ck_assert_nan(p.full.avg10);
	ck_assert_nan(p.full.avg60);
	ck_assert_dbl(p.full.avg300, 7.0);
	ck_assert_uint_eq(p.full.total_usec, UNK);
}
END_TEST

START_TEST(pressure_unexpected)
{
	struct cgroup_parse_pressure p;
	PARSE(cgroup_parse_pressure,
	      "partial avg10=5.00\n"
	      "\n"
	      "some avg10=2.50 bogus nokey= =1 avg60=1.00 avg300=0.00 total=12 extra=3\n", &p);
	ck_assert_dbl(p.some.avg10, 2.5);
	ck_assert_dbl(p.some.avg60, 1.0);
	ck_assert_dbl(p.some.avg300, 0.0);
	ck_assert_uint_eq(p.some.total_usec, 12);
	ck_assert_nan(p.full.avg10);
}
END_TEST

START_TEST(pressure_respects_len)
{
	static const char s[] = "some avg10=1.53 avg60=0.87 avg300=0.25 total=43\n7";
	struct cgroup_parse_pressure p;
	PARSE_N(cgroup_parse_pressure, s, sizeof s - 2, &p);
	ck_assert_uint_eq(p.some.total_usec, 43);
	PARSE_N(cgroup_parse_pressure, s, sizeof s - 3, &p);
	ck_assert_uint_eq(p.some.total_usec, UNK);
	ck_assert_nan(p.some.avg10);
}
END_TEST

/* ---- v1 cpu ------------------------------------------------------------ */

START_TEST(v1_cfs_quota)
{
	ck_assert_uint_eq(u64s(cgroup_parse_v1_cfs_quota, "-1\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_v1_cfs_quota, "50000\n"), 50000);
	ck_assert_uint_eq(u64s(cgroup_parse_v1_cfs_quota, "-2\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_v1_cfs_quota, ""), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_v1_cfs_quota, "-"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_v1_cfs_quota, "abc\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_v1_cfs_quota, "99999999999999999999\n"), UNK);
	ck_assert_uint_eq(u64n(cgroup_parse_v1_cfs_quota, "-17", 2), UNK);
	ck_assert_uint_eq(u64n(cgroup_parse_v1_cfs_quota, "150007", 5), 15000);
}
END_TEST

START_TEST(v1_cores)
{
	uint64_t period = u64s(cgroup_parse_u64, "100000\n");
	ck_assert_dbl(cgroup_parse_cores(u64s(cgroup_parse_v1_cfs_quota, "150000\n"), period), 1.5);
	ck_assert_nan(cgroup_parse_cores(u64s(cgroup_parse_v1_cfs_quota, "-1\n"), period));
	ck_assert_nan(cgroup_parse_cores(50000, u64s(cgroup_parse_u64, "\n")));
}
END_TEST

START_TEST(v1_cpuacct_usage_and_shares)
{
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "123456789012345\n"), UINT64_C(123456789012345));
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "1024\n"), 1024);
	ck_assert_uint_eq(u64n(cgroup_parse_u64, "123456789012\n", 7), 1234567);
}
END_TEST

/* ---- v1 memory --------------------------------------------------------- */

START_TEST(v1_mem_limit_unlimited)
{
	/* PAGE_COUNTER_MAX pages on 4 KiB and on 64 KiB pages. */
	ck_assert_uint_eq(u64s(cgroup_parse_v1_mem_limit, "9223372036854771712\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_v1_mem_limit, "9223372036854710272\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_v1_mem_limit, "4611686018427387904\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_v1_mem_limit, "4611686018427387903\n"),
			  UINT64_C(4611686018427387903));
}
END_TEST

START_TEST(v1_mem_limit_values)
{
	ck_assert_uint_eq(u64s(cgroup_parse_v1_mem_limit, "536870912\n"), 536870912);
	ck_assert_uint_eq(u64s(cgroup_parse_v1_mem_limit, "0\n"), 0);
	ck_assert_uint_eq(u64s(cgroup_parse_v1_mem_limit, ""), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_v1_mem_limit, "lots\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_v1_mem_limit, "-1\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_v1_mem_limit, "99999999999999999999\n"), UNK);
	ck_assert_uint_eq(u64n(cgroup_parse_v1_mem_limit, "5368709127", 9), 536870912);
	/* usage_in_bytes is a plain number */
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "11796480\n"), 11796480);
}
END_TEST

/* ---- v1 pids ----------------------------------------------------------- */

START_TEST(v1_pids)
{
	ck_assert_uint_eq(u64s(cgroup_parse_u64, "17\n"), 17);
	ck_assert_uint_eq(u64s(cgroup_parse_u64_or_max, "max\n"), UNK);
	ck_assert_uint_eq(u64s(cgroup_parse_u64_or_max, "1024\n"), 1024);
}
END_TEST

/* ---- v1 blkio ---------------------------------------------------------- */

static const char BLKIO_SERVICE_BYTES[] =
	"8:16 Read 2269184\n"
	"8:16 Write 40960\n"
	"8:16 Sync 2310144\n"
	"8:16 Async 0\n"
	"8:16 Discard 0\n"
	"8:16 Total 2310144\n"
	"8:0 Read 1183744\n"
	"8:0 Write 0\n"
	"8:0 Sync 1183744\n"
	"8:0 Async 0\n"
	"8:0 Discard 0\n"
	"8:0 Total 1183744\n"
	"Total 3493888\n";

START_TEST(blkio_service_bytes_real)
{
	struct cgroup_parse_blkio b;
	PARSE(cgroup_parse_v1_blkio, BLKIO_SERVICE_BYTES, &b);
	ck_assert_uint_eq(b.read, 2269184 + 1183744);
	ck_assert_uint_eq(b.write, 40960);
}
END_TEST

START_TEST(blkio_serviced_real)
{
	struct cgroup_parse_blkio b;
	PARSE(cgroup_parse_v1_blkio,
	      "8:0 Read 145\n"
	      "8:0 Write 12\n"
	      "8:0 Sync 157\n"
	      "8:0 Async 0\n"
	      "8:0 Discard 0\n"
	      "8:0 Total 157\n"
	      "Total 157\n", &b);
	ck_assert_uint_eq(b.read, 145);
	ck_assert_uint_eq(b.write, 12);
}
END_TEST

START_TEST(blkio_no_devices)
{
	struct cgroup_parse_blkio b = { UNK, UNK };
	PARSE(cgroup_parse_v1_blkio, "Total 0\n", &b);
	ck_assert_uint_eq(b.read, 0);
	ck_assert_uint_eq(b.write, 0);
	b.read = UNK;
	PARSE(cgroup_parse_v1_blkio, "", &b);
	ck_assert_uint_eq(b.read, 0);
	ck_assert_uint_eq(b.write, 0);
}
END_TEST

START_TEST(blkio_truncated)
{
	struct cgroup_parse_blkio b;
	PARSE(cgroup_parse_v1_blkio, "8:0 Read 145\n8:0 Write 12\nTotal 15", &b);
	ck_assert_uint_eq(b.read, UNK);
	ck_assert_uint_eq(b.write, UNK);
	PARSE(cgroup_parse_v1_blkio, "8:0 Read 145\n8:0 Wr", &b);
	ck_assert_uint_eq(b.read, UNK);
	ck_assert_uint_eq(b.write, UNK);
}
END_TEST

START_TEST(blkio_bad_values)
{
	struct cgroup_parse_blkio b;
	PARSE(cgroup_parse_v1_blkio, "8:0 Read abc\n8:0 Write 5\nTotal 5\n", &b);
	ck_assert_uint_eq(b.read, UNK);
	ck_assert_uint_eq(b.write, 5);
	PARSE(cgroup_parse_v1_blkio, "8:0 Read -4\n8:0 Write 99999999999999999999\n", &b);
	ck_assert_uint_eq(b.read, UNK);
	ck_assert_uint_eq(b.write, UNK);
	PARSE(cgroup_parse_v1_blkio, "8:0 Read\n8:0 Write 1 2\n8:16 Write 3\n", &b);
	ck_assert_uint_eq(b.read, UNK);
	ck_assert_uint_eq(b.write, UNK);
	PARSE(cgroup_parse_v1_blkio, "8:0 Read 18446744073709551000\n8:16 Read 1000\n", &b);
	ck_assert_uint_eq(b.read, UNK);
	ck_assert_uint_eq(b.write, 0);
}
END_TEST

START_TEST(blkio_unexpected)
{
	struct cgroup_parse_blkio b;
	PARSE(cgroup_parse_v1_blkio,
	      "garbage\n"
	      "\n"
	      "foo Read 5\n"
	      "8:0 Frobnicate 7\n"
	      "8:0 read 9\n"
	      "8:0 Read 3\n"
	      "Total Read 100\n"
	      "Total 3\n", &b);
	ck_assert_uint_eq(b.read, 3);
	ck_assert_uint_eq(b.write, 0);
}
END_TEST

START_TEST(blkio_respects_len)
{
	static const char s[] = "8:0 Read 145\n8:0 Write 12\n7";
	struct cgroup_parse_blkio b;
	PARSE_N(cgroup_parse_v1_blkio, s, sizeof s - 2, &b);
	ck_assert_uint_eq(b.read, 145);
	ck_assert_uint_eq(b.write, 12);
	PARSE_N(cgroup_parse_v1_blkio, s, strlen("8:0 Read 145\n"), &b);
	ck_assert_uint_eq(b.read, 145);
	ck_assert_uint_eq(b.write, 0);
}
END_TEST

/* ---- suite ------------------------------------------------------------- */

/* cpuset lists as the kernel prints them (cpulist_parse's format). */
START_TEST(cpuset_lists)
{
	ck_assert_uint_eq(u64s(cgroup_parse_cpuset_count, "0-3\n"), 4);
	ck_assert_uint_eq(u64s(cgroup_parse_cpuset_count, "0\n"), 1);
	ck_assert_uint_eq(u64s(cgroup_parse_cpuset_count, "0-3,8,10-11\n"), 7);
	ck_assert_uint_eq(u64s(cgroup_parse_cpuset_count, "1,3,5,7"), 4); /* without '\n' */
	ck_assert_uint_eq(u64s(cgroup_parse_cpuset_count, "0-8191\n"), 8192);
	/* len is obeyed: "0-3" of "0-31" */
	ck_assert_uint_eq(u64n(cgroup_parse_cpuset_count, "0-31\n", 3), 4);
}
END_TEST

START_TEST(cpuset_bad_lists)
{
	static const char *const bad[] = {
		"", "\n", "x\n", "3-1\n", "0-\n", "-3\n", "0,,2\n", "0-3,\n", ",0\n",
		"0-99999999\n", "0-1-2\n", "0 - 3\n", "18446744073709551615\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(u64s(cgroup_parse_cpuset_count, bad[i]) == UNK, "'%s'", bad[i]);
	ck_assert_uint_eq(cgroup_parse_cpuset_count(NULL, 0), UNK);
}
END_TEST

/* A cpuset narrower than the root's pins the cgroup: that many cores,
 * or its quota when that is less.  As wide as the root's: only the quota. */
START_TEST(cpu_allocation_from_cpuset)
{
	ck_assert(cgroup_parse_cpu_allocation(GLASS_UNKNOWN, 2, 8) == 2.0);
	ck_assert(cgroup_parse_cpu_allocation(0.5, 2, 8) == 0.5);
	ck_assert(cgroup_parse_cpu_allocation(4.0, 2, 8) == 2.0);
	ck_assert(isnan(cgroup_parse_cpu_allocation(GLASS_UNKNOWN, 8, 8)));
	ck_assert(cgroup_parse_cpu_allocation(1.5, 8, 8) == 1.5);
	ck_assert(isnan(cgroup_parse_cpu_allocation(GLASS_UNKNOWN, 2, UNK))); /* root unknown */
	ck_assert(isnan(cgroup_parse_cpu_allocation(GLASS_UNKNOWN, UNK, 8)));
	ck_assert(isnan(cgroup_parse_cpu_allocation(GLASS_UNKNOWN, 0, 8)));
	ck_assert(cgroup_parse_cpu_allocation(3.0, UNK, 8) == 3.0);
}
END_TEST

static Suite *cgroup_parse_suite(void)
{
	Suite *s = suite_create("cgroup_parse");
	TCase *tc;

	tc = tcase_create("single");
	tcase_add_test(tc, u64_plain);
	tcase_add_test(tc, u64_without_newline);
	tcase_add_test(tc, u64_respects_len);
	tcase_add_test(tc, u64_empty);
	tcase_add_test(tc, u64_non_numeric);
	tcase_add_test(tc, u64_overflow);
	tcase_add_test(tc, u64_negative_or_signed);
	tcase_add_test(tc, u64_extra_lines);
	tcase_add_test(tc, u64_or_max_values);
	tcase_add_test(tc, u64_or_max_bad);
	tcase_add_test(tc, cores_ratio);
	suite_add_tcase(s, tc);

	tc = tcase_create("cpu_stat");
	tcase_add_test(tc, cpu_stat_real);
	tcase_add_test(tc, cpu_stat_without_cpu_controller);
	tcase_add_test(tc, cpu_stat_empty);
	tcase_add_test(tc, cpu_stat_truncated);
	tcase_add_test(tc, cpu_stat_bad_values);
	tcase_add_test(tc, cpu_stat_unexpected_lines);
	tcase_add_test(tc, cpu_stat_respects_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("cpu_max");
	tcase_add_test(tc, cpu_max_unlimited);
	tcase_add_test(tc, cpu_max_limited);
	tcase_add_test(tc, cpu_max_empty);
	tcase_add_test(tc, cpu_max_truncated);
	tcase_add_test(tc, cpu_max_bad_values);
	tcase_add_test(tc, cpu_max_unexpected);
	tcase_add_test(tc, cpu_max_respects_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("memory_stat");
	tcase_add_test(tc, memory_stat_v2_real);
	tcase_add_test(tc, memory_stat_v1_real);
	tcase_add_test(tc, memory_stat_empty);
	tcase_add_test(tc, memory_stat_truncated);
	tcase_add_test(tc, memory_stat_bad_values);
	tcase_add_test(tc, memory_stat_similar_keys);
	tcase_add_test(tc, memory_stat_respects_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("working_set");
	tcase_add_test(tc, working_set_v2);
	tcase_add_test(tc, working_set_v1_prefers_total);
	tcase_add_test(tc, working_set_clamped);
	tcase_add_test(tc, working_set_unknowns);
	tcase_add_test(tc, working_set_from_files);
	suite_add_tcase(s, tc);

	tc = tcase_create("io_stat");
	tcase_add_test(tc, io_stat_real);
	tcase_add_test(tc, io_stat_empty_is_zero);
	tcase_add_test(tc, io_stat_truncated);
	tcase_add_test(tc, io_stat_bad_values);
	tcase_add_test(tc, io_stat_sum_overflow);
	tcase_add_test(tc, io_stat_unexpected);
	tcase_add_test(tc, io_stat_respects_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("pressure");
	tcase_add_test(tc, pressure_real);
	tcase_add_test(tc, pressure_cpu_without_full);
	tcase_add_test(tc, pressure_empty);
	tcase_add_test(tc, pressure_truncated);
	tcase_add_test(tc, pressure_bad_values);
	tcase_add_test(tc, pressure_unexpected);
	tcase_add_test(tc, pressure_respects_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("v1");
	tcase_add_test(tc, v1_cfs_quota);
	tcase_add_test(tc, v1_cores);
	tcase_add_test(tc, v1_cpuacct_usage_and_shares);
	tcase_add_test(tc, v1_mem_limit_unlimited);
	tcase_add_test(tc, v1_mem_limit_values);
	tcase_add_test(tc, v1_pids);
	suite_add_tcase(s, tc);

	tc = tcase_create("cpuset");
	tcase_add_test(tc, cpuset_lists);
	tcase_add_test(tc, cpuset_bad_lists);
	tcase_add_test(tc, cpu_allocation_from_cpuset);
	suite_add_tcase(s, tc);

	tc = tcase_create("v1_blkio");
	tcase_add_test(tc, blkio_service_bytes_real);
	tcase_add_test(tc, blkio_serviced_real);
	tcase_add_test(tc, blkio_no_devices);
	tcase_add_test(tc, blkio_truncated);
	tcase_add_test(tc, blkio_bad_values);
	tcase_add_test(tc, blkio_unexpected);
	tcase_add_test(tc, blkio_respects_len);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cgroup_parse_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
