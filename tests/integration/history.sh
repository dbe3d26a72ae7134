#!/bin/sh
# The history store end to end: a one-shot verdict from 3 days of history,
# a recorder and readers on one file at once, SIGKILL of the recorder,
# corrupt and truncated files, read-only files and directories, a full disk.
. "$(dirname "$0")/lib.sh"

FIX="$SRCDIR/tests/fixtures/cgroup/v2"
GEN="$SRCDIR/tests/bench/history_gen.py"
WEB='ct:vm/machine.slice/machine-qemu\x2d1\x2dweb\x2dvm.scope'
SRC="--no-local --cgroup-root $FIX"
chmod 755 "$TMP"

# samples DB: the cpu samples of web-vm in the store, read with python's
# own sqlite3 (the blob layout is history.h's: varints).
samples() {
	"$PYTHON3" - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
width = db.execute("SELECT value FROM meta WHERE key='bucket_s'").fetchone()[0]
def varint(b, p):
    r = s = 0
    while True:
        c = b[p]; p += 1; r |= (c & 0x7f) << s; s += 7
        if not c & 0x80:
            return r, p
total = 0
for span, data in db.execute("SELECT span, data FROM buckets b JOIN nodes n ON n.id=b.node"
                             " WHERE n.name LIKE '%web%vm.scope'"):
    mask, p = varint(data, 0)
    for slot in range(12 if span == width else 1):
        if not mask >> slot & 1:
            continue
        for res in range(2):
            n, p = varint(data, p)
            if n:
                _, p = varint(data, p)
                _, p = varint(data, p)
            _, p = varint(data, p)
            if res == 0:
                total += n
    assert p == len(data), "a blob longer than its buckets"
print(total)
PY
}

# Recorders still running when the test ends (a failed check) are stopped.
BG=""
stop_bg() { for p in $BG; do kill -KILL "$p" 2>/dev/null; done; }
on_exit stop_bg

# until_true SECONDS COMMAND...: polls the command (a loaded machine, or
# valgrind, may be ten times slower than a fixed sleep expects).
until_true() {
	limit=$(($1 * 5))
	shift
	i=0
	while [ $i -lt $limit ]; do
		"$@" && return 0
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}
# lines_at_least N FILE
lines_at_least() { [ -f "$2" ] && [ "$(wc -l <"$2")" -ge "$1" ]; }

# stop_recorder PID: SIGTERM, and its exit status.
stop_recorder() {
	kill -TERM "$1" 2>/dev/null
	wait "$1"
}

# --- the one-shot verdict: 3 days of a 2-core cgroup at 0.1 core --------
"$GLASS" -b -n 1 -d 0.1 $SRC --no-history --format json >"$TMP/tpl.json" 2>"$TMP/tpl.err"
now=$(date +%s)
"$PYTHON3" "$GEN" "$TMP/tpl.json" "$TMP/3d.jsonl" --start $((now - 3 * 86400)) --step 300 \
	--count 864 --node "$WEB" --cpu 0.1 --spike 0.3
"$GLASS" --replay "$TMP/3d.jsonl" --history "$TMP/3d.db" >/dev/null 2>"$TMP/replay.err"
rc=$?
check "a recording replayed into a store: exit 0 ($rc), no stderr" \
	sh -c 'test $1 -eq 0 && test ! -s "$2"' _ $rc "$TMP/replay.err"
"$GLASS" -b --idle --window 3d -n 1 -d 0.1 $SRC --history "$TMP/3d.db" --format json \
	>"$TMP/verdict.json" 2>"$TMP/verdict.err"
"$PYTHON3" - "$TMP/verdict.json" >"$TMP/verdict.out" 2>&1 <<'PY'
import json, sys
d = json.loads(open(sys.argv[1]).readline())
flagged = d["idle_holders"] + d["idle_nested"]
web = [n for n in flagged if n["name"] == "web-vm"]
assert web, "web-vm not flagged: %s" % [n["name"] for n in flagged]
cpu = web[0]["idle"]["cpu"]
assert cpu["idle"] and not cpu["provisional"], cpu
assert cpu["observed_seconds"] >= 3 * 86400 - 600, cpu
assert abs(cpu["utilization"] - 0.1 / 2 * (1 + 2 / 288) ) < 0.01, cpu
# days of history: the max of daily peaks (0.3), not p95 0.1 + 25%
assert abs(cpu["right_size_cores"] - 0.3) < 1e-9, cpu
print("ok", cpu["utilization"], cpu["right_size_cores"], cpu["observed_seconds"])
PY
check "glass -b --idle --window 3d -n 1: web-vm idle from history, not provisional, hint 0.3 ($(tail -1 "$TMP/verdict.out"))" \
	grep -q '^ok' "$TMP/verdict.out"
"$GLASS" -b --idle --window 3d -n 1 -d 0.1 $SRC --history "$TMP/3d.db" >"$TMP/verdict.txt" 2>&1
check "the text list says 'idle', not 'idle?', with 2 -> 0.30 cores" \
	grep -Eq '^web-vm +container +vm +idle [0-9.]+c .*2 → 0.30 cores' "$TMP/verdict.txt"
"$GLASS" -b --idle --window 3d -n 1 -d 0.1 $SRC --no-history >"$TMP/nohist.txt" 2>&1
check "--no-history: the same run is provisional" grep -Eq '^web-vm .* idle\? ' "$TMP/nohist.txt"
"$GLASS" -b --idle --window 3d -n 1 -d 0.1 $SRC --history "$TMP/none.db" >/dev/null 2>"$TMP/none.err"
rc=$?
check "a one-shot run with a missing store: exit 0 ($rc), no stderr, no file made" \
	sh -c 'test $1 -eq 0 && test ! -s "$2" && test ! -e "$3"' _ $rc "$TMP/none.err" "$TMP/none.db"

# --- a recorder and readers on one file at once (1-second buckets) -------
# The readers take -d 1: at -d 0.1 a machine loaded far past its cores can
# leave the fixture's first reading later than the snapshot's grace, which
# is glass's "no source could be sampled", not the store's doing.
printf 'history.bucket = 1\n' >"$TMP/rc"
"$GLASS" -b -n 0 -d 0.2 $SRC -C "$TMP/rc" --history "$TMP/live.db" --record "$TMP/live.jsonl" \
	>/dev/null 2>"$TMP/rec.err" &
rec=$!
BG="$BG $rec"
readers_ok=1
i=0
while [ $i -lt 12 ]; do
	"$GLASS" -b --idle -n 1 -d 1 $SRC -C "$TMP/rc" --history "$TMP/live.db" >"$TMP/r.out" \
		2>"$TMP/r.err" || readers_ok=0
	[ -s "$TMP/r.err" ] && { readers_ok=0; cat "$TMP/r.err"; }
	i=$((i + 1))
done
stop_recorder $rec
check "recorder: exit 0 on SIGTERM, no stderr" sh -c 'test $1 -eq 0 && test ! -s "$2"' _ $? "$TMP/rec.err"
check "12 readers beside the recorder: all exit 0, nothing on stderr (no 'database is locked')" \
	test $readers_ok -eq 1
snaps=$(wc -l <"$TMP/live.jsonl")
got=$(samples "$TMP/live.db")
check "no lost bucket: every one of the $snaps snapshots is a sample in the store ($got)" \
	test "$got" = "$snaps"

# --- readers racing a recorder that is making a new store -----------------
# The store's schema commits while the readers look at it: each reader sees
# no store yet or the whole schema, never "other tables in it".
race_ok=1
k=0
while [ $k -lt 8 ]; do
	rm -f "$TMP/race.db" "$TMP/race.db-wal" "$TMP/race.db-shm"
	"$GLASS" -b -n 0 -d 0.2 $SRC -C "$TMP/rc" --history "$TMP/race.db" >/dev/null 2>&1 &
	rec=$!
	readers=
	for i in 1 2 3; do
		"$GLASS" -b --idle -n 1 -d 1 $SRC -C "$TMP/rc" --history "$TMP/race.db" \
			>/dev/null 2>"$TMP/race$i.err" &
		readers="$readers $!"
	done
	for pid in $readers; do
		wait "$pid" || race_ok=0
	done
	for i in 1 2 3; do
		[ -s "$TMP/race$i.err" ] && { race_ok=0; cat "$TMP/race$i.err"; }
	done
	stop_recorder $rec
	k=$((k + 1))
done
check "24 readers racing 8 recorders making the store: all exit 0, nothing on stderr" \
	test $race_ok -eq 1

# --- SIGKILL mid-write loses at most the last bucket ----------------------
"$GLASS" -b -n 0 -d 0.1 $SRC -C "$TMP/rc" --history "$TMP/kill.db" --record "$TMP/kill.jsonl" \
	>/dev/null 2>&1 &
rec=$!
BG="$BG $rec"
until_true 60 lines_at_least 30 "$TMP/kill.jsonl"
kill -KILL $rec
wait $rec 2>/dev/null
snaps=$(wc -l <"$TMP/kill.jsonl")
got=$(samples "$TMP/kill.db")
# a 1-second bucket holds 10 samples at -d 0.1, and one tick may be in flight
check "SIGKILL: $got of $snaps samples kept (at most the last bucket lost)" \
	test "$got" -ge $((snaps - 11)) -a "$got" -le "$snaps"
"$GLASS" -b -n 0 -d 0.1 $SRC -C "$TMP/rc" --history "$TMP/kill.db" >/dev/null \
	2>"$TMP/kill2.err" &
rec=$!
BG="$BG $rec"
sleep 1
stop_recorder $rec
check "after SIGKILL the store opens clean (no 'moved aside')" \
	sh -c 'test $1 -eq 0 && test ! -s "$2" && ! ls "$3".corrupt-* >/dev/null 2>&1' _ $? \
	"$TMP/kill2.err" "$TMP/kill.db"

# --- a corrupt or truncated file is moved aside, with one line ------------
head -c 20000 /dev/urandom >"$TMP/junk.db"
"$GLASS" -b --idle -n 1 -d 0.1 $SRC --history "$TMP/junk.db" >"$TMP/junk.out" 2>"$TMP/junk.err"
check "a reader of a corrupt store: one line, exit 0, the snapshot still shown, the file left" \
	sh -c 'test $1 -eq 0 && test $(wc -l <"$2") -eq 1 && grep -q "^glass: history .*junk.db: .*history off" "$2" &&
		grep -q "^idle: " "$3" && test -e "$4" && ! ls "$4".corrupt-* >/dev/null 2>&1' _ $? \
	"$TMP/junk.err" "$TMP/junk.out" "$TMP/junk.db"
corrupt_case() { # NAME FILE
	"$GLASS" -b -n 0 -d 0.2 $SRC --history "$2" --format json >"$TMP/$1.out" 2>"$TMP/$1.err" &
	pid=$!
	BG="$BG $pid"
	until_true 60 lines_at_least 2 "$TMP/$1.out"
	stop_recorder $pid
	rc=$?
	check "$1 store, recorder: exit 0, one line 'moved aside', snapshots still written: $(head -1 "$TMP/$1.err")" \
		sh -c 'test $1 -eq 0 && test $(wc -l <"$2") -eq 1 && grep -q "moved aside to .*\.corrupt-[0-9]*, a new store made" "$2" &&
			test $(wc -l <"$3") -ge 2' _ $rc "$TMP/$1.err" "$TMP/$1.out"
	check "$1 store: the old file kept as FILE.corrupt-<time>, a new store in its place" \
		sh -c 'ls "$1".corrupt-* >/dev/null 2>&1 && test "$(cd "$(dirname "$1")" && "$2" -c "import sqlite3; print(sqlite3.connect(\"$(basename "$1")\").execute(\"pragma user_version\").fetchone()[0])")" = 1' \
		_ "$2" "$PYTHON3"
}
corrupt_case corrupt "$TMP/junk.db"
cp "$TMP/3d.db" "$TMP/trunc.db"
size=$(wc -c <"$TMP/trunc.db")
truncate -s $((size / 2)) "$TMP/trunc.db"
corrupt_case truncated "$TMP/trunc.db"

# --- read-only file and directory -----------------------------------------
# root writes anything: the cases run as nobody when glass runs as root.
AS=""
[ "$(id -u)" -eq 0 ] && AS="setpriv --reuid=65534 --regid=65534 --clear-groups --"
if [ "$(id -u)" -eq 0 ] && ! command -v setpriv >/dev/null 2>&1; then
	say "SKIP read-only cases: running as root and setpriv (util-linux) is missing"
else
	mkdir "$TMP/rofile" "$TMP/rodir"
	cp "$TMP/3d.db" "$TMP/rofile/h.db"
	cp "$TMP/3d.db" "$TMP/rodir/h.db"
	chmod 444 "$TMP/rofile/h.db"
	chmod 777 "$TMP/rofile"
	chmod 666 "$TMP/rodir/h.db"
	chmod 555 "$TMP/rodir"
	for d in rofile rodir; do
		$AS "$GLASS" -b -n 0 -d 0.2 $SRC --history "$TMP/$d/h.db" --format json \
			>"$TMP/$d.out" 2>"$TMP/$d.err" &
		pid=$!
		BG="$BG $pid"
		until_true 60 lines_at_least 2 "$TMP/$d.out"
		stop_recorder $pid
		rc=$?
		check "$d: recorder says it in one line and keeps sampling: $(head -1 "$TMP/$d.err")" \
			sh -c 'test $1 -eq 0 && test $(wc -l <"$2") -eq 1 && grep -q "^glass: history .*h.db: .*history off for this run" "$2" &&
				test $(wc -l <"$3") -ge 2' _ $rc "$TMP/$d.err" "$TMP/$d.out"
		$AS "$GLASS" -b --idle --window 3d -n 1 -d 0.1 $SRC --history "$TMP/$d/h.db" \
			>"$TMP/$d.r.out" 2>"$TMP/$d.r.err"
		check "$d: a reader still reads it (web-vm idle from history)" \
			sh -c 'test ! -s "$1" && grep -Eq "^web-vm .* idle [0-9.]+c" "$2"' _ "$TMP/$d.r.err" "$TMP/$d.r.out"
	done
	chmod 755 "$TMP/rodir"
fi

# --- disk full: a small tmpfs -------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
	say "SKIP disk-full case: mounting a small tmpfs needs root"
elif ! mkdir "$TMP/full" || ! mount -t tmpfs -o size=256k tmpfs "$TMP/full" 2>"$TMP/mount.err"; then
	say "SKIP disk-full case: cannot mount a tmpfs here: $(cat "$TMP/mount.err")"
else
	unmount_full() { umount "$TMP/full" 2>/dev/null || umount -l "$TMP/full"; }
	on_exit unmount_full
	"$GLASS" -b -n 0 -d 0.1 $SRC -C "$TMP/rc" --history "$TMP/full/h.db" --record "$TMP/full.jsonl" \
		--format json >"$TMP/full.out" 2>"$TMP/full.err" &
	pid=$!
	BG="$BG $pid"
	# a few 1-second buckets written first
	until_true 60 lines_at_least 30 "$TMP/full.out"
	# fill the rest of the disk: the next buckets cannot be written
	dd if=/dev/zero of="$TMP/full/filler" bs=4k 2>/dev/null
	until_true 60 grep -q "database or disk is full" "$TMP/full.err"
	lines_full=$(wc -l <"$TMP/full.out")
	check "disk full: glass kept sampling (snapshots went on after the disk filled)" \
		until_true 60 lines_at_least $((lines_full + 5)) "$TMP/full.out"
	rm -f "$TMP/full/filler"
	check "disk full: writing again once there is room" \
		until_true 60 grep -q "history .*: writing again" "$TMP/full.err"
	stop_recorder $pid
	rc=$?
	check "disk full: exit 0, said once: $(grep -m1 full "$TMP/full.err")" \
		sh -c 'test $1 -eq 0 && test $(grep -c "database or disk is full" "$2") -eq 1' _ $rc "$TMP/full.err"
	snaps=$(wc -l <"$TMP/full.jsonl")
	got=$(samples "$TMP/full/h.db")
	check "disk full: the buckets kept in memory landed: $got of $snaps samples" test "$got" = "$snaps"
fi

finish
