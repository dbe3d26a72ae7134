#!/bin/sh
# --record survives being killed and restarted, and --replay survives a
# bad line: a partial last line (SIGKILL, a full disk) is cut when
# recording starts again, a bad line anywhere is skipped with a warning,
# and a file with no snapshot in it says so and exits 1.
. "$(dirname "$0")/lib.sh"

FIX="$SRCDIR/tests/fixtures/cgroup/v2"
REC="$TMP/day.jsonl"
record() { # record ARGS...: glass recording the fixture tree into $REC
	"$GLASS" -b --no-local --cgroup-root "$FIX" --format json --record "$REC" "$@" >"$TMP/stdout" 2>>"$TMP/record.err"
}
# lines_ok FILE: every line is a whole JSON document
lines_ok() {
	"$PYTHON3" -c '
import json, sys
data = open(sys.argv[1], "rb").read()
assert not data or data.endswith(b"\n"), "a partial last line"
for i, l in enumerate(data.splitlines(), 1):
    json.loads(l)
' "$1"
}

# ---- a partial last line, as a SIGKILL mid-write leaves it: the next
# --record cuts it instead of gluing the next snapshot onto it
record -n 2 -d 0.1
printf '{"schema_version": 1, "glass_version": "0.1.0", "time": "2026-' >>"$REC"
record -n 2 -d 0.1
check "a restarted --record leaves only whole lines" lines_ok "$REC"
check "... 4 snapshots in it" test "$(wc -l <"$REC")" -eq 4
check "... and says it cut the partial line, once" test "$(grep -c 'truncated last line (.* bytes) cut' "$TMP/record.err")" -eq 1
"$GLASS" --replay "$REC" -b --format json >"$TMP/replayed" 2>"$TMP/replay.err"
rc=$?
check "replay shows all 4, exit 0, no warning (exit $rc, $(wc -l <"$TMP/replayed") shown)" \
	test "$rc" -eq 0 -a "$(wc -l <"$TMP/replayed")" -eq 4 -a ! -s "$TMP/replay.err"

# ---- 30 SIGKILLs at random moments, each followed by a restart, as the
# issue's loop: every snapshot that was written whole replays
: >"$REC"
i=0
while [ "$i" -lt 30 ]; do
	"$GLASS" -b --no-local --cgroup-root "$FIX" --format json --record "$REC" -n 0 -d 0.01 \
		>"$TMP/loop.out" 2>>"$TMP/record.err" &
	pid=$!
	sleep "0.$(($(od -An -N1 -tu1 /dev/urandom) % 20 + 5))"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	i=$((i + 1))
done
record -n 1 -d 0.01
whole=$("$PYTHON3" -c '
import json, sys
n = 0
for l in open(sys.argv[1], "rb").read().split(b"\n"):
    try:
        json.loads(l); n += 1
    except ValueError:
        pass
print(n)' "$REC")
"$GLASS" --replay "$REC" -b --format json >"$TMP/replayed" 2>"$TMP/replay.err"
rc=$?
shown=$(wc -l <"$TMP/replayed")
check "30 kill-and-restart cycles: replay shows every whole snapshot ($shown of $whole), exit $rc" \
	test "$rc" -eq 0 -a "$shown" -eq "$whole" -a "$whole" -gt 0
check "... and no line is bad" test ! -s "$TMP/replay.err"

# ---- a bad line in the middle (two recordings glued, a stray edit):
# skipped with a warning naming file:line, the rest still shown
"$GLASS" -b --no-local --cgroup-root "$FIX" --format json --record "$TMP/four.jsonl" -n 4 -d 0.05 >/dev/null 2>&1
head -n 2 "$TMP/four.jsonl" >"$TMP/mid.jsonl"
echo '{"schema_version": 1, "glass_version": "0.1.0", "tree": {"id": "site"' >>"$TMP/mid.jsonl"
echo 'not json at all' >>"$TMP/mid.jsonl"
sed -n 3,4p "$TMP/four.jsonl" >>"$TMP/mid.jsonl"
"$GLASS" --replay "$TMP/mid.jsonl" -b --format json >"$TMP/mid.out" 2>"$TMP/mid.err"
rc=$?
check "a bad line mid-file: the 4 good snapshots shown, exit 0 (exit $rc, $(wc -l <"$TMP/mid.out") shown)" \
	test "$rc" -eq 0 -a "$(wc -l <"$TMP/mid.out")" -eq 4
check "... one warning per bad line, naming file:line" \
	test "$(grep -c "^glass: $TMP/mid.jsonl:[34]: warning: .*; line skipped$" "$TMP/mid.err")" -eq 2 -a \
	"$(wc -l <"$TMP/mid.err")" -eq 2
check "... -n 2 counts good snapshots: two shown" \
	test "$("$GLASS" --replay "$TMP/mid.jsonl" -b -n 2 --format json 2>/dev/null | wc -l)" -eq 2

# ---- nothing to show: an empty file, a file of one truncated line
: >"$TMP/empty.jsonl"
expect_error 1 "an empty file: no snapshot, exit 1" "no snapshot in the file" --replay "$TMP/empty.jsonl" -b
head -c 300 "$REC" >"$TMP/trunc.jsonl"
"$GLASS" --replay "$TMP/trunc.jsonl" -b >"$TMP/trunc.out" 2>"$TMP/trunc.err"
rc=$?
check "only a truncated line: exit 1 (got $rc), nothing on stdout" test "$rc" -eq 1 -a ! -s "$TMP/trunc.out"
check "... the warning for the line, then 'no snapshot in the file'" \
	test "$(sed -n 1p "$TMP/trunc.err" | grep -c 'trunc.jsonl:1: warning: truncated last line; line skipped')" -eq 1 -a \
	"$(sed -n 2p "$TMP/trunc.err" | grep -c 'no snapshot in the file')" -eq 1
finish
