#!/bin/bash
# A resize storm: 50 resizes across sizes down to 20x5, as fast as tmux
# sends them; glass stays alive and redraws to the final size.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib_tui.sh"

sizes="200x50 80x24 20x5 120x40 50x10 30x7 20x5 160x45 49x9 100x30"

storm() {
	session=$1
	final=$2
	i=0
	while [ $i -lt 50 ]; do
		for s in $sizes; do
			[ $i -lt 49 ] || break 2
			tm resize-window -t "$session" -x "${s%x*}" -y "${s#*x}"
			i=$((i + 1))
		done
	done
	tm resize-window -t "$session" -x "${final%x*}" -y "${final#*x}"
}

tui_start storm 200 50
tui_wait storm "NAME" 10 >/dev/null

storm storm 20x5
check "after a storm ending at 20x5: the hint for that size" tui_wait storm "^20x5: need" 5
check "the 20x5 screen fits" tui_until 5 tui_fits storm 20 5
check "glass is alive" test -z "$(tui_exit_status storm)"

storm storm 80x24
check "after a storm ending at 80x24: the status line at the bottom" \
	tui_until 5 tui_line storm 24 '^F1Help'
check "the title line under the header" tui_line storm 3 '^NAME'
check "the host line" tui_line storm 5 '^ +(▾ |▸ )?(glass-test|'"$(hostname)"') '

check "the header on top" tui_wait storm "^glass " 3
check "the 80x24 screen fits" tui_until 5 tui_fits storm 80 24
check "glass is alive" test -z "$(tui_exit_status storm)"
tui_keys storm q

# from 20x5, the selection moved down, to 60x15: the top rows come back
# (a taller screen scrolls up to show them, the selection still in view)
tui_start grow 20 5
tui_wait grow "20x5: need" 10 >/dev/null
tui_keys grow Down Down Down
sleep 0.5
tm resize-window -t grow -x 60 -y 15
check "after 20x5 -> 60x15 the first row is on screen" tui_wait grow "^▾ site" 5
check "... under the titles" tui_line grow 3 '^NAME'
tui_keys grow q
check "q still quits with status 0" tui_wait storm "glass-exit=0" 5
check "no stderr" test ! -s "$TMP/storm.err"
finish
