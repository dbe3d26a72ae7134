#include "glass/tui/screen.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "glass/strbuf.h"
#include "glass/tui/text.h"
#include "glass/xalloc.h"

static bool screen_up;
static SCREEN *screen;
static int saved_stderr = -1;
static FILE *held_stderr;

/* While curses owns the terminal, whatever a library writes to stderr
 * would scribble over the screen: hold it in a file and replay it once
 * the terminal is back. */
static void hold_stderr(void)
{
	fflush(stderr);
	held_stderr = tmpfile();
	if (!held_stderr)
		return;
	saved_stderr = dup(STDERR_FILENO);
	if (saved_stderr < 0 || dup2(fileno(held_stderr), STDERR_FILENO) < 0) {
		if (saved_stderr >= 0)
			close(saved_stderr);
		saved_stderr = -1;
		fclose(held_stderr);
		held_stderr = NULL;
	}
}

static void release_stderr(void)
{
	char buf[4096];
	size_t n;

	if (!held_stderr)
		return;
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	rewind(held_stderr);
	while ((n = fread(buf, 1, sizeof(buf), held_stderr)) > 0)
		if (fwrite(buf, 1, n, stderr) != n)
			break;
	fflush(stderr);
	fclose(held_stderr);
	held_stderr = NULL;
}
static attr_t el_attr[TUI_EL_COUNT];

static void screen_fatal_hook(void)
{
	/* A fatal message must reach a usable terminal, not the curses
	 * screen (DESIGN.md §6, htop's xalloc). */
	if (screen_up) {
		endwin();
		screen_up = false;
	}
	release_stderr();
}

bool tui_screen_init(void)
{
	/* newterm, not initscr: an unknown TERM is an error glass words
	 * itself, not ncurses' message and exit. */
	screen = newterm(NULL, stdout, stdin);
	if (!screen)
		return false;
	set_term(screen);
	hold_stderr();
	xalloc_set_fatal_hook(screen_fatal_hook);
	/* Escape alone ends a prompt; 25 ms tells it from a key sequence
	 * on any local or ssh terminal. */
	set_escdelay(25);
	screen_up = true;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	leaveok(stdscr, TRUE);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	return true;
}

void tui_screen_done(void)
{
	if (screen_up) {
		endwin();
		screen_up = false;
	}
	release_stderr();
	if (screen) {
		delscreen(screen);
		screen = NULL;
	}
	xalloc_set_fatal_hook(NULL);
}

static short map_color(short c)
{
	if (c < 0)
		return -1;
	/* Bright colours on an 8-colour terminal fall back to the base one. */
	return c >= COLORS ? (short)(c % 8) : c;
}

void tui_screen_apply_theme(const struct tui_theme *th, bool no_color)
{
	bool color = has_colors() && !no_color;
	struct tui_theme mono;

	/* Without colour a theme's attributes may not tell the elements
	 * apart (a title in black on green): the built-in theme's do. */
	if (!color) {
		tui_theme_fallback(&mono);
		th = &mono;
	}
	for (int e = 0; e < TUI_EL_COUNT; e++) {
		const struct tui_style *s = &th->el[e];
		attr_t a = A_NORMAL;

		if (s->attrs & TUI_ATTR_BOLD)
			a |= A_BOLD;
		if (s->attrs & TUI_ATTR_DIM)
			a |= A_DIM;
		if (s->attrs & TUI_ATTR_REVERSE)
			a |= A_REVERSE;
		if (s->attrs & TUI_ATTR_UNDERLINE)
			a |= A_UNDERLINE;
		if (s->attrs & TUI_ATTR_STANDOUT)
			a |= A_STANDOUT;
		if (color && e + 1 < COLOR_PAIRS) {
			init_pair((short)(e + 1), map_color(s->fg), map_color(s->bg));
			a |= COLOR_PAIR(e + 1);
		}
		el_attr[e] = a;
	}
}

void tui_screen_size(int *rows, int *cols)
{
	getmaxyx(stdscr, *rows, *cols);
}

void tui_screen_resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
}

void tui_screen_put(int y, int x, const char *text, enum tui_elem e)
{
	int rows, cols;
	struct strbuf sb;

	getmaxyx(stdscr, rows, cols);
	if (y < 0 || y >= rows || x < 0 || x >= cols)
		return;
	strbuf_init(&sb);
	if (tui_text_width(text) > (size_t)(cols - x)) {
		tui_text_fit(&sb, text, (size_t)(cols - x), TUI_ALIGN_LEFT);
		text = sb.buf;
	}
	attrset(el_attr[e]);
	mvaddstr(y, x, text);
	attrset(A_NORMAL);
	strbuf_done(&sb);
}

void tui_screen_paint(int y, int x, int n, enum tui_elem e)
{
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	if (y < 0 || y >= rows || x < 0 || x >= cols || n <= 0)
		return;
	if (n > cols - x)
		n = cols - x;
	mvchgat(y, x, n, el_attr[e] & ~A_COLOR, (short)PAIR_NUMBER(el_attr[e]), NULL);
}

void tui_screen_fill(int y, enum tui_elem e)
{
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	if (y < 0 || y >= rows)
		return;
	attrset(el_attr[e]);
	mvhline(y, 0, ' ', cols);
	attrset(A_NORMAL);
}

void tui_screen_begin(void)
{
	erase();
}

void tui_screen_commit(void)
{
	wnoutrefresh(stdscr);
	doupdate();
}

void tui_screen_redraw_all(void)
{
	clearok(curscr, TRUE);
}
