/* The Prometheus source: a fleet's tree from a few instant queries.
 *
 * glass exporters give their trees whole (glass_node_info names each
 * node's parent; the glass_* gauges its figures); node_exporter gives a
 * host where glass does not run, prometheus-libvirt-exporter the VMs on
 * it.  Rates arrive as rates and become counters again (rate_integrate),
 * as a remote glass's do.  Every value is checked: NaN, infinities,
 * negative and absurd figures are unknown, never a number. */
#include "glass/source_prometheus.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "glass/clock.h"
#include "glass/escape.h"
#include "glass/idmap.h"
#include "glass/json_scan.h"
#include "glass/metric.h"
#include "glass/owner.h"
#include "glass/prom_ids.h"
#include "glass/prom_series.h"
#include "glass/rates.h"
#include "glass/source_remote.h"
#include "glass/strbuf.h"
#include "glass/uri.h"
#include "glass/value.h"
#include "glass/xalloc.h"

/* An answer larger than this is not one glass asked for. */
#define BODY_MAX (256u * 1024 * 1024)
/* Connecting waits at most an interval and a half (1-10 s): a dead
 * Prometheus turns the source stale at once.  An answer may take longer:
 * a fleet's is hundreds of thousands of series, which Prometheus selects
 * and encodes before its first byte.  The source runs in a thread of its
 * own, so a slow answer makes the source stale, never the pane. */
#define QUERY_TIMEOUT_MAX_S 10.0
#define QUERY_TIMEOUT_MIN_S 1.0
#define ANSWER_TIMEOUT_S 120.0
/* The glass exporters' trees and allocations change seldom: they are
 * asked again this often, the use figures at every refresh. */
#define STRUCTURE_EVERY_NS (60 * NS_PER_S)
/* How long a glass exporter's tree is kept after its target went down:
 * its hosts stay in the tree, unreachable, instead of vanishing. */
#define INFO_LOOKBACK "10m"

/* Sanity bounds of what Prometheus may say (beyond: unknown). */
#define CORES_MAX 1e6
#define BYTES_MAX 1e18
#define RATE_MAX 1e15
/* Nodes without remote.max_nodes: a fleet (1,000 hosts x 100 containers
 * and more) is what this source is for. */
#define PROM_MAX_NODES 1000000

static const char q_info[] = "last_over_time(glass_node_info[" INFO_LOOKBACK "])";

/* The figures a node keeps: rows of the metric table.  A glass
 * exporter's families of them are asked for (the queries are made from
 * the rows' prom_name): those of the structure once a minute with the
 * trees, the others at every refresh; node_exporter's, the libvirt
 * exporter's and cAdvisor's fill the same columns.  The table's other
 * rows (pressure, load, swap) are exported by glass but not asked: each
 * would add a series per node to every refresh's answer.  One double per
 * column, not a whole struct resources: a fleet has 100,000 nodes. */
enum col {
	COL_CPU_ALLOC, /* structure */
	COL_MEM_ALLOC,
	COL_MEM_MAX,
	COL_PIDS_MAX,
	COL_CPU_USED, /* every refresh */
	COL_MEM_USED,
	COL_DISK_READ,
	COL_DISK_WRITE,
	COL_NET_RX,
	COL_NET_TX,
	COL_PIDS,
	COL_POWER,
	COL_MEM_AVAIL, /* node_exporter's alone: not a glass family asked */
	N_COLS
};
#define COL_FIRST_USE COL_CPU_USED
#define COL_LAST_GLASS COL_POWER

/* each column's row of the metric table, by its key */
static const char *const col_keys[N_COLS] = {
	[COL_CPU_ALLOC] = "cpu_cores_allocated",
	[COL_MEM_ALLOC] = "memory_bytes_allocated",
	[COL_MEM_MAX] = "memory_bytes_max",
	[COL_PIDS_MAX] = "pids_max",
	[COL_CPU_USED] = "cpu_cores_used",
	[COL_MEM_USED] = "memory_bytes_used",
	[COL_DISK_READ] = "disk_read_bytes_per_second",
	[COL_DISK_WRITE] = "disk_write_bytes_per_second",
	[COL_NET_RX] = "net_rx_bytes_per_second",
	[COL_NET_TX] = "net_tx_bytes_per_second",
	[COL_PIDS] = "pids_current",
	[COL_POWER] = "power_watts",
	[COL_MEM_AVAIL] = "memory_bytes_available",
};
/* the targets' up, and the glass exporters' nodes that are not ok (their
 * own sources stale or unreachable), in one small answer */
static const char q_up[] = "up or glass_node_health{health!=\"ok\"}";
/* node_exporter in one query: its parts told apart by a glass_q label
 * (an `or` keeps both sides only when their labels differ). */
static const char q_node[] =
	"label_replace(count by (instance) (node_cpu_seconds_total{mode=\"idle\"}), \"glass_q\", \"cpus\", \"\", \"\")"
	" or label_replace(sum by (instance) (rate(node_cpu_seconds_total{mode!~\"idle|iowait|steal\"}[1m])),"
	" \"glass_q\", \"busy\", \"\", \"\")"
	" or {__name__=~\"node_memory_(MemTotal|MemAvailable)_bytes\"}";
/* cAdvisor (alone or in the kubelet): the containers (image!="": not the
 * cgroups above them; not the pods' pause containers), their CPU as a
 * rate, their quota, period, working set and limit, in one query. */
static const char q_cadvisor[] =
	"label_replace(rate(container_cpu_usage_seconds_total{image!=\"\",container!=\"POD\"}[1m]),"
	" \"glass_q\", \"cpu\", \"\", \"\")"
	" or {__name__=~\"container_spec_cpu_quota|container_spec_cpu_period|container_memory_working_set_bytes|"
	"container_spec_memory_limit_bytes\",image!=\"\",container!=\"POD\"}";
static const char q_vm_info[] =
	"{__name__=~\"libvirt_domain_info_(virtual_cpus|maximum_memory_bytes|memory_usage_bytes)\"}";
static const char q_vm_cpu[] = "rate(libvirt_domain_info_cpu_time_seconds_total[1m])";

/* One id the source has seen, kept across refreshes (prom_priv.ids,
 * which finds it by the id it holds): where its node is in this refresh, and the
 * counters built back from its rates (metric_to_raw), one per rate row.
 * It lives, with the node's name, in the allocation of its id's shared
 * key (idmap_key_new_inline), which the readings made from it hold rather
 * than copy: its name lives as long as they do. */
struct pid {
	uint64_t counter[METRIC_RATES_MAX];
	uint64_t gen;   /* the last refresh that emitted it */
	size_t index;   /* its node in prom_priv.nodes + 1; 0: none this refresh */
	const char *id; /* the node's id, the key it lives in; its pnode points at it */
	char name[];    /* "": the id is the name */
};

/* A record for id named `name` ("": the id), its counters unknown. */
static struct pid *pid_new(const char *id, const char *name)
{
	size_t len = strlen(name) + 1;
	const char *key;
	struct pid *rec = idmap_key_new_inline(id, sizeof(*rec) + len, &key);

	rec->id = key;
	memcpy(rec->name, name, len);
	for (size_t k = 0; k < METRIC_RATES_MAX; k++)
		rec->counter[k] = GLASS_U64_UNKNOWN;
	return rec;
}

/* What the queries said about one node, before it becomes a raw node.
 * The strings many nodes share (parent, address, runtime, state, owner)
 * are interned in prom_priv.strs, as shared keys. */
struct pnode {
	const char *id; /* its struct pid's key */
	struct pid *rec;
	const char *parent, *runtime, *state;
	const char *name; /* its struct pid's name, or its id */
	const char *info_state; /* a glass node's state as its exporter says it */
	const char *owner;      /* a glass node's owner as its exporter worked it out */
	const char *owner_source; /* static (owner_source_static); NULL with no owner */
	const char *down; /* its target is down: why (borrowed from prom_priv.down) */
	/* a glass node's health as its exporter says it, when not ok */
	char *health_reason;
	const char *addr; /* the instance it came from, without the port */
	double v[N_COLS]; /* the figures as they crossed; watts: a glass exporter's share */
	enum health health;
	enum node_kind kind;
	bool health_set;
	bool emitted;
};

struct prom_priv {
	char *base; /* http[s]://host:port[/prefix], no trailing slash */
	CURL *curl;
	struct strbuf body;
	double timeout_s;
	size_t max_nodes;
	char *user, *password, *token;
	const struct metric *col[N_COLS]; /* each column's row; NULL: not in the table */
	char *q_alloc, *q_use; /* the glass families of the structure, and of every refresh */
	/* this refresh */
	struct pnode *nodes;
	size_t n_nodes, cap_nodes;
	struct prom_ids ids;   /* the struct pids, across refreshes */
	struct idmap *strs;    /* the interned strings (its keys), until the next structure read */
	struct idmap *down;    /* instance address -> why: Prometheus's lastError */
	char **down_addrs;     /* its keys, in the order Prometheus gave them */
	size_t n_down;
	struct idmap *glass_at; /* instance addresses that run a glass exporter */
	struct idmap *host_by_addr; /* instance address -> host index + 1 */
	/* the glass exporters' nodes are the first n_glass, kept between
	 * structure reads (at structure_mono) */
	size_t n_glass;
	uint64_t structure_mono;
	/* counters made from rates, across refreshes */
	uint64_t acc_mono, gen;
	size_t queries; /* in the last refresh */
};

bool source_prometheus_uri(const char *uri)
{
	return strncmp(uri, PROMETHEUS_SCHEME, strlen(PROMETHEUS_SCHEME)) == 0;
}

/* ---- HTTP ---------------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct strbuf *sb = arg;
	size_t len = size * n;

	if (sb->len + len > BODY_MAX)
		return 0; /* curl stops with a write error */
	strbuf_add(sb, data, len);
	return len;
}

static json_object *answer_result(struct prom_priv *p, long status, json_object **doc, struct errbuf *err);

/* One instant query; its data.result array (owned by *doc), or NULL with err. */
static json_object *query(struct prom_priv *p, const char *expr, json_object **doc,
			  struct errbuf *err)
{
	char *esc = curl_easy_escape(p->curl, expr, 0);
	char *url = xasprintf("%s/api/v1/query?query=%s", p->base, esc ? esc : "");
	long status = 0;
	CURLcode rc;

	curl_free(esc);
	strbuf_reset(&p->body);
	curl_easy_setopt(p->curl, CURLOPT_URL, url);
	rc = curl_easy_perform(p->curl);
	free(url);
	p->queries++;
	*doc = NULL;
	if (rc != CURLE_OK) {
		errbuf_set(err, "%s", rc == CURLE_WRITE_ERROR ? "an answer over 256 MiB" : curl_easy_strerror(rc));
		return NULL;
	}
	curl_easy_getinfo(p->curl, CURLINFO_RESPONSE_CODE, &status);
	return answer_result(p, status, doc, err);
}

/* The data.result array of the answer in p->body (owned by *doc), or NULL with err. */
static json_object *answer_result(struct prom_priv *p, long status, json_object **doc, struct errbuf *err)
{
	*doc = json_tokener_parse(p->body.buf ? p->body.buf : "");
	json_object *st, *data, *res;
	if (!*doc || !json_object_object_get_ex(*doc, "status", &st)) {
		errbuf_set(err, "HTTP %ld, not a Prometheus API answer", status);
		return NULL;
	}
	if (strcmp(json_object_get_string(st), "success") != 0) {
		json_object *e = NULL;
		json_object_object_get_ex(*doc, "error", &e);
		struct strbuf sb;
		strbuf_init(&sb);
		escape_terminal(&sb, e ? json_object_get_string(e) : "no reason given");
		errbuf_set(err, "HTTP %ld: %.200s", status, sb.buf ? sb.buf : "");
		strbuf_done(&sb);
		return NULL;
	}
	if (!json_object_object_get_ex(*doc, "data", &data) ||
	    !json_object_object_get_ex(data, "result", &res) || !json_object_is_type(res, json_type_array)) {
		errbuf_set(err, "an answer without data.result");
		return NULL;
	}
	return res;
}

/* ---- a large answer, one series at a time ------------------------- */

/* A fleet's answer is hundreds of thousands of series: parsed whole, its
 * objects would take gigabytes.  The stream hands each element of
 * data.result (an object at depth 4) to `fn` as soon as it is complete
 * and keeps only the rest (the envelope: status, error, an emptied
 * result) to be checked at the end. */
typedef void series_fn(struct prom_priv *p, const struct prom_series *series, void *ctx);

struct stream {
	struct prom_priv *p;
	series_fn *fn;
	void *ctx;
	struct json_scan scan;
	struct strbuf cur; /* the series being read */
	struct strbuf env; /* everything outside the series */
	size_t total;
};

/* a series that is not a JSON object is no series */
static void stream_series(struct stream *st)
{
	struct prom_series s;

	if (prom_series_parse(st->cur.buf, st->cur.len, &s) == 0)
		st->fn(st->p, &s, st->ctx);
	strbuf_reset(&st->cur);
}

static size_t on_stream(char *data, size_t size, size_t n, void *arg)
{
	struct stream *st = arg;
	size_t len = size * n, span = 0; /* start of the series bytes in data */

	if (st->total + len > BODY_MAX)
		return 0;
	st->total += len;
	for (size_t i = 0; i < len; i++) {
		char c = data[i];
		bool inside = st->scan.depth >= 4;
		int step = json_scan_byte(&st->scan, c);

		if (step > 0 && st->scan.depth == 4) {
			inside = true;
			span = i;
		} else if (step < 0 && st->scan.depth == 3) {
			strbuf_add(&st->cur, data + span, i + 1 - span);
			stream_series(st);
			continue;
		}
		/* the envelope: without the commas between series */
		if (!inside && !(st->scan.depth == 3 && !st->scan.in_str && c == ','))
			strbuf_addc(&st->env, c);
	}
	if (st->scan.depth >= 4)
		strbuf_add(&st->cur, data + span, len - span);
	return len;
}

/* One instant query whose series go to fn one by one; -1 with err. */
static int query_stream(struct prom_priv *p, const char *expr, series_fn *fn, void *ctx, struct errbuf *err)
{
	char *esc = curl_easy_escape(p->curl, expr, 0);
	char *url = xasprintf("%s/api/v1/query?query=%s", p->base, esc ? esc : "");
	struct stream st = {.p = p, .fn = fn, .ctx = ctx};
	long status = 0;
	CURLcode rc;
	int ret = -1;

	curl_free(esc);
	strbuf_init(&st.cur);
	strbuf_init(&st.env);
	curl_easy_setopt(p->curl, CURLOPT_URL, url);
	curl_easy_setopt(p->curl, CURLOPT_WRITEFUNCTION, on_stream);
	curl_easy_setopt(p->curl, CURLOPT_WRITEDATA, &st);
	rc = curl_easy_perform(p->curl);
	curl_easy_setopt(p->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(p->curl, CURLOPT_WRITEDATA, &p->body);
	free(url);
	p->queries++;
	if (rc != CURLE_OK) {
		errbuf_set(err, "%s", rc == CURLE_WRITE_ERROR ? "an answer over 256 MiB" : curl_easy_strerror(rc));
	} else {
		json_object *doc;

		curl_easy_getinfo(p->curl, CURLINFO_RESPONSE_CODE, &status);
		/* the envelope says whether the series were an answer */
		strbuf_reset(&p->body);
		strbuf_add(&p->body, st.env.buf ? st.env.buf : "", st.env.len);
		if (answer_result(p, status, &doc, err))
			ret = 0;
		json_object_put(doc);
	}
	strbuf_done(&st.cur);
	strbuf_done(&st.env);
	return ret;
}

static const char *label(const struct prom_series *series, const char *name)
{
	return prom_series_label(series, name);
}

/* A series of a small answer (parsed whole by json-c) as the stream
 * gives them: its strings stay json-c's. */
static void series_of(json_object *o, struct prom_series *s)
{
	json_object *m, *v;

	s->n = 0;
	s->sample = NULL;
	if (json_object_object_get_ex(o, "metric", &m) && json_object_is_type(m, json_type_object)) {
		json_object_object_foreach(m, k, lv)
		{
			if (s->n < PROM_SERIES_LABELS_MAX && json_object_is_type(lv, json_type_string)) {
				s->name[s->n] = k;
				s->value[s->n++] = json_object_get_string(lv);
			}
		}
	}
	if (json_object_object_get_ex(o, "value", &v) && json_object_is_type(v, json_type_array) &&
	    json_object_array_length(v) == 2 && json_object_is_type(json_object_array_get_idx(v, 1), json_type_string))
		s->sample = json_object_get_string(json_object_array_get_idx(v, 1));
}

/* The sample's value within [0, max], else unknown. */
static double sample(const struct prom_series *series, double max)
{
	char *end;
	double d;

	if (!series->sample)
		return GLASS_UNKNOWN;
	errno = 0;
	d = strtod(series->sample, &end);
	if (*end || errno || !isfinite(d) || d < 0 || d > max)
		return GLASS_UNKNOWN;
	return d;
}

/* "10.0.0.5:9100" -> "10.0.0.5"; "[::1]:9100" -> "::1".  The caller's. */
static char *instance_addr(const char *instance)
{
	const char *colon;

	if (!instance)
		return xstrdup("");
	if (instance[0] == '[') {
		const char *close = strchr(instance, ']');
		if (close)
			return xstrndup(instance + 1, (size_t)(close - instance - 1));
	}
	colon = strrchr(instance, ':');
	return colon && !strchr(instance, ']') && strchr(instance, ':') == colon
		       ? xstrndup(instance, (size_t)(colon - instance))
		       : xstrdup(instance);
}

/* ---- the nodes of one refresh ------------------------------------- */

/* The pool's copy of s (NULL stays NULL): a fleet's 100,000 nodes name
 * a few thousand parents, addresses, runtimes, states and owners.  The
 * copy is the key of its entry, a shared key: a reading holds the
 * parents it names rather than copying them. */
static const char *intern(struct prom_priv *p, const char *s)
{
	struct idmap_entry *e = NULL;

	if (!s)
		return NULL;
	if (!idmap_get_hinted(p->strs, s, &e))
		idmap_add_inline_hinted(p->strs, s, 0, &e);
	return idmap_key_of(e);
}

static void pnode_free(struct pnode *n)
{
	free(n->health_reason);
	n->rec->index = 0;
}

/* A column of a node: the figure of its row. */
static double *col(struct pnode *n, enum col c)
{
	return &n->v[c];
}

static int index_below(void *value, void *arg)
{
	return (uintptr_t)value <= *(size_t *)arg;
}

/* Forgets this refresh's figures and the nodes of other exporters; the
 * glass exporters' nodes too when `structure` (they are read again). */
static void pnodes_reset(struct prom_priv *p, bool structure)
{
	if (structure) {
		p->n_glass = 0;
		idmap_free(p->glass_at, NULL);
		p->glass_at = idmap_new();
	}
	for (size_t i = p->n_glass; i < p->n_nodes; i++)
		pnode_free(&p->nodes[i]);
	p->n_nodes = p->n_glass;
	idmap_sweep(p->host_by_addr, index_below, &p->n_glass, NULL);
	if (structure) { /* no node names a pooled string any more */
		idmap_free(p->strs, NULL);
		p->strs = idmap_new();
	}
	for (size_t i = 0; i < p->n_glass; i++) {
		struct pnode *n = &p->nodes[i];
		n->state = n->info_state;
		n->down = NULL;
		n->health_set = false;
		free(n->health_reason);
		n->health_reason = NULL;
		/* use is asked every refresh; allocations with the structure */
		for (size_t c = COL_FIRST_USE; c < N_COLS; c++)
			n->v[c] = GLASS_UNKNOWN;
		n->emitted = false;
	}
	for (size_t i = 0; i < p->n_down; i++)
		free(p->down_addrs[i]);
	free(p->down_addrs);
	p->down_addrs = NULL;
	p->n_down = 0;
	idmap_free(p->down, free);
	p->down = idmap_new();
}

static struct pnode *find(struct prom_priv *p, const char *id)
{
	struct pid *rec = id ? prom_ids_get(&p->ids, id) : NULL;

	return rec && rec->index ? &p->nodes[rec->index - 1] : NULL;
}

/* A new node with every figure unknown; NULL when the id is taken (the
 * first to report it keeps it) or past the node cap. */
static struct pnode *add(struct prom_priv *p, enum node_kind kind, const char *id, const char *parent,
			 const char *name, const char *addr, struct errbuf *err, bool *over)
{
	struct pnode *n;
	struct pid *rec;

	if (!id || !*id || find(p, id))
		return NULL;
	if (p->n_nodes >= p->max_nodes) {
		if (!*over)
			errbuf_set(err, "more than %zu nodes (remote.max_nodes)", p->max_nodes);
		*over = true;
		return NULL;
	}
	if (p->n_nodes == p->cap_nodes) {
		/* by half: at a fleet's size a doubling leaves megabytes unused */
		p->cap_nodes = p->cap_nodes ? p->cap_nodes + p->cap_nodes / 2 : 64;
		p->nodes = xreallocarray(p->nodes, p->cap_nodes, sizeof(*p->nodes));
	}
	/* the name is kept across refreshes in the id's record, as the id
	 * is: a reading points at it rather than copying it */
	const char *own = name && *name && strcmp(name, id) != 0 ? name : "";
	if (!(rec = prom_ids_get(&p->ids, id))) {
		rec = pid_new(id, own);
		prom_ids_add(&p->ids, rec);
	} else if (strcmp(rec->name, own) != 0) {
		/* renamed: a record of its own, the readings keeping the old */
		struct pid *again = pid_new(id, own);
		memcpy(again->counter, rec->counter, sizeof(again->counter));
		again->gen = rec->gen;
		prom_ids_replace(&p->ids, rec, again);
		rec = again;
	}
	n = &p->nodes[p->n_nodes++];
	memset(n, 0, sizeof(*n));
	rec->index = p->n_nodes;
	n->rec = rec;
	n->kind = kind;
	n->id = rec->id;
	n->parent = parent && *parent ? intern(p, parent) : NULL;
	n->name = *rec->name ? rec->name : rec->id;
	n->addr = intern(p, addr ? addr : "");
	for (size_t c = 0; c < N_COLS; c++)
		n->v[c] = GLASS_UNKNOWN;
	if (kind == NODE_HOST && *n->addr && !idmap_get(p->host_by_addr, n->addr))
		idmap_put(p->host_by_addr, n->addr, (void *)(uintptr_t)p->n_nodes);
	return n;
}

/* The host node for an exporter's address: the glass host there, else
 * one made from the address. */
static struct pnode *host_at(struct prom_priv *p, const char *addr, struct errbuf *err, bool *over)
{
	uintptr_t i = (uintptr_t)idmap_get(p->host_by_addr, addr);

	if (i)
		return &p->nodes[i - 1];
	char *id = xasprintf("host:%s", addr);
	struct pnode *h = add(p, NODE_HOST, id, NULL, addr, addr, err, over);
	free(id);
	return h;
}

/* One glass_* sample onto its node: the column of that family, bounded
 * by its row's max. */
static void glass_value(struct prom_priv *p, struct pnode *n, const char *metric, const struct prom_series *s)
{
	for (size_t c = 0; c <= COL_LAST_GLASS; c++)
		if (p->col[c] && p->col[c]->prom_name && strcmp(p->col[c]->prom_name, metric) == 0) {
			n->v[c] = sample(s, p->col[c]->max);
			return;
		}
}

static void on_glass_value(struct prom_priv *p, const struct prom_series *s, void *ctx)
{
	const char *metric = label(s, "__name__");
	struct pnode *n = find(p, label(s, "id"));

	(void)ctx;
	if (n && metric && strncmp(metric, "glass_", strlen("glass_")) == 0 && (size_t)(n - p->nodes) < p->n_glass)
		glass_value(p, n, metric, s);
}

/* glass_* samples of EXPR onto the glass exporters' nodes. */
static int read_glass_values(struct prom_priv *p, const char *expr, struct errbuf *err)
{
	return query_stream(p, expr, on_glass_value, NULL, err);
}

struct info_ctx {
	struct errbuf *err;
	bool *over;
};

static void on_glass_info(struct prom_priv *p, const struct prom_series *s, void *arg)
{
	struct info_ctx *c = arg;
	enum node_kind kind;
	const char *kname = label(s, "kind");

	if (!kname || !node_kind_parse(kname, &kind) || kind == NODE_SITE)
		return;
	char *addr = instance_addr(label(s, "instance"));
	struct pnode *n = add(p, kind, label(s, "id"), label(s, "parent"), label(s, "name"), addr, c->err, c->over);
	const char *runtime = label(s, "runtime"), *state = label(s, "state");
	if (n && runtime && *runtime)
		n->runtime = intern(p, runtime);
	if (n && state && *state)
		n->info_state = n->state = intern(p, state);
	/* the owner as the exporter's glass worked it out (its rules, its
	 * sources' hints); rules here come first, as for a remote glass */
	const char *owner = label(s, "owner");
	const char *owner_source = owner_source_static(label(s, "owner_source"));
	if (n && owner && owner_source) {
		char *clean = owner_clean(owner, strlen(owner));
		n->owner = intern(p, clean);
		n->owner_source = n->owner ? owner_source : NULL;
		free(clean);
	}
	if (!idmap_get(p->glass_at, addr))
		idmap_put(p->glass_at, addr, p);
	free(addr);
}

/* The glass exporters' trees (glass_node_info) and their allocations. */
static int read_glass_structure(struct prom_priv *p, struct errbuf *err, bool *over)
{
	struct info_ctx c = {err, over};

	if (query_stream(p, q_info, on_glass_info, &c, err) < 0)
		return -1;
	p->n_glass = p->n_nodes;
	/* The array grew by half at a time (a fleet's is a third unused): it
	 * keeps a sixteenth more than the exporters' nodes, for the hosts
	 * and VMs of other exporters each refresh adds after them. */
	size_t want = p->n_nodes + p->n_nodes / 16 + 64;
	if (want < p->cap_nodes) {
		p->nodes = xreallocarray(p->nodes, want, sizeof(*p->nodes));
		p->cap_nodes = want;
	}
	return read_glass_values(p, p->q_alloc, err);
}

/* Hosts from node_exporter where no glass runs. */
static int read_node_exporter(struct prom_priv *p, struct errbuf *err, bool *over)
{
	json_object *doc, *res = query(p, q_node, &doc, err);

	if (!res) {
		json_object_put(doc);
		return -1;
	}
	for (size_t i = 0; i < json_object_array_length(res); i++) {
		struct prom_series one, *s = &one;
		series_of(json_object_array_get_idx(res, i), s);
		char *addr = instance_addr(label(s, "instance"));
		const char *part = label(s, "glass_q"), *metric = label(s, "__name__");

		if (!*addr || idmap_get(p->glass_at, addr)) {
			free(addr);
			continue; /* glass there tells more */
		}
		struct pnode *h = host_at(p, addr, err, over);
		free(addr);
		if (!h)
			continue;
		if (!h->runtime)
			h->runtime = intern(p, "node_exporter");
		if (part && strcmp(part, "cpus") == 0)
			*col(h, COL_CPU_ALLOC) = sample(s, CORES_MAX);
		else if (part && strcmp(part, "busy") == 0)
			*col(h, COL_CPU_USED) = sample(s, CORES_MAX);
		else if (metric && strcmp(metric, "node_memory_MemTotal_bytes") == 0)
			*col(h, COL_MEM_ALLOC) = sample(s, BYTES_MAX);
		else if (metric && strcmp(metric, "node_memory_MemAvailable_bytes") == 0)
			*col(h, COL_MEM_AVAIL) = sample(s, BYTES_MAX);
	}
	json_object_put(doc);
	for (size_t i = 0; i < p->n_nodes; i++) {
		struct pnode *h = &p->nodes[i];
		double total = h->v[COL_MEM_ALLOC], avail = h->v[COL_MEM_AVAIL];
		if (h->runtime && strcmp(h->runtime, "node_exporter") == 0 && value_known(total) &&
		    value_known(avail) && avail <= total)
			h->v[COL_MEM_USED] = total - avail;
	}
	return 0;
}

/* VMs from prometheus-libvirt-exporter, below the host at its address
 * (unless a glass there reports them already, with the same ids). */
static int read_libvirt_exporter(struct prom_priv *p, struct errbuf *err, bool *over)
{
	static const char *const exprs[] = {q_vm_info, q_vm_cpu};

	for (size_t q = 0; q < 2; q++) {
		json_object *doc, *res = query(p, exprs[q], &doc, err);

		if (!res) {
			json_object_put(doc);
			return -1;
		}
		for (size_t i = 0; i < json_object_array_length(res); i++) {
			struct prom_series one, *s = &one;
			series_of(json_object_array_get_idx(res, i), s);
			const char *uuid = label(s, "uuid"), *metric = label(s, "__name__");
			char *addr = instance_addr(label(s, "instance"));

			if (!uuid || !*uuid || !*addr) {
				free(addr);
				continue;
			}
			struct pnode *h = host_at(p, addr, err, over);
			free(addr);
			if (!h)
				continue;
			char *id = xasprintf("vm:%s/%s", h->id + strlen("host:"), uuid);
			struct pnode *vm = find(p, id);
			if (!vm && (vm = add(p, NODE_VM, id, h->id, label(s, "domain"), h->addr, err, over)))
				vm->runtime = intern(p, "libvirt");
			free(id);
			if (!vm || (vm->runtime && strcmp(vm->runtime, "libvirt") != 0))
				continue;
			if (q == 1)
				*col(vm, COL_CPU_USED) = sample(s, CORES_MAX);
			else if (metric && strcmp(metric, "libvirt_domain_info_virtual_cpus") == 0)
				*col(vm, COL_CPU_ALLOC) = sample(s, CORES_MAX);
			else if (metric && strcmp(metric, "libvirt_domain_info_maximum_memory_bytes") == 0)
				*col(vm, COL_MEM_MAX) = sample(s, BYTES_MAX);
			else
				*col(vm, COL_MEM_ALLOC) = sample(s, BYTES_MAX);
		}
		json_object_put(doc);
	}
	return 0;
}

/* What cAdvisor said of one container, gathered over its series. */
struct cad {
	struct pnode *n;
	double quota, period;
};

/* Containers from cAdvisor, below the host at its address (unless a
 * glass runs there: it reads the same cgroups).  Kubernetes' containers
 * sit below their pod (a group): ct:HOST/k8s/NAMESPACE/POD[/CONTAINER];
 * others (cAdvisor beside docker) below the host, by their cgroup path. */
static int read_cadvisor(struct prom_priv *p, struct errbuf *err, bool *over)
{
	json_object *doc, *res = query(p, q_cadvisor, &doc, err);
	struct idmap *cads = idmap_new();

	if (!res) {
		json_object_put(doc);
		idmap_free(cads, NULL);
		return -1;
	}
	for (size_t i = 0; i < json_object_array_length(res); i++) {
		struct prom_series one, *s = &one;
		series_of(json_object_array_get_idx(res, i), s);
		const char *ns = label(s, "namespace"), *pod = label(s, "pod"), *ctr = label(s, "container");
		const char *cg = label(s, "id"), *dname = label(s, "name");
		const char *part = label(s, "glass_q"), *metric = label(s, "__name__");
		char *addr = instance_addr(label(s, "instance"));

		if (!*addr || idmap_get(p->glass_at, addr)) {
			free(addr);
			continue;
		}
		struct pnode *h = host_at(p, addr, err, over);
		free(addr);
		if (!h)
			continue;
		const char *hname = h->id + strlen("host:");
		char *id;
		struct pnode *parent = h;
		const char *name;
		if (pod && *pod && (!ctr || !*ctr))
			continue; /* the pod's own cgroup or its sandbox (pause) */
		if (pod && *pod && ns && *ns) {
			char *pid = xasprintf("ct:%s/k8s/%s/%s", hname, ns, pod);
			char *pname = xasprintf("%s/%s", ns, pod);
			parent = find(p, pid);
			if (!parent && (parent = add(p, NODE_GROUP, pid, h->id, pname, h->addr, err, over)))
				parent->runtime = intern(p, "kubernetes");
			free(pid);
			free(pname);
			if (!parent)
				continue;
			id = xasprintf("%s/%s", parent->id, ctr);
			name = ctr;
		} else if (cg && *cg == '/' && cg[1]) {
			id = xasprintf("ct:%s%s", hname, cg);
			name = dname && *dname ? dname : cg;
		} else {
			continue;
		}
		struct cad *c = idmap_get(cads, id);
		if (!c) {
			struct pnode *n = find(p, id);
			if (!n && (n = add(p, NODE_CONTAINER, id, parent->id, name, h->addr, err, over)))
				n->runtime = intern(p, "cadvisor");
			if (n && n->runtime && strcmp(n->runtime, "cadvisor") == 0) {
				c = xcalloc(1, sizeof(*c));
				c->n = n;
				c->quota = c->period = GLASS_UNKNOWN;
				idmap_put(cads, id, c);
			}
		}
		free(id);
		if (!c)
			continue;
		if (part && strcmp(part, "cpu") == 0)
			*col(c->n, COL_CPU_USED) = sample(s, CORES_MAX);
		else if (!metric)
			continue;
		else if (strcmp(metric, "container_spec_cpu_quota") == 0)
			c->quota = sample(s, 1e15);
		else if (strcmp(metric, "container_spec_cpu_period") == 0)
			c->period = sample(s, 1e15);
		else if (strcmp(metric, "container_memory_working_set_bytes") == 0)
			*col(c->n, COL_MEM_USED) = sample(s, BYTES_MAX);
		else if (strcmp(metric, "container_spec_memory_limit_bytes") == 0) {
			/* 0: no limit, which is unknown allocation, not none */
			double v = sample(s, BYTES_MAX);
			*col(c->n, COL_MEM_ALLOC) = value_known(v) && v > 0 ? v : GLASS_UNKNOWN;
		}
	}
	json_object_put(doc);
	for (size_t i = 0; i < p->n_nodes; i++) {
		struct pnode *n = &p->nodes[i];
		struct cad *c = n->kind == NODE_CONTAINER ? idmap_get(cads, n->id) : NULL;
		/* a quota of cores: quota / period, both in microseconds; no
		 * quota (or -1) is no limit */
		if (c && value_known(c->quota) && value_known(c->period) && c->quota > 0 && c->period > 0)
			*col(n, COL_CPU_ALLOC) = c->quota / c->period;
	}
	idmap_free(cads, free);
	return 0;
}

/* A glass exporter's node that its glass says is stale or unreachable. */
static void glass_health(struct prom_priv *p, const struct prom_series *s)
{
	struct pnode *n = find(p, label(s, "id"));
	enum health h;

	if (!n || (size_t)(n - p->nodes) >= p->n_glass || !health_parse(label(s, "health"), &h) || h == HEALTH_OK)
		return;
	const char *reason = label(s, "reason");
	n->health_set = true;
	n->health = h;
	free(n->health_reason);
	n->health_reason = reason && *reason ? xstrdup(reason) : NULL;
}

/* Targets that are down: the address and Prometheus's lastError. */
static int read_up(struct prom_priv *p, struct errbuf *err)
{
	json_object *doc, *res = query(p, q_up, &doc, err);
	size_t down = 0;

	if (!res) {
		json_object_put(doc);
		return -1;
	}
	for (size_t i = 0; i < json_object_array_length(res); i++) {
		struct prom_series one, *s = &one;
		series_of(json_object_array_get_idx(res, i), s);
		const char *metric = label(s, "__name__");
		if (metric && strcmp(metric, "glass_node_health") == 0) {
			glass_health(p, s);
			continue;
		}
		if (sample(s, 1) == 0) {
			char *addr = instance_addr(label(s, "instance"));
			if (*addr && !idmap_get(p->down, addr)) {
				idmap_put(p->down, addr, xstrdup("the target is down (up == 0)"));
				p->down_addrs = xreallocarray(p->down_addrs, p->n_down + 1, sizeof(char *));
				p->down_addrs[p->n_down++] = addr;
				down++;
			} else {
				free(addr);
			}
		}
	}
	json_object_put(doc);
	if (!down)
		return 0;
	/* why: one request for every target's lastError */
	char *url = xasprintf("%s/api/v1/targets?state=active", p->base);
	strbuf_reset(&p->body);
	curl_easy_setopt(p->curl, CURLOPT_URL, url);
	free(url);
	p->queries++;
	if (curl_easy_perform(p->curl) != CURLE_OK)
		return 0; /* down without a reason is still down */
	json_object *d = json_tokener_parse(p->body.buf ? p->body.buf : ""), *data, *targets;
	if (d && json_object_object_get_ex(d, "data", &data) &&
	    json_object_object_get_ex(data, "activeTargets", &targets) &&
	    json_object_is_type(targets, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(targets); i++) {
			json_object *t = json_object_array_get_idx(targets, i), *labels, *inst, *le;
			if (!json_object_object_get_ex(t, "labels", &labels) ||
			    !json_object_object_get_ex(labels, "instance", &inst) ||
			    !json_object_object_get_ex(t, "lastError", &le) ||
			    !json_object_get_string_len(le))
				continue;
			char *addr = instance_addr(json_object_get_string(inst));
			if (idmap_get(p->down, addr)) {
				struct strbuf sb;
				strbuf_init(&sb);
				escape_terminal(&sb, json_object_get_string(le));
				free(idmap_put(p->down, addr, strbuf_detach(&sb)));
			}
			free(addr);
		}
	}
	json_object_put(d);
	return 0;
}

/* ---- into a reading ------------------------------------------------ */

static void emit(struct prom_priv *p, struct pnode *n, struct reading *out, double dt_s)
{
	struct raw_node *r;
	struct resources res;

	if (n->emitted)
		return;
	n->emitted = true;
	r = reading_add_node_keyed(out, n->kind, n->id, n->parent, n->name);
	raw_node_set_runtime(r, n->runtime);
	raw_node_set_state(r, n->state);
	raw_node_set_owner(r, n->owner, n->owner_source);
	/* one machine of the fleet does not answer: that host, not the source */
	if (n->down)
		raw_node_set_health(r, HEALTH_UNREACHABLE, n->down);
	else if (n->health_set)
		raw_node_set_health(r, n->health, n->health_reason);
	n->rec->gen = p->gen;
	resources_init_unknown(&res);
	for (size_t c = 0; c < N_COLS; c++)
		if (p->col[c])
			*metric_slot(p->col[c], &res) = n->v[c];
	/* gauges as they are, rates as Prometheus gave them (for the first
	 * refresh) and as counters built back from them */
	metric_to_raw(r, &res, n->rec->counter, dt_s);
	r->mem_source = value_known(n->v[COL_MEM_USED]) ? "prometheus" : NULL;
	if (value_known(n->v[COL_POWER])) {
		r->power_watts = n->v[COL_POWER];
		r->power_source = "attributed";
	}
}

/* an id with a node this refresh, or emitted by it, keeps its counters */
static int keep_id(void *value, void *arg)
{
	const struct pid *rec = value;

	return rec->index || rec->gen == *(uint64_t *)arg;
}

static int prom_sample(struct source *src, struct reading *out, struct errbuf *err)
{
	struct prom_priv *p = src->priv;
	bool over = false;
	uint64_t start = clock_mono_ns();
	bool structure = !p->structure_mono || start - p->structure_mono >= STRUCTURE_EVERY_NS;

	pnodes_reset(p, structure);
	p->queries = 0;
	if ((structure && read_glass_structure(p, err, &over) < 0) || read_glass_values(p, p->q_use, err) < 0 ||
	    read_node_exporter(p, err, &over) < 0 || read_libvirt_exporter(p, err, &over) < 0 ||
	    read_cadvisor(p, err, &over) < 0 || read_up(p, err) < 0 || over) {
		p->structure_mono = 0; /* read whole again next time */
		return -1;
	}
	if (structure)
		p->structure_mono = start;
	/* a target that is down: its hosts are there (from the lookback) but
	 * down and unreachable, with Prometheus's reason, their figures
	 * unknown; a down target nothing else names becomes a host of its own */
	for (size_t i = 0; i < p->n_down; i++)
		host_at(p, p->down_addrs[i], err, &over);
	for (size_t i = 0; i < p->n_nodes; i++) {
		struct pnode *n = &p->nodes[i];
		const char *reason = n->kind == NODE_HOST ? idmap_get(p->down, n->addr) : NULL;
		if (reason) {
			n->state = intern(p, "down");
			n->down = reason;
		}
	}
	if (over)
		return -1;
	uint64_t now = clock_mono_ns();
	double dt_s = p->acc_mono ? (double)(now - p->acc_mono) / 1e9 : 0.0;

	out->mono_ns = now;
	p->acc_mono = now;
	p->gen++;
	/* parents before children, as the model expects of every source */
	for (size_t i = 0; i < p->n_nodes; i++)
		if (!p->nodes[i].parent || !find(p, p->nodes[i].parent))
			emit(p, &p->nodes[i], out, dt_s);
	for (bool more = true; more;) {
		more = false;
		for (size_t i = 0; i < p->n_nodes; i++) {
			struct pnode *n = &p->nodes[i];
			struct pnode *parent = n->parent ? find(p, n->parent) : NULL;
			if (!n->emitted && parent && parent->emitted) {
				emit(p, n, out, dt_s);
				more = true;
			}
		}
	}
	prom_ids_sweep(&p->ids, keep_id, &p->gen);
	return 0;
}

/* ---- lifecycle ------------------------------------------------------ */

/* The columns' rows, and the two queries of the glass families: only the
 * name and the id cross (max by), since the other labels are in
 * glass_node_info already and would triple the answer. */
static void glass_queries(struct prom_priv *p)
{
	struct strbuf q[2];

	for (size_t k = 0; k < 2; k++) {
		strbuf_init(&q[k]);
		strbuf_addf(&q[k], "max by (__name__, id) ({__name__=~\"glass_(");
	}
	for (size_t c = 0; c < N_COLS; c++) {
		const struct metric *m = metric_find(col_keys[c]);

		p->col[c] = m && m->unit != METRIC_TEXT && m->record == METRIC_IN_RESOURCES ? m : NULL;
		if (c > COL_LAST_GLASS || !p->col[c] || !m->prom_name || strncmp(m->prom_name, "glass_", 6) != 0)
			continue;
		struct strbuf *sb = &q[c >= COL_FIRST_USE];
		strbuf_addf(sb, "%s%s", sb->buf[sb->len - 1] == '(' ? "" : "|", m->prom_name + 6);
	}
	for (size_t k = 0; k < 2; k++)
		strbuf_addf(&q[k], ")\"})");
	p->q_alloc = strbuf_detach(&q[0]);
	p->q_use = strbuf_detach(&q[1]);
}

static int prom_open(struct source *src, struct errbuf *err)
{
	struct prom_priv *p = src->priv;
	long timeout_ms = (long)(p->timeout_s * 1000);

	if (p->curl)
		return 0; /* opened already, for the window's statistics */
	p->curl = curl_easy_init();
	if (!p->curl)
		return errbuf_set(err, "%s: libcurl did not start", src->name);
	curl_easy_setopt(p->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(p->curl, CURLOPT_TIMEOUT_MS, (long)(ANSWER_TIMEOUT_S * 1000));
	curl_easy_setopt(p->curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	curl_easy_setopt(p->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(p->curl, CURLOPT_WRITEDATA, &p->body);
	curl_easy_setopt(p->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(p->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(p->curl, CURLOPT_USERAGENT, "glass/" PACKAGE_VERSION);
	curl_easy_setopt(p->curl, CURLOPT_ACCEPT_ENCODING, "");
	if (p->token) {
		curl_easy_setopt(p->curl, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
		curl_easy_setopt(p->curl, CURLOPT_XOAUTH2_BEARER, p->token);
	} else if (p->user) {
		curl_easy_setopt(p->curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(p->curl, CURLOPT_USERNAME, p->user);
		curl_easy_setopt(p->curl, CURLOPT_PASSWORD, p->password ? p->password : "");
	}
	return 0;
}

static void prom_close(struct source *src)
{
	struct prom_priv *p = src->priv;

	if (p->curl)
		curl_easy_cleanup(p->curl);
	p->curl = NULL;
}

static void wipe(char *secret)
{
	if (secret) {
		memset(secret, 0, strlen(secret));
		free(secret);
	}
}

static void prom_free(struct source *src)
{
	struct prom_priv *p = src->priv;

	pnodes_reset(p, true);
	prom_ids_done(&p->ids);
	idmap_free(p->strs, NULL);
	idmap_free(p->down, free);
	idmap_free(p->glass_at, NULL);
	idmap_free(p->host_by_addr, NULL);
	free(p->nodes);
	free(p->q_alloc);
	free(p->q_use);
	free(p->base);
	free(p->user);
	wipe(p->password);
	wipe(p->token);
	strbuf_done(&p->body);
	free(p);
}

static const struct source_ops prom_ops = {
	.kind = "prometheus",
	.open = prom_open,
	.sample = prom_sample,
	.close = prom_close,
	.free = prom_free,
};

/* ---- the idle window from Prometheus's history -------------------- */

/* The window's statistics of one node, as the history store gives them. */
struct win_stats {
	char *id;
	struct history_stats st[HISTORY_N_RES];
};

static void win_free(void *value)
{
	struct win_stats *w = value;

	free(w->id);
	free(w);
}

/* The node a window series is about: a glass exporter's names it (id);
 * node_exporter's and the libvirt exporter's are named as the refresh
 * names them, host:ADDRESS and vm:ADDRESS/UUID.  The caller's; NULL none. */
static char *window_id(const struct prom_series *s)
{
	const char *id = label(s, "id"), *uuid = label(s, "uuid"), *instance = label(s, "instance");

	if (id)
		return *id ? xstrdup(id) : NULL;
	if (!instance)
		return NULL;
	char *addr = instance_addr(instance), *out = NULL;
	if (*addr)
		out = uuid ? (*uuid ? xasprintf("vm:%s/%s", addr, uuid) : NULL) : xasprintf("host:%s", addr);
	free(addr);
	return out;
}

static void on_window(struct prom_priv *p, const struct prom_series *s, void *arg)
{
	struct idmap *stats = arg;
	const char *q = label(s, "glass_q");
	enum history_res r;

	(void)p;
	if (!q || strlen(q) < 5)
		return;
	if (strncmp(q, "cpu_", 4) == 0)
		r = HISTORY_CPU;
	else if (strncmp(q, "mem_", 4) == 0)
		r = HISTORY_MEM;
	else
		return;
	char *id = window_id(s);
	if (!id)
		return;
	struct win_stats *w = idmap_get(stats, id);
	if (!w) {
		w = xcalloc(1, sizeof(*w));
		w->id = xstrdup(id);
		for (size_t i = 0; i < HISTORY_N_RES; i++)
			w->st[i].avg_util = w->st[i].observed_s = w->st[i].p95 = w->st[i].peak_max = GLASS_UNKNOWN;
		idmap_put(stats, id, w);
	}
	free(id);
	struct history_stats *st = &w->st[r];
	double v = sample(s, r == HISTORY_CPU ? CORES_MAX : BYTES_MAX);
	if (strcmp(q + 4, "avg") == 0)
		st->avg_util = v;
	else if (strcmp(q + 4, "obs") == 0)
		st->observed_s = v;
	else if (strcmp(q + 4, "p95") == 0)
		st->p95 = v;
	else if (strcmp(q + 4, "max") == 0)
		st->peak_max = v;
}

struct win_emit {
	double window_s, step_s;
	history_stats_fn fn;
	void *arg;
};

/* (an idmap_sweep that keeps everything: the map's walk) */
static int emit_window(void *value, void *arg)
{
	struct win_stats *w = value;
	struct win_emit *e = arg;

	for (size_t r = 0; r < HISTORY_N_RES; r++) {
		struct history_stats *st = &w->st[r];
		if (!value_known(st->avg_util) || !value_known(st->observed_s))
			continue;
		/* the first sample within a step of the window's start: the
		 * subquery saw the whole window */
		if (st->observed_s > e->window_s - e->step_s)
			st->observed_s = e->window_s;
		st->samples = 1;
		e->fn(w->id, (enum history_res)r, st, e->arg);
	}
	return 1; /* keep */
}

/* One arm of the window query, told apart by its glass_q label. */
static void arm(struct strbuf *q, const char *what, const char *expr)
{
	strbuf_addf(q, " or label_replace(%s, \"glass_q\", \"%s\", \"\", \"\")", expr, what);
}

/* The window of the hosts node_exporter gives (busy CPU of its CPUs;
 * MemTotal - MemAvailable of MemTotal) and of the libvirt exporter's VMs
 * (CPU time of their vCPUs): the average from the counters' increase over
 * the window, the p95 and peak from a rate over two steps (the scrapes
 * may be as far apart as a step). */
static void window_exporters(struct strbuf *q, long w, long step)
{
	static const char busy[] = "node_cpu_seconds_total{mode!~\"idle|iowait|steal\"}";
	static const char vm_cpu[] = "libvirt_domain_info_cpu_time_seconds_total";
	long rw = 2 * step > 300 ? 2 * step : 300;
	char *e;

#define ARM(what, ...)                         \
	do {                                   \
		e = xasprintf(__VA_ARGS__);    \
		arm(q, what, e);               \
		free(e);                       \
	} while (0)
	ARM("cpu_avg", "sum by (instance) (increase(%s[%lds])) / %ld / count by (instance) "
		       "(last_over_time(node_cpu_seconds_total{mode=\"idle\"}[%lds]))", busy, w, w, w);
	ARM("cpu_obs", "time() - min by (instance) (min_over_time(timestamp(node_memory_MemTotal_bytes)[%lds:%lds]))",
	    w, step);
	ARM("cpu_p95", "quantile_over_time(0.95, (sum by (instance) (rate(%s[%lds])))[%lds:%lds])", busy, rw, w, step);
	ARM("cpu_max", "max_over_time((sum by (instance) (rate(%s[%lds])))[%lds:%lds])", busy, rw, w, step);
	ARM("mem_avg", "avg_over_time((node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes)[%lds:%lds])"
		       " / avg_over_time(node_memory_MemTotal_bytes[%lds])", w, step, w);
	ARM("mem_obs", "time() - min by (instance) (min_over_time(timestamp(node_memory_MemTotal_bytes)[%lds:%lds]))",
	    w, step);
	ARM("mem_p95", "quantile_over_time(0.95, (node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes)[%lds:%lds])",
	    w, step);
	ARM("mem_max", "max_over_time((node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes)[%lds:%lds])",
	    w, step);
	ARM("cpu_avg", "sum by (instance, uuid) (increase(%s[%lds])) / %ld / max by (instance, uuid) "
		       "(avg_over_time(libvirt_domain_info_virtual_cpus[%lds]))", vm_cpu, w, w, w);
	ARM("cpu_obs", "time() - min by (instance, uuid) (min_over_time(timestamp(libvirt_domain_info_virtual_cpus)[%lds:%lds]))",
	    w, step);
	ARM("cpu_p95", "quantile_over_time(0.95, (sum by (instance, uuid) (rate(%s[%lds])))[%lds:%lds])", vm_cpu, rw,
	    w, step);
	ARM("cpu_max", "max_over_time((sum by (instance, uuid) (rate(%s[%lds])))[%lds:%lds])", vm_cpu, rw, w, step);
#undef ARM
}

int source_prometheus_window(struct source *src, double window_s, history_stats_fn fn, void *arg,
			     struct errbuf *err)
{
	struct prom_priv *p = src->priv;
	/* the subquery that finds each node's first sample: at most ~2,000
	 * steps, never finer than a minute */
	long w = (long)window_s, step = w / 2000 > 60 ? w / 2000 : 60;
	struct strbuf q;
	struct idmap *stats;
	struct errbuf qerr;
	int rc;

	if (prom_open(src, err) < 0)
		return -1;
	strbuf_init(&q);
	for (size_t r = 0; r < HISTORY_N_RES; r++) {
		const char *used = r == HISTORY_CPU ? "glass_cpu_used_cores" : "glass_memory_used_bytes";
		const char *given = r == HISTORY_CPU ? "glass_cpu_allocated_cores" : "glass_memory_allocated_bytes";
		const char *res = r == HISTORY_CPU ? "cpu" : "mem";
		strbuf_addf(&q,
			    "%slabel_replace(max by (id) (avg_over_time(%s[%lds])) / max by (id) (avg_over_time(%s[%lds])),"
			    " \"glass_q\", \"%s_avg\", \"\", \"\")"
			    " or label_replace(max by (id) (time() - min_over_time(timestamp(%s)[%lds:%lds])),"
			    " \"glass_q\", \"%s_obs\", \"\", \"\")"
			    " or label_replace(max by (id) (quantile_over_time(0.95, %s[%lds])),"
			    " \"glass_q\", \"%s_p95\", \"\", \"\")"
			    " or label_replace(max by (id) (max_over_time(%s[%lds])), \"glass_q\", \"%s_max\", \"\", \"\")",
			    r ? " or " : "", used, w, given, w, res, used, w, step, res, used, w, res, used, w, res);
	}
	window_exporters(&q, w, step);
	stats = idmap_new();
	errbuf_clear(&qerr);
	rc = query_stream(p, q.buf, on_window, stats, &qerr);
	if (rc < 0) {
		errbuf_set(err, "%s: the idle window from Prometheus: %s", src->name, qerr.msg);
	} else {
		struct win_emit e = {window_s, (double)step, fn, arg};
		idmap_sweep(stats, emit_window, &e, win_free);
	}
	idmap_free(stats, win_free);
	strbuf_done(&q);
	return rc;
}

/* The first line of a credential file, without its newline; NULL with err. */
static char *read_secret(const char *what, const char *path, struct errbuf *err)
{
	FILE *f = fopen(path, "re");
	char buf[4096];

	if (!f) {
		errbuf_set(err, "%s %s: %s", what, path, strerror(errno));
		return NULL;
	}
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
	char *s = xstrdup(buf);
	memset(buf, 0, sizeof(buf));
	return s;
}

struct source *source_prometheus_new(const char *uri, const struct prometheus_params *params,
				     struct errbuf *err)
{
	const char *rest = uri + strlen(PROMETHEUS_SCHEME);
	const char *scheme_end = strstr(rest, "://");
	char *shown = uri_redact(uri);
	struct prom_priv *p;
	struct source *src;

	if (!scheme_end || !((scheme_end - rest == 4 && strncmp(rest, "http", 4) == 0) ||
			     (scheme_end - rest == 5 && strncmp(rest, "https", 5) == 0))) {
		errbuf_set(err, "%s: expected prometheus+http://HOST:PORT[/prefix] or prometheus+https://...", shown);
		free(shown);
		return NULL;
	}
	const char *authority = scheme_end + 3;
	size_t alen = strcspn(authority, "/?#");
	if (alen == 0 || memchr(authority, '@', alen)) {
		errbuf_set(err, "%s: %s", shown,
			   alen ? "credentials go in prometheus.password_file or prometheus.bearer_token_file, "
				  "never in the URI"
				: "no host in the URI");
		free(shown);
		return NULL;
	}
	if (authority[alen] == '?' || authority[alen] == '#') {
		errbuf_set(err, "%s: a query or fragment is not part of a Prometheus address", shown);
		free(shown);
		return NULL;
	}
	p = xcalloc(1, sizeof(*p));
	strbuf_init(&p->body);
	p->base = xasprintf("%.*s", (int)(strlen(rest)), rest);
	while (strlen(p->base) > (size_t)(authority - rest) + alen && p->base[strlen(p->base) - 1] == '/')
		p->base[strlen(p->base) - 1] = '\0';
	p->timeout_s = params->interval_s * 1.5;
	if (p->timeout_s > QUERY_TIMEOUT_MAX_S)
		p->timeout_s = QUERY_TIMEOUT_MAX_S;
	if (p->timeout_s < QUERY_TIMEOUT_MIN_S)
		p->timeout_s = QUERY_TIMEOUT_MIN_S;
	p->max_nodes = params->max_nodes ? params->max_nodes : PROM_MAX_NODES;
	prom_ids_init(&p->ids, offsetof(struct pid, id));
	p->strs = idmap_new();
	p->down = idmap_new();
	p->glass_at = idmap_new();
	p->host_by_addr = idmap_new();
	glass_queries(p);
	if (params->bearer_token_file &&
	    !(p->token = read_secret("prometheus.bearer_token_file", params->bearer_token_file, err)))
		goto fail;
	if (params->user) {
		p->user = xstrdup(params->user);
		if (params->password_file &&
		    !(p->password = read_secret("prometheus.password_file", params->password_file, err)))
			goto fail;
	}
	src = xcalloc(1, sizeof(*src));
	src->ops = &prom_ops;
	src->name = shown;
	src->priv = p;
	return src;
fail:
	src = xcalloc(1, sizeof(*src));
	src->priv = p;
	prom_free(src);
	free(src);
	free(shown);
	return NULL;
}
