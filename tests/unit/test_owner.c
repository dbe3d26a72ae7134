/* Chargeback: owner rules from the config, which owner wins (rules, then
 * the source's hint, then the parent's), and the report's arithmetic by
 * hand on a tree the idle policy judged, against the site's rollup. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glass/cgroup_names.h"
#include "glass/cgroup_runtime.h"
#include "glass/chargeback.h"
#include "glass/config.h"
#include "glass/idle.h"
#include "glass/libvirt_internal.h"
#include "glass/options.h"
#include "glass/owner.h"
#include "glass/str_pool.h"
#include "glass/strbuf.h"
#include "glass/value.h"
#include "glass/view.h"
#include "glass/xalloc.h"
#include "unit.h"

#define GIB (1024.0 * 1024.0 * 1024.0)
#define EPS 1e-9

static int apply(struct options *o, const char *text, struct errbuf *err)
{
	return config_apply_text(o, "rc", text, strlen(text), err);
}

START_TEST(rules_from_the_config)
{
	struct options o;
	struct errbuf err;

	options_init(&o);
	ck_assert_int_eq(apply(&o, "owner.team-a = vm:*/web-*, ct:*/system.slice/nginx.service\n"
				   "owner.team-b = vm:*\n", &err), 0);
	ck_assert_uint_eq(o.owner.n_rules, 3);
	ck_assert_str_eq(o.owner.rules[0].owner, "team-a");
	ck_assert_str_eq(o.owner.rules[0].glob, "vm:*/web-*");
	ck_assert_str_eq(o.owner.rules[1].glob, "ct:*/system.slice/nginx.service");
	ck_assert_str_eq(o.owner.rules[2].owner, "team-b");
	/* a bad line says file:line and adds nothing */
	ck_assert_int_eq(apply(&o, "\nowner.team-c = a, , b\n", &err), -1);
	ck_assert_str_eq(err.msg, "rc:2: owner.team-c: an empty glob in 'a, , b'");
	ck_assert_uint_eq(o.owner.n_rules, 3);
	ck_assert_int_eq(apply(&o, "owner. = vm:*\n", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "rc:1: owner.: expected owner.TEAM"));
	ck_assert_int_eq(apply(&o, "owner.a\x01z = vm:*\n", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "only printable characters"));
	/* not an owner key at all */
	ck_assert_int_eq(apply(&o, "ownerx = 1\n", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "unknown key 'ownerx'"));
	options_done(&o);
}
END_TEST

static struct node *add(struct node *parent, enum node_kind kind, const char *id,
			const char *name)
{
	struct node *n = node_new(kind, id, name);

	if (kind == NODE_VM)
		n->state = xstrdup("running");
	if (parent)
		node_add_child(parent, n);
	return n;
}

static void hint(struct node *n, const char *owner, const char *source)
{
	node_extra(n)->owner_hint = xstrdup(owner);
	node_extra(n)->owner_hint_source = source;
}

START_TEST(first_match_wins_and_children_inherit)
{
	struct options o;
	struct errbuf err;
	struct tree t = {0};

	options_init(&o);
	ck_assert_int_eq(apply(&o, "owner.ops = host:*\n"
				   "owner.web = vm:*/web, ct:*/system.slice/nginx.service\n"
				   "owner.late = vm:*/web\n", &err), 0);
	t.root = add(NULL, NODE_SITE, "site", "site");
	struct node *h = add(t.root, NODE_HOST, "host:h1", "h1");
	/* by name: vm:h1/web for vm:h1/<uuid>; the rule beats the metadata */
	struct node *web = add(h, NODE_VM, "vm:h1/1111", "web");
	hint(web, "team-x", "libvirt-metadata");
	struct node *db = add(h, NODE_VM, "vm:h1/2222", "db");
	hint(db, "team-db", "libvirt-title");
	struct node *guest_ct = add(db, NODE_CONTAINER, "ct:g/app", "app");
	struct node *nginx = add(h, NODE_CONTAINER, "ct:h1/system.slice/nginx.service", "nginx.service");
	struct node *slice = add(h, NODE_CONTAINER, "ct:h1/user.slice/user-1000.slice/s.scope", "s.scope");
	hint(slice, "alice", "slice-user");
	struct node *below = add(slice, NODE_CONTAINER, "ct:h1/user.slice/user-1000.slice/s.scope/x", "x");
	hint(below, "team-l", "label");

	owner_apply(&o.owner, &t);
	ck_assert_ptr_null(t.root->owner);
	ck_assert_str_eq(h->owner, "ops");
	ck_assert_str_eq(h->owner_source, "config");
	ck_assert_str_eq(web->owner, "web"); /* the first rule, not "late" */
	ck_assert_str_eq(web->owner_source, "config");
	ck_assert_str_eq(db->owner, "team-db");
	ck_assert_str_eq(db->owner_source, "libvirt-title");
	ck_assert_str_eq(guest_ct->owner, "team-db");
	ck_assert_str_eq(guest_ct->owner_source, "inherited");
	ck_assert_str_eq(nginx->owner, "web");
	ck_assert_str_eq(slice->owner, "alice");
	ck_assert_str_eq(slice->owner_source, "slice-user");
	/* a node's own hint beats its parent's owner */
	ck_assert_str_eq(below->owner, "team-l");
	ck_assert_str_eq(below->owner_source, "label");

	/* without rules: hints and inheritance; the host is unowned */
	struct owner_rules none = {0};
	owner_apply(&none, &t);
	ck_assert_ptr_null(h->owner);
	ck_assert_ptr_null(h->owner_source);
	ck_assert_str_eq(web->owner, "team-x");
	ck_assert_str_eq(web->owner_source, "libvirt-metadata");
	ck_assert_ptr_null(nginx->owner);
	node_free(t.root);
	options_done(&o);
}
END_TEST

START_TEST(owner_text_from_outside)
{
	char *s = owner_clean("  team-a\n", 9);
	ck_assert_str_eq(s, "team-a");
	free(s);
	ck_assert_ptr_null(owner_clean(" \t ", 3));
	char long_name[300];
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	s = owner_clean(long_name, strlen(long_name));
	ck_assert_uint_eq(strlen(s), OWNER_NAME_MAX);
	free(s);
	ck_assert_str_eq(owner_source_static("k8s-namespace"), "k8s-namespace");
	ck_assert_ptr_null(owner_source_static("made-up"));
}
END_TEST

START_TEST(owners_in_the_sources_files)
{
	const char *source = NULL;
	char *s;

	/* libvirt: what virDomainGetMetadata gives for urn:glass:1 */
	s = libvirt_metadata_text("<glass:owner xmlns:glass=\"urn:glass:1\"> R&amp;D &lt;1&gt; </glass:owner>");
	ck_assert_str_eq(s, "R&D <1>");
	free(s);
	ck_assert_ptr_null(libvirt_metadata_text("<glass:owner xmlns:glass=\"urn:glass:1\"/>"));
	ck_assert_ptr_null(libvirt_metadata_text("<owner>  </owner>"));
	ck_assert_ptr_null(libvirt_metadata_text(NULL));
	s = libvirt_metadata_text("<owner>caf&#233; &#x1F600;&#13;&#0;&#xD800;&#12</owner>");
	ck_assert_str_eq(s, "caf\xc3\xa9 \xf0\x9f\x98\x80\r&#0;&#xD800;&#12");
	free(s);
	/* libvirt: the same from the domain XML (virDomainGetXMLDesc) */
	static const struct {
		const char *xml, *owner, *source;
	} doms[] = {
		/* as virsh metadata --key glass writes it; metadata beats the title */
		{"<domain type='kvm'>\n  <name>a</name>\n  <title>t &amp; co</title>\n  <metadata>\n"
		 "    <glass:owner xmlns:glass=\"urn:glass:1\">team-a</glass:owner>\n  </metadata>\n"
		 "  <devices>\n  </devices>\n</domain>\n",
		 "team-a", "libvirt-metadata"},
		{"<domain><name>a</name><title>t &amp; co</title><devices/></domain>", "t & co",
		 "libvirt-title"},
		/* another namespace's element first, with a nested element in
		 * glass's namespace (not a child of <metadata>: not the owner) */
		{"<domain><title>x</title><metadata><app:cfg xmlns:app='urn:app'>"
		 "<g:owner xmlns:g='urn:glass:1'>deep</g:owner><!-- <g:o> --></app:cfg>"
		 "<g2:owner xmlns:g2='urn:glass:1'>team-b</g2:owner></metadata></domain>",
		 "team-b", "libvirt-metadata"},
		/* the prefix declared on <metadata>, the default namespace */
		{"<domain><metadata xmlns:g=\"urn:glass:1\"><g:owner>ops</g:owner></metadata></domain>",
		 "ops", "libvirt-metadata"},
		{"<domain><metadata><owner xmlns=\"urn:glass:1\">dflt</owner></metadata></domain>", "dflt",
		 "libvirt-metadata"},
		/* glass's element empty: the title; another glass-like urn: none */
		{"<domain><title>fin</title><metadata><g:owner xmlns:g='urn:glass:1'/></metadata></domain>",
		 "fin", "libvirt-title"},
		{"<domain><metadata><g:owner xmlns:g='urn:glass:10'>no</g:owner>"
		 "<title>no</title></metadata><devices><title>no</title></devices></domain>",
		 NULL, NULL},
		/* a text that looks like markup is escaped in libvirt's XML */
		{"<domain><name>&lt;title&gt;n</name><description>&lt;metadata&gt;</description>"
		 "<metadata><a:x xmlns:a='urn:a'>xmlns:g=&quot;urn:glass:1&quot;</a:x></metadata></domain>",
		 NULL, NULL},
		{"<domain><metadata><![CDATA[<g:owner xmlns:g='urn:glass:1'>c</g:owner>]]>"
		 "</metadata></domain>",
		 NULL, NULL},
		{"<domain><metadata><g:owner xmlns:g='urn:glass:1'>cut", NULL, NULL},
		{"", NULL, NULL},
	};
	for (size_t i = 0; i < sizeof(doms) / sizeof(doms[0]); i++) {
		s = libvirt_xml_owner(doms[i].xml, &source);
		if (doms[i].owner) {
			ck_assert_msg(s && strcmp(s, doms[i].owner) == 0, "case %zu: %s", i, s ? s : "(null)");
			ck_assert_str_eq(source, doms[i].source);
		} else {
			ck_assert_msg(!s && !source, "case %zu: %s", i, s ? s : "(null)");
		}
		free(s);
	}
	/* docker: Config.Labels, glass.owner before the compose project */
	static const char docker[] = "{\"Config\":{\"Labels\":{\"com.docker.compose.project\":\"shop\","
				     "\"glass.owner\":\"team-a\"}}}";
	s = cgroup_names_parse_owner(docker, strlen(docker), &source);
	ck_assert_str_eq(s, "team-a");
	ck_assert_str_eq(source, "label");
	free(s);
	static const char compose[] = "{\"Config\":{\"Labels\":{\"com.docker.compose.project\":\"shop\","
				      "\"glass.owner\":\" \"}}}";
	s = cgroup_names_parse_owner(compose, strlen(compose), &source);
	ck_assert_str_eq(s, "shop");
	ck_assert_str_eq(source, "compose-project");
	free(s);
	/* podman: the OCI spec's annotations */
	static const char oci[] = "{\"ociVersion\":\"1.1.0\",\"annotations\":{\"glass.owner\":\"db-team\"}}";
	s = cgroup_names_parse_owner(oci, strlen(oci), &source);
	ck_assert_str_eq(s, "db-team");
	free(s);
	static const char none[] = "{\"Config\":{\"Labels\":null}}";
	ck_assert_ptr_null(cgroup_names_parse_owner(none, strlen(none), &source));
	ck_assert_ptr_null(source);
	ck_assert_ptr_null(cgroup_names_parse_owner("{nope", 5, &source));
	/* systemd's user slices */
	ck_assert_int_eq(cgroup_runtime_slice_uid("user-1000.slice"), 1000);
	ck_assert_int_eq(cgroup_runtime_slice_uid("user-0.slice"), 0);
	ck_assert_int_eq(cgroup_runtime_slice_uid("user.slice"), -1);
	ck_assert_int_eq(cgroup_runtime_slice_uid("user-1000.service"), -1);
	ck_assert_int_eq(cgroup_runtime_slice_uid("user-x.slice"), -1);
	ck_assert_int_eq(cgroup_runtime_slice_uid("user-99999999999.slice"), -1);
}
END_TEST

static void set_res(struct node *n, double cores, double cores_used, double gib, double gib_used)
{
	n->res.cpu_cores_allocated = cores;
	n->res.cpu_cores_used = cores_used;
	n->res.mem_bytes_allocated = gib * GIB;
	n->res.mem_bytes_used = gib_used * GIB;
}

/* site - host (16 cores, 64 GiB)
 *   a   vm team-a: 4 vCPU at 0.4 (idle: slack 3.6), 8 GiB at 4
 *     inner container, 2 cores at 0.1: flagged, inside a holder, not counted
 *   b   vm team-b by a rule: 2 vCPU at 1.5, 4 GiB at 1
 *   c   container, no owner: 1 core at 0.05, 1 GiB at 0.1 (both idle)
 *   d   vm team-a, shut off: holds nothing */
START_TEST(report_arithmetic_by_hand)
{
	struct options o;
	struct errbuf err;
	struct tree *t = xcalloc(1, sizeof(*t));
	struct idle_params ip;

	options_init(&o);
	ck_assert_int_eq(apply(&o, "owner.team-b = vm:*/b\n", &err), 0);
	t->root = add(NULL, NODE_SITE, "site", "site");
	struct node *h = add(t->root, NODE_HOST, "host:h", "h");
	set_res(h, 16, 3, 64, 10);
	struct node *a = add(h, NODE_VM, "vm:h/a", "a");
	set_res(a, 4, 0.4, 8, 4);
	hint(a, "team-a", "libvirt-metadata");
	struct node *inner = add(a, NODE_CONTAINER, "ct:g/inner", "inner");
	set_res(inner, 2, 0.1, 1, 0.5);
	struct node *b = add(h, NODE_VM, "vm:h/b", "b");
	set_res(b, 2, 1.5, 4, 1);
	struct node *c = add(h, NODE_CONTAINER, "ct:h/c", "c");
	set_res(c, 1, 0.05, 1, 0.1);
	struct node *d = add(h, NODE_VM, "vm:h/d", "d");
	set_res(d, 8, 0, 16, 0);
	str_pool_free(d->state);
	d->state = xstrdup("shut off");
	hint(d, "team-a", "libvirt-metadata");

	idle_params_init(&ip);
	ip.cost_core_month = 10;
	ip.cost_gib_month = 2;
	ip.currency = "EUR";
	struct idle_policy *pol = idle_policy_new(&ip);
	idle_policy_apply(pol, t, 1);
	owner_apply(&o.owner, t);
	/* watts as the power stage would attribute them; c's unknown */
	a->res.power_watts = 20;
	a->res.energy_cost_month = 4.38;
	inner->res.power_watts = 5;
	inner->res.energy_cost_month = 1;
	b->res.power_watts = 10;
	b->res.energy_cost_month = 2.19;

	struct chargeback *cb = chargeback_compute(t);
	ck_assert_uint_eq(cb->n_rows, 3);
	const struct chargeback_row *ra = &cb->rows[0], *rb = &cb->rows[1], *ru = &cb->rows[2];
	ck_assert_str_eq(ra->owner, "team-a");
	ck_assert_str_eq(rb->owner, "team-b");
	ck_assert_ptr_null(ru->owner);
	ck_assert_str_eq(chargeback_row_name(ru), "(unowned)");

	ck_assert_uint_eq(ra->holders, 1); /* d is off; inner is inside a */
	ck_assert_uint_eq(ra->idle_holders, 1);
	ck_assert_double_eq_tol(ra->cpu.allocated, 4, EPS);
	ck_assert_double_eq_tol(ra->cpu.used, 0.4, EPS);
	ck_assert_double_eq_tol(ra->cpu.idle, 3.6, EPS);
	ck_assert_double_eq_tol(chargeback_efficiency(&ra->cpu), 0.1, EPS);
	ck_assert_double_eq_tol(ra->mem.allocated, 8 * GIB, 1);
	ck_assert_double_eq_tol(ra->mem.used, 4 * GIB, 1);
	ck_assert_double_eq_tol(ra->mem.idle, 0, EPS);
	ck_assert_double_eq_tol(chargeback_efficiency(&ra->mem), 0.5, EPS);
	ck_assert_double_eq_tol(ra->watts, 20, EPS); /* inner's 5 W are in a's 20 */
	ck_assert_double_eq_tol(ra->alloc_cost_month, 4 * 10 + 8 * 2, EPS);
	ck_assert_double_eq_tol(ra->idle_cost_month, 3.6 * 10, EPS);
	ck_assert_double_eq_tol(ra->energy_cost_month, 4.38, EPS);

	ck_assert_uint_eq(rb->idle_holders, 0);
	ck_assert_double_eq_tol(rb->cpu.used, 1.5, EPS);
	ck_assert_double_eq_tol(rb->alloc_cost_month, 2 * 10 + 4 * 2, EPS);
	ck_assert_double_eq_tol(rb->idle_cost_month, 0, EPS);

	ck_assert_double_eq_tol(ru->cpu.idle, 0.95, EPS);
	ck_assert_double_eq_tol(ru->mem.idle, 0.9 * GIB, 1);
	ck_assert_double_eq_tol(ru->idle_cost_month, 0.95 * 10 + 0.9 * 2, 1e-6);
	ck_assert(!value_known(ru->watts));
	ck_assert_uint_eq(ru->watts_unknown, 1);
	ck_assert(!value_known(ru->energy_cost_month));

	/* the total is the site's: allocated, slack, their prices, the line's N */
	const struct rollup *r = t->root->rollup;
	ck_assert_double_eq_tol(cb->total.cpu.allocated, 7, EPS);
	ck_assert_double_eq_tol(cb->total.cpu.allocated, r->cpu.allocated, EPS);
	ck_assert_double_eq_tol(cb->total.mem.allocated, r->mem.allocated, 1);
	ck_assert_double_eq_tol(cb->total.cpu.idle, r->cpu.slack, EPS);
	ck_assert_double_eq_tol(cb->total.mem.idle, r->mem.slack, 1);
	ck_assert_double_eq_tol(cb->total.idle_cost_month, r->slack_cost_month, 1e-6);
	ck_assert_uint_eq(cb->total.idle_holders, r->idle_holders);
	ck_assert_double_eq_tol(cb->total.alloc_cost_month, 56 + 28 + 12, 1e-6);
	ck_assert_double_eq_tol(cb->total.watts, 30, EPS);
	ck_assert_uint_eq(cb->total.holders, 3);

	/* the CSV a finance person opens: a header with units, a row per
	 * owner, a total row */
	struct strbuf out;
	strbuf_init(&out);
	view_owner_csv_render(t, true, &out);
	ck_assert_ptr_nonnull(strstr(out.buf, "Allocation cost (EUR per month)"));
	ck_assert_ptr_nonnull(strstr(out.buf, ",team-a,1,1,4.000,0.400,3.600,10.0,8.000,4.000,0.000,50.0,20.0,"));
	ck_assert_ptr_nonnull(strstr(out.buf, ",(unowned),1,1,1.000,0.050,0.950,5.0,"));
	ck_assert_ptr_nonnull(strstr(out.buf, ",Total,3,2,7.000,"));
	ck_assert_ptr_nonnull(strstr(out.buf, ",96.00,47.30,"));
	strbuf_done(&out);
	chargeback_free(cb);
	idle_policy_free(pol);
	tree_free(t);
	options_done(&o);
}
END_TEST

START_TEST(no_cost_model_no_money)
{
	struct tree *t = xcalloc(1, sizeof(*t));

	t->root = add(NULL, NODE_SITE, "site", "site");
	t->cost_core_month = t->cost_gib_month = GLASS_UNKNOWN;
	struct node *h = add(t->root, NODE_HOST, "host:h", "h");
	struct node *v = add(h, NODE_VM, "vm:h/v", "v");
	set_res(v, 2, GLASS_UNKNOWN, 2, GLASS_UNKNOWN);
	struct chargeback *cb = chargeback_compute(t);
	ck_assert_uint_eq(cb->n_rows, 1);
	ck_assert(!value_known(cb->rows[0].alloc_cost_month));
	ck_assert(!value_known(cb->rows[0].cpu.used)); /* unknown, never 0 */
	ck_assert(!value_known(chargeback_efficiency(&cb->rows[0].cpu)));
	ck_assert_double_eq_tol(cb->total.cpu.allocated, 2, EPS);
	chargeback_free(cb);
	tree_free(t);
}
END_TEST

static Suite *owner_suite(void)
{
	Suite *s = suite_create("owner");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, rules_from_the_config);
	tcase_add_test(tc, first_match_wins_and_children_inherit);
	tcase_add_test(tc, owner_text_from_outside);
	tcase_add_test(tc, owners_in_the_sources_files);
	tcase_add_test(tc, report_arithmetic_by_hand);
	tcase_add_test(tc, no_cost_model_no_money);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(owner_suite)
