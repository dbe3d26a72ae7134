/* The config file: good lines, comments, and bad lines named file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glass/config.h"
#include "glass/guest_join.h"
#include "unit.h"

static int apply(struct options *o, const char *text, struct errbuf *err)
{
	errbuf_clear(err);
	return config_apply_text(o, "test.rc", text, strlen(text), err);
}

START_TEST(good_lines)
{
	struct options o;
	struct errbuf err;

	options_init(&o);
	ck_assert_int_eq(apply(&o, "# a comment\n\n  interval = 0.5  \nformat=json # trailing\n", &err), 0);
	ck_assert(o.interval_s == 0.5);
	ck_assert_int_eq(o.format, FORMAT_JSON);
	options_done(&o);
}
END_TEST

START_TEST(no_final_newline_and_crlf)
{
	struct options o;
	struct errbuf err;

	options_init(&o);
	ck_assert_int_eq(apply(&o, "interval = 3\r\nformat = text", &err), 0);
	ck_assert(o.interval_s == 3.0);
	ck_assert_int_eq(o.format, FORMAT_TEXT);
	options_done(&o);
}
END_TEST

START_TEST(unknown_key_names_file_and_line)
{
	struct options o;
	struct errbuf err;

	options_init(&o);
	ck_assert_int_eq(apply(&o, "interval = 1\n\nintervall = 2\n", &err), -1);
	ck_assert_str_eq(err.msg, "test.rc:3: unknown key 'intervall'");
	options_done(&o);
}
END_TEST

START_TEST(bad_values_name_file_and_line)
{
	struct options o;
	struct errbuf err;

	options_init(&o);
	ck_assert_int_eq(apply(&o, "interval = abc\n", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "test.rc:1: invalid delay 'abc'"));
	ck_assert_int_eq(apply(&o, "format = xml\n", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "test.rc:1: unknown format 'xml'"));
	ck_assert_int_eq(apply(&o, "# ok\ninterval\n", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "test.rc:2: expected 'key = value'"));
	ck_assert_int_eq(apply(&o, "interval =\n", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "test.rc:1: missing value"));
	ck_assert_int_eq(apply(&o, "= 3\n", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "test.rc:1: missing key"));
	ck_assert_int_eq(apply(&o, "interval = -1\n", &err), -1);
	ck_assert_int_eq(apply(&o, "interval = 1e999\n", &err), -1);
	options_done(&o);
}
END_TEST

START_TEST(nul_byte_is_an_error)
{
	struct options o;
	struct errbuf err;
	const char text[] = "interval = 1\nform\0at = json\n";

	options_init(&o);
	ck_assert_int_eq(config_apply_text(&o, "x.rc", text, sizeof(text) - 1, &err), -1);
	ck_assert_str_eq(err.msg, "x.rc:2: NUL byte in line");
	options_done(&o);
}
END_TEST

START_TEST(command_line_wins)
{
	struct options o;
	struct errbuf err;

	options_init(&o);
	o.interval_s = 7;
	o.set_on_cli = OPTSET_INTERVAL;
	ck_assert_int_eq(apply(&o, "interval = 1\nformat = json\n", &err), 0);
	ck_assert(o.interval_s == 7.0);
	ck_assert_int_eq(o.format, FORMAT_JSON);
	options_done(&o);
}
END_TEST

START_TEST(files_missing_and_present)
{
	struct options o;
	struct errbuf err;
	char path[] = "/tmp/glass-config-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "format = json\nbogus = 1\n", 24), 24);
	close(fd);
	options_init(&o);
	ck_assert_int_eq(config_load_file(&o, "/nonexistent/glassrc", false, &err), 0);
	ck_assert_int_eq(config_load_file(&o, "/nonexistent/glassrc", true, &err), -1);
	ck_assert_str_eq(err.msg, "/nonexistent/glassrc: No such file or directory");
	ck_assert_int_eq(config_load_file(&o, path, true, &err), -1);
	char want[128];
	snprintf(want, sizeof(want), "%s:2: unknown key 'bogus'", path);
	ck_assert_str_eq(err.msg, want);
	ck_assert_int_eq(o.format, FORMAT_JSON);
	unlink(path);
	options_done(&o);
}
END_TEST

START_TEST(default_path_follows_xdg)
{
	char dir[] = "/tmp/glass-xdg-XXXXXX";
	char *p;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("XDG_CONFIG_HOME", dir, 1);
	p = config_default_path();
	/* nothing there: NULL unless the machine has /etc/glass/glassrc */
	ck_assert(p == NULL || strcmp(p, "/etc/glass/glassrc") == 0);
	free(p);
	char *sub = NULL;
	ck_assert_int_gt(asprintf(&sub, "%s/glass", dir), 0);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	char *file = NULL;
	ck_assert_int_gt(asprintf(&file, "%s/glassrc", sub), 0);
	FILE *f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	p = config_default_path();
	ck_assert_str_eq(p, file);
	free(p);
	unlink(file);
	rmdir(sub);
	rmdir(dir);
	free(file);
	free(sub);
}
END_TEST

START_TEST(guest_keys)
{
	struct options o;
	struct errbuf err;

	options_init(&o);
	ck_assert_uint_eq(o.guest_match, GUEST_MATCH_UUID | GUEST_MATCH_MAC);
	ck_assert_int_eq(apply(&o, "guest.match = uuid, mac,name\n", &err), 0);
	ck_assert_uint_eq(o.guest_match, GUEST_MATCH_UUID | GUEST_MATCH_MAC | GUEST_MATCH_NAME);
	ck_assert_int_eq(apply(&o, "guest.match = serial\n", &err), -1);
	ck_assert_str_eq(err.msg, "test.rc:1: guest.match: 'serial' is not uuid, mac or name");
	/* a join by hand, and its remote watched once */
	ck_assert_int_eq(apply(&o, "host = glass+ssh://root@web1\nguest = vm:kvm1/web1  glass+ssh://root@web1\n", &err), 0);
	ck_assert_uint_eq(o.n_guests, 1);
	ck_assert_str_eq(o.guests[0].vm, "vm:kvm1/web1");
	ck_assert_str_eq(o.guests[0].uri, "glass+ssh://root@web1");
	ck_assert_uint_eq(o.n_uris, 1);
	ck_assert_int_eq(apply(&o, "guest = vm:kvm1/web2 glass+ssh://web2\n", &err), 0);
	ck_assert_uint_eq(o.n_uris, 2);
	ck_assert_int_eq(apply(&o, "guest = web1 glass+ssh://web1\n", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "test.rc:1: guest = expects 'vm:<host>/<uuid or name>"));
	ck_assert_int_eq(apply(&o, "guest = vm:kvm1/web1\n", &err), -1);
	/* no secret reaches the error */
	ck_assert_int_eq(apply(&o, "guest = vm:kvm1/web1 qemu+ssh://u:hunter2@kvm1/system\n", &err), -1);
	ck_assert_ptr_null(strstr(err.msg, "hunter2"));
	ck_assert_ptr_nonnull(strstr(err.msg, "glass+ssh://"));
	options_done(&o);
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, good_lines);
	tcase_add_test(tc, no_final_newline_and_crlf);
	tcase_add_test(tc, unknown_key_names_file_and_line);
	tcase_add_test(tc, bad_values_name_file_and_line);
	tcase_add_test(tc, nul_byte_is_an_error);
	tcase_add_test(tc, command_line_wins);
	tcase_add_test(tc, files_missing_and_present);
	tcase_add_test(tc, default_path_follows_xdg);
	tcase_add_test(tc, guest_keys);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(config_suite)
