#include "glass/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glass/xalloc.h"

int fd_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A target that is not a regular file (/dev/null, a FIFO, a terminal)
 * is written in place: renaming over it would replace the device with a
 * plain file (as root, /dev/null itself). */
static int write_in_place(const char *path, const void *data, size_t len, struct errbuf *err)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0 || fd_write_all(fd, data, len) < 0) {
		errbuf_set(err, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int atomic_file_write(const char *path, const void *data, size_t len, struct errbuf *err)
{
	struct stat st;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return write_in_place(path, data, len, err);
	char *dircopy = xstrdup(path);
	char *basecopy = xstrdup(path);
	char *tmp = xasprintf("%s/.%s.XXXXXX", dirname(dircopy), basename(basecopy));
	int rc = -1;
	int fd;

	free(dircopy);
	free(basecopy);
	fd = mkstemp(tmp);
	if (fd < 0) {
		errbuf_set(err, "%s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	/* mkstemp makes 0600; an output file is meant to be read by others
	 * (a monitoring agent), as a plain open() with the umask would. */
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || fd_write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		errbuf_set(err, "%s: %s", path, strerror(errno));
		close(fd);
		goto out;
	}
	if (close(fd) < 0) {
		errbuf_set(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (rename(tmp, path) < 0) {
		errbuf_set(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}
