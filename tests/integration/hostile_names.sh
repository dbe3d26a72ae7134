#!/bin/bash
# Hostile names end to end: VMs (libvirt test driver), containers (a
# fixture cgroup tree and docker's metadata) and the host (its UTS
# hostname) named with terminal escapes, newlines, quotes, backslashes,
# invalid UTF-8, C1 controls and 4 KiB of text.  Every output (text,
# JSON, CSV, Prometheus, the interactive view in tmux) is parsed back:
# valid, each name exact or escaped as documented, no raw ESC or BEL.
# The names and their checks: tests/tools/hostile_names.py (HOSTILE_KEEP=PREFIX
# keeps a copy of what failed to parse, and of the screen).
. "$(dirname "$0")/lib.sh"

HN="$SRCDIR/tests/tools/hostile_names.py"
IN="$TMP/in"
if ! "$PYTHON3" "$HN" make "$IN" "$SRCDIR" >"$TMP/make.log" 2>&1; then
	fail "the hostile inputs are written"
	cat "$TMP/make.log"
	finish
fi
SOURCES="-C $IN/glassrc --cgroup-root $IN/cgroup -c test://$IN/node.xml"

# The host's name is its hostname: set to the hostile bytes in a private
# UTS namespace (sethostname takes any bytes; hostname(1) would refuse).
REAL_GLASS=$GLASS
if unshare --uts true >/dev/null 2>&1; then
	cat >"$TMP/glass-uts" <<SH
#!/bin/sh
exec unshare --uts "$PYTHON3" -c 'import os, socket, sys
socket.sethostname(bytes.fromhex(sys.argv[1]))
os.execv(sys.argv[2], sys.argv[2:])' "$("$PYTHON3" "$HN" hostname)" "$REAL_GLASS" "\$@"
SH
	chmod +x "$TMP/glass-uts"
	GLASS="$TMP/glass-uts"
else
	say "SKIP the hostile hostname: no UTS namespace here (needs root and unshare)"
	HOSTILE_NO_HOST=1
	export HOSTILE_NO_HOST
fi

# The checks read the last snapshot: the second, after 2 x DELAY, gives
# a slow libvirt connection (an ASan build on a busy machine) its time.
DELAY=1.5

# run FORMAT OUT [ARGS...]: one batch run on the hostile inputs.
run() {
	fmt=$1
	out=$2
	shift 2
	# shellcheck disable=SC2086
	"$GLASS" -b $SOURCES --format "$fmt" "$@" >"$out" 2>"$out.err" </dev/null
	rc=$?
	check "$fmt: exit 0 ($rc), no stderr" sh -c 'test "$1" -eq 0 && test ! -s "$2"' _ "$rc" "$out.err"
	check "$fmt: no raw ESC or BEL byte" sh -c '! LC_ALL=C grep -q "$(printf "[\033\007]")" "$1"' _ "$out"
}

# parse FORMAT FILE: hostile_names.py reads it back.
parse() {
	if "$PYTHON3" "$HN" check "$1" "$2" >"$2.res" 2>&1; then
		pass "$1: $(tail -1 "$2.res")"
	else
		fail "$1 parsed back:"
		sed 's/^/    /' "$2.res"
		[ -n "${HOSTILE_KEEP:-}" ] && cp "$2" "$HOSTILE_KEEP.$1"
	fi
}

run text "$TMP/out.txt" -n 2 -d $DELAY
parse text "$TMP/out.txt"

run json "$TMP/out.jsonl" -n 2 -d $DELAY
parse json "$TMP/out.jsonl"
if "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/out.jsonl" >"$TMP/v" 2>&1; then
	pass "json: validates against the schema ($(cat "$TMP/v"))"
else
	fail "json: schema validation:"
	sed 's/^/    /' "$TMP/v"
fi

run csv "$TMP/out.csv" -n 2 -d $DELAY
parse csv "$TMP/out.csv"

# one exposition per file: -o rewrites it each time
run prom "$TMP/prom.out" -n 2 -d $DELAY -o "$TMP/out.prom"
parse prom "$TMP/out.prom"
if command -v promtool >/dev/null 2>&1; then
	check "prom: promtool check metrics passes" sh -c 'promtool check metrics <"$1"' _ "$TMP/out.prom"
else
	say "promtool not installed (apt-get install prometheus): only the python parser judged"
	fail "promtool missing"
fi

# the idle list (the docker container is idle: 1.5 cores, none used)
run text "$TMP/idle.txt" --idle -n 1 -d $DELAY
parse idle-text "$TMP/idle.txt"
run json "$TMP/idle.jsonl" --idle -n 1 -d $DELAY
parse idle-json "$TMP/idle.jsonl"

# ---- the same names replayed from glass's own JSON (a recording from
# elsewhere): the control characters come back from the file
tail -n 1 "$TMP/out.jsonl" >"$TMP/rec.jsonl"
HOSTILE_REPLAYED=1
export HOSTILE_REPLAYED
for fmt in text json csv prom; do
	"$REAL_GLASS" --replay "$TMP/rec.jsonl" --format "$fmt" >"$TMP/rep.$fmt" 2>"$TMP/rep.err"
	rc=$?
	check "replay $fmt: exit 0 ($rc), no stderr" sh -c 'test "$1" -eq 0 && test ! -s "$2"' _ "$rc" "$TMP/rep.err"
	parse "$fmt" "$TMP/rep.$fmt"
done
check "replay json: validates against the schema" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/rep.json"
if command -v promtool >/dev/null 2>&1; then
	check "replay prom: promtool check metrics passes" sh -c 'promtool check metrics <"$1"' _ "$TMP/rep.prom"
fi
for fmt in text json; do
	"$REAL_GLASS" --replay "$TMP/rec.jsonl" --idle --format "$fmt" >"$TMP/rep-idle.$fmt" 2>"$TMP/rep.err"
	check "replay --idle $fmt: exit 0, no stderr" test $? -eq 0 -a ! -s "$TMP/rep.err"
	parse "idle-$fmt" "$TMP/rep-idle.$fmt"
done
unset HOSTILE_REPLAYED

# ---- nothing sampled: the one stderr line names the source, escaped
"$GLASS" -b -C "$IN/glassrc-source-only" --no-local -n 1 -d 0.2 >/dev/null 2>"$TMP/only.err" </dev/null
rc=$?
check "stderr: nothing sampled exits 1 ($rc)" test "$rc" -eq 1
if "$PYTHON3" "$HN" stderr "$TMP/only.err" >"$TMP/only.res" 2>&1; then
	pass "$(tail -1 "$TMP/only.res")"
else
	fail "stderr:"
	sed 's/^/    /' "$TMP/only.res"
fi

# ---- the interactive view in tmux: names escaped on screen, the pane's
# title untouched, the screen not cleared by a name
# (lib_tui.sh would skip the whole test without tmux: only this part is)
tui_part() {
	. "$SRCDIR/tests/tui/lib_tui.sh"
	TUI_UTS=no # the wrapper above sets the hostname, with any bytes
	TUI_SOURCE_ARGS=$SOURCES
	tm new-session -d -s base -x 80 -y 5 "sleep 60"
	title_before=$(tm display -p -t base '#{pane_title}')
	tui_start hostile 250 60
	if tui_wait hostile 'vm-tab-a' 15 >"$TMP/tui.wait"; then
		sleep 1
		tui_capture hostile >"$TMP/screen.txt"
		parse tui "$TMP/screen.txt"
		[ -n "${HOSTILE_KEEP:-}" ] && cp "$TMP/screen.txt" "$HOSTILE_KEEP"
		check "tui: the header is still on the first line (no name cleared the screen)" \
			sh -c 'head -1 "$1" | grep -q glass' _ "$TMP/screen.txt"
		check "tui: the screen fits 250x60" tui_fits hostile 250 60
		title=$(tm display -p -t hostile '#{pane_title}')
		check "tui: the pane title is unchanged ('$title_before' -> '$title')" \
			test "$title" = "$title_before"
		# the detail of the 4 KiB docker name: search it, d opens the detail
		tui_keys hostile / d k - l o n g Enter
		tui_keys hostile d
		if tui_wait hostile '^ name +dk-long-' 10 >"$TMP/tui.wait"; then
			tui_capture hostile >"$TMP/detail.txt"
			parse tui-detail "$TMP/detail.txt"
			check "tui: the detail fits 250x60" tui_fits hostile 250 60
			title=$(tm display -p -t hostile '#{pane_title}')
			check "tui: the pane title is still unchanged ('$title')" test "$title" = "$title_before"
		else
			fail "tui: the detail of the 4 KiB name is shown"
			cat "$TMP/tui.wait"
		fi
		tui_keys hostile q q
		check "tui: glass quits with status 0" tui_wait hostile "glass-exit=0" 5
	else
		fail "tui: the hostile names are drawn"
		cat "$TMP/tui.wait"
	fi
	check "tui: no stderr" test ! -s "$TMP/hostile.err"
}
if command -v tmux >/dev/null 2>&1; then
	tui_part
else
	say "SKIP the interactive view: tmux is not installed (apt-get install tmux)"
fi
finish
