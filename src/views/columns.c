#include "glass/columns.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/idle_label.h"
#include "glass/metric.h"
#include "glass/numfmt.h"
#include "glass/units.h"
#include "glass/power.h"
#include "glass/value.h"
#include "glass/xalloc.h"

#define NUM(fn, expr) \
	static double fn(const struct node *n) { return (expr); }
#define TXT(fn, expr) \
	static const char *fn(const struct node *n) { return (expr); }

TXT(c_id, n->id)
TXT(c_parent, n->parent ? n->parent->id : NULL)
TXT(c_kind, node_kind_name(n->kind))
TXT(c_name, n->name)
TXT(c_state, n->state)
TXT(c_runtime, n->runtime)
TXT(c_stale, n->stale ? "true" : "false")
TXT(c_health, health_name(n->health))
TXT(c_health_reason, n->health_reason)
NUM(c_cpu_util, n->idle_cpu.utilization)
TXT(c_cpu_idle, n->idle_cpu.idle ? "true" : "false")
NUM(c_idle_cores, n->idle_cpu.idle_amount)
NUM(c_hint_cores, n->idle_cpu.right_size)
NUM(c_mem_util, n->idle_mem.utilization)
TXT(c_mem_idle, n->idle_mem.idle ? "true" : "false")
NUM(c_idle_bytes, n->idle_mem.idle_amount)
NUM(c_hint_bytes, n->idle_mem.right_size)
TXT(c_provisional, (n->idle_cpu.provisional || n->idle_mem.provisional) ? "true" : "false")
NUM(c_observed, n->idle_cpu.observed_s)
NUM(c_cost, n->idle_cost_month)

TXT(c_joined_by, n->guest ? n->guest->joined_by : NULL)
TXT(c_guest_host, n->guest ? n->guest->host_id : NULL)
TXT(c_join_note, node_join_note(n))

/* The text view's IDLE column: "idle 1.8c 3.2G". */
static char idle_buf[64];
static const char *c_idle_label(const struct node *n)
{
	idle_label(n, idle_buf, sizeof(idle_buf));
	return idle_buf;
}

/* Before the metric table's columns */
static const struct column head_columns[] = {
	{"id", "ID", 24, COLUMN_TEXT, NULL, c_id, NULL},
	{"parent_id", "PARENT", 24, COLUMN_TEXT, NULL, c_parent, NULL},
	{"kind", "KIND", 10, COLUMN_TEXT, NULL, c_kind, NULL},
	{"name", "NAME", 24, COLUMN_TEXT, NULL, c_name, NULL},
	{"state", "STATE", 9, COLUMN_TEXT, NULL, c_state, NULL},
	{"runtime", "RUNTIME", 10, COLUMN_TEXT, NULL, c_runtime, NULL},
	{"stale", "STALE", 6, COLUMN_BOOL, NULL, c_stale, NULL},
	{"health", "HEALTH", 11, COLUMN_TEXT, NULL, c_health, NULL},
	{"health_reason", "HEALTH_REASON", 24, COLUMN_TEXT, NULL, c_health_reason, NULL},
};

/* After them: the idle verdict, a joined guest (its figures follow
 * guest_host_id), the join's note */
static const struct column tail_columns[] = {
	{"cpu_utilization", "CPU%", 7, COLUMN_RATIO, c_cpu_util, NULL, NULL},
	{"cpu_idle", "CPU_IDLE", 9, COLUMN_BOOL, NULL, c_cpu_idle, NULL},
	{"idle_cores", "IDLE_CORES", 11, COLUMN_CORES, c_idle_cores, NULL, NULL},
	{"right_size_cores", "HINT_CORES", 11, COLUMN_CORES, c_hint_cores, NULL, NULL},
	{"memory_utilization", "MEM%", 7, COLUMN_RATIO, c_mem_util, NULL, NULL},
	{"memory_idle", "MEM_IDLE", 9, COLUMN_BOOL, NULL, c_mem_idle, NULL},
	{"idle_bytes", "IDLE_MEM", 10, COLUMN_BYTES, c_idle_bytes, NULL, NULL},
	{"right_size_bytes", "HINT_MEM", 10, COLUMN_BYTES, c_hint_bytes, NULL, NULL},
	{"idle_provisional", "PROVISIONAL", 12, COLUMN_BOOL, NULL, c_provisional, NULL},
	{"observed_seconds", "OBSERVED", 9, COLUMN_COUNT, c_observed, NULL, NULL},
	{"idle_cost_per_month", "COST/MONTH", 11, COLUMN_FIXED2, c_cost, NULL, NULL},
	{"joined_by", "JOINED_BY", 10, COLUMN_TEXT, NULL, c_joined_by, NULL},
	{"guest_host_id", "GUEST", 24, COLUMN_TEXT, NULL, c_guest_host, NULL},
	{"join_note", "JOIN_NOTE", 24, COLUMN_TEXT, NULL, c_join_note, NULL},
	/* text only: the short verdict */
	{"idle", "IDLE", 2, COLUMN_TEXT, NULL, c_idle_label, NULL},
};

static const char *const default_text[] = {
	"kind", "state", "cpu_cores_allocated", "cpu_cores_used", "memory_bytes_allocated",
	"memory_bytes_used", "disk_read_bytes_per_second", "disk_write_bytes_per_second",
	"net_rx_bytes_per_second", "net_tx_bytes_per_second", "power_watts", "idle",
};

static enum column_type column_type_of(enum metric_unit unit)
{
	switch (unit) {
	case METRIC_CORES:
		return COLUMN_CORES;
	case METRIC_BYTES:
		return COLUMN_BYTES;
	case METRIC_RATE:
		return COLUMN_RATE;
	case METRIC_COUNT:
		return COLUMN_COUNT;
	case METRIC_WATTS:
		return COLUMN_WATTS;
	case METRIC_JOULES:
		return COLUMN_FIXED1;
	case METRIC_PERCENT:
	case METRIC_LOAD:
	case METRIC_MONTHLY:
		return COLUMN_FIXED2;
	case METRIC_TEXT:
		break;
	}
	return COLUMN_TEXT;
}

/* The head columns, one per row of the metric table, the tail: built
 * again when a test swaps the metric table. */
static struct {
	pthread_mutex_t lock;
	const struct metric *metrics;
	struct column *v;
	size_t n;
} all = {PTHREAD_MUTEX_INITIALIZER, NULL, NULL, 0};

static struct column metric_column(const struct metric *m)
{
	return (struct column){m->key, m->title, m->width, column_type_of(m->unit), NULL, NULL, m};
}

static void columns_build(const struct metric *m, size_t n_metrics)
{
	size_t n_head = sizeof(head_columns) / sizeof(head_columns[0]);
	size_t n_tail = sizeof(tail_columns) / sizeof(tail_columns[0]);
	size_t n_guest;
	const struct metric *g = guest_metrics_all(&n_guest);
	struct column *v = xcalloc(n_head + n_metrics + n_tail + n_guest, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < n_head; i++)
		v[n++] = head_columns[i];
	for (size_t i = 0; i < n_metrics; i++)
		v[n++] = metric_column(&m[i]);
	for (size_t i = 0; i < n_tail; i++) {
		v[n++] = tail_columns[i];
		if (strcmp(tail_columns[i].name, "guest_host_id") == 0)
			for (size_t k = 0; k < n_guest; k++)
				v[n++] = metric_column(&g[k]);
	}
	free(all.v);
	all.v = v;
	all.n = n;
	all.metrics = m;
}

const struct column *columns_all(size_t *n)
{
	size_t n_metrics;
	const struct metric *m = metrics_all(&n_metrics);

	pthread_mutex_lock(&all.lock);
	if (all.metrics != m)
		columns_build(m, n_metrics);
	*n = all.n;
	pthread_mutex_unlock(&all.lock);
	return all.v;
}

void columns_free(void)
{
	pthread_mutex_lock(&all.lock);
	free(all.v);
	all.v = NULL;
	all.n = 0;
	all.metrics = NULL;
	pthread_mutex_unlock(&all.lock);
}

double column_number(const struct column *c, const struct node *n)
{
	return c->metric ? metric_value_of(c->metric, n) : c->number(n);
}

const char *column_text(const struct column *c, const struct node *n)
{
	if (!c->metric)
		return c->text(n);
	return metric_applies(c->metric, n->kind) && c->metric->record == METRIC_IN_RESOURCES
		? metric_text(c->metric, &n->res) : NULL;
}

const struct column *column_find(const char *name)
{
	size_t n;
	const struct column *c = columns_all(&n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(c[i].name, name) == 0)
			return &c[i];
	return NULL;
}

static void set_add(struct column_set *set, const struct column *c)
{
	set->cols = xreallocarray(set->cols, set->n + 1, sizeof(*set->cols));
	set->cols[set->n++] = c;
}

int column_set_parse(struct column_set *set, const char *list, bool for_text, struct errbuf *err)
{
	set->cols = NULL;
	set->n = 0;
	if (!list || !*list) {
		if (for_text) {
			for (size_t i = 0; i < sizeof(default_text) / sizeof(default_text[0]); i++)
				set_add(set, column_find(default_text[i]));
		} else {
			size_t n;
			const struct column *c = columns_all(&n);
			for (size_t i = 0; i < n; i++)
				if (strcmp(c[i].name, "idle") != 0)
					set_add(set, &c[i]);
		}
		return 0;
	}
	char *copy = xstrdup(list);
	char *save = NULL;
	bool leading = false; /* time or sequence named */
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct column *c = column_find(tok);

		/* CSV's leading columns: every row has them already. */
		if (!c && (strcmp(tok, "time") == 0 || strcmp(tok, "sequence") == 0)) {
			leading = true;
			continue;
		}
		if (!c) {
			errbuf_set(err, "unknown field '%.60s' (glass --fields=help lists them)", tok);
			free(copy);
			column_set_done(set);
			return -1;
		}
		set_add(set, c);
	}
	free(copy);
	if (set->n == 0 && !leading)
		return errbuf_set(err, "empty field list (glass --fields=help lists them)");
	return 0;
}

void column_set_done(struct column_set *set)
{
	free(set->cols);
	set->cols = NULL;
	set->n = 0;
}

void columns_list(struct strbuf *out)
{
	size_t n;
	const struct column *c = columns_all(&n);

	for (size_t i = 0; i < n; i++)
		strbuf_addf(out, "%s\n", c[i].name);
}

static void add_trimmed(struct strbuf *out, double v, int decimals)
{
	char *p = strbuf_room(out, 64);

	strbuf_added(out, numfmt_trimmed(v, decimals, p, 64));
}

/* printf's "%.0f" of a whole number: exact integer digits below 2^53,
 * "-0" kept as printf writes it. */
static void add_whole(struct strbuf *out, double r)
{
	if (r > -9007199254740992.0 && r < 9007199254740992.0 && !(r == 0 && signbit(r))) {
		char *p = strbuf_room(out, NUMFMT_INT_MAX);
		strbuf_added(out, numfmt_i64((int64_t)r, p));
	} else {
		strbuf_addf(out, "%.0f", r);
	}
}

void column_csv_value(const struct column *c, const struct node *n, struct strbuf *out)
{
	if (c->type == COLUMN_TEXT || c->type == COLUMN_BOOL) {
		const char *s = column_text(c, n);
		if (s)
			strbuf_adds(out, s);
		return;
	}
	double v = column_number(c, n);
	if (!value_known(v))
		return;
	switch (c->type) {
	case COLUMN_BYTES:
	case COLUMN_COUNT:
		add_whole(out, round(v));
		break;
	case COLUMN_RATE:
	case COLUMN_WATTS:
		add_trimmed(out, v, 1);
		break;
	case COLUMN_FIXED1:
		add_trimmed(out, v, 1);
		break;
	case COLUMN_FIXED2:
		add_trimmed(out, v, 2);
		break;
	default:
		add_trimmed(out, v, 4);
		break;
	}
}

void column_text_value(const struct column *c, const struct node *n, char *out, size_t len)
{
	const char *s;
	double v;

	switch (c->type) {
	case COLUMN_TEXT:
	case COLUMN_BOOL:
		s = column_text(c, n);
		snprintf(out, len, "%s", s ? s : "");
		return;
	case COLUMN_CORES:
		units_cores(column_number(c, n), out, len);
		return;
	case COLUMN_BYTES:
	case COLUMN_RATE:
		units_bytes(column_number(c, n), out, len);
		return;
	case COLUMN_COUNT:
		units_number(column_number(c, n), 0, out, len);
		return;
	case COLUMN_RATIO:
		v = column_number(c, n);
		units_number(value_known(v) ? v * 100.0 : v, 1, out, len);
		return;
	case COLUMN_FIXED1:
		units_number(column_number(c, n), 1, out, len);
		return;
	case COLUMN_FIXED2:
		units_number(column_number(c, n), 2, out, len);
		return;
	case COLUMN_WATTS:
		/* "~" marks an estimate: modelled or attributed, not metered */
		v = column_number(c, n);
		units_number(v, 1, out, len);
		if (value_known(v) && n->res.power_source && !power_source_metered(n->res.power_source) &&
		    strlen(out) + 2 <= len)
			strcat(out, "~");
		return;
	}
	snprintf(out, len, "?");
}
