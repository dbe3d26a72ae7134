#!/bin/sh
# An owner changed in libvirt while glass runs reaches the tree within a
# few refreshes: glass reads the owner from the domain's XML once, and
# again when libvirt's metadata-change or lifecycle event says it changed
# (not every refresh, not on a timer).  Against the suite's libvirtd: the
# test driver's shared default hypervisor (domain "test"), changed with
# virsh metadata and virsh desc --title.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libvirtd_lib.sh"

libvirtd_require
libvirtd_start
URI="test+tcp://127.0.0.1:$LVD_PORT/default"
virsh -q -c "$URI" dominfo test >/dev/null 2>&1 || skip "the daemon's test driver has no domain 'test'"

"$GLASS" -b -n 0 -d 0.3 --format json --no-local -c "$URI" >"$TMP/live.jsonl" 2>"$TMP/live.err" &
gpid=$!
stop_glass() { kill -TERM "$gpid" 2>/dev/null; wait "$gpid" 2>/dev/null; return 0; }
on_exit stop_glass

# owner_wait WANT SECONDS [SINCE]: until a whole snapshot shows domain
# "test" with owner and source WANT ("None None": no owner); prints how
# many snapshots came after the first SINCE (default: those there when it
# started), or "timeout ...".
snapshots() { wc -l <"$TMP/live.jsonl"; }
owner_wait() {
	"$PYTHON3" - "$TMP/live.jsonl" "$@" <<'PY'
import json, sys, time
path, want, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
since = int(sys.argv[4]) if len(sys.argv) > 4 else None
def owner(line):
    def walk(n):
        if n["kind"] == "vm" and n["name"] == "test":
            return "%s %s" % (n.get("owner"), n.get("owner_source"))
        for c in n["children"]:
            r = walk(c)
            if r:
                return r
    return walk(json.loads(line)["tree"])
t0, start, got = time.monotonic(), None, None
while time.monotonic() - t0 < limit:
    lines = [l for l in open(path).read().split("\n")[:-1] if l]
    if start is None and lines:
        start = len(lines) if since is None else since
    if lines:
        got = owner(lines[-1])
        if got == want:
            print(len(lines) - start)
            sys.exit(0)
    time.sleep(0.05)
print("timeout (last: %s)" % got)
sys.exit(1)
PY
}

n=$(owner_wait "None None" 30)
check "glass runs: domain test has no owner at first ($n)" test "${n%% *}" != timeout
virsh -q -c "$URI" metadata test urn:glass:1 --key glass --set '<owner>team-z</owner>' --live \
	>"$TMP/virsh.out" 2>&1
rc=$?
before=$(snapshots)
check "virsh metadata --set: exit 0 ($(head -1 "$TMP/virsh.out"))" test $rc -eq 0
n=$(owner_wait "team-z libvirt-metadata" 60 "$before")
check "the metadata's owner team-z is shown, $n snapshots later" test "${n%% *}" != timeout
check "... within 5 snapshots of virsh's return (a metadata-change event, not a 30-refresh timer)" test "${n%% *}" -le 5 2>/dev/null
virsh -q -c "$URI" metadata test urn:glass:1 --key glass --set '<owner>R&amp;D</owner>' --live >/dev/null 2>&1
n=$(owner_wait "R&D libvirt-metadata" 60)
check "changed to R&D (an entity in the XML), $n snapshots later" test "${n%% *}" != timeout
virsh -q -c "$URI" desc test --title --live 'fin ops' >/dev/null 2>&1
virsh -q -c "$URI" metadata test urn:glass:1 --remove --live >/dev/null 2>&1
n=$(owner_wait "fin ops libvirt-title" 60)
check "metadata removed: the title 'fin ops' is the owner, $n snapshots later" test "${n%% *}" != timeout
virsh -q -c "$URI" desc test --title --live '' >/dev/null 2>&1
n=$(owner_wait "None None" 60)
check "title cleared: no owner again, $n snapshots later" test "${n%% *}" != timeout
stop_glass
check "no stderr" test ! -s "$TMP/live.err"
finish
