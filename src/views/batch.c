#include "glass/procs_node.h"
#include "glass/batch.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glass/atomic_file.h"
#include "glass/errbuf.h"
#include "glass/exit_status.h"
#include "glass/writer.h"
#include "glass/clock.h"
#include "glass/serve.h"
#include "glass/source_cgroup.h"
#include "glass/strbuf.h"
#include "glass/view.h"
#include "glass/xalloc.h"

/* How long a snapshot may wait past its due time for sources that are
 * still sampling; a slow source is shown with its last reading instead. */
#define GRACE_MAX_NS (NS_PER_S / 2)

static volatile sig_atomic_t stop_requested;
static struct board *signal_board;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
	if (signal_board)
		board_wake(signal_board);
}

static void install_signals(struct board *b)
{
	struct sigaction sa;

	signal_board = b;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A closed pipe (glass -b | head) shows as EPIPE on write. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* Waits until `until` (monotonic), feeding readings to the model as they
 * arrive; returns early when `ready` says so.  False on a stop signal. */
static bool wait_until(struct app *app, uint64_t until, bool (*ready)(struct app *, uint64_t),
		       uint64_t ready_arg)
{
	struct pollfd pfd = {.fd = board_wake_fd(app->board), .events = POLLIN};

	for (;;) {
		uint64_t now = clock_mono_ns();

		if (stop_requested)
			return false;
		if (ready && ready(app, ready_arg))
			return true;
		if (now >= until)
			return true;
		uint64_t left_ms = (until - now + 999999) / 1000000;
		int rc = poll(&pfd, 1, left_ms > 60000 ? 60000 : (int)left_ms);
		if (rc > 0) {
			board_drain(app->board);
			app_ingest(app);
		}
	}
}

int batch_check_output(const char *path, struct errbuf *err)
{
	char *dir, *slash, *probe;
	struct stat st;
	int fd;

	/* a device or a FIFO is written in place (atomic_file_write) */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		if (access(path, W_OK) == 0)
			return 0;
		return errbuf_set(err, "%s: %s", path, strerror(errno));
	}
	dir = xstrdup(path);
	slash = strrchr(dir, '/');

	if (slash == dir)
		dir[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	/* Make and remove a file there: the only test that also holds for
	 * root on a read-only filesystem. */
	probe = xasprintf("%s/.glass-probe.XXXXXX", dir);
	fd = mkstemp(probe);
	if (fd < 0) {
		errbuf_set(err, "%s: cannot write in %s: %s", path, dir, strerror(errno));
		free(probe);
		free(dir);
		return -1;
	}
	close(fd);
	unlink(probe);
	free(probe);
	free(dir);
	return 0;
}

int batch_run(struct app *app)
{
	const struct options *o = app->opts;
	uint64_t grace = app->interval_ns / 4 < GRACE_MAX_NS ? app->interval_ns / 4 : GRACE_MAX_NS;
	struct writer w;
	struct errbuf err;
	struct procs *procs = NULL; /* --processes: CPU times between snapshots */
	int status = GLASS_EXIT_OK;

	if (writer_init(&w, o, &err) < 0) {
		glass_say("%s", err.msg);
		return GLASS_EXIT_USAGE;
	}
#ifdef HAVE_MICROHTTPD
	struct server *server = NULL;

	if (o->serve_listen) {
		/* bound before the first sample: a taken port is said at once */
		server = server_start(o->serve_listen, &err);
		if (!server) {
			glass_say("%s", err.msg);
			writer_done(&w);
			return GLASS_EXIT_FAILED;
		}
		w.no_stdout = !o->output_path;
	}
#endif
	install_signals(app->board);
	app_start(app);
	for (long k = 1; o->iterations == 0 || k <= o->iterations; k++) {
		/* Snapshot k is due one interval after reading k-1, so even
		 * -n 1 has two readings and shows rates. */
		uint64_t due = app->start_mono + (uint64_t)k * app->interval_ns;

		if (!wait_until(app, due, NULL, 0) ||
		    !wait_until(app, due + grace, app_all_reported_since, due))
			break;
		struct tree *t = app_build_tree(app);

		if (o->processes) {
			if (!procs)
				procs = procs_new(NULL);
			procs_fill_tree(procs, t, source_cgroup_root(o));
		}

		app_history_record(app, t);
#ifdef HAVE_MICROHTTPD
		if (server)
			server_publish(server, t);
#endif
		enum writer_status rc = writer_put(&w, t);
		if (rc != WRITER_OK) {
			status = rc == WRITER_FAILED ? GLASS_EXIT_FAILED : GLASS_EXIT_OK;
			break;
		}
	}
	/* a file that could not be written at the end is a failure; one
	 * that failed for a while and came back is not */
	if (status == GLASS_EXIT_OK && writer_failing(&w))
		status = GLASS_EXIT_FAILED;
	writer_done(&w);
	procs_free(procs);
#ifdef HAVE_MICROHTTPD
	server_stop(server);
#endif
	if (status == GLASS_EXIT_OK && !stop_requested && !app_any_sampled(app)) {
		app_first_failure(app, &err);
		glass_say("%s", err.msg);
		status = GLASS_EXIT_FAILED;
	}
	signal_board = NULL;
	return status;
}
