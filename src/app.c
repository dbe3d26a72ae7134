#include "glass/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glass/clock.h"
#include "glass/errbuf.h"
#include "glass/escape.h"
#include "glass/history.h"
#include "glass/owner.h"
#include "glass/source_host.h"
#include "glass/source_prometheus.h"
#include "glass/source_table.h"
#include "glass/uri.h"
#include "glass/value.h"
#include "glass/xalloc.h"

/* How long app_done waits for a poller stuck in a blocking call. */
#define STOP_WAIT_NS (NS_PER_S / 2)
/* A source with no good reading for this many intervals reads as stale
 * (DESIGN.md §1; the hypervisors issue: "older than 2 intervals"). */
#define STALE_INTERVALS 2
/* A stale source that has not answered for this many intervals (and at
 * least UNREACHABLE_MIN_NS) reads as unreachable: a hung hypervisor
 * (SIGSTOPped, a silent peer) whose poller is stuck in a call. */
#define UNREACHABLE_INTERVALS 5
#define UNREACHABLE_MIN_NS (3 * NS_PER_S)

static void app_add_source(struct app *app, struct source *src)
{
	app->sources = xreallocarray(app->sources, app->n_sources + 1, sizeof(*app->sources));
	app->sources[app->n_sources++] = src;
}

struct history *app_history_open(const struct options *opts, bool record)
{
	struct history *h;
	struct errbuf err;
	char *path;

	if (opts->no_history)
		return NULL;
	path = opts->history_path ? xstrdup(opts->history_path) : history_default_path();
	if (!path)
		return NULL;
	errbuf_clear(&err);
	/* only a store named by the operator is written (the service names
	 * it): a test or a one-shot run never makes the default one */
	if (record && opts->history_named)
		h = history_open_writer(path, (int64_t)opts->history_bucket_s,
					opts->history_retention_s, &err);
	else
		h = history_open_reader(path, &err);
	if (!h && err.msg[0])
		glass_say("%s%s", err.msg, strstr(err.msg, "history off") ? "" : ": history off for this run");
	free(path);
	return h;
}

static void seed_one(const char *node_id, enum history_res r, const struct history_stats *s,
		     void *arg)
{
	/* "with days of history" (DESIGN.md §3): a day or more */
	double peak_max = s->observed_s >= 86400 ? s->peak_max : GLASS_UNKNOWN;

	idle_policy_seed(arg, node_id, r == HISTORY_CPU ? IDLE_RES_CPU : IDLE_RES_MEM, s->avg_util,
			 s->observed_s, s->p95, peak_max);
}

/* Every glass starts from history: the idle policy learns the window's
 * averages, p95s and peaks before its first sample. */
static void app_history_seed(struct app *app)
{
	struct errbuf err;

	errbuf_clear(&err);
	if (history_query(app->history, (int64_t)(clock_wall_ns() / NS_PER_S), app->idle_params.window_s,
			  seed_one, app->idle, &err) < 0)
		glass_say("%s: history off for this run", err.msg);
}

/* A Prometheus source brings its own history: in batch mode (one-shot
 * verdicts) the idle window is seeded from it before the first sample,
 * as from the store.  Not in the interactive view, whose first frame
 * would wait on Prometheus. */
static void app_prometheus_seed(struct app *app)
{
#ifdef HAVE_LIBCURL
	for (size_t i = 0; i < app->n_sources; i++) {
		struct errbuf err;

		if (strcmp(app->sources[i]->ops->kind, "prometheus") != 0)
			continue;
		/* a Prometheus that cannot answer: the source says why at its
		 * first refresh, and the window starts with glass */
		errbuf_clear(&err);
		source_prometheus_window(app->sources[i], app->idle_params.window_s, seed_one, app->idle, &err);
	}
#else
	(void)app;
#endif
}

void app_history_record(struct app *app, const struct tree *t)
{
	struct errbuf err;

	/* a failure is said once by the store, which keeps the buckets */
	if (app->history && app->history_records)
		history_record(app->history, t, &err);
}

int app_init(struct app *app, const struct options *opts, struct errbuf *err)
{
	memset(app, 0, sizeof(*app));
	app->opts = opts;
	/* the local host and its cgroups report this host's id: a remote
	 * that reports it too is refused, never merged into it */
	bool local_id_used = !opts->no_local || (opts->set_on_cli & OPTSET_CGROUP_ROOT);
	char *local_id = local_id_used ? source_host_local_id() : NULL;
	struct source_env env = {opts, local_id};
	struct source *src;

	/* this host's own sources first, in the table's order: the local
	 * host's slot wins an id other sources share */
	for (size_t i = 0; i < n_source_types; i++) {
		if (!source_types[i].make_local)
			continue;
		errbuf_clear(err);
		if ((src = source_types[i].make_local(&env, err)))
			app_add_source(app, src);
		else if (err->msg[0])
			goto usage;
	}
	for (size_t i = 0; i < opts->n_uris; i++) {
		errbuf_clear(err);
		if ((src = source_type_for_uri(opts->uris[i])->make(opts->uris[i], &env, err)))
			app_add_source(app, src);
		else if (err->msg[0])
			goto usage;
	}
	free(local_id);
	if (app->n_sources == 0)
		return errbuf_set(err, "nothing to watch: --no-local and no other source");
	app->model_sources = xcalloc(app->n_sources, sizeof(*app->model_sources));
	for (size_t i = 0; i < app->n_sources; i++) {
		app->model_sources[i].name = app->sources[i]->name;
		app->model_sources[i].kind = app->sources[i]->ops->kind;
	}
	app->board = board_new(app->n_sources);
	app->model = model_new(app->model_sources, app->n_sources);
	/* joins by hand name a source by its URI; the model knows sources
	 * by their redacted names */
	app->guest_links = xcalloc(opts->n_guests ? opts->n_guests : 1, sizeof(*app->guest_links));
	for (size_t i = 0; i < opts->n_guests; i++)
		app->guest_links[i] = (struct guest_link){opts->guests[i].vm, uri_redact(opts->guests[i].uri)};
	app->n_guest_links = opts->n_guests;
	struct guest_policy gp = {opts->guest_match, app->guest_links, opts->n_guests};
	model_set_guests(app->model, &gp);
	idle_params_init(&app->idle_params);
	app->idle_params.threshold = opts->idle_threshold;
	app->idle_params.window_s = opts->idle_window_s;
	app->idle_params.cost_core_month = opts->cost_core_month;
	app->idle_params.cost_gib_month = opts->cost_gib_month;
	app->idle_params.currency = opts->currency;
	app->idle = idle_policy_new(&app->idle_params);
	app->history_records = opts->batch && opts->iterations == 0 && opts->history_named;
	app->history = app_history_open(opts, app->history_records);
	if (app->history)
		app_history_seed(app);
	if (opts->batch)
		app_prometheus_seed(app);
	app->interval_ns = (uint64_t)(opts->interval_s * (double)NS_PER_S);
	board_set_unreachable_after(app->board, UNREACHABLE_INTERVALS * app->interval_ns > UNREACHABLE_MIN_NS
							? UNREACHABLE_INTERVALS * app->interval_ns
							: UNREACHABLE_MIN_NS);
	return 0;
usage:
	free(local_id);
	return -1;
}

void app_init_replay(struct app *app, const struct options *opts)
{
	memset(app, 0, sizeof(*app));
	app->opts = opts;
	app->board = board_new(0); /* its pipe wakes the TUI on signals */
	app->interval_ns = (uint64_t)(opts->interval_s * (double)NS_PER_S);
}

void app_start(struct app *app)
{
	app->start_mono = clock_mono_ns();
	board_asking(app->board, app->start_mono);
	app->pollers = xcalloc(app->n_sources, sizeof(*app->pollers));
	for (size_t i = 0; i < app->n_sources; i++)
		app->pollers[i] = poller_start(app->sources[i], app->board, i, app->start_mono,
					       app->interval_ns);
}

static struct board_slot_view *read_board(struct app *app, uint64_t now)
{
	struct board_slot_view *views = xcalloc(app->n_sources, sizeof(*views));

	board_read(app->board, now, STALE_INTERVALS * app->interval_ns, views);
	return views;
}

static void release(struct app *app, struct board_slot_view *views)
{
	board_views_release(views, app->n_sources);
	free(views);
}

void app_ingest(struct app *app)
{
	struct board_slot_view *views = read_board(app, clock_mono_ns());

	for (size_t i = 0; i < app->n_sources; i++)
		model_ingest(app->model, i, views[i].reading);
	release(app, views);
}

bool app_all_reported_since(struct app *app, uint64_t since_mono)
{
	struct board_slot_view *views = read_board(app, clock_mono_ns());
	bool all = true;

	for (size_t i = 0; i < app->n_sources; i++)
		if (views[i].last_report_mono < since_mono)
			all = false;
	release(app, views);
	return all;
}

bool app_any_sampled(struct app *app)
{
	struct board_slot_view *views = read_board(app, clock_mono_ns());
	bool any = false;

	for (size_t i = 0; i < app->n_sources; i++)
		if (views[i].reading)
			any = true;
	release(app, views);
	return any;
}

void app_first_failure(struct app *app, struct errbuf *out)
{
	struct board_slot_view *views = read_board(app, clock_mono_ns());

	errbuf_set(out, "no source could be sampled");
	for (size_t i = 0; i < app->n_sources; i++) {
		if (views[i].health != HEALTH_OK) {
			/* stderr is a terminal too: a name or reason from outside
			 * (a URI, a cgroup path, a daemon's message) is escaped */
			struct strbuf name, why;
			strbuf_init(&name);
			strbuf_init(&why);
			escape_terminal(&name, app->sources[i]->name);
			escape_terminal(&why, views[i].reason[0] ? views[i].reason
								   : health_name(views[i].health));
			errbuf_set(out, "no source could be sampled: %s: %s", name.buf ? name.buf : "",
				   why.buf ? why.buf : "");
			strbuf_done(&name);
			strbuf_done(&why);
			break;
		}
	}
	release(app, views);
}

struct tree *app_build_tree(struct app *app)
{
	uint64_t now = clock_mono_ns();
	struct board_slot_view *views = read_board(app, now);
	struct tree *t = model_build(app->model, views, now, clock_wall_ns(), app->opts->interval_s);

	release(app, views);
	idle_policy_apply(app->idle, t, now);
	power_apply(&app->opts->power, t);
	owner_apply(&app->opts->owner, t);
	return t;
}

void app_done(struct app *app)
{
	uint64_t deadline = clock_mono_ns() + STOP_WAIT_NS;

	/* All at once: one shared wait, not one per hung host. */
	for (size_t i = 0; app->pollers && i < app->n_sources; i++)
		if (app->pollers[i])
			poller_request_stop(app->pollers[i]);
	for (size_t i = 0; app->pollers && i < app->n_sources; i++) {
		uint64_t now = clock_mono_ns();

		if (app->pollers[i] &&
		    !poller_stop(app->pollers[i], now < deadline ? deadline - now : 0))
			app->stuck = true;
	}
	free(app->pollers);
	app->pollers = NULL;
	model_free(app->model);
	app->model = NULL;
	for (size_t i = 0; i < app->n_guest_links; i++)
		free((char *)app->guest_links[i].source);
	free(app->guest_links);
	app->guest_links = NULL;
	idle_policy_free(app->idle);
	app->idle = NULL;
	if (app->history && app->history_records) {
		struct errbuf herr;

		history_flush(app->history, &herr);
	}
	history_close(app->history);
	app->history = NULL;
	if (app->stuck)
		return; /* a thread still uses the sources and the board */
	board_free(app->board);
	for (size_t i = 0; i < app->n_sources; i++)
		source_free(app->sources[i]);
	free(app->sources);
	free(app->model_sources);
}
