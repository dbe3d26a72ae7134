/* source.h: a source reads one thing (the local host, one cgroup
 * hierarchy, one libvirt URI) and is the only code that does blocking I/O
 * (DESIGN.md §1).  Like tmux's cmd_entry, each kind is a table of plain
 * function pointers; a source runs on its own poller thread and every
 * call into it comes from that thread. */
#ifndef GLASS_SOURCE_H
#define GLASS_SOURCE_H

#include "glass/errbuf.h"
#include "glass/reading.h"

struct source;

struct source_ops {
	const char *kind; /* "host", "cgroup", "libvirt" */
	/* Connects or checks that the thing can be read; 0 or -1 with err. */
	int (*open)(struct source *src, struct errbuf *err);
	/* Fills an empty reading; 0 or -1 with err (the poller closes the
	 * source and reopens it with backoff). */
	int (*sample)(struct source *src, struct reading *out, struct errbuf *err);
	void (*close)(struct source *src);
	/* Frees priv; the source is closed. */
	void (*free)(struct source *src);
};

struct source {
	const struct source_ops *ops;
	char *name; /* for display: "local", a redacted URI */
	void *priv;
};

/* Frees a closed source and its name. */
void source_free(struct source *src);

#endif
