#include "glass/procs_node.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "glass/cgroup_layout.h"
#include "glass/source_cgroup.h"
#include "glass/xalloc.h"

static const char *source_kind(const struct tree *t, const struct node *n)
{
	if (!t || n->source < 0 || (size_t)n->source >= t->n_sources)
		return "";
	return t->sources[n->source].kind;
}

/* The directory of cgroup `path` (relative to a hierarchy's root): the
 * unified tree, else the first v1 hierarchy that has it. */
static char *cgroup_dir(const char *root, const char *path)
{
	static const enum cgroup_ctrl order[] = {CG_UNIFIED, CG_PIDS,  CG_CPU,
						 CG_CPUACCT, CG_MEMORY, CG_BLKIO};
	struct cgroup_layout L;
	struct errbuf err;
	char *found = NULL;

	if (cgroup_layout_detect(root ? root : SOURCE_CGROUP_DEFAULT_ROOT, "/proc/self/mountinfo", &L,
				 &err) < 0)
		return NULL;
	for (size_t i = 0; !found && i < sizeof(order) / sizeof(order[0]); i++) {
		struct stat st;
		char *dir;

		if (!L.dirs[order[i]])
			continue;
		dir = xasprintf("%s/%s", L.dirs[order[i]], path);
		if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
			found = dir;
		else
			free(dir);
	}
	cgroup_layout_done(&L);
	return found;
}

/* "ct:HOST/PATH" -> PATH */
static const char *ct_path(const char *id)
{
	const char *slash;

	if (!id || strncmp(id, "ct:", 3) != 0 || !(slash = strchr(id + 3, '/')))
		return NULL;
	return slash + 1;
}

bool procs_node_target(const struct tree *t, const struct node *n, const char *cgroup_root,
		      struct procs *p, enum procs_scope *scope, char **arg, char *why, size_t why_len)
{
	const char *kind = source_kind(t, n);

	*arg = NULL;
	if (strcmp(kind, "remote") == 0) {
		snprintf(why, why_len, "a remote node: its far glass sent no processes "
				       "(an older glass, or none read yet)");
		return false;
	}
	switch (n->kind) {
	case NODE_SITE:
		snprintf(why, why_len, "the site runs nothing itself: choose a host, VM or container");
		return false;
	case NODE_HOST:
		if (strcmp(kind, "host") != 0 && strcmp(kind, "cgroup") != 0) {
			snprintf(why, why_len, "not this machine: its processes cannot be read here");
			return false;
		}
		*scope = PROCS_ALL;
		return true;
	case NODE_CONTAINER:
	case NODE_GROUP: {
		const char *path = ct_path(n->id);
		if (strcmp(kind, "cgroup") != 0 || !path) {
			snprintf(why, why_len, "no local cgroup known for this node");
			return false;
		}
		*arg = cgroup_dir(cgroup_root, path);
		if (!*arg) {
			snprintf(why, why_len, "its cgroup is gone");
			return false;
		}
		*scope = PROCS_CGROUP;
		return true;
	}
	case NODE_VM: {
		/* its qemu: the process of its cgroup with the most threads
		 * (a merged VM), else libvirt's pid file on this machine */
		const char *path = ct_path(node_merged_id(n));
		char *dir = path ? cgroup_dir(cgroup_root, path) : NULL;
		int pid = dir ? procs_busiest_threads(p, dir) : -1;

		free(dir);
		if (pid < 0 && strncmp(t->sources[n->source].name, "qemu:///", 8) == 0 && n->name) {
			char *pidfile = xasprintf("/run/libvirt/qemu/%s.pid", n->name);
			FILE *f = strchr(n->name, '/') ? NULL : fopen(pidfile, "re");
			if (f) {
				if (fscanf(f, "%d", &pid) != 1)
					pid = -1;
				fclose(f);
			}
			free(pidfile);
		}
		if (pid <= 0) {
			snprintf(why, why_len, "no qemu process of this VM on this machine");
			return false;
		}
		*arg = xasprintf("%d", pid);
		*scope = PROCS_THREADS;
		return true;
	}
	}
	snprintf(why, why_len, "nothing to show");
	return false;
}

struct fill {
	struct procs *p;
	const struct tree *t;
	const char *root;
};

static void fill_one(const struct node *cn, int depth, void *arg)
{
	struct fill *f = arg;
	struct node *n = (struct node *)cn; /* the tree is the caller's to fill */
	enum procs_scope scope;
	struct errbuf err;
	char why[160];
	char *target = NULL;

	(void)depth;
	if (n->procs || n->kind == NODE_SITE)
		return;
	if (!procs_node_target(f->t, n, f->root, f->p, &scope, &target, why, sizeof(why)))
		return;
	n->procs = xcalloc(1, sizeof(*n->procs));
	if (procs_sample(f->p, scope, target ? target : "", n->procs, &err) < 0) {
		proc_list_free(n->procs);
		n->procs = NULL;
	}
	free(target);
}

void procs_fill_tree(struct procs *p, struct tree *t, const char *cgroup_root)
{
	struct fill f = {p, t, cgroup_root};

	if (t && t->root)
		tree_walk(t->root, 0, fill_one, &f);
}
