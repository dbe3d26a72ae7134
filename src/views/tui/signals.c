#include "glass/tui/signals.h"

#include <string.h>

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t resize_pending;
static struct board *signal_board;

static void on_signal(int sig)
{
	if (sig == SIGWINCH)
		resize_pending = 1;
	else
		stop_requested = 1;
	if (signal_board)
		board_wake(signal_board);
}

void tui_signals_install(struct board *b, struct sigaction old[3])
{
	struct sigaction sa;

	signal_board = b;
	stop_requested = resize_pending = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old[0]);
	sigaction(SIGTERM, &sa, &old[1]);
	sigaction(SIGWINCH, &sa, &old[2]);
}

void tui_signals_restore(struct sigaction old[3])
{
	sigaction(SIGINT, &old[0], NULL);
	sigaction(SIGTERM, &old[1], NULL);
	sigaction(SIGWINCH, &old[2], NULL);
	signal_board = NULL;
}

bool tui_signals_stop_requested(void)
{
	return stop_requested;
}

bool tui_signals_take_resize(void)
{
	if (!resize_pending)
		return false;
	resize_pending = 0;
	return true;
}
