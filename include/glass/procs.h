/* procs.h: what runs inside a node, from /proc: the processes of a
 * cgroup (its cgroup.procs and its descendants'), every process of the
 * host, or the threads of one process (a VM's qemu, its vCPU threads
 * named "CPU n/KVM").
 *
 * CPU% is the CPU time a process used between two samples over the time
 * between them (100% is one CPU); the first sample of a process has none
 * (unknown, NaN).  Reading is bounded: at most PROCS_READ_MAX pids are
 * read per sample and the PROCS_TOP busiest kept.  A process that ends
 * between the listing and the reading is left out, silently. */
#ifndef GLASS_PROCS_H
#define GLASS_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "glass/errbuf.h"

#define PROCS_TOP 20
#define PROCS_READ_MAX 4096
#define PROCS_USER_MAX 32

struct proc_info {
	int pid;                    /* a thread's id for PROCS_THREADS */
	char user[PROCS_USER_MAX];  /* the owner's name, else the uid */
	char *command;              /* raw bytes, escaped by whoever shows them:
				     * the command line, else [comm]; a thread: its comm */
	double cpu_pct;             /* NaN unknown */
	double rss_bytes;           /* NaN unknown */
	char state;                 /* R, S, D, Z, ... */
};

struct proc_list {
	struct proc_info *v; /* the busiest first, at most PROCS_TOP */
	size_t n;
	size_t listed;       /* pids found */
	bool capped;         /* more than PROCS_READ_MAX: the rest not read */
};

enum procs_scope {
	PROCS_ALL,     /* every process of the host */
	PROCS_CGROUP,  /* arg: a cgroup directory */
	PROCS_THREADS, /* arg: a pid, as digits */
};

struct procs;

/* proc_root is "/proc" but for tests. */
struct procs *procs_new(const char *proc_root);
void procs_free(struct procs *p);
/* One sample into out (emptied first): 0, or -1 with err when the scope
 * itself cannot be read (the cgroup or the process is gone). */
int procs_sample(struct procs *p, enum procs_scope scope, const char *arg, struct proc_list *out,
		 struct errbuf *err);
void proc_list_done(struct proc_list *l);
/* A list on the heap, deep-copied (NULL in, NULL out), and its end. */
struct proc_list *proc_list_dup(const struct proc_list *l);
void proc_list_free(struct proc_list *l);
/* Parses a /proc/PID/stat line: false when it is not one. */
bool procs_parse_stat(const char *line, char *state, uint64_t *cpu_ticks, uint64_t *start,
		      uint64_t *rss_pages, char *comm, size_t comm_len);
/* The qemu process of a cgroup: the one with the most threads, or -1. */
int procs_busiest_threads(struct procs *p, const char *cgroup_dir);

#endif
