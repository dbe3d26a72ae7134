#!/bin/bash
# The interactive view on libvirt sources in a real terminal (tmux): the
# node8 fixture served by the suite's own libvirtd on 127.0.0.1 beside a
# test:/// fixture whose VMs have hostile names.  Then the daemon is
# stopped with SIGSTOP: keys still answer, its host goes stale then
# unreachable (dimmed, with the reason and the retry on its line) while
# its last known VMs stay in the tree, and `q` ends glass at once.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/libvirtd_lib.sh"

FIX="$SRCDIR/tests/fixtures/libvirt"
libvirtd_require
libvirtd_start
REMOTE="test+tcp://127.0.0.1:$LVD_PORT$FIX/node8.xml"
# -d 0.5: the stopped host is stale after 2 intervals; unreachable after
# a few seconds without an answer.
TUI_DELAY=0.5
TUI_SOURCE_ARGS="--no-local --threshold 100 -c $REMOTE -c test://$FIX/hostile.xml"
. "$(dirname "$0")/lib_tui.sh"

tui_start lv 160 30
check "both hypervisors and their VMs are in the tree" \
	tui_wait lv "test-hostile" 15
check "the served fixture's VMs: web (4 vCPUs, 8 GiB)" \
	tui_wait lv "web +vm +running +4\.00 .*8\.0G" 5
check "a paused VM shows its state" tui_wait lv "db +vm +paused" 5

# --- hostile names from libvirt: the C1 title escape and the newline
# arrive as text, on one line each
check "the C1 escape name is shown escaped" tui_wait lv 'x9d0;pwned\\xc2\\x9c' 5
check "the newline name stays on one line, escaped" tui_wait lv 'two\\x0alines +vm' 5
title=$(tm display -p -t lv '#{pane_title}')
check "the pane title was not changed by the names (it is '$title')" \
	test "$title" != pwned -a "$title" != "0;pwned"

# --- the same daemon's VMs under the local host (another source): the
# local host is given the hypervisor's name in its own UTS namespace, so
# both sources report one host and libvirt's VMs hang below the local one
if [ "$TUI_UTS" = yes ]; then
	TUI_HOST="test-node8@127.0.0.1:$LVD_PORT" \
		TUI_SOURCE_ARGS="--threshold 100 --cgroup-root $SRCDIR/tests/fixtures/cgroup/v2 -c $REMOTE" \
		tui_start lvh 160 30
	check "libvirt's VMs hang below the local host" tui_wait lvh "batch +vm +running" 15
fi

# --- the daemon stops answering; the screen does not
kill -STOP "$LVD_PID"
stopped_at=$(date +%s)
check "the stopped host turns stale" tui_wait lv "stale" 10
check "then unreachable, with the reason on its line (its call still pending)" \
	tui_wait lv "unreachable +no answer for [0-9.]+ s . call pending" 10
check "its last known VMs stay in the tree, marked stale" tui_wait lv "web +vm +stale" 1
check "the test:/// host is not marked" \
	sh -c "tmux -L '$TUI_SOCK' capture-pane -p -t lv | grep 'test-hostile' | grep -qv -e stale -e unreachable"
check "the unreachable line is dimmed" \
	sh -c "tmux -L '$TUI_SOCK' capture-pane -p -e -t lv | grep 'unreachable' | grep -q \"\$(printf '\\033')\[[0-9;]*2[;m]\""
say "stale then unreachable after $(( $(date +%s) - stopped_at )) s"
if [ "$TUI_UTS" = yes ]; then
	check "below the local host: the reason is on the host's line" \
		tui_wait lvh "^ +▾ test-node8@127\.0\.0\.1:$LVD_PORT +host +(stale|unreachable) +no (reading|answer) for" 10
	check "... and the first VM keeps its numbers, marked stale" \
		tui_wait lvh "^ +batch +vm +stale +1\.00 +[^ ]+ .* 512M " 1
	if tui_capture lvh | grep -E " vm .*(no reading|no answer|call pending)"; then
		fail "no VM line carries the source's reason"
	else
		pass "no VM line carries the source's reason"
	fi
	tui_keys lvh q
fi

# keys answer while a poller is stuck in a call to the stopped daemon
tui_keys lv '?'
check "help opens while the daemon is stopped" tui_wait lv "[Kk]eys" 3
tui_keys lv q
check "q closes the help" tui_wait lv "NAME" 3
# libvirt's keepalive (5 s, 3 probes) gives up on the silent peer: the
# poller's call returns, and the line counts down to its next retry.
check "after the keepalive gives up: a retry countdown on its line" \
	tui_wait lv "unreachable .*retry(ing| in [0-9]+s)" 40
start=$(date +%s%N)
tui_keys lv q
tui_wait lv "glass-exit=0" 5 >/dev/null
ms=$(( ($(date +%s%N) - start) / 1000000 ))
say "q to exit with a stopped daemon: ${ms} ms (the target: < 1000)"
check "q ends glass with status 0 in under one second (${ms} ms)" test "$ms" -lt 1000
kill -CONT "$LVD_PID"

finish
