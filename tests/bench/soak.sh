#!/bin/sh
# make bench-soak: glass -b for
# SOAK_REFRESHES (10,000) refreshes at -d 0.01 on
#   - a fixture cgroup tree (SOAK_CGROUPS, 50 containers) in which a
#     background script (gen_cgroups.py --churn) keeps creating and removing
#     containers (50 alive at a time, one change every ~5 ms), and
#   - the suite's libvirtd (test+tcp://127.0.0.1:PORT/default), stopped and
#     started again every SOAK_EVERY (1,000) refreshes;
# glass's VmRSS (/proc/PID/status) after the first SOAK_EVERY refreshes and
# after all of them must agree within 5%.  Rows go to make bench's table.
# Needs root (libvirtd); skips with the reason otherwise.
. "$SRCDIR/tests/integration/lib.sh"
. "$SRCDIR/tests/integration/libvirtd_lib.sh"
. "$SRCDIR/tests/bench/bench_lib.sh"

TOTAL=${SOAK_REFRESHES:-10000}
EVERY=${SOAK_EVERY:-1000}
CGROUPS=${SOAK_CGROUPS:-50}

# A skip (no root, no libvirtd, its lock held) still gives the table a row.
skip() {
	bench_row "soak: VmRSS after $TOTAL vs after $EVERY refreshes" "-" "-" "-" "<= 1.05x" "n/a ($*)"
	say "SKIP: $*"
	exit 77
}
[ "$(id -u)" -eq 0 ] || skip "the suite's libvirtd needs root"
libvirtd_require
libvirtd_start
"$PYTHON3" "$SRCDIR/tests/bench/gen_cgroups.py" "$CGROUPS" "$TMP/cg" || exit 1

"$PYTHON3" "$SRCDIR/tests/bench/gen_cgroups.py" --churn "$TMP/cg" "$TMP/churn.stop" 50 \
	>"$TMP/churn.out" 2>&1 &
CHURN_PID=$!
stop_churn() {
	touch "$TMP/churn.stop"
	wait "$CHURN_PID" 2>/dev/null
	return 0
}
on_exit stop_churn

mkfifo "$TMP/snapshots"
URI="test+tcp://127.0.0.1:$LVD_PORT/default"
echo "soak: $TOTAL refreshes at -d 0.01: $CGROUPS fixture containers + churn, $URI;"
echo "      libvirtd restarted every $EVERY refreshes"
t0=$(date +%s)
"$GLASS" -b -n 0 -d 0.01 --format json --no-local --cgroup-root "$TMP/cg" -c "$URI" \
	>"$TMP/snapshots" 2>"$TMP/glass.err" &
GLASS_PID=$!
stop_glass() {
	kill "$GLASS_PID" 2>/dev/null
	wait "$GLASS_PID" 2>/dev/null
	return 0
}
on_exit stop_glass
"$PYTHON3" "$SRCDIR/tests/bench/soak_monitor.py" "$GLASS_PID" "$TMP/count" "$TOTAL" "$EVERY" \
	<"$TMP/snapshots" >"$TMP/result" &
MON_PID=$!

next=$EVERY
restarts=0
while kill -0 "$MON_PID" 2>/dev/null; do
	n=$(cat "$TMP/count" 2>/dev/null || echo 0)
	if [ "$n" -ge "$next" ] && [ "$next" -lt "$TOTAL" ]; then
		echo "soak: $n refreshes ($(($(date +%s) - t0)) s): restarting libvirtd"
		libvirtd_stop
		libvirtd_start "$LVD_PORT"
		restarts=$((restarts + 1))
		next=$((next + EVERY))
	fi
	sleep 0.2
done
wait "$MON_PID"
mon_rc=$?
wait "$GLASS_PID"
glass_rc=$?
secs=$(($(date +%s) - t0))
stop_churn
churned=$(cat "$TMP/churn.out")
read -r rss_mark rss_end hwm lv_ok lv_checks seen <"$TMP/result" || {
	echo "soak: the monitor gave no result (glass exit $glass_rc):"
	cat "$TMP/glass.err"
	exit 1
}
echo "soak: $TOTAL refreshes in $secs s, glass exit $glass_rc (SIGTERM: 0 expected)," \
	"$restarts libvirtd restarts, $churned cgroup changes, $seen churned containers seen"
echo "soak: VmRSS $rss_mark KiB after $EVERY refreshes, $rss_end KiB after $TOTAL; VmHWM $hwm KiB;" \
	"libvirt ok in $lv_ok of $lv_checks checks"
verdict=$(awk -v a="$rss_mark" -v b="$rss_end" 'BEGIN { print (b <= a * 1.05) ? "met" : "MISSED" }')
[ "$mon_rc" -eq 0 ] && [ "$glass_rc" -eq 0 ] || verdict="MISSED (monitor $mon_rc, glass $glass_rc)"
bench_row "soak: VmRSS after $TOTAL vs after $EVERY refreshes (-d 0.01, churn, $restarts libvirtd restarts)" \
	"$(awk -v b="$rss_end" 'BEGIN { printf "%.1f MiB", b / 1024 }')" \
	"$(awk -v a="$rss_mark" 'BEGIN { printf "%.1f MiB", a / 1024 }')" \
	"$(awk -v a="$rss_mark" -v b="$rss_end" 'BEGIN { printf "%.3fx", b / a }')" "<= 1.05x" "$verdict"
# The soak is only worth its RSS if glass followed: libvirt back after
# the restarts, the churned containers in the tree.
ok=met
[ "$lv_ok" -gt 0 ] && [ "$seen" -gt 0 ] || ok=MISSED
bench_row "soak: libvirt ok after restarts / churned containers seen" "$lv_ok of $lv_checks ok, $seen seen" \
	"$restarts restarts, $churned changes" "-" "both > 0" "$ok"
[ "$verdict" = met ] && [ "$ok" = met ]
