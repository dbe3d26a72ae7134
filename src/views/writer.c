#include "glass/writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glass/atomic_file.h"
#include "glass/errbuf.h"
#include "glass/escape.h"
#include "glass/view.h"
#include "glass/view_spill.h"
#include "glass/view_table.h"

/* An output buffer above this is given back after each snapshot: a
 * fleet's CSV of ids alone is 13 MiB, held for nothing between
 * snapshots while the sources read the next; growing it again costs a
 * few page faults per snapshot. */
#define WRITER_KEEP_BYTES (1024u * 1024)
/* A snapshot going to stdout or the record is handed on in pieces of
 * about this size as it is rendered (view_spill.h): a fleet's is never
 * whole in memory, and the buffer is kept from one snapshot to the next. */
#define WRITER_SPILL_BYTES (256u * 1024)

/* One `glass: ` line; a path is the operator's, but a terminal still
 * must not obey bytes in it. */
static void say(const char *msg)
{
	struct strbuf sb;

	strbuf_init(&sb);
	escape_terminal(&sb, msg);
	glass_say("%s", sb.buf ? sb.buf : "");
	strbuf_done(&sb);
}

/* A file target failed (why: "<what>: <reason>") or came back (why:
 * NULL): said once per change, so a textfile writer on a full disk logs
 * one line, not one per interval. */
static void set_failing(bool *failing, const char *what, const char *why)
{
	char msg[ERRBUF_SIZE + 64];

	if (why && !*failing) {
		snprintf(msg, sizeof(msg), "%s; retrying every interval", why);
		say(msg);
	} else if (!why && *failing) {
		snprintf(msg, sizeof(msg), "%s: written again", what);
		say(msg);
	}
	*failing = why != NULL;
}

/* The size of fd up to its last newline: a crash or a full disk in the
 * middle of a write(2) leaves a partial last line, which would glue the
 * next snapshot onto it and spoil both.  -1 on a read error. */
static off_t complete_size(int fd)
{
	struct stat st;
	char buf[4096];
	off_t end;

	if (fstat(fd, &st) < 0)
		return -1;
	end = st.st_size;
	while (end > 0) {
		size_t want = end < (off_t)sizeof(buf) ? (size_t)end : sizeof(buf);
		ssize_t n = pread(fd, buf, want, end - (off_t)want);

		if (n != (ssize_t)want)
			return -1;
		for (size_t i = want; i > 0; i--)
			if (buf[i - 1] == '\n')
				return end - (off_t)want + (off_t)i;
		end -= (off_t)want;
	}
	return 0;
}

/* Cuts a partial last line; the bytes cut, or -1 with errno. */
static long long cut_partial_line(int fd)
{
	struct stat st;
	off_t keep = complete_size(fd);

	if (keep < 0 || fstat(fd, &st) < 0)
		return -1;
	if (keep == st.st_size)
		return 0;
	if (ftruncate(fd, keep) < 0)
		return -1;
	return (long long)(st.st_size - keep);
}

int writer_init(struct writer *w, const struct options *opts, struct errbuf *err)
{
	memset(w, 0, sizeof(*w));
	w->opts = opts;
	w->record_fd = -1;
	strbuf_init(&w->buf);
	if (column_set_parse(&w->cols, opts->fields, opts->format == FORMAT_TEXT, err) < 0)
		return -1;
	if (opts->record_path) {
		/* O_APPEND: each snapshot is one write(2) of one whole line, so
		 * a crash leaves at most a truncated last line; O_RDWR to find
		 * and cut that line when recording starts again. */
		w->record_fd = open(opts->record_path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
		long long cut = w->record_fd < 0 ? -1 : cut_partial_line(w->record_fd);
		if (cut < 0) {
			errbuf_set(err, "--record %s: %s", opts->record_path, strerror(errno));
			if (w->record_fd >= 0)
				close(w->record_fd);
			w->record_fd = -1;
			column_set_done(&w->cols);
			return -1;
		}
		if (cut > 0) {
			char msg[ERRBUF_SIZE];

			snprintf(msg, sizeof(msg), "--record %s: a truncated last line (%lld bytes) cut",
				 opts->record_path, cut);
			say(msg);
		}
	}
	/* a glass killed between writing and renaming left its temporary */
	if (opts->output_path)
		atomic_file_clean_stale(opts->output_path);
	return 0;
}

void writer_done(struct writer *w)
{
	column_set_done(&w->cols);
	if (w->record_fd >= 0)
		close(w->record_fd);
	w->record_fd = -1;
	strbuf_done(&w->buf);
}

bool writer_failing(const struct writer *w)
{
	return w->record_failing || w->output_failing;
}

static void render(struct writer *w, const struct tree *t)
{
	const struct options *o = w->opts;
	/* With -o every write replaces the file: each one needs the header. */
	bool header = !w->header_done || o->output_path;

	const struct view_type *v = view_type_of(o->format);
	struct view_args args = {t, &w->cols, header, &w->buf};

	strbuf_reset(&w->buf);
	if (o->by == BY_OWNER)
		v->render_owner(&args);
	else if (o->idle_only)
		v->render_idle(&args);
	else
		v->render(&args);
	w->header_done = true;
}

/* Where a snapshot's bytes go as they are rendered: the record's file,
 * or stdout.  After the first failed write the rest are dropped. */
struct sink {
	int fd; /* -1: stdout */
	int err;
};

static void sink_write(void *arg, const char *bytes, size_t len)
{
	struct sink *s = arg;

	if (s->err || len == 0)
		return;
	if (s->fd >= 0) {
		if (fd_write_all(s->fd, bytes, len) < 0)
			s->err = errno ? errno : EIO;
	} else if (fwrite(bytes, 1, len, stdout) != len) {
		s->err = errno ? errno : EIO;
	}
}

/* Appends the tree as one line to the record; a failed write is cut back
 * off, so the file holds whole lines only and the next interval tries
 * again. */
static void record(struct writer *w, const struct tree *t)
{
	int e = 0;

	if (w->record_failing && cut_partial_line(w->record_fd) < 0)
		e = errno;
	if (!e) {
		struct stat st;
		off_t before = fstat(w->record_fd, &st) == 0 ? st.st_size : -1;
		struct sink sink = {w->record_fd, 0};

		/* the whole tree, whatever is shown: replay can show any of it */
		strbuf_reset(&w->buf);
		view_spill_set(&w->buf, WRITER_SPILL_BYTES, sink_write, &sink);
		view_json_render(t, &w->buf);
		view_spill_clear();
		sink_write(&sink, w->buf.buf, w->buf.len);
		e = sink.err;
		if (e && before >= 0 && ftruncate(w->record_fd, before) < 0)
			(void)0; /* cut again before the next write */
	}
	struct errbuf what, why;
	errbuf_set(&what, "--record %s", w->opts->record_path);
	errbuf_set(&why, "--record %s: %s", w->opts->record_path, strerror(e));
	set_failing(&w->record_failing, what.msg, e ? why.msg : NULL);
}

enum writer_status writer_write(struct writer *w, struct tree *t, struct errbuf *err)
{
	const char *path = w->opts->output_path;

	if (w->record_fd >= 0)
		record(w, t);
	if (!path && w->no_stdout)
		return WRITER_OK;
	tree_select(t, w->opts->filter, w->opts->kinds);
	if (w->opts->idle_only)
		idle_list_select(t);
	if (path) {
		/* a file is replaced whole (atomic_file.h): rendered whole */
		struct errbuf why;

		render(w, t);
		errbuf_clear(&why);
		int rc = atomic_file_write(path, w->buf.buf, w->buf.len, &why);
		set_failing(&w->output_failing, path, rc < 0 ? why.msg : NULL);
		return WRITER_OK;
	}
	struct sink sink = {-1, 0};

	view_spill_set(&w->buf, WRITER_SPILL_BYTES, sink_write, &sink);
	render(w, t);
	view_spill_clear();
	sink_write(&sink, w->buf.buf, w->buf.len);
	if (!sink.err && fflush(stdout) != 0)
		sink.err = errno ? errno : EIO;
	if (sink.err) {
		if (sink.err == EPIPE)
			return WRITER_READER_GONE;
		errbuf_set(err, "stdout: %s", strerror(sink.err));
		return WRITER_FAILED;
	}
	return WRITER_OK;
}

enum writer_status writer_put(struct writer *w, struct tree *t)
{
	struct errbuf err;
	enum writer_status rc = writer_write(w, t, &err);

	tree_free(t);
	/* A fleet's snapshot is 100 MiB of text: not kept resident while the
	 * next one is read and built. */
	if (w->buf.cap > WRITER_KEEP_BYTES)
		strbuf_done(&w->buf);
	if (rc == WRITER_FAILED)
		glass_say("%s", err.msg);
	return rc;
}
