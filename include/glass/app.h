/* app.h: the running parts of glass, wired together: the sources, their
 * pollers, the board and the model (DESIGN.md §1).  main() builds one from
 * the options; a view loop (batch now, the TUI later) drives it. */
#ifndef GLASS_APP_H
#define GLASS_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "glass/board.h"
#include "glass/errbuf.h"
#include "glass/history.h"
#include "glass/idle.h"
#include "glass/guest_join.h"
#include "glass/model.h"
#include "glass/node.h"
#include "glass/options.h"
#include "glass/poller.h"
#include "glass/source.h"

struct app {
	const struct options *opts; /* (borrowed) */
	struct source **sources;
	struct model_source *model_sources;
	size_t n_sources;
	struct board *board;
	struct poller **pollers;
	struct model *model;
	struct idle_params idle_params;
	struct idle_policy *idle;
	uint64_t start_mono;
	uint64_t interval_ns;
	bool stuck; /* a poller did not stop: leave its source and board alone */
	struct history *history; /* NULL: none (no file, --no-history, unreadable) */
	bool history_records;    /* a recorder: batch -n 0 into a named store */
	struct guest_link *guest_links; /* the config's joins, for the model */
	size_t n_guest_links;
};

/* Makes the sources the options ask for; -1 with err (a usage error). */
int app_init(struct app *app, const struct options *opts, struct errbuf *err);
/* The history store the options name, opened to record (`record`) or to
 * read; NULL when there is none or it cannot be used: a reason, if any,
 * is said in one line on stderr and glass goes on without it. */
struct history *app_history_open(const struct options *opts, bool record);
/* Records a finished tree into the app's store when it records. */
void app_history_record(struct app *app, const struct tree *t);
/* An app without sources, for the TUI over a --replay file. */
void app_init_replay(struct app *app, const struct options *opts);
/* Starts one poller per source, first samples at once. */
void app_start(struct app *app);
/* Reads the board and feeds new readings to the model. */
void app_ingest(struct app *app);
/* True when every source has reported (a reading or a failure) since
 * `since_mono`: the snapshot due then can be taken without waiting. */
bool app_all_reported_since(struct app *app, uint64_t since_mono);
/* True when at least one source has ever given a good reading. */
bool app_any_sampled(struct app *app);
/* The first failing source's "name: reason", for an exit message. */
void app_first_failure(struct app *app, struct errbuf *out);
struct tree *app_build_tree(struct app *app);
/* Stops the pollers and frees everything it can. */
void app_done(struct app *app);

#endif
