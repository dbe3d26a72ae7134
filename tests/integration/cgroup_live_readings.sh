#!/bin/sh
# Live cgroups on this machine (root), each reading against the kernel's
# own files read around the same snapshot:
#  - on a hybrid host (v1 controllers + cgroup2 at unified/), a cgroup made
#    only in unified/ with a spinner in it: glass's CPU used agrees with
#    the usage_usec of its unified/.../cpu.stat over the snapshot;
#  - a cgroup pinned by its cpuset to fewer CPUs than the root's, without
#    a quota: its CPU allocation is the number of CPUs in its effective
#    cpuset, as the kernel reports it;
#  - what a cgroup was given is looked at again: a memory limit written in
#    place shows once glass's reading of it is 1.5 s old, and a
#    cgroup made again under the same name shows its new limit at once
#    (its kept files fail and are opened again).
# Whatever the test made is removed by path, even on failure.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cgroup_lib.sh"

cg_detect
U="glass-test-$$-u"
P="glass-test-$$-p"
L="glass-test-$$-l"
SPIN=
SLEEP=
LSLEEP=
CPUSET_DIR=
cleanup_readings() {
	for p in $SPIN $SLEEP $LSLEEP; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	cg_remove "$L"
	if [ -d "$CG_ROOT/unified/$U" ]; then
		for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$CG_ROOT/unified/$U" 2>/dev/null && break; sleep 0.1; done
	fi
	cg_remove "$P"
	if [ -n "$CPUSET_DIR" ] && [ -d "$CPUSET_DIR/$P" ]; then
		for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$CPUSET_DIR/$P" 2>/dev/null && break; sleep 0.1; done
	fi
	return 0
}
on_exit cleanup_readings

# node FILE SUFFIX: "cpu_alloc cpu_used" of the node whose id ends in /SUFFIX
node() {
	"$PYTHON3" "$SRCDIR/tests/tools/snapshot_node.py" "$1" "$2" cpu_cores_allocated cpu_cores_used
}

# usage NS-TIME USAGE-USEC of a cpu.stat, read together
usage() {
	echo "$(date +%s%N) $(sed -n 's/^usage_usec //p' "$1")"
}

# --- hybrid: a cgroup only in unified/
if [ "$CG_MODE" = v1 ] && [ -f "$CG_ROOT/unified/cgroup.procs" ] && [ -f "$CG_ROOT/unified/cpu.stat" ]; then
	mkdir "$CG_ROOT/unified/$U"
	check "made unified/$U only (no v1 directory)" sh -c '[ -d "$1/unified/$2" ] && [ ! -d "$1/cpu/$2" ]' _ "$CG_ROOT" "$U"
	sh -c 'while :; do :; done' &
	SPIN=$!
	echo "$SPIN" >"$CG_ROOT/unified/$U/cgroup.procs"
	sleep 0.5
	before=$(usage "$CG_ROOT/unified/$U/cpu.stat")
	"$GLASS" -b -n 1 -d 2 --format json >"$TMP/u.json" 2>"$TMP/u.err"
	rc=$?
	after=$(usage "$CG_ROOT/unified/$U/cpu.stat")
	check "glass exits 0 with no stderr" sh -c '[ "$1" -eq 0 ] && [ ! -s "$2" ]' _ "$rc" "$TMP/u.err"
	set -- $(node "$TMP/u.json" "$U")
	used=$2
	res=$("$PYTHON3" - "$before" "$after" "$used" <<'PY'
import sys
t0, u0 = map(int, sys.argv[1].split())
t1, u1 = map(int, sys.argv[2].split())
kernel = (u1 - u0) * 1000 / (t1 - t0)
try:
    glass = float(sys.argv[3])
except ValueError:
    print("FAIL glass %s, cpu.stat %.3f cores" % (sys.argv[3], kernel)); sys.exit()
tol = max(0.15 * kernel, 0.05)
print("%s glass %.3f, cpu.stat %.3f cores (tolerance %.3f)" %
      ("ok" if abs(glass - kernel) <= tol and glass > 0.1 else "FAIL", glass, kernel, tol))
PY
)
	check "unified/$U: CPU used agrees with its cpu.stat over the snapshot ($res)" test "${res%% *}" = ok
	kill "$SPIN" 2>/dev/null
	wait "$SPIN" 2>/dev/null
	SPIN=
else
	say "not a hybrid host ($CG_MODE, no $CG_ROOT/unified/cpu.stat): the unified-only check does not apply here"
fi

# --- a memory limit changed in place, and a cgroup made again
mem_limit() {
	if [ "$CG_MODE" = v2 ]; then echo "$2" >"$CG_ROOT/$1/memory.max"
	else echo "$2" >"$(readlink -f "$CG_ROOT/memory")/$1/memory.limit_in_bytes"; fi
}
live_sleeper() {
	sleep 1000 &
	LSLEEP=$!
	cg_move "$LSLEEP" "$L"
}
cg_make "$L" && mem_limit "$L" 67108864
check "made $L with a 64 MiB memory limit" test $? -eq 0
live_sleeper
"$GLASS" -b -n 32 -d 0.25 --format json >"$TMP/l.json" 2>"$TMP/l.err" &
GP=$!
for _ in $(seq 100); do [ -s "$TMP/l.json" ] && break; sleep 0.1; done
kill "$LSLEEP"
wait "$LSLEEP" 2>/dev/null
cg_remove "$L"
cg_make "$L" && mem_limit "$L" 50331648
live_sleeper
t_made=$(date +%s%N)
sleep 1.5
mem_limit "$L" 33554432
t_written=$(date +%s%N)
wait "$GP"
rc=$?
check "glass exits 0 with no stderr" sh -c '[ "$1" -eq 0 ] && [ ! -s "$2" ]' _ "$rc" "$TMP/l.err"
res=$("$PYTHON3" - "$TMP/l.json" "$L" "$t_made" "$t_written" "$SRCDIR/tests/tools" <<'PY'
import datetime, json, sys
sys.path.insert(0, sys.argv[5])
from snapshot_node import find
made, written = int(sys.argv[3]) / 1e9, int(sys.argv[4]) / 1e9
again, later, bad = [], [], []
for line in open(sys.argv[1]):
    d = json.loads(line)
    src = [s for s in d["sources"] if s["kind"] == "cgroup"][0]
    if not src["last_ok"]:
        continue
    t = datetime.datetime.fromisoformat(src["last_ok"].replace("Z", "+00:00")).timestamp()
    n = find(d["tree"], sys.argv[2])
    if n is None:
        continue
    limit = n["memory_bytes_allocated"]
    if made + 0.5 <= t < written:
        again.append(limit)
        if limit != 50331648: bad.append("%.2f s after it was made again: %s" % (t - made, limit))
    if t >= written + 2.5:
        later.append(limit)
        if limit != 33554432: bad.append("%.2f s after the write: %s" % (t - written, limit))
if not again or not later or bad:
    print("FAIL made again: %s; written in place: %s; %s" % (again, later, "; ".join(bad)))
else:
    print("ok made again: %d snapshots at 48 MiB; written in place: %d snapshots at 32 MiB" % (len(again), len(later)))
PY
)
check "$L: a limit written in place shows within two seconds, a cgroup made again at once ($res)" test "${res%% *}" = ok
kill "$LSLEEP" 2>/dev/null
wait "$LSLEEP" 2>/dev/null
LSLEEP=
cg_remove "$L"

# --- cpuset pinning: one CPU of several
ncpu=$(getconf _NPROCESSORS_ONLN)
if [ "$ncpu" -lt 2 ]; then
	say "SKIP part: one CPU: no cpuset can be narrower than the root's"
	finish
fi
if [ "$CG_MODE" = v1 ]; then
	CPUSET_DIR=$(readlink -f "$CG_ROOT/cpuset" 2>/dev/null)
	[ -f "$CPUSET_DIR/cpuset.cpus" ] || { say "SKIP part: no v1 cpuset controller at $CG_ROOT/cpuset"; finish; }
	mkdir "$CPUSET_DIR/$P" && cat "$CPUSET_DIR/cpuset.mems" >"$CPUSET_DIR/$P/cpuset.mems" &&
		echo 0 >"$CPUSET_DIR/$P/cpuset.cpus"
	check "made cpuset/$P pinned to CPU 0" test $? -eq 0
	EFF="$CPUSET_DIR/$P/cpuset.effective_cpus"
	[ -f "$EFF" ] || EFF="$CPUSET_DIR/$P/cpuset.cpus"
else
	case " $(cat "$CG_ROOT/cgroup.subtree_control") " in
	*" cpuset "*) ;;
	*) say "SKIP part: cgroup v2 without cpuset in the root's subtree_control"; finish ;;
	esac
fi
cg_make "$P"
if [ "$CG_MODE" = v2 ]; then
	echo 0 >"$CG_ROOT/$P/cpuset.cpus"
	EFF="$CG_ROOT/$P/cpuset.cpus.effective"
fi
sleep 1000 &
SLEEP=$!
cg_move "$SLEEP" "$P"
[ -n "$CPUSET_DIR" ] && echo "$SLEEP" >"$CPUSET_DIR/$P/cgroup.procs"
"$GLASS" -b -n 1 -d 0.3 --format json >"$TMP/p.json" 2>"$TMP/p.err"
rc=$?
kernel=$("$PYTHON3" -c '
import sys
n = 0
for part in open(sys.argv[1]).read().strip().split(","):
    a, _, b = part.partition("-")
    n += int(b or a) - int(a) + 1
print(n)' "$EFF")
check "glass exits 0 with no stderr" sh -c '[ "$1" -eq 0 ] && [ ! -s "$2" ]' _ "$rc" "$TMP/p.err"
set -- $(node "$TMP/p.json" "$P")
check "$P: pinned to $(cat "$EFF") of $ncpu CPUs, no quota: cpu allocated $1 = $kernel CPU(s) of its effective cpuset" \
	"$PYTHON3" -c "import sys; sys.exit(0 if float('$1') == float('$kernel') else 1)"
check "the snapshot validates" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/p.json"
finish
