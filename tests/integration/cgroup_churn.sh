#!/bin/sh
# Churn: while glass -b -n 30 -d 0.1 runs, 200 cgroups are made and removed
# with processes moving in and out.  Cgroups that vanish mid-read are
# normal: glass exits 0, prints no error, and its snapshots stay whole.
# (Under make check-asan the same run is the ASan/UBSan build.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cgroup_lib.sh"

cg_detect
PREFIX="glass-churn-$$"
cleanup_churn() {
	[ -n "${LOOP:-}" ] && kill "$LOOP" 2>/dev/null
	wait 2>/dev/null
	for d in $CG_DIRS; do
		for c in "$d/$PREFIX"-*; do [ -d "$c" ] && cg_remove "$(basename "$c")"; done
	done
}
on_exit cleanup_churn

# Python does the churn: no fork per cgroup, so 200 of them fit in glass's
# 3 seconds.  Four sleepers move in and out; about ten cgroups live at once,
# each for a few of glass's samples, and are removed while glass reads.
churn() {
	"$PYTHON3" - "$PREFIX" "$TMP/churned" $CG_DIRS <<'PY'
import os, subprocess, sys, time
prefix, done_file, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
sleepers = [subprocess.Popen(["sleep", "60"]) for _ in range(4)]
def move(pid, name):
    for d in dirs:
        try:
            with open(os.path.join(d, name, "cgroup.procs") if name else os.path.join(d, "cgroup.procs"), "w") as f:
                f.write(str(pid))
        except OSError:
            pass
def remove(name):
    for d in dirs:
        for _ in range(50):
            try:
                os.rmdir(os.path.join(d, name)); break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.01)
live, made = [], 0
try:
    for i in range(200):
        name = f"{prefix}-{i}"
        for d in dirs:
            os.mkdir(os.path.join(d, name))
        move(sleepers[i % 4].pid, name)
        live.append(name)
        made += 1
        if len(live) > 10:
            old = live.pop(0)
            move(sleepers[(i + 1) % 4].pid, old)  # in and out again
            move(sleepers[(i + 1) % 4].pid, "")
            remove(old)
        time.sleep(0.012)
finally:
    for s in sleepers:
        move(s.pid, "")
    for name in live:
        remove(name)
    for s in sleepers:
        s.kill(); s.wait()
open(done_file, "w").write(f"{made}\n")
PY
}
churn &
LOOP=$!
"$GLASS" -b -n 30 -d 0.1 --format json >"$TMP/churn.jsonl" 2>"$TMP/churn.err"
rc=$?
wait "$LOOP"
LOOP=
check "glass exits 0 under churn ($rc)" test "$rc" -eq 0
check "no stderr under churn" test ! -s "$TMP/churn.err"
[ -s "$TMP/churn.err" ] && sed 's/^/    /' "$TMP/churn.err"
check "30 snapshots" test "$(wc -l <"$TMP/churn.jsonl")" -eq 30
check "the loop made and removed 200 cgroups" test "$(cat "$TMP/churned" 2>/dev/null)" = 200
seen=$(grep -o "\"ct:[^\"]*/$PREFIX-[0-9]*\"" "$TMP/churn.jsonl" | sort -u | wc -l)
say "glass saw $seen of the churned cgroups"
check "every snapshot validates" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/churn.jsonl"
left=$(for d in $CG_DIRS; do ls -d "$d/$PREFIX"-* 2>/dev/null; done | wc -l)
check "the loop left no cgroup behind ($left)" test "$left" -eq 0
finish
