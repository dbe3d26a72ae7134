#!/bin/bash
# A 120x40 capture of the interactive view on this machine, for a closing
# note or a README: the suite's own libvirtd (its qemu with one tiny guest,
# KVM where /dev/kvm exists, else TCG; and the node8 fixture through
# test+tcp), two live cgroups with limits (one sleeping, one spinning) and
# the local host.  Root only; everything it makes is removed at the end.
# Usage (from the top of a built tree): bash tests/tools/demo_capture.sh [OUT]
SRCDIR=${SRCDIR:-$(pwd)}
GLASS=${GLASS:-$SRCDIR/glass}
PYTHON3=${PYTHON3:-/usr/bin/python3}
OUT=${1:-capture-120x40.txt}
export SRCDIR GLASS PYTHON3
. "$SRCDIR/tests/integration/lib.sh"
. "$SRCDIR/tests/integration/libvirtd_lib.sh"
. "$SRCDIR/tests/integration/cgroup_lib.sh"
libvirtd_require
libvirtd_start
libvirtd_guest tiny-guest || exit 1
Q=$LVD_QEMU
TYPE=$LVD_GUEST_TYPE
cg_detect
cg_make glass-demo-web && cg_limit glass-demo-web 200000 1073741824
sleep 300 </dev/null >/dev/null 2>&1 8>&- &
sleeper=$!
cg_move "$sleeper" glass-demo-web
cg_make glass-demo-batch && cg_limit glass-demo-batch 100000 268435456
(while :; do :; done) </dev/null >/dev/null 2>&1 8>&- &
spinner=$!
cg_move "$spinner" glass-demo-batch
demo_cleanup() {
	kill "$sleeper" "$spinner" 2>/dev/null
	cg_remove glass-demo-web
	cg_remove glass-demo-batch
	tmux -L glass-demo kill-server 2>/dev/null
	return 0
}
on_exit demo_cleanup
tmux -L glass-demo -f /dev/null new-session -d -s cap -x 120 -y 40 \
	"$GLASS -d 1 -c $Q -c test+tcp://127.0.0.1:$LVD_PORT$SRCDIR/tests/fixtures/libvirt/node8.xml; sleep 30"
sleep 12
tmux -L glass-demo capture-pane -p -t cap >"$OUT"
tmux -L glass-demo send-keys -t cap q
echo "glass-demo: $OUT ($TYPE guest)"
finish
