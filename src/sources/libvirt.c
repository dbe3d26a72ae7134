#include "glass/source_libvirt.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "glass/libvirt_internal.h"
#include "glass/libvirt_uri.h"
#include "glass/uri.h"
#include "glass/value.h"
#include "glass/xalloc.h"

/* Keepalive: a ping every 5 s, the peer is dead after 3 unanswered. */
#define KEEPALIVE_INTERVAL_S 5
#define KEEPALIVE_COUNT 3

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static bool event_loop_runs; /* set once, under global_once */

/* libvirt's default handler prints every error to stderr, under a TUI
 * too: errors are read back with virGetLastErrorMessage instead. */
static void quiet_error(void *opaque, virErrorPtr error)
{
	(void)opaque;
	(void)error;
}

static void *event_loop_main(void *arg)
{
	(void)arg;
	for (;;)
		if (virEventRunDefaultImpl() < 0)
			break;
	return NULL;
}

static void global_init(void)
{
	pthread_t t;

	virInitialize();
	virSetErrorFunc(NULL, quiet_error);
	/* Keepalive and the close callback run from the default event loop;
	 * it needs a thread of its own.  It lives until the process ends. */
	if (virEventRegisterDefaultImpl() == 0 && pthread_create(&t, NULL, event_loop_main, NULL) == 0) {
		pthread_detach(t);
		event_loop_runs = true;
	}
}

bool libvirt_last_error_unsupported(void)
{
	virErrorPtr e = virGetLastError();

	return e && (e->code == VIR_ERR_NO_SUPPORT || e->code == VIR_ERR_OPERATION_UNSUPPORTED);
}

int libvirt_fail(struct libvirt_priv *p, struct errbuf *err, const char *what)
{
	const char *msg = virGetLastErrorMessage();
	char *clean = libvirt_uri_scrub(p->uri, msg ? msg : "unknown libvirt error");

	errbuf_set(err, "%s: %s", what, clean);
	free(clean);
	virResetLastError();
	return -1;
}

/* Never prompts: a hypervisor that wants a password or an ssh question
 * answered fails with libvirt's reason instead of waiting on a tty. */
static int auth_never(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
	(void)cred;
	(void)ncred;
	(void)cbdata;
	return -1;
}

static int auth_types[] = {
	VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE,   VIR_CRED_ECHOPROMPT,
	VIR_CRED_NOECHOPROMPT, VIR_CRED_REALM, VIR_CRED_EXTERNAL,
};

static void on_close(virConnectPtr conn, int reason, void *opaque)
{
	struct libvirt_priv *p = opaque;

	(void)conn;
	atomic_store(&p->close_reason, reason);
	atomic_store(&p->closed, 1);
}

static const char *close_reason_text(int reason)
{
	switch (reason) {
	case VIR_CONNECT_CLOSE_REASON_ERROR: return "connection error";
	case VIR_CONNECT_CLOSE_REASON_EOF: return "the hypervisor closed the connection";
	case VIR_CONNECT_CLOSE_REASON_KEEPALIVE: return "keepalive timeout: no answer";
	case VIR_CONNECT_CLOSE_REASON_CLIENT: return "closed by glass";
	default: return "connection closed";
	}
}

/* The name glass gives the hypervisor: its hostname, so that two URIs to
 * one machine give one host node.  The test driver answers the local
 * hostname for its fake node, which would merge it with the real local
 * host: it is named test-<fixture>[@<daemon address>] instead. */
static char *hypervisor_name(struct libvirt_priv *p)
{
	const char *type = virConnectGetType(p->conn);
	char *name;

	p->calls++;
	if (type && strcmp(type, "TEST") == 0) {
		const char *auth = strstr(p->uri, "://");
		const char *path = auth ? auth + 3 + strcspn(auth + 3, "/?#") : "";
		size_t plen = strcspn(path, "?#");
		const char *base = path;

		for (size_t i = 0; i < plen; i++)
			if (path[i] == '/')
				base = path + i + 1;
		size_t len = plen - (size_t)(base - path);
		if (len > 4 && strncmp(base + len - 4, ".xml", 4) == 0)
			len -= 4;
		/* Each test-driver connection is its own fake machine: a remote
		 * one is told apart by the daemon's address (no userinfo). */
		const char *server = auth ? auth + 3 : "";
		size_t slen = auth ? (size_t)(path - server) : 0;
		const char *at = memchr(server, '@', slen);
		while (at) {
			slen -= (size_t)(at + 1 - server);
			server = at + 1;
			at = memchr(server, '@', slen);
		}
		return xasprintf("test-%.*s%s%.*s", (int)len, len ? base : "default", slen ? "@" : "",
				 (int)slen, server);
	}
	char *h = virConnectGetHostname(p->conn);
	p->calls++;
	if (!h)
		return NULL;
	name = xstrdup(h);
	free(h);
	return name;
}

static void libvirt_close(struct source *src)
{
	struct libvirt_priv *p = src->priv;

	if (!p->conn)
		return;
	libvirt_events_deregister(p->events, p->conn);
	p->events = NULL;
	if (p->close_cb_registered)
		virConnectUnregisterCloseCallback(p->conn, on_close);
	p->close_cb_registered = false;
	virConnectClose(p->conn);
	p->conn = NULL;
	virResetLastError();
}

static int libvirt_open(struct source *src, struct errbuf *err)
{
	struct libvirt_priv *p = src->priv;
	virConnectAuth auth = {auth_types, sizeof(auth_types) / sizeof(auth_types[0]), auth_never,
			       NULL};

	atomic_store(&p->closed, 0);
	p->conn = virConnectOpenAuth(p->open_uri, &auth, VIR_CONNECT_RO);
	if (!p->conn)
		return libvirt_fail(p, err, "cannot connect");
	/* The test driver and local drivers answer "unsupported": they
	 * cannot die under glass's feet, so it is not an error. */
	if (virConnectSetKeepAlive(p->conn, KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT) < 0)
		virResetLastError();
	if (virConnectRegisterCloseCallback(p->conn, on_close, p, NULL) == 0)
		p->close_cb_registered = true;
	else
		virResetLastError();
	char *name = hypervisor_name(p);
	if (!name) {
		libvirt_fail(p, err, "cannot read the hostname");
		libvirt_close(src);
		return -1;
	}
	free(p->host_name);
	free(p->host_id);
	p->host_name = name;
	p->host_id = xasprintf("host:%s", name);
	/* The domains' XML is read again when libvirt says it changed; what
	 * glass read before this connection may have changed unseen. */
	p->events = event_loop_runs ? libvirt_events_register(p->conn) : NULL;
	p->xml_epoch++;
	p->have_info = false;
	p->node_cpu_nparams = 0;
	p->node_mem_nparams = 0;
	p->no_bulk = p->no_nowait = p->no_dom_mem = p->no_dev_stats = false;
	return 0;
}

/* The node's statistics calls, made beside the domains' bulk call: they
 * cross the network while the hypervisor works on the domains, instead
 * of one round trip each before it.  Results land here, not in the
 * reading, whose node array the domains grow meanwhile. */
struct node_stats {
	struct libvirt_priv *p;
	unsigned long calls;
	uint64_t cpu_busy_ns; /* GLASS_U64_UNKNOWN until read */
	uint64_t mem_total;   /* the same */
	uint64_t mem_avail;
	bool have_free;
};

/* Busy cpu time of the node (all cpus), ns: everything but idle and
 * iowait, like the local host's counter. */
static void sample_node_cpu(struct node_stats *ns)
{
	struct libvirt_priv *p = ns->p;
	virNodeCPUStatsPtr params;
	int np = 0;
	uint64_t busy = 0;
	bool any = false;

	if (p->node_cpu_nparams < 0)
		return;
	if (p->node_cpu_nparams == 0) {
		ns->calls++;
		if (virNodeGetCPUStats(p->conn, VIR_NODE_CPU_STATS_ALL_CPUS, NULL, &np, 0) < 0 ||
		    np <= 0) {
			p->node_cpu_nparams = -1;
			virResetLastError();
			return;
		}
		p->node_cpu_nparams = np;
	}
	np = p->node_cpu_nparams;
	params = xcalloc((size_t)np, sizeof(*params));
	ns->calls++;
	if (virNodeGetCPUStats(p->conn, VIR_NODE_CPU_STATS_ALL_CPUS, params, &np, 0) == 0) {
		for (int i = 0; i < np; i++) {
			const char *f = params[i].field;
			if (strcmp(f, VIR_NODE_CPU_STATS_IDLE) == 0 ||
			    strcmp(f, VIR_NODE_CPU_STATS_IOWAIT) == 0 ||
			    strcmp(f, VIR_NODE_CPU_STATS_UTILIZATION) == 0)
				continue;
			busy += params[i].value;
			any = true;
		}
	} else {
		virResetLastError();
	}
	free(params);
	if (any)
		ns->cpu_busy_ns = busy;
}

/* The whole machine's memory (all NUMA cells).  A driver without node
 * memory statistics (the test driver) leaves virNodeGetInfo's total and
 * used unknown. */
static void sample_node_memory(struct node_stats *ns)
{
	struct libvirt_priv *p = ns->p;
	virNodeMemoryStatsPtr params;
	int np = 0;

	if (p->node_mem_nparams < 0)
		return;
	/* Drivers insist on the exact count: ask it once per connection. */
	if (p->node_mem_nparams == 0) {
		ns->calls++;
		if (virNodeGetMemoryStats(p->conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, NULL, &np, 0) < 0 ||
		    np <= 0) {
			p->node_mem_nparams = -1;
			virResetLastError();
			return;
		}
		p->node_mem_nparams = np;
	}
	np = p->node_mem_nparams;
	params = xcalloc((size_t)np, sizeof(*params));
	ns->calls++;
	if (virNodeGetMemoryStats(p->conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, params, &np, 0) < 0) {
		virResetLastError();
		np = 0;
	}
	for (int i = 0; i < np; i++) {
		const char *f = params[i].field;
		if (strcmp(f, VIR_NODE_MEMORY_STATS_TOTAL) == 0)
			ns->mem_total = params[i].value * 1024;
		else if (strcmp(f, VIR_NODE_MEMORY_STATS_FREE) == 0 ||
			 strcmp(f, VIR_NODE_MEMORY_STATS_BUFFERS) == 0 ||
			 strcmp(f, VIR_NODE_MEMORY_STATS_CACHED) == 0) {
			ns->mem_avail += params[i].value * 1024;
			ns->have_free = ns->have_free || strcmp(f, VIR_NODE_MEMORY_STATS_FREE) == 0;
		}
	}
	free(params);
}

static void *node_cpu_main(void *arg)
{
	sample_node_cpu(arg);
	return NULL;
}

static void *node_memory_main(void *arg)
{
	sample_node_memory(arg);
	return NULL;
}

static void node_stats_apply(const struct node_stats *ns, struct raw_node *n)
{
	if (value_u64_known(ns->cpu_busy_ns))
		n->cpu_time_ns = ns->cpu_busy_ns;
	/* Total and used from this one answer: virNodeGetInfo may count one
	 * NUMA node only (5.6 of 24 GiB seen), and used against another
	 * call's total would read as a host fuller than it is. */
	if (value_u64_known(ns->mem_total))
		n->mem_allocated = ns->mem_total;
	if (ns->have_free && value_u64_known(ns->mem_total)) {
		n->mem_available = ns->mem_avail;
		n->mem_used = value_u64_sub(ns->mem_total, ns->mem_avail);
		n->mem_source = "host";
	}
}

static int libvirt_sample(struct source *src, struct reading *out, struct errbuf *err)
{
	struct libvirt_priv *p = src->priv;
	struct node_stats ns_cpu = {p, 0, GLASS_U64_UNKNOWN, GLASS_U64_UNKNOWN, 0, false};
	struct node_stats ns_mem = ns_cpu;
	pthread_t cpu_helper, mem_helper;
	bool cpu_beside = false, mem_beside = false;
	int rc;

	p->calls = 0;
	p->sample_no++;
	if (atomic_load(&p->closed))
		return errbuf_set(err, "%s", close_reason_text(atomic_load(&p->close_reason)));
	/* The node's cpus and memory size: once per connection (a reconnect
	 * asks again).  A dead connection still shows in the calls below and
	 * in the keepalive. */
	if (!p->have_info) {
		p->calls++;
		if (virNodeGetInfo(p->conn, &p->info) < 0)
			return libvirt_fail(p, err, "cannot read node info");
		p->have_info = true;
	}
	size_t host_at = out->n_nodes;
	struct raw_node *h = reading_add_node(out, NODE_HOST, p->host_id, NULL, p->host_name);
	raw_node_set_state(h, "up");
	raw_node_set_runtime(h, "libvirt");
	if (p->info.cpus > 0)
		h->cpu_cores_allocated = (double)p->info.cpus;
	if (p->info.memory > 0)
		h->mem_allocated = (uint64_t)p->info.memory * 1024;
	/* Beside the bulk call only: it is one long call (the hypervisor asks
	 * every domain's monitor) to hide the node's round trips behind, one
	 * thread each so that they take one round trip, not two.  The
	 * per-domain path and drivers without node statistics keep one
	 * thread. */
	if (!p->no_bulk && p->node_cpu_nparams >= 0)
		cpu_beside = pthread_create(&cpu_helper, NULL, node_cpu_main, &ns_cpu) == 0;
	if (!p->no_bulk && p->node_mem_nparams >= 0)
		mem_beside = pthread_create(&mem_helper, NULL, node_memory_main, &ns_mem) == 0;
	if (!cpu_beside)
		sample_node_cpu(&ns_cpu);
	if (!mem_beside)
		sample_node_memory(&ns_mem);
	rc = libvirt_sample_domains(p, out, err);
	if (cpu_beside)
		pthread_join(cpu_helper, NULL);
	if (mem_beside)
		pthread_join(mem_helper, NULL);
	p->calls += ns_cpu.calls + ns_mem.calls;
	node_stats_apply(&ns_cpu, reading_node(out, host_at));
	node_stats_apply(&ns_mem, reading_node(out, host_at));
	if (rc < 0)
		return -1;
	p->last_calls = p->calls;
	return 0;
}

static void libvirt_free(struct source *src)
{
	struct libvirt_priv *p = src->priv;

	if (!p)
		return;
	libvirt_devcache_free(p);
	free(p->uri);
	free(p->open_uri);
	free(p->host_name);
	free(p->host_id);
	free(p);
	src->priv = NULL;
}

static const struct source_ops libvirt_ops = {
	.kind = "libvirt",
	.open = libvirt_open,
	.sample = libvirt_sample,
	.close = libvirt_close,
	.free = libvirt_free,
};

struct source *source_libvirt_new(const char *uri)
{
	struct source *src = xcalloc(1, sizeof(*src));
	struct libvirt_priv *p = xcalloc(1, sizeof(*p));

	pthread_once(&global_once, global_init);
	p->uri = xstrdup(uri);
	p->open_uri = libvirt_uri_prepare(uri);
	p->devcache = idmap_new();
	src->ops = &libvirt_ops;
	src->name = uri_redact(uri);
	src->priv = p;
	return src;
}

unsigned long source_libvirt_last_calls(const struct source *src)
{
	const struct libvirt_priv *p = src->priv;

	return p->last_calls;
}
