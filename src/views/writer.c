#include "glass/writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "glass/atomic_file.h"
#include "glass/view.h"
#include "glass/view_table.h"

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
		 * a crash leaves at most a truncated last line. */
		w->record_fd = open(opts->record_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
		if (w->record_fd < 0) {
			errbuf_set(err, "--record %s: %s", opts->record_path, strerror(errno));
			column_set_done(&w->cols);
			return -1;
		}
	}
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

static void render(struct writer *w, const struct tree *t)
{
	const struct options *o = w->opts;
	/* With -o every write replaces the file: each one needs the header. */
	bool header = !w->header_done || o->output_path;

	const struct view_type *v = view_type_of(o->format);
	struct view_args args = {t, &w->cols, header, &w->buf};

	strbuf_reset(&w->buf);
	if (o->idle_only)
		v->render_idle(&args);
	else
		v->render(&args);
	w->header_done = true;
}

int writer_write(struct writer *w, struct tree *t, struct errbuf *err)
{
	const char *path = w->opts->output_path;

	if (w->record_fd >= 0) {
		/* the whole tree, whatever is shown: replay can show any of it */
		strbuf_reset(&w->buf);
		view_json_render(t, &w->buf);
		if (fd_write_all(w->record_fd, w->buf.buf, w->buf.len) < 0) {
			errbuf_set(err, "--record %s: %s", w->opts->record_path, strerror(errno));
			return 1;
		}
	}
	tree_select(t, w->opts->filter, w->opts->kinds);
	if (w->opts->idle_only)
		idle_list_select(t);
	render(w, t);
	if (path)
		return atomic_file_write(path, w->buf.buf, w->buf.len, err) < 0 ? 1 : 0;
	if (fwrite(w->buf.buf, 1, w->buf.len, stdout) != w->buf.len || fflush(stdout) != 0) {
		if (errno == EPIPE)
			return -1;
		errbuf_set(err, "stdout: %s", strerror(errno));
		return 1;
	}
	return 0;
}

int writer_put(struct writer *w, struct tree *t)
{
	struct errbuf err;
	int rc = writer_write(w, t, &err);

	tree_free(t);
	if (rc > 0)
		fprintf(stderr, "glass: %s\n", err.msg);
	return rc;
}
