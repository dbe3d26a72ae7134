/* source_host.h: the local host through libstatgrab (DESIGN.md §8). */
#ifndef GLASS_SOURCE_HOST_H
#define GLASS_SOURCE_HOST_H

#include "glass/reading.h"
#include "glass/source.h"

/* The local host: logical CPUs, cpu time, memory, swap, load, disks,
 * network interfaces and filesystems.  All libstatgrab calls happen on
 * the poller thread that samples it. */
struct source *source_host_new(void);

/* The id glass gives the local host ("host:<hostname>"), for other local
 * sources (cgroups) to hang their nodes under.  The caller's string. */
char *source_host_local_id(void);

/* The host's pressure stall information from dir (normally
 * "/proc/pressure"): avg10 of cpu, memory and io in percent into
 * n->psi_some and n->psi_full.  A kernel without PSI (no such directory,
 * or psi=0 at boot: the files fail to read) leaves them unknown. */
void source_host_read_psi(const char *dir, struct raw_node *n);

/* The machine's identity hints (DESIGN.md §2) below a sysfs root
 * (normally "/sys"; a fixture in the tests): the SMBIOS system UUID from
 * class/dmi/id/product_uuid where readable, and the MACs of
 * class/net/<nic>/address, leaving out loopback, all-zero MACs and the
 * virtual NICs (links into devices/virtual). */
void source_host_read_identity(const char *sysfs_root, struct raw_node *n);

#endif
