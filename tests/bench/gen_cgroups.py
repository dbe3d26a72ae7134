#!/usr/bin/env python3
"""A cgroup v2 fixture tree for the benchmarks, read by glass --cgroup-root.

  gen_cgroups.py N OUT
      OUT: a systemd-like v2 root with N docker containers under
      system.slice (each with every file glass reads, in the kernel's
      format, from tests/tools/make_cgroup_fixtures.py), half of them with
      a CPU and memory limit.
  gen_cgroups.py --churn OUT STOPFILE [LIVE]
      Until STOPFILE exists: adds docker containers (ids cccccccc...) to OUT and removes
      the oldest, keeping LIVE (default 50) of them, one change every
      ~5 ms, so a glass reading OUT sees cgroups come and go mid-walk.
      Prints the number of changes it made when it stops.
"""
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import make_cgroup_fixtures as fx  # noqa: E402


def container(root, name, i):
    limited = i % 2 == 0
    fx.v2_cgroup(root, f"system.slice/{name}", procs=[10000 + i], usage_usec=1000000 + 7919 * i,
                 cpu_max="150000 100000" if limited else "max 100000",
                 mem_current=(64 + i % 64) << 20, mem_max=(256 << 20) if limited else "max",
                 anon=(48 + i % 16) << 20, file=16 << 20, inactive_file=8 << 20,
                 rbytes=4096 * i, wbytes=8192 * i, pids=1 + i % 7,
                 pids_max=4096 if limited else "max", cpu_some=(i % 10) / 4)


CHURN_PREFIX = "cccccccc"  # the fixed containers' ids start with zeros


def docker_name(i):
    return f"docker-{i:064x}.scope"


def make(n, out):
    fx.write(os.path.join(out, "cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n")
    fx.write(os.path.join(out, "cgroup.subtree_control"), "cpuset cpu io memory pids\n")
    fx.write(os.path.join(out, "cgroup.procs"), "1\n")
    fx.write(os.path.join(out, "cpu.pressure"), fx.psi(1.0))
    fx.v2_inner(out, "system.slice")
    for i in range(n):
        container(out, docker_name(i), i)


def churn(out, stopfile, live):
    k = 0
    alive = []
    while not os.path.exists(stopfile):
        name = f"docker-{CHURN_PREFIX}{k:056x}.scope"
        container(out, name, k)
        alive.append(name)
        k += 1
        if len(alive) > live:
            shutil.rmtree(os.path.join(out, "system.slice", alive.pop(0)), ignore_errors=True)
        time.sleep(0.005)
    print(k)


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "--churn":
        churn(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 50)
        return 0
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    make(int(sys.argv[1]), sys.argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
