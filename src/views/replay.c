#include "glass/replay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "glass/app.h"
#include "glass/clock.h"
#include "glass/errbuf.h"
#include "glass/exit_status.h"
#include "glass/history.h"
#include "glass/snapshot_read.h"
#include "glass/writer.h"
#include "glass/xalloc.h"

/* Far longer than any real snapshot; a bigger line is not ours. */
#define REPLAY_MAX_LINE (256u * 1024 * 1024)
/* A line buffer above this is given back after each snapshot. */
#define REPLAY_KEEP_LINE (16u * 1024 * 1024)

static void pause_for(double seconds)
{
	struct timespec ts = clock_ns_to_timespec((uint64_t)(seconds * (double)NS_PER_S));

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* A line that is not a snapshot (a crash or a full disk while recording,
 * two recordings glued together, a stray edit): said and skipped, so one
 * bad line never hides the snapshots after it. */
static void skip_warning(const char *path, unsigned long lineno, const char *why)
{
	glass_say("%s:%lu: warning: %s; line skipped", path, lineno, why);
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
	bool reader_gone = false;
	int status = GLASS_EXIT_OK;
	struct history *h = NULL;

	if (!f) {
		glass_say("--replay %s: %s", o->replay_path, strerror(errno));
		return GLASS_EXIT_USAGE;
	}
	if (writer_init(&w, o, &err) < 0) {
		glass_say("%s", err.msg);
		fclose(f);
		return GLASS_EXIT_USAGE;
	}
	/* --history FILE: the recording becomes history, at its own times */
	if (o->history_named)
		h = app_history_open(o, true);
	while ((len = getline(&line, &cap, f)) > 0) {
		bool complete = line[len - 1] == '\n';

		lineno++;
		if (len == 1 && complete)
			continue;
		if ((size_t)len > REPLAY_MAX_LINE) {
			char why[64];

			snprintf(why, sizeof(why), "longer than %u bytes", REPLAY_MAX_LINE);
			skip_warning(o->replay_path, lineno, why);
			continue;
		}
		struct tree *t = snapshot_parse_spent(line, (size_t)len, 0, &err);
		/* a fleet's line (100 MiB) is not kept while its tree is written */
		if (cap > REPLAY_KEEP_LINE) {
			free(line);
			line = NULL;
			cap = 0;
		}
		if (!t) {
			skip_warning(o->replay_path, lineno, complete ? err.msg : "truncated last line");
			continue;
		}
		if (shown > 0 && (o->set_on_cli & OPTSET_INTERVAL))
			pause_for(o->interval_s);
		if (h)
			history_record(h, t, &err);
		enum writer_status rc = writer_put(&w, t);
		if (rc != WRITER_OK) {
			status = rc == WRITER_FAILED ? GLASS_EXIT_FAILED : GLASS_EXIT_OK;
			reader_gone = rc == WRITER_READER_GONE;
			break;
		}
		shown++;
		if (limit && shown >= limit)
			break;
	}
	if (ferror(f) && status == GLASS_EXIT_OK) {
		glass_say("--replay %s: %s", o->replay_path, strerror(errno));
		status = GLASS_EXIT_FAILED;
	}
	/* an empty file, or one with nothing but bad lines: nothing shown */
	if (status == GLASS_EXIT_OK && shown == 0 && !reader_gone) {
		glass_say("--replay %s: no snapshot in the file", o->replay_path);
		status = GLASS_EXIT_FAILED;
	}
	if (status == GLASS_EXIT_OK && writer_failing(&w))
		status = GLASS_EXIT_FAILED;
	free(line);
	fclose(f);
	writer_done(&w);
	if (h)
		history_flush(h, &err);
	history_close(h);
	return status;
}

struct replay_index {
	FILE *f;
	char *path;
	long *offset;          /* of each snapshot line */
	unsigned long *lineno; /* its line number, for errors */
	size_t n;
};

struct replay_index *replay_index_open(const char *path, struct errbuf *err)
{
	FILE *f = fopen(path, "re");
	struct replay_index *ri;
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	ssize_t len;
	unsigned long lineno = 0;
	long at = 0;

	if (!f) {
		errbuf_set(err, "--replay %s: %s", path, strerror(errno));
		return NULL;
	}
	ri = xcalloc(1, sizeof(*ri));
	ri->f = f;
	ri->path = xstrdup(path);
	while ((len = getline(&line, &cap, f)) > 0) {
		lineno++;
		/* blank lines and a truncated last line are not snapshots */
		if (line[len - 1] == '\n' && len > 1) {
			if (ri->n == alloc) {
				alloc = alloc ? 2 * alloc : 64;
				ri->offset = xreallocarray(ri->offset, alloc, sizeof(*ri->offset));
				ri->lineno = xreallocarray(ri->lineno, alloc, sizeof(*ri->lineno));
			}
			ri->offset[ri->n] = at;
			ri->lineno[ri->n] = lineno;
			ri->n++;
		}
		at += (long)len;
	}
	free(line);
	if (ferror(f) || ri->n == 0) {
		errbuf_set(err, "--replay %s: %s", path, ferror(f) ? strerror(errno) : "no snapshot in the file");
		replay_index_free(ri);
		return NULL;
	}
	return ri;
}

size_t replay_index_count(const struct replay_index *ri)
{
	return ri->n;
}

struct tree *replay_index_load(struct replay_index *ri, size_t i, struct errbuf *err)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	struct tree *t = NULL;

	if (i >= ri->n || fseek(ri->f, ri->offset[i], SEEK_SET) < 0 ||
	    (len = getline(&line, &cap, ri->f)) <= 0) {
		errbuf_set(err, "%s: snapshot %zu: cannot read it again", ri->path, i + 1);
	} else if ((size_t)len > REPLAY_MAX_LINE) {
		errbuf_set(err, "%s:%lu: line longer than %u bytes", ri->path, ri->lineno[i],
			   REPLAY_MAX_LINE);
	} else {
		struct errbuf perr;

		errbuf_clear(&perr);
		t = snapshot_parse_spent(line, (size_t)len, 0, &perr);
		if (!t)
			errbuf_set(err, "%s:%lu: %s", ri->path, ri->lineno[i], perr.msg);
	}
	free(line);
	return t;
}

void replay_index_free(struct replay_index *ri)
{
	if (!ri)
		return;
	fclose(ri->f);
	free(ri->path);
	free(ri->offset);
	free(ri->lineno);
	free(ri);
}
