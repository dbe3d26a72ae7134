#!/usr/bin/env python3
"""history_gen.py: a generated --record file, for feeding the history store
through `glass --replay FILE --history DB`.

    history_gen.py TEMPLATE OUT --start UNIX --step S --count N
                   [--node ID --cpu CORES --spike CORES] [--clone N --seed K]

TEMPLATE is one snapshot glass wrote (--format json).  Each of the N
snapshots written is that snapshot at time START + i*STEP.
  --node ID --cpu C --spike P: node ID uses C cores, and P cores in one
      step a day (at noon): a daily peak above its p95.
  --clone N: the first host's children become N containers cloned from
      its last child, each with its own id and a use that wanders.
"""
import argparse
import json
import random
import sys

from snapshot_gen import rfc3339, walk


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("template")
    ap.add_argument("out")
    ap.add_argument("--start", type=int, required=True)
    ap.add_argument("--step", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--node")
    ap.add_argument("--cpu", type=float, default=0.1)
    ap.add_argument("--spike", type=float)
    ap.add_argument("--clone", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    snap = json.loads(open(a.template).readline())
    rnd = random.Random(a.seed)
    clones = []
    if a.clone:
        host = next(c for c in snap["tree"]["children"] if c["kind"] == "host")
        proto = host["children"][-1]
        host["children"] = []
        for i in range(a.clone):
            # only what the store keeps: a day of a few hundred nodes
            # stays a file of tens of MB
            c = {"id": "%s-%d" % (proto["id"], i), "kind": proto["kind"],
                 "name": "%s-%d" % (proto["name"], i),
                 "cpu_cores_allocated": float(1 + i % 8),
                 "memory_bytes_allocated": float((1 + i % 16) << 30),
                 "children": []}
            host["children"].append(c)
            clones.append(c)
    target = None
    if a.node:
        target = next((n for n in walk(snap["tree"]) if n["id"] == a.node), None)
        if target is None:
            sys.exit("history_gen.py: no node %r in the template" % a.node)
    with open(a.out, "w") as out:
        for i in range(a.count):
            t = a.start + i * a.step
            snap["time"] = rfc3339(t)
            snap["sequence"] = i + 1
            if target is not None:
                noon = (t % 86400) // a.step == 43200 // a.step
                target["cpu_cores_used"] = a.spike if a.spike is not None and noon else a.cpu
            for c in clones:
                # a wandering use: most of it small, now and then busy
                c["cpu_cores_used"] = round(c["cpu_cores_allocated"] * rnd.random() ** 3, 3)
                c["memory_bytes_used"] = float(int(c["memory_bytes_allocated"] *
                                                   (0.2 + 0.3 * rnd.random())))
            out.write(json.dumps(snap, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
