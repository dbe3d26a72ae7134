#!/bin/bash
# The interactive view's edges in a real terminal (tmux): a name that is
# an escape sequence, quitting (q, -n, SIGTERM), themes and NO_COLOR, the
# ASCII fallback.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib_tui.sh"

# --- a hostile name: the host is named "\e]0;pwned\a" (a terminal-title
# escape) in its own UTS namespace.  The screen shows it escaped; the
# terminal's title stays.
if [ "$TUI_UTS" = yes ]; then
	title_before=$(tm start-server \; display -p '#{host}' 2>/dev/null || true)
	TUI_HOST='\033]0;pwned\007' tui_start esc 100 20
	if tui_wait esc 'x1b\]0;pwned\\x07' 10; then
		pass "the escape-sequence name is shown escaped"
	else
		fail "the escape-sequence name is shown escaped"
	fi
	title=$(tm display -p -t esc '#{pane_title}')
	check "the pane title was not changed by the name (it is '$title')" \
		test "$title" != pwned
	# the raw bytes never reached the terminal: tmux would have eaten
	# them, so the capture holds no ESC at all
	if tui_capture_e esc | grep -q 'pwned.*pwned'; then
		fail "the name appears once"
	else
		pass "the name appears once"
	fi
	tui_keys esc q
	check "glass quits" tui_wait esc "glass-exit=0" 3
	: "$title_before"
else
	say "SKIP escape-sequence hostname: no UTS namespace (needs root and unshare)"
fi

# --- q answers at once, whatever the sources do
tui_start quit 80 24
tui_wait quit "glass-test|$(hostname)" 10 >/dev/null
start=$(date +%s%N)
tui_keys quit q
tui_wait quit "glass-exit=0" 5 >/dev/null
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
say "q to exit: ${ms} ms (the target: < 1000 with a hung source)"
check "q ends glass with status 0 (in ${ms} ms)" test "$ms" -lt 3000
check "the terminal is restored (the pane shows the shell's line)" \
	tui_wait quit "^glass-exit=0" 1

# --- -n N: quits after N refreshes, by itself
tui_start iter 80 24 -n 3 -d 0.2
check "-n 3 -d 0.2 ends by itself with status 0" tui_wait iter "glass-exit=0" 10

# --- stdin is not a terminal: no keys, but the view runs on (no spin,
# no early exit) until -n
TUI_STDIN=/dev/null tui_start nokeys 80 24 -n 6 -d 0.5
check "stdin from /dev/null: the tree is shown" tui_wait nokeys "NAME" 5
check "stdin from /dev/null: still running after the first refresh" \
	test -z "$(sleep 1; tui_exit_status nokeys)"
check "stdin from /dev/null: -n 6 ends it with status 0" tui_wait nokeys "glass-exit=0" 10

# --- a terminal glass cannot use: one line, exit 1, no curses mess
TUI_TERM=no-such-terminal tui_start badterm 80 24
check "an unknown TERM exits 1" tui_wait badterm "glass-exit=1" 5
check "an unknown TERM is one glass: line" \
	grep -qx "glass: cannot use the terminal (TERM=no-such-terminal): try glass -b" \
	"$TMP/badterm.err"

# --- SIGTERM: a clean exit, status 0, no curses left behind
tui_start term 80 24
tui_wait term "NAME" 10 >/dev/null
pid=$(pgrep -n -f "^$GLASS -d $TUI_DELAY" || true)
if [ -n "$pid" ]; then
	kill -TERM "$pid"
	check "SIGTERM ends glass with status 0" tui_wait term "glass-exit=0" 5
else
	fail "found glass's pid for SIGTERM"
fi

# --- themes: colours by default, none with NO_COLOR or mono; t cycles
has_colour() { tui_capture_e "$1" | grep -qE $'\e\\[[0-9;]*(3[0-7]|4[0-7]|9[0-7])[;m]'; }
tui_start col 80 24
tui_wait col "NAME" 10 >/dev/null
check "the default theme has colours" has_colour col
tm set-environment -g NO_COLOR 1
tui_start nocol 80 24
tui_wait nocol "NAME" 10 >/dev/null
if has_colour nocol; then fail "NO_COLOR: no colours"; else pass "NO_COLOR: no colours"; fi
has_reverse() { tui_capture_e "$1" | grep -qF $'\e[7m'; }
check "NO_COLOR: the title is still reverse video" has_reverse nocol
tm set-environment -gu NO_COLOR
tui_start mono 80 24 --theme mono
tui_wait mono "NAME" 10 >/dev/null
if has_colour mono; then fail "--theme mono: no colours"; else pass "--theme mono: no colours"; fi
mkdir -p "$XDG_CONFIG_HOME/glass" 2>/dev/null || true
printf 'theme = mono\n' >"$TMP/glassrc"
tui_start cfg 80 24 -C "$TMP/glassrc"
tui_wait cfg "NAME" 10 >/dev/null
if has_colour cfg; then fail "theme = mono in the config"; else pass "theme = mono in the config"; fi
for s in col nocol mono cfg; do tui_keys $s q; done
check "glass quits" tui_wait cfg "glass-exit=0" 3

# --- a bad theme: file:line, exit 2, before curses starts
printf 'row = white black\nheader = purple black\n' >"$TMP/bad.theme"
tui_start bad 80 24 --theme "$TMP/bad.theme"
check "a bad theme exits 2" tui_wait bad "glass-exit=2" 5
check "a bad theme names file:line" \
	grep -qx "glass: $TMP/bad.theme:2: unknown colour 'purple'" "$TMP/bad.err"
tui_start missing 80 24 --theme nope
check "a missing theme exits 2" tui_wait missing "glass-exit=2" 5
check "a missing theme says where it looked" grep -q "^glass: theme 'nope': no nope.theme in" \
	"$TMP/missing.err"

# --- ASCII fallback: no UTF-8 on screen when the locale is not UTF-8
tm set-environment -g LC_ALL C
tui_start ascii 80 24
tui_wait ascii "NAME" 10 >/dev/null
check "ASCII markers" tui_wait ascii "^- site" 3
if tui_capture ascii | LC_ALL=C grep -q $'[\x80-\xff]'; then
	fail "ASCII locale: no UTF-8 bytes on screen"
else
	pass "ASCII locale: no UTF-8 bytes on screen"
fi
tui_keys ascii q
tm set-environment -g LC_ALL C.UTF-8
# --- a recording plays in the TUI: one snapshot per interval, [ and ]
# step back and forth (and pause), p plays on
"$GLASS" -b -n 3 -d 0.2 --no-local -c "test://$SRCDIR/tests/fixtures/libvirt/node8.xml" \
	--record "$TMP/rec.jsonl" >/dev/null
check "a recording of 3 snapshots" test "$(wc -l <"$TMP/rec.jsonl")" -eq 3
TUI_SOURCE_ARGS="" tui_start replay 100 24 --replay "$TMP/rec.jsonl" -d 0.4
check "replay starts at the first snapshot" tui_wait replay "\[replay 1/3\]" 5
check "the recorded tree is shown" tui_wait replay "web +vm +4\.00 " 3 # (at 100 cells STATE gives way to W)
check "it plays on to the last and stays there" tui_wait replay "\[replay 3/3\]" 5
tui_keys replay '['
check "[ steps back one snapshot and pauses" tui_wait replay "\[replay 2/3\]  \[paused\]" 3
tui_keys replay '[' '['
check "[ at the first snapshot says so" tui_wait replay "the first snapshot of the recording" 3
check "... and stays on it" tui_wait replay "\[replay 1/3\]" 1
tui_keys replay ']'
check "] steps forward" tui_wait replay "\[replay 2/3\]" 3
tui_keys replay p
check "p plays on to the end" tui_wait replay "\[replay 3/3\]" 5
tui_keys replay q
check "q quits the replay with status 0" tui_wait replay "glass-exit=0" 3
check "no stderr from the replay" test ! -s "$TMP/replay.err"

finish
