#!/bin/bash
# The interactive view grouped by owner (the o key) in a real terminal
# (tmux): the owners.xml test:/// hypervisor and the v2 cgroup fixture with
# its runtimes' files and config rules, as owner_chargeback.sh has them.
# An owner row carries the report's figures (glass -b --by owner) above
# its VMs and containers; o again gives the tree back; the help lists o.
. "$(dirname "$0")/../integration/lib.sh"

FIX="$SRCDIR/tests/fixtures/cgroup"
cat >"$TMP/rc" <<RC
cgroup.docker-root = $FIX/data/docker
cgroup.podman-root = $FIX/data/podman
cgroup.k8s-log-dir = $FIX/data/log
owner.lab = vm:*/scratch
RC
TUI_SOURCE_ARGS="--no-local --threshold 100 -C $TMP/rc -c test://$SRCDIR/tests/fixtures/libvirt/owners.xml --cgroup-root $FIX/v2"
. "$(dirname "$0")/lib_tui.sh"

# the report's figures for team-a, to find on the screen
# shellcheck disable=SC2086
"$GLASS" -b -d 0.5 --by owner --format json $TUI_SOURCE_ARGS >"$TMP/owner.json" 2>"$TMP/err"
cores=$(json_get "$TMP/owner.json" '[o for o in d["chargeback"]["owners"] if o["owner"] == "team-a"][0]["cpu"]["allocated_cores"]')
check "the report gives team-a 4 cores" test "$cores" = 4

tui_start own 140 30
check "the tree comes up" tui_wait own "web-1 +vm +running" 15
tui_keys own o
check "o: the site says it is grouped" tui_wait own "site +site +by owner" 5
check "o: team-a's row with the report's 4 cores and 8 GiB" tui_wait own "team-a +group +owner +4\.00 .* 8\.0G" 5
check "o: team-a's VMs below it" sh -c "tmux -L '$TUI_SOCK' capture-pane -p -t own |
	grep -A2 'team-a  *group' | grep -q 'web-1 ' &&
	tmux -L '$TUI_SOCK' capture-pane -p -t own | grep -A2 'team-a  *group' | grep -q 'web-2 '"
check "o: the metadata-less VM under the config rule's owner" tui_wait own "lab +group +owner" 1
check "o: the title's owner" tui_wait own "finance +group +owner +4\.00 " 1
check "o: the pod namespace's owner" tui_wait own "shop +group +owner" 1
check "o: the unowned holders' row" tui_wait own "\(unowned\) +group +owner" 1
check "o: the shut-off VM is charged to no one" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p -t own | grep -q 'retired'"
check "o: the screen fits" tui_fits own 140 30
tui_keys own o
check "o again: the tree" tui_wait own "test-owners +host" 5
check "o again: no owner rows" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p -t own | grep -q ' owner '"
tui_keys own '?'
check "the help lists o" tui_wait own "o +group by owner" 5
tui_keys own q q
check "glass quits" tui_wait own "glass-exit=0" 5
finish
