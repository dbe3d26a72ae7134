#!/bin/sh
# make bench-fleet: glass at fleet size, 1,000 hosts x 100 containers
# (100,000 nodes), from a synthetic recording (fleet_gen.py, made once in
# $FLEET_DIR):
#  - model + idle policy + rollups: CPU per refresh in steady state
#    (tests/bench/fleet_cost), target <= 150 ms;
#  - the heap glass holds per node in that steady state (the tree, the
#    reading, rate state, build index, idle tracks, history buffers),
#    there and at 3,000 nodes (SMALL_HOSTS x 100), target <= 2 KiB;
#  - the peak RSS of `glass -b --replay` of it (one snapshot, JSON to
#    /dev/null), target <= 256 MiB, with the CPU it takes;
#  - the TUI replaying it (-d 2: a snapshot read every 2 s) in tmux: the
#    median time from a key to the screen change (tui_latency.py, the
#    keys of make bench-latency), target <= 50 ms, and the TUI's peak RSS,
#    target <= 256 MiB (tui_fleet.sh).
. "$SRCDIR/tests/integration/lib.sh"
. "$SRCDIR/tests/bench/bench_lib.sh"

HOSTS=${FLEET_HOSTS:-1000}
CTS=${FLEET_CONTAINERS:-100}
DIR=${FLEET_DIR:-$TMP}
REC="$DIR/fleet-$HOSTS-$CTS.jsonl"
mkdir -p "$DIR"
if [ ! -s "$REC" ]; then
	echo "== making $REC ($HOSTS hosts x $CTS containers, 3 snapshots)"
	"$PYTHON3" "$SRCDIR/tests/bench/fleet_gen.py" "$SRCDIR/tests/fixtures/replay/guest-joined.jsonl" \
		"$REC.tmp" --hosts "$HOSTS" --containers "$CTS" --count 3 && mv "$REC.tmp" "$REC" ||
		{ fail "fleet_gen.py failed"; finish; }
fi

# heap_row FLEET_COST_OUTPUT: the heap-per-node row of one fleet_cost run
heap_row() {
	# shellcheck disable=SC2046
	set -- $(sed -n 's/^FLEET_HEAP //p' "$1")
	if [ $# -eq 2 ]; then
		bench_row "fleet: heap per node in steady state ($2 nodes)" "$1 B" "-" \
			"$(awk -v b="$1" 'BEGIN { printf "%.2f KiB", b / 1024 }')" "<= 2 KiB" \
			"$([ "$1" -le 2048 ] && echo met || echo MISSED)"
	else
		fail "fleet_cost gave no heap figure"
	fi
}

SMALL=${FLEET_SMALL_HOSTS:-30}
SREC="$DIR/fleet-$SMALL-$CTS.jsonl"
if [ ! -s "$SREC" ]; then
	"$PYTHON3" "$SRCDIR/tests/bench/fleet_gen.py" "$SRCDIR/tests/fixtures/replay/guest-joined.jsonl" \
		"$SREC.tmp" --hosts "$SMALL" --containers "$CTS" --count 1 && mv "$SREC.tmp" "$SREC" ||
		{ fail "fleet_gen.py failed"; finish; }
fi
echo "== fleet_cost $SREC 5 (heap per node)"
"$FLEET_COST" "$SREC" 5 "$TMP/history-small.db" | tee "$TMP/cost-small.out"
heap_row "$TMP/cost-small.out"

echo "== fleet_cost $REC 5"
"$FLEET_COST" "$REC" 5 "$TMP/history.db" | tee "$TMP/cost.out"
# shellcheck disable=SC2046
set -- $(sed -n 's/^FLEET_MS //p' "$TMP/cost.out")
if [ $# -eq 2 ]; then
	v=$(awk -v m="$1" 'BEGIN { print (m <= 150) ? "met" : "MISSED" }')
	bench_row "fleet: model + idle + rollups CPU/refresh ($2 nodes, steady state)" "$1 ms" \
		"-" "$1 ms" "<= 150 ms" "$v"
else
	fail "fleet_cost gave no figure"
fi
heap_row "$TMP/cost.out"

echo "== glass -b --replay $REC -n 1 --format json >/dev/null (peak RSS)"
if command -v /usr/bin/time >/dev/null 2>&1 || [ -x /usr/bin/time ]; then
	/usr/bin/time -f "%M %U %S" -o "$TMP/time.out" "$GLASS" -b --replay "$REC" -n 1 --format json \
		>/dev/null 2>"$TMP/replay.err" || fail "glass --replay failed: $(head -1 "$TMP/replay.err")"
	read -r kib user sys <"$TMP/time.out"
	mib=$((kib / 1024))
	echo "peak RSS $mib MiB, CPU ${user}+${sys} s"
	bench_row "fleet: RSS of glass -b --replay (one 100k-node snapshot)" "$mib MiB" \
		"CPU ${user} s user + ${sys} s sys" "$mib MiB" "<= 256 MiB" "$([ "$mib" -le 256 ] && echo met || echo MISSED)"
else
	bench_row "fleet: RSS of glass -b --replay (one 100k-node snapshot)" "-" "-" "-" "<= 256 MiB" \
		"n/a (/usr/bin/time is not installed, package time)"
fi

# the TUI replaying it, a snapshot read every 2 s while the keys are sent:
# 12 snapshots, the recording four times over
LONG="$DIR/fleet-$HOSTS-$CTS-x4.jsonl"
[ -s "$LONG" ] || { cat "$REC" "$REC" "$REC" "$REC" >"$LONG.tmp" && mv "$LONG.tmp" "$LONG"; }
echo "== glass --replay $LONG -d 2 in tmux"
. "$SRCDIR/tests/bench/tui_fleet.sh"
tui_fleet "fleet: replay of 100k nodes every 2 s" "replay [0-9]+/12" "${FLEET_KEYS:-30}" \
	-d 2 --replay "$LONG"
finish
