/* source_power.h: the local host's watts from a meter (DESIGN.md §4). */
#ifndef GLASS_SOURCE_POWER_H
#define GLASS_SOURCE_POWER_H

#include <stdbool.h>
#include <stdio.h>

#include "glass/errbuf.h"
#include "glass/source.h"

/* The default powercap root. */
#define POWER_RAPL_DEFAULT_ROOT "/sys/class/powercap"

/* RAPL through powercap sysfs under `root` (NULL: the default): the
 * energy counters of the packages and dram, or of psys where the platform
 * has it, reported on the local host's node.  The zones are found here,
 * on the calling thread.  NULL when there is nothing to read: no zones
 * (an error in err only when `must_exist`, the root was named), or a
 * counter that cannot be read (energy_uj is root-only): said once on
 * `notice`, so the host's watts come from the power model. */
struct source *source_rapl_new(const char *root, bool must_exist, FILE *notice,
			       struct errbuf *err);

#endif
