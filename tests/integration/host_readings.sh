#!/bin/sh
# The local host's readings against the kernel's, read around the same
# snapshot: PSI against /proc/pressure, each filesystem's available space
# in text output against statvfs (df), and CPU used never above the
# logical CPUs while every CPU is kept busy.
. "$(dirname "$0")/lib.sh"

host() { json_get "$1" "[c for c in d['tree']['children'] if c['kind']=='host'][0]$2"; }

# --- PSI: avg10 moves every 2 s; a snapshot taken between two reads of
# /proc/pressure holds one of them (or a value between, when the kernel
# updated twice).
if [ -r /proc/pressure/cpu ]; then
	psi() { for r in cpu memory io; do sed -n "s/^some avg10=\([0-9.]*\).*/$r \1/p" /proc/pressure/$r; done; }
	psi >"$TMP/psi.before"
	"$GLASS" -b -n 1 -d 0.2 --format json >"$TMP/psi.json" 2>"$TMP/psi.err"
	rc=$?
	psi >"$TMP/psi.after"
	check "glass exits 0 with no stderr" sh -c '[ "$1" -eq 0 ] && [ ! -s "$2" ]' _ "$rc" "$TMP/psi.err"
	res=$("$PYTHON3" - "$TMP/psi.json" "$TMP/psi.before" "$TMP/psi.after" <<'PY'
import json, sys
d = json.loads(open(sys.argv[1]).readline())
h = [c for c in d["tree"]["children"] if c["kind"] == "host"][0]
before = dict(l.split() for l in open(sys.argv[2]))
after = dict(l.split() for l in open(sys.argv[3]))
out, ok = [], True
for r in ("cpu", "memory", "io"):
    g = h["pressure"][r + "_some"]
    lo, hi = sorted((float(before[r]), float(after[r])))
    good = g is not None and lo - 0.01 <= g <= hi + 0.01
    ok = ok and good
    out.append("%s %s in [%.2f, %.2f]" % (r, g, lo, hi))
print(("ok " if ok else "FAIL ") + ", ".join(out))
PY
)
	check "host PSI (some avg10) agrees with /proc/pressure ($res)" test "${res%% *}" = ok
	line=$("$GLASS" -b -n 1 -d 0.2 | grep -m1 'pressure (some, avg10) cpu')
	check "text output shows the host's pressure ($line)" test -n "$line"
else
	# A kernel without PSI: the host's pressure is null, never 0.
	"$GLASS" -b -n 1 -d 0.2 --format json >"$TMP/psi.json" 2>/dev/null
	got=$(host "$TMP/psi.json" "['pressure']['cpu_some']")
	check "no /proc/pressure here: the host's cpu pressure is null ($got)" test "$got" = None
fi

# --- filesystems: available space of / in text, as statvfs has it now
# (f_bavail; the bytes may move between the two reads: within 1%).
"$GLASS" -b -n 1 -d 0.2 >"$TMP/text" 2>"$TMP/text.err"
avail=$("$PYTHON3" -c 'import os; s = os.statvfs("/"); print(s.f_bavail * s.f_frsize)')
line=$(grep -m1 '^ *fs /  ' "$TMP/text")
check "text output lists / with its available space ($line)" sh -c 'echo "$1" | grep -q " available"' _ "$line"
json_avail=$("$GLASS" -b -n 1 -d 0.2 --format json | "$PYTHON3" -c '
import json, sys
d = json.load(sys.stdin)
print([f for c in d["tree"]["children"] if c["kind"] == "host" for f in c["filesystems"] if f["mount"] == "/"][0]["available_bytes"])')
check "JSON available_bytes of / within 1% of statvfs ($json_avail vs $avail)" \
	"$PYTHON3" -c "import sys; a, b = $json_avail, $avail; sys.exit(0 if abs(a - b) <= 0.01 * b else 1)"
shown=$(echo "$line" | sed -n 's/.*, \([^ ]*\) available.*/\1/p')
want=$("$PYTHON3" - "$avail" <<'PY'
import sys
v = float(sys.argv[1])
for u in "BKMGTP":
    if v < 1024 or u == "P":
        break
    v /= 1024
print(u, v)
PY
)
check "the text's available space has statvfs's unit ($shown; statvfs: $want)" \
	sh -c 'case "$1" in *"${2%% *}") exit 0 ;; *) exit 1 ;; esac' _ "$shown" "$want"

# --- CPU used is held to the logical CPUs: every CPU kept busy, several
# short snapshots (where the clock and the busy ticks drift apart most).
ncpu=$(getconf _NPROCESSORS_ONLN)
BURN=
stop_burn() { for p in $BURN; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; return 0; }
on_exit stop_burn
i=0
while [ $i -lt "$ncpu" ]; do
	sh -c 'while :; do :; done' &
	BURN="$BURN $!"
	i=$((i + 1))
done
"$GLASS" -b -n 10 -d 0.1 --format json >"$TMP/burn.jsonl" 2>"$TMP/burn.err"
stop_burn
BURN=
res=$("$PYTHON3" - "$TMP/burn.jsonl" "$ncpu" <<'PY'
import json, sys
used = []
for l in open(sys.argv[1]):
    d = json.loads(l)
    # on a loaded machine the host source may not have answered yet
    # (the cgroup source's bare host node stands in until then)
    for h in [c for c in d["tree"]["children"] if c["kind"] == "host"]:
        if h["cpu_cores_used"] is not None:
            assert h["cpu_cores_allocated"] == int(sys.argv[2]), h["cpu_cores_allocated"]
            used.append(h["cpu_cores_used"])
bad = [u for u in used if u > int(sys.argv[2])]
print(("FAIL " if bad or len(used) < 3 else "ok ") + "max %s of %s CPUs over %d snapshots with a rate" % (
    max(used) if used else None, sys.argv[2], len(used)))
PY
)
check "host CPU used never above its $ncpu logical CPUs with all of them busy ($res)" test "${res%% *}" = ok
finish
