/* libFuzzer harness: the theme loader's parser (tui/theme.h): a theme
 * file named by --theme or the config is outside bytes.  Invariants:
 * every style stays in the range the screen maps to curses, and an error
 * is one line naming "<path>:<line>:". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glass/tui/theme.h"

#define PATH "fuzz.theme"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tui_theme th;
	struct errbuf err;
	const unsigned all = TUI_ATTR_BOLD | TUI_ATTR_DIM | TUI_ATTR_REVERSE | TUI_ATTR_UNDERLINE |
			     TUI_ATTR_STANDOUT;

	errbuf_clear(&err);
	if (tui_theme_parse(&th, "fuzz", PATH, (const char *)data, size, &err) < 0) {
		const char *m = err.msg + strlen(PATH ":");
		if (strncmp(err.msg, PATH ":", strlen(PATH ":")) != 0 || *m < '1' || *m > '9')
			__builtin_trap(); /* an error names file:line */
		if (strchr(err.msg, '\n'))
			__builtin_trap(); /* one line */
	}
	if (strcmp(th.name, "fuzz") != 0)
		__builtin_trap();
	for (int i = 0; i < TUI_EL_COUNT; i++) {
		const struct tui_style *s = &th.el[i];
		if (s->fg < TUI_COLOR_DEFAULT || s->fg > 15 || s->bg < TUI_COLOR_DEFAULT || s->bg > 15)
			__builtin_trap(); /* a colour curses can pair */
		if (s->attrs & ~all)
			__builtin_trap();
		if (!tui_theme_elem_name((enum tui_elem)i))
			__builtin_trap();
	}
	return 0;
}
