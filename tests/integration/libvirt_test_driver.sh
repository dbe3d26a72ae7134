#!/bin/sh
# The libvirt source on the test driver (test:///<fixture>): the tree,
# states, vCPUs and memory allocations match the fixture exactly; the
# config file's `hypervisor =` lines work like -c; an unreachable URI is
# one line with its reason and does not disturb the others.
. "$(dirname "$0")/lib.sh"

FIXTURE="$SRCDIR/tests/fixtures/libvirt/node8.xml"
URI="test://$FIXTURE"

"$GLASS" -b -n 2 -d 0.3 --format json --no-local -c "$URI" >"$TMP/out.jsonl" 2>"$TMP/err"
check "exit 0" test $? -eq 0
check "no stderr" test ! -s "$TMP/err"
if "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/out.jsonl" >"$TMP/v" 2>&1; then
	pass "snapshots validate against the schema ($(cat "$TMP/v"))"
else
	fail "schema validation:"
	sed 's/^/    /' "$TMP/v"
fi

# tree_check FILE: the fixture's tree, field by field (last snapshot).
tree_check() {
	"$PYTHON3" - "$1" <<'PY'
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])][-1]
src = [s for s in d["sources"] if s["kind"] == "libvirt"]
assert len(src) == 1 and src[0]["health"] == "ok", src
hosts = [h for h in d["tree"]["children"] if h["id"] == "host:test-node8"]
assert len(hosts) == 1, [h["id"] for h in d["tree"]["children"]]
h = hosts[0]
assert h["kind"] == "host" and h["name"] == "test-node8", h
assert h["cpu_cores_allocated"] == 8, h["cpu_cores_allocated"]
assert h["memory_bytes_allocated"] == 32 * 2**30, h["memory_bytes_allocated"]
GiB, MiB = 2**30, 2**20
want = {
    # name: (uuid, state, vcpus, memory allocated (currentMemory), maximum (memory))
    "batch": ("33333333-3333-4333-8333-333333333333", "running", 1, 512 * MiB, 512 * MiB),
    "db": ("22222222-2222-4222-8222-222222222222", "paused", 6, 12 * GiB, 16 * GiB),
    "old": ("44444444-4444-4444-8444-444444444444", "shut off", 2, 2 * GiB, 2 * GiB),
    "web": ("11111111-1111-4111-8111-111111111111", "running", 4, 8 * GiB, 8 * GiB),
}
got = {v["name"]: v for v in h["children"]}
assert sorted(got) == sorted(want), sorted(got)
assert [v["name"] for v in h["children"]] == sorted(want), "sorted by name"
for name, (uuid, state, vcpus, mem, mem_max) in want.items():
    v = got[name]
    assert v["kind"] == "vm", v
    assert v["id"] == "vm:test-node8/" + uuid, v["id"]
    assert v["state"] == state, (name, v["state"])
    assert v["cpu_cores_allocated"] == vcpus, (name, v["cpu_cores_allocated"])
    assert v["memory_bytes_allocated"] == mem, (name, v["memory_bytes_allocated"])
    assert v["memory_bytes_max"] == mem_max, (name, v["memory_bytes_max"])
    assert v["runtime"] == "libvirt" and v["children"] == [], v
# web has a balloon, a disk and a NIC: guest memory and per-device rates
web = got["web"]
assert web["memory_source"] == "guest" and web["memory_bytes_used"] > 0, web
assert [x["name"] for x in web["disks"]] == ["vda"], web["disks"]
assert len(web["interfaces"]) == 1, web["interfaces"]
assert web["disk_read_bytes_per_second"] is not None, web
# batch has no balloon: memory used is unknown (null), never 0
assert got["batch"]["memory_bytes_used"] is None and got["batch"]["memory_source"] is None
# a running test-driver VM burns "one core" (its cpu time is the wall clock)
assert got["batch"]["cpu_cores_used"] is not None
print("ok")
PY
}
tree_check "$TMP/out.jsonl" >"$TMP/tree" 2>&1
check "tree, states, vCPUs and memory match the fixture ($(tail -1 "$TMP/tree"))" grep -qx ok "$TMP/tree"

# The same hypervisor from a config line.
printf '# hypervisors\nhypervisor = %s\n' "$URI" >"$TMP/glassrc"
"$GLASS" -b -n 1 -d 0.3 --format json --no-local -C "$TMP/glassrc" >"$TMP/cfg.jsonl" 2>"$TMP/cfgerr"
check "config: exit 0, no stderr" test $? -eq 0 -a ! -s "$TMP/cfgerr"
tree_check "$TMP/cfg.jsonl" >"$TMP/tree2" 2>&1
check "config 'hypervisor = URI' gives the same tree ($(tail -1 "$TMP/tree2"))" grep -qx ok "$TMP/tree2"

# Text: the hypervisor's branch, and a closed port as one line with why.
PORT=$("$PYTHON3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start=$(date +%s%N)
"$GLASS" -b -n 1 -d 1 --no-local -c "test+tcp://127.0.0.1:$PORT/default" -c "$URI" >"$TMP/text" 2>"$TMP/texterr"
rc=$?
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "closed port: exit 0 (another source was sampled)" test $rc -eq 0
check "closed port: no stderr" test ! -s "$TMP/texterr"
line=$(grep -c "^  test+tcp://127.0.0.1:$PORT/default: unreachable: .*Connection refused (retry at " "$TMP/text")
check "closed port: one line, unreachable, with libvirt's reason and the retry time" test "$line" -eq 1
check "closed port: reported in the first snapshot, 1 s after start (took ${took_ms} ms)" test "$took_ms" -lt 3000
check "closed port: the other hypervisor is fine (1 ok)" grep -q "^sources: 1 ok 1 unreachable" "$TMP/text"
check "text shows the VMs with their states" \
	sh -c 'grep -Eq "^    db +vm +paused +6(\.00)? " "$1" && grep -Eq "^    old +vm +shut off +2(\.00)? " "$1"' _ "$TMP/text"

# Redaction: a password in the URI is never printed, in any output.
"$GLASS" -b --format json -d 0.3 -c 'test+tcp://admin:s3cret@127.0.0.1:1/default' >"$TMP/r.json" 2>"$TMP/r.err"
"$GLASS" -b -d 0.3 --no-local -c 'test+tcp://admin:s3cret@127.0.0.1:1/default?token=t0psecret' >"$TMP/r.txt" 2>"$TMP/r2.err"
check "redaction: the source is listed as admin:***" grep -q '"name":"test+tcp://admin:\*\*\*@127.0.0.1:1/default"' "$TMP/r.json"
check "redaction: the unreachable reason is there" grep -q 'unreachable' "$TMP/r.txt"
check "redaction: s3cret / t0psecret appear in no stdout or stderr" \
	sh -c '! cat "$@" | grep -q -e s3cret -e t0psecret' _ "$TMP/r.json" "$TMP/r.err" "$TMP/r.txt" "$TMP/r2.err"
# A silent peer (it accepts TCP but never answers): connecting, then
# unreachable "no answer", and it slows neither the snapshots nor the exit.
"$PYTHON3" -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1], "w").write("%d\n" % s.getsockname()[1])
time.sleep(60)' "$TMP/silent.port" &
silent_pid=$!
stop_silent() { kill "$silent_pid" 2>/dev/null; return 0; }
on_exit stop_silent
i=0
while [ ! -s "$TMP/silent.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
SILENT=$(cat "$TMP/silent.port")
start=$(date +%s%N)
"$GLASS" -b -n 8 -d 0.5 --format json --no-local -c "test+tcp://127.0.0.1:$SILENT/default" -c "$URI" \
	>"$TMP/silent.jsonl" 2>"$TMP/silent.err"
rc=$?
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "silent peer: exit 0, 8 snapshots, no stderr" \
	test $rc -eq 0 -a "$(wc -l <"$TMP/silent.jsonl")" -eq 8 -a ! -s "$TMP/silent.err"
check "silent peer: the run is not held up (${took_ms} ms for 8 x 0.5 s)" test "$took_ms" -lt 8000
"$PYTHON3" - "$TMP/silent.jsonl" >"$TMP/silent.check" 2>&1 <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
seq = [d["sources"][0]["health"] for d in docs]
assert seq[0] == "connecting", seq
assert seq[-1] == "unreachable", seq
assert docs[-1]["sources"][0]["reason"].startswith("no answer for "), docs[-1]["sources"][0]
assert all(d["sources"][1]["health"] == "ok" for d in docs), "the fixture stays ok"
print("ok: " + " ".join(seq))
PY
check "silent peer: connecting, then unreachable 'no answer for N s'; the other source ok ($(tail -1 "$TMP/silent.check"))" \
	grep -q "^ok" "$TMP/silent.check"

# ssh never asks: libvirt runs ssh in batch mode (no_tty=1 added), and a
# host that cannot be reached fails with ssh's own reason.
if command -v ssh >/dev/null 2>&1 && command -v strace >/dev/null 2>&1; then
	"$GLASS" -b -d 0.5 --no-local -c "qemu+ssh://nobody@127.0.0.1:$PORT/system" \
		</dev/null >"$TMP/ssh.out" 2>"$TMP/ssh.err"
	# (LeakSanitizer cannot run under ptrace: an ASan build traces
	# without it, the run above checked the rest.)
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -s 200 -e trace=execve -o "$TMP/ssh.trace" \
		"$GLASS" -b -d 0.5 --no-local -c "qemu+ssh://nobody@127.0.0.1:$PORT/system" \
		</dev/null >/dev/null 2>&1
	check "ssh: glass exits 1 (nothing sampled) with one line naming ssh's reason" \
		sh -c 'test "$(wc -l <"$1")" -eq 1 && grep -q "^glass: no source could be sampled: qemu+ssh://nobody@127.0.0.1:[0-9]*/system: cannot connect: .*ssh" "$1"' _ "$TMP/ssh.err"
	check "ssh: the source name is the URI as given (no_tty is glass's business)" \
		grep -q "^  qemu+ssh://nobody@127.0.0.1:$PORT/system: unreachable: " "$TMP/ssh.out"
	check "ssh: libvirt ran ssh with no tty, in batch mode (-T ... -o BatchMode=yes)" \
		grep -q 'execve("[^"]*ssh", \[.*"-T", .*"-o", "BatchMode=yes"' "$TMP/ssh.trace"
else
	say "SKIP part: ssh or strace is not installed: the no_tty check needs both"
fi
finish
