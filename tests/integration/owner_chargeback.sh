#!/bin/sh
# Chargeback on real output (DESIGN.md §4): owners from every place glass
# reads them, each node saying where its owner came from, and the report
# (glass -b --by owner, every format) adding up to the site's rollup and
# the idle line.  The site: a test:/// hypervisor whose domains carry
# <glass:owner> metadata or a title (owners.xml), test:///default, and the
# v2 cgroup fixture tree with its runtimes' files (docker labels, podman
# annotations, k8s pod namespaces, a user slice), plus config rules.
. "$(dirname "$0")/lib.sh"

FIX="$SRCDIR/tests/fixtures/cgroup"
OWNERS="$SRCDIR/tests/fixtures/libvirt/owners.xml"
CHECK="$SRCDIR/tests/tools/check_owner_sums.py"
cat >"$TMP/rc" <<RC
cost.core_month = 20
cost.gib_month = 4
cost.currency = EUR
cost.kwh = 0.30
cgroup.docker-root = $FIX/data/docker
cgroup.podman-root = $FIX/data/podman
cgroup.k8s-log-dir = $FIX/data/log
owner.lab = vm:*/scratch
owner.ops = ct:*/system.slice/ssh.service, host:test-owners
RC
SITE="-c test://$OWNERS -c test:///default --no-local --cgroup-root $FIX/v2"

# shellcheck disable=SC2086
"$GLASS" -b -n 2 -d 0.5 --format json -C "$TMP/rc" $SITE >"$TMP/tree.jsonl" 2>"$TMP/err"
check "the snapshots: exit 0, no stderr" sh -c 'test $1 -eq 0 && test ! -s "$2"' _ $? "$TMP/err"
check "the snapshots validate (owner, owner_source)" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/tree.jsonl"

# owner_of NAME: "owner source" of the node named NAME in the first snapshot
owner_of() {
	json_get "$TMP/tree.jsonl" "[f'{n[\"owner\"]} {n[\"owner_source\"]}' for n in (lambda w: w(w, d['tree']))(lambda w, n: [n] + [m for c in n['children'] for m in w(w, c)]) if n['name'] == '$1'][0]"
}
expect_owner() {
	got=$(owner_of "$1")
	if [ "$got" = "$2" ]; then pass "$1: $2"; else fail "$1: '$got', want '$2'"; fi
}
expect_owner web-1 "team-a libvirt-metadata"
expect_owner web-2 "team-a libvirt-metadata"   # metadata beats the title
expect_owner billing "finance libvirt-title"
expect_owner scratch "lab config"
expect_owner retired "team-b libvirt-metadata"
expect_owner test-owners "ops config"
expect_owner web "team-web label"               # glass.owner beats the compose project
expect_owner db "dbstack compose-project"       # podman's OCI annotation
expect_owner shop/api-5d9c7b "shop k8s-namespace"
expect_owner api "shop inherited"
expect_owner ssh.service "ops config"
user=$("$PYTHON3" -c 'import pwd
try: print(pwd.getpwuid(1000).pw_name)
except KeyError: print("uid 1000")')
expect_owner session-3.scope "$user slice-user"
expect_owner docker.service "None None"
# (said without the C1 byte: a terminal showing this log would obey it)
check "odd: its hostile title =1+1<CSI>31m is its owner (libvirt-title)" \
	test "$(owner_of odd)" = "$(printf '=1+1\302\23331m libvirt-title')"

# the compose project where there is no glass.owner label
cp -r "$FIX/data" "$TMP/data"
"$PYTHON3" - "$TMP/data/docker/containers" <<'PY'
import json, os, sys
for d in os.listdir(sys.argv[1]):
    p = os.path.join(sys.argv[1], d, "config.v2.json")
    c = json.load(open(p))
    del c["Config"]["Labels"]["glass.owner"]
    json.dump(c, open(p, "w"))
PY
sed "s|$FIX/data|$TMP/data|" "$TMP/rc" >"$TMP/rc2"
"$GLASS" -b -d 0.5 --format json -C "$TMP/rc2" --no-local --cgroup-root "$FIX/v2" >"$TMP/compose.json" 2>"$TMP/err"
check "no glass.owner label: the compose project" test "$(json_get "$TMP/compose.json" \
	"[f'{n[\"owner\"]} {n[\"owner_source\"]}' for n in d['tree']['children'][0]['children'] if n['name'] == 'web'][0]")" = "shop-web compose-project"

# the report, every format, each run recording the tree it reported on
# shellcheck disable=SC2086
"$GLASS" -b -n 2 -d 0.5 --by owner --format json -C "$TMP/rc" $SITE >"$TMP/owner.jsonl" 2>"$TMP/err"
check "--by owner json: exit 0, no stderr" sh -c 'test $1 -eq 0 && test ! -s "$2"' _ $? "$TMP/err"
check "--by owner json validates" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/owner.jsonl"
# shellcheck disable=SC2086
"$GLASS" -b -d 0.5 --by owner --format csv -C "$TMP/rc" --record "$TMP/rec.jsonl" $SITE \
	>"$TMP/owner.csv" 2>"$TMP/err"
check "--by owner csv: exit 0, no stderr" sh -c 'test $1 -eq 0 && test ! -s "$2"' _ $? "$TMP/err"
if "$PYTHON3" "$CHECK" "$TMP/owner.jsonl" "$TMP/owner.csv" "$TMP/rec.jsonl" >"$TMP/sums" 2>&1; then
	pass "every figure adds up ($(tr '\n' ' ' <"$TMP/sums"))"
else
	fail "$(cat "$TMP/sums")"
fi
check "csv: a header with units" grep -q '^Time (UTC),Owner,Holders,Idle holders,CPU allocated (cores),.*Allocation cost (EUR per month),Idle cost (EUR per month),Energy cost (EUR per month)' "$TMP/owner.csv"
check "csv: team-a's two VMs, 4 cores, 8 GiB, 4 x 20 + 8 x 4 = 112 EUR" \
	grep -q ',team-a,2,[0-9]*,4\.000,[0-9.]*,[0-9.]*,[0-9.]*,8\.000,.*,112\.00,' "$TMP/owner.csv"
check "csv: the retired VM (shut off) charges team-b nothing" sh -c '! grep -q ",team-b," "$1"' _ "$TMP/owner.csv"
check "csv: one total row, last" sh -c 'tail -1 "$1" | grep -q ",Total,"' _ "$TMP/owner.csv"
check "csv: the unowned holders' row" grep -q ',(unowned),' "$TMP/owner.csv"
check "csv: a title that is a formula is text, its C1 control escaped" \
	grep -qF ",'=1+1\\xc2\\x9b31m," "$TMP/owner.csv"

# shellcheck disable=SC2086
"$GLASS" -b -d 0.5 --by owner -C "$TMP/rc" $SITE >"$TMP/owner.txt" 2>"$TMP/err"
check "text: the idle line on top" sed -n 2p "$TMP/owner.txt" | grep -q '^idle: '
check "text: the hostile title escaped, no C1 byte" sh -c 'grep -qF "=1+1\\xc2\\x9b31m " "$1" && ! grep -q "$(printf "\302\233")" "$1"' _ "$TMP/owner.txt"
check "text: a row per owner and the total" sh -c 'grep -q "^team-a " "$1" && grep -q "^finance " "$1" && grep -q "^total " "$1"' _ "$TMP/owner.txt"
# shellcheck disable=SC2086
"$GLASS" -b -d 0.5 --by owner --format prom -C "$TMP/rc" $SITE >"$TMP/owner.prom" 2>"$TMP/err"
check "prom: team-a's allocated cores" grep -qx 'glass_owner_cpu_cores_allocated{owner="team-a"} 4' "$TMP/owner.prom"
check "prom: unowned holders are a label value" grep -q '^glass_owner_holders{owner="(unowned)"} [1-9]' "$TMP/owner.prom"
if command -v promtool >/dev/null 2>&1; then
	check "prom: promtool accepts the exposition" sh -c 'promtool check metrics <"$1" >/dev/null 2>&1' _ "$TMP/owner.prom"
fi

# the service serves the owners' families beside the tree's
if "$GLASS" --serve 1 --replay /nonexistent 2>&1 | grep -q "replay"; then
	PORT=$("$PYTHON3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	# shellcheck disable=SC2086
	"$GLASS" --serve "127.0.0.1:$PORT" -d 0.5 -C "$TMP/rc" $SITE >/dev/null 2>"$TMP/serve.err" &
	served=$!
	stop_served() { kill "$served" 2>/dev/null; wait "$served" 2>/dev/null; return 0; }
	on_exit stop_served
	"$PYTHON3" "$SRCDIR/tests/tools/http_probe.py" wait "$PORT" /metrics 60 >/dev/null 2>&1
	"$PYTHON3" "$SRCDIR/tests/tools/http_probe.py" get "$PORT" /metrics >"$TMP/served" 2>&1
	check "--serve: /metrics has team-a's allocated cores" \
		grep -qx 'glass_owner_cpu_cores_allocated{owner="team-a"} 4' "$TMP/served"
	stop_served
else
	say "this glass has no --serve (built without libmicrohttpd): the served families are not checked"
fi

# a replay reports the owners it recorded: the same sheet but for the
# use, power and energy, which it sums from the nodes' recorded (rounded)
# figures
"$GLASS" -b --replay "$TMP/rec.jsonl" --by owner --format csv -C "$TMP/rc" >"$TMP/replay.csv" 2>"$TMP/err"
cut -d, -f2,3,4,5,7,9,11,15,16 "$TMP/owner.csv" >"$TMP/owner.cut"
check "replay: the same sheet from the recording" sh -c 'cut -d, -f2,3,4,5,7,9,11,15,16 "$1" | diff - "$2"' _ "$TMP/replay.csv" "$TMP/owner.cut"

# a remote glass's owners travel with its tree; a rule here comes first.
# The far side runs here: a stand-in for ssh execs the far command.
cat >"$TMP/ssh" <<'SH'
#!/bin/sh
while [ $# -gt 0 ] && [ "$1" != "--" ]; do shift; done
shift 2
exec sh -c "$*"
SH
chmod +x "$TMP/ssh"
grep -v '^owner\.' "$TMP/rc" >"$TMP/far.rc"
echo 'owner.far-team = ct:*/system.slice/ssh.service' >>"$TMP/far.rc"
cat >"$TMP/near.rc" <<RC
remote.ssh = $TMP/ssh
remote.command = $GLASS -C $TMP/far.rc --cgroup-root $FIX/v2
owner.near = ct:*/init.scope
RC
"$GLASS" -b -n 4 -d 0.5 --format json --no-local -C "$TMP/near.rc" -c glass+ssh://far.invalid \
	2>"$TMP/err" | tail -1 >"$TMP/remote.json"
remote_owner() {
	json_get "$TMP/remote.json" "[f'{n[\"owner\"]} {n[\"owner_source\"]}' for h in d['tree']['children'] for n in h['children'] if n['name'] == '$1'][0]"
}
check "remote: the far side's label" test "$(remote_owner web)" = "team-web label"
check "remote: the far side's rule" test "$(remote_owner ssh.service)" = "far-team config"
check "remote: a rule here beats the far side" test "$(remote_owner init.scope)" = "near config"

expect_error 2 "--by needs a known report" "invalid --by 'team': expected owner" -b --by team
expect_error 2 "--by owner and --idle are two reports" "--by owner and --idle" -b --by owner --idle --no-local \
	--cgroup-root "$FIX/v2"
printf 'owner.team-a = vm:*, ,\n' >"$TMP/bad.rc"
expect_error 2 "a bad owner rule names its line" "bad.rc:1: owner.team-a: an empty glob" -b -C "$TMP/bad.rc" --by owner

# the metadata over libvirt's RPC: the same fixture through the suite's
# libvirtd (root); what ran above stands either way
[ "$FAILS" -gt 0 ] && finish
PATH="$PATH:/usr/sbin:/sbin"
if [ "$(id -u)" -ne 0 ] || ! command -v libvirtd >/dev/null 2>&1; then
	say "not root or no libvirtd: the metadata over libvirt's RPC is not checked"
	finish
fi
. "$SRCDIR/tests/integration/libvirtd_lib.sh"
libvirtd_require
libvirtd_start
"$GLASS" -b -n 2 -d 0.5 --format json --no-local -c "test+tcp://127.0.0.1:$LVD_PORT$OWNERS" \
	2>"$TMP/err" | tail -1 >"$TMP/rpc.json"
rpc_owner() {
	json_get "$TMP/rpc.json" "[f'{n[\"owner\"]} {n[\"owner_source\"]}' for h in d['tree']['children'] for n in h['children'] if n['name'] == '$1'][0]"
}
check "libvirtd: web-2's metadata over RPC" test "$(rpc_owner web-2)" = "team-a libvirt-metadata"
check "libvirtd: billing's title over RPC" test "$(rpc_owner billing)" = "finance libvirt-title"
check "libvirtd: scratch has none" test "$(rpc_owner scratch)" = "None None"
finish
