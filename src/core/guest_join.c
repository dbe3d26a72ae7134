#include "glass/guest_join.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "glass/errbuf.h"
#include "glass/strbuf.h"
#include "glass/value.h"
#include "glass/xalloc.h"

/* Notes name a few candidates; a site with more says how many. */
#define NOTE_NAMES 3

struct vm_ref {
	struct node *vm;
	struct node *host; /* the top-level host it runs on */
	struct node *taken_by; /* the guest host picked for it; NULL */
	size_t pickers;        /* hosts whose match is this VM */
};

struct host_pick {
	struct node *host;
	struct vm_ref *vm; /* NULL: none, or ambiguous */
	const char *by;
};

struct join {
	struct vm_ref *vms;
	size_t n_vms;
};

static void collect_vms(struct join *j, struct node *top, struct node *n)
{
	if (n->kind == NODE_VM) {
		j->vms = xreallocarray(j->vms, j->n_vms + 1, sizeof(*j->vms));
		j->vms[j->n_vms++] = (struct vm_ref){n, top, NULL, 0};
	}
	for (size_t i = 0; i < n->n_children; i++)
		collect_vms(j, top, n->children[i]);
}

static void set_note(struct node *n, const char *note)
{
	struct node_extra *x = node_extra(n);

	free(x->join_note);
	x->join_note = xstrdup(note);
}

/* A host's name against a VM's: the whole name, or its first label
 * (web1.example.com is the domain web1). */
static bool name_matches(const char *host, const char *vm)
{
	size_t hl = strcspn(host, ".");

	return strcmp(host, vm) == 0 || (strlen(vm) == hl && strncmp(host, vm, hl) == 0);
}

static bool vm_matches(const struct node *h, const struct vm_ref *v, unsigned way)
{
	switch (way) {
	case GUEST_MATCH_UUID: return identity_uuid_match(&h->ident, &v->vm->ident);
	case GUEST_MATCH_MAC: return identity_mac_common(&h->ident, &v->vm->ident) != NULL;
	case GUEST_MATCH_NAME: return name_matches(h->name, v->vm->name);
	default: return false;
	}
}

static const char *way_name(unsigned way)
{
	return way == GUEST_MATCH_UUID ? "uuid" : way == GUEST_MATCH_MAC ? "mac" : "name";
}

/* The VM a config link names: its id, or vm:<host>/<name>. */
static struct vm_ref *find_linked(struct join *j, const char *spec)
{
	const char *slash = strrchr(spec, '/');

	for (size_t i = 0; i < j->n_vms; i++)
		if (strcmp(j->vms[i].vm->id, spec) == 0)
			return &j->vms[i];
	if (strncmp(spec, "vm:", 3) != 0 || !slash)
		return NULL;
	for (size_t i = 0; i < j->n_vms; i++) {
		const struct node *vm = j->vms[i].vm;
		size_t prefix = (size_t)(slash - spec) + 1;
		if (strncmp(vm->id, spec, prefix) == 0 && strcmp(vm->name, slash + 1) == 0)
			return &j->vms[i];
	}
	return NULL;
}

static const struct guest_link *link_of(const struct tree *t, const struct node *h,
					const struct guest_policy *pol)
{
	if (h->source < 0 || (size_t)h->source >= t->n_sources)
		return NULL;
	for (size_t i = 0; i < pol->n_links; i++)
		if (strcmp(pol->links[i].source, t->sources[h->source].name) == 0)
			return &pol->links[i];
	return NULL;
}

/* The candidates of host h by one way of matching, into cands (n_vms
 * slots); returns how many. */
static size_t candidates(struct join *j, const struct node *h, unsigned way, struct vm_ref **cands)
{
	size_t n = 0;

	for (size_t i = 0; i < j->n_vms; i++) {
		struct vm_ref *v = &j->vms[i];
		/* a host is never the guest of a VM it runs itself */
		if (v->host != h && !v->taken_by && vm_matches(h, v, way))
			cands[n++] = v;
	}
	return n;
}

/* "not joined: 2 VMs match by mac: a, b" on the host, and on each VM
 * which other candidates stood beside it. */
static void note_ambiguous(struct node *h, struct vm_ref **cands, size_t n, unsigned way)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_addf(&sb, "not joined: %zu VMs match by %s:", n, way_name(way));
	for (size_t i = 0; i < n && i < NOTE_NAMES; i++)
		strbuf_addf(&sb, "%s %s (%s)", i ? "," : "", cands[i]->vm->name, cands[i]->vm->id);
	if (n > NOTE_NAMES)
		strbuf_addf(&sb, " and %zu more", n - NOTE_NAMES);
	set_note(h, sb.buf);
	for (size_t i = 0; i < n; i++) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "not joined: host %s matches this VM and %zu other%s by %s", h->name, n - 1,
			    n - 1 == 1 ? "" : "s", way_name(way));
		set_note(cands[i]->vm, sb.buf);
	}
	strbuf_done(&sb);
}

static bool is_ancestor(const struct node *a, const struct node *n)
{
	for (; n; n = n->parent)
		if (n == a)
			return true;
	return false;
}

static void fill_guest(struct node *vm, const struct node *h, const char *by)
{
	struct guest_view *g = guest_view_new(h->id, h->name, by);
	const struct resources *r = &h->res;

	g->stale = h->stale;
	g->cpu_cores = r->cpu_cores_allocated;
	g->cpu_cores_used = r->cpu_cores_used;
	g->mem_bytes_total = r->mem_bytes_allocated;
	g->mem_bytes_used = r->mem_bytes_used;
	g->mem_bytes_available = r->mem_bytes_available;
	memcpy(g->load, r->load, sizeof(g->load));
	memcpy(g->psi_some, r->psi_some, sizeof(g->psi_some));
	memcpy(g->psi_full, r->psi_full, sizeof(g->psi_full));
	guest_view_free(vm->guest);
	vm->guest = g;
	/* no balloon driver: the hypervisor does not know what the guest
	 * uses, the guest does */
	if (!value_known(vm->res.mem_bytes_used) && value_known(r->mem_bytes_used)) {
		vm->res.mem_bytes_used = r->mem_bytes_used;
		vm->res.mem_source = "guest-os";
	}
	if (vm->extra) {
		free(vm->extra->join_note);
		vm->extra->join_note = NULL;
	}
}

/* Moves h's children below vm, detaches h from the site and frees it. */
static void join_one(struct node *site, struct node *h, struct node *vm, const char *by)
{
	fill_guest(vm, h, by);
	for (size_t i = 0; i < h->n_children; i++)
		node_add_child(vm, h->children[i]);
	h->n_children = 0;
	for (size_t i = 0; i < site->n_children; i++) {
		if (site->children[i] == h) {
			memmove(&site->children[i], &site->children[i + 1],
				(site->n_children - i - 1) * sizeof(*site->children));
			site->n_children--;
			break;
		}
	}
	node_free(h);
}

size_t guest_join(struct tree *t, const struct guest_policy *pol)
{
	struct node *site = t->root;
	struct join j = {NULL, 0};
	struct host_pick *picks;
	size_t n_picks = 0, removed = 0;
	static const unsigned ways[] = {GUEST_MATCH_UUID, GUEST_MATCH_MAC, GUEST_MATCH_NAME};

	for (size_t i = 0; i < site->n_children; i++)
		if (site->children[i]->kind == NODE_HOST)
			collect_vms(&j, site->children[i], site->children[i]);
	if (!j.n_vms)
		return 0;
	picks = xcalloc(site->n_children, sizeof(*picks));
	for (size_t i = 0; i < site->n_children; i++)
		if (site->children[i]->kind == NODE_HOST)
			picks[n_picks++] = (struct host_pick){site->children[i], NULL, NULL};
	struct vm_ref **cands = xcalloc(j.n_vms, sizeof(*cands));

	/* joins made by hand come first: they take their VMs */
	for (size_t k = 0; k < n_picks; k++) {
		struct host_pick *p = &picks[k];
		const struct guest_link *l = link_of(t, p->host, pol);
		if (!l)
			continue;
		struct vm_ref *v = find_linked(&j, l->vm);
		if (!v || v->host == p->host || v->taken_by) {
			struct strbuf sb;
			strbuf_init(&sb);
			strbuf_addf(&sb, "not joined: the config's guest VM %s %s", l->vm,
				    !v ? "is not in the tree" : v->host == p->host ? "runs on this host"
										    : "has another guest");
			set_note(p->host, sb.buf);
			strbuf_done(&sb);
			p->by = "config"; /* decided: no automatic match either */
			continue;
		}
		p->vm = v;
		p->by = "config";
		v->taken_by = p->host;
	}
	for (size_t k = 0; k < n_picks; k++) {
		struct host_pick *p = &picks[k];
		if (p->by)
			continue;
		for (size_t w = 0; w < sizeof(ways) / sizeof(ways[0]); w++) {
			if (!(pol->match & ways[w]))
				continue;
			size_t n = candidates(&j, p->host, ways[w], cands);
			if (n == 1) {
				p->vm = cands[0];
				p->by = way_name(ways[w]);
				cands[0]->pickers++;
			} else if (n > 1) {
				note_ambiguous(p->host, cands, n, ways[w]);
				p->by = way_name(ways[w]);
			}
			if (n)
				break; /* a stronger hint decides, matched or not */
		}
	}
	/* two hosts that pick one VM: neither is its guest */
	for (size_t k = 0; k < n_picks; k++) {
		struct host_pick *p = &picks[k];
		if (p->vm && !p->vm->taken_by && p->vm->pickers > 1) {
			struct strbuf sb;
			strbuf_init(&sb);
			strbuf_addf(&sb, "not joined: VM %s (%s) matches %zu hosts by %s", p->vm->vm->name,
				    p->vm->vm->id, p->vm->pickers, p->by);
			set_note(p->host, sb.buf);
			strbuf_reset(&sb);
			strbuf_addf(&sb, "not joined: %zu hosts match this VM by %s", p->vm->pickers, p->by);
			set_note(p->vm->vm, sb.buf);
			strbuf_done(&sb);
			p->vm = NULL;
		}
	}
	for (size_t k = 0; k < n_picks; k++) {
		struct host_pick *p = &picks[k];
		/* a join that would hang a host below itself (two hosts each
		 * the other's guest) is refused */
		if (!p->vm || is_ancestor(p->host, p->vm->vm))
			continue;
		join_one(site, p->host, p->vm->vm, p->by);
		removed++;
	}
	free(cands);
	free(picks);
	free(j.vms);
	return removed;
}

int guest_match_parse(const char *s, unsigned *out, struct errbuf *err)
{
	unsigned m = 0;
	const char *p = s;

	while (*p) {
		size_t len = strcspn(p, ",");
		size_t b = 0, e = len;

		while (b < e && (p[b] == ' ' || p[b] == '\t'))
			b++;
		while (e > b && (p[e - 1] == ' ' || p[e - 1] == '\t'))
			e--;
		if (e - b == 4 && strncmp(p + b, "uuid", 4) == 0)
			m |= GUEST_MATCH_UUID;
		else if (e - b == 3 && strncmp(p + b, "mac", 3) == 0)
			m |= GUEST_MATCH_MAC;
		else if (e - b == 4 && strncmp(p + b, "name", 4) == 0)
			m |= GUEST_MATCH_NAME;
		else
			return errbuf_set(err, "guest.match: '%.*s' is not uuid, mac or name", (int)(e - b > 40 ? 40 : e - b),
					  p + b);
		p += len;
		if (*p == ',')
			p++;
	}
	if (!m)
		return errbuf_set(err, "guest.match: expected a list of uuid, mac, name");
	*out = m;
	return 0;
}
