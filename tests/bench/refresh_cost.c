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
 * lock): small beside the walk and the writer.
 *
 * REFRESH_COST_ALSO="csv text prom" also writes each refresh's tree in
 * those formats (to stdout too), before the writer of the options frees
 * it: each format's cost is its render function's (view_csv_render, ...)
 * and the refresh's is the whole minus also_write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/app.h"
#include "glass/clock.h"
#include "glass/options.h"
#include "glass/reading.h"
#include "glass/writer.h"

#define MAX_ALSO 3

struct also {
	struct options opts[MAX_ALSO]; /* copies of glass's, the format changed */
	struct writer w[MAX_ALSO];
	size_t n;
};

static int also_init(struct also *a, const struct options *opts, struct errbuf *err)
{
	const char *env = getenv("REFRESH_COST_ALSO");
	char *list = strdup(env ? env : ""), *save = NULL;

	a->n = 0;
	for (char *f = strtok_r(list, " ,", &save); f; f = strtok_r(NULL, " ,", &save)) {
		if (a->n == MAX_ALSO) {
			errbuf_set(err, "REFRESH_COST_ALSO: at most %d formats", MAX_ALSO);
			free(list);
			return -1;
		}
		a->opts[a->n] = *opts;
		if (options_parse_format(f, &a->opts[a->n].format, err) < 0 ||
		    writer_init(&a->w[a->n], &a->opts[a->n], err) < 0) {
			free(list);
			return -1;
		}
		a->n++;
	}
	free(list);
	return 0;
}

/* Out of line: its inclusive cost is what the refresh figure leaves out. */
__attribute__((noinline)) static int also_write(struct also *a, struct tree *t)
{
	struct errbuf err;

	for (size_t i = 0; i < a->n; i++)
		if (writer_write(&a->w[i], t, &err) != WRITER_OK) {
			fprintf(stderr, "refresh_cost: %s\n", err.msg);
			return 1;
		}
	return 0;
}

int main(int argc, char **argv)
{
	struct options opts;
	struct errbuf err;
	struct app app;
	struct writer w;
	struct also also;
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
	    app_init(&app, &opts, &err) < 0 || writer_init(&w, &opts, &err) < 0 ||
	    also_init(&also, &opts, &err) < 0) {
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
		if (status == 0) {
			struct tree *t = app_build_tree(&app);

			if (also_write(&also, t) != 0) {
				tree_free(t);
				status = 1;
			} else if (writer_put(&w, t) != WRITER_OK) {
				status = 1;
			}
		}
	}
	for (size_t i = 0; i < app.n_sources; i++)
		app.sources[i]->ops->close(app.sources[i]);
	writer_done(&w);
	for (size_t i = 0; i < also.n; i++)
		writer_done(&also.w[i]);
	app_done(&app);
	options_done(&opts);
	return status;
}
