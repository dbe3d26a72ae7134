#!/usr/bin/env python3
"""A node of a glass JSON snapshot, found by the end of its id.

As a program: snapshot_node.py FILE SUFFIX FIELD...
prints the FIELDs of the node, in the first snapshot of FILE, whose id
ends in /SUFFIX, one word each (null as None); "missing" for each when
there is none.  As a module: find(tree, suffix)."""
import json
import sys


def find(node, suffix):
    """The node below (or at) `node` whose id ends in /suffix, or None."""
    if node["id"].endswith("/" + suffix):
        return node
    for child in node["children"]:
        found = find(child, suffix)
        if found:
            return found
    return None


def main():
    path, suffix, fields = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(path) as f:
        doc = json.loads(f.readline())
    n = find(doc["tree"], suffix)
    print(" ".join("missing" if n is None else str(n.get(k)) for k in fields))


if __name__ == "__main__":
    main()
