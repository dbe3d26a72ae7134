#include "glass/tui/state.h"

#include <stdarg.h>
#include <stdio.h>

#include "glass/clock.h"
#include "glass/strbuf.h"
#include "glass/tui/text.h"

#define MESSAGE_NS (3 * NS_PER_S)

void tui_message(struct tui_state *s, const char *fmt, ...)
{
	char raw[sizeof(s->message)];
	struct strbuf sb;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	strbuf_init(&sb);
	tui_text_escape(&sb, raw);
	snprintf(s->message, sizeof(s->message), "%s", sb.buf ? sb.buf : "");
	strbuf_done(&sb);
	s->message_until = clock_mono_ns() + MESSAGE_NS;
}

const struct tree *tui_shown(const struct tui_state *s)
{
	return s->owners ? s->owners : s->tree;
}
