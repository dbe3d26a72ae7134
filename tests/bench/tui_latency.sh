#!/bin/sh
# make bench-latency: in tmux, with 100 hosts and one
# SIGSTOPped daemon, the time from a key to the screen change is <= 50 ms
# (median over 50 keys).
#
# The hosts are LAT_URIS (100) test-driver URIs, one domain each, to the
# libvirtds of LAT_NAMESPACES (5) network namespaces at LAT_RTT_MS (50)
# (netns_lib.sh); glass -d 2 runs in tmux at 200x60 with NO_COLOR=1; once
# every source is ok, the daemon of namespace 1 is stopped (SIGSTOP: its
# connections hang, nothing closes them) and, when glass shows its hosts
# stale, tui_latency.py sends LAT_KEYS (50) keys through a tmux control
# client and polls capture-pane for each key's effect.
. "$SRCDIR/tests/integration/lib.sh"
. "$SRCDIR/tests/bench/bench_lib.sh"
. "$SRCDIR/tests/bench/netns_lib.sh"

NSC=${LAT_NAMESPACES:-5}
U=${LAT_URIS:-100}
RTT=${LAT_RTT_MS:-50}
KEYS=${LAT_KEYS:-50}
BENCH_FIGURE="key to screen change, $U hosts, 1 SIGSTOPped daemon (median of $KEYS keys)"
BENCH_TARGET="<= 50 ms"

command -v tmux >/dev/null 2>&1 || bench_na "tmux is not installed (package tmux)"
netns_require
netns_up "$NSC" "$RTT"

args=$(netns_uri_args "$U" "$NSC" 1)

SOCK="glass-latency-$$"
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
tm_kill() { tm kill-server >/dev/null 2>&1; return 0; }
on_exit tm_kill
# shellcheck disable=SC2086
printf '%s\n' "NO_COLOR=1 '$GLASS' -d 2 --no-local $args 2>$TMP/glass.err" \
	'echo glass-exit=$?' 'sleep 600' >"$TMP/run.sh"
tm new-session -d -s lat -x 200 -y 60 "sh $TMP/run.sh"

# wait_screen PATTERN SECONDS: until the screen matches (grep -E).
wait_screen() {
	k=0
	while ! tm capture-pane -p -t lat | grep -qE -- "$1"; do
		if [ $k -ge $(($2 * 10)) ]; then
			fail "timeout waiting for /$1/; the screen:"
			tm capture-pane -p -t lat | head -5 | sed 's/^/    | /'
			bench_row "$BENCH_FIGURE" "-" "-" "-" "$BENCH_TARGET" "MISSED (no /$1/ on screen)"
			finish
		fi
		sleep 0.1
		k=$((k + 1))
	done
}
wait_screen "$U hosts .*sources: $U ok" 60
kill -STOP "$NETNS_LVD_PID_1"
echo "== the libvirtd of namespace 1 ($NETNS_ADDR_1) is stopped (SIGSTOP)"
wait_screen "$U hosts .*sources: $((U - (U + NSC - 1) / NSC)) ok.* $(((U + NSC - 1) / NSC)) (stale|unreachable)" 30
tm capture-pane -p -t lat | head -1
echo "== $KEYS keys (Down, ? opens the help, ? closes it, ...)"
"$PYTHON3" "$SRCDIR/tests/bench/tui_latency.py" "$SOCK" lat "$KEYS" >"$TMP/lat.out" 2>&1
rc=$?
cat "$TMP/lat.out"
tm capture-pane -p -t lat | head -1
if tm capture-pane -p -t lat | grep -q "glass-exit="; then
	fail "glass ended during the measurement: $(cat "$TMP/glass.err")"
fi
set -- $(sed -n 's/^RESULT //p' "$TMP/lat.out")
if [ "$rc" -ne 0 ] || [ $# -ne 5 ]; then
	fail "tui_latency.py failed (exit $rc)"
	bench_row "$BENCH_FIGURE" "-" "-" "-" "$BENCH_TARGET" "MISSED (the measurement failed)"
	finish
fi
med=$1 p90=$2 max=$3 floor=$4 timeouts=$5
ratio=$("$PYTHON3" -c "import sys; print('%.1fx' % (float(sys.argv[1]) / float(sys.argv[2])))" "$med" "$floor")
verdict=$("$PYTHON3" -c "import sys; print('met' if float(sys.argv[1]) <= 50 and sys.argv[2] == '0' else 'MISSED')" "$med" "$timeouts")
bench_row "$BENCH_FIGURE" "median $med ms (p90 $p90, max $max, $timeouts lost)" \
	"polling floor $floor ms" "$ratio" "$BENCH_TARGET" "$verdict"

# Quitting with the stopped daemon's pollers stuck in their calls: glass
# waits for them at most once (under a second with a hung source).
t0=$(date +%s%N)
tm send-keys -t lat q
k=0
while ! tm capture-pane -p -t lat | grep -q "glass-exit=" && [ $k -lt 300 ]; do
	sleep 0.02
	k=$((k + 1))
done
quit_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
status=$(tm capture-pane -p -t lat | sed -n 's/^glass-exit=//p')
echo "== q: glass ended with status ${status:-none} after $quit_ms ms"
if [ "$status" = 0 ] && [ "$quit_ms" -lt 1000 ]; then verdict=met; else verdict=MISSED; fi
bench_row "q to exit, $U hosts, $(((U + NSC - 1) / NSC)) of them hung (SIGSTOP)" "$quit_ms ms" "-" "-" "< 1000 ms" "$verdict"
finish
