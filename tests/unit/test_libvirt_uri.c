/* What the libvirt source does to a URI: ssh never asks on the terminal,
 * and libvirt's error messages lose the URI's secrets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/libvirt_uri.h"
#include "unit.h"

struct prep_case {
	const char *in;
	const char *want;
};

static const struct prep_case prep_cases[] = {
	{"qemu:///system", "qemu:///system"},
	{"test:///default", "test:///default"},
	{"qemu+tcp://h/system", "qemu+tcp://h/system"},
	{"qemu+ssh://root@h/system", "qemu+ssh://root@h/system?no_tty=1"},
	{"qemu+ssh://h/system?keyfile=/k", "qemu+ssh://h/system?keyfile=/k&no_tty=1"},
	{"qemu+ssh://h/system?no_tty=0", "qemu+ssh://h/system?no_tty=0"},
	{"qemu+ssh://h/system?a=1&no_tty", "qemu+ssh://h/system?a=1&no_tty"},
	{"qemu+ssh://h/system#f", "qemu+ssh://h/system?no_tty=1#f"},
	{"qemu+libssh2://h/system", "qemu+libssh2://h/system"},
	{"qemu+sshx://h/system", "qemu+sshx://h/system"},
	{"ssh", "ssh"},
};

START_TEST(prepares)
{
	char *got = libvirt_uri_prepare(prep_cases[_i].in);

	ck_assert_str_eq(got, prep_cases[_i].want);
	free(got);
}
END_TEST

START_TEST(scrubs)
{
	char *got = libvirt_uri_scrub("test+tcp://admin:s3cret@h:1/x?token=t0k&mode=ro",
				      "auth to admin:s3cret@h failed (token t0k, s3cret again, mode ro)");

	ck_assert_str_eq(got, "auth to admin:***@h failed (token ***, *** again, mode ro)");
	free(got);
	got = libvirt_uri_scrub("qemu:///system", "plain message");
	ck_assert_str_eq(got, "plain message");
	free(got);
	got = libvirt_uri_scrub("qemu:///system", "");
	ck_assert_str_eq(got, "");
	free(got);
	got = libvirt_uri_scrub("qemu+tcp://u:@h/system", "u:@h");
	ck_assert_str_eq(got, "u:@h");
	free(got);
	got = libvirt_uri_scrub("qemu+ssh:/h?password=s3cret&x=http://y", "no s3cret");
	ck_assert_str_eq(got, "no ***");
	free(got);
	/* more secrets than a fixed table held (found by fuzz_uri) */
	char uri[512] = "qemu+tls://h/system?", msg[512] = "";
	for (int i = 0; i < 20; i++) {
		snprintf(uri + strlen(uri), sizeof(uri) - strlen(uri), "%stoken%d=s3cret%02d", i ? "&" : "", i, i);
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), "s3cret%02d ", i);
	}
	got = libvirt_uri_scrub(uri, msg);
	ck_assert_msg(!strstr(got, "s3cret"), "%s", got);
	free(got);
}
END_TEST

static Suite *libvirt_uri_suite(void)
{
	Suite *s = suite_create("libvirt_uri");
	TCase *tc = tcase_create("uri");

	tcase_add_loop_test(tc, prepares, 0, (int)(sizeof(prep_cases) / sizeof(prep_cases[0])));
	tcase_add_test(tc, scrubs);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(libvirt_uri_suite)
