#!/bin/bash
# The interactive view in a real terminal (tmux) at 200x50, 80x24 and
# 20x5: expected screens (clock and live numbers masked) and what keys do.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib_tui.sh"

HOSTRE="glass-test|$(hostname)"

for size in 200x50 120x40 80x24 20x5; do
	w=${size%x*}
	h=${size#*x}
	tui_start "s$size" "$w" "$h"
	if tui_wait "s$size" "$HOSTRE" 10; then
		sleep 1.2 # a refresh with rates
		tui_expect "s$size" "start-$size"
	else
		fail "glass shows the host at $size"
	fi
done
check "20x5 shows the too-small hint" tui_wait s20x5 "20x5: need" 2

S=s80x24
# help
tui_keys $S F1
check "F1 shows help" tui_wait $S "glass keys" 3
tui_expect $S help-80x24
tui_keys $S x
check "any key leaves help" tui_wait $S "NAME" 3

# collapse and expand
# (the local host has no children: the site is what opens and closes)
tui_keys $S -
check "- keeps the site open" tui_wait $S "^▾ site" 3
tui_keys $S Home Space
check "Space on the site closes it" tui_wait $S "^▸ site" 3
tui_expect $S collapsed-80x24
tui_keys $S +
check "+ opens all" tui_wait $S "^▾ site" 3
tui_expect $S start-80x24

# sort: F6 / > to the next column, I inverts (at 200 columns, where
# KIND and STATE are on screen); names sort A to Z, numbers biggest first
W=s200x50
tui_keys $W '>'
check "> sorts by KIND" tui_wait $W "KIND▲" 3
tui_keys $W I
check "I inverts the sort" tui_wait $W "KIND▼" 3
tui_keys $W F6
check "F6 sorts by the next column, a name column A to Z" tui_wait $W "STATE▲" 3
check "the status line says so" tui_wait $W "sort by state, ascending" 3
tui_keys $W '>'
check "a number column starts biggest first" tui_wait $W "CPU▼" 3
check "the status line says descending" tui_wait $W "sort by cpu allocated, descending" 3
tui_keys $W '<' '<' '<'
check "back to NAME ascending" tui_wait $W "NAME▲" 3
check "messages go away" tui_wait $W "^F1Help" 5
tui_expect $W start-200x50
# at 80 columns KIND is not shown: the status line still says the sort
tui_keys $S '>'
check "> at 80 columns says the sort" tui_wait $S "sort by kind" 3
tui_keys $S '<'
check "messages go away" tui_wait $S "^F1Help" 5

# filter: only matching nodes and their ancestors
tui_keys $S '\' z z z
check "filter prompt" tui_wait $S "Filter: zzz_" 3
tui_keys $S Enter
check "a filter matching nothing says so" tui_wait $S "no node matches the filter" 3
check "the status line shows the filter" tui_wait $S "filter: zzz" 3
tui_expect $S filter-none-80x24
tui_keys $S F4 BSpace BSpace BSpace s i t e Enter
check "filter 'site' keeps the site only" tui_wait $S "filter: site" 3
if tui_capture $S | grep -qE "$HOSTRE"; then fail "the host is filtered out"; else pass "the host is filtered out"; fi
tui_keys $S '\' Escape
check "Esc clears the filter" tui_wait $S "^ +(▾ |▸ )?($HOSTRE) " 3
# Esc in the tree clears an active filter too, and the status line says so
tui_keys $S '\' s i t e Enter
check "the status line says Esc clears the filter" tui_wait $S "filter: site +Esc clears" 3
tui_keys $S Escape
check "Esc in the tree clears the filter" tui_wait $S "^ +(▾ |▸ )?($HOSTRE) " 3
check "... and says so" tui_wait $S "filter cleared" 3
tui_keys $S i
check "i: idle only, Esc clears it too" tui_wait $S "idle only +Esc clears" 5
tui_keys $S Escape
check "Esc shows every node again" tui_wait $S "docker\.service" 3

# search: / moves the selection; d shows the selected node
tui_keys $S Home / g l a s s
check "search prompt" tui_wait $S "Search: glass_" 3
tui_keys $S Enter d
check "search selected the host" tui_wait $S "^ id +host:($HOSTRE)" 3
# the first lines: below come the machine's own devices
TUI_EXPECT_LINES=15 tui_expect $S detail-host-80x24
tui_keys $S Escape
check "Esc leaves the details" tui_wait $S "NAME" 3
tui_keys $S / q q q q
check "a search without a match says so" tui_wait $S 'no match for "qqqq"' 3
tui_keys $S Escape

# Enter on a leaf shows its details too; End/PgUp/PgDn/Home move
tui_keys $S End Enter
check "Enter on a leaf shows its details" tui_wait $S "^ kind +container" 3
tui_keys $S Enter
check "Enter leaves the details" tui_wait $S "NAME" 3
tui_keys $S PgUp PgDn Home d
check "Home selects the site" tui_wait $S "^ kind +site" 3
tui_keys $S Escape

# pause holds the screen: the header says so; p again resumes
tui_keys $S p
check "p pauses" tui_wait $S "\[paused\]" 3
tui_keys $S p
check "p again resumes" tui_wait $S "resumed" 3
if tui_capture $S | grep -q "\[paused\]"; then fail "no pause mark"; else pass "no pause mark"; fi

# i: only idle nodes (the fixture's containers with limits and no use are
# idle; docker.service has no limit, so it is never flagged)
tui_keys $S i
check "i shows idle nodes" tui_wait $S "web-vm .*idle" 3
if tui_capture $S | grep -q "docker.service"; then fail "i hides a node that is not idle"; else pass "i hides a node that is not idle"; fi
check "the status line says idle only" tui_wait $S "idle only" 5
tui_keys $S i
check "i again shows all" tui_wait $S "^▾ site" 3

# Left closes (or goes to the parent), Right opens
tui_keys $S End Left
check "Left on a leaf selects its parent" sh -c "sleep 0.3; tmux -L '$TUI_SOCK' send-keys -t $S d"
check "the parent is the host" tui_wait $S "^ kind +host" 3
tui_keys $S Escape Left
check "Left closes the host" tui_wait $S "^ +▸ ($HOSTRE) " 3
tui_keys $S Right
check "Right opens it" tui_wait $S "^ +▾ ($HOSTRE) " 3

# Ctrl-L redraws everything
tui_keys $S C-l
check "Ctrl-L keeps the screen" tui_wait $S "^▾ site" 3

# theme switch: t cycles default -> mono -> light; the colours change
before=$(tui_capture_e $S | md5sum)
tui_keys $S t
check "t switches to the mono theme" tui_wait $S "theme: mono" 3
tui_keys $S t
check "t switches to the light theme" tui_wait $S "theme: light" 3
after=$(tui_capture_e $S | md5sum)
check "the screen's colours changed" test "$before" != "$after"

# a hypervisor (the test:/// fixture: 8 CPUs, running, paused and shut-off
# VMs) beside the fixture cgroup tree, the local host off; threshold 90: the
# test driver's running VMs read about 1.00 core each, so "batch" (1 vCPU)
# stays clear of the line and the IDLE cells hold still
LV_ARGS="--no-local --threshold 90 -c test://$SRCDIR/tests/fixtures/libvirt/node8.xml --cgroup-root $SRCDIR/tests/fixtures/cgroup/v2"
for size in 200x50 120x40 80x24; do
	TUI_SOURCE_ARGS=$LV_ARGS tui_start "lv$size" "${size%x*}" "${size#*x}"
	if tui_wait "lv$size" "test-node8" 10; then
		sleep 1.2 # a refresh with rates
		tui_expect "lv$size" "libvirt-$size"
	else
		fail "glass shows the hypervisor at $size"
	fi
done
check "a paused VM" tui_wait lv200x50 "db +vm +paused" 3
# the headline whole at 120x40: no IDLE figure is cut ("idle? 1…")
check "at 120x40 the IDLE column is on screen" tui_wait lv120x40 " IDLE$" 3
check "at 120x40 an idle figure is shown whole" tui_wait lv120x40 "web .* idle\?? [0-9.]+c [0-9.]+G$" 3
if tui_capture lv120x40 | grep -E "idle\??( [^ ]*)?…"; then
	fail "no idle figure is cut at 120x40"
else
	pass "no idle figure is cut at 120x40"
fi
# the idle flag has its own colour: the IDLE cell of web differs from its name's
check "an idle figure is coloured apart from its row" sh -c \
	"tmux -L '$TUI_SOCK' capture-pane -p -e -t lv120x40 | grep ' web ' | grep -qE \"\$(printf '\\033')\\[[0-9;]*m *idle\""
# + and - never move the columns: NAME is as wide as the tree's widest name
titles() { tui_capture lv120x40 | sed -n 3p; }
before_titles=$(titles)
tui_keys lv120x40 -
check "- closes the hosts" tui_wait lv120x40 "^ +▸ test-node8" 3
check "- keeps every column where it was" test "$(titles)" = "$before_titles"
tui_keys lv120x40 +
check "+ opens them again" tui_wait lv120x40 "^ +▾ test-node8" 3
check "+ keeps every column where it was" test "$(titles)" = "$before_titles"
tui_keys lv120x40 q

# the help scrolls when it is cut (60x15) and says how
tui_start help60 60 15
tui_wait help60 "NAME" 10 >/dev/null
tui_keys help60 F1
check "the help at 60x15 says there is more" tui_wait help60 "more below" 3
check "... and starts at its top" tui_wait help60 "glass keys" 1
tui_keys help60 End
check "End shows the help's last line" tui_wait help60 "scroll; any other key" 3
check "... with a mark that more lies above" tui_wait help60 "more above" 1
check "the help explains 2.0c" tui_wait help60 "'2\.0c' and the CPU" 1
tui_keys help60 Up Up Up Up
check "Up scrolls back: the help explains idle?" tui_wait help60 "'idle\?' = flagged" 3
if tui_capture help60 | grep -q "glass keys"; then fail "the top scrolled away"; else pass "the top scrolled away"; fi
tui_keys help60 PgUp PgUp PgUp PgUp Home
check "Home back to the top" tui_wait help60 "glass keys" 3
tui_keys help60 x
check "another key leaves the help" tui_wait help60 "NAME" 3
tui_keys help60 q
check "a shut-off VM, using nothing" tui_wait lv200x50 "old +vm +shut off +2\.00 +0\.00 " 3
tui_keys lv80x24 Home / t e s t - n o d e Enter Space
check "Space closes the hypervisor" tui_wait lv80x24 "^ +▸ test-node8" 3
if tui_capture lv80x24 | grep -q " web "; then fail "its VMs are hidden"; else pass "its VMs are hidden"; fi
tui_keys lv80x24 Space
check "Space opens it again" tui_wait lv80x24 "^ +▾ test-node8" 3
# the detail pane of a VM: its idle history and the policy's hint
tui_keys lv80x24 / w e b Enter d
check "d on a VM shows its details" tui_wait lv80x24 "^ kind +vm" 3
check "its CPU history counts the refreshes it was idle" \
	tui_wait lv80x24 "^ cpu used/given .* idle [0-9]+ of [0-9]+ refreshes$" 3
check "its right-size hint: 4 vCPU to 2 (test driver: 1.00 core used)" \
	tui_wait lv80x24 "^ right-size +4 → 2 vCPU" 3
if tui_capture lv80x24 | grep -q "—/s"; then fail "no unknown rate per second"; else pass "no unknown rate per second"; fi
# on a shorter terminal the pane is cut: it says so, and scrolls
tm resize-window -t lv80x24 -x 80 -y 15
check "the detail pane cut at 80x15 says so" tui_wait lv80x24 "more below \(Down, PgDn\)" 3
tui_keys lv80x24 End
check "End scrolls the details to their last line" tui_wait lv80x24 "Esc, d or Enter: back to the tree" 3
check "... marked as scrolled" tui_wait lv80x24 "more above" 1
tm resize-window -t lv80x24 -x 80 -y 24
tui_keys lv80x24 Escape
tui_keys lv200x50 '>' '>' '>'
check "sort by CPU allocated, largest first" tui_wait lv200x50 "CPU▼" 3
check "... db (6 vCPUs) above web (4)" sh -c \
	"tmux -L '$TUI_SOCK' capture-pane -p -t lv200x50 | grep -E '^ +(db|web) ' | head -1 | grep -q ' db '"
tui_keys lv200x50 q
tui_keys lv80x24 q

# quit
for s in s200x50 s120x40 s80x24 s20x5; do
	tui_keys $s q
	if tui_wait $s "glass-exit=0" 3; then
		pass "q quits $s with status 0"
	else
		fail "q quits $s"
	fi
	check "no stderr from $s" test ! -s "$TMP/$s.err"
done
finish
