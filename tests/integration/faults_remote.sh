#!/bin/sh
# A remote glass is not trusted: scripted far sides (remote.command over
# the suite's sshd) that report this host's containers, take this host's
# name or another remote's, send too many nodes or absurd figures, or
# close their output and linger.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sshd.sh"
sshd_start
URI="glass+ssh://root@127.0.0.1:$SSHD_PORT"
FIX="$SRCDIR/tests/fixtures/cgroup/v2"
JUMP=$(hostname)

# far NAME: a config whose far side sends $TMP/NAME.json every 0.3 s, and
# ends when nobody reads it (sshd gives a command without a terminal no
# signal when its client goes: the loop must notice the closed pipe)
far() {
	cat >"$TMP/$1.rc" <<CONF
remote.ssh = ssh -F $TMP/ssh_config
remote.command = sh -c 'while cat $TMP/$1.json; do sleep 0.3; done' sh
CONF
}
# and whatever far side is left when the test ends goes with it
kill_far_sides() { pkill -f "$TMP/" 2>/dev/null; return 0; }
on_exit kill_far_sides

# snap NAME PYTHON: writes $TMP/NAME.json, one snapshot line whose hosts
# are the Python expression (with node(id, kind, name, **fields))
snap() {
	"$PYTHON3" - "$TMP/$1.json" "$JUMP" <<PY
import json, sys
jump = sys.argv[2]
def node(id, kind, name, children=(), **f):
    d = {"id": id, "kind": kind, "name": name, "children": list(children)}
    d.update(f)
    return d
hosts = $2
doc = {"schema_version": 1, "glass_version": "0.1.0", "time": "2026-12-01T00:00:00.000Z",
       "interval_seconds": 0.3, "sequence": 1, "sources": [],
       "tree": {"id": "site", "kind": "site", "name": "site", "children": hosts}}
open(sys.argv[1], "w").write(json.dumps(doc, separators=(",", ":")) + "\n")
PY
}

# remote_states FILE: "<health>|<reason>" of each remote source, last line
remote_states() {
	tail -n 1 "$1" 2>/dev/null | "$PYTHON3" -c '
import json, sys
try:
    d = json.loads(sys.stdin.read())
    for s in d["sources"]:
        if s["kind"] == "remote":
            print(s["health"] + "|" + (s["reason"] or ""))
except Exception:
    print("none|")'
}
# wait_for FILE SECONDS PYTHON-CONDITION-ON-d: until the last snapshot fits
wait_for() {
	end=$(($(date +%s) + $2))
	while [ "$(date +%s)" -le "$end" ]; do
		tail -n 1 "$1" 2>/dev/null | "$PYTHON3" -c "
import json, sys
try:
    d = json.loads(sys.stdin.read())
except Exception:
    sys.exit(1)
rs = [s for s in d['sources'] if s['kind'] == 'remote']
def walk(n):
    yield n
    for c in n['children']:
        yield from walk(c)
nodes = list(walk(d['tree']))
sys.exit(0 if ($3) else 1)" && return 0
		sleep 0.2
	done
	say "last remote states: $(remote_states "$1" | tr '\n' ' ')"
	return 1
}
# query FILE PYTHON-EXPRESSION: its value on the last snapshot
query() {
	tail -n 1 "$1" | "$PYTHON3" -c "
import json, sys
d = json.loads(sys.stdin.read())
def walk(n):
    yield n
    for c in n['children']:
        yield from walk(c)
nodes = list(walk(d['tree']))
print($2)"
}

GPID=""
start_stream() { # RC OUT ARGS...
	rc=$1
	out=$2
	shift 2
	"$GLASS" -b -C "$rc" -n 0 -d 0.5 --format json "$@" >"$out" 2>"$out.err" &
	GPID=$!
}
stop_stream() { [ -n "$GPID" ] && kill "$GPID" 2>/dev/null && wait "$GPID" 2>/dev/null; GPID=""; return 0; }
on_exit stop_stream

LOCAL="--cgroup-root $FIX" # this host and the fixture's containers under it
DOCKER="ct:$JUMP/system.slice/docker-3f4e8a1b2c9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f.scope"

# ---- a remote that reports this host's containers and this host: only
# its own host's subtree is taken
snap evil "[node('host:glass-evil', 'host', 'glass-evil', cpu_cores_allocated=4, children=[
    node('$DOCKER', 'container', 'EVIL-docker', cpu_cores_allocated=99),
    node('ct:glass-evil/ok.scope', 'container', 'good'),
    node('ct:$JUMP/system.slice/evil.scope', 'container', 'EVIL-planted')]),
  node('host:' + jump, 'host', 'EVIL-host', cpu_cores_allocated=99, children=[
    node('ct:' + jump + '/x.scope', 'container', 'EVIL-x')])]"
far evil
start_stream "$TMP/evil.rc" "$TMP/evil.jsonl" $LOCAL -c "$URI"
check "foreign ids: the remote turns ok with its own host" wait_for "$TMP/evil.jsonl" 45 \
	"rs[0]['health'] == 'ok' and any(n['id'] == 'host:glass-evil' for n in nodes)"
sleep 0.7
stop_stream
check "... its own container comes through" test "$(query "$TMP/evil.jsonl" "[n['name'] for n in nodes if n['id'] == 'ct:glass-evil/ok.scope']")" = "['good']"
check "... no node of this host is overwritten or added ($(query "$TMP/evil.jsonl" "[n['name'] for n in nodes if 'EVIL' in n['name']]"))" \
	test "$(query "$TMP/evil.jsonl" "sum('EVIL' in n['name'] for n in nodes)")" -eq 0
check "... this host's docker container is the local one ($(query "$TMP/evil.jsonl" "[(n['name'], n['cpu_cores_allocated']) for n in nodes if n['id'] == '$DOCKER']"))" \
	test "$(query "$TMP/evil.jsonl" "[n['cpu_cores_allocated'] for n in nodes if n['id'] == '$DOCKER']")" = "[1.5]"
check "... this host's own numbers stay ($(query "$TMP/evil.jsonl" "[n['cpu_cores_allocated'] for n in nodes if n['id'] == 'host:$JUMP']") cores)" \
	test "$(query "$TMP/evil.jsonl" "[n['cpu_cores_allocated'] for n in nodes if n['id'] == 'host:$JUMP']")" = "[$(getconf _NPROCESSORS_ONLN)]"

# ---- a remote whose host name is this host's: refused, not merged
snap same "[node('host:' + jump, 'host', jump, cpu_cores_allocated=99, children=[
    node('ct:' + jump + '/y.scope', 'container', 'EVIL-y')])]"
far same
start_stream "$TMP/same.rc" "$TMP/same.jsonl" $LOCAL -c "$URI"
check "this host's name: the remote is unreachable, saying so" wait_for "$TMP/same.jsonl" 45 \
	"rs[0]['health'] == 'unreachable' and 'is this host' in (rs[0]['reason'] or '')"
stop_stream
check "... '$(remote_states "$TMP/same.jsonl")'" true
check "... nothing of it merged into this host" test "$(query "$TMP/same.jsonl" \
	"(sum('EVIL' in n['name'] for n in nodes), [n['cpu_cores_allocated'] for n in nodes if n['id'] == 'host:$JUMP'])")" = \
	"(0, [$(getconf _NPROCESSORS_ONLN)])"

# ---- two remotes that report one host name: the second is refused
snap twin "[node('host:glass-twin', 'host', 'glass-twin', cpu_cores_allocated=2)]"
far twin
start_stream "$TMP/twin.rc" "$TMP/twin.jsonl" --no-local -c "$URI" -c "$URI/"
check "twins: one ok, one unreachable saying whose name it has" wait_for "$TMP/twin.jsonl" 45 \
	"sorted(s['health'] for s in rs) == ['ok', 'unreachable'] and any('is also glass+ssh://' in (s['reason'] or '') for s in rs)"
stop_stream
check "... '$(remote_states "$TMP/twin.jsonl" | grep unreachable)'" true
check "... one host node" test "$(query "$TMP/twin.jsonl" "sum(n['id'] == 'host:glass-twin' for n in nodes)")" -eq 1

# ---- too many nodes: remote.max_nodes, then the default cap on a
# 15 MB line of 350,000 children
snap many "[node('host:glass-many', 'host', 'm', children=[node('ct:glass-many/%d' % i, 'group', 'x') for i in range(2000)])]"
far many
printf 'remote.max_nodes = 1000\n' >>"$TMP/many.rc"
start_stream "$TMP/many.rc" "$TMP/many.jsonl" --no-local -c "$URI"
check "2,001 nodes over remote.max_nodes = 1000: unreachable, naming the key" wait_for "$TMP/many.jsonl" 45 \
	"rs[0]['health'] == 'unreachable' and 'more than 1000 nodes (remote.max_nodes)' in (rs[0]['reason'] or '')"
stop_stream
sed -i 's/remote.max_nodes = 1000/remote.max_nodes = 5000/' "$TMP/many.rc"
start_stream "$TMP/many.rc" "$TMP/many.jsonl" --no-local -c "$URI"
check "... under remote.max_nodes = 5000: ok, all 2,000 shown" wait_for "$TMP/many.jsonl" 45 \
	"rs[0]['health'] == 'ok' and len(nodes) == 2002"
stop_stream
"$PYTHON3" -c '
import sys
parts = [chr(123) + "\"id\":\"ct:b/%d\",\"kind\":\"group\",\"name\":\"x\"" % i + chr(125) for i in range(350000)]
line = ("{\"schema_version\":1,\"glass_version\":\"0.1.0\",\"tree\":{\"id\":\"site\",\"kind\":\"site\",\"name\":\"site\","
        "\"children\":[{\"id\":\"host:b\",\"kind\":\"host\",\"name\":\"b\",\"children\":[" + ",".join(parts) + "]}]}}\n")
open(sys.argv[1], "w").write(line)' "$TMP/huge.json"
far huge
start_stream "$TMP/twin.rc" "$TMP/base.jsonl" --no-local -c "$URI"
wait_for "$TMP/base.jsonl" 45 "rs[0]['health'] == 'ok'"
base=$(awk '/^VmHWM:/ {print $2}' "/proc/$GPID/status")
stop_stream
saved_asan=${ASAN_OPTIONS-}
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
start_stream "$TMP/huge.rc" "$TMP/huge.jsonl" --no-local -c "$URI"
export ASAN_OPTIONS="$saved_asan"
check "a $(($(wc -c <"$TMP/huge.json") / 1000000)) MB line of 350,001 nodes: unreachable, over the default cap" \
	wait_for "$TMP/huge.jsonl" 60 "rs[0]['health'] == 'unreachable' and 'more than 100000 nodes (remote.max_nodes)' in (rs[0]['reason'] or '')"
sleep 2
hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$GPID/status")
n1=$(wc -l <"$TMP/huge.jsonl")
sleep 2
n2=$(wc -l <"$TMP/huge.jsonl")
stop_stream
say "peak memory: ${hwm} KiB with the huge line, ${base} KiB with a small one"
check "... refused before it is parsed: peak memory grows by under 40 MiB (VmHWM $hwm KiB, $base KiB with a small line)" \
	test "$((hwm - base))" -lt 40960
check "... snapshots stay on time ($((n2 - n1)) in 2 s at -d 0.5)" test "$((n2 - n1))" -ge 3

# ---- absurd figures: unknown, and the output still fits the schema
snap absurd "[node('host:glass-absurd', 'host', 'a', cpu_cores_allocated=-64, memory_bytes_allocated=1e308,
    load=[-1, 1e300, 0.5], children=[node('ct:glass-absurd/c.scope', 'container', 'c', pids_max=1e19,
    cpu_cores_allocated=1e300, memory_bytes_used=-5)])]"
far absurd
start_stream "$TMP/absurd.rc" "$TMP/absurd.jsonl" --no-local -c "$URI"
check "absurd figures: the remote turns ok" wait_for "$TMP/absurd.jsonl" 45 \
	"rs[0]['health'] == 'ok' and len(nodes) == 3"
sleep 0.7
stop_stream
tail -n 1 "$TMP/absurd.jsonl" >"$TMP/absurd.last"
check "... the snapshot validates against the schema" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/absurd.last"
check "... -64 cores, 1e308 bytes, 1e19 pids, 1e300 cores, -5 bytes all read as unknown" test \
	"$(query "$TMP/absurd.last" "[(n.get('cpu_cores_allocated'), n.get('memory_bytes_allocated'), n.get('pids_max'), n.get('memory_bytes_used')) for n in nodes[1:]]")" = \
	"[(None, None, None, None), (None, None, None, None)]"
check "... no site total below zero ($(query "$TMP/absurd.last" "d['tree']['rollup']['cpu_cores']"))" test \
	"$(query "$TMP/absurd.last" "[v for r in d['tree']['rollup'].values() if isinstance(r, dict) for v in r.values() if isinstance(v, (int, float)) and v < 0]")" = "[]"

# ---- a far side that closes its output and lingers: killed, not waited
# for; the source says so and tries again
: >"$TMP/lingering.pids"
"$GLASS" -b --no-local --cgroup-root "$FIX" --format json -d 0.1 >"$TMP/linger.json"
cat >"$TMP/linger.rc" <<CONF
remote.ssh = ssh -F $TMP/ssh_config
remote.command = sh -c 'echo \$\$ >>$TMP/lingering.pids; cat $TMP/linger.json; exec >&- 2>&-; exec sleep 1000000' sh
CONF
kill_lingering() { for p in $(cat "$TMP/lingering.pids"); do kill "$p" 2>/dev/null; done; return 0; }
on_exit kill_lingering
start_stream "$TMP/linger.rc" "$TMP/linger.jsonl" --no-local -c "$URI"
check "lingering: the remote turns ok on its one snapshot" wait_for "$TMP/linger.jsonl" 30 "rs[0]['health'] == 'ok'"
check "... then unreachable: killed after 2 s, not waited for" wait_for "$TMP/linger.jsonl" 45 \
	"rs[0]['health'] == 'unreachable' and 'closed its output but kept running' in (rs[0]['reason'] or '')"
check "... and it tries again (a second far side started)" sh -c "
	i=0; while [ \$(wc -l <'$TMP/lingering.pids') -lt 2 ] && [ \$i -lt 100 ]; do sleep 0.2; i=\$((i + 1)); done
	[ \$(wc -l <'$TMP/lingering.pids') -ge 2 ]"
stop_stream
finish
