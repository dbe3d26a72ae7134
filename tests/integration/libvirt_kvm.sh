#!/bin/sh
# A real tiny KVM guest (128 MiB, 2 vCPUs, no disk, network boot, a
# balloon with a stats period) under the suite's libvirtd, read through
# qemu+tcp: vCPUs, memory, state, and CPU used against virsh domstats.
. "$(dirname "$0")/lib.sh"

# GLASS_TEST_TCG=1 runs the same guest under TCG (emulation) where there
# is no KVM: slower, but it exercises the qemu driver's bulk stats.
DOMTYPE=kvm
[ "${GLASS_TEST_TCG:-0}" = 1 ] && [ ! -e /dev/kvm ] && DOMTYPE=qemu
[ "$DOMTYPE" = qemu ] || [ -e /dev/kvm ] || skip "no /dev/kvm on this machine: no KVM guest can run (hardware virtualisation is off or not passed through)"
QEMU_BIN=$(command -v qemu-system-x86_64 || true)
[ -n "$QEMU_BIN" ] || skip "qemu-system-x86_64 is not installed (package qemu-system-x86)"
. "$(dirname "$0")/libvirtd_lib.sh"
libvirtd_require
PATH="$PATH:/usr/sbin:/sbin"
# qemu's console log goes through virtlogd: start one unless it runs.
if command -v virtlogd >/dev/null 2>&1 && [ ! -S /run/libvirt/virtlogd-sock ]; then
	virtlogd -d -p "$TMP/virtlogd.pid" 8>&- && {
		stop_virtlogd() { [ -f "$TMP/virtlogd.pid" ] && kill "$(cat "$TMP/virtlogd.pid")" 2>/dev/null; return 0; }
		on_exit stop_virtlogd
	}
fi
libvirtd_start
URI="qemu+tcp://127.0.0.1:$LVD_PORT/system"
NAME="glass-kvm-test-$$"
cat >"$TMP/dom.xml" <<XML
<domain type='$DOMTYPE'>
  <name>$NAME</name>
  <memory unit='KiB'>131072</memory>
  <currentMemory unit='KiB'>131072</currentMemory>
  <vcpu>2</vcpu>
  <os><type arch='x86_64'>hvm</type><boot dev='network'/></os>
  <devices>
    <emulator>$QEMU_BIN</emulator>
    <interface type='user'><model type='virtio'/></interface>
    <memballoon model='virtio'><stats period='1'/></memballoon>
  </devices>
</domain>
XML
virsh -q -c "$URI" define "$TMP/dom.xml" >"$TMP/virsh.out" 2>&1 || {
	fail "virsh define: $(cat "$TMP/virsh.out")"
	finish
}
undefine_guest() {
	virsh -q -c "$URI" destroy "$NAME" >/dev/null 2>&1
	virsh -q -c "$URI" undefine "$NAME" >/dev/null 2>&1
	return 0
}
on_exit undefine_guest
if ! virsh -q -c "$URI" start "$NAME" >"$TMP/virsh.out" 2>&1; then
	fail "virsh start: $(cat "$TMP/virsh.out")"
	finish
fi
UUID=$(virsh -q -c "$URI" domuuid "$NAME")
sleep 5 # past the firmware's first burst

# cpu_time: the guest's cpu.time (ns) and the wall clock (ns), from virsh.
cpu_time() {
	t=$(date +%s%N)
	c=$(virsh -q -c "$URI" domstats --cpu-total --raw "$NAME" | sed -n 's/.*cpu.time=//p')
	echo "$t $c"
}
before=$(cpu_time)
"$GLASS" -b -n 1 -d 3 --format json --no-local -c "$URI" >"$TMP/kvm.json" 2>"$TMP/kvm.err"
rc=$?
after=$(cpu_time)
check "glass exits 0 with no stderr" test $rc -eq 0 -a ! -s "$TMP/kvm.err"
check "the snapshot validates" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/kvm.json"
"$PYTHON3" - "$TMP/kvm.json" "$UUID" "$before" "$after" >"$TMP/kvm.check" 2>&1 <<'PY'
import json, sys
d = json.loads(open(sys.argv[1]).readline())
uuid = sys.argv[2]
t0, c0 = map(int, sys.argv[3].split())
t1, c1 = map(int, sys.argv[4].split())
vms = [v for h in d["tree"]["children"] for v in h["children"] if v["id"].endswith("/" + uuid)]
assert len(vms) == 1, "the guest is in the tree"
v = vms[0]
assert v["state"] == "running", v["state"]
assert v["cpu_cores_allocated"] == 2, v["cpu_cores_allocated"]
assert v["memory_bytes_allocated"] == 134217728, v["memory_bytes_allocated"]
assert v["memory_bytes_max"] == 134217728, v["memory_bytes_max"]
assert v["memory_source"] in ("guest", "rss") and v["memory_bytes_used"] > 0, v
virsh_cores = (c1 - c0) / (t1 - t0)
glass_cores = v["cpu_cores_used"]
tol = max(0.10 * virsh_cores, 0.02)
assert abs(glass_cores - virsh_cores) <= tol, (glass_cores, virsh_cores, tol)
print("ok: cpu %.3f cores (virsh %.3f), memory %s %d" % (glass_cores, virsh_cores,
      v["memory_source"], v["memory_bytes_used"]))
PY
check "vCPUs 2, 128 MiB, running, CPU used agrees with virsh domstats ($(tail -1 "$TMP/kvm.check"))" \
	grep -q "^ok" "$TMP/kvm.check"

# Ballooned down to 64 MiB: allocated follows the balloon (what QEMU says
# the guest holds now, virsh domstats balloon.current, read around the
# snapshot; a guest without a balloon driver keeps it all), the maximum
# stays.  Paused, a guest's balloon statistics are not fresh.
balloon() { virsh -q -c "$URI" domstats --balloon --raw "$NAME" | sed -n 's/.*balloon.current=//p'; }
if virsh -q -c "$URI" setmem "$NAME" 65536 --live >"$TMP/virsh.out" 2>&1; then
	sleep 1
	b0=$(balloon)
	"$GLASS" -b -n 1 -d 0.3 --format json --no-local -c "$URI" >"$TMP/setmem.json" 2>/dev/null
	b1=$(balloon)
	virsh -q -c "$URI" suspend "$NAME" >/dev/null 2>&1
	"$GLASS" -b -n 1 -d 0.3 --format json --no-local -c "$URI" >"$TMP/paused.json" 2>/dev/null
	virsh -q -c "$URI" resume "$NAME" >/dev/null 2>&1
	res=$("$PYTHON3" - "$TMP/setmem.json" "$TMP/paused.json" "$UUID" "$b0" "$b1" <<'PY'
import json, sys
def vm(f):
    d = json.loads(open(f).readline())
    return [v for h in d["tree"]["children"] for v in h["children"] if v["id"].endswith("/" + sys.argv[3])][0]
v, p = vm(sys.argv[1]), vm(sys.argv[2])
kib = sorted({int(sys.argv[4]), int(sys.argv[5])})
ok = v["memory_bytes_allocated"] // 1024 in kib and v["memory_bytes_max"] == 134217728
ok = ok and p["state"] == "paused" and p["memory_source"] != "guest"
print("%s allocated %s KiB (balloon.current %s), max %s; paused: %s" % (
    "ok" if ok else "FAIL", v["memory_bytes_allocated"] // 1024, "/".join(map(str, kib)),
    v["memory_bytes_max"], p["memory_source"]))
PY
)
	check "after virsh setmem 64 MiB: allocated = balloon.current, max 128 MiB; paused: not fresh guest numbers ($res)" \
		test "${res%% *}" = ok
else
	say "virsh setmem: $(cat "$TMP/virsh.out"): the balloon check does not apply"
fi
finish
