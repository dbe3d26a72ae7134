/* owner.h: who each node is charged to (DESIGN.md §4, chargeback).
 *
 * Every node gets an owner and says where it came from; the first of these
 * that gives one wins:
 *   config            an `owner.TEAM = GLOB, GLOB` rule (config order) whose
 *                     glob matches the node's id, or its id with the name in
 *                     place of the uuid or path (vm:HOST/NAME, ct:HOST/NAME)
 *   libvirt-metadata  <glass:owner xmlns:glass="urn:glass:1"> in a domain's
 *   libvirt-title     <metadata>, else the domain's title
 *   label             a container's glass.owner label (docker) or annotation
 *   compose-project   (podman), else its com.docker.compose.project
 *   k8s-namespace     a pod's namespace
 *   slice-user        the user of a user-UID.slice ("uid UID" when unknown)
 *   inherited         the parent's owner
 * The sources fill the hints (raw_node.owner) on their poller threads; the
 * stage here is pure code on the finished tree.  Nodes left without one are
 * unowned (NULL). */
#ifndef GLASS_OWNER_H
#define GLASS_OWNER_H

#include <stddef.h>

#include "glass/errbuf.h"
#include "glass/node.h"

#define OWNER_NAME_MAX 128

struct owner_rule {
	char *owner;
	char *glob;
};

struct owner_rules {
	struct owner_rule *rules; /* in config order: the first match wins */
	size_t n_rules;
};

void owner_rules_done(struct owner_rules *r);

/* Applies one config key when it is an owner rule (owner.TEAM = GLOB[, GLOB]...):
 * 0 applied, -1 a bad rule (err), 1 not an owner key. */
int owner_config_key(struct owner_rules *r, const char *key, const char *value,
		     struct errbuf *err);

/* The owner a rule gives node n, or NULL (borrowed from the rules). */
const char *owner_rules_match(const struct owner_rules *r, const struct node *n);

/* The static spelling of an owner source ("config", "libvirt-metadata",
 * ...), or NULL for anything else (a name read from outside). */
const char *owner_source_static(const char *name);

/* Sets every node's owner and owner_source from the rules, its hint and
 * its parent (run on a tree the model built). */
void owner_apply(const struct owner_rules *r, struct tree *t);

/* Owner text from outside (a label, metadata, a title) made into an owner:
 * surrounding white space trimmed, at most OWNER_NAME_MAX bytes; NULL when
 * nothing is left.  The caller's string. */
char *owner_clean(const char *s, size_t len);

#endif
