/* replay.h: glass --replay FILE: a --record file shown as if live. */
#ifndef GLASS_REPLAY_H
#define GLASS_REPLAY_H

#include "glass/options.h"

/* Shows the recorded snapshots through the batch writer; returns the
 * exit status (2 for a line that is not a glass snapshot, FILE:LINE). */
int replay_run(const struct options *o);

#endif
