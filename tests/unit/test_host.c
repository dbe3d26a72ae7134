/* The local host source's readers that take a path: PSI from a directory
 * laid out as /proc/pressure, and a kernel without it. */
#include <stdio.h>
#include <stdlib.h>

#include "glass/reading.h"
#include "glass/source_host.h"
#include "glass/value.h"
#include "glass/xalloc.h"
#include "unit.h"

static void put(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

START_TEST(psi_from_proc_pressure)
{
	char dir[] = "/tmp/glass-host-unit.XXXXXX";
	struct reading *r = reading_new();
	struct raw_node *n = reading_add_node(r, NODE_HOST, "host:h", NULL, "h");

	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* as linux 6.1 writes them; io without a full line is a format
	 * glass still reads (some only) */
	put(dir, "cpu", "some avg10=12.50 avg60=3.10 avg300=0.80 total=48211907\n"
			"full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
	put(dir, "memory", "some avg10=0.25 avg60=0.10 avg300=0.00 total=1300\n"
			   "full avg10=0.12 avg60=0.05 avg300=0.00 total=900\n");
	put(dir, "io", "some avg10=1.75 avg60=1.00 avg300=0.50 total=77\n");
	source_host_read_psi(dir, n);
	ck_assert(n->psi_some[PSI_CPU] == 12.5 && n->psi_full[PSI_CPU] == 0.0);
	ck_assert(n->psi_some[PSI_MEMORY] == 0.25 && n->psi_full[PSI_MEMORY] == 0.12);
	ck_assert(n->psi_some[PSI_IO] == 1.75 && !value_known(n->psi_full[PSI_IO]));
	char *cmd = xasprintf("rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	reading_unref(r);
}
END_TEST

/* No /proc/pressure (CONFIG_PSI off, or psi=0): unknown, never 0. */
START_TEST(psi_absent_is_unknown)
{
	struct reading *r = reading_new();
	struct raw_node *n = reading_add_node(r, NODE_HOST, "host:h", NULL, "h");

	source_host_read_psi("/nonexistent-glass-pressure", n);
	for (int i = 0; i < 3; i++)
		ck_assert(!value_known(n->psi_some[i]) && !value_known(n->psi_full[i]));
	reading_unref(r);
}
END_TEST

static Suite *host_suite(void)
{
	Suite *s = suite_create("host");
	TCase *tc = tcase_create("psi");

	tcase_add_test(tc, psi_from_proc_pressure);
	tcase_add_test(tc, psi_absent_is_unknown);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(host_suite)
