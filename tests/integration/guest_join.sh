#!/bin/bash
# Containers on VMs: a remote glass (the suite's sshd on 127.0.0.1, this
# build on the far side over the fixture cgroup tree) whose machine is the
# guest of a test:/// domain that carries this machine's real MAC address
# (the fixture is written here, from /sys/class/net).  The remote host
# joins that VM: its containers hang below the VM in JSON and in the TUI,
# and the site's sums hold.  Two domains with the same MAC join nothing,
# and say so.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sshd.sh"

# This machine's first NIC that glass counts as hardware (not loopback,
# not a link into devices/virtual) with a MAC that is not all zero.
MAC=""
for d in /sys/class/net/*; do
	case "$(readlink "$d")" in *devices/virtual/*) continue ;; esac
	m=$(cat "$d/address" 2>/dev/null) || continue
	case "$m" in 00:00:00:00:00:00 | "") continue ;; esac
	MAC=$m
	break
done
[ -n "$MAC" ] || skip "no NIC with a MAC outside /sys/devices/virtual: nothing to join by"

sshd_start
URI="glass+ssh://root@127.0.0.1:$SSHD_PORT"
# the far glass reads the fixture cgroups beside its (real) host
echo "cgroup.root = $SRCDIR/tests/fixtures/cgroup/v2" >"$TMP/remote.rc"

# hypervisor FILE MAC1 MAC2: a test-driver node of 8 CPUs and 32 GiB with
# two running domains, web1 (4 vCPUs, 8 GiB) and web2 (2 vCPUs, 4 GiB)
hypervisor() {
	cat >"$1" <<XML
<node>
  <cpu><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>2</threads>
    <active>8</active><mhz>2400</mhz><model>x86_64</model></cpu>
  <memory>33554432</memory>
  <domain type='test'>
    <name>web1</name>
    <uuid>5a1e0000-0000-4000-8000-000000000001</uuid>
    <memory unit='GiB'>8</memory>
    <vcpu>4</vcpu>
    <os><type>hvm</type></os>
    <devices>
      <interface type='network'><mac address='$2'/><source network='default'/><target dev='vnet-web1'/></interface>
    </devices>
  </domain>
  <domain type='test'>
    <name>web2</name>
    <uuid>5a1e0000-0000-4000-8000-000000000002</uuid>
    <memory unit='GiB'>4</memory>
    <vcpu>2</vcpu>
    <os><type>hvm</type></os>
    <devices>
      <interface type='network'><mac address='$3'/><source network='default'/><target dev='vnet-web2'/></interface>
    </devices>
  </domain>
</node>
XML
}
hypervisor "$TMP/hv.xml" "$MAC" "52:54:00:5a:1e:02"
hypervisor "$TMP/twins.xml" "$MAC" "$MAC"

GPID=""
stop_stream() { [ -n "$GPID" ] && kill "$GPID" 2>/dev/null && wait "$GPID" 2>/dev/null; GPID=""; return 0; }
on_exit stop_stream

# stream FIXTURE OUT: glass over the hypervisor and the remote, until a
# snapshot has the remote ok (ssh may take seconds on a loaded machine),
# then a few more
stream() {
	"$GLASS" -b -C "$TMP/glassrc" --no-local -c "test://$1" -c "$URI" -n 0 -d 0.5 --format json \
		>"$2" 2>"$2.err" &
	GPID=$!
	end=$(($(date +%s) + 60))
	while [ "$(date +%s)" -le "$end" ]; do
		if tail -n 1 "$2" 2>/dev/null | grep -q '"kind":"remote","health":"ok"'; then
			n=$(wc -l <"$2")
			while [ "$(wc -l <"$2")" -lt $((n + 3)) ] && [ "$(date +%s)" -le "$end" ]; do sleep 0.2; done
			stop_stream
			return 0
		fi
		sleep 0.2
	done
	stop_stream
	say "the remote never turned ok: $(tail -c 300 "$2.err")"
	return 1
}

# ---- the guest joins the VM whose MAC it has
check "the remote and the hypervisor report" stream "$TMP/hv.xml" "$TMP/j.jsonl"
check "the stream validates" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/j.jsonl"
check "no stderr" test ! -s "$TMP/j.jsonl.err"
"$PYTHON3" - "$TMP/j.jsonl" "$REMOTE_NAME" "$MAC" "$SRCDIR/tests/tools" >"$TMP/res" 2>&1 <<'PY'
import json, sys
sys.path.insert(0, sys.argv[4])
import check_idle_sums

lines = [json.loads(l) for l in open(sys.argv[1])]
last = lines[-1]
far, mac = sys.argv[2], sys.argv[3]

def walk(n):
    yield n
    for c in n["children"]:
        yield from walk(c)

site = last["tree"]
hosts = [c for c in site["children"] if c["kind"] == "host"]
assert [h["name"] for h in hosts] == ["test-hv"], [h["id"] for h in hosts]
vm = [n for n in walk(site) if n["kind"] == "vm" and n["name"] == "web1"][0]
assert vm["identity"]["macs"] == [mac], vm["identity"]
assert vm["joined_by"] == "mac", vm["joined_by"]
g = vm["guest"]
assert g["host_id"] == "host:" + far and g["host_name"] == far, g
assert g["cpu_cores"] is not None and g["memory_bytes_total"] is not None, g
assert g["memory_bytes_used"] is not None and g["memory_bytes_available"] is not None, g
assert vm["join_note"] is None, vm["join_note"]
# the guest host is not shown twice; its containers are below the VM
assert not [n for n in walk(site) if n["id"] == "host:" + far], "the guest host shows twice"
below = [n for n in walk(vm) if n["kind"] == "container"]
assert len(below) >= 10 and all(n["id"].startswith("ct:%s/" % far) for n in below), below
assert not [n for n in walk(site) if n["id"].startswith("ct:%s/" % far) and n not in list(walk(vm))]
web2 = [n for n in walk(site) if n["kind"] == "vm" and n["name"] == "web2"][0]
assert web2["guest"] is None and web2["joined_by"] is None and web2["children"] == []
# the VM is the top-level holder: nothing below it is counted
r = hosts[0]["rollup"]
assert abs(r["cpu_cores"]["allocated"] - 6) < 1e-6, r["cpu_cores"]  # 4 + 2 vCPUs
assert r["memory_bytes"]["allocated"] == 12 * 2**30, r["memory_bytes"]
assert not [n for n in below if n["idle"]["cpu"]["counted"] or n["idle"]["memory"]["counted"]]
flagged = [n for n in below if n["idle"]["cpu"]["idle"]]
assert flagged, "the containers keep their own flags"
# the VM's inner unallocated: its vCPUs and memory less what its
# guest's top-level containers were given
def given(n, key, held=False):
    s = 0
    own = n["kind"] == "container" and n[key] is not None and not held
    if own:
        s += n[key]
    for c in n["children"]:
        s += given(c, key, held or own)
    return s
cpu = sum(given(c, "cpu_cores_allocated") for c in vm["children"])
mem = sum(given(c, "memory_bytes_allocated") for c in vm["children"])
assert abs(g["inner_cpu_cores_allocated"] - cpu) < 1e-3, (g, cpu)
assert abs(g["inner_cpu_cores_unallocated"] - max(0, 4 - cpu)) < 1e-3, g
assert g["inner_memory_bytes_unallocated"] == max(0, 8 * 2**30 - mem), (g, mem)
for i, d in enumerate(lines):
    if [n for n in walk(d["tree"]) if n.get("guest")]:
        check_idle_sums.check_snapshot(d, "snapshot %d" % (i + 1))
print("ok %d containers below web1, inner unallocated %.1f cores, %.1f GiB" %
      (len(below), g["inner_cpu_cores_unallocated"], g["inner_memory_bytes_unallocated"] / 2**30))
PY
check "the remote host hangs below web1, counted once, the sums hold ($(tail -1 "$TMP/res"))" grep -q '^ok' "$TMP/res"
grep -q '^ok' "$TMP/res" || sed 's/^/    /' "$TMP/res"

# the same tree read back from the snapshot, in text and CSV
tail -n 1 "$TMP/j.jsonl" >"$TMP/last.jsonl"
"$GLASS" --replay "$TMP/last.jsonl" -b >"$TMP/j.txt" 2>&1
check "text: the VM row says [guest]" grep -q '^    web1 \[guest\] ' "$TMP/j.txt"
check "text: the guest's own view below it" grep -q "guest $REMOTE_NAME (joined by mac): cpu" "$TMP/j.txt"
"$GLASS" --replay "$TMP/last.jsonl" -b --format csv --fields id,parent_id,joined_by,guest_host_id >"$TMP/j.csv" 2>&1
check "csv: joined_by and the guest host" grep -q ",host:test-hv,mac,host:$REMOTE_NAME"$'\r'"\$" "$TMP/j.csv"
"$GLASS" --replay "$TMP/last.jsonl" -b --format prom >"$TMP/j.prom" 2>&1
check "prom: glass_node_info names the VM as the parent of its guest's containers" \
	grep -q "^glass_node_info{id=\"ct:$REMOTE_NAME/[^\"]*\",parent=\"vm:test-hv/5a1e0000-0000-4000-8000-000000000001\"" "$TMP/j.prom"
check "prom: glass_guest_joined" grep -q "^glass_guest_joined{.*joined_by=\"mac\"} 1\$" "$TMP/j.prom"

# ---- two domains with the same MAC: no join, and both sides say why
check "twins: the remote and the hypervisor report" stream "$TMP/twins.xml" "$TMP/t.jsonl"
"$PYTHON3" - "$TMP/t.jsonl" "$REMOTE_NAME" >"$TMP/tres" 2>&1 <<'PY'
import json, sys
last = [json.loads(l) for l in open(sys.argv[1])][-1]
far = sys.argv[2]
site = last["tree"]
hosts = {c["id"]: c for c in site["children"] if c["kind"] == "host"}
assert set(hosts) == {"host:test-twins", "host:" + far}, list(hosts)
guest = hosts["host:" + far]
assert "not joined: 2 VMs match by mac" in guest["join_note"], guest["join_note"]
vms = [c for c in hosts["host:test-twins"]["children"] if c["kind"] == "vm"]
assert len(vms) == 2 and all(v["guest"] is None for v in vms), vms
assert all("host %s matches this VM and 1 other by mac" % far in v["join_note"] for v in vms), [v["join_note"] for v in vms]
assert [c for c in guest["children"] if c["kind"] == "container"], "the containers stay below their host"
print("ok:", guest["join_note"])
PY
check "twins: nothing joins, and the notes say why ($(tail -1 "$TMP/tres"))" grep -q '^ok' "$TMP/tres"
grep -q '^ok' "$TMP/tres" || sed 's/^/    /' "$TMP/tres"

# ---- the TUI: the guest's containers open below the VM
if command -v tmux >/dev/null 2>&1; then
	TUI_SOURCE_ARGS="-C $TMP/glassrc --no-local"
	. "$SRCDIR/tests/tui/lib_tui.sh"
	tui_start g 160 50 -c "test://$TMP/hv.xml" -c "$URI"
	check "tui: the VM row says [guest]" tui_wait g "web1 \[guest\]" 60
	tui_keys g +
	check "tui: the guest's containers below the VM" tui_wait g "aa11bb22cc33" 20
	tui_capture g >"$TMP/tui.txt"
	"$PYTHON3" - "$TMP/tui.txt" "$REMOTE_NAME" >"$TMP/tuires" 2>&1 <<'PY'
import sys
rows = open(sys.argv[1]).read().splitlines()
vm = [i for i, r in enumerate(rows) if "web1 [guest]" in r][0]
indent = len(rows[vm]) - len(rows[vm].lstrip(" ▾▸•"))
ct = [i for i, r in enumerate(rows) if "aa11bb22cc33" in r][0]
assert ct > vm, (vm, ct)
assert not [r for r in rows if sys.argv[2] in r and "host" in r], "the guest host shows as a host"
print("ok: web1 on row %d, a container of its guest on row %d" % (vm, ct))
PY
	check "tui: the containers are rows below web1 and the guest host is no row of its own ($(tail -1 "$TMP/tuires"))" grep -q '^ok' "$TMP/tuires"
	grep -q '^ok' "$TMP/tuires" || sed 's/^/    /' "$TMP/tui.txt"
	tui_keys g q
else
	say "tmux is not installed (apt-get install tmux): the TUI part is not run"
	fail "tmux missing"
fi
finish
