#!/bin/sh
# Every field a far glass has comes through glass+ssh: pressure (PSI) on
# the fixture's containers, the host's disks and interfaces with their
# rates, and rates on the first snapshot that shows the remote (the far
# side's own, before two readings give the counters').  ssh is a
# stand-in that runs the far glass here: what is tested is the stream.
. "$(dirname "$0")/lib.sh"

FIX="$SRCDIR/tests/fixtures/cgroup"
cat >"$TMP/ssh" <<'SH'
#!/bin/sh
while [ $# -gt 0 ]; do case $1 in -o|-p|-l|-F) shift 2 ;; -*) shift ;; *) break ;; esac; done
shift
exec sh -c "$*"
SH
chmod +x "$TMP/ssh"
cat >"$TMP/near.rc" <<RC
remote.ssh = $TMP/ssh
remote.command = $GLASS --no-history --cgroup-root $FIX/v2
RC

"$GLASS" -b -n 2 -d 1 --format json --no-history --cgroup-root "$FIX/v2" | tail -1 >"$TMP/here.json"
"$GLASS" -b -n 4 -d 1 --format json --no-local --no-history -C "$TMP/near.rc" \
	-c glass+ssh://far.invalid >"$TMP/far.jsonl" 2>"$TMP/err"
tail -1 "$TMP/far.jsonl" >"$TMP/far.json"

# psi_nodes FILE: how many nodes carry a pressure figure
psi_nodes() {
	json_get "$1" "sum(1 for n in (lambda f: f(f, d['tree']))(lambda f, n: [n] + [m for c in n.get('children', []) for m in f(f, c)]) if any(v is not None for v in (n.get('pressure') or {}).values()))"
}
here_psi=$(psi_nodes "$TMP/here.json")
far_psi=$(psi_nodes "$TMP/far.json")
check "pressure: the fixture's nodes with PSI here ($here_psi) all have it through glass+ssh ($far_psi)" \
	test "$here_psi" -gt 0 -a "$far_psi" = "$here_psi"

# devices HOST-JSON KEY: the host's device names of one kind, sorted
devices() {
	json_get "$1" "','.join(sorted(x['name'] for x in d['tree']['children'][0].get('$2') or []))"
}
for kind in disks interfaces; do
	here=$(devices "$TMP/here.json" $kind)
	far=$(devices "$TMP/far.json" $kind)
	check "$kind: the host's ($here) come through glass+ssh" test -n "$here" -a "$far" = "$here"
done
rate_key=$(json_get "$TMP/far.json" "all(x.get('read_bytes_per_second') is not None for x in d['tree']['children'][0].get('disks') or [])")
check "disks: each with its read rate through glass+ssh" test "$rate_key" = True

first=$("$PYTHON3" - "$TMP/far.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    hosts = [n for n in d["tree"].get("children", []) if n["kind"] == "host"]
    if hosts:
        print(hosts[0].get("cpu_cores_used"))
        break
else:
    print("no-host")
PY
)
check "the first snapshot that shows the remote host has its cpu rate ($first)" \
	test "$first" != None -a "$first" != no-host

# a node's own health: a far glass that says one of its containers is
# stale (its source's trouble there) passes it on; the others stay ok.
# The far side is its snapshot, sent again every half second.
"$PYTHON3" - "$TMP/here.json" "$TMP/sick.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ct = d["tree"]["children"][0]["children"][0]
ct["health"], ct["health_reason"] = "stale", "docker: no answer for 9 s"
print(ct["id"])
json.dump(d, open(sys.argv[2], "w"))
PY
cat >"$TMP/far-sick" <<SH
#!/bin/sh
while :; do cat "$TMP/sick.json"; echo; sleep 0.5; done
SH
chmod +x "$TMP/far-sick"
cat >"$TMP/sick.rc" <<RC
remote.ssh = $TMP/ssh
remote.command = $TMP/far-sick
RC
"$GLASS" -b -n 2 -d 1 --format json --no-local --no-history -C "$TMP/sick.rc" \
	-c glass+ssh://far.invalid 2>"$TMP/err" | tail -1 >"$TMP/sick-near.json"
got=$("$PYTHON3" - "$TMP/sick-near.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def walk(n):
    yield n
    for c in n["children"]:
        yield from walk(c)
nodes = [n for n in walk(d["tree"]) if n["kind"] != "site"]
sick = [(n["health"], n["health_reason"]) for n in nodes if n["health"] != "ok"]
print(len(nodes), sick)
PY
)
check "a far glass's stale node stays stale with its reason through glass+ssh, the rest ok ($got)" \
	sh -c 'case $1 in [1-9]*" [('"'"'stale'"'"', '"'"'docker: no answer for 9 s'"'"')]") exit 0;; esac; exit 1' _ "$got"
finish
