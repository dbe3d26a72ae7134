/* tui/feed.h: where the TUI's trees come from.  The live feed builds
 * each from the board and the model (app.h); a recording's feed loads
 * the --record file's snapshots (replay.h), one per refresh, stepping
 * back and forth on [ and ].  The loop asks its feed and never which
 * one it has. */
#ifndef GLASS_TUI_FEED_H
#define GLASS_TUI_FEED_H

#include <stdbool.h>

#include "glass/app.h"
#include "glass/errbuf.h"
#include "glass/node.h"
#include "glass/replay.h"
#include "glass/strbuf.h"

struct tui_feed;

struct tui_feed_ops {
	/* The tree to show now (the caller's); NULL with why in err: the
	 * screen keeps the tree it has and shows why; NULL with err empty:
	 * nothing new yet. */
	struct tree *(*tree)(struct tui_feed *f, struct errbuf *err);
	/* After each tree(): the tree it gave is on the screen and the one
	 * before freed (or it gave none): a recording reads its next now,
	 * so that two trees and a third being read are never held. */
	void (*settled)(struct tui_feed *f);
	/* A scheduled refresh that is not paused: a recording moves on. */
	void (*advance)(struct tui_feed *f);
	/* [ and ]: one snapshot back (dir < 0) or forward.  0 when it moved,
	 * -1 when it cannot; either way what to say in msg. */
	int (*step)(struct tui_feed *f, int dir, struct errbuf *msg);
	/* A descriptor that turns readable when a tree is ready for tree()
	 * (a recording read on a thread of its own); -1: none. */
	int (*wake_fd)(const struct tui_feed *f);
	/* What the header says of where the feed is ("  [replay 3/9]"). */
	void (*where)(const struct tui_feed *f, struct strbuf *sb);
	void (*free)(struct tui_feed *f);
};

struct tui_feed {
	const struct tui_feed_ops *ops;
	/* The trees are this moment's: this machine's /proc (its CPUs, its
	 * processes) belongs to them and the clock is now.  False for a
	 * recording: another moment, its time the snapshot's own. */
	bool live;
	/* tree() builds from what the feed keeps, never from the tree on
	 * screen, at once and never NULL: the loop frees that tree before it
	 * asks for the next, so two trees (56 MiB each at 100,000 nodes) are
	 * never held together.  False for a recording: its next tree is read
	 * on a thread while the screen keeps the one it has. */
	bool frees_first;
};

/* The live sources of app (borrowed). */
struct tui_feed *tui_feed_live(struct app *app);
/* A recording (borrowed), from its first snapshot. */
struct tui_feed *tui_feed_replay(struct replay_index *ri);
void tui_feed_free(struct tui_feed *f);

#endif
