#!/usr/bin/env python3
"""Checks the idle accounting (DESIGN.md section 3) on real glass output.

Usage: check_idle_sums.py SNAPSHOT.jsonl IDLE.json IDLE.csv RECORD.jsonl [IDLE.txt [IDLE.prom]]

SNAPSHOT.jsonl: `glass -b --format json` documents; every one is checked.
IDLE.json, IDLE.csv: `glass -b --idle` in JSON and CSV; RECORD.jsonl: the
tree the CSV run recorded (--record), which its rows must add up to; IDLE.txt:
`glass -b --idle` in text with a cost model, whose host rows must add up to
the share of the idle hardware's cost the money line gives them; IDLE.prom:
`glass -b --idle --format prom`, whose counted holders add up to the slack.  One line
per fact checked and exits 1 on the first that does not hold."""
import csv
import json
import re
import sys

EPS_CORES = 1e-3  # JSON keeps 4 decimals of cores
EPS_BYTES = 2     # whole bytes, rounded once per figure


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def near(a, b, eps):
    return abs(a - b) <= eps


def walk(n):
    yield n
    for c in n.get("children", []):
        yield from walk(c)


def check_snapshot(d, tag):
    site = d["tree"]
    hosts = [c for c in site["children"] if c["kind"] == "host"]
    r = site["rollup"]
    if r["hosts"] != len(hosts):
        fail(f"{tag}: site says {r['hosts']} hosts, the tree has {len(hosts)}")
    for res, eps in (("cpu_cores", EPS_CORES), ("memory_bytes", EPS_BYTES)):
        flag_key = "cpu" if res == "cpu_cores" else "memory"
        amount = "idle_cores" if res == "cpu_cores" else "idle_bytes"
        sr = r[res]
        for key in ("total", "measured", "allocated", "slack", "idle_hosts", "unallocated"):
            s = sum(h["rollup"][res][key] for h in hosts)
            if not near(s, sr[key], eps * max(1, len(hosts))):
                fail(f"{tag}: site {res}.{key} {sr[key]} != sum of hosts {s}")
        for key in ("used", "idle"):
            known = [h["rollup"][res][key] for h in hosts if h["rollup"][res][key] is not None]
            if not known:
                if sr[key] is not None:
                    fail(f"{tag}: site {res}.{key} known while no host's is")
                continue
            if not near(sum(known), sr[key], eps * len(hosts)):
                fail(f"{tag}: site {res}.{key} {sr[key]} != sum of known hosts {sum(known)}")
        unknown = sum(1 for h in hosts if h["rollup"][res]["idle"] is None)
        if unknown != sr["hosts_unknown"]:
            fail(f"{tag}: site {res}.hosts_unknown {sr['hosts_unknown']}, {unknown} hosts unknown")
        if sr["idle"] is not None and not (0 <= sr["idle"] <= sr["measured"] + eps):
            fail(f"{tag}: site {res} idle {sr['idle']} outside 0..{sr['measured']}")
        for h in hosts:
            hr = h["rollup"][res]
            if hr["idle"] is not None:
                if not (0 <= hr["idle"] <= hr["total"] + eps):
                    fail(f"{tag}: {h['id']} {res} idle {hr['idle']} outside 0..{hr['total']}")
                if not near(hr["idle"] + hr["used"], hr["total"], 2 * eps):
                    fail(f"{tag}: {h['id']} {res} idle + used != total")
            if not near(hr["unallocated"], max(0, hr["total"] - hr["allocated"]), 2 * eps):
                fail(f"{tag}: {h['id']} {res} unallocated is not max(0, total - allocated)")
            # slack: the counted flags of the holders below, each once
            slack = sum(n["idle"][flag_key][amount] for n in walk(h)
                        if n is not h and n["idle"][flag_key]["counted"])
            if not near(slack, hr["slack"], eps * 4):
                fail(f"{tag}: {h['id']} {res} slack {hr['slack']} != counted flags {slack}")
            f = h["idle"][flag_key]
            want = f[amount] if f["counted"] else 0
            if not near(want, hr["idle_hosts"], eps):
                fail(f"{tag}: {h['id']} {res} idle_hosts {hr['idle_hosts']} != its flag {want}")
    print(f"ok: {tag}: site = sum of {len(hosts)} hosts; idle within capacity; slack = counted flags")


def check_idle_list(doc):
    r = doc["rollup"]
    holders, hosts, nested = doc["idle_holders"], doc["idle_hosts"], doc["idle_nested"]
    if len(holders) != r["idle_holders"]:
        fail(f"--idle: {len(holders)} holder rows, the rollup says {r['idle_holders']}")
    if len(hosts) != r["idle_hosts"]:
        fail(f"--idle: {len(hosts)} host rows, the rollup says {r['idle_hosts']}")
    for res, flag_key, amount, eps in (("cpu_cores", "cpu", "idle_cores", EPS_CORES),
                                       ("memory_bytes", "memory", "idle_bytes", EPS_BYTES)):
        s = sum(n["idle"][flag_key][amount] for n in holders if n["idle"][flag_key]["counted"])
        if not near(s, r[res]["slack"], eps * (len(holders) + 1)):
            fail(f"--idle: holder rows' {amount} {s} != the rollup's slack {r[res]['slack']}")
        s = sum(n["idle"][flag_key][amount] for n in hosts if n["idle"][flag_key]["counted"])
        if not near(s, r[res]["idle_hosts"], eps * (len(hosts) + 1)):
            fail(f"--idle: host rows' {amount} {s} != the rollup's idle_hosts {r[res]['idle_hosts']}")
    if r["slack_cost_per_month"] is not None:
        # a holder flagged on a resource something above it holds is priced
        # on it but not summed: then the costs cannot be compared row by row
        partial = [n for n in holders for k in ("cpu", "memory")
                   if n["idle"][k]["idle"] and not n["idle"][k]["counted"]]
        s = sum(n["idle"]["cost_per_month"] for n in holders)
        if not partial and not near(s, r["slack_cost_per_month"], 0.01 * (len(holders) + 1)):
            fail(f"--idle: holder rows' cost {s:.2f} != the rollup's slack cost {r['slack_cost_per_month']}")
        print(f"ok: --idle JSON: holder rows' cost {s:.2f} = slack cost {r['slack_cost_per_month']}")
    for n in nested:
        if n["idle"]["cpu"]["counted"] or n["idle"]["memory"]["counted"]:
            fail(f"--idle: nested row {n['id']} is counted")
    summary = doc["idle"]["summary"]
    if r["idle_holders"] and f"in {r['idle_holders']} idle VM" not in summary:
        fail(f"--idle: the line does not say 'in {r['idle_holders']} idle': {summary}")
    if r["idle_hosts"] and f"{r['idle_hosts']} idle host" not in summary:
        fail(f"--idle: the line does not say '{r['idle_hosts']} idle host': {summary}")
    if "%" in summary:
        for part in summary.split("(")[1:]:
            pct = part.split("%")[0]
            if pct.replace(".", "").isdigit() and float(pct) > 100:
                fail(f"--idle: a share passes 100%: {summary}")
    print(f"ok: --idle JSON: {len(holders)} holders and {len(hosts)} hosts add up to the rollup"
          f" and the line; {len(nested)} nested not added")


def check_csv(rows, rec):
    """The CSV of one run against the full tree that run recorded."""
    site = rec["tree"]
    r = site["rollup"]
    by = {}
    for row in rows:
        by.setdefault(row["section"], []).append(row)
    for sec, key in (("holders", "idle_holders"), ("hosts", "idle_hosts")):
        if len(by.get(sec, [])) != r[key]:
            fail(f"--idle CSV: {len(by.get(sec, []))} {sec} rows, the run's rollup says {r[key]}")
    for res, col, eps in (("cpu_cores", "idle_cores", EPS_CORES), ("memory_bytes", "idle_bytes", EPS_BYTES)):
        flag = "cpu" if res == "cpu_cores" else "memory"
        counted = {n["id"] for n in walk(site) if n["idle"][flag]["counted"]}
        for sec, key in (("holders", "slack"), ("hosts", "idle_hosts")):
            s = sum(float(row[col]) for row in by.get(sec, []) if row["id"] in counted and row[col])
            if not near(s, r[res][key], eps * (len(rows) + 1)):
                fail(f"--idle CSV: {sec} rows' {col} {s} != the rollup's {key} {r[res][key]}")
    print(f"ok: --idle CSV: {len(rows)} rows; holders and hosts add up to the run's rollup")


def check_text(lines):
    """The host rows' COST/MONTH against the money line's share for them."""
    money = [l for l in lines if l.startswith("idle hardware costs ")]
    if not money:
        print("ok: --idle text: no cost model, no money line")
        return
    rows, section = [], None
    for l in lines:
        if not l.strip():
            section = None
        elif l.startswith("hosts: "):
            section = "hosts"
        elif section == "hosts" and not l.startswith("NAME "):
            rows.append(l)
    share = re.search(r" \((\d+\.\d\d) \S+ of it in the (\d+) idle hosts? below\)", money[0])
    if not rows:
        if share:
            fail(f"--idle text: a hosts' share with no host row: {money[0]}")
        print("ok: --idle text: no idle host, no share of the idle hardware's cost")
        return
    if not share:
        fail(f"--idle text: {len(rows)} host rows but the money line gives them no share: {money[0]}")
    if int(share.group(2)) != len(rows):
        fail(f"--idle text: the money line says {share.group(2)} idle hosts, {len(rows)} rows")
    costs = []
    for l in rows:
        m = re.search(r" (\d+\.\d\d) \S+ +\d+s ", l)
        if not m:
            fail(f"--idle text: a host row without a cost: {l}")
        costs.append(float(m.group(1)))
    # each row and the share are rounded to the cent on their own
    if not near(sum(costs), float(share.group(1)), 0.005 * (len(rows) + 1)):
        fail(f"--idle text: host rows' cost {sum(costs):.2f} != the line's share {share.group(1)}")
    print(f"ok: --idle text: {len(rows)} host rows' cost {sum(costs):.2f} = the line's share {share.group(1)}")


PROM_SAMPLE = re.compile(r'^(\w+)\{id="((?:[^"\\]|\\.)*)",kind="(\w+)".*\} (\S+)$')


def check_prom(lines):
    """The holders the prom rows mark counted add up to the site's slack."""
    per, site = {}, {}
    for l in lines:
        m = PROM_SAMPLE.match(l)
        if m:
            per.setdefault(m.group(1), {})[m.group(2)] = (m.group(3), float(m.group(4)))
        elif l.startswith("glass_site_"):
            name, value = l.split(" ")
            site[name] = float(value)
    for flag, amount, slack, eps in (("cpu", "glass_idle_cores", "glass_site_cpu_slack_cores", EPS_CORES),
                                     ("memory", "glass_idle_bytes", "glass_site_memory_slack_bytes", EPS_BYTES)):
        counted = per.get(f"glass_{flag}_idle_counted", {})
        flagged = {i for i, (_, v) in per.get(f"glass_{flag}_idle", {}).items() if v == 1}
        if set(counted) != flagged:
            fail(f"--idle prom: glass_{flag}_idle_counted marks {sorted(counted)}, flagged {sorted(flagged)}")
        s = sum(per[amount][i][1] for i, (kind, v) in counted.items() if v == 1 and kind != "host")
        if not near(s, site[slack], eps * (len(counted) + 1)):
            fail(f"--idle prom: counted holders' {amount} {s} != {slack} {site[slack]}")
    print(f"ok: --idle prom: counted holders add up to the site's slack")


def main():
    snaps, idle_json, idle_csv = sys.argv[1:4]
    for i, line in enumerate(open(snaps)):
        check_snapshot(json.loads(line), f"snapshot {i + 1}")
    doc = json.loads(open(idle_json).readline())
    with open(idle_csv, newline="") as f:
        rows = list(csv.DictReader(f))
    check_idle_list(doc)
    check_csv(rows, json.loads(open(sys.argv[4]).readline()))
    if len(sys.argv) > 5:
        check_text(open(sys.argv[5], encoding="utf-8").read().splitlines())
    if len(sys.argv) > 6:
        check_prom(open(sys.argv[6], encoding="utf-8").read().splitlines())


if __name__ == "__main__":
    main()
