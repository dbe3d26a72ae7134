/* refresh_cost N GLASS-OPTIONS...: glass's refresh, N times, on one thread.
 *
 * The same sources, model, idle policy and writer that `glass -b` runs
 * (libglass.a, set up by app_init from glass's own options), but each
 * refresh samples every source in turn, then ingests, builds the tree and
 * writes the snapshot, with no poller threads and no waiting.  So the work
 * of N refreshes does not depend on timing, and under callgrind
 * (tests/bench/callgrind_bench.py) the instruction count of N+k refreshes
 * minus that of N is exactly k refreshes: the figure a budget can hold.
 * What it leaves out is glass's thread hand-off (poller wakeups, the board
 * lock): small beside the walk and the writer. */
#include <stdio.h>
#include <stdlib.h>

#include "glass/app.h"
#include "glass/clock.h"
#include "glass/options.h"
#include "glass/reading.h"
#include "glass/writer.h"

int main(int argc, char **argv)
{
	struct options opts;
	struct errbuf err;
	struct app app;
	struct writer w;
	int status = 0;

	if (argc < 2 || atoi(argv[1]) < 1) {
		fprintf(stderr, "usage: refresh_cost N GLASS-OPTIONS...\n");
		return 2;
	}
	long n = atol(argv[1]);
	argv[1] = argv[0];
	errbuf_clear(&err);
	options_init(&opts);
	if (options_parse(&opts, argc - 1, argv + 1, &err) != OPTIONS_RUN ||
	    app_init(&app, &opts, &err) < 0 || writer_init(&w, &opts, &err) < 0) {
		fprintf(stderr, "refresh_cost: %s\n", err.msg);
		return 2;
	}
	app.start_mono = clock_mono_ns();
	for (size_t i = 0; i < app.n_sources; i++) {
		struct source *src = app.sources[i];
		if (src->ops->open(src, &err) < 0) {
			fprintf(stderr, "refresh_cost: %s: %s\n", src->name, err.msg);
			return 1;
		}
	}
	for (long k = 0; k < n && status == 0; k++) {
		for (size_t i = 0; i < app.n_sources; i++) {
			struct source *src = app.sources[i];
			struct reading *r = reading_new();
			r->mono_ns = clock_mono_ns();
			if (src->ops->sample(src, r, &err) < 0) {
				fprintf(stderr, "refresh_cost: %s: %s\n", src->name, err.msg);
				reading_unref(r);
				status = 1;
				break;
			}
			board_publish(app.board, i, r);
		}
		app_ingest(&app);
		if (status == 0 && writer_put(&w, app_build_tree(&app)) != 0)
			status = 1;
	}
	for (size_t i = 0; i < app.n_sources; i++)
		app.sources[i]->ops->close(app.sources[i]);
	writer_done(&w);
	app_done(&app);
	options_done(&opts);
	return status;
}
