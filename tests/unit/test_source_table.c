/* The source table: which type a -c URI names, the rank that decides who
 * speaks for a node several sources report, that each row makes a
 * source of its own kind, and that its config keys reach its own
 * settings (DESIGN.md §1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/config.h"
#include "glass/options.h"
#include "glass/source_cgroup.h"
#include "glass/source_ipmi.h"
#include "glass/source_prometheus.h"
#include "glass/source_remote.h"
#include "glass/source_table.h"
#include "unit.h"

static const char *kind_for(const char *uri)
{
	const struct source_type *t = source_type_for_uri(uri);

	return t ? t->kind : NULL;
}

START_TEST(uri_dispatch)
{
	ck_assert_str_eq(kind_for("glass+ssh://web1"), "remote");
	ck_assert_str_eq(kind_for("glass+ssh://ops@[::1]:2222"), "remote");
	ck_assert_str_eq(kind_for("ipmi://"), "ipmi");
	ck_assert_str_eq(kind_for("ipmi+lan://admin@bmc1"), "ipmi");
	ck_assert_str_eq(kind_for("ipmi+lanplus://admin@bmc1:623"), "ipmi");
	ck_assert_str_eq(kind_for("prometheus+http://prom:9090"), "prometheus");
	ck_assert_str_eq(kind_for("prometheus+https://prom:9090/sub"), "prometheus");
	/* anything else is libvirt's to accept or refuse */
	ck_assert_str_eq(kind_for("qemu+tcp://hv/system"), "libvirt");
	ck_assert_str_eq(kind_for("test:///default"), "libvirt");
	ck_assert_str_eq(kind_for("glass+sshx://web1"), "libvirt");
}
END_TEST

START_TEST(rank_order)
{
	static const char *const order[] = {"host", "remote", "libvirt", "cgroup", "ipmi", "rapl",
					    "prometheus"};

	for (size_t i = 0; i + 1 < sizeof(order) / sizeof(order[0]); i++)
		ck_assert_int_lt(source_type_rank(order[i]), source_type_rank(order[i + 1]));
	ck_assert_int_eq(source_type_rank("no such kind"), (int)n_source_types);
	ck_assert_int_eq(source_type_rank(NULL), (int)n_source_types);
}
END_TEST

/* A row's sources are of the row's kind, so the rank the model looks up
 * by kind is the row's. */
START_TEST(rows_make_their_kind)
{
	static const char *const uris[] = {"glass+ssh://web1", "test:///default",
#ifdef HAVE_LIBCURL
					   "prometheus+http://127.0.0.1:9",
#endif
	};
	struct options o;
	struct source_env env;
	struct errbuf err;

	options_init(&o);
	env = (struct source_env){&o, NULL};
	for (size_t i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
		const struct source_type *t = source_type_for_uri(uris[i]);
		struct source *src;

		errbuf_clear(&err);
		src = t->make(uris[i], &env, &err);
		ck_assert_msg(src != NULL, "%s: %s", uris[i], err.msg);
		ck_assert_str_eq(src->ops->kind, t->kind);
		source_free(src);
	}
	for (size_t i = 0; i < n_source_types; i++) {
		ck_assert_ptr_nonnull(source_types[i].kind);
		/* a type that takes URIs says which, for --help and errors */
		ck_assert(!source_types[i].claims || (source_types[i].make && source_types[i].schemes));
		ck_assert(source_types[i].claims || source_types[i].make_local);
	}
	options_done(&o);
}
END_TEST

/* A far glass (--no-libvirt) adds nothing for a hypervisor URI, and says
 * nothing either; a refused URI is an error, not a silent skip. */
START_TEST(nothing_to_add_and_refusals)
{
	struct options o;
	struct source_env env;
	struct errbuf err;

	options_init(&o);
	env = (struct source_env){&o, NULL};
	o.no_libvirt = true;
	errbuf_clear(&err);
	ck_assert_ptr_null(source_type_for_uri("test:///default")->make("test:///default", &env, &err));
	ck_assert_str_eq(err.msg, "");
	errbuf_clear(&err);
	ck_assert_ptr_null(source_type_for_uri("prometheus+http://u:pw@p:9090")
				   ->make("prometheus+http://u:pw@p:9090", &env, &err));
	ck_assert_str_ne(err.msg, "");
	ck_assert_ptr_null(strstr(err.msg, "pw"));
	options_done(&o);
}
END_TEST

/* The config list is the rows' configs, once each, in the table's order:
 * the settings array of the options is indexed by it. */
START_TEST(rows_and_configs_agree)
{
	size_t next = 0;

	for (size_t i = 0; i < n_source_types; i++) {
		if (!source_types[i].config)
			continue;
		ck_assert_msg(next < n_source_configs && source_configs[next] == source_types[i].config,
			      "row %s: its config is not source_configs[%zu]", source_types[i].kind, next);
		next++;
	}
	ck_assert_uint_eq(next, n_source_configs);
	for (size_t i = 0; i < n_source_configs; i++) {
		const struct source_config *c = source_configs[i];

		ck_assert(c->prefix || c->uri_key);
		/* settings come with their parser and their free */
		ck_assert(!c->prefix || (c->settings_new && c->parse && c->settings_free));
		ck_assert(!c->uri_claims || c->uri_expects);
	}
}
END_TEST

static const struct source_config *config_of(const char *kind)
{
	return source_types[source_type_rank(kind)].config;
}

/* A key under a row's prefix reaches that row's parser, and what it set
 * is in that row's settings; a URI key watches its URI as -c does. */
START_TEST(prefix_keys_reach_their_row)
{
	static const char text[] = "remote.ssh = ssh -F /etc/glass/ssh_config\n"
				   "remote.command = /opt/glass/bin/glass\n"
				   "remote.max_nodes = 7\n"
				   "prometheus.user = ops\n"
				   "prometheus.password_file = /etc/glass/prom.pw\n"
				   "prometheus.bearer_token_file = /etc/glass/prom.token\n"
				   "ipmi.password_file = /etc/glass/bmc.pw\n"
				   "cgroup.root = /cg\n"
				   "cgroup.docker-root = /d\n"
				   "cgroup.podman-root = /p\n"
				   "cgroup.k8s-log-dir = /k\n"
				   "host = glass+ssh://web1\n"
				   "ipmi = ipmi+lan://admin@bmc1\n"
				   "hypervisor = test:///default\n";
	struct options o;
	struct errbuf err;

	options_init(&o);
	errbuf_clear(&err);
	ck_assert_msg(config_apply_text(&o, "rc", text, strlen(text), &err) == 0, "%s", err.msg);
	const struct remote_settings *rs = source_settings(&o, config_of("remote"));
	ck_assert_str_eq(rs->ssh, "ssh -F /etc/glass/ssh_config");
	ck_assert_str_eq(rs->command, "/opt/glass/bin/glass");
	ck_assert_uint_eq(rs->max_nodes, 7);
	const struct prometheus_settings *ps = source_settings(&o, config_of("prometheus"));
	ck_assert_str_eq(ps->user, "ops");
	ck_assert_str_eq(ps->password_file, "/etc/glass/prom.pw");
	ck_assert_str_eq(ps->bearer_token_file, "/etc/glass/prom.token");
	const struct ipmi_settings *is = source_settings(&o, config_of("ipmi"));
	ck_assert_str_eq(is->password_file, "/etc/glass/bmc.pw");
	const struct cgroup_settings *cs = source_settings(&o, config_of("cgroup"));
	ck_assert_str_eq(cs->root, "/cg");
	ck_assert_str_eq(cs->docker_root, "/d");
	ck_assert_str_eq(cs->podman_root, "/p");
	ck_assert_str_eq(cs->k8s_log_dir, "/k");
	ck_assert_str_eq(source_cgroup_root(&o), "/cg");
	ck_assert_uint_eq(o.n_uris, 3);
	ck_assert_str_eq(o.uris[0], "glass+ssh://web1");
	ck_assert_str_eq(o.uris[1], "ipmi+lan://admin@bmc1");
	ck_assert_str_eq(o.uris[2], "test:///default");
	/* --cgroup-root wins over the config's cgroup.root */
	options_set_string(&o.cgroup_root, "fixtures/v2");
	ck_assert_str_eq(source_cgroup_root(&o), "fixtures/v2");
	options_done(&o);
}
END_TEST

static void expect_error(const char *text, const char *want)
{
	struct options o;
	struct errbuf err;

	options_init(&o);
	errbuf_clear(&err);
	ck_assert_int_eq(config_apply_text(&o, "rc", text, strlen(text), &err), -1);
	ck_assert_str_eq(err.msg, want);
	options_done(&o);
}

/* An unknown key, under a row's prefix or none, is still an error naming
 * file:line; a row's parser's own errors get the same file:line. */
START_TEST(unknown_keys_and_row_errors)
{
	char text[128], want[256];

	for (size_t i = 0; i < n_source_configs; i++) {
		if (!source_configs[i]->prefix)
			continue;
		snprintf(text, sizeof(text), "interval = 2\n%s.no_such_key = 1\n", source_configs[i]->prefix);
		snprintf(want, sizeof(want), "rc:2: unknown key '%s.no_such_key'", source_configs[i]->prefix);
		expect_error(text, want);
	}
	expect_error("\nnot_a_key = 1\n", "rc:2: unknown key 'not_a_key'");
	expect_error("remotely = 1\n", "rc:1: unknown key 'remotely'");
	expect_error("remote.max_nodes = 0\n",
		     "rc:1: remote.max_nodes: '0' is not a whole number from 1 to 100000000");
	expect_error("\n\ncgroup.docker-root = docker\n", "rc:3: 'docker' is not an absolute path");
	expect_error("prometheus.password_file = pw\n", "rc:1: 'pw' is not an absolute path");
	expect_error("host = qemu:///system\n", "rc:1: host = expects a glass+ssh://[user@]host[:port] URI");
	expect_error("ipmi = bmc1\n", "rc:1: ipmi = expects an ipmi://, ipmi+lan:// or ipmi+lanplus:// URI");
}
END_TEST

/* --help names every source's keys. */
START_TEST(help_names_the_keys)
{
	char *help = options_help();
	char prefix[64];

	for (size_t i = 0; i < n_source_configs; i++) {
		const struct source_config *c = source_configs[i];

		if (c->uri_key)
			ck_assert_msg(strstr(help, c->uri_key), "--help lacks %s", c->uri_key);
		if (c->prefix) {
			snprintf(prefix, sizeof(prefix), "%s.", c->prefix);
			ck_assert_msg(strstr(help, prefix), "--help lacks %s*", prefix);
		}
	}
	free(help);
}
END_TEST

static Suite *source_table_suite(void)
{
	Suite *s = suite_create("source_table");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, uri_dispatch);
	tcase_add_test(tc, rank_order);
	tcase_add_test(tc, rows_make_their_kind);
	tcase_add_test(tc, nothing_to_add_and_refusals);
	tcase_add_test(tc, rows_and_configs_agree);
	tcase_add_test(tc, prefix_keys_reach_their_row);
	tcase_add_test(tc, unknown_keys_and_row_errors);
	tcase_add_test(tc, help_names_the_keys);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(source_table_suite)
