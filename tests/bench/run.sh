#!/bin/sh
# make bench: glass's libvirt source against per-domain polling (virt-top's
# way) and `virsh domstats`, on a 1,000-domain test-driver fixture served
# by the suite's own libvirtd; then 50 URIs to that daemon in one glass;
# then the qemu driver with a few real guests (KVM, else TCG emulation).
# Knobs: BENCH_DOMAINS (1000), BENCH_REFRESHES (5), BENCH_URIS (50),
# BENCH_QEMU_GUESTS (10; 0 skips the qemu part).
. "$SRCDIR/tests/integration/lib.sh"
. "$SRCDIR/tests/integration/libvirtd_lib.sh"

N=${BENCH_DOMAINS:-1000}
R=${BENCH_REFRESHES:-5}
U=${BENCH_URIS:-50}
G=${BENCH_QEMU_GUESTS:-10}

libvirtd_require
libvirtd_start
"$PYTHON3" "$SRCDIR/tests/bench/gen_fixture.py" "$N" "$TMP/fleet.xml"
URI="test+tcp://127.0.0.1:$LVD_PORT$TMP/fleet.xml"
echo "== $N domains, test driver, through libvirtd on 127.0.0.1:$LVD_PORT"
echo "   (the test driver answers only the state group in bulk: glass falls back"
echo "    to per-domain calls for the rest, so this is glass's worst case)"
"$BENCH" "$URI" "$R" || exit 1

echo "== virsh domstats (one process each: start, connect, one bulk call, print)"
t0=$(date +%s%N)
i=0
while [ $i -lt "$R" ]; do
	virsh -q -c "$URI" domstats >/dev/null || exit 1
	i=$((i + 1))
done
echo "virsh domstats: $(( ($(date +%s%N) - t0) / 1000000 / R )) ms/run (all groups the driver has, $N domains)"

echo "== $U URIs to the same daemon in one glass, -d 1, 3 snapshots"
args=""
i=0
while [ $i -lt "$U" ]; do
	args="$args -c test+tcp://127.0.0.1:$LVD_PORT/default"
	i=$((i + 1))
done
t0=$(date +%s%N)
# shellcheck disable=SC2086
"$GLASS" -b -n 3 -d 1 --format json --no-local $args >"$TMP/many.jsonl" 2>"$TMP/many.err"
echo "glass with $U URIs: exit $?, $(( ($(date +%s%N) - t0) / 1000000 )) ms for 3 snapshots at -d 1"
"$PYTHON3" - "$TMP/many.jsonl" <<'PY'
import json, sys
from datetime import datetime
def t(s): return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()
for l in open(sys.argv[1]):
    d = json.loads(l)
    ok = [s for s in d["sources"] if s["health"] == "ok"]
    age = max(t(d["time"]) - t(s["last_ok"]) for s in ok) if ok else float("nan")
    print("snapshot %d: %d of %d sources ok, oldest reading %.3f s old (interval %g s)"
          % (d["sequence"], len(ok), len(d["sources"]), age, d["interval_seconds"]))
PY

[ "$G" -gt 0 ] || exit 0
echo "== qemu driver (bulk stats), $G guests"
TYPE=kvm
[ -e /dev/kvm ] || TYPE=qemu
[ "$TYPE" = kvm ] || echo "   (no /dev/kvm here: the guests run under TCG emulation)"
if [ ! -S /run/libvirt/virtlogd-sock ]; then
	virtlogd -d -p "$TMP/virtlogd.pid"
	stop_virtlogd() { kill "$(cat "$TMP/virtlogd.pid")" 2>/dev/null; return 0; }
	on_exit stop_virtlogd
fi
QURI="qemu+tcp://127.0.0.1:$LVD_PORT/system"
destroy_guests() {
	j=0
	while [ $j -lt "$G" ]; do virsh -q -c "$QURI" destroy "glass-bench-$$-$j" >/dev/null 2>&1; j=$((j + 1)); done
	return 0
}
on_exit destroy_guests
i=0
while [ $i -lt "$G" ]; do
	cat >"$TMP/g.xml" <<XML
<domain type='$TYPE'><name>glass-bench-$$-$i</name><memory unit='MiB'>128</memory><vcpu>2</vcpu>
<os><type arch='x86_64'>hvm</type><boot dev='network'/></os>
<devices><emulator>$(command -v qemu-system-x86_64)</emulator>
<interface type='user'><model type='virtio'/></interface>
<memballoon model='virtio'><stats period='1'/></memballoon></devices></domain>
XML
	virsh -q -c "$QURI" create "$TMP/g.xml" >/dev/null || exit 1
	i=$((i + 1))
done
sleep 3
if [ "$TYPE" = qemu ]; then
	# Emulated guests keep both cores busy and make every monitor
	# command slow: pause them (still active, still answering the same
	# calls) so the driver's own costs are measured.
	echo "   (TCG guests are paused for the measurement: emulation would swamp the CPU)"
	i=0
	while [ $i -lt "$G" ]; do virsh -q -c "$QURI" suspend "glass-bench-$$-$i" >/dev/null; i=$((i + 1)); done
fi
"$BENCH" "$QURI" "$R"
t0=$(date +%s%N)
i=0
while [ $i -lt "$R" ]; do
	virsh -q -c "$QURI" domstats >/dev/null
	i=$((i + 1))
done
echo "virsh domstats: $(( ($(date +%s%N) - t0) / 1000000 / R )) ms/run"
