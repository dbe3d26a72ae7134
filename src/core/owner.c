#include "glass/owner.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "glass/xalloc.h"

void owner_rules_done(struct owner_rules *r)
{
	for (size_t i = 0; i < r->n_rules; i++) {
		free(r->rules[i].owner);
		free(r->rules[i].glob);
	}
	free(r->rules);
	r->rules = NULL;
	r->n_rules = 0;
}

char *owner_clean(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (memchr(s, '\0', len))
		len = strlen(s);
	if (len == 0)
		return NULL;
	return xstrndup(s, len > OWNER_NAME_MAX ? OWNER_NAME_MAX : len);
}

/* A team name is written in a config key: printable, no spaces, so a
 * finance sheet's row and a Prometheus label read it back unchanged. */
static int check_team(const char *team, struct errbuf *err)
{
	size_t n = strlen(team);

	if (n == 0)
		return errbuf_set(err, "owner.: expected owner.TEAM = GLOB[, GLOB]...");
	if (n > OWNER_NAME_MAX)
		return errbuf_set(err, "owner name longer than %d bytes", OWNER_NAME_MAX);
	for (size_t i = 0; i < n; i++)
		if (!isgraph((unsigned char)team[i]))
			return errbuf_set(err, "owner name '%.60s': only printable characters, no spaces",
					  team);
	return 0;
}

int owner_config_key(struct owner_rules *r, const char *key, const char *value,
		     struct errbuf *err)
{
	if (strncmp(key, "owner.", 6) != 0)
		return 1;
	const char *team = key + 6;
	if (check_team(team, err) < 0)
		return -1;
	/* every glob is checked before any is kept: a bad line adds nothing */
	size_t first = r->n_rules;
	const char *p = value;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char *glob = owner_clean(p, len);

		if (!glob) {
			for (size_t i = first; i < r->n_rules; i++) {
				free(r->rules[i].owner);
				free(r->rules[i].glob);
			}
			r->n_rules = first;
			return errbuf_set(err, "owner.%.60s: an empty glob in '%.60s'", team, value);
		}
		r->rules = xreallocarray(r->rules, r->n_rules + 1, sizeof(*r->rules));
		r->rules[r->n_rules++] = (struct owner_rule){xstrdup(team), glob};
		if (!comma)
			break;
		p = comma + 1;
	}
	return 0;
}

/* "vm:HOST/NAME" for "vm:HOST/UUID", "ct:HOST/NAME" for "ct:HOST/PATH":
 * a rule may name what the operator sees.  NULL when the id has no '/'. */
static char *name_form(const struct node *n)
{
	const char *slash = strchr(n->id, '/');

	if (!slash || !n->name)
		return NULL;
	return xasprintf("%.*s/%s", (int)(slash - n->id), n->id, n->name);
}

const char *owner_rules_match(const struct owner_rules *r, const struct node *n)
{
	char *alt = NULL;
	const char *found = NULL;

	if (!r || r->n_rules == 0 || n->kind == NODE_SITE)
		return NULL;
	alt = name_form(n);
	for (size_t i = 0; i < r->n_rules && !found; i++)
		if (fnmatch(r->rules[i].glob, n->id, 0) == 0 ||
		    (alt && fnmatch(r->rules[i].glob, alt, 0) == 0))
			found = r->rules[i].owner;
	free(alt);
	return found;
}

const char *owner_source_static(const char *name)
{
	static const char *const names[] = {
		"config",          "libvirt-metadata", "libvirt-title", "label",
		"compose-project", "k8s-namespace",    "slice-user",    "inherited",
	};

	for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return names[i];
	return NULL;
}

static void set_owner(struct node *n, const char *owner, const char *source)
{
	char *copy = owner ? xstrdup(owner) : NULL; /* owner may be n's own */

	free(n->owner);
	n->owner = copy;
	n->owner_source = copy ? source : NULL;
}

static void apply_node(const struct owner_rules *r, struct node *n)
{
	const char *rule = owner_rules_match(r, n);
	const struct node *p = n->parent;

	if (rule)
		set_owner(n, rule, "config");
	else if (node_owner_hint(n))
		set_owner(n, node_owner_hint(n), node_owner_hint_source(n));
	else if (p && p->owner)
		set_owner(n, p->owner, "inherited");
	else
		set_owner(n, NULL, NULL);
	for (size_t i = 0; i < n->n_children; i++)
		apply_node(r, n->children[i]);
}

void owner_apply(const struct owner_rules *r, struct tree *t)
{
	apply_node(r, t->root);
}
