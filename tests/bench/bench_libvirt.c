/* bench_libvirt URI [REFRESHES]: one refresh of a hypervisor the glass way
 * (the libvirt source: bulk stats, per-domain calls only for what the
 * driver leaves out) against per-domain polling as virt-top does it (list
 * the domains, then info, memory and per-device stats for each), on the
 * same connection kind.  Prints wall time and libvirt calls per refresh. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "glass/clock.h"
#include "glass/reading.h"
#include "glass/source_libvirt.h"

struct dom_devs {
	char uuid[VIR_UUID_STRING_BUFLEN];
	char **devs; /* "d:vda" or "n:vnet0" */
	size_t n;
};

static void quiet(void *opaque, virErrorPtr e)
{
	(void)opaque;
	(void)e;
}

static void add_dev(struct dom_devs *d, char kind, const char *v, size_t len)
{
	d->devs = realloc(d->devs, (d->n + 1) * sizeof(*d->devs));
	d->devs[d->n] = malloc(len + 3);
	snprintf(d->devs[d->n], len + 3, "%c:%.*s", kind, (int)len, v);
	d->n++;
}

/* Target device names from the XML (virt-top parses it once per domain). */
static void parse_devs(const char *xml, struct dom_devs *d)
{
	static const char *const kinds[2][2] = {{"<disk ", "</disk>"}, {"<interface ", "</interface>"}};

	for (int k = 0; k < 2; k++) {
		const char *p = xml;
		while ((p = strstr(p, kinds[k][0])) != NULL) {
			const char *end = strstr(p, kinds[k][1]);
			const char *t = strstr(p, "<target dev=");
			if (!end)
				break;
			if (t && t < end) {
				const char *v = t + 13;
				const char *q = strchr(v, t[12]);
				if (q && q < end)
					add_dev(d, k ? 'n' : 'd', v, (size_t)(q - v));
			}
			p = end;
		}
	}
}

static struct dom_devs *cache;
static size_t n_cache;

static struct dom_devs *devs_for(virDomainPtr dom, unsigned long *calls)
{
	char uuid[VIR_UUID_STRING_BUFLEN];

	virDomainGetUUIDString(dom, uuid);
	for (size_t i = 0; i < n_cache; i++)
		if (strcmp(cache[i].uuid, uuid) == 0)
			return &cache[i];
	cache = realloc(cache, (n_cache + 1) * sizeof(*cache));
	struct dom_devs *d = &cache[n_cache++];
	memset(d, 0, sizeof(*d));
	strcpy(d->uuid, uuid);
	(*calls)++;
	char *xml = virDomainGetXMLDesc(dom, 0);
	if (xml) {
		parse_devs(xml, d);
		free(xml);
	}
	return d;
}

/* One refresh, virt-top's way; returns the calls it made. */
static unsigned long per_domain_refresh(virConnectPtr conn)
{
	virDomainPtr *doms = NULL;
	unsigned long calls = 4;
	virNodeInfo ni;
	virNodeCPUStats cs[8];
	virNodeMemoryStats ms[8];
	int ncs = 8, nms = 8;

	/* the host node, as glass reads it */
	virNodeGetInfo(conn, &ni);
	virNodeGetCPUStats(conn, VIR_NODE_CPU_STATS_ALL_CPUS, cs, &ncs, 0);
	virNodeGetMemoryStats(conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, ms, &nms, 0);
	int n = virConnectListAllDomains(conn, &doms, 0);

	for (int i = 0; i < n; i++) {
		virDomainInfo info;
		calls++;
		if (virDomainGetInfo(doms[i], &info) == 0 && info.state != VIR_DOMAIN_SHUTOFF) {
			virDomainMemoryStatStruct st[VIR_DOMAIN_MEMORY_STAT_NR];
			calls++;
			virDomainMemoryStats(doms[i], st, VIR_DOMAIN_MEMORY_STAT_NR, 0);
			struct dom_devs *d = devs_for(doms[i], &calls);
			for (size_t k = 0; k < d->n; k++) {
				calls++;
				if (d->devs[k][0] == 'd') {
					virDomainBlockStatsStruct bs;
					virDomainBlockStats(doms[i], d->devs[k] + 2, &bs, sizeof(bs));
				} else {
					virDomainInterfaceStatsStruct is;
					virDomainInterfaceStats(doms[i], d->devs[k] + 2, &is, sizeof(is));
				}
			}
		}
		virDomainFree(doms[i]);
	}
	free(doms);
	virResetLastError();
	return calls;
}

/* What each bulk group costs this driver alone, to explain the figures:
 * a group is as dear as the driver's work for every domain. */
static void group_costs(virConnectPtr conn, int refreshes)
{
	static const struct {
		const char *name;
		unsigned int group;
	} g[] = {
		{"state", VIR_DOMAIN_STATS_STATE},       {"cpu-total", VIR_DOMAIN_STATS_CPU_TOTAL},
		{"balloon", VIR_DOMAIN_STATS_BALLOON},   {"interface", VIR_DOMAIN_STATS_INTERFACE},
		{"block", VIR_DOMAIN_STATS_BLOCK},       {"vcpu", VIR_DOMAIN_STATS_VCPU},
	};

	printf("%-12s", "bulk groups:");
	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		uint64_t t0 = clock_mono_ns();
		for (int k = 0; k < refreshes; k++) {
			virDomainStatsRecordPtr *r = NULL;
			if (virConnectGetAllDomainStats(conn, g[i].group, &r,
							VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT) >= 0)
				virDomainStatsRecordListFree(r);
			virResetLastError();
		}
		printf(" %s %.1f ms", g[i].name, (double)(clock_mono_ns() - t0) / 1e6 / refreshes);
	}
	printf("\n");
}

/* Does the driver answer cpu, balloon, block and net stats in one bulk
 * call?  (The test driver answers only the state group.) */
static bool driver_has_bulk(virConnectPtr conn)
{
	virDomainStatsRecordPtr *recs = NULL;
	unsigned int groups = VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_BALLOON |
			      VIR_DOMAIN_STATS_INTERFACE | VIR_DOMAIN_STATS_BLOCK;
	int n = virConnectGetAllDomainStats(conn, groups, &recs, VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE);
	bool cpu = false;

	for (int i = 0; i < n && !cpu; i++)
		for (int k = 0; k < recs[i]->nparams; k++)
			if (strcmp(recs[i]->params[k].field, "cpu.time") == 0)
				cpu = true;
	if (recs)
		virDomainStatsRecordListFree(recs);
	virResetLastError();
	return n > 0 && cpu;
}

int main(int argc, char **argv)
{
	const char *uri = argc > 1 ? argv[1] : "test:///default";
	int refreshes = argc > 2 ? atoi(argv[2]) : 5;
	struct errbuf err;

	if (refreshes < 1)
		refreshes = 1;
	/* glass's way, through its own source */
	struct source *src = source_libvirt_new(uri);
	if (src->ops->open(src, &err) < 0) {
		fprintf(stderr, "bench_libvirt: %s: %s\n", src->name, err.msg);
		return 1;
	}
	virSetErrorFunc(NULL, quiet);
	virConnectPtr conn = virConnectOpenReadOnly(uri);
	if (!conn) {
		fprintf(stderr, "bench_libvirt: %s: cannot connect\n", uri);
		return 1;
	}
	/* Interleaved, so that both ways see the daemon in the same state;
	 * the first two rounds warm the caches of both (device lists) and
	 * hold glass's cost probe, which runs once per 30 refreshes. */
	size_t n_vms = 0;
	unsigned long glass_calls = 0, pd_calls = 0;
	uint64_t glass_ns = 0, pd_ns = 0;
	for (int i = -1; i <= refreshes; i++) {
		struct reading *r = reading_new();
		uint64_t t0 = clock_mono_ns();
		if (src->ops->sample(src, r, &err) < 0) {
			fprintf(stderr, "bench_libvirt: sample: %s\n", err.msg);
			return 1;
		}
		uint64_t t1 = clock_mono_ns();
		unsigned long c = per_domain_refresh(conn);
		uint64_t t2 = clock_mono_ns();
		if (i > 0) {
			glass_ns += t1 - t0;
			glass_calls += source_libvirt_last_calls(src);
			pd_ns += t2 - t1;
			pd_calls += c;
		}
		n_vms = r->n_nodes - 1;
		reading_unref(r);
	}
	bool bulk = driver_has_bulk(conn);
	src->ops->close(src);
	source_free(src);

	double g_ms = (double)glass_ns / 1e6 / refreshes, p_ms = (double)pd_ns / 1e6 / refreshes;
	printf("%-12s %zu domains, %d refreshes\n", "hypervisor:", n_vms, refreshes);
	printf("%-12s %9.1f ms/refresh %8.1f libvirt calls/refresh\n", "glass:", g_ms,
	       (double)glass_calls / refreshes);
	printf("%-12s %9.1f ms/refresh %8.1f libvirt calls/refresh\n", "per-domain:", p_ms,
	       (double)pd_calls / refreshes);
	printf("%-12s %9.1fx faster, %.1fx fewer calls\n", "glass is:", g_ms > 0 ? p_ms / g_ms : 0.0,
	       glass_calls ? (double)pd_calls / (double)glass_calls : 0.0);
	/* For run.sh's table row: domains glass_ms per_domain_ms glass_calls
	 * per_domain_calls bulk */
	printf("RESULT %zu %.3f %.3f %.1f %.1f %s\n", n_vms, g_ms, p_ms, (double)glass_calls / refreshes,
	       (double)pd_calls / refreshes, bulk ? "bulk" : "no-bulk");
	group_costs(conn, refreshes);
	virConnectClose(conn);
	for (size_t i = 0; i < n_cache; i++) {
		for (size_t k = 0; k < cache[i].n; k++)
			free(cache[i].devs[k]);
		free(cache[i].devs);
	}
	free(cache);
	return 0;
}
