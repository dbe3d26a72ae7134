/* Faults from outside: absurd figures in a snapshot read back, control
 * bytes in config and theme errors, a URI password that must not reach
 * libvirt, numbers too wide for a buffer, and the output file's
 * temporaries (no process-wide umask change, stale ones cleaned). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "glass/atomic_file.h"
#include "glass/config.h"
#include "glass/libvirt_uri.h"
#include "glass/snapshot_read.h"
#include "glass/source_remote.h"
#include "glass/tui/theme.h"
#include "glass/units.h"
#include "glass/uri.h"
#include "glass/value.h"
#include "unit.h"

/* Every umask(2) the code under test makes goes through here: the
 * program's own definition wins over the C library's at link time. */
static int umask_calls;

mode_t umask(mode_t mask)
{
	umask_calls++;
	return (mode_t)syscall(SYS_umask, mask);
}

/* No control byte (C0 but tab, DEL) in s. */
static int has_controls(const char *s)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			return 1;
	return 0;
}

START_TEST(config_error_escapes_controls)
{
	struct options o;
	struct errbuf err;
	const char *text = "interval = 2\nformat = \x1b[2J\x1b]0;PWN\x07 json\n";

	options_init(&o);
	errbuf_clear(&err);
	ck_assert_int_eq(config_apply_text(&o, "rc", text, strlen(text), &err), -1);
	ck_assert_msg(!has_controls(err.msg), "raw control bytes in: %s", err.msg);
	ck_assert_ptr_nonnull(strstr(err.msg, "rc:2: "));
	ck_assert_ptr_nonnull(strstr(err.msg, "\\x1b[2J\\x1b]0;PWN\\x07"));
	options_done(&o);
}
END_TEST

START_TEST(config_unknown_key_escapes_controls)
{
	struct options o;
	struct errbuf err;
	const char *text = "\x1b]0;PWN\x07 = 1\n";

	options_init(&o);
	errbuf_clear(&err);
	ck_assert_int_eq(config_apply_text(&o, "rc", text, strlen(text), &err), -1);
	ck_assert_msg(!has_controls(err.msg), "raw control bytes in: %s", err.msg);
	ck_assert_ptr_nonnull(strstr(err.msg, "unknown key"));
	options_done(&o);
}
END_TEST

START_TEST(config_max_nodes)
{
	struct options o;
	struct errbuf err;
	const char *good = "remote.max_nodes = 5000\n";
	const char *bad = "remote.max_nodes = -1\n";

	options_init(&o);
	ck_assert_int_eq(config_apply_text(&o, "rc", good, strlen(good), &err), 0);
	ck_assert_uint_eq(((const struct remote_settings *)source_settings(&o, &remote_config))->max_nodes,
			  5000);
	ck_assert_int_eq(config_apply_text(&o, "rc", bad, strlen(bad), &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "remote.max_nodes"));
	options_done(&o);
}
END_TEST

START_TEST(theme_error_escapes_controls)
{
	struct tui_theme th;
	struct errbuf err;
	const char *lines[] = {
		"\x1b[2J = red blue\n",
		"row = \x1b]0;PWN\x07 blue\n",
		"row = red blue \x1b[5m\n",
		"\x1b[2J no equals sign\n",
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		errbuf_clear(&err);
		ck_assert_int_eq(tui_theme_parse(&th, "t", "my.theme", lines[i], strlen(lines[i]), &err), -1);
		ck_assert_msg(!has_controls(err.msg), "raw control bytes in: %s", err.msg);
		ck_assert_ptr_nonnull(strstr(err.msg, "\\x1b"));
	}
}
END_TEST

static const char *snap_fmt =
	"{\"schema_version\":1,\"glass_version\":\"x\",\"time\":null,\"sources\":[],"
	"\"tree\":{\"id\":\"site\",\"kind\":\"site\",\"name\":\"site\",\"children\":["
	"{\"id\":\"host:h\",\"kind\":\"host\",\"name\":\"h\",%s,\"children\":[]}]}}";

static struct tree *parse_host(const char *fields, const struct node **host)
{
	char text[2048];
	struct errbuf err;
	struct tree *t;

	snprintf(text, sizeof(text), snap_fmt, fields);
	errbuf_clear(&err);
	t = snapshot_parse(text, strlen(text), &err);
	ck_assert_msg(t != NULL, "%s", err.msg);
	ck_assert_uint_eq(t->root->n_children, 1);
	*host = t->root->children[0];
	return t;
}

START_TEST(absurd_figures_read_as_unknown)
{
	const struct node *h;
	struct tree *t = parse_host("\"cpu_cores_allocated\":-64,\"cpu_cores_used\":1e300,"
				    "\"memory_bytes_allocated\":1e308,\"memory_bytes_used\":-1,"
				    "\"pids_max\":1e19,\"pids_current\":-5,"
				    "\"disk_read_bytes_per_second\":-3,\"net_rx_bytes_per_second\":1e999,"
				    "\"swap_bytes_total\":1e20,\"load\":[-1,1e300,0.5],"
				    "\"pressure\":{\"cpu_some\":150,\"cpu_full\":-1,\"io_some\":12.5}",
				    &h);
	const struct resources *r = &h->res;

	ck_assert(!value_known(r->cpu_cores_allocated));
	ck_assert(!value_known(r->cpu_cores_used));
	ck_assert(!value_known(r->mem_bytes_allocated));
	ck_assert(!value_known(r->mem_bytes_used));
	ck_assert(!value_known(r->pids_max));
	ck_assert(!value_known(r->pids_current));
	ck_assert(!value_known(r->disk_read_bps));
	ck_assert(!value_known(r->net_rx_bps));
	ck_assert(!value_known(r->swap_bytes_total));
	ck_assert(!value_known(r->load[0]));
	ck_assert(!value_known(r->load[1]));
	ck_assert(r->load[2] == 0.5);
	ck_assert(!value_known(r->psi_some[PSI_CPU]));
	ck_assert(!value_known(r->psi_full[PSI_CPU]));
	ck_assert(r->psi_some[PSI_IO] == 12.5);
	tree_free(t);
}
END_TEST

START_TEST(real_figures_stay)
{
	const struct node *h;
	struct tree *t = parse_host("\"cpu_cores_allocated\":256,\"cpu_cores_used\":0,"
				    "\"memory_bytes_allocated\":4398046511104,\"pids_max\":4194304,"
				    "\"disk_read_bytes_per_second\":1.5e9",
				    &h);

	ck_assert(h->res.cpu_cores_allocated == 256);
	ck_assert(h->res.cpu_cores_used == 0);
	ck_assert(h->res.mem_bytes_allocated == 4398046511104.0);
	ck_assert(h->res.pids_max == 4194304);
	ck_assert(h->res.disk_read_bps == 1.5e9);
	tree_free(t);
}
END_TEST

START_TEST(node_cap)
{
	char text[8192];
	size_t n = 0;
	struct errbuf err;
	struct tree *t;

	n += (size_t)snprintf(text + n, sizeof(text) - n,
			      "{\"schema_version\":1,\"glass_version\":\"x\",\"tree\":{\"id\":\"site\","
			      "\"kind\":\"site\",\"name\":\"site\",\"children\":[");
	for (int i = 0; i < 50; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s{\"id\":\"ct:h/%d\",\"kind\":\"container\","
				      "\"name\":\"c\"}", i ? "," : "", i);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "]}}");
	t = snapshot_parse_max(text, n, 51, &err);
	ck_assert_ptr_nonnull(t); /* the site and 50 children */
	tree_free(t);
	errbuf_clear(&err);
	ck_assert_ptr_null(snapshot_parse_max(text, n, 50, &err));
	ck_assert_str_eq(err.msg, "more than 50 nodes");
	t = snapshot_parse(text, n, &err);
	ck_assert_ptr_nonnull(t);
	tree_free(t);
}
END_TEST

START_TEST(wide_numbers_are_not_cut)
{
	char buf[64];
	const double v[] = {1e308, -1e308, 1.7976931348623157e308, 123456.78901};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		units_trimmed(v[i], 4, buf, sizeof(buf));
		double back = strtod(buf, NULL);
		ck_assert_msg(fabs(back - v[i]) <= fabs(v[i]) * 1e-4, "%g written as %s", v[i], buf);
	}
}
END_TEST

START_TEST(libvirt_never_sees_the_password)
{
	char *u = libvirt_uri_prepare("qemu+ssh://root:S3CRET@kvm1/system");

	ck_assert_str_eq(u, "qemu+ssh://root@kvm1/system?no_tty=1");
	free(u);
	u = libvirt_uri_prepare("qemu+tcp://admin:p@ss@kvm2:16509/system?x=1");
	ck_assert_str_eq(u, "qemu+tcp://admin@kvm2:16509/system?x=1");
	free(u);
	u = libvirt_uri_prepare("qemu+ssh://root@kvm1/system");
	ck_assert_str_eq(u, "qemu+ssh://root@kvm1/system?no_tty=1");
	free(u);
	ck_assert_ptr_null(uri_without_password("qemu:///system"));
	ck_assert_ptr_null(uri_without_password("qemu+ssh://root@h/system"));
	ck_assert_ptr_null(uri_without_password("test:///a:b@c"));
}
END_TEST

static char dir[64];

static void make_dir(void)
{
	strcpy(dir, "/tmp/glass-faults-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(output_mode_without_umask_change)
{
	char path[128];
	struct errbuf err;
	struct stat st;
	mode_t old = (mode_t)syscall(SYS_umask, 027);

	snprintf(path, sizeof(path), "%s/out.prom", dir);
	umask_calls = 0;
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(atomic_file_write(path, "x 1\n", 4, &err), 0);
	ck_assert_int_eq(umask_calls, 0); /* another thread may fork meanwhile */
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0640);
	syscall(SYS_umask, old);
}
END_TEST

static void touch(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

static int exists(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

START_TEST(stale_temporaries_only_ours)
{
	char path[128], dead[64], live[64], other[64], dead2[64];
	pid_t child = fork();

	ck_assert_int_ge(child, 0);
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0); /* a pid whose process is gone */
	snprintf(dead, sizeof(dead), ".out.prom.glass-%ld-aB3dE9", (long)child);
	snprintf(dead2, sizeof(dead2), ".out.prom.glass-%ld-zzzzzz", (long)child);
	snprintf(live, sizeof(live), ".out.prom.glass-%ld-aB3dE9", (long)getppid());
	snprintf(other, sizeof(other), ".other.prom.glass-%ld-aB3dE9", (long)child);
	touch(dead);
	touch(dead2);
	touch(live);
	touch(other);
	touch(".out.prom.backup");
	touch(".out.prom.glass-x-aB3dE9");
	touch("out.prom.glass-1-aB3dE9");
	snprintf(path, sizeof(path), "%s/out.prom", dir);
	ck_assert_int_eq(atomic_file_clean_stale(path), 2);
	ck_assert(!exists(dead) && !exists(dead2));
	ck_assert(exists(live));  /* its writer runs */
	ck_assert(exists(other)); /* another output's */
	ck_assert(exists(".out.prom.backup") && exists(".out.prom.glass-x-aB3dE9") &&
		  exists("out.prom.glass-1-aB3dE9"));
}
END_TEST

START_TEST(device_target_is_written_in_place)
{
	struct errbuf err;
	struct stat st;

	ck_assert_int_eq(stat("/dev/null", &st), 0);
	if (!S_ISCHR(st.st_mode))
		return; /* this machine's /dev/null is broken: nothing to keep */
	ck_assert_int_eq(atomic_file_write("/dev/null", "x\n", 2, &err), 0);
	ck_assert_int_eq(stat("/dev/null", &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
}
END_TEST

static Suite *faults_suite(void)
{
	Suite *s = suite_create("faults");
	TCase *tc = tcase_create("outside");
	TCase *files = tcase_create("files");

	tcase_add_test(tc, config_error_escapes_controls);
	tcase_add_test(tc, config_unknown_key_escapes_controls);
	tcase_add_test(tc, config_max_nodes);
	tcase_add_test(tc, theme_error_escapes_controls);
	tcase_add_test(tc, absurd_figures_read_as_unknown);
	tcase_add_test(tc, real_figures_stay);
	tcase_add_test(tc, node_cap);
	tcase_add_test(tc, wide_numbers_are_not_cut);
	tcase_add_test(tc, libvirt_never_sees_the_password);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(files, make_dir, remove_dir);
	tcase_add_test(files, output_mode_without_umask_change);
	tcase_add_test(files, stale_temporaries_only_ours);
	tcase_add_test(files, device_target_is_written_in_place);
	suite_add_tcase(s, files);
	return s;
}

UNIT_MAIN(faults_suite)
