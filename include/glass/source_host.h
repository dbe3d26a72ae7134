/* source_host.h: the local host through libstatgrab (DESIGN.md §8). */
#ifndef GLASS_SOURCE_HOST_H
#define GLASS_SOURCE_HOST_H

#include "glass/source.h"

/* The local host: logical CPUs, cpu time, memory, swap, load, disks,
 * network interfaces and filesystems.  All libstatgrab calls happen on
 * the poller thread that samples it. */
struct source *source_host_new(void);

/* The id glass gives the local host ("host:<hostname>"), for other local
 * sources (cgroups) to hang their nodes under.  The caller's string. */
char *source_host_local_id(void);

#endif
