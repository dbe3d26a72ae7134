/* Which domains' XML changed since the last sample, from libvirt's domain
 * events: a started, stopped or redefined domain, a device plugged in or
 * out, glass's metadata or the title set.  The XML (devices, MACs,
 * owner) is then read again for those domains only, instead of every
 * domain every DEVCACHE_REFRESH samples on the refresh path.  The
 * callbacks run on the event loop's thread; the sampler drains the list. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "glass/libvirt_internal.h"
#include "glass/xalloc.h"

/* More changes than this between two samples: every domain is re-read. */
#define EVENTS_MAX 4096

struct libvirt_events {
	atomic_int refs; /* the source's, and one per registered callback */
	pthread_mutex_t lock;
	char (*uuids)[VIR_UUID_STRING_BUFLEN];
	size_t n, cap;
	bool all; /* overflowed: everything is stale */
	int ids[4];
	int n_ids;
};

static void events_unref(void *opaque)
{
	struct libvirt_events *ev = opaque;

	if (atomic_fetch_sub(&ev->refs, 1) != 1)
		return;
	pthread_mutex_destroy(&ev->lock);
	free(ev->uuids);
	free(ev);
}

static void mark(struct libvirt_events *ev, virDomainPtr dom)
{
	char uuid[VIR_UUID_STRING_BUFLEN];

	if (virDomainGetUUIDString(dom, uuid) < 0) {
		virResetLastError();
		pthread_mutex_lock(&ev->lock);
		ev->all = true;
		pthread_mutex_unlock(&ev->lock);
		return;
	}
	pthread_mutex_lock(&ev->lock);
	if (ev->n >= EVENTS_MAX) {
		ev->all = true;
	} else if (!ev->all) {
		if (ev->n == ev->cap) {
			ev->cap = ev->cap ? ev->cap * 2 : 16;
			ev->uuids = xreallocarray(ev->uuids, ev->cap, sizeof(*ev->uuids));
		}
		memcpy(ev->uuids[ev->n++], uuid, sizeof(uuid));
	}
	pthread_mutex_unlock(&ev->lock);
}

static int on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
	(void)conn;
	(void)detail;
	/* a pause or resume leaves the XML as it was */
	if (event == VIR_DOMAIN_EVENT_DEFINED || event == VIR_DOMAIN_EVENT_UNDEFINED ||
	    event == VIR_DOMAIN_EVENT_STARTED || event == VIR_DOMAIN_EVENT_STOPPED)
		mark(opaque, dom);
	return 0;
}

static void on_metadata(virConnectPtr conn, virDomainPtr dom, int type, const char *nsuri,
			void *opaque)
{
	(void)conn;
	/* the owner is glass's element, else the title */
	if (type == VIR_DOMAIN_METADATA_TITLE ||
	    (type == VIR_DOMAIN_METADATA_ELEMENT && (!nsuri || strcmp(nsuri, LIBVIRT_OWNER_NS) == 0)))
		mark(opaque, dom);
}

static void on_device(virConnectPtr conn, virDomainPtr dom, const char *alias, void *opaque)
{
	(void)conn;
	(void)alias;
	mark(opaque, dom);
}

struct libvirt_events *libvirt_events_register(virConnectPtr conn)
{
	static const struct {
		int id;
		virConnectDomainEventGenericCallback cb;
	} want[] = {
		{VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle)},
		{VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, VIR_DOMAIN_EVENT_CALLBACK(on_metadata)},
		{VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, VIR_DOMAIN_EVENT_CALLBACK(on_device)},
		{VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, VIR_DOMAIN_EVENT_CALLBACK(on_device)},
	};
	struct libvirt_events *ev = xcalloc(1, sizeof(*ev));

	atomic_init(&ev->refs, 1);
	pthread_mutex_init(&ev->lock, NULL);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		atomic_fetch_add(&ev->refs, 1);
		int id = virConnectDomainEventRegisterAny(conn, NULL, want[i].id, want[i].cb, ev,
							  events_unref);
		if (id < 0) {
			/* without every one of them a change could go unseen:
			 * the caller re-reads on a timer instead */
			atomic_fetch_sub(&ev->refs, 1);
			virResetLastError();
			libvirt_events_deregister(ev, conn);
			return NULL;
		}
		ev->ids[ev->n_ids++] = id;
	}
	return ev;
}

void libvirt_events_deregister(struct libvirt_events *ev, virConnectPtr conn)
{
	if (!ev)
		return;
	for (int i = 0; i < ev->n_ids; i++)
		if (virConnectDomainEventDeregisterAny(conn, ev->ids[i]) < 0)
			virResetLastError();
	ev->n_ids = 0;
	events_unref(ev);
}

bool libvirt_events_drain(struct libvirt_events *ev, void (*fn)(const char *uuid, void *arg),
			  void *arg)
{
	char (*uuids)[VIR_UUID_STRING_BUFLEN];
	size_t n;
	bool all;

	pthread_mutex_lock(&ev->lock);
	uuids = ev->uuids;
	n = ev->n;
	all = ev->all;
	ev->uuids = NULL;
	ev->n = ev->cap = 0;
	ev->all = false;
	pthread_mutex_unlock(&ev->lock);
	for (size_t i = 0; i < n && !all; i++)
		fn(uuids[i], arg);
	free(uuids);
	return !all;
}
