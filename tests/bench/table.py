#!/usr/bin/env python3
"""table.py BENCH_TABLE: prints the rows every benchmark appended to
BENCH_TABLE (six tab-separated fields, bench_lib.sh's bench_row) as one
aligned table, then a count of met / MISSED / n/a.  Exit 0 always: the
benchmarks fail on their own terms (make bench-callgrind on a budget)."""
import sys

HEAD = ["figure", "glass", "anchor", "ratio", "target", "verdict"]


def main():
    rows = []
    try:
        for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
            f = line.rstrip("\n").split("\t")
            if len(f) >= 6:
                rows.append(f[:6])
    except OSError as e:
        print(f"bench table: {e}")
        return 0
    if not rows:
        print("bench table: no rows (no benchmark reported a figure)")
        return 0
    width = [max(len(r[i]) for r in rows + [HEAD]) for i in range(6)]
    rule = "-+-".join("-" * w for w in width)
    print()
    print("=" * len(rule))
    print(" | ".join(h.ljust(w) for h, w in zip(HEAD, width)))
    print(rule)
    for r in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(r, width)).rstrip())
    print("=" * len(rule))
    met = sum(r[5] == "met" for r in rows)
    missed = sum(r[5].startswith("MISSED") for r in rows)
    print(f"{len(rows)} figures: {met} met, {missed} MISSED, {len(rows) - met - missed} n/a or info."
          "  Each ratio is measured in the same run against its anchor.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
