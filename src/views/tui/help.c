#include "glass/tui/help.h"

#include <stddef.h>

#include "glass/strbuf.h"
#include "glass/tui/keys.h"
#include "glass/tui/pager.h"

/* What the figures mean: the IDLE column and the units are the first
 * things a new operator asks about. */
static const char *const notes[] = {
	"",
	"IDLE: 'idle 1.8c 3.2G' = used below the idle threshold: 1.8 cores and 3.2 GiB were "
	"given and sit unused. 'idle?' = flagged, but watched for less than the window "
	"(provisional). A dash: no allocation known, so no verdict.",
	"Units: '2.0c' and the CPU columns are cores (1 = one CPU busy); memory and rates in "
	"binary units (K M G = KiB MiB GiB; rates per second).",
	"Colours mark idle figures, rows that use more than they were given, and stale hosts. "
	"A dimmed host: its source is stale or unreachable (the line says why, and when glass "
	"retries); its children keep their last values. A dash: unknown.",
	"",
	"Here: Up Down PgUp PgDn Home End scroll; any other key returns.",
};

void tui_help_text(struct strbuf *out)
{
	size_t n;
	const struct tui_binding *b = tui_keys_bindings(&n);

	strbuf_adds(out, "glass keys (as in htop where htop has them)\n\n");
	for (size_t i = 0; i < n; i++) {
		struct strbuf label;

		strbuf_init(&label);
		tui_keys_label(&b[i], &label);
		strbuf_addf(out, "  %-16s %s\n", label.buf, b[i].help);
		strbuf_done(&label);
	}
	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++)
		strbuf_addf(out, "%s\n", notes[i]);
}

void tui_help_draw(struct tui_state *s, int top, int height)
{
	struct strbuf sb;

	strbuf_init(&sb);
	tui_help_text(&sb);
	tui_pager_draw(sb.buf, top, height, &s->help_scroll, TUI_EL_HELP);
	strbuf_done(&sb);
}
