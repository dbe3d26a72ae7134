#!/usr/bin/env python3
"""fleet_gen.py TEMPLATE OUT [--hosts H] [--containers C] [--count N] [--step S]

A synthetic fleet recording: N snapshots (JSONL, glass's snapshot schema)
of H hosts with C containers each, for `glass --replay` and
tests/bench/fleet_cost at fleet size (H*C + H + 1 nodes; 1,000 x 100 by
default).  Every node is a copy of one host and one container of
TEMPLATE (a snapshot glass wrote: tests/fixtures/replay/guest-joined.jsonl),
so each carries every field glass writes; ids, names, allocations and use
vary per node and per snapshot, the rollups are the sums of the nodes."""
import argparse
import copy
import json
import random

from snapshot_gen import rfc3339, walk


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("template")
    ap.add_argument("out")
    ap.add_argument("--hosts", type=int, default=1000)
    ap.add_argument("--containers", type=int, default=100)
    ap.add_argument("--count", type=int, default=3)
    ap.add_argument("--step", type=float, default=2.0)
    ap.add_argument("--start", type=int, default=1795000000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    snap = json.loads(open(a.template).readline())
    nodes = list(walk(snap["tree"]))
    host_t = next(n for n in nodes if n["kind"] == "host")
    ct_t = next(n for n in nodes if n["kind"] == "container")
    host_t = {k: v for k, v in host_t.items() if k != "children"}
    ct_t = {k: v for k, v in ct_t.items() if k != "children"}
    rollup_t = snap["tree"]["rollup"]
    rnd = random.Random(a.seed)
    # per node: (cores allocated, bytes allocated), fixed over the recording
    alloc = [(1.0 + i % 8, float((1 + i % 16) << 28)) for i in range(a.containers)]
    host_cores, host_mem = 64.0, float(512 << 30)
    with open(a.out, "w") as f:
        for s in range(a.count):
            snap["time"] = rfc3339(a.start + s * a.step)
            snap["sequence"] = s + 1
            snap["interval_seconds"] = a.step
            hosts = []
            site_used = site_alloc = site_mused = site_malloc = 0.0
            for h in range(a.hosts):
                hname = "node%04d" % h
                host = copy.deepcopy(host_t)
                host.update(id="host:" + hname, name=hname, runtime=None, state="up",
                            cpu_cores_allocated=host_cores, memory_bytes_allocated=host_mem)
                kids, used, mused = [], 0.0, 0.0
                for c in range(a.containers):
                    ct = copy.deepcopy(ct_t)
                    cores, mem = alloc[c]
                    u = round(cores * rnd.random() * 0.5, 4)
                    m = float(int(mem * rnd.random()))
                    ct.update(id="ct:%s/system.slice/app%03d.service" % (hname, c),
                              name="app%03d.service" % c, runtime="systemd",
                              cpu_cores_allocated=cores, cpu_cores_used=u,
                              memory_bytes_allocated=mem, memory_bytes_used=m,
                              memory_source="cgroup")
                    ct["idle"]["cpu"].update(utilization=round(u / cores, 4),
                                             observed_seconds=(s + 1) * a.step)
                    ct["idle"]["memory"].update(utilization=round(m / mem, 4),
                                                observed_seconds=(s + 1) * a.step)
                    kids.append(ct)
                    used += u
                    mused += m
                host["cpu_cores_used"] = round(used, 4)
                host["memory_bytes_used"] = mused
                r = copy.deepcopy(rollup_t)
                ca = sum(x[0] for x in alloc)
                ma = sum(x[1] for x in alloc)
                r["cpu_cores"].update(total=host_cores, measured=host_cores, used=round(used, 4),
                                      idle=round(host_cores - used, 4), allocated=ca,
                                      unallocated=max(0.0, host_cores - ca),
                                      overcommit=round(ca / host_cores, 4), hosts_unknown=0)
                r["memory_bytes"].update(total=host_mem, measured=host_mem, used=mused,
                                         idle=host_mem - mused, allocated=ma,
                                         unallocated=max(0.0, host_mem - ma),
                                         overcommit=round(ma / host_mem, 4), hosts_unknown=0)
                r.update(hosts=1, vms=0, vms_off=0, containers=a.containers, groups=0)
                host["rollup"] = r
                host["children"] = kids
                hosts.append(host)
                site_used += used
                site_alloc += ca
                site_mused += mused
                site_malloc += ma
            site = snap["tree"]
            site["children"] = hosts
            n = a.hosts
            site["rollup"]["cpu_cores"].update(
                total=n * host_cores, measured=n * host_cores, used=round(site_used, 4),
                idle=round(n * host_cores - site_used, 4), allocated=site_alloc,
                unallocated=max(0.0, n * host_cores - site_alloc), hosts_unknown=0)
            site["rollup"]["memory_bytes"].update(
                total=n * host_mem, measured=n * host_mem, used=site_mused,
                idle=n * host_mem - site_mused, allocated=site_malloc,
                unallocated=max(0.0, n * host_mem - site_malloc), hosts_unknown=0)
            site["rollup"].update(hosts=n, vms=0, vms_off=0, containers=n * a.containers,
                                  groups=0)
            f.write(json.dumps(snap, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
