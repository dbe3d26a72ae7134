/* Atomic writes: the new bytes appear whole, a failure keeps the old file
 * and leaves no temporary behind. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "glass/atomic_file.h"
#include "unit.h"

static char dir[64];

static void make_dir(void)
{
	strcpy(dir, "/tmp/glass-atomic-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int count_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

START_TEST(writes_and_replaces)
{
	char path[128];
	struct errbuf err;

	make_dir();
	snprintf(path, sizeof(path), "%s/out.json", dir);
	ck_assert_int_eq(atomic_file_write(path, "first\n", 6, &err), 0);
	ck_assert_str_eq(slurp(path), "first\n");
	ck_assert_int_eq(atomic_file_write(path, "second\n", 7, &err), 0);
	ck_assert_str_eq(slurp(path), "second\n");
	ck_assert_int_eq(count_entries(), 1); /* no temporary left */
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_ne(st.st_mode & 0044, 0); /* readable by others, as with open() */
	remove_dir();
}
END_TEST

START_TEST(missing_directory_is_an_error)
{
	struct errbuf err;

	ck_assert_int_eq(atomic_file_write("/nonexistent-dir/out.json", "x", 1, &err), -1);
	ck_assert_str_eq(err.msg, "/nonexistent-dir/out.json: No such file or directory");
}
END_TEST

START_TEST(failed_rename_keeps_old_file)
{
	char path[128];
	char sub[160];
	struct errbuf err;

	make_dir();
	snprintf(path, sizeof(path), "%s/out", dir);
	ck_assert_int_eq(atomic_file_write(path, "old\n", 4, &err), 0);
	/* A directory at the target: rename(2) fails after the write. */
	snprintf(sub, sizeof(sub), "%s/adir", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	snprintf(sub, sizeof(sub), "%s/adir/inner", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	snprintf(sub, sizeof(sub), "%s/adir", dir);
	ck_assert_int_eq(atomic_file_write(sub, "new\n", 4, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "adir"));
	ck_assert_str_eq(slurp(path), "old\n");
	ck_assert_int_eq(count_entries(), 2); /* out and adir only */
	remove_dir();
}
END_TEST

START_TEST(relative_path)
{
	char old[512];
	struct errbuf err;

	make_dir();
	ck_assert_ptr_nonnull(getcwd(old, sizeof(old)));
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(atomic_file_write("rel.txt", "r", 1, &err), 0);
	ck_assert_str_eq(slurp("rel.txt"), "r");
	ck_assert_int_eq(chdir(old), 0);
	remove_dir();
}
END_TEST

/* -o /dev/null as root: the device stays a device (a rename over it
 * would leave a plain file where every program's /dev/null is). */
START_TEST(device_written_in_place)
{
	char dev[96];
	struct stat st;
	struct errbuf err;

	if (geteuid() != 0)
		return; /* mknod of a character device needs root */
	make_dir();
	snprintf(dev, sizeof(dev), "%s/null", dir);
	ck_assert_int_eq(mknod(dev, S_IFCHR | 0666, makedev(1, 3)), 0);
	ck_assert_int_eq(atomic_file_write(dev, "x", 1, &err), 0);
	ck_assert_int_eq(stat(dev, &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
	remove_dir();
}
END_TEST

static Suite *atomic_suite(void)
{
	Suite *s = suite_create("atomic_file");
	TCase *tc = tcase_create("write");

	tcase_add_test(tc, writes_and_replaces);
	tcase_add_test(tc, missing_directory_is_an_error);
	tcase_add_test(tc, failed_rename_keeps_old_file);
	tcase_add_test(tc, relative_path);
	tcase_add_test(tc, device_written_in_place);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(atomic_suite)
