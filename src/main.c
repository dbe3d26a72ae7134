/* glass: argv -> options -> the TUI or batch. */
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glass/app.h"
#include "glass/batch.h"
#include "glass/columns.h"
#include "glass/config.h"
#include "glass/options.h"
#include "glass/replay.h"
#include "glass/tui.h"
#include "glass/units.h"
#include "glass/view_table.h"

#define EXIT_USAGE 2

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
		fprintf(stderr, "glass: %s\n", err.msg);
		return 1;
	}
	if (!(opts->set_on_cli & OPTSET_INTERVAL)) {
		struct tree *first = replay_index_load(ri, 0, &err);

		if (!first) {
			fprintf(stderr, "glass: %s\n", err.msg);
			replay_index_free(ri);
			return 2;
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
	setlocale(LC_CTYPE, "");
	units_set_utf8(strcmp(nl_langinfo(CODESET), "UTF-8") == 0);
	errbuf_clear(&err);
	options_init(&opts);
	switch (options_parse(&opts, argc, argv, &err)) {
	case OPTIONS_EXIT:
		options_done(&opts);
		return 0;
	case OPTIONS_ERROR:
		fprintf(stderr, "glass: %s\n", err.msg);
		options_done(&opts);
		return EXIT_USAGE;
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
		return 0;
	}
	if (load_config(&opts, &err) < 0) {
		fprintf(stderr, "glass: %s\n", err.msg);
		options_done(&opts);
		return EXIT_USAGE;
	}
	if (view_check_options(&opts, &err) < 0) {
		fprintf(stderr, "glass: %s\n", err.msg);
		options_done(&opts);
		return EXIT_USAGE;
	}
	if (opts.output_path && batch_check_output(opts.output_path, &err) < 0) {
		fprintf(stderr, "glass: %s\n", err.msg);
		options_done(&opts);
		return EXIT_USAGE;
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
		fprintf(stderr, "glass: %s\n", err.msg);
		app_done(&app);
		options_done(&opts);
		return EXIT_USAGE;
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
