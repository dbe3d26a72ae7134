#!/usr/bin/env python3
"""Writes tests/fixtures/cgroup/: cgroup trees that mirror real hosts.

Run it from the source tree after changing it, and commit what it writes
(the tests read the committed files, not this script).  Formats are the
kernel's exactly (linux 6.1 for v2, 5.10 for v1); the numbers are invented.
  v2      a systemd host: docker (systemd driver), podman (+ conmon), an
          nspawn machine, a libvirt VM, a k8s node (containerd; a burstable
          pod with two containers, a besteffort pod), a login session
  v1      no systemd: docker (cgroupfs driver), LXC, a libvirt VM
          (machine/qemu-...), a cgroupfs k8s pod, a plain cgroup
  hybrid  systemd with v1 controllers and cgroup2 at unified/: docker
          (systemd driver) and a service, PSI from unified/; a libvirt guest
          and a plain cgroup that exist only in unified/ (CPU from its
          cpu.stat)
  Each layout has a container pinned by its cpuset to fewer CPUs than
  the root's, without a quota (v1: one with cpuset.cpus only, as kernels
  before 4.7 have it).
  data    the runtimes' files for names: docker, podman, k8s log links;
          and for owners (glass -b --by owner): the docker container's
          glass.owner label (with a compose project it outranks), the
          podman container's compose project annotation (OCI config.json)
"""
import os
import shutil
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "cgroup")

DOCKER1 = "3f4e8a1b2c9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f"
DOCKER2 = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b"
DOCKER3 = "5e5e5e5e11112222333344445555666677778888999900001111222233334444"
PODMAN1 = "c0ffee00112233445566778899aabbccddeeff00112233445566778899aabbcc"
K8S_API = "aa11bb22cc33dd44ee55ff6600778899aa11bb22cc33dd44ee55ff6600778899"
K8S_PAUSE = "bb22cc33dd44ee55ff6600778899aa11bb22cc33dd44ee55ff6600778899aa11"
K8S_BE = "cc33dd44ee55ff6600778899aa11bb22cc33dd44ee55ff6600778899aa11bb22"
K8S_V1 = "dd44ee55ff6600778899aa11bb22cc33dd44ee55ff6600778899aa11bb22cc33"
POD_BURST = "4b1f2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
POD_BE = "7d8e9f0a-1b2c-4d3e-9f4a-5b6c7d8e9f0a"
POD_V1 = "1a2b3c4d-5e6f-4071-8293-a4b5c6d7e8f9"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def v2_memory_stat(anon, file, inactive_file):
    active_file = file - inactive_file
    return (
        f"anon {anon}\nfile {file}\nkernel 1425408\nkernel_stack 180224\npagetables 413696\n"
        f"sec_pagetables 0\npercpu 2160\nsock 0\nvmalloc 0\nshmem 0\nzswap 0\nzswapped 0\n"
        f"file_mapped 9469952\nfile_dirty 0\nfile_writeback 0\nswapcached 0\nanon_thp 0\n"
        f"file_thp 0\nshmem_thp 0\ninactive_anon {anon}\nactive_anon 0\n"
        f"inactive_file {inactive_file}\nactive_file {active_file}\nunevictable 0\n"
        f"slab_reclaimable 712304\nslab_unreclaimable 301256\nslab 1013560\n"
        f"workingset_refault_anon 0\nworkingset_refault_file 0\nworkingset_activate_anon 0\n"
        f"workingset_activate_file 0\nworkingset_restore_anon 0\nworkingset_restore_file 0\n"
        f"workingset_nodereclaim 0\npgscan 0\npgsteal 0\npgscan_kswapd 0\npgscan_direct 0\n"
        f"pgsteal_kswapd 0\npgsteal_direct 0\npgfault 120034\npgmajfault 52\npgrefill 0\n"
        f"pgactivate 1201\npgdeactivate 0\npglazyfree 0\npglazyfreed 0\nzswpin 0\nzswpout 0\n"
        f"thp_fault_alloc 0\nthp_collapse_alloc 0\n"
    )


def psi(cpu_some):
    return (f"some avg10={cpu_some:.2f} avg60=0.75 avg300=0.31 total=48211907\n"
            f"full avg10=0.00 avg60=0.00 avg300=0.00 total=1300211\n")


def v2_cgroup(root, path, *, procs, usage_usec, cpu_max="max 100000", mem_current,
              mem_max="max", anon, file, inactive_file, rbytes=0, wbytes=0, pids=1,
              pids_max="max", cpu_some=0.0, controllers=True, cpuset="0-7"):
    d = os.path.join(root, path)
    write(os.path.join(d, "cgroup.procs"), "".join(f"{p}\n" for p in procs))
    write(os.path.join(d, "cgroup.type"), "domain\n")
    write(os.path.join(d, "cgroup.events"), f"populated 1\nfrozen 0\n")
    write(os.path.join(d, "cgroup.controllers"), "cpuset cpu io memory pids\n" if controllers else "")
    write(os.path.join(d, "cgroup.subtree_control"), "")
    user = usage_usec * 3 // 4
    write(os.path.join(d, "cpu.stat"),
          f"usage_usec {usage_usec}\nuser_usec {user}\nsystem_usec {usage_usec - user}\n"
          f"core_sched.force_idle_usec 0\nnr_periods 8123\nnr_throttled 12\n"
          f"throttled_usec 230211\nnr_bursts 0\nburst_usec 0\n")
    write(os.path.join(d, "cpu.max"), cpu_max + "\n")
    write(os.path.join(d, "cpuset.cpus.effective"), cpuset + "\n")
    write(os.path.join(d, "cpu.weight"), "100\n")
    write(os.path.join(d, "memory.current"), f"{mem_current}\n")
    write(os.path.join(d, "memory.max"), f"{mem_max}\n")
    write(os.path.join(d, "memory.stat"), v2_memory_stat(anon, file, inactive_file))
    io = ""
    if rbytes or wbytes:
        io = (f"8:0 rbytes={rbytes} wbytes={wbytes} rios={rbytes // 4096} wios={wbytes // 4096} "
              f"dbytes=0 dios=0\n253:0 rbytes=0 wbytes=0 rios=0 wios=0 dbytes=0 dios=0\n")
    write(os.path.join(d, "io.stat"), io)
    write(os.path.join(d, "pids.current"), f"{pids}\n")
    write(os.path.join(d, "pids.max"), f"{pids_max}\n")
    write(os.path.join(d, "cpu.pressure"), psi(cpu_some))
    write(os.path.join(d, "memory.pressure"), psi(0.0))
    write(os.path.join(d, "io.pressure"), psi(0.12))


def v2_inner(root, path):
    """A slice: no processes of its own (the v2 no-internal-process rule)."""
    d = os.path.join(root, path)
    write(os.path.join(d, "cgroup.procs"), "")
    write(os.path.join(d, "cgroup.controllers"), "cpuset cpu io memory pids\n")
    write(os.path.join(d, "cgroup.subtree_control"), "cpu io memory pids\n")
    write(os.path.join(d, "cpu.stat"), "usage_usec 99999999\nuser_usec 1\nsystem_usec 1\n")
    write(os.path.join(d, "memory.current"), "1\n")


def make_v2(root):
    write(os.path.join(root, "cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n")
    write(os.path.join(root, "cgroup.subtree_control"), "cpuset cpu io memory pids\n")
    write(os.path.join(root, "cgroup.procs"), "2\n3\n")
    write(os.path.join(root, "cpu.pressure"), psi(2.0))
    write(os.path.join(root, "cpuset.cpus.effective"), "0-7\n")
    for s in ["system.slice", "machine.slice", "user.slice", "user.slice/user-1000.slice",
              "kubepods.slice", "kubepods.slice/kubepods-burstable.slice",
              "kubepods.slice/kubepods-besteffort.slice"]:
        v2_inner(root, s)
    v2_cgroup(root, "init.scope", procs=[1], usage_usec=4500000, mem_current=9437184,
              anon=2097152, file=7340032, inactive_file=3145728)
    v2_cgroup(root, f"system.slice/docker-{DOCKER1}.scope", procs=[2101, 2150],
              usage_usec=812345678, cpu_max="150000 100000", mem_current=536870912,
              mem_max=1073741824, anon=402653184, file=134217728, inactive_file=100663296,
              rbytes=73400320, wbytes=10485760, pids=23, pids_max=4096, cpu_some=3.25)
    # pinned to CPUs 2 and 3 (docker run --cpuset-cpus 2-3), no quota
    v2_cgroup(root, f"system.slice/docker-{DOCKER2}.scope", procs=[2301], usage_usec=4000000,
              mem_current=104857600, anon=52428800, file=52428800, inactive_file=52428800,
              pids=3, cpuset="2-3")
    v2_cgroup(root, "system.slice/docker.service", procs=[801], usage_usec=91234567,
              mem_current=98566144, anon=67108864, file=31457280, inactive_file=20971520, pids=14)
    v2_cgroup(root, "system.slice/ssh.service", procs=[612], usage_usec=301234,
              mem_current=5242880, anon=1048576, file=4194304, inactive_file=4194304)
    v2_cgroup(root, f"machine.slice/libpod-{PODMAN1}.scope", procs=[3301], usage_usec=22334455,
              cpu_max="50000 100000", mem_current=268435456, mem_max=268435456,
              anon=201326592, file=67108864, inactive_file=33554432, pids=5, pids_max=2048)
    v2_cgroup(root, f"machine.slice/libpod-conmon-{PODMAN1}.scope", procs=[3299],
              usage_usec=11223, mem_current=1048576, anon=524288, file=524288,
              inactive_file=0)
    nspawn = "machine.slice/systemd-nspawn@debian\\x2dbox.service"
    v2_cgroup(root, nspawn, procs=[], usage_usec=5566778, mem_current=67108864,
              mem_max=536870912, anon=33554432, file=33554432, inactive_file=16777216, pids=9)
    v2_cgroup(root, nspawn + "/payload", procs=[4001, 4002], usage_usec=5000000,
              mem_current=60000000, anon=1, file=1, inactive_file=1)
    vm = "machine.slice/machine-qemu\\x2d1\\x2dweb\\x2dvm.scope"
    v2_cgroup(root, vm, procs=[], usage_usec=120000000, cpu_max="200000 100000",
              mem_current=1073741824, anon=1040187392, file=33554432, inactive_file=8388608,
              pids=6)
    v2_cgroup(root, vm + "/libvirt/emulator", procs=[5001], usage_usec=1, mem_current=1,
              anon=1, file=1, inactive_file=1)
    v2_cgroup(root, vm + "/libvirt/vcpu0", procs=[], usage_usec=1, mem_current=1,
              anon=1, file=1, inactive_file=1)
    pod = f"kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{POD_BURST.replace('-', '_')}.slice"
    v2_cgroup(root, pod, procs=[], usage_usec=33000000, cpu_max="100000 100000",
              mem_current=157286400, mem_max=268435456, anon=125829120, file=31457280,
              inactive_file=10485760, pids=8)
    v2_cgroup(root, pod + f"/cri-containerd-{K8S_API}.scope", procs=[6101], usage_usec=32000000,
              cpu_max="100000 100000", mem_current=150994944, mem_max=268435456,
              anon=121634816, file=29360128, inactive_file=10485760, pids=7, cpu_some=12.5)
    v2_cgroup(root, pod + f"/cri-containerd-{K8S_PAUSE}.scope", procs=[6001], usage_usec=30000,
              mem_current=290816, anon=94208, file=196608, inactive_file=0, pids=1)
    pod2 = f"kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{POD_BE.replace('-', '_')}.slice"
    v2_cgroup(root, pod2, procs=[], usage_usec=1000000, mem_current=20971520, anon=16777216,
              file=4194304, inactive_file=2097152, pids=2)
    v2_cgroup(root, pod2 + f"/cri-containerd-{K8S_BE}.scope", procs=[7101], usage_usec=990000,
              mem_current=20000000, anon=16000000, file=4000000, inactive_file=2000000, pids=2)
    v2_cgroup(root, "user.slice/user-1000.slice/session-3.scope", procs=[901, 955],
              usage_usec=7000000, mem_current=31457280, anon=10485760, file=20971520,
              inactive_file=15728640, pids=2)


V1_UNLIMITED = "9223372036854771712"


def v1_memory_stat(rss, cache, inactive_file):
    return (
        f"cache {cache}\nrss {rss}\nrss_huge 0\nshmem 0\nmapped_file 4096000\ndirty 0\n"
        f"writeback 0\nswap 0\npgpgin 93211\npgpgout 30112\npgfault 130011\npgmajfault 21\n"
        f"inactive_anon 0\nactive_anon {rss}\ninactive_file {inactive_file}\n"
        f"active_file {cache - inactive_file}\nunevictable 0\n"
        f"hierarchical_memory_limit {V1_UNLIMITED}\nhierarchical_memsw_limit {V1_UNLIMITED}\n"
        f"total_cache {cache}\ntotal_rss {rss}\ntotal_rss_huge 0\ntotal_shmem 0\n"
        f"total_mapped_file 4096000\ntotal_dirty 0\ntotal_writeback 0\ntotal_swap 0\n"
        f"total_pgpgin 93211\ntotal_pgpgout 30112\ntotal_pgfault 130011\ntotal_pgmajfault 21\n"
        f"total_inactive_anon 0\ntotal_active_anon {rss}\n"
        f"total_inactive_file {inactive_file}\ntotal_active_file {cache - inactive_file}\n"
        f"total_unevictable 0\n"
    )


def blkio(read, write_):
    if not read and not write_:
        return "Total 0\n"
    return (f"8:0 Read {read}\n8:0 Write {write_}\n8:0 Sync {read + write_}\n8:0 Async 0\n"
            f"8:0 Discard 0\n8:0 Total {read + write_}\nTotal {read + write_}\n")


def v1_cgroup(root, path, *, procs, usage_ns, quota=-1, usage, limit=V1_UNLIMITED, rss, cache,
              inactive_file, read=0, write_=0, pids=1, pids_max="max", unified=None,
              cpuset="0-3", cpuset_effective=True):
    cpu = os.path.join(root, "cpu,cpuacct", path)
    write(os.path.join(cpu, "cgroup.procs"), "".join(f"{p}\n" for p in procs))
    write(os.path.join(cpu, "tasks"), "".join(f"{p}\n" for p in procs))
    write(os.path.join(cpu, "cpuacct.usage"), f"{usage_ns}\n")
    write(os.path.join(cpu, "cpuacct.stat"), f"user {usage_ns // 13333333}\nsystem {usage_ns // 40000000}\n")
    write(os.path.join(cpu, "cpu.cfs_quota_us"), f"{quota}\n")
    write(os.path.join(cpu, "cpu.cfs_period_us"), "100000\n")
    write(os.path.join(cpu, "cpu.shares"), "1024\n")
    mem = os.path.join(root, "memory", path)
    write(os.path.join(mem, "cgroup.procs"), "".join(f"{p}\n" for p in procs))
    write(os.path.join(mem, "memory.usage_in_bytes"), f"{usage}\n")
    write(os.path.join(mem, "memory.limit_in_bytes"), f"{limit}\n")
    write(os.path.join(mem, "memory.stat"), v1_memory_stat(rss, cache, inactive_file))
    blk = os.path.join(root, "blkio", path)
    write(os.path.join(blk, "cgroup.procs"), "".join(f"{p}\n" for p in procs))
    write(os.path.join(blk, "blkio.throttle.io_service_bytes"), blkio(read, write_))
    write(os.path.join(blk, "blkio.throttle.io_service_bytes_recursive"), blkio(read, write_))
    cs = os.path.join(root, "cpuset", path)
    write(os.path.join(cs, "cgroup.procs"), "".join(f"{p}\n" for p in procs))
    write(os.path.join(cs, "cpuset.cpus"), cpuset + "\n")
    write(os.path.join(cs, "cpuset.mems"), "0\n")
    if cpuset_effective:
        write(os.path.join(cs, "cpuset.effective_cpus"), cpuset + "\n")
    pd = os.path.join(root, "pids", path)
    write(os.path.join(pd, "cgroup.procs"), "".join(f"{p}\n" for p in procs))
    write(os.path.join(pd, "pids.current"), f"{pids}\n")
    write(os.path.join(pd, "pids.max"), f"{pids_max}\n")
    if unified is not None:
        u = os.path.join(root, "unified", path)
        write(os.path.join(u, "cgroup.procs"), "".join(f"{p}\n" for p in procs))
        write(os.path.join(u, "cgroup.controllers"), "")
        write(os.path.join(u, "cpu.pressure"), psi(unified))
        write(os.path.join(u, "memory.pressure"), psi(0.0))
        write(os.path.join(u, "io.pressure"), psi(0.12))


def v1_roots(root, unified=False):
    for c in ["cpu,cpuacct", "memory", "blkio", "pids"]:
        write(os.path.join(root, c, "cgroup.procs"), "1\n2\n")
        write(os.path.join(root, c, "cgroup.clone_children"), "0\n")
    if unified:
        write(os.path.join(root, "unified", "cgroup.procs"), "1\n2\n")
        write(os.path.join(root, "unified", "cgroup.controllers"), "")
        write(os.path.join(root, "unified", "cpu.pressure"), psi(2.0))
    for c in ["cpuset", "devices", "freezer"]:
        write(os.path.join(root, c, "cgroup.procs"), "1\n2\n")
    for f in ["cpuset.cpus", "cpuset.effective_cpus"]:
        write(os.path.join(root, "cpuset", f), "0-3\n")


def v1_inner(root, path):
    for c in ["cpu,cpuacct", "memory", "blkio", "pids", "cpuset"]:
        write(os.path.join(root, c, path, "cgroup.procs"), "")


def make_v1(root):
    v1_roots(root)
    for s in ["docker", "machine", "kubepods", "kubepods/besteffort"]:
        v1_inner(root, s)
    v1_cgroup(root, f"docker/{DOCKER1}", procs=[2101, 2150], usage_ns=812345678000,
              quota=150000, usage=536870912, limit=1073741824, rss=402653184,
              cache=134217728, inactive_file=100663296, read=73400320, write_=10485760,
              pids=23, pids_max=4096)
    v1_cgroup(root, f"docker/{DOCKER2}", procs=[2301], usage_ns=5000000000, usage=104857600,
              rss=52428800, cache=52428800, inactive_file=52428800, pids=3)
    # pinned to CPU 3 on a kernel without cpuset.effective_cpus
    v1_cgroup(root, f"docker/{DOCKER3}", procs=[2401], usage_ns=7000000000, usage=104857600,
              rss=52428800, cache=52428800, inactive_file=52428800, pids=2, cpuset="3",
              cpuset_effective=False)
    v1_cgroup(root, "lxc.payload.web01", procs=[3101, 3102, 3103], usage_ns=60000000000,
              quota=200000, usage=805306368, limit=2147483648, rss=536870912,
              cache=268435456, inactive_file=134217728, read=1048576, write_=2097152, pids=40,
              pids_max=1000)
    v1_cgroup(root, "lxc.payload.web01/init.scope", procs=[3101], usage_ns=1, usage=1, rss=1,
              cache=1, inactive_file=1)
    v1_cgroup(root, "lxc.monitor.web01", procs=[3100], usage_ns=20000000, usage=2097152,
              rss=1048576, cache=1048576, inactive_file=0)
    v1_cgroup(root, "machine/qemu-2-db.libvirt-qemu", procs=[], usage_ns=300000000000,
              quota=400000, usage=4294967296, limit=4294967296, rss=4227858432,
              cache=67108864, inactive_file=33554432, pids=9)
    v1_cgroup(root, "machine/qemu-2-db.libvirt-qemu/emulator", procs=[5201], usage_ns=1,
              usage=1, rss=1, cache=1, inactive_file=1)
    v1_cgroup(root, "machine/qemu-2-db.libvirt-qemu/vcpu0", procs=[], usage_ns=1, usage=1,
              rss=1, cache=1, inactive_file=1)
    v1_cgroup(root, f"kubepods/besteffort/pod{POD_V1}", procs=[], usage_ns=2000000000,
              usage=41943040, rss=31457280, cache=10485760, inactive_file=4194304, pids=2)
    v1_cgroup(root, f"kubepods/besteffort/pod{POD_V1}/{K8S_V1}", procs=[8101],
              usage_ns=1900000000, usage=40000000, rss=30000000, cache=10000000,
              inactive_file=4000000, pids=2)
    v1_cgroup(root, "batch-jobs", procs=[9001], usage_ns=1000000000, quota=50000,
              usage=268435456, limit=268435456, rss=134217728, cache=134217728,
              inactive_file=67108864, pids=1, pids_max=64)
    # an empty leftover: no processes, not shown
    v1_cgroup(root, "empty-leftover", procs=[], usage_ns=0, usage=0, rss=0, cache=0,
              inactive_file=0, pids=0)


def unified_only(root, path, *, procs, usage_usec):
    u = os.path.join(root, "unified", path)
    write(os.path.join(u, "cgroup.procs"), "".join(f"{p}\n" for p in procs))
    write(os.path.join(u, "cgroup.controllers"), "")
    write(os.path.join(u, "cgroup.type"), "domain\n")
    user = usage_usec * 3 // 4
    write(os.path.join(u, "cpu.stat"),
          f"usage_usec {usage_usec}\nuser_usec {user}\nsystem_usec {usage_usec - user}\n"
          f"nice_usec 0\n")
    write(os.path.join(u, "cpu.pressure"), psi(1.0))
    write(os.path.join(u, "memory.pressure"), psi(0.0))
    write(os.path.join(u, "io.pressure"), psi(0.0))


def make_hybrid(root):
    v1_roots(root, unified=True)
    for s in ["system.slice", "user.slice"]:
        v1_inner(root, s)
        write(os.path.join(root, "unified", s, "cgroup.procs"), "")
    v1_cgroup(root, f"system.slice/docker-{DOCKER2}.scope", procs=[2301], usage_ns=5000000000,
              quota=100000, usage=104857600, limit=209715200, rss=52428800, cache=52428800,
              inactive_file=52428800, pids=3, unified=4.5)
    # pinned to CPUs 1-2, no quota
    v1_cgroup(root, f"system.slice/docker-{DOCKER3}.scope", procs=[2401], usage_ns=7000000000,
              usage=104857600, rss=52428800, cache=52428800, inactive_file=52428800, pids=2,
              unified=0.0, cpuset="1-2")
    # only in unified/: libvirt made its guest's cgroup there (no v1
    # directory), and so did an operator's `mkdir unified/x`
    unified_only(root, "machine/qemu-3-guest.libvirt-qemu", procs=[], usage_usec=42000000)
    unified_only(root, "machine/qemu-3-guest.libvirt-qemu/emulator", procs=[5301], usage_usec=1)
    unified_only(root, "x", procs=[9101], usage_usec=1500000)
    v1_cgroup(root, "system.slice/cron.service", procs=[700], usage_ns=12000000, usage=3145728,
              rss=1048576, cache=2097152, inactive_file=1048576, pids=1, unified=0.0)


def make_data(root):
    cfg = ('{"StreamConfig":{},"State":{"Running":true,"Pid":2101},"ID":"%s",'
           '"Created":"2026-11-01T08:00:00.123456789Z","Path":"nginx","Args":["-g","daemon off;"],'
           '"Config":{"Hostname":"3f4e8a1b2c9d","Image":"nginx:1.25","Labels":'
           '{"com.docker.compose.project":"shop-web","glass.owner":"team-web"}},"Image":"sha256:1234",'
           '"Name":"/web","RestartCount":0,"Driver":"overlay2"}\n')
    write(os.path.join(root, "docker", "containers", DOCKER1, "config.v2.json"), cfg % DOCKER1)
    # DOCKER2 has no config: shown by its short id
    write(os.path.join(root, "podman", "overlay-containers", "containers.json"),
          '[{"id":"%s","names":["db"],"image":"5f2a","layer":"8a1c",'
          '"metadata":"{\\"image-name\\":\\"docker.io/library/postgres:16\\"}",'
          '"created":"2026-11-01T08:00:00Z","flags":{"MountLabel":""}}]\n' % PODMAN1)
    # podman keeps labels in its database; its OCI spec carries annotations
    write(os.path.join(root, "podman", "overlay-containers", PODMAN1, "userdata", "config.json"),
          '{"ociVersion":"1.1.0","process":{"args":["postgres"]},'
          '"annotations":{"com.docker.compose.project":"dbstack",'
          '"io.container.manager":"libpod"}}\n')
    logs = os.path.join(root, "log")
    os.makedirs(os.path.join(logs, "containers"), exist_ok=True)
    for name, cid in [("api-5d9c7b_shop_api", K8S_API), ("cache-0_shop_redis", K8S_BE),
                      ("job-x1_batch_worker", K8S_V1)]:
        link = os.path.join(logs, "containers", f"{name}-{cid}.log")
        # On a node these are symlinks into /var/log/pods; only the name
        # counts, and a dangling link would not survive `make dist`.
        write(link, "")
    for ns, pod, uid in [("shop", "api-5d9c7b", POD_BURST), ("shop", "cache-0", POD_BE),
                         ("batch", "job-x1", POD_V1)]:
        write(os.path.join(logs, "pods", f"{ns}_{pod}_{uid}", "keep"), "")


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    for name, fn in [("v2", make_v2), ("v1", make_v1), ("hybrid", make_hybrid),
                     ("data", make_data)]:
        fn(os.path.join(OUT, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
