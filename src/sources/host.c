#include "glass/source_host.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <statgrab.h>

#include "glass/cgroup_parse.h"
#include "glass/clock.h"
#include "glass/value.h"
#include "glass/xalloc.h"

struct host_priv {
	char *id;
	char *hostname;
	long clk_tck;
};

char *source_host_local_id(void)
{
	char name[HOST_NAME_MAX + 1] = "localhost";

	if (gethostname(name, sizeof(name)) < 0)
		strcpy(name, "localhost");
	name[HOST_NAME_MAX] = '\0';
	return xasprintf("host:%s", name);
}

static int sg_fail(struct errbuf *err, const char *what)
{
	sg_error_details det;
	char *msg = NULL;

	sg_get_error_details(&det);
	sg_strperror(&msg, &det);
	errbuf_set(err, "libstatgrab: %s: %s", what, msg ? msg : "unknown error");
	free(msg);
	return -1;
}

static int host_open(struct source *src, struct errbuf *err)
{
	struct host_priv *p = src->priv;

	/* sg_init(1): a component that cannot initialise (no permission to
	 * some /proc file) leaves its fields unknown instead of failing all. */
	if (sg_init(1) != SG_ERROR_NONE)
		return sg_fail(err, "init");
	p->clk_tck = sysconf(_SC_CLK_TCK);
	if (p->clk_tck <= 0)
		p->clk_tck = 100;
	return 0;
}

/* MemAvailable is the kernel's own estimate of what can be given to new
 * work without swapping; libstatgrab has no field for it. */
static uint64_t read_mem_available(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[256];
	uint64_t kib = GLASS_U64_UNKNOWN;

	if (!f)
		return kib;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;

		if (sscanf(line, "MemAvailable: %llu kB", &v) == 1) {
			kib = (uint64_t)v;
			break;
		}
	}
	fclose(f);
	return value_u64_known(kib) ? kib * 1024 : kib;
}

static void sample_cpu(struct host_priv *p, struct raw_node *n)
{
	size_t count = 0;
	sg_cpu_stats *cpu;
	sg_host_info *info = sg_get_host_info_r(&count);

	if (info) {
		if (info->ncpus > 0)
			n->cpu_cores_allocated = (double)info->ncpus;
		sg_free_host_info(info);
	}
	if (!value_known(n->cpu_cores_allocated)) {
		long online = sysconf(_SC_NPROCESSORS_ONLN);
		if (online > 0)
			n->cpu_cores_allocated = (double)online;
	}
	cpu = sg_get_cpu_stats_r(&count);
	if (cpu && count > 0) {
		/* Busy = everything but idle and iowait, summed over all cpus,
		 * in clock ticks; as ns it is a cpu-time counter like a
		 * cgroup's or a VM's, and the model rates it the same way. */
		unsigned long long idle = cpu->idle + cpu->iowait;
		unsigned long long busy = cpu->total > idle ? cpu->total - idle : 0;
		n->cpu_time_ns = (uint64_t)((double)busy * (double)NS_PER_S / (double)p->clk_tck);
	}
	if (cpu)
		sg_free_cpu_stats(cpu);
}

static void sample_memory(struct raw_node *n)
{
	size_t count = 0;
	sg_mem_stats *mem = sg_get_mem_stats_r(&count);
	sg_swap_stats *swap = sg_get_swap_stats_r(&count);

	if (mem) {
		n->mem_allocated = mem->total;
		n->mem_available = read_mem_available();
		if (!value_u64_known(n->mem_available))
			n->mem_available = mem->free + mem->cache;
		n->mem_used = value_u64_sub(n->mem_allocated, n->mem_available);
		n->mem_source = "host";
		sg_free_mem_stats(mem);
	}
	if (swap) {
		n->swap_total = swap->total;
		n->swap_used = swap->used;
		sg_free_swap_stats(swap);
	}
}

static void sample_load(struct raw_node *n)
{
	size_t count = 0;
	sg_load_stats *load = sg_get_load_stats_r(&count);

	if (load) {
		n->load[0] = load->min1;
		n->load[1] = load->min5;
		n->load[2] = load->min15;
		sg_free_load_stats(load);
	}
}

static bool is_loopback(const char *ifname)
{
	return strcmp(ifname, "lo") == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loop devices read from a file on another disk and zram/ram are memory:
 * counting them would count the same bytes twice, or count no disk. */
static bool disk_is_virtual(const char *name)
{
	return strncmp(name, "loop", 4) == 0 || strncmp(name, "zram", 4) == 0 ||
	       strncmp(name, "ram", 3) == 0;
}

static void sample_io(struct raw_node *n)
{
	size_t count = 0;
	sg_disk_io_stats *disks = sg_get_disk_io_stats_r(&count);

	if (disks) {
		n->disk_read_bytes = n->disk_write_bytes = 0;
		for (size_t i = 0; i < count; i++) {
			struct raw_dev *d = raw_node_add_dev(n, RAW_DEV_DISK, disks[i].disk_name);
			d->read_bytes = disks[i].read_bytes;
			d->write_bytes = disks[i].write_bytes;
			if (!disk_is_virtual(disks[i].disk_name)) {
				n->disk_read_bytes += disks[i].read_bytes;
				n->disk_write_bytes += disks[i].write_bytes;
			}
		}
		sg_free_disk_io_stats(disks);
	}
	sg_network_io_stats *net = sg_get_network_io_stats_r(&count);
	if (net) {
		n->net_rx_bytes = n->net_tx_bytes = 0;
		for (size_t i = 0; i < count; i++) {
			struct raw_dev *d = raw_node_add_dev(n, RAW_DEV_NET, net[i].interface_name);
			d->read_bytes = net[i].rx;
			d->write_bytes = net[i].tx;
			/* Loopback traffic never leaves the box. */
			if (!is_loopback(net[i].interface_name)) {
				n->net_rx_bytes += net[i].rx;
				n->net_tx_bytes += net[i].tx;
			}
		}
		sg_free_network_io_stats(net);
	}
}

/* Kernel and memory-backed filesystems hold no capacity an operator
 * plans for; df hides most of them too. */
static bool fs_is_pseudo(const sg_fs_stats *fs)
{
	static const char *const pseudo[] = {
		"proc", "sysfs", "cgroup", "cgroup2", "devpts", "devtmpfs", "tmpfs", "securityfs",
		"debugfs", "tracefs", "pstore", "bpf", "mqueue", "hugetlbfs", "configfs",
		"fusectl", "binfmt_misc", "autofs", "overlay", "nsfs", "ramfs", "squashfs",
	};

	if (fs->size == 0 || !fs->fs_type)
		return true;
	for (size_t i = 0; i < sizeof(pseudo) / sizeof(pseudo[0]); i++)
		if (strcmp(fs->fs_type, pseudo[i]) == 0)
			return true;
	return false;
}

static bool fs_seen(const struct raw_node *n, const char *mount)
{
	for (size_t i = 0; n->more && i < n->more->n_fs; i++)
		if (strcmp(n->more->fs[i].mount, mount) == 0)
			return true;
	return false;
}

static void sample_fs(struct raw_node *n)
{
	size_t count = 0;
	sg_fs_stats *fs = sg_get_fs_stats_r(&count);

	if (!fs)
		return;
	for (size_t i = 0; i < count; i++) {
		if (fs_is_pseudo(&fs[i]) || !fs[i].mnt_point || fs_seen(n, fs[i].mnt_point))
			continue;
		struct raw_fs *f = raw_node_add_fs(n, fs[i].mnt_point, fs[i].device_name, fs[i].fs_type);
		f->size_bytes = fs[i].size;
		f->used_bytes = fs[i].used;
		f->avail_bytes = fs[i].avail;
	}
	sg_free_fs_stats(fs);
}

void source_host_read_psi(const char *dir, struct raw_node *n)
{
	static const char *const files[3] = {[PSI_CPU] = "cpu", [PSI_MEMORY] = "memory",
					     [PSI_IO] = "io"};
	char buf[512];

	for (int i = 0; i < 3; i++) {
		char *path = xasprintf("%s/%s", dir, files[i]);
		FILE *f = fopen(path, "re");
		size_t len = 0;

		free(path);
		if (!f)
			continue;
		len = fread(buf, 1, sizeof(buf), f);
		bool bad = ferror(f) != 0;
		fclose(f);
		if (bad)
			continue;
		/* the same format as a cgroup's cpu.pressure */
		struct cgroup_parse_pressure pr;
		cgroup_parse_pressure(buf, len, &pr);
		n->psi_some[i] = pr.some.avg10;
		n->psi_full[i] = pr.full.avg10;
	}
}

/* The first line of a small sysfs file, without its newline; NULL when
 * unreadable (product_uuid is root-only on most systems). */
static char *read_line(const char *path)
{
	FILE *f = fopen(path, "re");
	char buf[128];

	if (!f)
		return NULL;
	char *line = fgets(buf, sizeof(buf), f);
	fclose(f);
	if (!line)
		return NULL;
	buf[strcspn(buf, "\n")] = '\0';
	return xstrdup(buf);
}

/* A NIC sysfs lists under devices/virtual (loopback, bridges, veth, tap,
 * ifb) is no hardware of this machine: a hypervisor's vnetN carries the
 * MAC of its guest's NIC but with a different first byte, and a bridge
 * copies a port's MAC, so only real (or, in a guest, virtio) NICs count. */
static bool nic_is_virtual(const char *netdir, const char *ifname)
{
	char *path = xasprintf("%s/%s", netdir, ifname);
	char target[PATH_MAX];
	ssize_t len = readlink(path, target, sizeof(target) - 1);

	free(path);
	if (len < 0)
		return false; /* not a link: a plain directory, as in a fixture */
	target[len] = '\0';
	return strstr(target, "/devices/virtual/") != NULL || strncmp(target, "devices/virtual/", 16) == 0;
}

void source_host_read_identity(const char *sysfs_root, struct raw_node *n)
{
	char *path = xasprintf("%s/class/dmi/id/product_uuid", sysfs_root);
	char *uuid = read_line(path);

	free(path);
	identity_set_uuid(&raw_node_more(n)->ident, uuid);
	free(uuid);

	char *netdir = xasprintf("%s/class/net", sysfs_root);
	DIR *d = opendir(netdir);
	struct dirent *e;
	char **names = NULL;
	size_t n_names = 0;

	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || is_loopback(e->d_name) || nic_is_virtual(netdir, e->d_name))
			continue;
		names = xreallocarray(names, n_names + 1, sizeof(*names));
		names[n_names++] = xstrdup(e->d_name);
	}
	if (d)
		closedir(d);
	/* in name order: the same list every sample, whatever readdir gives */
	if (n_names) /* qsort's array must not be NULL, even empty */
		qsort(names, n_names, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n_names; i++) {
		char *p = xasprintf("%s/%s/address", netdir, names[i]);
		char *mac = read_line(p);

		identity_add_mac(&raw_node_more(n)->ident, mac);
		free(mac);
		free(p);
		free(names[i]);
	}
	free(names);
	free(netdir);
}

static int host_sample(struct source *src, struct reading *out, struct errbuf *err)
{
	struct host_priv *p = src->priv;
	struct raw_node *n = reading_add_node(out, NODE_HOST, p->id, NULL, p->hostname);

	(void)err;
	raw_node_set_state(n, "up");
	sample_cpu(p, n);
	sample_memory(n);
	sample_load(n);
	sample_io(n);
	sample_fs(n);
	source_host_read_psi("/proc/pressure", n);
	source_host_read_identity("/sys", n);
	return 0;
}

static void host_close(struct source *src)
{
	(void)src;
	sg_shutdown();
}

static void host_free(struct source *src)
{
	struct host_priv *p = src->priv;

	free(p->id);
	free(p->hostname);
	free(p);
}

static const struct source_ops host_ops = {
	.kind = "host",
	.open = host_open,
	.sample = host_sample,
	.close = host_close,
	.free = host_free,
};

struct source *source_host_new(void)
{
	struct source *src = xcalloc(1, sizeof(*src));
	struct host_priv *p = xcalloc(1, sizeof(*p));

	p->id = source_host_local_id();
	p->hostname = xstrdup(p->id + strlen("host:"));
	src->ops = &host_ops;
	src->name = xstrdup("local");
	src->priv = p;
	return src;
}
