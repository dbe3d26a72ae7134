#include "glass/replay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "glass/clock.h"
#include "glass/snapshot_read.h"
#include "glass/writer.h"

/* Far longer than any real snapshot; a bigger line is not ours. */
#define REPLAY_MAX_LINE (256u * 1024 * 1024)

static void pause_for(double seconds)
{
	struct timespec ts = clock_ns_to_timespec((uint64_t)(seconds * (double)NS_PER_S));

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int replay_run(const struct options *o)
{
	FILE *f = fopen(o->replay_path, "re");
	struct writer w;
	struct errbuf err;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	long shown = 0;
	/* -n counts snapshots when given; else the whole file */
	long limit = (o->set_on_cli & OPTSET_ITERATIONS) ? o->iterations : 0;
	int status = 0;

	if (!f) {
		fprintf(stderr, "glass: --replay %s: %s\n", o->replay_path, strerror(errno));
		return 2;
	}
	if (writer_init(&w, o, &err) < 0) {
		fprintf(stderr, "glass: %s\n", err.msg);
		fclose(f);
		return 2;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		bool complete = line[len - 1] == '\n';

		lineno++;
		if (len == 1 && complete)
			continue;
		if ((size_t)len > REPLAY_MAX_LINE) {
			fprintf(stderr, "glass: %s:%lu: line longer than %u bytes\n", o->replay_path, lineno,
				REPLAY_MAX_LINE);
			status = 2;
			break;
		}
		struct tree *t = snapshot_parse(line, (size_t)len, &err);
		if (!t) {
			if (!complete) {
				/* a crash while recording: the rest is still good */
				fprintf(stderr, "glass: %s:%lu: warning: truncated last line skipped\n",
					o->replay_path, lineno);
				break;
			}
			fprintf(stderr, "glass: %s:%lu: %s\n", o->replay_path, lineno, err.msg);
			status = 2;
			break;
		}
		if (shown > 0 && (o->set_on_cli & OPTSET_INTERVAL))
			pause_for(o->interval_s);
		int rc = writer_put(&w, t);
		if (rc) {
			status = rc > 0 ? 1 : 0;
			break;
		}
		if (limit && ++shown >= limit)
			break;
		if (!limit)
			shown++;
	}
	if (ferror(f) && status == 0) {
		fprintf(stderr, "glass: --replay %s: %s\n", o->replay_path, strerror(errno));
		status = 1;
	}
	if (status == 0 && shown == 0 && lineno == 0) {
		fprintf(stderr, "glass: --replay %s: no snapshot in the file\n", o->replay_path);
		status = 1;
	}
	free(line);
	fclose(f);
	writer_done(&w);
	return status;
}
