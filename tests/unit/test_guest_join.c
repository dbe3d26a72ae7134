/* Guests: identity hints, and a guest host joined below its VM by the
 * model, with the accounting that counts the VM once (DESIGN.md §2, §3). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glass/clock.h"
#include "glass/errbuf.h"
#include "glass/guest_join.h"
#include "glass/idle.h"
#include "glass/model.h"
#include "glass/source_host.h"
#include "glass/value.h"
#include "unit.h"

#define GIB (1024ULL * 1024 * 1024)
#define UUID_WEB1 "4c4c4544-0042-3510-8052-b4c04f4d3232"
/* the same, first three fields little-endian, as old SMBIOS firmware
 * reports it */
#define UUID_WEB1_SWAPPED "44454c4c-4200-1035-8052-b4c04f4d3232"
#define UUID_WEB2 "9b1f0c52-7a3e-4d5f-8a21-0c6d2e4f1a77"

static const struct model_source sources[3] = {
	{"qemu+tcp://hv/system", "libvirt"},
	{"glass+ssh://web1", "remote"},
	{"glass+ssh://web2", "remote"},
};

/* The hypervisor: two running VMs of 4 vCPUs and 8 GiB, with no balloon
 * figure of memory in use; their MACs as given (NULL: none). */
static struct reading *hypervisor(uint64_t t, const char *mac1, const char *mac2)
{
	struct reading *r = reading_new();
	struct raw_node *h, *v;

	r->mono_ns = t;
	h = reading_add_node(r, NODE_HOST, "host:hv", NULL, "hv");
	h->cpu_cores_allocated = 16;
	h->mem_allocated = 64 * GIB;
	h->cpu_time_ns = t; /* one core busy */
	h->mem_used = 20 * GIB;
	v = reading_add_node(r, NODE_VM, "vm:hv/" UUID_WEB1, "host:hv", "web1");
	raw_node_set_state(v, "running");
	v->cpu_cores_allocated = 4;
	v->mem_allocated = 8 * GIB;
	v->cpu_time_ns = t / 10;
	identity_set_uuid(&raw_node_more(v)->ident, UUID_WEB1);
	identity_add_mac(&raw_node_more(v)->ident, mac1);
	v = reading_add_node(r, NODE_VM, "vm:hv/" UUID_WEB2, "host:hv", "web2");
	raw_node_set_state(v, "running");
	v->cpu_cores_allocated = 4;
	v->mem_allocated = 8 * GIB;
	v->cpu_time_ns = t / 10;
	identity_set_uuid(&raw_node_more(v)->ident, UUID_WEB2);
	identity_add_mac(&raw_node_more(v)->ident, mac2);
	return r;
}

/* A guest host as its remote glass reports it: 4 CPUs, 8 GiB of which
 * 3 GiB in use, one container limited to 1 core and 1 GiB in a group. */
static struct reading *guest(uint64_t t, const char *name, const char *uuid, const char *mac)
{
	struct reading *r = reading_new();
	char id[64], ct[96], grp[96];
	struct raw_node *h, *c;

	snprintf(id, sizeof(id), "host:%s", name);
	snprintf(grp, sizeof(grp), "ct:%s/system.slice", name);
	snprintf(ct, sizeof(ct), "ct:%s/system.slice/docker-a.scope", name);
	r->mono_ns = t;
	h = reading_add_node(r, NODE_HOST, id, NULL, name);
	h->cpu_cores_allocated = 4;
	h->cpu_time_ns = t / 2;
	h->mem_allocated = 8 * GIB;
	h->mem_used = 3 * GIB;
	h->mem_available = 5 * GIB;
	h->load[0] = 0.5;
	identity_set_uuid(&raw_node_more(h)->ident, uuid);
	identity_add_mac(&raw_node_more(h)->ident, mac);
	reading_add_node(r, NODE_GROUP, grp, id, "system.slice");
	c = reading_add_node(r, NODE_CONTAINER, ct, grp, "a");
	c->cpu_cores_allocated = 1;
	c->mem_allocated = GIB;
	c->mem_used = GIB / 8;
	c->cpu_time_ns = t / 100;
	return r;
}

static struct node *find(struct node *n, const char *id)
{
	if (strcmp(n->id, id) == 0)
		return n;
	for (size_t i = 0; i < n->n_children; i++) {
		struct node *f = find(n->children[i], id);
		if (f)
			return f;
	}
	return NULL;
}

static size_t count_nodes(const struct node *n)
{
	size_t k = 1;

	for (size_t i = 0; i < n->n_children; i++)
		k += count_nodes(n->children[i]);
	return k;
}

/* Builds a tree of the hypervisor and up to two guests (NULL: absent). */
static struct tree *build(struct model *m, uint64_t t, struct reading *hv, struct reading *g1,
			  struct reading *g2)
{
	struct board_slot_view v[3] = {
		{.reading = hv, .health = HEALTH_OK, .seq = 1},
		{.reading = g1, .health = g1 ? HEALTH_OK : HEALTH_UNREACHABLE, .seq = 1},
		{.reading = g2, .health = g2 ? HEALTH_OK : HEALTH_UNREACHABLE, .seq = 1},
	};
	struct tree *tr = model_build(m, v, t, 0, 2.0);

	ck_assert_uint_eq(tr->n_nodes, count_nodes(tr->root));
	return tr;
}

/* web1's guest hangs below it: no host:web1 beside the hypervisor, its
 * group and container below the VM, the guest's own view on the VM. */
static void assert_joined(struct tree *t, const char *by)
{
	struct node *vm = find(t->root, "vm:hv/" UUID_WEB1);
	struct node *ct = find(t->root, "ct:web1/system.slice/docker-a.scope");

	ck_assert_ptr_nonnull(vm);
	ck_assert_ptr_null(find(t->root, "host:web1"));
	ck_assert_uint_eq(t->root->n_children, 1); /* the hypervisor only */
	ck_assert_ptr_nonnull(ct);
	ck_assert_ptr_eq(ct->parent->parent, vm);
	ck_assert_ptr_nonnull(vm->guest);
	ck_assert_str_eq(vm->guest->joined_by, by);
	ck_assert_str_eq(vm->guest->host_id, "host:web1");
	ck_assert(vm->guest->cpu_cores == 4);
	ck_assert(vm->guest->mem_bytes_used == (double)(3 * GIB));
	ck_assert(vm->guest->mem_bytes_available == (double)(5 * GIB));
	ck_assert(vm->guest->load[0] == 0.5);
	/* no balloon figure: the guest OS's fills it, and says so */
	ck_assert(vm->res.mem_bytes_used == (double)(3 * GIB));
	ck_assert_str_eq(vm->res.mem_source, "guest-os");
	ck_assert_ptr_null(node_join_note(vm));
	ck_assert(!vm->guest->stale);
}

START_TEST(uuid_join)
{
	struct model *m = model_new(sources, 3);
	struct reading *hv = hypervisor(NS_PER_S, "52:54:00:00:00:01", "52:54:00:00:00:02");
	struct reading *g = guest(NS_PER_S, "web1", UUID_WEB1, NULL);
	struct tree *t = build(m, NS_PER_S, hv, g, NULL);

	assert_joined(t, "uuid");
	ck_assert_ptr_null(find(t->root, "vm:hv/" UUID_WEB2)->guest);
	tree_free(t);
	reading_unref(hv);
	reading_unref(g);
	model_free(m);
}
END_TEST

START_TEST(byte_swapped_uuid_join)
{
	struct model *m = model_new(sources, 3);
	struct reading *hv = hypervisor(NS_PER_S, NULL, NULL);
	/* upper case as some firmware prints it */
	struct reading *g = guest(NS_PER_S, "web1", "44454C4C-4200-1035-8052-B4C04F4D3232", NULL);
	struct tree *t = build(m, NS_PER_S, hv, g, NULL);

	assert_joined(t, "uuid");
	tree_free(t);
	reading_unref(hv);
	reading_unref(g);
	model_free(m);
}
END_TEST

START_TEST(mac_join)
{
	struct model *m = model_new(sources, 3);
	struct reading *hv = hypervisor(NS_PER_S, "52:54:00:00:00:01", "52:54:00:00:00:02");
	struct reading *g = guest(NS_PER_S, "web1", NULL, "52:54:00:00:00:01");
	struct tree *t = build(m, NS_PER_S, hv, g, NULL);

	assert_joined(t, "mac");
	tree_free(t);
	reading_unref(hv);
	reading_unref(g);
	model_free(m);
}
END_TEST

START_TEST(two_vms_with_one_mac_join_nothing)
{
	struct model *m = model_new(sources, 3);
	struct reading *hv = hypervisor(NS_PER_S, "52:54:00:00:00:01", "52:54:00:00:00:01");
	struct reading *g = guest(NS_PER_S, "web1", NULL, "52:54:00:00:00:01");
	struct tree *t = build(m, NS_PER_S, hv, g, NULL);
	struct node *h = find(t->root, "host:web1");
	struct node *v1 = find(t->root, "vm:hv/" UUID_WEB1), *v2 = find(t->root, "vm:hv/" UUID_WEB2);

	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_eq(h->parent, t->root);
	ck_assert_ptr_null(v1->guest);
	ck_assert_ptr_null(v2->guest);
	ck_assert_ptr_nonnull(node_join_note(h));
	ck_assert_ptr_nonnull(strstr(node_join_note(h), "not joined: 2 VMs match by mac"));
	ck_assert_ptr_nonnull(strstr(node_join_note(v1), "host web1"));
	ck_assert_ptr_nonnull(strstr(node_join_note(v2), "host web1"));
	ck_assert_ptr_eq(find(t->root, "ct:web1/system.slice")->parent, h);
	tree_free(t);
	reading_unref(hv);
	reading_unref(g);
	model_free(m);
}
END_TEST

START_TEST(two_hosts_for_one_vm_join_nothing)
{
	struct model *m = model_new(sources, 3);
	struct reading *hv = hypervisor(NS_PER_S, "52:54:00:00:00:01", "52:54:00:00:00:02");
	struct reading *g1 = guest(NS_PER_S, "web1", NULL, "52:54:00:00:00:01");
	struct reading *g2 = guest(NS_PER_S, "web2", NULL, "52:54:00:00:00:01");
	struct tree *t = build(m, NS_PER_S, hv, g1, g2);
	struct node *v1 = find(t->root, "vm:hv/" UUID_WEB1);

	ck_assert_ptr_null(v1->guest);
	ck_assert_ptr_nonnull(strstr(node_join_note(v1), "2 hosts match this VM by mac"));
	ck_assert_ptr_nonnull(node_join_note(find(t->root, "host:web1")));
	ck_assert_ptr_nonnull(node_join_note(find(t->root, "host:web2")));
	ck_assert_uint_eq(t->root->n_children, 3);
	tree_free(t);
	reading_unref(hv);
	reading_unref(g1);
	reading_unref(g2);
	model_free(m);
}
END_TEST

START_TEST(name_join_only_when_asked)
{
	struct model *m = model_new(sources, 3);
	struct reading *hv = hypervisor(NS_PER_S, NULL, NULL);
	struct reading *g = guest(NS_PER_S, "web1", NULL, NULL);
	struct tree *t = build(m, NS_PER_S, hv, g, NULL);

	/* by default names are no evidence: two machines may share one */
	ck_assert_ptr_nonnull(find(t->root, "host:web1"));
	ck_assert_ptr_null(find(t->root, "vm:hv/" UUID_WEB1)->guest);
	tree_free(t);
	struct guest_policy p = {GUEST_MATCH_DEFAULT | GUEST_MATCH_NAME, NULL, 0};
	model_set_guests(m, &p);
	t = build(m, NS_PER_S, hv, g, NULL);
	assert_joined(t, "name");
	tree_free(t);
	reading_unref(hv);
	reading_unref(g);
	model_free(m);
}
END_TEST

START_TEST(config_join)
{
	struct model *m = model_new(sources, 3);
	struct reading *hv = hypervisor(NS_PER_S, NULL, NULL);
	struct reading *g = guest(NS_PER_S, "web1", NULL, NULL);
	/* by name of the VM, and a link to a VM that is not there */
	const struct guest_link links[2] = {{"vm:hv/web1", "glass+ssh://web1"},
					    {"vm:hv/nosuch", "glass+ssh://web2"}};
	struct guest_policy p = {GUEST_MATCH_DEFAULT, links, 2};
	struct reading *g2 = guest(NS_PER_S, "web2", NULL, NULL);

	model_set_guests(m, &p);
	struct tree *t = build(m, NS_PER_S, hv, g, g2);
	ck_assert_str_eq(find(t->root, "vm:hv/" UUID_WEB1)->guest->joined_by, "config");
	ck_assert_ptr_null(find(t->root, "host:web1"));
	ck_assert_ptr_nonnull(strstr(node_join_note(find(t->root, "host:web2")), "vm:hv/nosuch is not in the tree"));
	tree_free(t);
	reading_unref(hv);
	reading_unref(g);
	reading_unref(g2);
	model_free(m);
}
END_TEST

START_TEST(guest_vanishes_and_returns)
{
	struct model *m = model_new(sources, 3);
	struct reading *hv1 = hypervisor(NS_PER_S, "52:54:00:00:00:01", NULL);
	struct reading *g1 = guest(NS_PER_S, "web1", NULL, "52:54:00:00:00:01");
	struct reading *hv2 = hypervisor(3 * NS_PER_S, "52:54:00:00:00:01", NULL);
	struct reading *hv3 = hypervisor(5 * NS_PER_S, "52:54:00:00:00:01", NULL);
	struct reading *g3 = guest(5 * NS_PER_S, "web1", NULL, "52:54:00:00:00:01");
	struct tree *t = build(m, NS_PER_S, hv1, g1, NULL);

	assert_joined(t, "mac");
	tree_free(t);
	/* the guest's glass is gone: the VM stands alone, its balloon-less
	 * memory unknown again, nothing of the guest left below it */
	t = build(m, 3 * NS_PER_S, hv2, NULL, NULL);
	struct node *vm = find(t->root, "vm:hv/" UUID_WEB1);
	ck_assert_ptr_null(vm->guest);
	ck_assert_uint_eq(vm->n_children, 0);
	ck_assert(!value_known(vm->res.mem_bytes_used));
	ck_assert_ptr_null(find(t->root, "ct:web1/system.slice/docker-a.scope"));
	tree_free(t);
	/* back: joined again, the container's rates from its last counters */
	t = build(m, 5 * NS_PER_S, hv3, g3, NULL);
	assert_joined(t, "mac");
	ck_assert(value_known(find(t->root, "ct:web1/system.slice/docker-a.scope")->res.cpu_cores_used));
	tree_free(t);
	reading_unref(hv1);
	reading_unref(g1);
	reading_unref(hv2);
	reading_unref(hv3);
	reading_unref(g3);
	model_free(m);
}
END_TEST

/* The guest's glass has no fresh reading: still joined, its figures
 * marked as the last known ones. */
START_TEST(stale_guest_stays_joined)
{
	struct model *m = model_new(sources, 3);
	struct reading *hv = hypervisor(NS_PER_S, "52:54:00:00:00:01", NULL);
	struct reading *g = guest(NS_PER_S, "web1", NULL, "52:54:00:00:00:01");
	struct board_slot_view v[3] = {
		{.reading = hv, .health = HEALTH_OK, .seq = 1},
		{.reading = g, .health = HEALTH_STALE, .seq = 1},
		{.reading = NULL, .health = HEALTH_UNREACHABLE, .seq = 1},
	};
	struct tree *t = model_build(m, v, NS_PER_S, 0, 2.0);
	struct node *vm = find(t->root, "vm:hv/" UUID_WEB1);

	ck_assert_ptr_nonnull(vm->guest);
	ck_assert(vm->guest->stale);
	ck_assert(!vm->stale);
	ck_assert(find(t->root, "ct:web1/system.slice/docker-a.scope")->stale);
	tree_free(t);
	reading_unref(hv);
	reading_unref(g);
	model_free(m);
}
END_TEST

START_TEST(no_double_counting)
{
	struct model *m = model_new(sources, 3);
	struct idle_params ip;
	struct reading *hv = hypervisor(NS_PER_S, "52:54:00:00:00:01", "52:54:00:00:00:02");
	struct reading *g = guest(NS_PER_S, "web1", NULL, "52:54:00:00:00:01");
	struct reading *hv2 = hypervisor(3 * NS_PER_S, "52:54:00:00:00:01", "52:54:00:00:00:02");
	struct reading *g2 = guest(3 * NS_PER_S, "web1", NULL, "52:54:00:00:00:01");

	idle_params_init(&ip);
	struct idle_policy *pol = idle_policy_new(&ip);
	struct tree *t = build(m, NS_PER_S, hv, g, NULL);
	idle_policy_apply(pol, t, NS_PER_S);
	tree_free(t);
	t = build(m, 3 * NS_PER_S, hv2, g2, NULL);
	idle_policy_apply(pol, t, 3 * NS_PER_S);

	const struct rollup *r = t->root->rollup;
	struct node *vm = find(t->root, "vm:hv/" UUID_WEB1);
	struct node *ct = find(t->root, "ct:web1/system.slice/docker-a.scope");
	/* one host: the hypervisor; the guest is no second machine */
	ck_assert_uint_eq(r->hosts, 1);
	ck_assert_uint_eq(r->vms, 2);
	ck_assert_uint_eq(r->containers, 1);
	/* the VMs hold 8 cores and 16 GiB; the container inside is not added */
	ck_assert(r->cpu.allocated == 8);
	ck_assert(r->mem.allocated == (double)(16 * GIB));
	ck_assert(r->cpu.total == 16);
	/* the VM (10% busy) is flagged and counted; the container inside is
	 * flagged (1% of its core) but never counted */
	ck_assert(vm->idle_cpu.idle && vm->idle_cpu.counted);
	ck_assert(ct->idle_cpu.idle && !ct->idle_cpu.counted);
	ck_assert(!ct->idle_mem.counted);
	double slack = 0;
	for (size_t i = 0; i < t->root->children[0]->n_children; i++) {
		const struct node *v = t->root->children[0]->children[i];
		if (v->idle_cpu.counted)
			slack += v->idle_cpu.idle_amount;
	}
	ck_assert(r->cpu.slack == slack);
	/* the guest's own idle: 4 vCPUs less the container's 1; 8 GiB less 1 */
	ck_assert(vm->guest->inner_cpu_allocated == 1);
	ck_assert(vm->guest->inner_cpu_unallocated == 3);
	ck_assert(vm->guest->inner_mem_unallocated == (double)(7 * GIB));
	tree_free(t);
	idle_policy_free(pol);
	reading_unref(hv);
	reading_unref(g);
	reading_unref(hv2);
	reading_unref(g2);
	model_free(m);
}
END_TEST

START_TEST(identity_hints)
{
	struct identity id = {0}, other = {0};

	ck_assert(!identity_set_uuid(&id, "not-a-uuid"));
	ck_assert(!identity_set_uuid(&id, "00000000-0000-0000-0000-000000000000"));
	ck_assert(!identity_set_uuid(&id, "ffffffff-ffff-ffff-ffff-ffffffffffff"));
	ck_assert(!identity_set_uuid(&id, UUID_WEB1 "00"));
	ck_assert_ptr_null(id.uuid);
	ck_assert(identity_set_uuid(&id, "4C4C4544004235108052B4C04F4D3232"));
	ck_assert_str_eq(id.uuid, UUID_WEB1);
	ck_assert(!identity_add_mac(&id, "00:00:00:00:00:00"));
	ck_assert(!identity_add_mac(&id, "ff:ff:ff:ff:ff:ff"));
	ck_assert(!identity_add_mac(&id, "52:54:00:00:00"));
	ck_assert(!identity_add_mac(&id, "5254:0000:0001::"));
	ck_assert(identity_add_mac(&id, "52:54:00:AB:CD:EF"));
	ck_assert(!identity_add_mac(&id, "52:54:00:ab:cd:ef")); /* once */
	ck_assert_uint_eq(id.n_macs, 1);
	ck_assert_str_eq(id.macs[0], "52:54:00:ab:cd:ef");
	identity_set_uuid(&other, UUID_WEB1_SWAPPED);
	ck_assert(identity_uuid_match(&id, &other));
	identity_set_uuid(&other, UUID_WEB2);
	ck_assert(!identity_uuid_match(&id, &other));
	identity_done(&id);
	identity_done(&other);
}
END_TEST

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* A fixture sysfs: a readable product_uuid, a real NIC, loopback, a NIC
 * without a MAC, and a bridge linked into devices/virtual. */
START_TEST(host_identity_from_sysfs)
{
	char dir[] = "/tmp/glass-sysfs-XXXXXX", p[256];
	struct reading *r = reading_new();
	struct raw_node *n = reading_add_node(r, NODE_HOST, "host:x", NULL, "x");
	const char *dirs[] = {"class", "class/dmi", "class/dmi/id", "class/net", "class/net/eth0",
			      "class/net/lo", "class/net/dummy0", "devices", "devices/virtual",
			      "devices/virtual/net", "devices/virtual/net/br0"};

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, dirs[i]);
		ck_assert_int_eq(mkdir(p, 0755), 0);
	}
	snprintf(p, sizeof(p), "%s/class/dmi/id/product_uuid", dir);
	put(p, UUID_WEB1_SWAPPED "\n");
	snprintf(p, sizeof(p), "%s/class/net/eth0/address", dir);
	put(p, "52:54:00:12:34:56\n");
	snprintf(p, sizeof(p), "%s/class/net/lo/address", dir);
	put(p, "00:00:00:00:00:00\n");
	snprintf(p, sizeof(p), "%s/class/net/dummy0/address", dir);
	put(p, "00:00:00:00:00:00\n");
	snprintf(p, sizeof(p), "%s/devices/virtual/net/br0/address", dir);
	put(p, "52:54:00:12:34:56\n");
	snprintf(p, sizeof(p), "%s/class/net/br0", dir);
	ck_assert_int_eq(symlink("../../devices/virtual/net/br0", p), 0);
	source_host_read_identity(dir, n);
	ck_assert_str_eq(raw_node_more(n)->ident.uuid, UUID_WEB1_SWAPPED);
	ck_assert_uint_eq(raw_node_more(n)->ident.n_macs, 1);
	ck_assert_str_eq(raw_node_more(n)->ident.macs[0], "52:54:00:12:34:56");
	reading_unref(r);
	/* no such root: nothing known, nothing invented */
	r = reading_new();
	n = reading_add_node(r, NODE_HOST, "host:x", NULL, "x");
	source_host_read_identity("/nonexistent-glass-sysfs", n);
	ck_assert_ptr_null(raw_node_more(n)->ident.uuid);
	ck_assert_uint_eq(raw_node_more(n)->ident.n_macs, 0);
	reading_unref(r);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(match_policy_parse)
{
	unsigned m = 0;
	struct errbuf err;

	ck_assert_int_eq(guest_match_parse("uuid,mac,name", &m, &err), 0);
	ck_assert_uint_eq(m, GUEST_MATCH_UUID | GUEST_MATCH_MAC | GUEST_MATCH_NAME);
	ck_assert_int_eq(guest_match_parse(" mac ", &m, &err), 0);
	ck_assert_uint_eq(m, GUEST_MATCH_MAC);
	ck_assert_int_eq(guest_match_parse("uuid,serial", &m, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "'serial'"));
	ck_assert_int_eq(guest_match_parse(",", &m, &err), -1);
}
END_TEST

static Suite *guest_suite(void)
{
	Suite *s = suite_create("guest_join");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, uuid_join);
	tcase_add_test(tc, byte_swapped_uuid_join);
	tcase_add_test(tc, mac_join);
	tcase_add_test(tc, two_vms_with_one_mac_join_nothing);
	tcase_add_test(tc, two_hosts_for_one_vm_join_nothing);
	tcase_add_test(tc, name_join_only_when_asked);
	tcase_add_test(tc, config_join);
	tcase_add_test(tc, guest_vanishes_and_returns);
	tcase_add_test(tc, stale_guest_stays_joined);
	tcase_add_test(tc, no_double_counting);
	tcase_add_test(tc, identity_hints);
	tcase_add_test(tc, host_identity_from_sysfs);
	tcase_add_test(tc, match_policy_parse);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(guest_suite)
