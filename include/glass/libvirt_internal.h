/* libvirt_internal.h: shared by the parts of the libvirt source
 * (libvirt.c: connection and host; libvirt_domains.c: the domains). */
#ifndef GLASS_LIBVIRT_INTERNAL_H
#define GLASS_LIBVIRT_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>

#include <libvirt/libvirt.h>

#include "glass/errbuf.h"
#include "glass/idmap.h"
#include "glass/reading.h"

struct libvirt_priv {
	char *uri;      /* as given: may hold secrets, never printed */
	char *open_uri; /* what is opened (no_tty added for ssh) */
	virConnectPtr conn;
	atomic_int closed;       /* set by the close callback (event thread) */
	atomic_int close_reason; /* VIR_CONNECT_CLOSE_REASON_* */
	bool close_cb_registered;
	char *host_name; /* hypervisor's name: hostname, or test-<fixture> */
	char *host_id;   /* host:<host_name> */
	unsigned long calls; /* during the current sample */
	unsigned long last_calls;
	bool have_info;       /* virNodeGetInfo asked on this connection */
	virNodeInfo info;     /* its answer: cpus and memory do not change under it */
	int node_cpu_nparams; /* 0: not asked yet; -1: unsupported */
	int node_mem_nparams; /* the same for virNodeGetMemoryStats */
	bool no_bulk;         /* virConnectGetAllDomainStats unsupported or useless */
	bool no_nowait;       /* the driver refuses ..._STATS_NOWAIT */
	int bulk_cpu_missing; /* running domains without cpu.time in bulk, minus with */
	bool no_dom_mem;      /* virDomainMemoryStats unsupported */
	bool no_dev_stats;    /* interface/block stats unsupported */
	unsigned int bulk_skip; /* groups cheaper per domain on this driver (cost probe) */
	uint64_t probe_bulk_ns, probe_each_ns; /* the last probe of block stats */
	struct idmap *devcache; /* uuid -> struct libvirt_devs */
	unsigned long sample_no;
	struct libvirt_events *events; /* NULL: the XML is re-read on a timer */
	unsigned long xml_epoch;       /* a domain's XML read in another is stale */
};

/* Sets err from libvirt's last error of this thread, scrubbed of the
 * URI's secrets; returns -1. */
int libvirt_fail(struct libvirt_priv *p, struct errbuf *err, const char *what);
/* True when the last error says the driver lacks the call. */
bool libvirt_last_error_unsupported(void);

/* The namespace of glass's domain metadata:
 * <glass:owner xmlns:glass="urn:glass:1">team-a</glass:owner>. */
#define LIBVIRT_OWNER_NS "urn:glass:1"
/* The text of the first element of a metadata document, entities undone,
 * trimmed; NULL when empty.  The caller's string. */
char *libvirt_metadata_text(const char *xml);

/* libvirt_xml.c: parts of a domain's XML (virDomainGetXMLDesc).
 * Names of every <kind> device: the target dev, else (an interface of a
 * stopped guest) the MAC address; appended to *names. */
void libvirt_xml_devices(const char *xml, const char *kind, char ***names, size_t *n);
/* The MAC address of every <interface>; appended to *macs. */
void libvirt_xml_macs(const char *xml, char ***macs, size_t *n);
/* Who the domain belongs to: the text of <metadata>'s element in the
 * urn:glass:1 namespace (what virDomainGetMetadata would give), else its
 * <title>; NULL when neither.  *source says which ("libvirt-metadata",
 * "libvirt-title", static) or NULL.  The caller's string. */
char *libvirt_xml_owner(const char *xml, const char **source);

/* libvirt_events.c: domains whose XML changed, from libvirt's events.
 * NULL when the connection cannot deliver them all. */
struct libvirt_events *libvirt_events_register(virConnectPtr conn);
void libvirt_events_deregister(struct libvirt_events *ev, virConnectPtr conn);
/* Calls fn for every domain (uuid) that changed since the last drain;
 * false instead when too many did: then every domain is stale. */
bool libvirt_events_drain(struct libvirt_events *ev, void (*fn)(const char *uuid, void *arg),
			  void *arg);

/* Adds a vm node per domain under the host node. */
int libvirt_sample_domains(struct libvirt_priv *p, struct reading *out, struct errbuf *err);
void libvirt_devcache_free(struct libvirt_priv *p);

#endif
