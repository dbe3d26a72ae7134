/* The cgroup source, its runtime recognition, layout detection and names:
 * on trees written here and on the fixture trees (tests/fixtures/cgroup/).
 * The source is called directly, so two readings have exact times and the
 * rates between them are exact. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "glass/cgroup_layout.h"
#include "glass/cgroup_names.h"
#include "glass/cgroup_runtime.h"
#include "glass/clock.h"
#include "glass/model.h"
#include "glass/source_cgroup.h"
#include "glass/source_host.h"
#include "glass/value.h"
#include "glass/xalloc.h"
#include "unit.h"

#define DOCKER_ID "3f4e8a1b2c9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f"

static char *fixture_dir(const char *name)
{
	const char *srcdir = getenv("SRCDIR");

	return xasprintf("%s/tests/fixtures/cgroup/%s", srcdir ? srcdir : ".", name);
}

static void mkdirs(const char *path)
{
	char *p = xstrdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0755);
			*s = '/';
		}
	}
	mkdir(p, 0755);
	free(p);
}

static void put(const char *root, const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", root, rel);
	char *dir = xstrdup(path);
	FILE *f;

	*strrchr(dir, '/') = '\0';
	mkdirs(dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	free(dir);
	free(path);
}

static void rm_rf(const char *path)
{
	char *cmd = xasprintf("rm -rf '%s'", path);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static char *temp_tree(void)
{
	char tmpl[] = "/tmp/glass-cgroup-unit.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	return xstrdup(tmpl);
}

/* One sample of the source at `root`, stamped at time t. */
static struct reading *sample_at(struct source *src, uint64_t t)
{
	struct reading *r = reading_new();
	struct errbuf err;

	errbuf_clear(&err);
	ck_assert_msg(src->ops->sample(src, r, &err) == 0, "sample: %s", err.msg);
	r->mono_ns = t;
	return r;
}

static struct source *open_source(const char *root)
{
	struct source_cgroup_config cfg = {.root = root, .mountinfo = "/dev/null"};
	struct source *src = source_cgroup_new(&cfg);
	struct errbuf err;

	errbuf_clear(&err);
	ck_assert_msg(src->ops->open(src, &err) == 0, "open: %s", err.msg);
	return src;
}

static void close_source(struct source *src)
{
	src->ops->close(src);
	source_free(src);
}

static const struct raw_node *find_raw(const struct reading *r, const char *suffix)
{
	size_t n = strlen(suffix);

	for (size_t i = 0; i < r->n_nodes; i++) {
		size_t m = strlen(reading_node(r, i)->id);
		if (m >= n && strcmp(reading_node(r, i)->id + m - n, suffix) == 0)
			return reading_node(r, i);
	}
	return NULL;
}

static const struct node *find_node(const struct node *n, const char *suffix)
{
	size_t len = strlen(suffix), m = strlen(n->id);

	if (m >= len && strcmp(n->id + m - len, suffix) == 0)
		return n;
	for (size_t i = 0; i < n->n_children; i++) {
		const struct node *f = find_node(n->children[i], suffix);
		if (f)
			return f;
	}
	return NULL;
}

static void write_v2_counters(const char *root, const char *cg, unsigned long long usage_usec,
			      unsigned long long rbytes, unsigned long long wbytes)
{
	char buf[512];
	char *rel;

	snprintf(buf, sizeof(buf), "usage_usec %llu\nuser_usec %llu\nsystem_usec %llu\n"
		 "nr_periods 0\nnr_throttled 0\nthrottled_usec 0\n", usage_usec, usage_usec / 2,
		 usage_usec - usage_usec / 2);
	rel = xasprintf("%s/cpu.stat", cg);
	put(root, rel, buf);
	free(rel);
	snprintf(buf, sizeof(buf), "8:0 rbytes=%llu wbytes=%llu rios=1 wios=1 dbytes=0 dios=0\n",
		 rbytes, wbytes);
	rel = xasprintf("%s/io.stat", cg);
	put(root, rel, buf);
	free(rel);
}

static void make_v2_tree(const char *root, const char *cg)
{
	char *rel;

	put(root, "cgroup.controllers", "cpu io memory pids\n");
	put(root, "cgroup.procs", "1\n");
	put(root, "system.slice/cgroup.procs", "");
#define PUT(file, text) (rel = xasprintf("%s/" file, cg), put(root, rel, text), free(rel))
	PUT("cgroup.procs", "4242\n");
	PUT("cpu.max", "50000 100000\n");
	PUT("memory.current", "268435456\n");
	PUT("memory.max", "536870912\n");
	PUT("memory.stat", "anon 100\nfile 200\ninactive_file 68435456\nactive_file 1\n");
	PUT("pids.current", "7\n");
	PUT("pids.max", "max\n");
	PUT("cpu.pressure", "some avg10=1.25 avg60=0.50 avg300=0.10 total=100\n"
			    "full avg10=0.50 avg60=0.00 avg300=0.00 total=5\n");
#undef PUT
}

/* Two readings of a tree whose counters moved between them: exact rates. */
START_TEST(v2_two_readings_give_exact_rates)
{
	char *root = temp_tree();
	const char *cg = "system.slice/docker-" DOCKER_ID ".scope";
	struct model_source ms = {"cgroup", "cgroup"};

	make_v2_tree(root, cg);
	write_v2_counters(root, cg, 1000000, 4096, 0);
	struct source *src = open_source(root);
	struct reading *r1 = sample_at(src, 10 * NS_PER_S);
	/* 1.5 s of cpu, 3 MiB read and 1 MiB written, over 2 s */
	write_v2_counters(root, cg, 2500000, 4096 + 3 * 1048576, 1048576);
	struct reading *r2 = sample_at(src, 12 * NS_PER_S);

	const struct raw_node *rn = find_raw(r2, ".scope");
	ck_assert_ptr_nonnull(rn);
	ck_assert_uint_eq(rn->cpu_time_ns, 2500000ULL * 1000);
	ck_assert(rn->cpu_cores_allocated == 0.5);
	ck_assert_uint_eq(rn->mem_allocated, 536870912);
	ck_assert_uint_eq(rn->mem_used, 268435456 - 68435456);
	ck_assert_uint_eq(rn->pids_current, 7);
	ck_assert(!value_u64_known(rn->pids_max));
	ck_assert(rn->psi_some[PSI_CPU] == 1.25);
	ck_assert(rn->psi_full[PSI_CPU] == 0.5);
	ck_assert(!value_known(rn->psi_some[PSI_IO])); /* no io.pressure file */
	ck_assert_str_eq(rn->runtime, "docker");
	ck_assert_str_eq(rn->name, "3f4e8a1b2c9d"); /* no docker data here: the short id */

	struct model *m = model_new(&ms, 1);
	struct board_slot_view v = {.reading = r2, .health = HEALTH_OK, .seq = 2};
	model_ingest(m, 0, r1);
	struct tree *t = model_build(m, &v, 12 * NS_PER_S, 0, 2.0);
	const struct node *c = find_node(t->root, ".scope");
	ck_assert_ptr_nonnull(c);
	ck_assert_msg(c->res.cpu_cores_used == 0.75, "cores %g", c->res.cpu_cores_used);
	ck_assert(c->res.disk_read_bps == 1572864.0);
	ck_assert(c->res.disk_write_bps == 524288.0);
	ck_assert(c->res.psi_some[PSI_CPU] == 1.25);
	ck_assert_int_eq(c->parent->kind, NODE_HOST);

	tree_free(t);
	model_free(m);
	reading_unref(r1);
	reading_unref(r2);
	close_source(src);
	rm_rf(root);
	free(root);
}
END_TEST

static void write_v1(const char *root, const char *ctrl, const char *cg, const char *file,
		     const char *text)
{
	char *rel = xasprintf("%s/%s/%s", ctrl, cg, file);
	put(root, rel, text);
	free(rel);
}

/* A v1 cgroup `cg` with process `pid` in each of the n controllers, the
 * root holding pid 1. */
static void v1_cgroup(const char *root, const char *const *ctrls, size_t n, const char *cg,
		      const char *pid)
{
	for (size_t i = 0; i < n; i++) {
		write_v1(root, ctrls[i], ".", "cgroup.procs", "1\n");
		write_v1(root, ctrls[i], cg, "cgroup.procs", pid);
	}
}

START_TEST(v1_two_readings_give_exact_rates)
{
	char *root = temp_tree();
	struct model_source ms = {"cgroup", "cgroup"};
	static const char *const ctrls[] = {"cpu,cpuacct", "memory", "blkio", "pids"};

	v1_cgroup(root, ctrls, 4, "glass-unit", "4242\n");
	write_v1(root, "cpu,cpuacct", "glass-unit", "cpu.cfs_quota_us", "-1\n");
	write_v1(root, "cpu,cpuacct", "glass-unit", "cpu.cfs_period_us", "100000\n");
	write_v1(root, "cpu,cpuacct", "glass-unit", "cpuacct.usage", "1000000000\n");
	write_v1(root, "memory", "glass-unit", "memory.usage_in_bytes", "1048576\n");
	write_v1(root, "memory", "glass-unit", "memory.limit_in_bytes", "9223372036854771712\n");
	write_v1(root, "memory", "glass-unit", "memory.stat", "cache 0\nrss 1048576\ntotal_inactive_file 4096\n");
	write_v1(root, "blkio", "glass-unit", "blkio.throttle.io_service_bytes", "8:0 Read 0\n8:0 Write 0\nTotal 0\n");
	write_v1(root, "pids", "glass-unit", "pids.current", "3\n");
	write_v1(root, "pids", "glass-unit", "pids.max", "100\n");
	struct source *src = open_source(root);
	struct reading *r1 = sample_at(src, NS_PER_S);
	write_v1(root, "cpu,cpuacct", "glass-unit", "cpuacct.usage", "1250000000\n");
	write_v1(root, "blkio", "glass-unit", "blkio.throttle.io_service_bytes",
		 "8:0 Read 8192\n8:0 Write 2048\n8:16 Read 2048\n8:16 Write 0\nTotal 12288\n");
	struct reading *r2 = sample_at(src, 2 * NS_PER_S);
	const struct raw_node *rn = find_raw(r2, "/glass-unit");
	ck_assert_ptr_nonnull(rn);
	ck_assert(!value_known(rn->cpu_cores_allocated)); /* -1: unlimited */
	ck_assert(!value_u64_known(rn->mem_allocated));   /* the v1 sentinel */
	ck_assert_uint_eq(rn->mem_used, 1048576 - 4096);
	ck_assert_uint_eq(rn->pids_max, 100);
	ck_assert_ptr_null(rn->runtime);

	struct model *m = model_new(&ms, 1);
	struct board_slot_view v = {.reading = r2, .health = HEALTH_OK, .seq = 2};
	model_ingest(m, 0, r1);
	struct tree *t = model_build(m, &v, 2 * NS_PER_S, 0, 1.0);
	const struct node *c = find_node(t->root, "/glass-unit");
	ck_assert(c->res.cpu_cores_used == 0.25);
	ck_assert(c->res.disk_read_bps == 10240.0);
	ck_assert(c->res.disk_write_bps == 2048.0);
	tree_free(t);
	model_free(m);
	reading_unref(r1);
	reading_unref(r2);
	close_source(src);
	rm_rf(root);
	free(root);
}
END_TEST

/* What seldom changes (a limit, whether a leaf has subdirectories) is
 * looked at again once 1.5 s old, not at every sample: a limit
 * written in place and a child made under a leaf show after that, and
 * the counters of every sample are fresh meanwhile. */
START_TEST(settings_and_leaves_are_read_again_within_two_seconds)
{
	char *root = temp_tree();
	static const char *const ctrls[] = {"cpu,cpuacct", "memory", "pids"};

	v1_cgroup(root, ctrls, 3, "glass-unit", "4242\n");
	write_v1(root, "cpu,cpuacct", "glass-unit", "cpuacct.usage", "1000\n");
	write_v1(root, "memory", "glass-unit", "memory.usage_in_bytes", "1048576\n");
	write_v1(root, "memory", "glass-unit", "memory.limit_in_bytes", "2097152\n");
	write_v1(root, "pids", "glass-unit", "pids.current", "3\n");
	struct source *src = open_source(root);
	uint64_t t0 = clock_mono_ns();
	struct reading *r1 = sample_at(src, NS_PER_S);
	ck_assert_uint_eq(find_raw(r1, "/glass-unit")->mem_allocated, 2097152);
	ck_assert_ptr_null(find_raw(r1, "/glass-unit/child"));

	write_v1(root, "memory", "glass-unit", "memory.limit_in_bytes", "4194304\n");
	write_v1(root, "cpu,cpuacct", "glass-unit", "cpuacct.usage", "2000\n");
	v1_cgroup(root, ctrls, 3, "glass-unit/child", "4343\n");
	write_v1(root, "cpu,cpuacct", "glass-unit/child", "cpuacct.usage", "500\n");
	write_v1(root, "memory", "glass-unit/child", "memory.usage_in_bytes", "4096\n");
	write_v1(root, "pids", "glass-unit/child", "pids.current", "1\n");
	struct reading *r2 = sample_at(src, 2 * NS_PER_S);
	const struct raw_node *rn = find_raw(r2, "/glass-unit");
	ck_assert_uint_eq(rn->cpu_time_ns, 2000); /* counters: every sample */
	if (clock_mono_ns() - t0 < NS_PER_S) {
		/* within the 1.5 s (asserted only when the two samples
		 * were quick enough to be): what was read stands */
		ck_assert_uint_eq(rn->mem_allocated, 2097152);
		ck_assert_ptr_null(find_raw(r2, "/glass-unit/child"));
	}

	struct timespec nap = {2, 100 * 1000 * 1000};
	nanosleep(&nap, NULL);
	struct reading *r3 = sample_at(src, 3 * NS_PER_S);
	ck_assert_uint_eq(find_raw(r3, "/glass-unit")->mem_allocated, 4194304);
	rn = find_raw(r3, "/glass-unit/child");
	ck_assert_ptr_nonnull(rn);
	ck_assert_uint_eq(rn->cpu_time_ns, 500);
	ck_assert_uint_eq(rn->mem_used, 4096);
	reading_unref(r1);
	reading_unref(r2);
	reading_unref(r3);
	close_source(src);
	rm_rf(root);
	free(root);
}
END_TEST

/* Listed, then gone before its files were read: no node, no error. */
START_TEST(vanished_cgroup_is_left_out)
{
	char *root = temp_tree();

	make_v2_tree(root, "system.slice/docker-" DOCKER_ID ".scope");
	write_v2_counters(root, "system.slice/docker-" DOCKER_ID ".scope", 1, 0, 0);
	/* a directory with no files: what a read sees after rmdir */
	char *gone = xasprintf("%s/system.slice/docker-aaaaaaaaaaaaaaaaaaaa.scope", root);
	mkdirs(gone);
	struct source *src = open_source(root);
	struct reading *r = sample_at(src, NS_PER_S);
	ck_assert_ptr_nonnull(find_raw(r, DOCKER_ID ".scope"));
	ck_assert_ptr_null(find_raw(r, "aaaaaaaaaaaaaaaaaaaa.scope"));
	ck_assert_uint_eq(r->n_nodes, 2); /* the bare host and the container */
	ck_assert_int_eq(reading_node(r, 0)->kind, NODE_HOST);
	reading_unref(r);
	/* the whole root gone: the sample fails with a reason */
	rm_rf(root);
	struct reading *r2 = reading_new();
	struct errbuf err;
	errbuf_clear(&err);
	ck_assert_int_eq(src->ops->sample(src, r2, &err), -1);
	ck_assert_msg(strstr(err.msg, "No such file") != NULL, "%s", err.msg);
	reading_unref(r2);
	close_source(src);
	free(gone);
	free(root);
}
END_TEST

START_TEST(layouts_of_the_fixtures)
{
	static const struct {
		const char *dir;
		enum cgroup_layout_kind kind;
		bool v1;
		bool unified;
	} cases[] = {
		{"v2", CGROUP_LAYOUT_V2, false, true},
		{"v1", CGROUP_LAYOUT_V1, true, false},
		{"hybrid", CGROUP_LAYOUT_HYBRID, true, true},
	};

	for (size_t i = 0; i < 3; i++) {
		char *root = fixture_dir(cases[i].dir);
		struct cgroup_layout l;
		struct errbuf err;
		errbuf_clear(&err);
		ck_assert_msg(cgroup_layout_detect(root, "/dev/null", &l, &err) == 0, "%s", err.msg);
		ck_assert_int_eq(l.kind, cases[i].kind);
		ck_assert_int_eq(l.dirs[CG_UNIFIED] != NULL, cases[i].unified);
		ck_assert_int_eq(l.dirs[CG_MEMORY] != NULL, cases[i].v1);
		if (cases[i].v1) /* "cpu,cpuacct" serves both */
			ck_assert_str_eq(l.dirs[CG_CPU], l.dirs[CG_CPUACCT]);
		cgroup_layout_done(&l);
		free(root);
	}
	struct cgroup_layout l;
	struct errbuf err;
	ck_assert_int_eq(cgroup_layout_detect("/nonexistent-glass", "/dev/null", &l, &err), -1);
	ck_assert(strstr(err.msg, "/nonexistent-glass") != NULL);
	char *empty = temp_tree();
	ck_assert_int_eq(cgroup_layout_detect(empty, "/dev/null", &l, &err), -1);
	ck_assert(strstr(err.msg, "no cgroup hierarchy") != NULL);
	rm_rf(empty);
	free(empty);
}
END_TEST

/* Real mountinfo lines, as this kind of host writes them. */
START_TEST(mountinfo_lines)
{
	char *mp, *type, *opts;

	ck_assert(cgroup_layout_parse_mountinfo(
		"35 25 0:30 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,cpu,cpuacct\n",
		&mp, &type, &opts));
	ck_assert_str_eq(mp, "/sys/fs/cgroup/cpu,cpuacct");
	ck_assert_str_eq(type, "cgroup");
	ck_assert_str_eq(opts, "rw,cpu,cpuacct");
	free(mp), free(type), free(opts);
	ck_assert(cgroup_layout_parse_mountinfo(
		"30 25 0:26 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n",
		&mp, &type, &opts));
	ck_assert_str_eq(type, "cgroup2");
	free(mp), free(type), free(opts);
	ck_assert(cgroup_layout_parse_mountinfo(
		"40 25 0:40 / /mnt/with\\040space rw - tmpfs tmpfs rw\n", &mp, &type, &opts));
	ck_assert_str_eq(mp, "/mnt/with space");
	free(mp), free(type), free(opts);
	ck_assert(!cgroup_layout_parse_mountinfo("", &mp, &type, &opts));
	ck_assert(!cgroup_layout_parse_mountinfo("1 2 3:4 / /x rw shared:1\n", &mp, &type, &opts));
	ck_assert(!cgroup_layout_parse_mountinfo("1 2 3:4 / /x rw - cgroup\n", &mp, &type, &opts));
}
END_TEST

struct rt_case {
	const char *parent;
	bool in_kubepods, parent_is_pod;
	const char *component;
	enum cgroup_role role;
	const char *runtime;
	const char *key;
	const char *name;
};

START_TEST(runtimes_from_paths)
{
	static const struct rt_case cases[] = {
		{"system.slice", false, false, "docker-" DOCKER_ID ".scope", CGROUP_ROLE_CONTAINER, "docker", DOCKER_ID, "3f4e8a1b2c9d"},
		{"docker", false, false, DOCKER_ID, CGROUP_ROLE_CONTAINER, "docker", DOCKER_ID, "3f4e8a1b2c9d"},
		{"docker", false, false, "not-an-id", CGROUP_ROLE_PLAIN, NULL, NULL, "not-an-id"},
		{"machine.slice", false, false, "libpod-" DOCKER_ID ".scope", CGROUP_ROLE_CONTAINER, "podman", DOCKER_ID, "3f4e8a1b2c9d"},
		{"machine.slice", false, false, "libpod-conmon-" DOCKER_ID ".scope", CGROUP_ROLE_IGNORE, NULL, NULL, NULL},
		{"libpod_parent", false, false, "libpod-" DOCKER_ID, CGROUP_ROLE_CONTAINER, "podman", DOCKER_ID, "3f4e8a1b2c9d"},
		{"kubepods-burstable.slice", true, false, "kubepods-burstable-pod4b1f2c3d_5e6f_4a7b_8c9d_0e1f2a3b4c5d.slice", CGROUP_ROLE_POD, "kubernetes", "4b1f2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "pod-4b1f2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"},
		{"kubepods.slice", true, false, "kubepods-pod4b1f2c3d_5e6f_4a7b_8c9d_0e1f2a3b4c5d.slice", CGROUP_ROLE_POD, "kubernetes", "4b1f2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", NULL},
		{"kubepods.slice", true, false, "kubepods-besteffort.slice", CGROUP_ROLE_PLAIN, NULL, NULL, "kubepods-besteffort.slice"},
		{"besteffort", true, false, "pod4b1f2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", CGROUP_ROLE_POD, "kubernetes", "4b1f2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", NULL},
		{"system.slice", false, false, "pod4b1f2c3d-5e6f", CGROUP_ROLE_PLAIN, NULL, NULL, NULL},
		{"x", true, true, "cri-containerd-" DOCKER_ID ".scope", CGROUP_ROLE_CONTAINER, "containerd", DOCKER_ID, NULL},
		{"x", true, true, "crio-" DOCKER_ID ".scope", CGROUP_ROLE_CONTAINER, "cri-o", DOCKER_ID, NULL},
		{"x", true, true, "crio-conmon-" DOCKER_ID ".scope", CGROUP_ROLE_IGNORE, NULL, NULL, NULL},
		{"x", true, true, DOCKER_ID, CGROUP_ROLE_CONTAINER, "containerd", DOCKER_ID, NULL},
		{"", false, false, "lxc.payload.web01", CGROUP_ROLE_CONTAINER, "lxc", NULL, "web01"},
		{"", false, false, "lxc.monitor.web01", CGROUP_ROLE_IGNORE, NULL, NULL, NULL},
		{"lxc", false, false, "web02", CGROUP_ROLE_CONTAINER, "lxc", NULL, "web02"},
		{"machine.slice", false, false, "systemd-nspawn@debian\\x2dbox.service", CGROUP_ROLE_CONTAINER, "systemd-nspawn", NULL, "debian-box"},
		{"machine.slice", false, false, "machine-qemu\\x2d1\\x2dweb\\x2dvm.scope", CGROUP_ROLE_CONTAINER, "libvirt", NULL, "web-vm"},
		{"machine.slice", false, false, "machine-qemu\\x2d12\\x2dx.scope", CGROUP_ROLE_CONTAINER, "libvirt", NULL, "x"},
		{"machine", false, false, "qemu-2-db-main.libvirt-qemu", CGROUP_ROLE_CONTAINER, "libvirt", NULL, "db-main"},
		{"machine", false, false, "qemu-x-db.libvirt-qemu", CGROUP_ROLE_PLAIN, NULL, NULL, NULL},
		{"machine.slice", false, false, "machine-box.scope", CGROUP_ROLE_CONTAINER, "machined", NULL, "box"},
		{"system.slice", false, false, "ssh.service", CGROUP_ROLE_CONTAINER, "systemd", NULL, "ssh.service"},
		{"system.slice", false, false, "getty@tty1.service", CGROUP_ROLE_CONTAINER, "systemd", NULL, "getty@tty1.service"},
		{"user-1000.slice", false, false, "user@1000.service", CGROUP_ROLE_PLAIN, NULL, NULL, "user@1000.service"},
		{"system.slice", false, false, ".service", CGROUP_ROLE_PLAIN, NULL, NULL, NULL},
		{"", false, false, "init.scope", CGROUP_ROLE_PLAIN, NULL, NULL, "init.scope"},
		{"", false, false, "docker-.scope", CGROUP_ROLE_PLAIN, NULL, NULL, NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rt_case *c = &cases[i];
		struct cgroup_runtime_ctx ctx = {c->parent, c->in_kubepods, c->parent_is_pod};
		struct cgroup_runtime_match m;

		cgroup_runtime_classify(&ctx, c->component, &m);
		ck_assert_msg(m.role == c->role, "%s: role %d, want %d", c->component, m.role, c->role);
		if (c->runtime)
			ck_assert_msg(m.runtime && strcmp(m.runtime, c->runtime) == 0, "%s: runtime %s",
				      c->component, m.runtime ? m.runtime : "(null)");
		else
			ck_assert_msg(m.runtime == NULL, "%s: runtime %s", c->component, m.runtime);
		if (c->key)
			ck_assert_str_eq(m.key, c->key);
		if (c->name)
			ck_assert_str_eq(m.name, c->name);
		cgroup_runtime_match_done(&m);
	}
}
END_TEST

START_TEST(unescape)
{
	static const char *const cases[][2] = {
		{"machine-qemu\\x2d1\\x2dvm.scope", "machine-qemu-1-vm.scope"},
		{"a\\x41b", "aAb"},
		{"trailing\\x4", "trailing\\x4"},
		{"bad\\xzz", "bad\\xzz"},
		{"nul\\x00kept", "nul\\x00kept"},
		{"\\x1b[31m", "\x1b[31m"},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *u = cgroup_runtime_unescape(cases[i][0]);
		ck_assert_str_eq(u, cases[i][1]);
		free(u);
	}
}
END_TEST

START_TEST(names_from_runtime_files)
{
	char *data = fixture_dir("data");
	char *docker = xasprintf("%s/docker", data), *podman = xasprintf("%s/podman", data);
	char *log = xasprintf("%s/log", data);
	struct cgroup_names_config cfg = {docker, podman, log};
	struct cgroup_names *n = cgroup_names_new(&cfg);

	cgroup_names_begin(n);
	ck_assert_str_eq(cgroup_names_container(n, "docker", DOCKER_ID), "web");
	ck_assert_ptr_null(cgroup_names_container(n, "docker", "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b"));
	ck_assert_str_eq(cgroup_names_container(n, "podman", "c0ffee00112233445566778899aabbccddeeff00112233445566778899aabbcc"), "db");
	ck_assert_str_eq(cgroup_names_container(n, "containerd", "aa11bb22cc33dd44ee55ff6600778899aa11bb22cc33dd44ee55ff6600778899"), "api");
	ck_assert_str_eq(cgroup_names_pod(n, "4b1f2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"), "shop/api-5d9c7b");
	ck_assert_ptr_null(cgroup_names_pod(n, "nope"));
	ck_assert_ptr_null(cgroup_names_container(n, NULL, "x"));
	cgroup_names_end(n);
	cgroup_names_free(n);

	/* Bad bytes give no name, never a crash. */
	static const char *const bad[] = {"", "{", "[]", "{\"Name\":3}", "{\"Name\":\"\"}", "{\"Name\":\"/\"}", "null"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_ptr_null(cgroup_names_parse_docker_config(bad[i], strlen(bad[i])));
	char *s = cgroup_names_parse_docker_config("{\"Name\":\"/x\"}", 12);
	ck_assert_ptr_null(s); /* cut short: not JSON */
	s = cgroup_names_parse_docker_config("{\"Name\":\"/x\"}", 13);
	ck_assert_str_eq(s, "x");
	free(s);
	free(docker), free(podman), free(log), free(data);
}
END_TEST

/* Two sources report the local host's id; the first (the host source)
 * keeps the node and its counters, the bare one never overwrites them. */
START_TEST(bare_host_gives_way_to_the_host_source)
{
	static const struct model_source ms[2] = {{"local", "host"}, {"cgroup", "cgroup"}};
	struct model *m = model_new(ms, 2);
	struct reading *h[2], *c[2];
	struct tree *t;

	for (int i = 0; i < 2; i++) {
		h[i] = reading_new();
		h[i]->mono_ns = (uint64_t)(i + 1) * NS_PER_S;
		reading_add_node(h[i], NODE_HOST, "host:h", NULL, "h")->cpu_time_ns = (uint64_t)i * NS_PER_S;
		c[i] = reading_new();
		c[i]->mono_ns = (uint64_t)(i + 1) * NS_PER_S + 1000;
		reading_add_node(c[i], NODE_HOST, "host:h", NULL, "h");
		reading_add_node(c[i], NODE_CONTAINER, "ct:h/x", "host:h", "x");
		model_ingest(m, 0, h[i]);
		model_ingest(m, 1, c[i]);
	}
	struct board_slot_view v[2] = {{.reading = h[1], .health = HEALTH_OK, .seq = 2},
				       {.reading = c[1], .health = HEALTH_OK, .seq = 2}};
	t = model_build(m, v, 3 * NS_PER_S, 0, 1.0);
	ck_assert_uint_eq(t->root->n_children, 1);
	ck_assert(t->root->children[0]->res.cpu_cores_used == 1.0);
	ck_assert_uint_eq(t->root->children[0]->n_children, 1);
	tree_free(t);
	for (int i = 0; i < 2; i++) {
		reading_unref(h[i]);
		reading_unref(c[i]);
	}
	model_free(m);
}
END_TEST

/* A hybrid host: v1 controllers and cgroup2 at unified/.  A cgroup made
 * only in unified/ (a libvirt guest there, or `mkdir unified/x`) has its
 * CPU in unified/x/cpu.stat: read it, with exact rates. */
START_TEST(hybrid_unified_only_cgroup_has_cpu)
{
	char *root = temp_tree();
	struct model_source ms = {"cgroup", "cgroup"};
	static const char *const ctrls[] = {"cpu,cpuacct", "memory", "blkio", "pids"};

	for (size_t i = 0; i < 4; i++)
		write_v1(root, ctrls[i], ".", "cgroup.procs", "1\n");
	put(root, "unified/cgroup.procs", "1\n");
	put(root, "unified/cgroup.controllers", "");
	put(root, "unified/x/cgroup.procs", "4242\n");
	put(root, "unified/x/cgroup.controllers", "");
	put(root, "unified/x/cpu.stat", "usage_usec 2000000\nuser_usec 1500000\nsystem_usec 500000\n");
	struct source *src = open_source(root);
	struct reading *r1 = sample_at(src, NS_PER_S);
	put(root, "unified/x/cpu.stat", "usage_usec 3500000\nuser_usec 2500000\nsystem_usec 1000000\n");
	struct reading *r2 = sample_at(src, 3 * NS_PER_S);
	const struct raw_node *rn = find_raw(r2, "/x");
	ck_assert_ptr_nonnull(rn);
	ck_assert_uint_eq(rn->cpu_time_ns, 3500000ULL * 1000);

	struct model *m = model_new(&ms, 1);
	struct board_slot_view v = {.reading = r2, .health = HEALTH_OK, .seq = 2};
	model_ingest(m, 0, r1);
	struct tree *t = model_build(m, &v, 3 * NS_PER_S, 0, 2.0);
	const struct node *c = find_node(t->root, "/x");
	ck_assert_msg(c && c->res.cpu_cores_used == 0.75, "cores %g", c ? c->res.cpu_cores_used : -1);
	tree_free(t);
	model_free(m);
	reading_unref(r1);
	reading_unref(r2);
	close_source(src);
	rm_rf(root);
	free(root);
}
END_TEST

/* cpuset pinning is an allocation: on v2 (cpuset.cpus.effective) and v1
 * (cpuset.effective_cpus, else cpuset.cpus), against the root's set. */
START_TEST(cpuset_pinning_is_an_allocation)
{
	char *root = temp_tree();
	const char *cg = "system.slice/docker-" DOCKER_ID ".scope";
	char *rel;

	make_v2_tree(root, cg);
	write_v2_counters(root, cg, 1, 0, 0);
	put(root, "cpuset.cpus.effective", "0-7\n");
	put(root, "system.slice/cpu.max", "max 100000\n");
#define PUT(file, text) (rel = xasprintf("%s/" file, cg), put(root, rel, text), free(rel))
	PUT("cpu.max", "max 100000\n");
	PUT("cpuset.cpus.effective", "2-3,6\n");
	struct source *src = open_source(root);
	struct reading *r = sample_at(src, NS_PER_S);
	ck_assert(find_raw(r, ".scope")->cpu_cores_allocated == 3.0);
	reading_unref(r);
	close_source(src);
	/* a quota below the pinned CPUs wins */
	PUT("cpu.max", "150000 100000\n");
	src = open_source(root);
	r = sample_at(src, NS_PER_S);
	ck_assert(find_raw(r, ".scope")->cpu_cores_allocated == 1.5);
	reading_unref(r);
	close_source(src);
	/* as wide as the root: not pinned, and no quota: unknown */
	PUT("cpu.max", "max 100000\n");
	PUT("cpuset.cpus.effective", "0-7\n");
	src = open_source(root);
	r = sample_at(src, NS_PER_S);
	ck_assert(!value_known(find_raw(r, ".scope")->cpu_cores_allocated));
	reading_unref(r);
	close_source(src);
#undef PUT
	rm_rf(root);
	free(root);

	/* v1: effective_cpus, and cpuset.cpus where a kernel has no effective file */
	static const char *const ctrls[] = {"cpu,cpuacct", "memory", "blkio", "pids", "cpuset"};
	root = temp_tree();
	for (size_t i = 0; i < 5; i++) {
		write_v1(root, ctrls[i], ".", "cgroup.procs", "1\n");
		write_v1(root, ctrls[i], "a", "cgroup.procs", "4242\n");
		write_v1(root, ctrls[i], "b", "cgroup.procs", "4243\n");
	}
	write_v1(root, "cpuset", ".", "cpuset.effective_cpus", "0-3\n");
	write_v1(root, "cpuset", "a", "cpuset.effective_cpus", "1\n");
	write_v1(root, "cpuset", "b", "cpuset.cpus", "0,2\n");
	write_v1(root, "cpu,cpuacct", "a", "cpu.cfs_quota_us", "-1\n");
	write_v1(root, "cpu,cpuacct", "b", "cpu.cfs_quota_us", "-1\n");
	src = open_source(root);
	r = sample_at(src, NS_PER_S);
	ck_assert(find_raw(r, "/a")->cpu_cores_allocated == 1.0);
	ck_assert(find_raw(r, "/b")->cpu_cores_allocated == 2.0);
	reading_unref(r);
	close_source(src);
	rm_rf(root);
	free(root);
}
END_TEST

static Suite *cgroup_source_suite(void)
{
	Suite *s = suite_create("cgroup_source");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, v2_two_readings_give_exact_rates);
	tcase_add_test(tc, v1_two_readings_give_exact_rates);
	tcase_add_test(tc, settings_and_leaves_are_read_again_within_two_seconds);
	tcase_add_test(tc, vanished_cgroup_is_left_out);
	tcase_add_test(tc, layouts_of_the_fixtures);
	tcase_add_test(tc, mountinfo_lines);
	tcase_add_test(tc, runtimes_from_paths);
	tcase_add_test(tc, unescape);
	tcase_add_test(tc, names_from_runtime_files);
	tcase_add_test(tc, bare_host_gives_way_to_the_host_source);
	tcase_add_test(tc, hybrid_unified_only_cgroup_has_cpu);
	tcase_add_test(tc, cpuset_pinning_is_an_allocation);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(cgroup_source_suite)
