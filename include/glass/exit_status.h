/* exit_status.h: what glass's exit status tells a script (glass(1),
 * EXIT STATUS).  Every run function returns one of these. */
#ifndef GLASS_EXIT_STATUS_H
#define GLASS_EXIT_STATUS_H

enum glass_exit {
	/* done, stopped by SIGINT or SIGTERM, or the pipe's reader went away */
	GLASS_EXIT_OK = 0,
	/* a failure at run time: nothing sampled, output not written, an
	 * unusable terminal, a recording with no snapshot */
	GLASS_EXIT_FAILED = 1,
	/* a usage error: a bad flag, config line, URI or combination */
	GLASS_EXIT_USAGE = 2,
};

#endif
