#!/bin/sh
# The idle policy on live cgroups (root): a 2-core quota whose process
# sleeps is flagged idle once the window is short (--window 3s), and its
# ~2 idle cores show in the host's rollup; a 1-core quota whose process
# spins is not flagged.  What the test made is removed by path.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cgroup_lib.sh"

cg_detect
IDLE="glass-test-$$-idle"
BUSY="glass-test-$$-busy"
SLEEPER=
SPINNER=
cleanup_idle() {
	for p in $SLEEPER $SPINNER; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	cg_remove "$IDLE"
	cg_remove "$BUSY"
}
on_exit cleanup_idle

cg_make "$IDLE" && cg_make "$BUSY"
check "made $IDLE and $BUSY" test $? -eq 0
cg_limit "$IDLE" 200000 268435456
cg_limit "$BUSY" 100000 268435456
sleep 1000 &
SLEEPER=$!
sh -c 'while :; do :; done' &
SPINNER=$!
cg_move "$SLEEPER" "$IDLE"
cg_move "$SPINNER" "$BUSY"

# 8 snapshots, 0.5 s apart, with a 3 s window: the averages settle.
"$GLASS" -b -n 8 -d 0.5 --window 3s --format json >"$TMP/idle.jsonl" 2>"$TMP/err"
check "exit 0, no stderr" sh -c 'test $1 -eq 0 && test ! -s "$2"' _ $? "$TMP/err"
"$PYTHON3" - "$TMP/idle.jsonl" "$IDLE" "$BUSY" "$SRCDIR/tests/tools" >"$TMP/res" 2>&1 <<'PY'
import json, sys
sys.path.insert(0, sys.argv[4])
from snapshot_node import find
d = [json.loads(l) for l in open(sys.argv[1])][-1]
idle, busy = find(d["tree"], sys.argv[2]), find(d["tree"], sys.argv[3])
assert idle and busy, "both cgroups are in the tree"
ci, cb = idle["idle"]["cpu"], busy["idle"]["cpu"]
assert idle["cpu_cores_allocated"] == 2 and busy["cpu_cores_allocated"] == 1
assert ci["idle"], ("the sleeper's 2 cores are idle", ci)
assert 1.8 <= ci["idle_cores"] <= 2.0, ci
assert not cb["idle"], ("the spinner's core is not idle", cb)
host = [h for h in d["tree"]["children"] if h["kind"] == "host"][0]
r = host["rollup"]["cpu_cores"]
assert r["slack"] >= ci["idle_cores"] - 1e-6, ("the host's slack holds the idle cores", r)
assert ci["counted"], ("the idle cgroup is a counted top-level holder", ci)
assert r["allocated"] >= 3 - 1e-6, ("both quotas are allocated on the host", r)
print("ok idle %.2f cores (util %.3f), busy util %.2f, host slack %.2f of %.2f allocated"
      % (ci["idle_cores"], ci["utilization"], cb["utilization"], r["slack"], r["allocated"]))
PY
check "sleeping 2-core quota idle, spinning 1-core quota not ($(tail -1 "$TMP/res"))" grep -q '^ok' "$TMP/res"
"$GLASS" -b -n 4 -d 0.5 --window 3s --idle >"$TMP/idle.txt" 2>&1
say "$(grep -E "^($IDLE|$BUSY) " "$TMP/idle.txt")"
check "--idle lists the sleeper's cores with a right-size hint" grep -Eq "^$IDLE .*idle\\?? [0-9.]+c .*2 (→|->) 0\\.10 cores" "$TMP/idle.txt"
# the spinner's memory may be idle (it uses little of 256 MiB), its cpu not
check "--idle never lists the spinner's cpu" sh -c '! grep -Eq "^$1 .*idle\\?? [0-9.]+c" "$2"' _ "$BUSY" "$TMP/idle.txt"
finish
