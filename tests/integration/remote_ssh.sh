#!/bin/sh
# Remote hosts over ssh: a real sshd on 127.0.0.1, this build of glass on
# the far side, and the faults of a remote stream.  Each stage runs glass
# as an endless stream and waits for the state it expects (ssh can take
# seconds to connect on a loaded machine), with a deadline.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sshd.sh"
sshd_start
URI="glass+ssh://root@127.0.0.1:$SSHD_PORT"

# The far glass of this test, and glass's own ssh children.
ssh_pids() { pgrep -f -- "-p $SSHD_PORT -- root@127.0.0.1"; }
remote_pids() {
	sp=" $(ssh_pids | tr '\n' ' ') "
	for p in $(pgrep -f -- "-C $TMP/remote.rc"); do
		case "$sp" in *" $p "*) ;; *) echo "$p" ;; esac
	done
}
no_leftovers() {
	i=0
	while [ -n "$(ssh_pids)$(remote_pids)" ] && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	test -z "$(ssh_pids)$(remote_pids)"
}

# remote_state FILE: "<health>|<reason>" of the remote source in the last line
remote_state() {
	tail -n 1 "$1" 2>/dev/null | "$PYTHON3" -c '
import json, sys
try:
    d = json.loads(sys.stdin.read())
    s = [s for s in d["sources"] if s["kind"] == "remote"][0]
    print(s["health"] + "|" + (s["reason"] or ""))
except Exception:
    print("none|")'
}

# wait_state FILE PATTERN SECONDS: until the remote's state matches (grep -E)
wait_state() {
	end=$(($(date +%s) + $3))
	while [ "$(date +%s)" -le "$end" ]; do
		remote_state "$1" | grep -Eq "$2" && return 0
		sleep 0.2
	done
	say "last state: $(remote_state "$1")"
	return 1
}

GPID=""
start_stream() { # RC-FILE OUT [ARGS...]
	rc=$1
	out=$2
	shift 2
	"$GLASS" -b -C "$rc" -c "$URI" -n 0 -d 0.5 --format json "$@" >"$out" 2>"$out.err" &
	GPID=$!
}
stop_stream() { [ -n "$GPID" ] && kill "$GPID" 2>/dev/null && wait "$GPID" 2>/dev/null; GPID=""; return 0; }
on_exit stop_stream

# ---- the remote host shows, with honest numbers
start_stream "$TMP/glassrc" "$TMP/r.jsonl" --no-local
check "the remote source turns ok" wait_state "$TMP/r.jsonl" '^ok' 30
sleep 1.2
stop_stream
check "the stream validates" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/r.jsonl"
check "no stderr" test ! -s "$TMP/r.jsonl.err"
"$PYTHON3" - "$TMP/r.jsonl" "$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) * 1024 ))" "$(getconf _NPROCESSORS_ONLN)" >"$TMP/res" 2>&1 <<'PY'
import json, sys
last = [json.loads(l) for l in open(sys.argv[1])][-1]
src = last["sources"][0]
assert src["kind"] == "remote" and src["health"] == "ok", src
hosts = [c for c in last["tree"]["children"] if c["kind"] == "host"]
assert len(hosts) == 1, hosts
h = hosts[0]
assert h["memory_bytes_allocated"] == int(sys.argv[2]), "MemTotal through the remote"
assert h["cpu_cores_allocated"] == int(sys.argv[3]), "cpus through the remote"
assert h["cpu_cores_used"] is not None, "rates come through"
assert h["filesystems"], "filesystems come through"
# the far glass runs with --processes: its host's busiest, at most 20
ps = h.get("processes")
assert ps and 1 <= len(ps) <= 20, "processes come through, bounded: %r" % (ps and len(ps))
assert all(isinstance(p["pid"], int) and p["pid"] > 0 and isinstance(p["command"], str) for p in ps), ps
assert any(p["cpu_percent"] is not None for p in ps), "CPU% from two reads on the far side"
print("ok")
PY
check "the remote host, its memory, cpus, rates and busiest processes ($(tail -1 "$TMP/res"))" grep -qx ok "$TMP/res"
check "no ssh or remote glass left after glass ends" no_leftovers

# ---- the remote's containers: a fixture cgroup tree passed through the
# remote command comes back as that host's subtree
cat >"$TMP/fixture.rc" <<CONF
remote.ssh = ssh -F $TMP/ssh_config
remote.command = $REMOTE_GLASS --cgroup-root $SRCDIR/tests/fixtures/cgroup/v2
CONF
start_stream "$TMP/fixture.rc" "$TMP/fx.jsonl" --no-local
check "fixture: the remote turns ok" wait_state "$TMP/fx.jsonl" '^ok' 30
sleep 0.6
stop_stream
"$PYTHON3" - "$TMP/fx.jsonl" >"$TMP/fx.res" 2>&1 <<'PY'
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])][-1]
hosts = [c for c in d["tree"]["children"] if c["kind"] == "host"]
assert len(hosts) == 1, hosts
def walk(n):
    yield n
    for c in n["children"]:
        yield from walk(c)
nodes = list(walk(hosts[0]))
docker = [n for n in nodes if n["runtime"] == "docker"]
pods = [n for n in nodes if n["kind"] == "group" and n["runtime"] == "kubernetes"]
assert docker and docker[0]["cpu_cores_allocated"] == 1.5, docker
assert len(pods) == 2, [p["name"] for p in pods]
assert all(n["id"].startswith("ct:") for n in nodes[1:]), "container ids come through"
print("ok: %d nodes below the remote host, %d pods" % (len(nodes) - 1, len(pods)))
PY
check "fixture: the remote host's containers and pods come through ($(tail -1 "$TMP/fx.res"))" grep -q '^ok' "$TMP/fx.res"
no_leftovers

# ---- sshd refusing: unreachable with ssh's reason, fast
start=$(date +%s%N)
"$GLASS" -b -C "$TMP/glassrc" -c "glass+ssh://root@127.0.0.1:1" -d 0.5 --format json >"$TMP/refused.json" 2>/dev/null
took=$(( ($(date +%s%N) - start) / 1000000 ))
check "a closed port reads unreachable with ssh's reason" test \
	"$(remote_state "$TMP/refused.json")" = "unreachable|ssh: connect to host 127.0.0.1 port 1: Connection refused"
check "... within 6 s (${took} ms)" test "$took" -lt 6000
check "... and the local host is unaffected" test "$(json_get "$TMP/refused.json" 'd["sources"][0]["health"]')" = ok

# ---- the remote glass killed mid-stream: unreachable, then reconnected
start_stream "$TMP/glassrc" "$TMP/kill.jsonl" --no-local
check "kill: the remote turns ok first" wait_state "$TMP/kill.jsonl" '^ok' 30
victims=$(remote_pids)
kill $victims 2>/dev/null
check "kill: the remote turns unreachable, saying why" wait_state "$TMP/kill.jsonl" '^unreachable\|.*(exited|no snapshot)' 10
check "kill: glass reconnects by itself" wait_state "$TMP/kill.jsonl" '^ok' 30
stop_stream
no_leftovers

# ---- garbage and a giant line: health errors, bounded memory
cat >"$TMP/garbage.rc" <<CONF
remote.ssh = ssh -F $TMP/ssh_config
remote.command = echo this is not json; sleep 20; true
CONF
start_stream "$TMP/garbage.rc" "$TMP/g.jsonl"
check "garbage: unreachable with the reason" wait_state "$TMP/g.jsonl" '^unreachable\|remote stream: not JSON' 30
check "garbage: the local host is still ok" test "$(json_get "$TMP/g.jsonl" 'd["sources"][0]["health"]')" = ok
# this run's peak memory is the baseline for the giant line below (an
# ASan build has a larger one)
base=$(awk '/^VmHWM:/ {print $2}' "/proc/$GPID/status")
stop_stream

cat >"$TMP/giant.rc" <<CONF
remote.ssh = ssh -F $TMP/ssh_config
remote.command = head -c 100000000 /dev/zero | tr '\\\\0' x; sleep 20; true
CONF
# An ASan build keeps freed blocks in quarantine (each step of the line
# buffer's growth would stay counted): measure glass, not the sanitizer.
saved_asan=${ASAN_OPTIONS-}
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
start_stream "$TMP/giant.rc" "$TMP/big.jsonl" --no-local
export ASAN_OPTIONS="$saved_asan"
check "a 100 MB line: unreachable, saying why" wait_state "$TMP/big.jsonl" 'longer than 16777216 bytes' 40
hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$GPID/status")
check "a 100 MB line: glass's peak memory grows by under 40 MiB (VmHWM ${hwm} KiB, ${base} KiB with a short line)" \
	test "$((hwm - base))" -lt 40960
stop_stream
no_leftovers

# ---- a stopped remote glass: stale while the local host keeps its ticks
start_stream "$TMP/glassrc" "$TMP/stop.jsonl"
check "stop: the remote turns ok first" wait_state "$TMP/stop.jsonl" '^ok' 30
stopped=$(remote_pids)
kill -STOP $stopped
check "stop: the remote turns stale" wait_state "$TMP/stop.jsonl" '^stale' 10
check "stop: then unreachable, saying why" wait_state "$TMP/stop.jsonl" '^unreachable\|no snapshot' 10
n1=$(wc -l <"$TMP/stop.jsonl")
sleep 2
n2=$(wc -l <"$TMP/stop.jsonl")
check "stop: snapshots keep coming ($n1 -> $n2 in 2 s)" test "$((n2 - n1))" -ge 3
check "stop: the local host stays ok" test "$(json_get "$TMP/stop.jsonl" 'd["sources"][0]["health"]')" = ok
kill -CONT $stopped 2>/dev/null
stop_stream
no_leftovers

# ---- no orphans after SIGTERM and after SIGKILL of the process group
for how in TERM KILL; do
	setsid "$GLASS" -b -C "$TMP/glassrc" -c "$URI" -n 0 -d 0.5 --format json >"$TMP/o.jsonl" 2>/dev/null &
	opid=$!
	check "SIG$how: the remote turns ok" wait_state "$TMP/o.jsonl" '^ok' 30
	check "SIG$how: ssh and the remote glass are running" test -n "$(ssh_pids)" -a -n "$(remote_pids)"
	if [ "$how" = KILL ]; then /bin/kill -KILL -- "-$opid"; else kill -TERM "$opid"; fi
	wait "$opid" 2>/dev/null
	check "SIG$how: no ssh and no remote glass left" no_leftovers
done
finish
