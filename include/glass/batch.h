/* batch.h: `glass -b`: snapshots on stdout or into a file, no curses. */
#ifndef GLASS_BATCH_H
#define GLASS_BATCH_H

#include "glass/app.h"

/* Runs the snapshot loop; returns the exit status. */
int batch_run(struct app *app);

/* Checks before any sampling that FILE's directory can take a file
 * (exists, writable): -1 with err when it cannot. */
int batch_check_output(const char *path, struct errbuf *err);

#endif
