#!/bin/sh
# make bench: glass's libvirt source against per-domain polling (virt-top's
# way) and `virsh domstats`, on a 1,000-domain test-driver fixture served
# by the suite's own libvirtd; then 50 URIs to that daemon in one glass;
# then the qemu driver with a few real guests (KVM, else TCG emulation).
# Knobs: BENCH_DOMAINS (1000), BENCH_REFRESHES (5), BENCH_URIS (50),
# BENCH_QEMU_GUESTS (10; 0 skips the qemu part).  Figures go to make bench's
# table (bench_lib.sh).  On one host a bulk call saves round trips that
# cost next to nothing, so the qemu row measures the monitor's cost and is
# a reference; the >= 5x target of bulk over per-domain polling is the row
# of bench-libvirt-wan, over a 50 ms RTT link (libvirt_wan.sh).
. "$SRCDIR/tests/integration/lib.sh"
. "$SRCDIR/tests/integration/libvirtd_lib.sh"
. "$SRCDIR/tests/bench/bench_lib.sh"

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
"$BENCH" "$URI" "$R" | tee "$TMP/bench.out"
[ "$(grep -c '^RESULT ' "$TMP/bench.out")" -eq 1 ] || exit 1

# libvirt_rows WHAT: the table row of one bench_libvirt run ($TMP/bench.out).
libvirt_rows() {
	# shellcheck disable=SC2046
	set -- "$1" $(sed -n 's/^RESULT //p' "$TMP/bench.out")
	# $1 what, $2 domains, $3 glass ms, $4 per-domain ms, $5/$6 calls, $7 bulk
	ratio=$(awk -v g="$3" -v p="$4" 'BEGIN { if (g > 0) printf "%.1f", p / g; else print "-" }')
	if [ "$7" = bulk ]; then
		verdict="info (one host: the monitor's cost; >= 5x is the 50 ms RTT row)"
	else
		verdict="n/a (driver has no bulk stats: glass falls back to per-domain calls)"
	fi
	bench_row "libvirt $1: refresh vs per-domain polling ($2 domains)" "$3 ms ($5 calls)" \
		"per-domain $4 ms ($6 calls)" "${ratio}x faster" "- (reference)" "$verdict"
	GLASS_MS=$3
}
libvirt_rows "test driver via libvirtd"

echo "== virsh domstats (one process each: start, connect, one bulk call, print)"
t0=$(date +%s%N)
i=0
while [ $i -lt "$R" ]; do
	virsh -q -c "$URI" domstats >/dev/null || exit 1
	i=$((i + 1))
done
ds_ms=$(( ($(date +%s%N) - t0) / 1000000 / R ))
echo "virsh domstats: $ds_ms ms/run (all groups the driver has, $N domains)"
bench_row "libvirt test driver: refresh vs virsh domstats ($N domains)" "$GLASS_MS ms" \
	"virsh domstats $ds_ms ms (a process each)" \
	"$(awk -v g="$GLASS_MS" -v d="$ds_ms" 'BEGIN { printf "%.2fx", g / d }')" "- (reference)" "info"

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
# Fresh within one interval: from the second snapshot on, every source ok
# and no reading older than the interval.
"$PYTHON3" - "$TMP/many.jsonl" "$U" >"$TMP/many.row" <<'PY'
import json, sys
from datetime import datetime
def t(s): return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()
worst_ok, worst_age, interval = None, 0.0, 1.0
for i, l in enumerate(open(sys.argv[1])):
    d = json.loads(l)
    ok = [s for s in d["sources"] if s["health"] == "ok"]
    age = max(t(d["time"]) - t(s["last_ok"]) for s in ok) if ok else float("nan")
    interval = d["interval_seconds"]
    print("snapshot %d: %d of %d sources ok, oldest reading %.3f s old (interval %g s)"
          % (d["sequence"], len(ok), len(d["sources"]), age, interval), file=sys.stderr)
    if i >= 1:
        worst_ok = len(ok) if worst_ok is None else min(worst_ok, len(ok))
        worst_age = max(worst_age, age if ok else float("inf"))
u = int(sys.argv[2])
met = worst_ok == u and worst_age <= interval
print(f"{worst_ok or 0} of {u} ok, oldest {worst_age:.2f} s")
print(f"interval {interval:g} s")
print(f"{worst_age / interval:.2f}")
print("met" if met else "MISSED")
PY
bench_row "libvirt: $U URIs in one glass, snapshots 2-3" "$(sed -n 1p "$TMP/many.row")" \
	"$(sed -n 2p "$TMP/many.row")" "$(sed -n 3p "$TMP/many.row")" "all ok, <= 1 interval old" \
	"$(sed -n 4p "$TMP/many.row")"

[ "$G" -gt 0 ] || exit 0
echo "== qemu driver (bulk stats), $G guests"
TYPE=kvm
[ -e /dev/kvm ] || TYPE=qemu
[ "$TYPE" = kvm ] || echo "   (no /dev/kvm here: the guests run under TCG emulation)"
if [ ! -S /run/libvirt/virtlogd-sock ]; then
	virtlogd -d -p "$TMP/virtlogd.pid" 8>&-
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
"$BENCH" "$QURI" "$R" | tee "$TMP/bench.out"
if [ "$(grep -c '^RESULT ' "$TMP/bench.out")" -eq 1 ]; then
	libvirt_rows "qemu ($TYPE, paused)"
fi
t0=$(date +%s%N)
i=0
while [ $i -lt "$R" ]; do
	virsh -q -c "$QURI" domstats >/dev/null
	i=$((i + 1))
done
echo "virsh domstats: $(( ($(date +%s%N) - t0) / 1000000 / R )) ms/run"
