/* The metric table: every row reaches JSON (and back), CSV, Prometheus and
 * the raw readings a remote or the model carry; and a row added to a
 * test's own table shows up in each of them with no other change. */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "glass/clock.h"
#include "glass/columns.h"
#include "glass/metric.h"
#include "glass/model.h"
#include "glass/snapshot_read.h"
#include "glass/tui/detail.h"
#include "glass/value.h"
#include "glass/view.h"
#include "glass/view_spill.h"
#include "glass/xalloc.h"
#include "unit.h"

/* A value for row i that every format writes exactly (its decimals), in
 * the row's bounds. */
static double sample_value(const struct metric *m, size_t i)
{
	switch (m->unit) {
	case METRIC_BYTES:
	case METRIC_COUNT:
		return (double)((i + 1) * 4096);
	case METRIC_CORES:
		/* allocations come first: a host's use stays below its CPUs */
		return (double)(64 - i) * 0.0625;
	case METRIC_PERCENT:
	case METRIC_LOAD:
		return (double)(i + 1) * 0.25;
	default:
		return (double)(i + 1) * 1.5;
	}
}

/* A site with one host and one container below it, every row of the
 * table set on both (the host-only rows only on the host). */
static struct tree *fixture(void)
{
	struct tree *t = xcalloc(1, sizeof(*t));
	size_t n;
	const struct metric *m = metrics_all(&n);

	t->root = node_new(NODE_SITE, "site", "site");
	t->wall_ns = 1700000000ull * NS_PER_S;
	t->interval_s = 2;
	t->seq = 1;
	t->replayed = true; /* as a tree read back says it is */
	struct node *h = node_new(NODE_HOST, "host:h", "h");
	struct node *c = node_new(NODE_CONTAINER, "ct:h/web", "web");
	struct node *vm = node_new(NODE_VM, "vm:h/uuid-1", "db");
	node_add_child(t->root, h);
	node_add_child(h, c);
	node_add_child(h, vm);
	t->n_nodes = 4;
	/* the VM's joined guest, every row of the guest table set */
	size_t n_guest;
	const struct metric *g = guest_metrics_all(&n_guest);
	vm->guest = guest_view_new("host:guest", "guest", "uuid");
	for (size_t i = 0; i < n_guest; i++)
		*metric_slot_in(&g[i], vm->guest) = sample_value(&g[i], i);
	vm->matched = vm->selected = true;
	for (size_t i = 0; i < n; i++) {
		struct node *both[2] = {h, c};
		for (size_t k = 0; k < 2; k++) {
			if (!metric_applies(&m[i], both[k]->kind))
				continue;
			if (m[i].unit == METRIC_TEXT)
				*metric_text_slot(&m[i], &both[k]->res) =
					m[i].known ? m[i].known("rapl") : "cgroup";
			else
				*metric_slot(&m[i], &both[k]->res) = sample_value(&m[i], i);
		}
	}
	h->matched = h->selected = c->matched = c->selected = true;
	t->root->matched = t->root->selected = true;
	return t;
}

static const struct node *host_of(const struct tree *t)
{
	return t->root->children[0];
}

/* Two documents equal, or where they part. */
static void same_text(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	ck_assert_msg(a[i] == b[i], "they part at %zu: ...%.80s... vs ...%.80s...", i,
		      a + (i > 40 ? i - 40 : 0), b + (i > 40 ? i - 40 : 0));
}

static char *render_json(const struct tree *t)
{
	struct strbuf sb;

	strbuf_init(&sb);
	view_json_render(t, &sb);
	return strbuf_detach(&sb);
}

START_TEST(json_round_trip_is_byte_identical)
{
	struct tree *t = fixture();
	char *first = render_json(t);
	struct errbuf err = {{0}};
	struct tree *back = snapshot_parse(first, strlen(first), &err);

	ck_assert_msg(back, "read back: %s", err.msg);
	char *second = render_json(back);
	same_text(first, second);
	/* and every row was set, not null, on the host */
	size_t n;
	const struct metric *m = metrics_all(&n);
	for (size_t i = 0; i < n; i++) {
		if (m[i].unit == METRIC_TEXT)
			ck_assert_msg(metric_text(&m[i], &host_of(back)->res), "%s", m[i].key);
		else
			ck_assert_msg(metric_value(&m[i], &host_of(back)->res) == sample_value(&m[i], i),
				      "%s read back as %g", m[i].key, metric_value(&m[i], &host_of(back)->res));
	}
	free(first);
	free(second);
	tree_free(t);
	tree_free(back);
}
END_TEST

/* Where a row sits in a node's JSON object. */
static json_object *json_member(json_object *node, const struct metric *m, size_t element)
{
	json_object *v = NULL;

	if (m->group == METRIC_GROUP_NODE) {
		json_object_object_get_ex(node, m->json_key, &v);
	} else if (m->group == METRIC_GROUP_PRESSURE) {
		json_object *p = NULL;
		json_object_object_get_ex(node, "pressure", &p);
		json_object_object_get_ex(p, m->json_key, &v);
	} else {
		json_object *a = NULL;
		json_object_object_get_ex(node, "load", &a);
		v = json_object_array_get_idx(a, element);
	}
	return v;
}

/* A row is in JSON at its place, in CSV under its key, in Prometheus
 * under its family, with the host's value. */
static void check_every_view(const struct tree *t)
{
	size_t n, element = 0;
	const struct metric *m = metrics_all(&n);
	char *json = render_json(t);
	json_object *doc = json_tokener_parse(json), *tree = NULL, *children, *host;
	struct strbuf csv, prom;
	struct column_set cols;
	struct errbuf err = {{0}};

	ck_assert(json_object_object_get_ex(doc, "tree", &tree));
	ck_assert(json_object_object_get_ex(tree, "children", &children));
	host = json_object_array_get_idx(children, 0);
	strbuf_init(&csv);
	strbuf_init(&prom);
	ck_assert_int_eq(column_set_parse(&cols, NULL, false, &err), 0);
	view_csv_render(t, &cols, true, &csv);
	view_prom_render(t, &prom);
	for (size_t i = 0; i < n; i++) {
		element = m[i].group == METRIC_GROUP_LOAD && i > 0 && m[i - 1].group == METRIC_GROUP_LOAD
			? element + 1 : 0;
		json_object *v = json_member(host, &m[i], element);
		ck_assert_msg(v, "%s is not in the JSON", m[i].key);
		if (m[i].unit == METRIC_TEXT)
			ck_assert_str_eq(json_object_get_string(v), metric_text(&m[i], &host_of(t)->res));
		else
			ck_assert_msg(json_object_get_double(v) == metric_value(&m[i], &host_of(t)->res), "%s in JSON", m[i].key);

		/* CSV: the column by its key, the host's row (the second) */
		char head[128];
		snprintf(head, sizeof(head), ",%s,", m[i].key);
		char *header_end = strstr(csv.buf, "\r\n");
		ck_assert_msg(strstr(csv.buf, head) && strstr(csv.buf, head) < header_end,
			      "%s is not a CSV column", m[i].key);
		size_t col = 0;
		for (const char *p = csv.buf; p < strstr(csv.buf, head) + 1; p++)
			col += *p == ',';
		const char *row = strstr(header_end + 2, "\r\n") + 2; /* after the site's */
		for (size_t c = 0; c < col; c++)
			row = strchr(row, ',') + 1;
		char cell[64];
		snprintf(cell, sizeof(cell), "%.*s", (int)strcspn(row, ",\r"), row);
		if (m[i].unit == METRIC_TEXT)
			ck_assert_str_eq(cell, metric_text(&m[i], &host_of(t)->res));
		else
			ck_assert_msg(strtod(cell, NULL) == metric_value(&m[i], &host_of(t)->res), "%s in CSV: %s", m[i].key, cell);

		/* Prometheus: the host's sample */
		if (m[i].prom_name && m[i].unit != METRIC_TEXT) {
			char line[256];
			snprintf(line, sizeof(line), "\n%s{id=\"host:h\"", m[i].prom_name);
			const char *at = strstr(prom.buf, line);
			ck_assert_msg(at, "%s has no sample", m[i].prom_name);
			at = strchr(at + 1, '}') + 2;
			ck_assert_msg(strtod(at, NULL) == metric_value(&m[i], &host_of(t)->res), "%s in prom", m[i].prom_name);
		}
	}
	/* the guest's rows: in the VM's "guest" object, its CSV row (the last)
	 * and its Prometheus samples */
	size_t n_guest;
	const struct metric *g = guest_metrics_all(&n_guest);
	const struct node *vm = host_of(t)->children[1];
	json_object *vm_json = json_object_array_get_idx(
		json_object_object_get_ex(host, "children", &children) ? children : NULL, 1), *guest = NULL;
	ck_assert(json_object_object_get_ex(vm_json, "guest", &guest));
	element = 0;
	for (size_t i = 0; i < n_guest; i++) {
		double want = metric_value_in(&g[i], vm->guest);
		element = g[i].group == METRIC_GROUP_LOAD && i > 0 && g[i - 1].group == METRIC_GROUP_LOAD
			? element + 1 : 0;
		json_object *v = json_member(guest, &g[i], element);
		ck_assert_msg(v && json_object_get_double(v) == want, "%s in JSON", g[i].key);
		char head[128], line[256];
		snprintf(head, sizeof(head), ",%s,", g[i].key);
		const char *at = strstr(csv.buf, head);
		ck_assert_msg(at && at < strstr(csv.buf, "\r\n"), "%s is not a CSV column", g[i].key);
		size_t col = 0;
		for (const char *p = csv.buf; p <= at; p++)
			col += *p == ',';
		const char *row = csv.buf + csv.len - 2; /* the VM's row, the last */
		while (row > csv.buf && row[-1] != '\n')
			row--;
		for (size_t c = 0; c < col; c++)
			row = strchr(row, ',') + 1;
		ck_assert_msg(strtod(row, NULL) == want, "%s in CSV: %.20s", g[i].key, row);
		snprintf(line, sizeof(line), "\n%s{id=\"vm:h/uuid-1\"", g[i].prom_name);
		const char *sample = strstr(prom.buf, line);
		ck_assert_msg(sample, "%s has no sample", g[i].prom_name);
		ck_assert_msg(strtod(strchr(sample + 1, '}') + 2, NULL) == want, "%s in prom", g[i].prom_name);
	}

	/* the TUI's detail pane: a row it does not lay out has a line of its own */
	struct strbuf detail;
	strbuf_init(&detail);
	tui_detail_text(t, host_of(t), NULL, 0, &detail);
	for (size_t i = 0; i < n; i++) {
		char label[64];
		if (m[i].flags & METRIC_LAID_OUT)
			continue;
		snprintf(label, sizeof(label), "\n%s", m[i].key);
		for (char *p = label; *p; p++)
			if (*p == '_')
				*p = ' ';
		ck_assert_msg(strstr(detail.buf, label), "%s is not in the detail pane", m[i].key);
	}
	strbuf_done(&detail);
	column_set_done(&cols);
	strbuf_done(&csv);
	strbuf_done(&prom);
	json_object_put(doc);
	free(json);
}

START_TEST(every_row_reaches_every_view)
{
	struct tree *t = fixture();

	check_every_view(t);
	tree_free(t);
}
END_TEST

/* The remote stream and the Prometheus source turn a far glass's node into
 * a raw reading (metric_to_raw); the model makes it a node again.  Every
 * row with a place in the raw reading comes through, the rates on the
 * first reading (the far side's own) and on the next (the counters'). */
START_TEST(raw_round_trip_through_the_model)
{
	static const struct model_source src[1] = {{"remote", "remote"}};
	struct tree *t = fixture();
	const struct node *h = host_of(t);
	struct model *model = model_new(src, 1);
	uint64_t counter[METRIC_RATES_MAX];
	size_t n;
	const struct metric *m = metrics_all(&n);

	for (size_t k = 0; k < METRIC_RATES_MAX; k++)
		counter[k] = GLASS_U64_UNKNOWN;
	for (int round = 0; round < 2; round++) {
		struct reading *r = reading_new();
		r->mono_ns = (uint64_t)(round + 1) * 2 * NS_PER_S;
		struct raw_node *rn = reading_add_node(r, NODE_HOST, h->id, NULL, h->name);
		metric_to_raw(rn, &h->res, counter, 2.0);
		struct board_slot_view v = {.reading = r, .health = HEALTH_OK, .seq = (uint64_t)round + 1};
		model_ingest(model, 0, r);
		struct tree *out = model_build(model, &v, r->mono_ns, 0, 2.0);
		const struct node *got = out->root->children[0];

		for (size_t i = 0; i < n; i++) {
			if (m[i].raw == METRIC_RAW_NONE)
				continue;
			double want = metric_value(&m[i], &h->res), have = metric_value(&m[i], &got->res);
			ck_assert_msg(fabs(have - want) <= 1e-9 * want, "%s: %g after round %d, want %g",
				      m[i].key, have, round, want);
		}
		tree_free(out);
		reading_unref(r);
	}
	model_free(model);
	tree_free(t);
}
END_TEST

/* A test's own table: the built-in rows and one more, which no view, reader
 * or model names.  It reaches them all. */
START_TEST(a_new_row_needs_no_other_change)
{
	size_t n;
	const struct metric *builtin = metrics_all(&n);
	struct metric *rows = xcalloc(n + 1, sizeof(*rows));

	memcpy(rows, builtin, n * sizeof(*rows));
	/* reuses a field of struct resources: a real row would add one */
	rows[n] = (struct metric){
		.key = "widgets", .json_key = "widgets", .group = METRIC_GROUP_NODE,
		.unit = METRIC_COUNT, .off = offsetof(struct resources, pids_max),
		.max = 1e9, .title = "WIDGETS", .width = 8, .prom_name = "glass_widgets",
		.prom_help = "Widgets.", .raw = METRIC_RAW_U64, .raw_off = offsetof(struct raw_node, pids_max),
	};
	metrics_use(rows, n + 1);
	ck_assert_ptr_nonnull(column_find("widgets"));
	struct tree *t = fixture();
	char *json = render_json(t);
	ck_assert_ptr_nonnull(strstr(json, "\"widgets\":"));
	struct errbuf err = {{0}};
	struct tree *back = snapshot_parse(json, strlen(json), &err);
	ck_assert_msg(back, "%s", err.msg);
	char *again = render_json(back);
	same_text(json, again);
	check_every_view(t);
	free(again);
	free(json);
	tree_free(back);
	tree_free(t);
	metrics_use(NULL, 0);
	ck_assert_ptr_null(column_find("widgets"));
	columns_free();
	free(rows);
}
END_TEST

/* The bytes a spill was handed, and how many times. */
struct collected {
	struct strbuf sb;
	int calls;
};

static void collect(void *ctx, const char *bytes, size_t len)
{
	struct collected *c = ctx;

	strbuf_add(&c->sb, bytes, len);
	c->calls++;
}

/* A snapshot handed on row by row (view_spill.h, as the writer does for
 * stdout and the record) is the same stream as one rendered whole. */
START_TEST(a_spilled_snapshot_is_the_same_stream)
{
	struct tree *t = fixture();
	struct column_set cols;
	struct errbuf err = {{0}};

	ck_assert_int_eq(column_set_parse(&cols, NULL, false, &err), 0);
	for (int view = 0; view < 3; view++) {
		struct strbuf whole, out;
		struct collected got = {.calls = 0};

		strbuf_init(&whole);
		strbuf_init(&out);
		strbuf_init(&got.sb);
		for (int pass = 0; pass < 2; pass++) {
			struct strbuf *sb = pass ? &out : &whole;
			if (pass)
				view_spill_set(&out, 1, collect, &got);
			if (view == 0)
				view_json_render(t, sb);
			else if (view == 1)
				view_csv_render(t, &cols, true, sb);
			else
				view_text_render(t, &cols, sb);
			view_spill_clear();
		}
		/* one piece a node at the least: the site, the host, two below */
		ck_assert_int_ge(got.calls, 4);
		strbuf_add(&got.sb, out.buf ? out.buf : "", out.len);
		ck_assert_uint_eq(got.sb.len, whole.len);
		same_text(got.sb.buf, whole.buf);
		/* a buffer no spill is set for is left whole */
		strbuf_reset(&out);
		got.calls = 0;
		view_spill_set(&whole, 1, collect, &got);
		view_json_render(t, &out);
		view_spill_clear();
		ck_assert_int_eq(got.calls, 0);
		strbuf_done(&whole);
		strbuf_done(&out);
		strbuf_done(&got.sb);
	}
	column_set_done(&cols);
	tree_free(t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("metric");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, json_round_trip_is_byte_identical);
	tcase_add_test(tc, every_row_reaches_every_view);
	tcase_add_test(tc, raw_round_trip_through_the_model);
	tcase_add_test(tc, a_new_row_needs_no_other_change);
	tcase_add_test(tc, a_spilled_snapshot_is_the_same_stream);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
