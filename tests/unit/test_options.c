/* Command-line parsing: values, defaults and usage errors. */
#include <stdio.h>
#include <string.h>

#include "glass/options.h"
#include "glass/view_table.h"
#include "glass/xalloc.h"
#include "unit.h"

static enum options_result parse(struct options *o, struct errbuf *err, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	options_init(o);
	errbuf_clear(err);
	return options_parse(o, argc, argv, err);
}

START_TEST(defaults)
{
	struct options o;
	struct errbuf err;
	char *argv[] = {"glass", NULL};

	ck_assert_int_eq(parse(&o, &err, argv), OPTIONS_RUN);
	ck_assert(!o.batch);
	ck_assert_int_eq(o.iterations, 1);
	ck_assert(o.interval_s == 2.0);
	ck_assert_int_eq(o.format, FORMAT_TEXT);
	ck_assert_ptr_null(o.output_path);
	ck_assert_uint_eq(o.set_on_cli, 0);
	options_done(&o);
}
END_TEST

START_TEST(all_values)
{
	struct options o;
	struct errbuf err;
	char *argv[] = {"glass", "-b", "-n", "3", "-d", "0.2", "--format=json", "-o", "/tmp/x.json",
			"-C", "my.rc", "--no-local", "-c", "test:///default", "--connect", "qemu:///system",
			NULL};

	ck_assert_int_eq(parse(&o, &err, argv), OPTIONS_RUN);
	ck_assert(o.batch);
	ck_assert_int_eq(o.iterations, 3);
	ck_assert(o.interval_s == 0.2);
	ck_assert_int_eq(o.format, FORMAT_JSON);
	ck_assert_str_eq(o.output_path, "/tmp/x.json");
	ck_assert_str_eq(o.config_path, "my.rc");
	ck_assert(o.no_local);
	ck_assert_uint_eq(o.n_uris, 2);
	ck_assert_str_eq(o.uris[1], "qemu:///system");
	ck_assert_uint_eq(o.set_on_cli, OPTSET_INTERVAL | OPTSET_FORMAT | OPTSET_ITERATIONS);
	options_done(&o);
}
END_TEST

START_TEST(long_forms)
{
	struct options o;
	struct errbuf err;
	char *argv[] = {"glass", "--batch", "--iterations=0", "--delay", "1.5", "--output=f", NULL};

	ck_assert_int_eq(parse(&o, &err, argv), OPTIONS_RUN);
	ck_assert(o.batch);
	ck_assert_int_eq(o.iterations, 0);
	ck_assert(o.interval_s == 1.5);
	ck_assert_str_eq(o.output_path, "f");
	options_done(&o);
}
END_TEST

struct bad_case {
	const char *args[4];
	const char *want; /* a substring of the error */
};

static const struct bad_case bad_cases[] = {
	{{"-n", "-1"}, "invalid iterations '-1'"},
	{{"-n", "x"}, "invalid iterations 'x'"},
	{{"-d", "abc"}, "invalid delay 'abc'"},
	{{"-d", "0"}, "invalid delay '0'"},
	{{"-d", "nan"}, "invalid delay 'nan'"},
	{{"--format", "xml"}, "unknown format 'xml'"},
	{{"--bogus"}, "unknown option '--bogus'"},
	{{"-z"}, "unknown option '-z'"},
	{{"-n"}, "option '-n' needs a value"},
	{{"stray"}, "unexpected argument 'stray'"},
};

START_TEST(bad_arguments)
{
	const struct bad_case *c = &bad_cases[_i];
	char *argv[6] = {"glass"};
	struct options o;
	struct errbuf err;

	for (int i = 0; i < 4 && c->args[i]; i++)
		argv[i + 1] = (char *)c->args[i];
	ck_assert_int_eq(parse(&o, &err, argv), OPTIONS_ERROR);
	ck_assert_msg(strstr(err.msg, c->want), "'%s' lacks '%s'", err.msg, c->want);
	ck_assert_ptr_null(strchr(err.msg, '\n'));
	options_done(&o);
}
END_TEST

START_TEST(help_names_every_option)
{
	char *help = options_help();

	ck_assert_ptr_nonnull(strstr(help, "--batch"));
	ck_assert_ptr_nonnull(strstr(help, "--iterations"));
	ck_assert_ptr_nonnull(strstr(help, "--no-local"));
	ck_assert_ptr_nonnull(strstr(help, "--theme"));
	ck_assert_ptr_null(strstr(help, "not built yet"));
	ck_assert_ptr_null(strstr(help, "@FORMATS@"));
	/* every format of the view table, named in --help (lines joined) */
	char *flat = xstrdup(help);
	size_t k = 0;
	for (const char *c = help; *c; c++) {
		if (*c == '\n' && c[1] == ' ') {
			while (c[1] == ' ')
				c++;
			flat[k++] = ' ';
		} else
			flat[k++] = *c;
	}
	flat[k] = '\0';
	for (size_t i = 0; i < view_types_len; i++) {
		char want[32];
		snprintf(want, sizeof(want), " %s (", view_types[i].name);
		ck_assert_msg(strstr(flat, want), "--help lacks the format %s", view_types[i].name);
	}
	free(flat);
	/* and wrapped: no line past 79 columns */
	for (const char *line = help; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		ck_assert_msg(len <= 79, "a --help line of %zu bytes", len);
		line = nl ? nl + 1 : line + len;
	}
	free(help);
}
END_TEST

static Suite *options_suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, defaults);
	tcase_add_test(tc, all_values);
	tcase_add_test(tc, long_forms);
	tcase_add_loop_test(tc, bad_arguments, 0, (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, help_names_every_option);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(options_suite)
