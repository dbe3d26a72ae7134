#include "glass/tui/feed.h"

#include <stddef.h>
#include <stdlib.h>

#include "glass/replay_loader.h"
#include "glass/xalloc.h"

struct live_feed {
	struct tui_feed feed;
	struct app *app;
};

static struct tree *live_tree(struct tui_feed *f, struct errbuf *err)
{
	(void)err;
	return app_build_tree(((struct live_feed *)f)->app);
}

static void live_settled(struct tui_feed *f)
{
	(void)f;
}

/* The sources sample on their own: a refresh only builds a new tree. */
static void live_advance(struct tui_feed *f)
{
	(void)f;
}

static int live_step(struct tui_feed *f, int dir, struct errbuf *msg)
{
	(void)f;
	(void)dir;
	return errbuf_set(msg, "[ and ] step through a recording: glass --replay FILE");
}

static int no_wake_fd(const struct tui_feed *f)
{
	(void)f;
	return -1;
}

static void live_where(const struct tui_feed *f, struct strbuf *sb)
{
	(void)f;
	(void)sb;
}

static void feed_free(struct tui_feed *f)
{
	free(f);
}

static const struct tui_feed_ops live_ops = {live_tree, live_settled, live_advance, live_step, no_wake_fd,
					    live_where, feed_free};

struct tui_feed *tui_feed_live(struct app *app)
{
	struct live_feed *l = xcalloc(1, sizeof(*l));

	l->feed = (struct tui_feed){&live_ops, true, true};
	l->app = app;
	return &l->feed;
}

/* A recording: its snapshots read on a thread of their own, since one of
 * 100,000 nodes takes seconds to read and every key would wait for it;
 * the first one is read before the first screen.  A snapshot already on
 * the screen is never read again. */
struct replay_feed {
	struct tui_feed feed;
	struct replay_index *ri;
	struct replay_loader *loader; /* NULL: no thread, read in the loop */
	size_t pos;   /* the snapshot wanted, 0-based */
	size_t shown; /* the snapshot whose tree the screen has */
	bool any_shown;
	bool asked;   /* the loader is reading asked_pos */
	size_t asked_pos;
};

/* Asks the loader for the snapshot wanted.  Until one is on the screen
 * tree() reads in the loop, and the loader never shares the file with it. */
static void ask(struct replay_feed *r)
{
	if (!r->loader || !r->any_shown || r->pos == r->shown || (r->asked && r->asked_pos == r->pos))
		return;
	replay_loader_request(r->loader, r->pos);
	r->asked = true;
	r->asked_pos = r->pos;
}

static struct tree *replay_tree(struct tui_feed *f, struct errbuf *err)
{
	struct replay_feed *r = (struct replay_feed *)f;
	struct tree *t = NULL;
	size_t at = r->pos;

	if (!r->loader || !r->any_shown) {
		t = replay_index_load(r->ri, r->pos, err);
	} else {
		int rc = replay_loader_take(r->loader, &t, &at, err);
		if (rc < 0) {
			errbuf_clear(err); /* still reading */
			return NULL;
		}
		r->asked = false; /* the loader dropped any request: settled asks again */
	}
	if (t) {
		r->shown = at;
		r->any_shown = true;
	}
	return t;
}

static void replay_settled(struct tui_feed *f)
{
	ask((struct replay_feed *)f);
}

/* One snapshot per refresh, as if live; the last one stays. */
static void replay_advance(struct tui_feed *f)
{
	struct replay_feed *r = (struct replay_feed *)f;

	if (r->pos + 1 < replay_index_count(r->ri))
		r->pos++;
	ask(r);
}

static int replay_step(struct tui_feed *f, int dir, struct errbuf *msg)
{
	struct replay_feed *r = (struct replay_feed *)f;
	size_t n = replay_index_count(r->ri);

	if (dir < 0 && r->pos == 0)
		return errbuf_set(msg, "the first snapshot of the recording");
	if (dir > 0 && r->pos + 1 >= n)
		return errbuf_set(msg, "the last snapshot of the recording");
	r->pos = dir < 0 ? r->pos - 1 : r->pos + 1;
	ask(r);
	errbuf_set(msg, "snapshot %zu of %zu (p plays on)", r->pos + 1, n);
	return 0;
}

static int replay_wake_fd(const struct tui_feed *f)
{
	const struct replay_feed *r = (const struct replay_feed *)f;

	return r->loader ? replay_loader_fd(r->loader) : -1;
}

static void replay_where(const struct tui_feed *f, struct strbuf *sb)
{
	const struct replay_feed *r = (const struct replay_feed *)f;

	strbuf_addf(sb, "  [replay %zu/%zu]", r->shown + 1, replay_index_count(r->ri));
}

static void replay_free(struct tui_feed *f)
{
	replay_loader_free(((struct replay_feed *)f)->loader);
	free(f);
}

static const struct tui_feed_ops replay_ops = {replay_tree, replay_settled, replay_advance, replay_step, replay_wake_fd,
					       replay_where, replay_free};

struct tui_feed *tui_feed_replay(struct replay_index *ri)
{
	struct replay_feed *r = xcalloc(1, sizeof(*r));

	r->feed = (struct tui_feed){&replay_ops, false, false};
	r->ri = ri;
	r->loader = replay_loader_new(ri);
	return &r->feed;
}

void tui_feed_free(struct tui_feed *f)
{
	if (f)
		f->ops->free(f);
}
