/* tui/state.h: everything the TUI's loop keeps between frames; the draw
 * modules (header, panel, status, help, detail) read it. */
#ifndef GLASS_TUI_STATE_H
#define GLASS_TUI_STATE_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "glass/app.h"
#include "glass/cpustat.h"
#include "glass/idmap.h"
#include "glass/node.h"
#include "glass/procs.h"
#include "glass/tui/panel.h"
#include "glass/tui/theme.h"

enum tui_mode {
	TUI_MODE_TREE,
	TUI_MODE_HELP,
	TUI_MODE_DETAIL,
	TUI_MODE_SEARCH, /* typing in the status line */
	TUI_MODE_FILTER,
	TUI_MODE_PROCS,  /* what runs inside the selected node */
	TUI_MODE_SETUP,  /* columns, sort and theme (F2) */
};

#define TUI_PROMPT_MAX 128
#define TUI_HISTORY 60

/* A reading kept in 16 bits: a float's upper half (its sign, exponent
 * and 7 bits of mantissa), rounded to the nearest, so within 0.4 % of the
 * value: a sparkline cell is one of eight levels.  Unknown (NaN) stays
 * unknown. */
typedef uint16_t tui_h16;

static inline tui_h16 tui_h16_of(double v)
{
	float f = (float)v;
	uint32_t b;

	if (isnan(f))
		return 0x7fc0;
	memcpy(&b, &f, sizeof(b));
	b += 0x7fffu + ((b >> 16) & 1u);
	return (tui_h16)(b >> 16);
}

static inline double tui_h16_value(tui_h16 h)
{
	uint32_t b = (uint32_t)h << 16;
	float f;

	memcpy(&f, &b, sizeof(f));
	return f;
}

/* The last readings of one node and the idle policy's verdicts on them,
 * for the detail pane's idle history.  One is kept for every node on
 * screen (tui_history_record), in 272 bytes: 16-bit readings (a cell of
 * the sparkline is one of 8 levels) and a bit per refresh for the
 * verdicts. */
struct tui_history {
	tui_h16 cpu_used[TUI_HISTORY];
	tui_h16 mem_used[TUI_HISTORY];
	uint64_t idle_cpu; /* bit i: CPU flagged idle at ring cell i */
	uint64_t idle_mem; /* bit i: memory flagged idle at ring cell i */
	float cpu_alloc, mem_alloc; /* the latest allocations: the sparklines' top */
	uint16_t n, head;
	uint32_t seen; /* the refresh that last saw it (low bits: only equality counts) */
};
_Static_assert(TUI_HISTORY <= 64, "a verdict per refresh is one bit of a uint64_t");

struct tui_feed;

struct tui_state {
	struct app *app;          /* (borrowed) */
	struct tree *tree;        /* on screen; NULL before the first reading */
	struct tree *owners;      /* o: tree grouped by owner (tui/owners.h); NULL: off */
	struct tui_panel panel;
	struct tui_theme theme;
	int theme_index;          /* into tui_theme_builtin_names; -1: --theme */
	enum tui_mode mode;
	char prompt[TUI_PROMPT_MAX];
	size_t prompt_len;
	char message[160];        /* shown in the status line until message_until */
	uint64_t message_until;   /* monotonic ns */
	bool paused;
	bool no_color;
	uint64_t refreshes;
	struct idmap *history;    /* id -> struct tui_history */
	struct tui_feed *feed;    /* where the trees come from (tui/feed.h; borrowed) */
	size_t detail_scroll;
	size_t help_scroll;
	/* the process view (procs_view.h) */
	struct procs *procs;      /* CPU times between refreshes; NULL until opened */
	struct proc_list proc_list;
	char *procs_id;           /* the node shown; NULL when closed */
	char *procs_name;
	bool procs_threads;       /* a VM's qemu threads */
	char procs_why[160];      /* why nothing can be shown; "" */
	size_t procs_scroll;
	/* the setup screen (setup.h): every column but NAME, the shown
	 * ones first in their order; then the sort and the theme */
	enum tui_col setup_list[TUI_COL_COUNT];
	bool setup_on[TUI_COL_COUNT];
	size_t setup_n;
	size_t setup_cursor;
	/* this machine's /proc/stat at the last two refreshes (cpustat.h) */
	struct cpustat cpu_prev, cpu_cur;
};

/* Shows a message in the status line for a few seconds (escaped). */
void tui_message(struct tui_state *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The tree the panel shows: grouped by owner, or the tree itself. */
const struct tree *tui_shown(const struct tui_state *s);

#endif
