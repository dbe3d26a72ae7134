#!/bin/sh
# Batch text: a readable tree like top -b, and batch by default off a tty.
. "$(dirname "$0")/lib.sh"

"$GLASS" -n 2 -d 0.2 >"$TMP/out" 2>"$TMP/err" </dev/null
check "without -b and without a tty: batch, exit 0" test $? -eq 0
check "no stderr" test ! -s "$TMP/err"
check "two snapshots" test "$(grep -c '^glass .* snapshot [12] ' "$TMP/out")" -eq 2
check "a column header" grep -q '^NAME .* KIND .* CPU_ALLOC .* MEM_USED' "$TMP/out"
check "the site line" grep -q '^site  *site' "$TMP/out"
hn=$(uname -n)
check "the local host line, indented, with its cpus ($hn)" \
	grep -Eq "^  $hn +host +up +$(getconf _NPROCESSORS_ONLN)(\.00)? " "$TMP/out"
check "the sources line" grep -q '^sources: 2 ok$' "$TMP/out"
check "the load line" grep -Eq '^ +load [0-9.]+ [0-9.]+ [0-9.]+' "$TMP/out"
check "no control bytes in text output" sh -c '! LC_ALL=C grep -q "[[:cntrl:]]" "$1"' _ "$(tr -d '\n' <"$TMP/out" >"$TMP/flat"; echo "$TMP/flat")"

# Long ids and pod names are cut with an ellipsis to their column: every
# row's columns start where the header's do; a column of cores prints
# every row with the same decimals ("1.00" beside "1.50", never "1").
"$GLASS" -b -n 1 -d 0.1 --no-local --cgroup-root "$SRCDIR/tests/fixtures/cgroup/v2" \
	--fields id,kind,cpu_cores_allocated,memory_bytes_allocated >"$TMP/cut" 2>"$TMP/cut.err"
check "a long pod name is cut with an ellipsis" grep -Eq '^    pod-4b1f2c3d-[0-9a-f-]+… +[^ ]+ +group ' "$TMP/cut"
check "a long id is cut with an ellipsis" grep -q ' ct:vm/system.slice/dock… ' "$TMP/cut"
"$PYTHON3" - "$TMP/cut" <<'PY' >"$TMP/cut.check"
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
head = next(i for i, l in enumerate(lines) if l.startswith("NAME "))
title = lines[head]
# where each header's column ends (numbers are right-aligned under it)
kind_at = title.index("KIND")
cpu_end = title.index("CPU_ALLOC") + len("CPU_ALLOC")
bad = []
cpus = []
for l in lines[head + 2:]:
    if not l.startswith("  ") or l.strip().startswith(("load ", "fs ")):
        continue
    if l[kind_at - 1] != " " or l[kind_at] == " ":
        bad.append("KIND moved: " + l)
    cell = l[:cpu_end].split()[-1]
    if l[cpu_end:cpu_end + 1] not in ("", " "):
        bad.append("CPU_ALLOC moved: " + l)
    if cell not in ("—", "-"):
        cpus.append(cell)
if not cpus or len({len(c.split(".")[1]) if "." in c else 0 for c in cpus}) != 1:
    bad.append("mixed decimals: %s" % cpus)
print("\n".join(bad) if bad else "ok")
PY
check "every row's columns line up under the header ($(head -1 "$TMP/cut.check"))" \
	test "$(cat "$TMP/cut.check")" = ok
check "cores with two decimals in every row of the column" grep -Eq ' container +1\.50 ' "$TMP/cut"
check "... the whole ones too" grep -Eq ' group +1\.00 ' "$TMP/cut"

# In a non-UTF-8 locale unknowns are '-', never a raw UTF-8 dash.
LC_ALL=C "$GLASS" -b -d 0.1 >"$TMP/c" 2>/dev/null
check "C locale output is ASCII" sh -c '! LC_ALL=C grep -q "[^ -~]" "$1"' _ "$TMP/c"
finish
