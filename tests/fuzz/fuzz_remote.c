/* libFuzzer harness: the remote glass's stream (source_remote.h), as ssh
 * hands it over: bytes on a pipe, split into lines, the newest line read
 * as a snapshot and turned into this host's reading.  The input goes
 * down the pipe twice, so the second reading integrates rates over the
 * first.  remote.c is included for its private reader state: the stream
 * has no entry point without a live ssh child. */
#include "src/sources/remote.c"

#include <stdint.h>

#define MAX_INPUT (16 * 1024) /* twice this fits a pipe's buffer */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_reading(const struct reading *r)
{
	for (size_t i = 0; i < r->n_nodes; i++) {
		const struct raw_node *n = reading_node(r, i);
		bool parent_seen = n->parent_id == NULL;

		if (!n->id || !n->name || n->kind == NODE_SITE)
			__builtin_trap(); /* the site is this glass's, not the remote's */
		for (size_t j = 0; j < i && !parent_seen; j++)
			parent_seen = strcmp(reading_node(r, j)->id, n->parent_id) == 0;
		if (!parent_seen)
			__builtin_trap(); /* parents come before their children */
	}
}

static void sample(struct source *src)
{
	struct reading *r = reading_new();
	struct errbuf err;

	errbuf_clear(&err);
	if (remote_sample(src, r, &err) == 0)
		check_reading(r);
	else if (!err.msg[0] || strchr(err.msg, '\n'))
		__builtin_trap(); /* a failure says why, on one line */
	reading_unref(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct remote_params params = {.interval_s = 1.0};
	struct errbuf err;
	struct source *src = source_remote_new("glass+ssh://fuzz@remote", &params, &err);
	struct remote_priv *p;
	int out[2], errp[2];

	if (!src)
		__builtin_trap();
	if (size > MAX_INPUT)
		size = MAX_INPUT;
	p = src->priv;
	if (pipe2(out, O_CLOEXEC | O_NONBLOCK) < 0 || pipe2(errp, O_CLOEXEC | O_NONBLOCK) < 0)
		abort();
	close(errp[1]);
	p->out_fd = out[0];
	p->err_fd = errp[0];
	p->opened_mono = clock_mono_ns();
	if (write(out[1], data, size) != (ssize_t)size)
		abort();
	/* without a complete line the reader would wait for more */
	if (memchr(data, '\n', size))
		sample(src);
	if (write(out[1], data, size) != (ssize_t)size)
		abort();
	close(out[1]);
	sample(src); /* the rest, then the end of the stream */
	sample(src);
	close(out[0]);
	close(errp[0]);
	p->out_fd = p->err_fd = -1;
	source_free(src);
	return 0;
}
