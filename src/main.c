/* glass: argv -> options -> the TUI or batch. */
#include <langinfo.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/globals.h>
#include <libxml/parser.h>
#ifdef HAVE_LIBCURL
#include <curl/curl.h>
#endif

#include "glass/app.h"
#include "glass/batch.h"
#include "glass/columns.h"
#include "glass/config.h"
#include "glass/errbuf.h"
#include "glass/escape.h"
#include "glass/exit_status.h"
#include "glass/options.h"
#include "glass/replay.h"
#include "glass/source_ipmi.h"
#include "glass/serve.h"
#include "glass/source_prometheus.h"
#include "glass/source_remote.h"
#include "glass/tui.h"
#include "glass/units.h"
#include "glass/view_table.h"
#include "glass/uri.h"

static void xml_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* glibc's malloc gives each thread that allocates an arena of its own.
 * A poller builds a reading of a whole fleet in its arena (100,000 nodes
 * are tens of MiB) while the main thread builds the tree in the main
 * arena: memory one frees is not reused by the other, and an arena
 * other than the main one is rarely given back, so both stay at their
 * peak.  One arena lets the tree reuse what the last reading freed.
 * Large blocks (a source's records, a reading's list of blocks) are
 * mapped on their own above a fixed 128 KiB: glibc's threshold otherwise
 * grows to 32 MiB after the first such block is freed, and the next ones
 * land in the heap, where a freed one is a hole only the same size
 * refills.
 * Any of glibc's own settings in the environment leaves malloc as
 * they say (glass.1, ENVIRONMENT). */
static void malloc_init(void)
{
#if defined(M_ARENA_MAX) && defined(M_MMAP_THRESHOLD)
	if (getenv("MALLOC_ARENA_MAX") || getenv("MALLOC_MMAP_THRESHOLD_") || getenv("GLIBC_TUNABLES"))
		return;
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

/* Before libvirt starts (and any thread): a read-only monitor never
 * starts a daemon (qemu:///session would autostart a libvirtd that
 * outlives glass), and libxml2, under libvirt, never writes to stderr (a
 * test:/// file it cannot load printed its own "I/O warning" line; the
 * error reaches glass through libvirt anyway).  libxml2 keeps the handler
 * per thread: the default for new threads and the main thread's own. */
static void libraries_init(void)
{
	setenv("LIBVIRT_AUTOSTART", "0", 1);
	xmlInitParser();
	xmlThrDefSetGenericErrorFunc(NULL, xml_quiet);
	xmlSetGenericErrorFunc(NULL, xml_quiet);
#ifdef HAVE_LIBCURL
	/* before any thread: curl_global_init is not thread-safe */
	curl_global_init(CURL_GLOBAL_DEFAULT);
#endif
}

/* libvirt takes `user:pass` whole as the user name; glass drops the
 * password before libvirt sees the URI (libvirt_uri_prepare) and says so
 * once, never printing it. */
static void warn_uri_passwords(const struct options *o)
{
	for (size_t i = 0; i < o->n_uris && !o->no_libvirt; i++) {
		/* the remote, IPMI and Prometheus sources refuse such a URI themselves */
		char *plain = source_remote_uri(o->uris[i]) || source_ipmi_uri(o->uris[i]) ||
					      strncmp(o->uris[i], PROMETHEUS_SCHEME, strlen(PROMETHEUS_SCHEME)) == 0
				      ? NULL
				      : uri_without_password(o->uris[i]);

		if (plain) {
			char *shown = uri_redact(o->uris[i]);
			struct strbuf sb;

			strbuf_init(&sb);
			escape_terminal(&sb, shown);
			glass_say("%s: warning: the password in the URI is not used "
				  "(libvirt would pass it to ssh as part of the user name); it is left out",
				  sb.buf ? sb.buf : "");
			strbuf_done(&sb);
			free(shown);
			free(plain);
		}
	}
}

/* --serve: the exporter runs until stopped, as a batch glass with no
 * snapshots on stdout (-o and --record still write theirs). */
static int check_serve(struct options *o, struct errbuf *err)
{
#ifdef HAVE_MICROHTTPD
	if (serve_parse_listen(o->serve_listen, err) < 0)
		return -1;
	if (o->replay_path)
		return errbuf_set(err, "--serve and --replay: glass serves live sources only");
	if (o->idle_only)
		return errbuf_set(err, "--serve and --idle: /metrics carries every node with its idle flags; "
				       "select in the query (glass_cpu_idle == 1)");
	o->batch = true;
	if (!(o->set_on_cli & OPTSET_ITERATIONS))
		o->iterations = 0;
	return 0;
#else
	(void)o;
	return errbuf_set(err, "--serve: this glass was built without libmicrohttpd "
			       "(install libmicrohttpd-dev and run configure again)");
#endif
}

static int load_config(struct options *o, struct errbuf *err)
{
	if (o->config_path)
		return config_load_file(o, o->config_path, true, err);
	char *path = config_default_path();
	int rc = path ? config_load_file(o, path, false, err) : 0;
	free(path);
	return rc;
}

/* glass --replay FILE on a terminal: the TUI over the recording, one
 * snapshot per interval (-d, else the recording's own). */
static int replay_tui(struct options *opts)
{
	struct errbuf err;
	struct replay_index *ri = replay_index_open(opts->replay_path, &err);
	struct app app;
	int status;

	if (!ri) {
		glass_say("%s", err.msg);
		return GLASS_EXIT_FAILED;
	}
	if (!(opts->set_on_cli & OPTSET_INTERVAL)) {
		/* the recording's interval, from its first good snapshot: the
		 * TUI says which lines are bad when it reaches them */
		struct tree *first = NULL;

		for (size_t i = 0; !first && i < replay_index_count(ri); i++)
			first = replay_index_load(ri, i, &err);
		if (!first) {
			glass_say("--replay %s: no snapshot in the file", opts->replay_path);
			replay_index_free(ri);
			return GLASS_EXIT_FAILED;
		}
		if (first->interval_s > 0)
			opts->interval_s = first->interval_s;
		tree_free(first);
	}
	app_init_replay(&app, opts);
	status = tui_run_replay(&app, ri);
	app_done(&app);
	replay_index_free(ri);
	return status;
}

int main(int argc, char **argv)
{
	struct options opts;
	struct errbuf err;
	struct app app;
	int status;

	/* Only the character type: LC_NUMERIC would change the decimal
	 * separator of every number glass prints and parses. */
	malloc_init(); /* before any thread and any large block */
	libraries_init();
	setlocale(LC_CTYPE, "");
	units_set_utf8(strcmp(nl_langinfo(CODESET), "UTF-8") == 0);
	errbuf_clear(&err);
	options_init(&opts);
	switch (options_parse(&opts, argc, argv, &err)) {
	case OPTIONS_EXIT:
		options_done(&opts);
		return GLASS_EXIT_OK;
	case OPTIONS_ERROR:
		escape_errbuf(&err); /* it may echo an argument's bytes */
		glass_say("%s", err.msg);
		options_done(&opts);
		return GLASS_EXIT_USAGE;
	case OPTIONS_RUN:
		break;
	}
	if (opts.fields && strcmp(opts.fields, "help") == 0) {
		struct strbuf sb;
		strbuf_init(&sb);
		columns_list(&sb);
		fputs(sb.buf, stdout);
		strbuf_done(&sb);
		options_done(&opts);
		return GLASS_EXIT_OK;
	}
	if (load_config(&opts, &err) < 0) {
		glass_say("%s", err.msg);
		options_done(&opts);
		return GLASS_EXIT_USAGE;
	}
	if (view_check_options(&opts, &err) < 0) {
		glass_say("%s", err.msg);
		options_done(&opts);
		return GLASS_EXIT_USAGE;
	}
	if (opts.serve_listen && check_serve(&opts, &err) < 0) {
		glass_say("%s", err.msg);
		options_done(&opts);
		return GLASS_EXIT_USAGE;
	}
	warn_uri_passwords(&opts);
	if (opts.output_path && batch_check_output(opts.output_path, &err) < 0) {
		glass_say("%s", err.msg);
		options_done(&opts);
		return GLASS_EXIT_USAGE;
	}
	if (opts.replay_path) {
		/* On a terminal a recording plays in the TUI, as if live. */
		if (opts.batch || !isatty(STDOUT_FILENO) || opts.output_path)
			status = replay_run(&opts);
		else
			status = replay_tui(&opts);
		options_done(&opts);
		return status;
	}
	/* As systemd-cgtop: with no terminal on stdout, batch is the default;
	 * snapshots into a file are batch's job, even from a terminal. */
	if (!isatty(STDOUT_FILENO) || opts.output_path)
		opts.batch = true;
	if (app_init(&app, &opts, &err) < 0) {
		glass_say("%s", err.msg);
		app_done(&app);
		options_done(&opts);
		return GLASS_EXIT_USAGE;
	}
	status = opts.batch ? batch_run(&app) : tui_run(&app);
	app_done(&app);
	if (app.stuck) {
		/* A poller is inside a call that cannot be cancelled; exit
		 * without running atexit handlers under its feet. */
		fflush(stdout);
		_exit(status);
	}
	options_done(&opts);
	return status;
}
