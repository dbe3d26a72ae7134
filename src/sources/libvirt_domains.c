/* The domains of one hypervisor: bulk stats first, per-domain calls only
 * for the groups the driver did not return (DESIGN.md §8). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "glass/clock.h"
#include "glass/libvirt_internal.h"
#include "glass/value.h"
#include "glass/xalloc.h"

/* Device names come from the domain XML (one call); they change rarely,
 * so they are re-read only this often (in samples) or for a new domain. */
#define DEVCACHE_REFRESH 30

#define BULK_GROUPS                                                                      \
	(VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_BALLOON | \
	 VIR_DOMAIN_STATS_INTERFACE | VIR_DOMAIN_STATS_BLOCK)

struct libvirt_devs {
	char **disks;
	size_t n_disks;
	char **nets;
	size_t n_nets;
	char **macs; /* the interfaces' MAC addresses: the guest join's hint */
	size_t n_macs;
	bool no_mem; /* virDomainMemoryStats failed at no_mem_at: not again for a while */
	unsigned long no_mem_at;
	bool have_xml;
	int vcpus; /* last known vCPU count; -1: none yet */
	char *owner;             /* from the XML's metadata or title; NULL: none */
	const char *owner_source; /* static: libvirt-metadata, libvirt-title */
	unsigned long read_at;    /* sample number of the XML read */
	unsigned long xml_epoch;  /* the connection's epoch at that read */
	unsigned long seen_at;
};

static void devs_clear(struct libvirt_devs *d);

static void devs_free(void *v)
{
	struct libvirt_devs *d = v;

	devs_clear(d);
	free(d->owner);
	free(d);
}

void libvirt_devcache_free(struct libvirt_priv *p)
{
	idmap_free(p->devcache, devs_free);
	p->devcache = NULL;
}

static const char *state_name(int s)
{
	switch (s) {
	case VIR_DOMAIN_NOSTATE: return "no state";
	case VIR_DOMAIN_RUNNING: return "running";
	case VIR_DOMAIN_BLOCKED: return "blocked";
	case VIR_DOMAIN_PAUSED: return "paused";
	case VIR_DOMAIN_SHUTDOWN: return "shutting down";
	case VIR_DOMAIN_SHUTOFF: return "shut off";
	case VIR_DOMAIN_CRASHED: return "crashed";
	case VIR_DOMAIN_PMSUSPENDED: return "suspended";
	default: return "unknown";
	}
}

/* What glass remembers of a domain between samples (no call). */
static struct libvirt_devs *dom_cache(struct libvirt_priv *p, const char *uuid)
{
	struct libvirt_devs *d = idmap_get(p->devcache, uuid);

	if (!d) {
		d = xcalloc(1, sizeof(*d));
		d->vcpus = -1;
		idmap_put(p->devcache, uuid, d);
	}
	d->seen_at = p->sample_no;
	return d;
}

static void devs_clear(struct libvirt_devs *d)
{
	for (size_t i = 0; i < d->n_disks; i++)
		free(d->disks[i]);
	for (size_t i = 0; i < d->n_nets; i++)
		free(d->nets[i]);
	for (size_t i = 0; i < d->n_macs; i++)
		free(d->macs[i]);
	free(d->disks);
	free(d->nets);
	free(d->macs);
	d->disks = d->nets = d->macs = NULL;
	d->n_disks = d->n_nets = d->n_macs = 0;
}

/* The domain's devices and owner, from its XML.  Read for a domain new
 * to glass, and again when libvirt's events say it changed; without
 * events (a driver that has none), every DEVCACHE_REFRESH samples, at a
 * sample spread by uuid so that a thousand domains seen at once are not
 * read again at once. */
static struct libvirt_devs *devices_of(struct libvirt_priv *p, virDomainPtr dom, const char *uuid)
{
	struct libvirt_devs *d = dom_cache(p, uuid);

	if (d->have_xml && d->xml_epoch == p->xml_epoch &&
	    (p->events || p->sample_no - d->read_at < DEVCACHE_REFRESH))
		return d;
	p->calls++;
	char *xml = virDomainGetXMLDesc(dom, 0);
	if (!xml) {
		virResetLastError();
		return d;
	}
	devs_clear(d);
	d->no_mem = false;
	const char *devices = strstr(xml, "<devices>");
	if (devices) {
		libvirt_xml_devices(devices, "disk", &d->disks, &d->n_disks);
		libvirt_xml_devices(devices, "interface", &d->nets, &d->n_nets);
		libvirt_xml_macs(devices, &d->macs, &d->n_macs);
	}
	free(d->owner);
	d->owner = libvirt_xml_owner(xml, &d->owner_source);
	free(xml);
	if (!d->have_xml) {
		unsigned long h = 0;
		for (const char *c = uuid; *c; c++)
			h = h * 31 + (unsigned char)*c;
		d->read_at = p->sample_no - h % DEVCACHE_REFRESH;
	} else {
		d->read_at = p->sample_no;
	}
	d->have_xml = true;
	d->xml_epoch = p->xml_epoch;
	return d;
}

static void xml_changed(const char *uuid, void *arg)
{
	struct libvirt_priv *p = arg;
	struct libvirt_devs *d = idmap_get(p->devcache, uuid);

	if (d)
		d->have_xml = false;
}

static int keep_seen(void *value, void *arg)
{
	const struct libvirt_devs *d = value;
	const unsigned long *sample_no = arg;

	return d->seen_at == *sample_no;
}

static uint64_t counter(long long v)
{
	return v < 0 ? GLASS_U64_UNKNOWN : (uint64_t)v;
}

/* Adds a device's counters to the node's sums (unknown stays unknown). */
static void add_dev(struct raw_node *n, enum raw_dev_kind kind, const char *name, uint64_t rd,
		    uint64_t wr)
{
	struct raw_dev *d = raw_node_add_dev(n, kind, name);
	uint64_t *sum_r = kind == RAW_DEV_DISK ? &n->disk_read_bytes : &n->net_rx_bytes;
	uint64_t *sum_w = kind == RAW_DEV_DISK ? &n->disk_write_bytes : &n->net_tx_bytes;

	d->read_bytes = rd;
	d->write_bytes = wr;
	*sum_r = value_u64_known(*sum_r) && value_u64_known(rd) ? *sum_r + rd : GLASS_U64_UNKNOWN;
	*sum_w = value_u64_known(*sum_w) && value_u64_known(wr) ? *sum_w + wr : GLASS_U64_UNKNOWN;
}

static uint64_t param_ull(virTypedParameterPtr params, int np, const char *key)
{
	unsigned long long v;

	if (params && virTypedParamsGetULLong(params, np, key, &v) == 1)
		return (uint64_t)v;
	return GLASS_U64_UNKNOWN;
}

/* Devices from the bulk stats: prefix is "net" or "block". */
static bool bulk_devices(struct raw_node *n, virTypedParameterPtr params, int np,
			 const char *prefix, enum raw_dev_kind kind)
{
	unsigned int count;
	char key[64];

	if (!params || virTypedParamsGetUInt(params, np, kind == RAW_DEV_NET ? "net.count" : "block.count", &count) != 1)
		return false;
	uint64_t *sum_r = kind == RAW_DEV_DISK ? &n->disk_read_bytes : &n->net_rx_bytes;
	uint64_t *sum_w = kind == RAW_DEV_DISK ? &n->disk_write_bytes : &n->net_tx_bytes;
	*sum_r = *sum_w = 0;
	for (unsigned int i = 0; i < count; i++) {
		const char *name = NULL;
		snprintf(key, sizeof(key), "%s.%u.name", prefix, i);
		if (virTypedParamsGetString(params, np, key, &name) != 1 || !name)
			continue;
		snprintf(key, sizeof(key), kind == RAW_DEV_NET ? "%s.%u.rx.bytes" : "%s.%u.rd.bytes", prefix, i);
		uint64_t rd = param_ull(params, np, key);
		snprintf(key, sizeof(key), kind == RAW_DEV_NET ? "%s.%u.tx.bytes" : "%s.%u.wr.bytes", prefix, i);
		uint64_t wr = param_ull(params, np, key);
		add_dev(n, kind, name, rd, wr);
	}
	return true;
}

static void fallback_devices(struct libvirt_priv *p, struct raw_node *n, virDomainPtr dom,
			     const char *uuid, bool need_disks, bool need_nets)
{
	struct libvirt_devs *d = devices_of(p, dom, uuid);

	if (!d)
		return;
	if (need_disks) {
		n->disk_read_bytes = n->disk_write_bytes = 0;
		for (size_t i = 0; i < d->n_disks && !p->no_dev_stats; i++) {
			virDomainBlockStatsStruct bs;
			p->calls++;
			if (virDomainBlockStats(dom, d->disks[i], &bs, sizeof(bs)) < 0) {
				if (libvirt_last_error_unsupported())
					p->no_dev_stats = true;
				virResetLastError();
				add_dev(n, RAW_DEV_DISK, d->disks[i], GLASS_U64_UNKNOWN, GLASS_U64_UNKNOWN);
				continue;
			}
			add_dev(n, RAW_DEV_DISK, d->disks[i], counter(bs.rd_bytes), counter(bs.wr_bytes));
		}
	}
	if (need_nets) {
		n->net_rx_bytes = n->net_tx_bytes = 0;
		for (size_t i = 0; i < d->n_nets && !p->no_dev_stats; i++) {
			virDomainInterfaceStatsStruct is;
			p->calls++;
			if (virDomainInterfaceStats(dom, d->nets[i], &is, sizeof(is)) < 0) {
				if (libvirt_last_error_unsupported())
					p->no_dev_stats = true;
				virResetLastError();
				add_dev(n, RAW_DEV_NET, d->nets[i], GLASS_U64_UNKNOWN, GLASS_U64_UNKNOWN);
				continue;
			}
			add_dev(n, RAW_DEV_NET, d->nets[i], counter(is.rx_bytes), counter(is.tx_bytes));
		}
	}
}

/* Guest memory in use: what the balloon driver says the guest holds
 * (available - usable, like a host's total - MemAvailable; else
 * available - unused), else the host's RSS of the VM. */
static void set_mem_used(struct raw_node *n, uint64_t avail, uint64_t usable, uint64_t unused,
			 uint64_t rss)
{
	if (value_u64_known(avail) && value_u64_known(usable) && usable <= avail) {
		n->mem_used = (avail - usable) * 1024;
		n->mem_source = "guest";
	} else if (value_u64_known(avail) && value_u64_known(unused) && unused <= avail) {
		n->mem_used = (avail - unused) * 1024;
		n->mem_source = "guest";
	} else if (value_u64_known(rss)) {
		n->mem_used = rss * 1024;
		n->mem_source = "rss";
	}
}

static void fallback_memory(struct libvirt_priv *p, struct raw_node *n, virDomainPtr dom,
			    const char *uuid)
{
	struct libvirt_devs *d = devices_of(p, dom, uuid);
	virDomainMemoryStatStruct st[VIR_DOMAIN_MEMORY_STAT_NR];
	uint64_t avail = GLASS_U64_UNKNOWN, usable = GLASS_U64_UNKNOWN;
	uint64_t unused = GLASS_U64_UNKNOWN, rss = GLASS_U64_UNKNOWN;

	if (d && d->no_mem && p->sample_no - d->no_mem_at < DEVCACHE_REFRESH)
		return;
	p->calls++;
	int k = virDomainMemoryStats(dom, st, VIR_DOMAIN_MEMORY_STAT_NR, 0);
	if (k < 0) {
		/* A domain without a balloon fails every time: ask again only
		 * when its XML is read again. */
		if (libvirt_last_error_unsupported())
			p->no_dom_mem = true;
		else if (d) {
			d->no_mem = true;
			d->no_mem_at = p->sample_no;
		}
		virResetLastError();
		return;
	}
	for (int i = 0; i < k; i++) {
		switch (st[i].tag) {
		case VIR_DOMAIN_MEMORY_STAT_AVAILABLE: avail = st[i].val; break;
		case VIR_DOMAIN_MEMORY_STAT_USABLE: usable = st[i].val; break;
		case VIR_DOMAIN_MEMORY_STAT_UNUSED: unused = st[i].val; break;
		case VIR_DOMAIN_MEMORY_STAT_RSS: rss = st[i].val; break;
		default: break;
		}
	}
	set_mem_used(n, avail, usable, unused, rss);
}

static void sample_domain(struct libvirt_priv *p, struct reading *out, virDomainPtr dom,
			  virTypedParameterPtr params, int np)
{
	char uuid[VIR_UUID_STRING_BUFLEN];
	const char *name = virDomainGetName(dom);
	int state = -1;
	unsigned int vcpus;

	if (virDomainGetUUIDString(dom, uuid) < 0) {
		virResetLastError();
		return;
	}
	char *id = xasprintf("vm:%s/%s", p->host_name, uuid);
	struct raw_node *n = reading_add_node(out, NODE_VM, id, p->host_id, name ? name : uuid);
	free(id);
	raw_node_set_runtime(n, "libvirt");
	/* identity hints for the guest join: the domain UUID and its NICs'
	 * MACs (the XML is read once per DEVCACHE_REFRESH samples) */
	struct identity *ident = &raw_node_more(n)->ident;
	identity_set_uuid(ident, uuid);
	struct libvirt_devs *ids = devices_of(p, dom, uuid);
	for (size_t i = 0; i < ids->n_macs; i++)
		identity_add_mac(ident, ids->macs[i]);
	if (params && virTypedParamsGetInt(params, np, "state.state", &state) != 1)
		state = -1;
	struct libvirt_devs *cache = dom_cache(p, uuid);
	if (params && virTypedParamsGetUInt(params, np, "vcpu.current", &vcpus) == 1)
		cache->vcpus = (int)vcpus;
	/* The vcpu group is asked only now and then (it costs the qemu
	 * driver a monitor command per domain): the count is remembered. */
	if (cache->vcpus >= 0)
		n->cpu_cores_allocated = (double)cache->vcpus;
	raw_node_set_owner(n, cache->owner, cache->owner_source);
	n->cpu_time_ns = param_ull(params, np, "cpu.time");
	/* Allocated is what the VM holds now: a host that ballooned it down
	 * (virsh setmem) has that memory back.  The maximum is what it may
	 * be given again. */
	uint64_t cur_kib = param_ull(params, np, "balloon.current");
	uint64_t max_kib = param_ull(params, np, "balloon.maximum");
	if (value_u64_known(cur_kib))
		n->mem_allocated = cur_kib * 1024;
	if (value_u64_known(max_kib))
		n->mem_max = max_kib * 1024;

	bool missing_cpu = !value_u64_known(n->cpu_time_ns) && state != VIR_DOMAIN_SHUTOFF;
	if (params && state == VIR_DOMAIN_RUNNING)
		p->bulk_cpu_missing += missing_cpu ? 1 : -1;
	if (state < 0 || missing_cpu || !value_known(n->cpu_cores_allocated) ||
	    !value_u64_known(n->mem_allocated) || !value_u64_known(n->mem_max)) {
		virDomainInfo info;
		p->calls++;
		if (virDomainGetInfo(dom, &info) == 0) {
			if (state < 0)
				state = info.state;
			if (!value_known(n->cpu_cores_allocated)) {
				n->cpu_cores_allocated = (double)info.nrVirtCpu;
				cache->vcpus = (int)info.nrVirtCpu;
			}
			if (!value_u64_known(n->mem_allocated))
				n->mem_allocated = (uint64_t)info.memory * 1024;
			if (!value_u64_known(n->mem_max))
				n->mem_max = (uint64_t)info.maxMem * 1024;
			if (missing_cpu)
				n->cpu_time_ns = info.cpuTime;
		} else {
			virResetLastError();
		}
	}
	if (state >= 0)
		raw_node_set_state(n, state_name(state));
	bool active = state >= 0 && state != VIR_DOMAIN_SHUTOFF;
	/* A domain that is shut off runs nothing, whatever a driver's
	 * counter says (the test driver's clock-based cpuTime keeps going). */
	if (state == VIR_DOMAIN_SHUTOFF)
		n->cpu_time_ns = 0;

	set_mem_used(n, param_ull(params, np, "balloon.available"),
		     param_ull(params, np, "balloon.usable"), param_ull(params, np, "balloon.unused"),
		     param_ull(params, np, "balloon.rss"));
	if (!value_u64_known(n->mem_used) && active && !p->no_dom_mem &&
	    !value_u64_known(param_ull(params, np, "balloon.current")))
		fallback_memory(p, n, dom, uuid);
	/* A guest that does not run does not update its balloon statistics:
	 * they are its last words, not what it holds now. */
	if ((state == VIR_DOMAIN_PAUSED || state == VIR_DOMAIN_PMSUSPENDED) && n->mem_source &&
	    strcmp(n->mem_source, "guest") == 0)
		n->mem_source = "guest-stale";

	bool have_nets = bulk_devices(n, params, np, "net", RAW_DEV_NET);
	bool have_disks = bulk_devices(n, params, np, "block", RAW_DEV_DISK);
	if (active && (!have_nets || !have_disks) && !p->no_dev_stats)
		fallback_devices(p, n, dom, uuid, !have_disks, !have_nets);
}

/* Domains the cost probe times per-disk calls on. */
#define PROBE_DOMAINS 4

static uint64_t time_bulk(struct libvirt_priv *p, unsigned int group)
{
	virDomainStatsRecordPtr *records = NULL;
	uint64_t t0 = clock_mono_ns();

	p->calls++;
	if (virConnectGetAllDomainStats(p->conn, group, &records,
					p->no_nowait ? 0 : VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT) < 0) {
		virResetLastError();
		return UINT64_MAX;
	}
	virDomainStatsRecordListFree(records);
	return clock_mono_ns() - t0;
}

/* Whether block stats are cheaper asked per disk than in bulk, on this
 * driver, now.  The qemu driver's bulk block group asks QEMU's monitor of
 * every domain, even of a guest without disks; per domain, glass asks
 * only the disks its XML lists.  Over a network one bulk call beats a
 * round trip per disk.  So glass measures: the group alone in bulk
 * against the per-disk calls of a few domains, scaled to all, and asks
 * per disk only when that costs less than half (a margin, so noise does
 * not flip it back and forth).  Run every DEVCACHE_REFRESH samples; it
 * costs one bulk call and a few per-disk ones.  (cpu.time stays in bulk:
 * virDomainGetInfo is cheaper on qemu but reads another counter, the
 * process's /proc times, not the cgroup's that virsh domstats shows.) */
static void cost_probe(struct libvirt_priv *p, virDomainStatsRecordPtr *records, int k)
{
	uint64_t each = 0;
	int active = 0, probed = 0;

	for (int i = 0; i < k; i++) {
		int state = -1;
		virTypedParamsGetInt(records[i]->params, records[i]->nparams, "state.state", &state);
		if (state == VIR_DOMAIN_SHUTOFF)
			continue;
		active++;
		if (probed >= PROBE_DOMAINS)
			continue;
		virDomainPtr dom = records[i]->dom;
		char uuid[VIR_UUID_STRING_BUFLEN];
		if (virDomainGetUUIDString(dom, uuid) < 0) {
			virResetLastError();
			continue;
		}
		struct libvirt_devs *d = devices_of(p, dom, uuid);
		uint64_t t0 = clock_mono_ns();
		for (size_t j = 0; d && j < d->n_disks; j++) {
			virDomainBlockStatsStruct bs;
			p->calls++;
			if (virDomainBlockStats(dom, d->disks[j], &bs, sizeof(bs)) < 0)
				virResetLastError();
		}
		each += clock_mono_ns() - t0;
		probed++;
	}
	if (!probed)
		return;
	p->probe_bulk_ns = time_bulk(p, VIR_DOMAIN_STATS_BLOCK);
	p->probe_each_ns = each / (uint64_t)probed * (uint64_t)active;
	if (p->probe_each_ns < p->probe_bulk_ns / 2)
		p->bulk_skip |= VIR_DOMAIN_STATS_BLOCK;
	else
		p->bulk_skip &= ~VIR_DOMAIN_STATS_BLOCK;
}

/* One bulk call, on a thread of its own. */
struct bulk_call {
	virConnectPtr conn;
	unsigned int groups, flags;
	virDomainStatsRecordPtr *records;
	int k;
};

static void *bulk_call_main(void *arg)
{
	struct bulk_call *b = arg;

	b->records = NULL;
	b->k = virConnectGetAllDomainStats(b->conn, b->groups, &b->records, b->flags);
	if (b->k < 0) {
		b->records = NULL;
		virResetLastError();
	}
	return NULL;
}

/* The domains' statistics from the main call's records, with each one's
 * balloon group from the call beside it (matched by uuid). */
static void sample_merged(struct libvirt_priv *p, struct reading *out,
			  virDomainStatsRecordPtr *records, int k, const struct bulk_call *side)
{
	struct idmap *by_uuid = idmap_new();
	char uuid[VIR_UUID_STRING_BUFLEN];
	virTypedParameterPtr merged = NULL;
	size_t cap = 0;

	for (int i = 0; i < side->k; i++)
		if (virDomainGetUUIDString(side->records[i]->dom, uuid) == 0)
			idmap_put(by_uuid, uuid, side->records[i]);
	virResetLastError();
	for (int i = 0; i < k; i++) {
		virDomainStatsRecordPtr a = records[i], b = NULL;
		if (virDomainGetUUIDString(a->dom, uuid) == 0)
			b = idmap_get(by_uuid, uuid);
		else
			virResetLastError();
		if (!b || b->nparams <= 0) {
			sample_domain(p, out, a->dom, a->params, a->nparams);
			continue;
		}
		/* a shallow copy: the strings stay the records' */
		size_t n = (size_t)a->nparams + (size_t)b->nparams;
		if (n > cap) {
			cap = n;
			merged = xreallocarray(merged, cap, sizeof(*merged));
		}
		if (a->nparams > 0)
			memcpy(merged, a->params, (size_t)a->nparams * sizeof(*merged));
		memcpy(merged + a->nparams, b->params, (size_t)b->nparams * sizeof(*merged));
		sample_domain(p, out, a->dom, merged, (int)n);
	}
	free(merged);
	idmap_free(by_uuid, NULL);
}

int libvirt_sample_domains(struct libvirt_priv *p, struct reading *out, struct errbuf *err)
{
	if (p->events && !libvirt_events_drain(p->events, xml_changed, p))
		p->xml_epoch++;
	if (!p->no_bulk) {
		virDomainStatsRecordPtr *records = NULL;
		unsigned int groups = BULK_GROUPS & ~p->bulk_skip;
		if (p->sample_no % DEVCACHE_REFRESH == 1)
			groups |= VIR_DOMAIN_STATS_VCPU;
		/* NOWAIT: a domain busy with a job (a migration, a hung
		 * monitor) gives what it has at once instead of holding up
		 * the whole hypervisor's answer. */
		unsigned int flags = p->no_nowait ? 0 : VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT;
		/* The balloon group is asked beside the rest: the hypervisor
		 * works through the domains once per call (qemu: a monitor
		 * command per domain for the balloon, the cgroup's files for the
		 * cpu), so two calls in flight end when the longer does, not
		 * after both.  Over a network that is one round trip either way. */
		struct bulk_call side = {p->conn, VIR_DOMAIN_STATS_BALLOON, flags, NULL, -1};
		pthread_t helper;
		bool split = (groups & VIR_DOMAIN_STATS_BALLOON) && (groups & ~VIR_DOMAIN_STATS_BALLOON) &&
			     pthread_create(&helper, NULL, bulk_call_main, &side) == 0;
		if (split) {
			groups &= ~VIR_DOMAIN_STATS_BALLOON;
			p->calls++;
		}
		p->calls++;
		p->bulk_cpu_missing = 0;
		int k = virConnectGetAllDomainStats(p->conn, groups, &records, flags);
		if (k < 0 && !p->no_nowait && virGetLastErrorCode() == VIR_ERR_INVALID_ARG) {
			virResetLastError();
			p->no_nowait = true; /* a driver older than the flag */
			flags = 0;
			p->calls++;
			k = virConnectGetAllDomainStats(p->conn, groups, &records, 0);
		}
		if (split)
			pthread_join(helper, NULL);
		if (k >= 0 && split && side.k < 0) {
			/* it failed beside (the NOWAIT flag refused, say): once more */
			p->calls++;
			side.flags = flags;
			bulk_call_main(&side);
		}
		if (k < 0 && side.records) {
			virDomainStatsRecordListFree(side.records);
			side.records = NULL;
		}
		if (k >= 0) {
			if (split)
				sample_merged(p, out, records, k, &side);
			else
				for (int i = 0; i < k; i++)
					sample_domain(p, out, records[i]->dom, records[i]->params,
						      records[i]->nparams);
			if (p->sample_no % DEVCACHE_REFRESH == 2 && p->bulk_cpu_missing <= 0)
				cost_probe(p, records, k);
			virDomainStatsRecordListFree(records);
			if (side.records)
				virDomainStatsRecordListFree(side.records);
			/* A driver whose bulk answer lacks the cpu of every running
			 * domain (the test driver: state only) gains nothing from
			 * it: list the domains and ask each instead. */
			if (p->bulk_cpu_missing > 0 && k > 0)
				p->no_bulk = true;
			idmap_sweep(p->devcache, keep_seen, &p->sample_no, devs_free);
			return 0;
		}
		if (!libvirt_last_error_unsupported())
			return libvirt_fail(p, err, "cannot read domain stats");
		virResetLastError();
		p->no_bulk = true;
	}
	virDomainPtr *doms = NULL;
	p->calls++;
	int k = virConnectListAllDomains(p->conn, &doms, 0);
	if (k < 0)
		return libvirt_fail(p, err, "cannot list domains");
	for (int i = 0; i < k; i++) {
		sample_domain(p, out, doms[i], NULL, 0);
		virDomainFree(doms[i]);
	}
	free(doms);
	idmap_sweep(p->devcache, keep_seen, &p->sample_no, devs_free);
	return 0;
}
