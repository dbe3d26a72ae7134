#!/bin/sh
# Hypervisors through a libvirtd the test starts on 127.0.0.1: the same
# tree over test+tcp as from the local fixture, qemu+tcp lists what qemu
# runs, and the faults of the hypervisors issue: a stopped daemon goes
# stale then unreachable without slowing the snapshots, comes back when
# woken, and a restarted daemon is reconnected to.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libvirtd_lib.sh"

FIXTURE="$SRCDIR/tests/fixtures/libvirt/node8.xml"

libvirtd_require
libvirtd_start
say "libvirtd pid $LVD_PID on 127.0.0.1:$LVD_PORT"

# shape FILE: the tree without rates, one line per node, to compare runs.
shape() {
	"$PYTHON3" - "$1" <<'PY'
import json, re, sys
d = [json.loads(l) for l in open(sys.argv[1])][-1]
def walk(n, depth):
    # a remote test-driver host is test-<fixture>@<daemon address>
    at = lambda s: re.sub(r"@127\.0\.0\.1:[0-9]+", "", s)
    print(depth, at(n["id"]), n["kind"], at(n["name"]), n["state"], n["cpu_cores_allocated"],
          n["memory_bytes_allocated"], [x["name"] for x in n.get("disks", [])])
    for c in n["children"]:
        walk(c, depth + 1)
walk(d["tree"], 0)
PY
}

# --- test+tcp: the same tree as the local fixture
"$GLASS" -b -n 1 -d 0.3 --format json --no-local -c "test://$FIXTURE" >"$TMP/local.json" 2>&1
"$GLASS" -b -n 1 -d 0.3 --format json --no-local -c "test+tcp://127.0.0.1:$LVD_PORT$FIXTURE" \
	>"$TMP/tcp.json" 2>"$TMP/tcp.err"
check "test+tcp: exit 0, no stderr" test $? -eq 0 -a ! -s "$TMP/tcp.err"
shape "$TMP/local.json" >"$TMP/local.shape" 2>&1
shape "$TMP/tcp.json" >"$TMP/tcp.shape" 2>&1
if cmp -s "$TMP/local.shape" "$TMP/tcp.shape" && grep -q "vm:test-node8/" "$TMP/tcp.shape"; then
	pass "test+tcp://127.0.0.1:$LVD_PORT<fixture> gives the same tree as test://<fixture> ($(wc -l <"$TMP/tcp.shape") nodes)"
else
	fail "test+tcp tree differs from the local fixture's:"
	diff "$TMP/local.shape" "$TMP/tcp.shape" | sed 's/^/    /'
fi
check "test+tcp: the snapshot validates" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/tcp.json"

# --- qemu+tcp: the host and exactly the domains qemu has
QEMU="qemu+tcp://127.0.0.1:$LVD_PORT/system"
if virsh -q -c "$QEMU" list --all --uuid >"$TMP/virsh.uuids" 2>"$TMP/virsh.err"; then
	"$GLASS" -b -n 1 -d 0.5 --format json --no-local -c "$QEMU" >"$TMP/qemu.json" 2>"$TMP/qemu.err"
	check "qemu+tcp: exit 0, no stderr" test $? -eq 0 -a ! -s "$TMP/qemu.err"
	"$PYTHON3" - "$TMP/qemu.json" "$TMP/virsh.uuids" >"$TMP/qemu.check" 2>&1 <<'PY'
import json, sys
d = json.loads(open(sys.argv[1]).readline())
want = sorted(l.strip() for l in open(sys.argv[2]) if l.strip())
assert d["sources"][0]["health"] == "ok", d["sources"]
hosts = d["tree"]["children"]
assert len(hosts) == 1 and hosts[0]["kind"] == "host", hosts
h = hosts[0]
assert h["cpu_cores_allocated"] >= 1 and h["memory_bytes_allocated"] > 0, h
assert h["cpu_cores_used"] is not None and h["memory_bytes_used"] is not None, h
got = sorted(v["id"].split("/", 1)[1] for v in h["children"])
assert got == want, (got, want)
print("ok: host %s, %d cpus, %d domains" % (h["name"], h["cpu_cores_allocated"], len(got)))
PY
	check "qemu+tcp: the host with cpu/memory used, and the domains virsh lists ($(tail -1 "$TMP/qemu.check"))" \
		grep -q "^ok" "$TMP/qemu.check"
	# This daemon's qemu is the local machine: one host node, the local
	# one, with its own rates untouched by the hypervisor's counters.
	"$GLASS" -b -n 3 -d 0.5 --format json -c "$QEMU" >"$TMP/merged.jsonl" 2>"$TMP/merged.err"
	"$PYTHON3" - "$TMP/merged.jsonl" "$TMP/virsh.uuids" >"$TMP/merged.check" 2>&1 <<'PY'
import json, sys
want = sorted(l.strip() for l in open(sys.argv[2]) if l.strip())
for l in open(sys.argv[1]):
    d = json.loads(l)
    assert all(s["health"] == "ok" for s in d["sources"]) and len(d["sources"]) >= 2, d["sources"]
    hosts = d["tree"]["children"]
    assert len(hosts) == 1, [h["id"] for h in hosts]
    h = hosts[0]
    assert h["load"][0] is not None, "the local source's host node"
    assert h["cpu_cores_used"] is not None and h["cpu_cores_used"] <= h["cpu_cores_allocated"] + 0.5, h["cpu_cores_used"]
    assert sorted(v["id"].split("/", 1)[1] for v in h["children"] if v["kind"] == "vm") == want
print("ok: one host %s, cpu %.2f of %d" % (h["id"], h["cpu_cores_used"], h["cpu_cores_allocated"]))
PY
	check "qemu+tcp beside the local host: one host node, its rates intact ($(tail -1 "$TMP/merged.check"))" \
		grep -q "^ok" "$TMP/merged.check"
else
	say "SKIP part: qemu+tcp://.../system does not answer here: $(head -1 "$TMP/virsh.err")"
fi

# --- fault (b): kill -STOP during a 10-snapshot run
REMOTE="test+tcp://127.0.0.1:$LVD_PORT/default"
start=$(date +%s%N)
"$GLASS" -b -n 10 -d 1 --format json --no-local -c "$REMOTE" -c test:///default \
	>"$TMP/stop.jsonl" 2>"$TMP/stop.err" &
gpid=$!
sleep 2.5
kill -STOP "$LVD_PID"
wait "$gpid"
rc=$?
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
kill -CONT "$LVD_PID"
check "STOP: glass exits 0" test $rc -eq 0
check "STOP: all 10 snapshots arrive" test "$(wc -l <"$TMP/stop.jsonl")" -eq 10
check "STOP: the run takes <= 12 s (${took_ms} ms)" test "$took_ms" -le 12000
"$PYTHON3" - "$TMP/stop.jsonl" >"$TMP/stop.check" 2>&1 <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
seq = [d["sources"][0]["health"] for d in docs]
other = [d["sources"][1]["health"] for d in docs]
assert all(h == "ok" for h in other), ("test:/// not always ok", other)
assert seq[0] == "ok", seq
first_stale = seq.index("stale")
first_unr = seq.index("unreachable")
assert first_stale < first_unr, seq
assert all(h == "unreachable" for h in seq[first_unr:]), seq
last = docs[-1]["sources"][0]
assert last["reason"].startswith("no answer for "), last
hosts = {h["name"].split("@")[0] + ("@" if "@" in h["name"] else ""): h for h in docs[-1]["tree"]["children"]}
assert sorted(hosts) == ["test-default", "test-default@"], sorted(hosts)
assert hosts["test-default@"]["stale"] and hosts["test-default@"]["children"][0]["stale"], "stopped: marked stale"
assert not hosts["test-default"]["stale"], "test:/// is not stale"
print("ok: " + " ".join(seq))
PY
check "STOP: the stopped host goes stale then unreachable, test:/// stays ok ($(tail -1 "$TMP/stop.check"))" \
	grep -q "^ok" "$TMP/stop.check"

# health_wait FILE HEALTH SECONDS: until the last whole snapshot in FILE
# shows source 0 with HEALTH; prints the seconds it took.
health_wait() {
	"$PYTHON3" - "$@" <<'PY'
import json, sys, time
path, want, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
t0 = time.monotonic()
while time.monotonic() - t0 < limit:
    lines = [l for l in open(path).read().split("\n")[:-1] if l]
    if lines and json.loads(lines[-1])["sources"][0]["health"] == want:
        print("%.1f" % (time.monotonic() - t0))
        sys.exit(0)
    time.sleep(0.05)
print("timeout")
sys.exit(1)
PY
}

# --- fault (c): kill -CONT brings it back; (d) a restarted daemon
"$GLASS" -b -n 0 -d 0.5 --format json --no-local -c "$REMOTE" >"$TMP/live.jsonl" 2>"$TMP/live.err" &
gpid=$!
stop_glass() { kill -TERM "$gpid" 2>/dev/null; wait "$gpid" 2>/dev/null; return 0; }
on_exit stop_glass
t=$(health_wait "$TMP/live.jsonl" ok 10)
check "live run: ok at first (${t} s)" test "$t" != timeout
kill -STOP "$LVD_PID"
t=$(health_wait "$TMP/live.jsonl" unreachable 15)
check "STOP: unreachable after ${t} s" test "$t" != timeout
kill -CONT "$LVD_PID"
t=$(health_wait "$TMP/live.jsonl" ok 5)
check "CONT: ok again after ${t} s (within the 1 s backoff and a tick)" test "$t" != timeout

port=$LVD_PORT
libvirtd_stop
t=$(health_wait "$TMP/live.jsonl" unreachable 10)
check "daemon killed: unreachable after ${t} s" test "$t" != timeout
reason=$(tail -1 "$TMP/live.jsonl" | "$PYTHON3" -c 'import json,sys; print(json.load(sys.stdin)["sources"][0]["reason"])')
say "reason while the daemon is down: $reason"
check "daemon killed: the reason is libvirt's" test -n "$reason"
libvirtd_start "$port"
t=$(health_wait "$TMP/live.jsonl" ok 40)
check "daemon restarted on port $port: glass reconnected by itself after ${t} s" test "$t" != timeout
stop_glass
check "live run: no stderr" test ! -s "$TMP/live.err"
check "live run: every snapshot validates" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/live.jsonl"
finish
