/* The source table: which type a -c URI names, the rank that decides who
 * speaks for a node several sources report, and that each row makes a
 * source of its own kind (DESIGN.md §1). */
#include <string.h>

#include "glass/options.h"
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

static Suite *source_table_suite(void)
{
	Suite *s = suite_create("source_table");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, uri_dispatch);
	tcase_add_test(tc, rank_order);
	tcase_add_test(tc, rows_make_their_kind);
	tcase_add_test(tc, nothing_to_add_and_refusals);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(source_table_suite)
