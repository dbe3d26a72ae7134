/* cgroup_floor: the "floor" of the cgroup benchmark.  Reads the same files
 * glass reads for each cgroup (v1 or v2), with the least code that can:
 * readdir, openat, read, close; no parsing, no allocation per file.
 * Usage: cgroup_floor [--keep] ITERATIONS DELAY_S v1|v2 DIR...   (DIR: each
 * hierarchy; for v1 in the order cpu cpuacct memory blkio pids, "-" when absent).
 * Plain: every refresh walks the hierarchies and opens, reads and closes
 * every file.  --keep: the first refresh walks and opens, later ones only
 * pread(fd, 0) the files already open: no walk, no open, the least work
 * that still reads every file (new cgroups would go unseen). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char buf[32768];
static unsigned long files_read;
static int keep;
static int *kept;
static size_t n_kept, cap_kept;

static int read_at(int dfd, const char *dir, const char *file)
{
	char path[4096];
	int fd;
	ssize_t n, total = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	if (keep) {
		if (n_kept == cap_kept) {
			cap_kept = cap_kept ? 2 * cap_kept : 1024;
			kept = realloc(kept, cap_kept * sizeof(*kept));
			if (!kept)
				abort();
		}
		kept[n_kept++] = fd;
	} else {
		close(fd);
	}
	files_read++;
	return (int)total;
}

static const char *const v2_files[] = {"cpu.stat", "cpu.max", "memory.current", "memory.stat",
	"memory.max", "io.stat", "pids.current", "pids.max", "cpu.pressure", "memory.pressure",
	"io.pressure", NULL};
/* per v1 hierarchy, the files glass reads (cpu.cfs_period_us only with a quota) */
static const char *const v1_files[5][4] = {
	{"cpu.cfs_quota_us", NULL},
	{"cpuacct.usage", NULL},
	{"memory.usage_in_bytes", "memory.stat", "memory.limit_in_bytes", NULL},
	{"blkio.throttle.io_service_bytes_recursive", NULL},
	{"pids.current", "pids.max", NULL},
};

static int v2;
static int fds[5];
static int nfds;

static void read_cgroup(const char *rel)
{
	/* glass checks for processes in a cgroup it does not recognise */
	read_at(fds[0], rel, "cgroup.procs");
	if (v2) {
		for (int i = 0; v2_files[i]; i++)
			read_at(fds[0], rel, v2_files[i]);
		return;
	}
	for (int h = 0; h < nfds; h++)
		for (int i = 0; fds[h] >= 0 && v1_files[h][i]; i++)
			read_at(fds[h], rel, v1_files[h][i]);
}

/* Walks one hierarchy; reads the cgroups of the first one. */
static void walk(int h, const char *rel)
{
	int dfd = openat(fds[h], rel[0] ? rel : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *de;

	if (dfd < 0)
		return;
	d = fdopendir(dfd);
	while (d && (de = readdir(d)) != NULL) {
		char child[4096];
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		snprintf(child, sizeof(child), "%s%s%s", rel, rel[0] ? "/" : "", de->d_name);
		if (h == 0)
			read_cgroup(child);
		walk(h, child);
	}
	if (d)
		closedir(d);
}

int main(int argc, char **argv)
{
	if (argc < 5 + (argc > 1 && strcmp(argv[1], "--keep") == 0)) {
		fprintf(stderr, "usage: cgroup_floor ITERATIONS DELAY_S v1|v2 DIR...\n");
		return 2;
	}
	if (argc > 1 && strcmp(argv[1], "--keep") == 0) {
		keep = 1;
		argv++;
		argc--;
	}
	int iterations = atoi(argv[1]);
	double delay = atof(argv[2]);
	v2 = strcmp(argv[3], "v2") == 0;
	nfds = argc - 4 > 5 ? 5 : argc - 4;
	for (int i = 0; i < nfds; i++)
		fds[i] = strcmp(argv[4 + i], "-") ? open(argv[4 + i], O_RDONLY | O_DIRECTORY) : -1;
	for (int it = 0; it <= iterations; it++) {
		if (keep && it > 0) {
			for (size_t i = 0; i < n_kept; i++) {
				ssize_t n;
				off_t off = 0;
				while ((n = pread(kept[i], buf, sizeof(buf), off)) > 0)
					off += n;
				files_read++;
			}
		} else {
			for (int h = 0; h < nfds; h++)
				if (fds[h] >= 0)
					walk(h, "");
		}
		if (it < iterations) {
			struct timespec ts = {(time_t)delay, (long)((delay - (long)delay) * 1e9)};
			nanosleep(&ts, NULL);
		}
	}
	printf("%lu\n", files_read);
	return 0;
}
