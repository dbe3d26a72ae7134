#include "glass/atomic_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "glass/xalloc.h"

/* The temporary's name: .<base>.glass-<pid>-<6 letters or digits>.  The
 * pid tells a temporary that a killed glass left from one that a running
 * glass is still writing; the prefix and the fixed shape keep the
 * clean-up off every file that is not glass's own. */
#define TMP_TAG ".glass-"
#define TMP_RANDOM 6

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

static void split_path(const char *path, char **dir, char **base)
{
	char *dircopy = xstrdup(path);
	char *basecopy = xstrdup(path);

	*dir = xstrdup(dirname(dircopy));
	*base = xstrdup(basename(basecopy));
	free(dircopy);
	free(basecopy);
}

/* Creates the temporary with mode 0666: the kernel applies the umask, as
 * for any plain open(), so the output is readable by a monitoring agent
 * without glass ever touching the process-wide umask (another thread may
 * be forking ssh at that moment). */
static int open_temp(const char *dir, const char *base, char **tmp_out)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	unsigned long long seed = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)ts.tv_sec << 20) ^
				  ((unsigned long long)getpid() << 40) ^ (unsigned long long)(uintptr_t)tmp_out;
	for (int attempt = 0; attempt < 100; attempt++) {
		char rnd[TMP_RANDOM + 1];

		for (int i = 0; i < TMP_RANDOM; i++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			rnd[i] = letters[(seed >> 33) % (sizeof(letters) - 1)];
		}
		rnd[TMP_RANDOM] = '\0';
		char *tmp = xasprintf("%s/.%s" TMP_TAG "%ld-%s", dir, base, (long)getpid(), rnd);
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
		if (fd >= 0) {
			*tmp_out = tmp;
			return fd;
		}
		free(tmp);
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/* A target that is not a regular file (/dev/null, a FIFO, a terminal)
 * takes the bytes as they are: renaming over it would replace the device
 * node with a plain file. */
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
	char *dir, *base, *tmp = NULL;
	struct stat st;
	int rc = -1;
	int fd;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return write_in_place(path, data, len, err);
	split_path(path, &dir, &base);
	fd = open_temp(dir, base, &tmp);
	free(dir);
	free(base);
	if (fd < 0) {
		errbuf_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fd_write_all(fd, data, len) < 0 || fsync(fd) < 0) {
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

/* The pid in a name of the temporaries' shape for this base, or 0. */
static long temp_owner(const char *name, const char *base)
{
	size_t blen = strlen(base), tlen = strlen(TMP_TAG);
	const char *p = name;
	long pid = 0;

	if (p[0] != '.' || strncmp(p + 1, base, blen) != 0 || strncmp(p + 1 + blen, TMP_TAG, tlen) != 0)
		return 0;
	p += 1 + blen + tlen;
	if (*p < '1' || *p > '9')
		return 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (pid > 99999999)
			return 0;
		pid = pid * 10 + (*p - '0');
	}
	if (*p++ != '-' || strlen(p) != TMP_RANDOM)
		return 0;
	for (; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", *p))
			return 0;
	return pid;
}

int atomic_file_clean_stale(const char *path)
{
	char *dir, *base;
	DIR *d;
	struct dirent *e;
	int removed = 0;

	split_path(path, &dir, &base);
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		long pid = temp_owner(e->d_name, base);
		struct stat st;

		/* a temporary whose writer is gone: killed between create and
		 * rename.  A live writer's (or one we may not signal) stays. */
		if (pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			removed++;
	}
	if (d)
		closedir(d);
	free(dir);
	free(base);
	return removed;
}
