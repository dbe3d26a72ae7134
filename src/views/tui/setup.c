#include "glass/tui/setup.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "glass/config.h"
#include "glass/config_write.h"
#include "glass/tui/colcfg.h"
#include "glass/tui/pager.h"
#include "glass/tui/screen.h"
#include "glass/tui/text.h"
#include "glass/xalloc.h"

#define KEY_ESC_CODE 27

void tui_setup_apply_options(struct tui_state *s)
{
	const struct options *o = s->app ? s->app->opts : NULL;
	struct errbuf err;

	if (!o)
		return;
	if (o->tui_columns &&
	    tui_columns_parse(o->tui_columns, s->panel.columns, &s->panel.n_columns, &err) == 0)
		s->panel.columns_set = true;
	if (o->tui_sort) {
		enum tui_sort sort;
		bool desc;
		if (tui_sort_parse(o->tui_sort, &sort, &desc, &err) == 0) {
			s->panel.sort = sort;
			s->panel.descending = desc;
		}
	}
}

/* The shown columns first, in their order, then the hidden ones. */
static void build_list(struct tui_state *s)
{
	enum tui_col all[TUI_COL_COUNT];
	size_t n_all = tui_columns_default(all);

	memset(s->setup_on, 0, sizeof(s->setup_on));
	s->setup_n = 0;
	if (s->panel.columns_set) {
		for (size_t i = 0; i < s->panel.n_columns; i++) {
			s->setup_list[s->setup_n++] = s->panel.columns[i];
			s->setup_on[s->panel.columns[i]] = true;
		}
	} else {
		for (size_t i = 0; i < n_all; i++) {
			s->setup_list[s->setup_n++] = all[i];
			s->setup_on[all[i]] = true;
		}
	}
	for (size_t i = 0; i < n_all; i++)
		if (!s->setup_on[all[i]])
			s->setup_list[s->setup_n++] = all[i];
}

/* The list into the panel, at once. */
static void apply_list(struct tui_state *s)
{
	s->panel.n_columns = 0;
	for (size_t i = 0; i < s->setup_n; i++)
		if (s->setup_on[s->setup_list[i]])
			s->panel.columns[s->panel.n_columns++] = s->setup_list[i];
	s->panel.columns_set = true;
}

void tui_setup_open(struct tui_state *s)
{
	build_list(s);
	s->setup_cursor = 0;
	s->mode = TUI_MODE_SETUP;
}

void tui_setup_done(struct tui_state *s)
{
	(void)s;
}

/* Items: the columns, then the sort, then the theme. */
static size_t n_items(const struct tui_state *s)
{
	return s->setup_n + 2;
}

static void move_col(struct tui_state *s, int dir)
{
	size_t i = s->setup_cursor;
	size_t j;
	enum tui_col t;

	if (i >= s->setup_n || (dir < 0 && i == 0) || (dir > 0 && i + 1 >= s->setup_n))
		return;
	j = dir < 0 ? i - 1 : i + 1;
	t = s->setup_list[i];
	s->setup_list[i] = s->setup_list[j];
	s->setup_list[j] = t;
	s->setup_cursor = j;
	apply_list(s);
}

static void activate(struct tui_state *s, int step)
{
	if (s->setup_cursor < s->setup_n) {
		enum tui_col c = s->setup_list[s->setup_cursor];
		size_t shown = 0;
		for (size_t i = 0; i < s->setup_n; i++)
			shown += s->setup_on[s->setup_list[i]];
		if (s->setup_on[c] && shown == 1)
			return; /* NAME alone says nothing: one column stays */
		s->setup_on[c] = !s->setup_on[c];
		apply_list(s);
	} else if (s->setup_cursor == s->setup_n) {
		enum tui_sort next =
			(enum tui_sort)((s->panel.sort + TUI_SORT_COUNT + step) % TUI_SORT_COUNT);
		tui_panel_set_sort(&s->panel, s->tree, next, tui_sort_starts_descending(next));
	}
}

enum tui_setup_result tui_setup_key(struct tui_state *s, int type, wint_t k)
{
	if (type == KEY_CODE_YES) {
		switch (k) {
		case KEY_UP:
			if (s->setup_cursor > 0)
				s->setup_cursor--;
			break;
		case KEY_DOWN:
			if (s->setup_cursor + 1 < n_items(s))
				s->setup_cursor++;
			break;
		case KEY_HOME: s->setup_cursor = 0; break;
		case KEY_END: s->setup_cursor = n_items(s) - 1; break;
		case KEY_F(7): move_col(s, -1); break;
		case KEY_F(8): move_col(s, 1); break;
		case KEY_LEFT:
		case KEY_RIGHT:
			if (s->setup_cursor == s->setup_n + 1)
				return TUI_SETUP_THEME;
			activate(s, k == KEY_LEFT ? -1 : 1);
			break;
		case KEY_ENTER:
			if (s->setup_cursor == s->setup_n + 1)
				return TUI_SETUP_THEME;
			activate(s, 1);
			break;
		case KEY_F(2): return TUI_SETUP_DONE;
		case KEY_F(10): return TUI_SETUP_QUIT;
		default: break;
		}
		return TUI_SETUP_GO_ON;
	}
	switch (k) {
	case ' ':
	case '\r':
	case '\n':
		if (s->setup_cursor == s->setup_n + 1)
			return TUI_SETUP_THEME;
		activate(s, 1);
		break;
	case '[':
	case '-':
		move_col(s, -1);
		break;
	case ']':
	case '+':
		move_col(s, 1);
		break;
	case 'I':
		if (s->setup_cursor == s->setup_n)
			tui_panel_set_sort(&s->panel, s->tree, s->panel.sort, !s->panel.descending);
		break;
	case 'q': return TUI_SETUP_QUIT;
	case KEY_ESC_CODE: return TUI_SETUP_DONE;
	default: break;
	}
	return TUI_SETUP_GO_ON;
}

static const char *theme_name(const struct tui_state *s)
{
	if (s->theme_index >= 0)
		return tui_theme_builtin_names[s->theme_index];
	if (s->app && s->app->opts && s->app->opts->theme)
		return s->app->opts->theme;
	return "default";
}

void tui_setup_draw(struct tui_state *s, int top, int height)
{
	struct strbuf sb;
	size_t cursor_line;

	strbuf_init(&sb);
	strbuf_adds(&sb, "Setup: Up/Down choose, Space shows or hides a column, [ ] (F7 F8) move it\n"
			  "Space or Left/Right: the next sort or theme, I inverts the sort\n"
			  "Esc or F2: done, saved to the config file\n\n");
	cursor_line = 4;
	strbuf_adds(&sb, "Columns (NAME is always first)\n");
	for (size_t i = 0; i < s->setup_n; i++) {
		enum tui_col c = s->setup_list[i];
		strbuf_addf(&sb, "%s [%c] %-8s %s\n", i == s->setup_cursor ? ">" : " ",
			    s->setup_on[c] ? 'x' : ' ', tui_col_title(c), tui_col_key(c));
	}
	struct strbuf sort;
	strbuf_init(&sort);
	tui_sort_format(s->panel.sort, s->panel.descending, &sort);
	strbuf_addf(&sb, "\n%s Sort   %s\n", s->setup_cursor == s->setup_n ? ">" : " ", sort.buf);
	strbuf_done(&sort);
	strbuf_addf(&sb, "%s Theme  ", s->setup_cursor == s->setup_n + 1 ? ">" : " ");
	tui_text_escape(&sb, theme_name(s));
	strbuf_addc(&sb, '\n');
	/* the chosen line in view: the pager scrolls to keep it */
	cursor_line += 1 + (s->setup_cursor < s->setup_n ? s->setup_cursor
							 : s->setup_n + 1 + (s->setup_cursor - s->setup_n));
	{
		size_t scroll = 0;

		if (height > 2 && cursor_line + 2 >= (size_t)height)
			scroll = cursor_line + 3 - (size_t)height;
		tui_pager_draw(sb.buf, top, height, &scroll, TUI_EL_HELP);
	}
	strbuf_done(&sb);
}

int tui_setup_save(struct tui_state *s, char **path, struct errbuf *err)
{
	const struct options *o = s->app ? s->app->opts : NULL;
	struct strbuf cols, sort;
	char *base;
	int rc;

	*path = config_user_path(o ? o->config_path : NULL);
	if (!*path)
		return errbuf_set(err, "no config file to write: HOME is not set (use -C FILE)");
	strbuf_init(&cols);
	strbuf_init(&sort);
	if (s->panel.columns_set)
		tui_columns_format(s->panel.columns, s->panel.n_columns, &cols);
	else {
		enum tui_col all[TUI_COL_COUNT];
		tui_columns_format(all, tui_columns_default(all), &cols);
	}
	tui_sort_format(s->panel.sort, s->panel.descending, &sort);
	const char *keys[] = {"tui.columns", "tui.sort", "theme"};
	const char *values[] = {cols.buf ? cols.buf : "", sort.buf, theme_name(s)};
	/* a system config the user had no copy of is the copy's start */
	base = o && o->config_path ? NULL : config_default_path();
	rc = config_save_keys(*path, base, keys, values, 3, err);
	free(base);
	strbuf_done(&cols);
	strbuf_done(&sort);
	return rc;
}
