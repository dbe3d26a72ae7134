#!/bin/sh
# The idle policy end to end on the real machine: the summary line, the
# --idle list, the schema, and sums that add up.
. "$(dirname "$0")/lib.sh"

printf 'cost.core_month = 20\ncost.gib_month = 4\ncost.currency = EUR\nidle.threshold = 100\n' >"$TMP/cost.rc"

# With a 100% threshold every node with a known allocation is idle: the
# numbers are then predictable enough to check the sums.
"$GLASS" -b -n 2 -d 0.3 --format json -C "$TMP/cost.rc" >"$TMP/all.jsonl" 2>"$TMP/err"
check "exit 0, no stderr" sh -c 'test $1 -eq 0 && test ! -s "$2"' _ $? "$TMP/err"
check "snapshots validate" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/all.jsonl"
"$PYTHON3" - "$TMP/all.jsonl" >"$TMP/sums" 2>&1 <<'PY'
import json, sys
GIB = 1024 ** 3
for line in open(sys.argv[1]):
    d = json.loads(line)
    site = d["tree"]
    r = site["rollup"]
    hosts = [c for c in site["children"] if c["kind"] == "host"]
    assert r["hosts"] == len(hosts), "host count"
    for key in ("total", "used", "idle", "allocated", "slack", "unallocated"):
        s = sum(h["rollup"]["cpu_cores"][key] for h in hosts)
        assert abs(s - r["cpu_cores"][key]) < 1e-3, f"site cpu {key} = sum of hosts"
        s = sum(h["rollup"]["memory_bytes"][key] for h in hosts)
        assert abs(s - r["memory_bytes"][key]) <= len(hosts), f"site memory {key} = sum of hosts"
    h = hosts[0]
    # threshold 100%: idle unless every core was busy all the time.  The
    # JSON holds the average to 4 significant digits, so a host busy
    # 99.995% of the time reads 1 and is still (rightly) idle.
    cpu = h["idle"]["cpu"]
    assert cpu["idle"] == (cpu["utilization"] < 1) or cpu["utilization"] == 1, cpu
    assert h["idle"]["memory"]["idle"], "memory is never all used here"
    # one host: its physical idle is the site's, and it is the flag's amount
    if cpu["idle"]:
        assert abs(r["cpu_cores"]["idle"] - cpu["idle_cores"]) < 1e-3
        assert abs(r["cpu_cores"]["idle_hosts"] - cpu["idle_cores"]) < 1e-3
    assert abs(r["memory_bytes"]["idle"] - h["idle"]["memory"]["idle_bytes"]) <= 1
    assert r["cpu_cores"]["idle"] <= r["cpu_cores"]["total"] + 1e-3, "idle within capacity"
    want_cost = r["cpu_cores"]["idle"] * 20 + r["memory_bytes"]["idle"] / GIB * 4
    assert abs(r["idle_cost_per_month"] - want_cost) < 0.02, "cost = cores*20 + GiB*4"
    s = d["idle"]["summary"]
    assert s.startswith("idle: ") and f"of {r['cpu_cores']['total']:g} cores" in s, s
    assert d["idle"]["currency"] == "EUR" and d["idle"]["threshold"] == 1
print("ok")
PY
check "rollups add up and cost is right ($(tail -1 "$TMP/sums"))" grep -qx ok "$TMP/sums"

"$GLASS" -b --idle -d 0.3 -C "$TMP/cost.rc" >"$TMP/idle.txt" 2>&1
check "--idle text has the summary line" grep -q '^idle: .* cores (.*%) .* GiB (.*%) .* 1 idle host\( .* W idle\)\{0,1\}$' "$TMP/idle.txt"
check "--idle text lists the host, provisional, with cost" grep -Eq "^$(uname -n) +host .*idle\\? .*EUR" "$TMP/idle.txt"
"$GLASS" -b --idle -d 0.3 --format json -C "$TMP/cost.rc" >"$TMP/idle.json" 2>&1
check "--idle JSON validates" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/idle.json"
check "--idle JSON lists the host in the hosts' section" test "$(json_get "$TMP/idle.json" '[n["kind"] for n in d["idle_hosts"]]')" = "['host']"
check "--idle JSON has no tree" test "$(json_get "$TMP/idle.json" '"tree" in d')" = False

# The default threshold (20%) on a busy host: a burner per core keeps the
# host's cpu above it (its memory may still be idle).
n=$(getconf _NPROCESSORS_ONLN)
pids=""
i=0
while [ "$i" -lt "$n" ]; do
	sh -c 'end=$(($(date +%s) + 3)); while [ "$(date +%s)" -lt "$end" ]; do :; done' &
	pids="$pids $!"
	i=$((i + 1))
done
stop_burners() { for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
on_exit stop_burners
sleep 0.2
"$GLASS" -b --idle -d 1 --format json >"$TMP/busy.json" 2>&1
stop_burners
check "a busy host's cpu is not idle at 20%" test "$(json_get "$TMP/busy.json" 'sum(1 for n in d["idle_hosts"] + d["idle_holders"] if n["idle"]["cpu"]["idle"])')" = 0
finish
