#!/bin/sh
# The history store's size per node per day: a synthetic day of NODES
# containers sampled every 60 s (the recorder's -d 60), replayed into a
# new store through glass's own code (glass --replay FILE --history DB),
# the file measured.  Target (issue): <= 8 KiB per node per day at
# 5-minute buckets.
set -u
: "${GLASS:?}" "${SRCDIR:?}" "${PYTHON3:=python3}" "${NODES:=100}"
. "$SRCDIR/tests/bench/bench_lib.sh"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/glass-bench-history.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
"$GLASS" -b -n 1 -d 0.1 --no-local --cgroup-root "$SRCDIR/tests/fixtures/cgroup/v2" --no-history \
	--format json >"$TMP/tpl.json" || exit 1
start=$(( $(date +%s) / 86400 * 86400 - 86400 ))
"$PYTHON3" "$SRCDIR/tests/bench/history_gen.py" "$TMP/tpl.json" "$TMP/day.jsonl" --start "$start" \
	--step 60 --count 1440 --clone "$NODES" || exit 1
"$GLASS" --replay "$TMP/day.jsonl" --history "$TMP/h.db" >/dev/null || exit 1
if [ -e "$TMP/h.db-wal" ] && [ -s "$TMP/h.db-wal" ]; then
	echo "history_size.sh: the WAL was not checkpointed at exit" >&2
	exit 1
fi
bytes=$(wc -c <"$TMP/h.db")
per=$((bytes / NODES))
kib=$("$PYTHON3" -c "print(f'{$per / 1024:.1f}')")
ratio=$("$PYTHON3" -c "print(f'{$per / 8192:.2f}x')")
verdict=met
[ "$per" -le 8192 ] || verdict=MISSED
bench_row "history store per node per day ($NODES nodes, 5-min buckets, -d 60)" "$kib KiB" \
	"target 8 KiB" "$ratio" "<= 8 KiB" "$verdict"
[ "$verdict" = met ]
