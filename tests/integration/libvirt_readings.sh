#!/bin/sh
# Hypervisor readings against ground truth read at the same moment, through
# the suite's libvirtd on 127.0.0.1 (root):
#  - qemu+tcp: the host's memory total is the whole machine's
#    (/proc/meminfo MemTotal), not one NUMA node's (virNodeGetInfo), and
#    used is total - (free + buffers + cached) of the same answer;
#  - test+tcp: after `virsh setmem`, a VM's memory allocated is what it
#    holds now (virsh dominfo "Used memory") and memory_bytes_max its
#    maximum ("Max memory"); once suspended, its balloon statistics read
#    as guest-stale, and as guest again when resumed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libvirtd_lib.sh"

libvirtd_require
libvirtd_start
say "libvirtd pid $LVD_PID on 127.0.0.1:$LVD_PORT"

# --- the hypervisor's host memory
QEMU="qemu+tcp://127.0.0.1:$LVD_PORT/system"
meminfo() { awk '/^(MemTotal|MemFree|Buffers|Cached):/ {printf "%s %.0f ", $1, $2 * 1024} END {print ""}' /proc/meminfo; }
if virsh -q -c "$QEMU" nodememstats >"$TMP/nodemem" 2>"$TMP/nodemem.err"; then
	nodeinfo=$(virsh -q -c "$QEMU" nodeinfo | sed -n 's/^Memory size: *\([0-9]*\) KiB/\1/p')
	before=$(meminfo)
	"$GLASS" -b -n 1 -d 0.3 --format json --no-local -c "$QEMU" >"$TMP/qemu.json" 2>"$TMP/qemu.err"
	rc=$?
	after=$(meminfo)
	check "qemu+tcp: exit 0, no stderr" sh -c '[ "$1" -eq 0 ] && [ ! -s "$2" ]' _ "$rc" "$TMP/qemu.err"
	res=$("$PYTHON3" - "$TMP/qemu.json" "$before" "$after" "$nodeinfo" <<'PY'
import json, sys
d = json.loads(open(sys.argv[1]).readline())
h = d["tree"]["children"][0]
def parse(s):
    f = s.split()
    return {f[i].rstrip(":"): int(f[i + 1]) for i in range(0, len(f), 2)}
b, a = parse(sys.argv[2]), parse(sys.argv[3])
total = b["MemTotal"]
used = [m["MemTotal"] - m["MemFree"] - m["Buffers"] - m["Cached"] for m in (b, a)]
lo, hi = min(used) - 2**27, max(used) + 2**27  # what other work may take or free in a moment
ok = h["memory_bytes_allocated"] == total and h["memory_bytes_used"] is not None \
    and lo <= h["memory_bytes_used"] <= hi
print("%s total %d (MemTotal %d; virNodeGetInfo says %d), used %s in [%d, %d]" % (
    "ok" if ok else "FAIL", h["memory_bytes_allocated"], total, int(sys.argv[4] or 0) * 1024,
    h["memory_bytes_used"], lo, hi))
PY
)
	check "qemu+tcp: host memory is the whole machine's, used from the same answer ($res)" test "${res%% *}" = ok
else
	say "qemu+tcp: no node memory statistics here ($(cat "$TMP/nodemem.err")): the host memory check does not apply"
fi

# --- a VM ballooned down, then paused: test+tcp with the daemon's default
# test driver.  Its state lives as long as a connection holds it, so
# glass keeps one open while virsh changes the domain.
TEST="test+tcp://127.0.0.1:$LVD_PORT/default"
"$GLASS" -b -n 0 -d 0.3 --format json --no-local -c "$TEST" >"$TMP/test.jsonl" 2>"$TMP/test.err" &
GPID=$!
stop_glass() { kill "$GPID" 2>/dev/null; wait "$GPID" 2>/dev/null; return 0; }
on_exit stop_glass
# wait_for EXPR: until the last snapshot's VM "test" (v) satisfies EXPR
wait_for() {
	i=0
	while [ $i -lt 50 ]; do
		"$PYTHON3" - "$TMP/test.jsonl" "$1" <<'PY' && return 0
import json, sys
lines = [l for l in open(sys.argv[1]) if l.endswith("\n")]
if not lines: sys.exit(1)
d = json.loads(lines[-1])
vs = [v for h in d["tree"]["children"] for v in h["children"] if v["name"] == "test"]
sys.exit(0 if vs and eval(sys.argv[2], {"v": vs[0]}) else 1)
PY
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}
last_vm() {
	"$PYTHON3" - "$TMP/test.jsonl" <<'PY'
import json
lines = [l for l in open(__import__("sys").argv[1]) if l.endswith("\n")]
d = json.loads(lines[-1])
v = [v for h in d["tree"]["children"] for v in h["children"] if v["name"] == "test"][0]
print(v["state"], v["memory_bytes_allocated"], v["memory_bytes_max"], v["memory_bytes_used"], v["memory_source"])
PY
}
dominfo() { virsh -q -c "$TEST" dominfo test | awk '/^(State|Max memory|Used memory):/ {sub(/^[^:]*: */, ""); printf "%s|", $0}'; }

wait_for 'v["memory_source"] == "guest"'
check "test+tcp: the VM 'test' is read, running, guest memory ($(last_vm))" test $? -eq 0
virsh -q -c "$TEST" setmem test 1048576 >"$TMP/virsh.out" 2>&1
check "virsh setmem test 1 GiB ($(cat "$TMP/virsh.out"))" test $? -eq 0
wait_for 'v["memory_bytes_allocated"] == 2**30'
got=$(last_vm)
truth=$(dominfo)
set -- $got
# dominfo: state|max KiB|used KiB|
want_max=$(echo "$truth" | cut -d'|' -f2 | sed 's/ KiB//')
want_cur=$(echo "$truth" | cut -d'|' -f3 | sed 's/ KiB//')
check "after setmem: allocated is what it holds now ($2 = virsh dominfo's used $want_cur KiB)" \
	test "$2" = "$((want_cur * 1024))" -a "$want_cur" = 1048576
check "after setmem: memory_bytes_max is the maximum ($3 = virsh dominfo's max $want_max KiB)" \
	test "$3" = "$((want_max * 1024))"
virsh -q -c "$TEST" suspend test >"$TMP/virsh.out" 2>&1
check "virsh suspend test" test $? -eq 0
wait_for 'v["state"] == "paused"'
got=$(last_vm)
check "paused: its balloon statistics are said to be stale ($got; virsh: $(dominfo))" \
	sh -c 'set -- $1; [ "$1" = paused ] && [ "$5" = guest-stale ]' _ "$got"
virsh -q -c "$TEST" resume test >/dev/null 2>&1
wait_for 'v["state"] == "running" and v["memory_source"] == "guest"'
check "resumed: guest memory again ($(last_vm))" test $? -eq 0
stop_glass
check "glass wrote no stderr" test ! -s "$TMP/test.err"
if "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/test.jsonl" >"$TMP/v" 2>&1; then
	pass "the snapshots validate ($(cat "$TMP/v"))"
else
	fail "schema:"; sed 's/^/    /' "$TMP/v"
fi
finish
