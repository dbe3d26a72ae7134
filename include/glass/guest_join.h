/* guest_join.h: a host that is a VM's guest hangs below that VM
 * (DESIGN.md §2).  Pure code on a finished tree, run by the model.
 *
 * A top-level host (a remote glass, or the local host when glass runs in
 * a guest) joins a VM of another host when: a config line names the pair;
 * else its SMBIOS UUID equals the domain UUID (or does once the first
 * three fields are byte-swapped); else exactly one VM shares a MAC with
 * it; else, when the policy allows names, exactly one VM has its name.
 * Two candidates join nothing, and both sides' join_note says why. */
#ifndef GLASS_GUEST_JOIN_H
#define GLASS_GUEST_JOIN_H

#include <stddef.h>

#include "glass/node.h"

enum guest_match {
	GUEST_MATCH_UUID = 1 << 0,
	GUEST_MATCH_MAC = 1 << 1,
	GUEST_MATCH_NAME = 1 << 2,
};

#define GUEST_MATCH_DEFAULT (GUEST_MATCH_UUID | GUEST_MATCH_MAC)

/* A join made by hand (config `guest = VM URI`): the VM, as its id
 * (vm:<host>/<uuid>) or vm:<host>/<name>, and the source whose host is
 * its guest, by the source's (redacted) name. */
struct guest_link {
	const char *vm;
	const char *source;
};

struct guest_policy {
	unsigned match; /* enum guest_match bits */
	const struct guest_link *links; /* (borrowed) */
	size_t n_links;
};

/* Joins the guests of t's VMs: moves each guest host's children below
 * its VM, fills the VM's guest view and frees the host node.  Returns the
 * number of nodes removed (the joined hosts). */
size_t guest_join(struct tree *t, const struct guest_policy *policy);

/* "uuid,mac,name" (any order and subset) into enum guest_match bits:
 * 0, or -1 with err naming the word it does not know. */
struct errbuf;
int guest_match_parse(const char *s, unsigned *out, struct errbuf *err);

#endif
