/* writer.h: where and how batch snapshots go: the format, the chosen
 * nodes and columns, stdout or an atomically replaced file, and the
 * --record file.  Live batch mode and --replay share it. */
#ifndef GLASS_WRITER_H
#define GLASS_WRITER_H

#include <stdbool.h>

#include "glass/columns.h"
#include "glass/errbuf.h"
#include "glass/node.h"
#include "glass/options.h"
#include "glass/strbuf.h"

struct writer {
	const struct options *opts; /* (borrowed) */
	struct column_set cols;
	bool header_done; /* CSV: the header goes out once per stream */
	int record_fd;    /* -1 without --record */
	bool record_failing; /* the last append to the record failed */
	bool output_failing; /* the last -o write failed */
	bool no_stdout;      /* glass --serve: snapshots go to -o and --record only */
	struct strbuf buf;
};

/* -1 with err: a bad --fields list, or a --record file that cannot be
 * opened for appending.  A partial last line in the record (a crash or a
 * full disk mid-write) is cut, and -o's temporaries that a killed glass
 * left are removed. */
int writer_init(struct writer *w, const struct options *opts, struct errbuf *err);
void writer_done(struct writer *w);
/* What became of a snapshot written. */
enum writer_status {
	WRITER_OK,          /* written (or a failing file said once, tried again next time) */
	WRITER_READER_GONE, /* stdout's reader went away: stop, all is well */
	WRITER_FAILED,      /* stdout failed: stop with GLASS_EXIT_FAILED */
};

/* Selects, renders and writes one snapshot (and records it).  A failed
 * write to the -o or --record file is said once on stderr and tried
 * again with the next snapshot (writer_failing tells); a failed stdout
 * is WRITER_FAILED with err saying why. */
enum writer_status writer_write(struct writer *w, struct tree *t, struct errbuf *err);
/* writer_write for a snapshot loop: frees the tree and prints a failure
 * as one `glass:` line. */
enum writer_status writer_put(struct writer *w, struct tree *t);
/* Did the last snapshot fail to reach the -o or --record file? */
bool writer_failing(const struct writer *w);

#endif
