#!/usr/bin/env python3
"""Checks the chargeback report (glass -b --by owner) on real glass output.

Usage: check_owner_sums.py OWNER.jsonl OWNER.csv RECORD.jsonl

OWNER.jsonl: `glass -b --by owner --format json` documents (one per line);
OWNER.csv: the CSV report of a run that recorded its tree in RECORD.jsonl
(--record).  Checks, as check_idle_sums.py does for the idle list:
  - the rows add up to the total row, in JSON and in CSV;
  - the total equals the site's rollup: allocated (cores, bytes), idle = the
    rollup's slack, idle holders = the idle line's N, idle cost = its slack
    cost; the line says the same N;
  - each owner's row is what the recorded tree gives when its top-level
    holders (as idle.c counts them) are grouped by their owner, so no node
    is counted twice and none is left out.
One line per fact checked; exits 1 on the first that does not hold."""
import csv
import json
import sys

EPS_CORES = 2e-3   # JSON keeps 4 decimals of cores, CSV 3
GIB = 1024.0 ** 3
EPS_GIB = 2e-3     # CSV keeps 3 decimals of GiB
EPS_MONEY = 0.011  # cents, rounded once per figure


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def near(a, b, eps):
    return abs(a - b) <= eps


def is_off(n):
    return n["kind"] == "vm" and n["state"] is not None and (
        n["state"].startswith("shut") or n["state"] == "crashed")


def holders_by_owner(site):
    """Top-level holders per resource, as idle.c's sum_holders walks."""
    rows = {}

    def row(owner):
        return rows.setdefault(owner, {"holders": 0, "cpu": 0.0, "mem": 0.0,
                                       "cpu_idle": 0.0, "mem_idle": 0.0, "ids": []})

    def walk(n, cpu_held, mem_held):
        if n["kind"] == "vm" and is_off(n):
            return
        holder = n["kind"] in ("vm", "container")
        r = None
        if holder and not cpu_held and n["cpu_cores_allocated"] is not None:
            r = row(n["owner"])
            r["cpu"] += n["cpu_cores_allocated"]
            if n["idle"]["cpu"]["counted"]:
                r["cpu_idle"] += n["idle"]["cpu"]["idle_cores"]
            cpu_held = True
        if holder and not mem_held and n["memory_bytes_allocated"] is not None:
            r = r or row(n["owner"])
            r["mem"] += n["memory_bytes_allocated"]
            if n["idle"]["memory"]["counted"]:
                r["mem_idle"] += n["idle"]["memory"]["idle_bytes"]
            mem_held = True
        if r is not None:
            r["holders"] += 1
            r["ids"].append(n["id"])
        for c in n["children"]:
            walk(c, cpu_held, mem_held)

    for h in site["children"]:
        if h["kind"] == "host":
            for c in h["children"]:
                walk(c, False, False)
    return rows


def check_doc(d, tag):
    cb, r = d["chargeback"], d["rollup"]
    owners, total = cb["owners"], cb["total"]
    for key, sub, eps in (("allocated_cores", "cpu", EPS_CORES), ("idle_cores", "cpu", EPS_CORES),
                          ("allocated_bytes", "memory", 2), ("idle_bytes", "memory", 2)):
        s = sum(o[sub][key] for o in owners)
        if not near(s, total[sub][key], eps * (len(owners) + 1)):
            fail(f"{tag}: owners' {sub}.{key} {s} != total {total[sub][key]}")
    for key in ("holders", "idle_holders", "power_unknown_holders"):
        if sum(o[key] for o in owners) != total[key]:
            fail(f"{tag}: owners' {key} do not add up to the total's {total[key]}")
    # each figure is rounded once (cents, 0.1 W, 0.01 kWh)
    for key, eps in (("allocation_cost_per_month", EPS_MONEY), ("idle_cost_per_month", EPS_MONEY),
                     ("energy_cost_per_month", EPS_MONEY), ("energy_kwh_per_month", EPS_MONEY),
                     ("power_watts", 0.051)):
        known = [o[key] for o in owners if o[key] is not None]
        if not known:
            if total[key] is not None:
                fail(f"{tag}: total {key} known while no owner's is")
            continue
        if not near(sum(known), total[key], eps * (len(owners) + 1)):
            fail(f"{tag}: owners' {key} {sum(known)} != total {total[key]}")
    # the total is the site's
    for sub, res, eps in (("cpu", "cpu_cores", EPS_CORES), ("memory", "memory_bytes", 2)):
        unit = "cores" if sub == "cpu" else "bytes"
        if not near(total[sub][f"allocated_{unit}"], r[res]["allocated"], eps):
            fail(f"{tag}: total {sub} allocated {total[sub][f'allocated_{unit}']} != site's {r[res]['allocated']}")
        if not near(total[sub][f"idle_{unit}"], r[res]["slack"], eps * 4):
            fail(f"{tag}: total {sub} idle {total[sub][f'idle_{unit}']} != site's slack {r[res]['slack']}")
    if total["idle_holders"] != r["idle_holders"]:
        fail(f"{tag}: total idle holders {total['idle_holders']} != the rollup's {r['idle_holders']}")
    if r["slack_cost_per_month"] is not None and not near(
            total["idle_cost_per_month"], r["slack_cost_per_month"], EPS_MONEY * 2):
        fail(f"{tag}: total idle cost {total['idle_cost_per_month']} != slack cost {r['slack_cost_per_month']}")
    summary = d["idle"]["summary"]
    if r["idle_holders"] and f"in {r['idle_holders']} idle VM" not in summary:
        fail(f"{tag}: the idle line does not say 'in {r['idle_holders']} idle': {summary}")
    print(f"ok: {tag}: {len(owners)} owners add up to the total; the total is the site's rollup"
          f" ({total['cpu']['allocated_cores']} cores, {total['holders']} holders,"
          f" {total['idle_holders']} idle) and the line's")


def csv_form(owner):
    """An owner as the CSV writes it: controls (C0 but tab, newline and
    return; DEL; C1) as \\xNN per UTF-8 byte, a leading = + - @ behind a '."""
    if owner is None:
        return "(unowned)"
    out = ""
    for ch in owner:
        o = ord(ch)
        if (o < 0x20 and ch not in "\t\n\r") or o == 0x7f or 0x80 <= o <= 0x9f:
            out += "".join(f"\\x{b:02x}" for b in ch.encode("utf-8"))
        else:
            out += ch
    return "'" + out if out[:1] in ("=", "+", "-", "@", "\t", "\r") else out


def check_csv(rows, rec):
    body = [row for row in rows if row["Owner"] != "Total"]
    tot = [row for row in rows if row["Owner"] == "Total"]
    if len(tot) != 1:
        fail(f"CSV: {len(tot)} total rows")
    tot = tot[0]
    cols = [("CPU allocated (cores)", EPS_CORES), ("CPU idle (cores)", EPS_CORES),
            ("Memory allocated (GiB)", EPS_GIB), ("Memory idle (GiB)", EPS_GIB)]
    cols += [(k, EPS_MONEY) for k in rows[0] if k.startswith(("Allocation cost", "Idle cost"))]
    for col, eps in cols:
        s = sum(float(row[col]) for row in body if row[col])
        if tot[col] and not near(s, float(tot[col]), eps * (len(body) + 1)):
            fail(f"CSV: rows' {col} {s} != the total row's {tot[col]}")
    if sum(int(row["Holders"]) for row in body) != int(tot["Holders"]):
        fail("CSV: rows' holders do not add up to the total row's")
    site = rec["tree"]
    r = site["rollup"]
    if not near(float(tot["CPU allocated (cores)"]), r["cpu_cores"]["allocated"], EPS_CORES):
        fail(f"CSV: total cores {tot['CPU allocated (cores)']} != the run's rollup {r['cpu_cores']['allocated']}")
    if not near(float(tot["Memory allocated (GiB)"]), r["memory_bytes"]["allocated"] / GIB, EPS_GIB):
        fail("CSV: total GiB != the run's rollup")
    if not near(float(tot["CPU idle (cores)"]), r["cpu_cores"]["slack"], EPS_CORES * 4):
        fail(f"CSV: total idle cores {tot['CPU idle (cores)']} != the run's slack {r['cpu_cores']['slack']}")
    # each owner's row from the recorded tree's holders
    want = holders_by_owner(site)
    got = {row["Owner"]: row for row in body}
    if {csv_form(o) for o in want} != set(got):
        fail(f"CSV: owners {sorted(got)} != the tree's holders' owners {sorted(map(csv_form, want))}")
    for owner, w in want.items():
        g = got[csv_form(owner)]
        if int(g["Holders"]) != w["holders"]:
            fail(f"CSV: {owner}: {g['Holders']} holders, the tree has {w['holders']}: {w['ids']}")
        if not near(float(g["CPU allocated (cores)"]), w["cpu"], EPS_CORES):
            fail(f"CSV: {owner}: {g['CPU allocated (cores)']} cores, the tree's holders {w['cpu']}")
        if not near(float(g["Memory allocated (GiB)"]), w["mem"] / GIB, EPS_GIB):
            fail(f"CSV: {owner}: {g['Memory allocated (GiB)']} GiB, the tree's holders {w['mem'] / GIB}")
        if not near(float(g["CPU idle (cores)"]), w["cpu_idle"], EPS_CORES):
            fail(f"CSV: {owner}: idle {g['CPU idle (cores)']}, the tree's counted flags {w['cpu_idle']}")
    print(f"ok: CSV: {len(body)} owner rows add up to the total row, which is the run's rollup;"
          f" each row is its owner's top-level holders in the recorded tree")


def main():
    docs, owner_csv, record = sys.argv[1:4]
    for i, line in enumerate(open(docs)):
        check_doc(json.loads(line), f"snapshot {i + 1}")
    with open(owner_csv, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        fail("CSV: no rows")
    check_csv(rows, json.loads(open(record).readline()))


if __name__ == "__main__":
    main()
