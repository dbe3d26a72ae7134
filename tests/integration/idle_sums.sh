#!/bin/sh
# The idle accounting on real output of a mixed site (DESIGN.md §3): the
# site's figures are the sums of the hosts', no share passes 100%, a host's
# slack is the sum of its top-level holders' flags, and the --idle sections
# (JSON and CSV) add up to the rollup and the line.  Without root: two
# test:/// hypervisors, the local host and a fixture cgroup tree.  As root,
# also the suite's libvirtd with a qemu guest (TCG where there is no KVM)
# and the node8 fixture through it, and live cgroups with limits (the busy
# one held to 0.1 core, so that a loaded machine still gives it over 20%).
. "$(dirname "$0")/lib.sh"

CHECK="$SRCDIR/tests/tools/check_idle_sums.py"
NODE8="$SRCDIR/tests/fixtures/libvirt/node8.xml"
printf 'cost.core_month = 20\ncost.gib_month = 4\ncost.currency = EUR\n' >"$TMP/cost.rc"

# run_site NAME ARGS...: three outputs of one site, then every check.
run_site() {
	name=$1
	shift
	"$GLASS" -b -n 3 -d 0.5 --format json -C "$TMP/cost.rc" "$@" >"$TMP/$name.jsonl" 2>"$TMP/$name.err"
	check "$name: glass exits 0 with no stderr" sh -c 'test $? -eq 0 && test ! -s "$1"' _ "$TMP/$name.err"
	"$GLASS" -b -d 0.5 --idle --format json -C "$TMP/cost.rc" "$@" >"$TMP/$name.idle.json" 2>>"$TMP/$name.err"
	"$GLASS" -b -d 0.5 --idle --format csv -C "$TMP/cost.rc" --record "$TMP/$name.rec" "$@" \
		>"$TMP/$name.idle.csv" 2>>"$TMP/$name.err"
	"$GLASS" -b -d 0.5 --idle -C "$TMP/cost.rc" "$@" >"$TMP/$name.idle.txt" 2>>"$TMP/$name.err"
	"$GLASS" -b -d 0.5 --idle --format prom -C "$TMP/cost.rc" "$@" >"$TMP/$name.idle.prom" 2>>"$TMP/$name.err"
	check "$name: the snapshots validate" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/$name.jsonl"
	check "$name: the --idle list validates" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/$name.idle.json"
	if "$PYTHON3" "$CHECK" "$TMP/$name.jsonl" "$TMP/$name.idle.json" "$TMP/$name.idle.csv" \
		"$TMP/$name.rec" "$TMP/$name.idle.txt" "$TMP/$name.idle.prom" >"$TMP/$name.sums" 2>&1; then
		pass "$name: every figure adds up ($(tr '\n' ' ' <"$TMP/$name.sums"))"
	else
		fail "$name: $(cat "$TMP/$name.sums")"
	fi
	# the text list: one heading per section that has rows, the line on top
	check "$name: --idle text starts with the line" sed -n 2p "$TMP/$name.idle.txt" | grep -q '^idle: '
	holders=$(json_get "$TMP/$name.idle.json" 'len(d["idle_holders"])')
	if [ "$holders" -gt 0 ]; then
		check "$name: --idle text has the holders' section" grep -q '^VMs and containers: ' "$TMP/$name.idle.txt"
	fi
	check "$name: money is split, idle hardware and right-sizing" \
		grep -Eq '^idle hardware costs [0-9.]+ EUR a month( \([0-9.]+ EUR of it in the [0-9]+ idle hosts? below\))?; right-sizing .* reclaim [0-9.]+ EUR a month$' "$TMP/$name.idle.txt"
}

run_site fixtures -c test:///default -c "test://$NODE8" \
	--cgroup-root "$SRCDIR/tests/fixtures/cgroup/v2"

if [ "$(id -u)" -ne 0 ]; then
	skip "the live part needs root (libvirtd's qemu:///system and live cgroups); the fixture site passed"
fi
. "$SRCDIR/tests/integration/libvirtd_lib.sh"
. "$SRCDIR/tests/integration/cgroup_lib.sh"
libvirtd_require
libvirtd_start
Q="qemu+tcp://127.0.0.1:$LVD_PORT/system"
if libvirtd_guest glass-sums-guest; then
	say "a $LVD_GUEST_TYPE guest runs under the suite's libvirtd"
else
	say "no qemu guest could start ($(head -1 "$TMP/virsh.out")): the live site has the fixture only"
fi
cg_detect
cg_make glass-sums-idle && cg_limit glass-sums-idle 200000 1073741824
cg_make glass-sums-busy && cg_limit glass-sums-busy 10000 268435456
sleep 300 </dev/null >/dev/null 2>&1 8>&- &
sleeper=$!
cg_move "$sleeper" glass-sums-idle
(while :; do :; done) </dev/null >/dev/null 2>&1 8>&- &
spinner=$!
cg_move "$spinner" glass-sums-busy
live_cleanup() {
	kill "$sleeper" "$spinner" 2>/dev/null
	cg_remove glass-sums-idle
	cg_remove glass-sums-busy
	return 0
}
on_exit live_cleanup

run_site live -c "$Q" -c "test+tcp://127.0.0.1:$LVD_PORT$NODE8"
check "live: the idle cgroup is a counted holder" test "$(json_get "$TMP/live.idle.json" \
	'any(n["name"] == "glass-sums-idle" and n["idle"]["cpu"]["counted"] for n in d["idle_holders"])')" = True
check "live: the busy cgroup's cpu is not idle" test "$(json_get "$TMP/live.idle.json" \
	'any(n["name"] == "glass-sums-busy" and n["idle"]["cpu"]["idle"] for k in ("idle_holders", "idle_nested") for n in d[k])')" = False
finish
