# Sourced by the fleet benchmarks (fleet_bench.sh, prom_fleet.sh): the glass
# TUI at fleet size in tmux, two rows.
#
# tui_fleet FIGURE READY KEYS GLASS-ARGS...
#   starts NO_COLOR=1 $GLASS GLASS-ARGS in a 200x60 tmux pane, waits (up to
#   $TUI_FLEET_WAIT s, 300) until the screen matches the grep -E pattern
#   READY (the whole tree is on screen), sends KEYS keys (tui_latency.py)
#   and then reads the glass process's peak RSS (VmHWM):
#     "FIGURE: TUI key to screen change (median of KEYS keys)"  <= 50 ms
#     "FIGURE: TUI peak RSS"                                     <= 256 MiB
# Needs lib.sh's TMP, fail and on_exit, bench_lib.sh's bench_row, $GLASS
# and $PYTHON3.
tui_fleet() {
	fig=$1 ready=$2 keys=$3
	shift 3
	lat_fig="$fig: TUI key to screen change (median of $keys keys)"
	rss_fig="$fig: TUI peak RSS"
	if ! command -v tmux >/dev/null 2>&1; then
		bench_row "$lat_fig" "-" "-" "-" "<= 50 ms" "n/a (tmux is not installed, package tmux)"
		bench_row "$rss_fig" "-" "-" "-" "<= 256 MiB" "n/a (tmux is not installed, package tmux)"
		return 0
	fi
	sock="glass-tui-fleet-$$"
	tf_tm() { tmux -L "$sock" -f /dev/null "$@"; }
	tf_kill() { tf_tm kill-server >/dev/null 2>&1; return 0; }
	on_exit tf_kill
	{
		printf 'NO_COLOR=1 exec'
		printf " '%s'" "$GLASS" "$@"
		printf ' 2>%s\n' "$TMP/tui.err"
	} >"$TMP/tui.sh"
	tf_tm new-session -d -s fleet -x 200 -y 60 "sh $TMP/tui.sh; echo glass-exit=\$?; sleep 600"
	k=0
	limit=$((${TUI_FLEET_WAIT:-300} * 10))
	until tf_tm capture-pane -p -t fleet | grep -qE "$ready"; do
		if [ $k -ge $limit ] || tf_tm capture-pane -p -t fleet | grep -q "glass-exit="; then
			fail "no whole tree on screen within $((limit / 10)) s: $(head -1 "$TMP/tui.err")"
			bench_row "$lat_fig" "-" "-" "-" "<= 50 ms" "MISSED (no tree on screen)"
			bench_row "$rss_fig" "-" "-" "-" "<= 256 MiB" "MISSED (no tree on screen)"
			tf_kill
			return 0
		fi
		sleep 0.1
		k=$((k + 1))
	done
	"$PYTHON3" "$SRCDIR/tests/bench/tui_latency.py" "$sock" fleet "$keys" >"$TMP/lat.out" 2>&1
	rc=$?
	cat "$TMP/lat.out"
	echo "== the header after the keys:"
	tf_tm capture-pane -p -t fleet | head -1
	# the pane's shell runs tui.sh, which exec'd glass: its one child
	pid=$(pgrep -P "$(tf_tm list-panes -t fleet -F '#{pane_pid}' | head -1)" | head -1)
	mib=$(awk '/^VmHWM:/ { printf "%d", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null)
	tf_kill
	# shellcheck disable=SC2046
	set -- $(sed -n 's/^RESULT //p' "$TMP/lat.out")
	if [ "$rc" -ne 0 ] || [ $# -ne 5 ]; then
		fail "tui_latency.py failed (exit $rc)"
		bench_row "$lat_fig" "-" "-" "-" "<= 50 ms" "MISSED (the measurement failed)"
	else
		v=$("$PYTHON3" -c "import sys; print('met' if float(sys.argv[1]) <= 50 and sys.argv[2] == '0' else 'MISSED')" "$1" "$5")
		bench_row "$lat_fig" "median $1 ms (p90 $2, max $3, $5 lost)" "polling floor $4 ms" "-" "<= 50 ms" "$v"
	fi
	if [ -n "$mib" ]; then
		bench_row "$rss_fig" "$mib MiB" "-" "$mib MiB" "<= 256 MiB" "$([ "$mib" -le 256 ] && echo met || echo MISSED)"
	else
		fail "no peak RSS for the TUI's glass (pid $pid)"
		bench_row "$rss_fig" "-" "-" "-" "<= 256 MiB" "MISSED (not read)"
	fi
}
