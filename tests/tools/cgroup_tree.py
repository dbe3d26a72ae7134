#!/usr/bin/env python3
"""Prints the tree of a glass JSON snapshot, one node per line, in a form
the cgroup fixture tests compare with tests/fixtures/cgroup-expected/:
  depth kind id name runtime cpu_alloc mem_alloc mem_used pids pids_max psi_cpu_some
The local host name in ids is replaced by HOST (fixtures are read on any
machine).  Usage: cgroup_tree.py SNAPSHOT.json [LINE]  (LINE: 1-based, default last)."""
import json
import sys


def fmt(v):
    return "null" if v is None else str(v)


def walk(n, depth, host, out):
    nid = n["id"].replace(f":{host}/", ":HOST/").replace(f"host:{host}", "host:HOST")
    name = n["name"] if n["kind"] != "host" else "HOST"
    out.append(" ".join([str(depth), n["kind"], nid, name, fmt(n["runtime"]),
                         fmt(n["cpu_cores_allocated"]), fmt(n["memory_bytes_allocated"]),
                         fmt(n["memory_bytes_used"]), fmt(n["pids_current"]),
                         fmt(n["pids_max"]), fmt(n["pressure"]["cpu_some"])]))
    for c in n["children"]:
        walk(c, depth + 1, host, out)


def main():
    lines = open(sys.argv[1]).read().splitlines()
    doc = json.loads(lines[int(sys.argv[2]) - 1 if len(sys.argv) > 2 else -1])
    hosts = [c for c in doc["tree"]["children"] if c["kind"] == "host"]
    host = hosts[0]["name"] if hosts else ""
    out = []
    for c in doc["tree"]["children"]:
        walk(c, 1, host, out)
    print("\n".join(out))


if __name__ == "__main__":
    main()
