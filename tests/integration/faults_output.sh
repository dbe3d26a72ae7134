#!/bin/sh
# -o FILE as a textfile writer must behave: a full disk is said once and
# retried every interval (and so is --record), a glass killed between
# writing and renaming leaves no temporary for good, and a target that is
# not a regular file is written into, never renamed over.
. "$(dirname "$0")/lib.sh"

FIX="$SRCDIR/tests/fixtures/cgroup/v2"

# ---- SIGKILL during -o: the temporaries of the killed runs are gone
# after the next start; nobody else's files are touched
OUT="$TMP/out/glass.json"
mkdir -p "$TMP/out"
i=0
while [ "$i" -lt 40 ]; do
	"$GLASS" -b --no-local --cgroup-root "$FIX" --format json -o "$OUT" -n 0 -d 0.01 2>/dev/null &
	pid=$!
	sleep "0.$(($(od -An -N1 -tu1 /dev/urandom) % 10 + 5))"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	i=$((i + 1))
done
left=$(find "$TMP/out" -name '.glass.json.*' | wc -l)
say "40 SIGKILLs during -o left $left temporaries"
# a pid that is surely gone, one that runs (this shell), another file's
sh -c 'exit 0' &
dead=$!
wait "$dead"
touch "$TMP/out/.glass.json.glass-$dead-AbC123" "$TMP/out/.glass.json.glass-$$-AbC123" \
	"$TMP/out/.other.json.glass-$dead-AbC123" "$TMP/out/.glass.json.backup" "$TMP/out/notes.txt"
"$GLASS" -b --no-local --cgroup-root "$FIX" --format json -o "$OUT" -d 0.05 2>"$TMP/clean.err"
check "the next start exits 0 with a whole file" "$PYTHON3" -c 'import json,sys; json.load(open(sys.argv[1]))' "$OUT"
check "... no temporary of a dead glass left ($left before)" \
	test -z "$(find "$TMP/out" -name ".glass.json.glass-*" ! -name ".glass.json.glass-$$-*")"
check "... a running writer's temporary stays" test -e "$TMP/out/.glass.json.glass-$$-AbC123"
check "... so do another output's and other files" test -e "$TMP/out/.other.json.glass-$dead-AbC123" -a \
	-e "$TMP/out/.glass.json.backup" -a -e "$TMP/out/notes.txt"

# ---- a FIFO (or /dev/null) as -o: written into, still a FIFO after
mkfifo "$TMP/pipe"
cat "$TMP/pipe" >"$TMP/pipe.out" &
reader=$!
"$GLASS" -b --no-local --cgroup-root "$FIX" --format json -o "$TMP/pipe" -d 0.05 2>"$TMP/pipe.err"
rc=$?
i=0
while kill -0 "$reader" 2>/dev/null && [ "$i" -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
kill "$reader" 2>/dev/null # a glass that renamed over the FIFO never opened it
wait "$reader" 2>/dev/null
check "-o onto a FIFO: exit 0 (got $rc), the reader gets the snapshot" \
	"$PYTHON3" -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/pipe.out"
check "... and the FIFO is still a FIFO" test -p "$TMP/pipe"

# ---- a full disk: said once, retried every interval, said again when
# it passes; --record on the same disk holds whole lines only
if [ "$(id -u)" -ne 0 ]; then
	say "SKIP (this part): mounting a small tmpfs for a full disk needs root"
	finish
fi
MNT="$TMP/small"
mkdir -p "$MNT"
mount -t tmpfs -o size=2m tmpfs "$MNT" || { say "SKIP (this part): cannot mount a tmpfs here"; finish; }
unmount() { umount "$MNT" 2>/dev/null || umount -l "$MNT"; }
on_exit unmount
"$GLASS" -b --no-local --cgroup-root "$FIX" --format json -o "$MNT/glass.json" --record "$MNT/rec.jsonl" \
	-n 0 -d 0.1 2>"$TMP/full.err" &
gpid=$!
stop_glass() { kill "$gpid" 2>/dev/null; wait "$gpid" 2>/dev/null; return 0; }
on_exit stop_glass
sleep 0.6
# fill the disk: both writes fail from now on
dd if=/dev/zero of="$MNT/filler" bs=64k 2>/dev/null
sleep 1.5
seq_full=$(json_get "$MNT/glass.json" 'd["sequence"]')
check "full: glass keeps running" kill -0 "$gpid"
check "full: -o's failure said once ($(grep -c 'glass.json: No space left on device; retrying every interval' "$TMP/full.err"))" \
	test "$(grep -c 'glass.json: No space left on device; retrying every interval' "$TMP/full.err")" -eq 1
check "full: --record's failure said once" \
	test "$(grep -c 'rec.jsonl: No space left on device; retrying every interval' "$TMP/full.err")" -eq 1
rm -f "$MNT/filler"
sleep 1
seq_back=$(json_get "$MNT/glass.json" 'd["sequence"]')
check "space again: the file is written again (sequence $seq_full -> $seq_back)" test "$seq_back" -gt "$((seq_full + 3))"
check "space again: said once each" test "$(grep -c 'written again' "$TMP/full.err")" -eq 2
stop_glass
check "no temporary left on the full disk" test -z "$(find "$MNT" -name '.glass.json.*')"
check "the record holds whole lines only" "$PYTHON3" -c '
import json, sys
data = open(sys.argv[1], "rb").read()
assert data.endswith(b"\n")
for l in data.splitlines():
    json.loads(l)' "$MNT/rec.jsonl"
"$GLASS" --replay "$MNT/rec.jsonl" -b --format json >"$TMP/rep.out" 2>"$TMP/rep.err"
check "... and replays without a warning ($(wc -l <"$TMP/rep.out") snapshots)" test ! -s "$TMP/rep.err"

# ---- -n 1 onto a full disk: the failure is the exit status
dd if=/dev/zero of="$MNT/filler" bs=64k 2>/dev/null
"$GLASS" -b --no-local --cgroup-root "$FIX" --format json -o "$MNT/glass.json" -d 0.05 2>"$TMP/one.err"
rc=$?
check "-n 1 on a full disk: exit 1 (got $rc), one line saying why" \
	test "$rc" -eq 1 -a "$(wc -l <"$TMP/one.err")" -eq 1 -a "$(grep -c 'No space left' "$TMP/one.err")" -eq 1
finish
