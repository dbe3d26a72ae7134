# lib_tui.sh: drive the real glass in tmux (DESIGN.md §7: tmux at fixed
# sizes, send-keys, capture-pane -p).  Sourced after integration/lib.sh.
#
# Sources are plugged in through TUI_SOURCE_ARGS (e.g. "--no-local -c
# test:///$SRCDIR/tests/fixtures/libvirt/x.xml --cgroup-root DIR" once
# those sources exist); by default the local host, under a private UTS
# namespace with a fixed hostname so expected screens hold on any machine.

command -v tmux >/dev/null 2>&1 || skip "tmux is not installed (apt-get install tmux)"

TUI_SOCK="glass-test-$$"
TUI_HOST=glass-test
: "${TUI_DELAY:=0.5}"
# The fixture cgroup tree stands in for the live one (which changes from
# machine to machine); a 100% idle threshold keeps every IDLE cell stable.
: "${TUI_SOURCE_ARGS:=--cgroup-root $SRCDIR/tests/fixtures/cgroup/v2 --threshold 100}"

tm() { tmux -L "$TUI_SOCK" -f /dev/null "$@"; }
tui_kill_server() { tm kill-server >/dev/null 2>&1 || true; }
on_exit tui_kill_server

# A fixed hostname needs a UTS namespace (root, unshare); without one the
# screens hold the machine's name and exact comparisons are skipped.
TUI_UTS=no
if unshare --uts true >/dev/null 2>&1; then
	TUI_UTS=yes
fi

# glass_cmd ARGS...: the glass command line, quoted for a shell.
glass_cmd() {
	printf '%q ' "$GLASS" -d "$TUI_DELAY"
	# shellcheck disable=SC2086
	[ -n "$TUI_SOURCE_ARGS" ] && printf '%q ' $TUI_SOURCE_ARGS
	[ $# -gt 0 ] && printf '%q ' "$@"
	return 0
}

# tui_start SESSION WIDTH HEIGHT [GLASS ARGS...]: glass in a new session;
# when it ends, the pane says "glass-exit=N" and stays for inspection.
tui_start() {
	session=$1
	w=$2
	h=$3
	shift 3
	run="$TMP/run-$session.sh"
	{
		echo '#!/bin/sh'
		# Python sets any bytes (hostname(1) refuses control bytes):
		# TUI_HOST may hold an escape sequence, as a remote name can.
		[ "$TUI_UTS" = yes ] &&
			echo "$PYTHON3 -c 'import socket,sys; socket.sethostname(sys.argv[1].encode(\"latin-1\"))' \"\$(printf '$TUI_HOST')\" || exit 99"
		[ -n "${TUI_TERM:-}" ] && echo "export TERM=$TUI_TERM"
		echo "$(glass_cmd "$@") 2>$TMP/$session.err ${TUI_STDIN:+<$TUI_STDIN}"
		echo 'echo glass-exit=$?'
		echo 'sleep 120'
	} >"$run"
	if [ "$TUI_UTS" = yes ]; then
		tm new-session -d -s "$session" -x "$w" -y "$h" "unshare --uts sh $run"
	else
		tm new-session -d -s "$session" -x "$w" -y "$h" "sh $run"
	fi
}

tui_keys() {
	session=$1
	shift
	tm send-keys -t "$session" "$@"
}

tui_capture() { tm capture-pane -p -t "$1"; }
# With attributes and colours, as escape sequences.
tui_capture_e() { tm capture-pane -p -e -t "$1"; }

# tui_wait SESSION PATTERN [SECONDS]: until the screen matches (grep -E).
tui_wait() {
	session=$1
	pattern=$2
	limit=$(( ${3:-10} * 10 ))
	i=0
	while [ $i -lt "$limit" ]; do
		if tui_capture "$session" | grep -qE -- "$pattern"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "timeout waiting for /$pattern/ on $session; the screen:"
	tui_capture "$session" | sed 's/^/    | /'
	return 1
}

# tui_until SECONDS COMMAND...: retries the command until it succeeds.
tui_until() {
	limit=$(( $1 * 10 ))
	shift
	i=0
	while [ $i -lt "$limit" ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# tui_line SESSION N PATTERN: line N of the screen matches (grep -E).
tui_line() { tui_capture "$1" | sed -n "${2}p" | grep -qE -- "$3"; }

# tui_fits SESSION W H: the screen has H lines, none wider than W cells.
tui_fits() {
	tui_capture "$1" | "$PYTHON3" -c '
import sys, unicodedata
w, h = int(sys.argv[1]), int(sys.argv[2])
lines = sys.stdin.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
wide = lambda c: 2 if unicodedata.east_asian_width(c) in "WF" else 1
sys.exit(0 if len(lines) == h and all(sum(map(wide, l)) <= w for l in lines) else 1)' "$2" "$3"
}

# tui_mask: the screen with what changes between runs masked: the clock,
# numbers (live values), bar fills, idle verdicts ("idle? 1.5c 608M": on a
# live host, whether CPU is flagged and whether the verdict is still
# provisional change from run to run; the tests check whole figures on
# their own); runs of blanks squeezed (a number right-aligned in its
# column moves as its width changes).
# The idle line is cut where the screen ends, and how much of it fits
# depends on how many digits the machine's own figures have: its last,
# cut word is masked.
tui_mask() {
	sed -E -e 's/[0-9]{2}:[0-9]{2}:[0-9]{2}/HH:MM:SS/g' \
		-e 's/\[[|]*[ ]*/[/g' \
		-e 's/\b[0-9]+(\.[0-9]+)*[KMGTPE]?%?/N/g' \
		-e 's/\bidle\??( Nc)?( N)?( |$)/idle*\3/g' \
		-e 's/ +/ /g' -e 's/ $//' \
		-e '/^idle:/ s/ *[^ ]* *…$/ …/'
}

# tui_expect SESSION NAME: the masked screen equals tests/tui/expected/NAME.txt
# within a few seconds (a loaded machine may still be drawing the first
# rates); set TUI_UPDATE=1 to write it instead.
tui_expect() {
	session=$1
	name=$2
	want="$SRCDIR/tests/tui/expected/$name.txt"
	got="$TMP/$name.txt"
	if [ "$TUI_UTS" != yes ]; then
		say "SKIP screen $name: no UTS namespace (needs root and unshare) for a fixed hostname"
		return 0
	fi
	if [ "${TUI_UPDATE:-0}" = 1 ]; then
		tui_capture "$session" | tui_mask | head -n "${TUI_EXPECT_LINES:-1000}" >"$want"
		pass "screen $name written"
		return 0
	fi
	i=0
	while [ $i -lt 50 ]; do
		tui_capture "$session" | tui_mask | head -n "${TUI_EXPECT_LINES:-1000}" >"$got"
		if cmp -s "$want" "$got"; then
			pass "screen $name"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "screen $name differs from tests/tui/expected/$name.txt:"
	diff -u "$want" "$got" | sed 's/^/    /'
}

# tui_exit_status SESSION: glass's exit status, empty while it runs.
tui_exit_status() {
	tui_capture "$1" | sed -n 's/^glass-exit=\([0-9]*\)$/\1/p'
}
