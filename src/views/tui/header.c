#include "glass/tui/header.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>


#include "glass/clock.h"
#include "glass/tui/feed.h"
#include "glass/tui/screen.h"
#include "glass/tui/text.h"
#include "glass/idle.h"
#include "glass/units.h"

static void count(const struct node *n, size_t counts[5])
{
	counts[n->kind]++;
	for (size_t i = 0; i < n->n_children; i++)
		count(n->children[i], counts);
}

static void add_count(struct strbuf *out, size_t n, const char *one, const char *many)
{
	strbuf_addf(out, "%zu %s", n, n == 1 ? one : many);
}

void tui_header_summary(const struct tree *t, struct strbuf *out)
{
	const char *sep = tui_glyphs()->sep;
	size_t counts[5] = {0};
	size_t health[4] = {0};
	bool first = true;
	static const enum health order[] = {HEALTH_OK, HEALTH_STALE, HEALTH_UNREACHABLE,
					    HEALTH_CONNECTING};

	if (t && t->root)
		count(t->root, counts);
	add_count(out, counts[NODE_HOST], "host", "hosts");
	strbuf_adds(out, sep);
	add_count(out, counts[NODE_VM], "VM", "VMs");
	strbuf_adds(out, sep);
	add_count(out, counts[NODE_CONTAINER], "container", "containers");
	strbuf_adds(out, sep);
	strbuf_adds(out, "sources: ");
	for (size_t i = 0; t && i < t->n_sources; i++)
		health[t->sources[i].health]++;
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		if (!health[order[k]])
			continue;
		if (!first)
			strbuf_adds(out, sep);
		strbuf_addf(out, "%zu %s", health[order[k]], health_name(order[k]));
		first = false;
	}
	if (first)
		strbuf_adds(out, "none yet");
}

void tui_header_idle_line(const struct tree *t, struct strbuf *out)
{
	if (!t || !t->root->rollup) {
		strbuf_addf(out, "idle: %s", units_unknown());
		return;
	}
	char *line = idle_summary_line(t->root->rollup, units_is_utf8());
	strbuf_adds(out, line);
	free(line);
}

/* A line of parts joined by sep, cut to `cols` cells at a part's end:
 * a figure is read whole or not at all.  The first part is always kept
 * (cut by the screen when even it does not fit). */
void tui_header_fit(const char *line, const char *sep, size_t cols, struct strbuf *out)
{
	size_t seplen = strlen(sep);
	const char *p = line;
	bool first = true;

	while (*p) {
		const char *end = strstr(p, sep);
		size_t len = end ? (size_t)(end - p) : strlen(p);
		struct strbuf part;
		size_t w;

		strbuf_init(&part);
		if (!first)
			strbuf_adds(&part, sep);
		strbuf_add(&part, p, len);
		w = tui_text_width(part.buf);
		if (!first && tui_text_width(out->buf ? out->buf : "") + w > cols) {
			strbuf_done(&part);
			break;
		}
		strbuf_adds(out, part.buf);
		strbuf_done(&part);
		first = false;
		p = end ? end + seplen : p + len;
	}
}

void tui_header_draw(const struct tui_state *s, int lines)
{
	struct strbuf sb;
	char clock[16];
	int rows, cols;
	time_t now = time(NULL);
	struct tm tm;

	tui_screen_size(&rows, &cols);
	strbuf_init(&sb);
	strbuf_addf(&sb, "glass %s", PACKAGE_VERSION);
	strbuf_adds(&sb, tui_glyphs()->sep);
	tui_header_summary(s->tree, &sb);
	if (s->feed)
		s->feed->ops->where(s->feed, &sb);
	if (s->paused)
		strbuf_adds(&sb, "  [paused]");
	{
		struct strbuf fit;

		strbuf_init(&fit);
		tui_header_fit(sb.buf, tui_glyphs()->sep, (size_t)cols, &fit);
		strbuf_done(&sb);
		sb = fit;
		if (!sb.buf)
			strbuf_adds(&sb, "");
	}
	tui_screen_fill(0, TUI_EL_HEADER);
	tui_screen_put(0, 0, sb.buf, TUI_EL_HEADER);
	/* a recording shows the time it was taken */
	if (s->feed && !s->feed->live && s->tree && s->tree->wall_ns)
		now = (time_t)(s->tree->wall_ns / 1000000000u);
	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	/* The clock only where it does not cover the summary. */
	if ((size_t)cols >= tui_text_width(sb.buf) + 10)
		tui_screen_put(0, cols - 8, clock, TUI_EL_HEADER);
	if (lines > 1) {
		struct strbuf line;

		strbuf_init(&line);
		strbuf_reset(&sb);
		tui_header_idle_line(s->tree, &line);
		tui_header_fit(line.buf, tui_glyphs()->sep, (size_t)cols, &sb);
		strbuf_done(&line);
		tui_screen_put(1, 0, sb.buf, TUI_EL_IDLE_LINE);
	}
	strbuf_done(&sb);
}
