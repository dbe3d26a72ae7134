#!/bin/bash
# The detail pane draws a week of use from the history store: a store
# holding 3 days of web-vm at 0.1 of its 2 cores (written by glass's own
# code, a generated recording replayed into it), and the pane of web-vm
# shows a "cpu 7 days" sparkline "from history"; without the store the
# line is not there.
. "$(dirname "$0")/../integration/lib.sh"

FIX="$SRCDIR/tests/fixtures/cgroup/v2"
GEN="$SRCDIR/tests/bench/history_gen.py"
TUI_SOURCE_ARGS="--no-local --cgroup-root $FIX --threshold 100"
. "$(dirname "$0")/lib_tui.sh"

# The store's ids name the host as the TUI's glass will see it: under
# lib_tui's fixed hostname when it has one.
as_tui_host() {
	if [ "$TUI_UTS" = yes ]; then
		unshare --uts "$PYTHON3" -c 'import os, socket, sys
socket.sethostname(sys.argv[1].encode("latin-1")); os.execv(sys.argv[2], sys.argv[2:])' \
			"$(printf "$TUI_HOST")" "$@"
	else
		"$@"
	fi
}
as_tui_host "$GLASS" -b -n 1 -d 0.1 --no-local --cgroup-root "$FIX" --no-history --format json \
	>"$TMP/tpl.json" 2>"$TMP/tpl.err"
web=$("$PYTHON3" -c 'import json, sys
def walk(n):
    yield n
    for c in n.get("children", []):
        yield from walk(c)
d = json.loads(open(sys.argv[1]).readline())
print([n["id"] for n in walk(d["tree"]) if n["name"] == "web-vm"][0])' "$TMP/tpl.json")
now=$(date +%s)
"$PYTHON3" "$GEN" "$TMP/tpl.json" "$TMP/3d.jsonl" --start $((now - 3 * 86400)) --step 300 \
	--count 864 --node "$web" --cpu 0.1
"$GLASS" --replay "$TMP/3d.jsonl" --history "$TMP/3d.db" >/dev/null 2>"$TMP/replay.err"
rc=$?
check "3 days of $web replayed into a store (exit $rc)" sh -c 'test $1 -eq 0 && test -s "$2"' _ $rc "$TMP/3d.db"

tui_start hist 120 40 --history "$TMP/3d.db"
tui_start none 120 40 --no-history
for s in hist none; do
	check "$s: the tree comes up" tui_wait $s "web-vm" 15
	tui_keys $s / w e b - v m Enter d
	check "$s: d shows web-vm's details" tui_wait $s "^ kind +container" 5
done
# 60 cells over 7 days: the last 3 days' cells are known, at 5% of 2 cores
check "with the store: a week of cpu from history" \
	tui_wait hist "^ cpu 7 days +.+ used of given, from history$" 5
check "... and of memory" tui_wait hist "^ mem 7 days +.+ used of given, from history$" 5
check "with the store: web-vm judged from history, not provisional" tui_wait hist "^ idle +idle [0-9.]+c" 5
check "--no-history: provisional" tui_wait none "^ idle +idle\\? [0-9.]+c" 5
check "--no-history: the refreshes' history only" tui_wait none "^ cpu used/given " 5
if tui_capture none | grep -q "from history"; then
	fail "--no-history: no line from history"
else
	pass "--no-history: no line from history"
fi
for s in hist none; do
	tui_keys $s Escape q
	check "q quits $s with status 0" tui_wait $s "glass-exit=0" 5
	check "no stderr from $s" test ! -s "$TMP/$s.err"
done
finish
