/* The snapshot reader's walk over a line (snapshot_walk.c, json_scan.c):
 * a node read without its children reads the same wherever "children"
 * and "tree" stand; every cut, broken, deep or hostile line is one error
 * line and no tree, never a crash or a leak. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/json_scan.h"
#include "glass/snapshot_read.h"
#include "glass/strbuf.h"
#include "glass/view.h"
#include "glass/xalloc.h"
#include "unit.h"

#define DOC_HEAD "\"schema_version\":1,\"glass_version\":\"x\",\"time\":null,\"sources\":[]"

/* A site, a host with a container, a VM; names carry the bytes a
 * scanner must not take for structure. */
#define HOST_FIELDS "\"id\":\"host:h\",\"kind\":\"host\",\"name\":\"h \\\"children\\\":[{\",\"cpu_cores_allocated\":4"
#define CT "{\"id\":\"ct:h/1\",\"kind\":\"container\",\"name\":\"c]}\\\\\",\"memory_bytes_used\":1024}"
#define VM "{\"id\":\"vm:h/v\",\"kind\":\"vm\",\"name\":\"v\",\"load\":[1,2,3],\"children\":[]}"
#define SITE_FIELDS "\"id\":\"site\",\"kind\":\"site\",\"name\":\"site\""

static const char *const same_tree[] = {
	/* as glass writes it: "children" last, "tree" last */
	"{" DOC_HEAD ",\"tree\":{" SITE_FIELDS ",\"children\":[{" HOST_FIELDS ",\"children\":[" CT "]}," VM "]}}",
	/* "children" first, in the middle; "tree" first */
	"{\"tree\":{\"children\":[{\"children\":[" CT "]," HOST_FIELDS "}," VM "]," SITE_FIELDS "}," DOC_HEAD "}",
	"{" DOC_HEAD ",\"tree\":{\"id\":\"site\",\"children\":[{\"id\":\"host:h\",\"children\":[" CT
	"],\"kind\":\"host\",\"name\":\"h \\\"children\\\":[{\",\"cpu_cores_allocated\":4}," VM
	"],\"kind\":\"site\",\"name\":\"site\"},\"idle\":null}",
	/* whitespace wherever JSON allows it */
	" \t{ " DOC_HEAD " , \"tree\" :\n{ " SITE_FIELDS " ,\r\n \"children\" : [ { " HOST_FIELDS
	" , \"children\" : [ " CT " ] } , " VM " ] } }\r\n",
	/* a key spelled with an escape is no cut: json-c reads those children */
	"{" DOC_HEAD ",\"tree\":{" SITE_FIELDS ",\"children\":[{" HOST_FIELDS ",\"child\\u0072en\":[" CT "]}," VM
	"]}}",
};

static struct tree *parse(const char *text, struct errbuf *err)
{
	errbuf_clear(err);
	return snapshot_parse(text, strlen(text), err);
}

static char *render(const struct tree *t)
{
	struct strbuf sb;

	strbuf_init(&sb);
	view_json_render(t, &sb);
	return strbuf_detach(&sb);
}

START_TEST(members_in_any_order_read_the_same)
{
	struct errbuf err;
	struct tree *t = parse(same_tree[0], &err);
	char *want;

	ck_assert_msg(t != NULL, "%s", err.msg);
	ck_assert_uint_eq(t->n_nodes, 4);
	ck_assert_uint_eq(t->root->n_children, 2);
	ck_assert_str_eq(t->root->children[0]->name, "h \"children\":[{");
	ck_assert_uint_eq(t->root->children[0]->n_children, 1);
	ck_assert_str_eq(t->root->children[0]->children[0]->name, "c]}\\");
	ck_assert(t->root->children[0]->res.cpu_cores_allocated == 4);
	ck_assert_str_eq(t->root->children[1]->id, "vm:h/v");
	want = render(t);
	tree_free(t);
	for (size_t i = 1; i < sizeof(same_tree) / sizeof(same_tree[0]); i++) {
		t = parse(same_tree[i], &err);
		ck_assert_msg(t != NULL, "text %zu: %s", i, err.msg);
		char *got = render(t);
		ck_assert_msg(strcmp(got, want) == 0, "text %zu reads otherwise:\n%s\n%s", i, got, want);
		free(got);
		tree_free(t);
	}
	/* what glass writes it reads back to the same bytes */
	t = parse(want, &err);
	ck_assert_msg(t != NULL, "%s", err.msg);
	char *again = render(t);
	ck_assert_str_eq(again, want);
	free(again);
	tree_free(t);
	free(want);
}
END_TEST

/* NULL, and a reason on one line. */
static void assert_refused(const char *text, size_t len, const char *reason)
{
	struct errbuf err;
	struct tree *t;

	errbuf_clear(&err);
	t = snapshot_parse(text, len, &err);
	ck_assert_msg(t == NULL, "read: %.*s", (int)(len > 200 ? 200 : len), text);
	ck_assert_msg(err.msg[0] && !strchr(err.msg, '\n'), "no one-line reason: '%s'", err.msg);
	if (reason)
		ck_assert_msg(strstr(err.msg, reason) != NULL, "'%s' does not say '%s'", err.msg, reason);
}

START_TEST(every_cut_is_refused)
{
	const char *text = same_tree[0];
	size_t len = strlen(text);

	for (size_t n = 0; n < len; n++)
		assert_refused(text, n, NULL);
}
END_TEST

/* Any byte turned into one that means something to a scanner: a tree or
 * an error, never a crash (valgrind and ASan watch the reads). */
START_TEST(every_byte_broken_is_a_tree_or_an_error)
{
	static const char bad[] = "{}[]\",:\\ 0\x01";
	const char *text = same_tree[1];
	size_t len = strlen(text);
	char *buf = xstrdup(text);

	for (size_t i = 0; i < len; i++) {
		for (size_t b = 0; b < sizeof(bad) - 1; b++) {
			struct errbuf err;
			struct tree *t;

			buf[i] = bad[b];
			errbuf_clear(&err);
			t = snapshot_parse(buf, len, &err);
			if (t)
				tree_free(t);
			else
				ck_assert_msg(err.msg[0] && !strchr(err.msg, '\n'), "at %zu: '%s'", i, err.msg);
		}
		buf[i] = text[i];
	}
	free(buf);
}
END_TEST

START_TEST(hostile_shapes)
{
	assert_refused("", 0, "not JSON");
	assert_refused("this is not json", 16, "not JSON: trailing bytes");
	assert_refused("[1,2]", 5, "not a glass snapshot (not a JSON object)");
	assert_refused("{\"not\": \"glass\"}", 16, "not a glass snapshot");
	const char *cases[][2] = {
		{"{" DOC_HEAD ",\"tree\":{" SITE_FIELDS "}} x", "not JSON: trailing bytes"},
		{"{" DOC_HEAD ",\"tree\":{" SITE_FIELDS "}}}", "not JSON: trailing bytes"},
		{"{" DOC_HEAD ",\"tree\":{" SITE_FIELDS "},\"tree\":{" SITE_FIELDS "}}", "two \"tree\""},
		{"{" DOC_HEAD ",\"tree\":{" SITE_FIELDS ",\"children\":[],\"children\":[]}}", "two \"children\""},
		{"{" DOC_HEAD ",\"tree\":[]}", "a node without a valid id"},
		{"{" DOC_HEAD ",\"tree\":null}", "not a glass snapshot"},
		{"{" DOC_HEAD ",\"tree\":{" SITE_FIELDS ",\"children\":[1]}}", "a node without a valid id"},
		{"{" DOC_HEAD ",\"tree\":{" SITE_FIELDS ",\"children\":[{}]}}", "a node without a valid id"},
		{"{" DOC_HEAD ",\"tree\":{" SITE_FIELDS ",\"children\":[" CT " " CT "]}}", "',' or ']' expected"},
		{"{" DOC_HEAD ",\"tree\":{" SITE_FIELDS ",\"children\":[" CT ",]}}", "a node without a valid id"},
		{"{" DOC_HEAD ",\"tree\":{" SITE_FIELDS " \"children\":[]}}", "',' or '}' expected"},
		{"{" DOC_HEAD ",\"tree\":{" SITE_FIELDS ",\"children\" []}}", "':' expected"},
		{"{" DOC_HEAD ",\"tree\":{" SITE_FIELDS ",\"load\":[1}}}", "not JSON"},
		{"{" DOC_HEAD ",\"tree\":{" SITE_FIELDS ",\"x\":tru}}", "not JSON"},
		{"{" DOC_HEAD ",\"tree\":{" SITE_FIELDS ",\"x\":1,}}", "not JSON"},
		{"{" DOC_HEAD ",\"tree\":{\"id\":\"ct:x\",\"kind\":\"container\",\"name\":\"c\"}}", "root is not the site"},
		/* the version is checked before any node, wherever the tree is */
		{"{\"tree\":{\"children\":[{\"id\":7}]},\"schema_version\":2,\"glass_version\":\"x\"}",
		 "schema version 2 is not understood"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_refused(cases[i][0], strlen(cases[i][0]), cases[i][1]);
}
END_TEST

START_TEST(children_that_are_no_array_are_none)
{
	struct errbuf err;
	struct tree *t = parse("{" DOC_HEAD ",\"tree\":{" SITE_FIELDS ",\"children\":null}}", &err);

	ck_assert_msg(t != NULL, "%s", err.msg);
	ck_assert_uint_eq(t->root->n_children, 0);
	tree_free(t);
}
END_TEST

/* A chain of `levels` nodes under the site. */
static char *chain(int levels)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_adds(&sb, "{" DOC_HEAD ",\"tree\":{" SITE_FIELDS ",\"children\":[");
	for (int i = 0; i < levels; i++)
		strbuf_addf(&sb, "{\"id\":\"g%d\",\"kind\":\"group\",\"name\":\"g\",\"children\":[", i);
	for (int i = 0; i < levels; i++)
		strbuf_adds(&sb, "]}");
	strbuf_adds(&sb, "]}}");
	return strbuf_detach(&sb);
}

START_TEST(depth_is_bounded)
{
	struct errbuf err;
	char *ok = chain(64), *deep = chain(65), *huge = chain(200000);
	struct tree *t = parse(ok, &err);

	ck_assert_msg(t != NULL, "%s", err.msg);
	ck_assert_uint_eq(t->n_nodes, 65);
	tree_free(t);
	assert_refused(deep, strlen(deep), "the tree is deeper than 64 levels");
	/* found by the scan of the brackets before any node is read */
	assert_refused(huge, strlen(huge), "deeper than");
	free(ok);
	free(deep);
	free(huge);

	/* brackets in a field, far deeper than any value glass writes */
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_adds(&sb, "{" DOC_HEAD ",\"tree\":{" SITE_FIELDS ",\"load\":");
	for (int i = 0; i < 100000; i++)
		strbuf_addc(&sb, '[');
	for (int i = 0; i < 100000; i++)
		strbuf_addc(&sb, ']');
	strbuf_adds(&sb, "}}");
	assert_refused(sb.buf, sb.len, "nested deeper than 256 levels");
	strbuf_done(&sb);
}
END_TEST

START_TEST(scanner)
{
	const char *why = NULL;
	const char *s = "\"a\\\"b\\\\\" ,";

	ck_assert_ptr_eq(json_scan_string(s, s + strlen(s), &why), s + 8);
	ck_assert_ptr_null(json_scan_string(s, s + 4, &why));
	ck_assert_str_eq(why, "a string does not end");
	s = "{\"k\":[1,{\"x\":\"]\"}],\"y\":-1.5e3}tail";
	ck_assert_ptr_eq(json_scan_value(s, s + strlen(s), &why), strstr(s, "tail"));
	s = "-1.5e3,";
	ck_assert_ptr_eq(json_scan_value(s, s + strlen(s), &why), s + 6);
	s = "[1}";
	ck_assert_ptr_null(json_scan_value(s, s + strlen(s), &why));
	ck_assert_str_eq(why, "a bracket closes what it did not open");
	s = ",";
	ck_assert_ptr_null(json_scan_value(s, s + 1, &why));
	s = "[[1]";
	ck_assert_ptr_null(json_scan_value(s, s + strlen(s), &why));
	ck_assert_str_eq(why, "the text ends within a value");

	/* byte by byte, as a stream arrives */
	struct json_scan sc = {0};
	const char *b = "{\"[\":[\"\\\"]\"]}";
	int max = 0;
	for (const char *c = b; *c; c++) {
		json_scan_byte(&sc, *c);
		max = sc.depth > max ? (int)sc.depth : max;
	}
	ck_assert_int_eq(max, 2);
	ck_assert_int_eq(sc.depth, 0);
	ck_assert(!sc.in_str);
}
END_TEST

/* A fleet's line, spent as it is read (snapshot_parse_spent): the same
 * tree as a parse that keeps the text, the pages read given back (zeros
 * now), and a line cut short still one error. */
static char *big_doc(size_t hosts)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_adds(&sb, "{" DOC_HEAD ",\"tree\":{" SITE_FIELDS ",\"children\":[");
	for (size_t h = 0; h < hosts; h++) {
		strbuf_addf(&sb, "%s{\"id\":\"host:h%zu\",\"kind\":\"host\",\"name\":\"h%zu\",\"children\":[",
			    h ? "," : "", h, h);
		for (int c = 0; c < 3; c++)
			strbuf_addf(&sb, "%s{\"id\":\"ct:h%zu/%d\",\"kind\":\"container\",\"name\":\"%0200d\","
				    "\"memory_bytes_used\":%zu}", c ? "," : "", h, c, c, h * 4096 + (size_t)c);
		strbuf_adds(&sb, "]}");
	}
	strbuf_adds(&sb, "]}}");
	return strbuf_detach(&sb);
}

START_TEST(a_spent_line_reads_the_same)
{
	char *text = big_doc(8000); /* 6 MiB */
	size_t len = strlen(text);
	char *spent = xmalloc(len + 1);
	struct errbuf err;

	memcpy(spent, text, len + 1);
	struct tree *t = parse(text, &err);
	ck_assert_msg(t != NULL, "%s", err.msg);
	errbuf_clear(&err);
	struct tree *u = snapshot_parse_spent(spent, len, 0, &err);
	ck_assert_msg(u != NULL, "%s", err.msg);
	ck_assert_uint_eq(u->n_nodes, 1 + 8000 * 4);
	char *want = render(t), *got = render(u);
	ck_assert_msg(strcmp(got, want) == 0, "a spent line reads otherwise");
	/* the middle of the line went back: zeros */
	ck_assert_int_eq(spent[len / 2], 0);
	free(want);
	free(got);
	tree_free(t);
	tree_free(u);

	/* cut short, or the last node without an id (found by the walk,
	 * after pages went back): refused, with a reason */
	memcpy(spent, text, len + 1);
	errbuf_clear(&err);
	u = snapshot_parse_spent(spent, len * 3 / 4, 0, &err);
	ck_assert_ptr_null(u);
	ck_assert_msg(err.msg[0] && !strchr(err.msg, '\n'), "no one-line reason: '%s'", err.msg);
	memcpy(spent, text, len + 1);
	char *last = strstr(spent, "\"id\":\"ct:h7999/2\"");
	ck_assert_ptr_nonnull(last);
	memcpy(last, "\"xx\"", 4);
	errbuf_clear(&err);
	u = snapshot_parse_spent(spent, len, 0, &err);
	ck_assert_ptr_null(u);
	ck_assert_msg(err.msg[0] && !strchr(err.msg, '\n'), "no one-line reason: '%s'", err.msg);
	ck_assert_int_eq(spent[len / 2], 0);
	free(spent);
	free(text);
}
END_TEST

static Suite *walk_suite(void)
{
	Suite *s = suite_create("snapshot_walk");
	TCase *tc = tcase_create("walk");

	/* every cut and broken byte under valgrind (CI) takes a while */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, members_in_any_order_read_the_same);
	tcase_add_test(tc, every_cut_is_refused);
	tcase_add_test(tc, every_byte_broken_is_a_tree_or_an_error);
	tcase_add_test(tc, hostile_shapes);
	tcase_add_test(tc, children_that_are_no_array_are_none);
	tcase_add_test(tc, depth_is_bounded);
	tcase_add_test(tc, scanner);
	tcase_add_test(tc, a_spent_line_reads_the_same);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(walk_suite)
