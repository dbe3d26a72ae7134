#!/bin/sh
# Builds the libFuzzer harnesses with clang and runs each for a bounded
# time (FUZZ_SECONDS, default 6), or with FUZZ_TOTAL_RUNS for that many
# executions shared out over the harnesses (make fuzz-long; FUZZ_RUNS sets
# the count of each directly).  Seeds: the fixture trees and
# tests/fuzz/seeds/<name>/, copied to a corpus in the build tree (the
# fuzzer writes there, never into the sources).  Without clang it says so
# and does nothing: the parsers' unit tests still run.
# Usage: run.sh SRCDIR BUILDDIR [HARNESS...]   (a harness: config, uri, ...)
set -u
SRCDIR=$1
TOP=$2
BUILD=${FUZZ_DIR:-$2/tests/fuzz} # make fuzz-long has its own, so make check can run meanwhile
shift 2
SECONDS_EACH=${FUZZ_SECONDS:-6}
CLANG=${CLANG:-clang}

if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "fuzz: SKIP: clang is not installed (apt-get install clang): the libFuzzer harnesses in tests/fuzz/ did not run"
	exit 0
fi
mkdir -p "$BUILD/obj"
FIX=$SRCDIR/tests/fixtures/cgroup
SEEDS=$SRCDIR/tests/fuzz/seeds
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-g -O1 -std=c11 -D_GNU_SOURCE -pthread $SAN -I$SRCDIR -I$SRCDIR/include -I$TOP -include $TOP/config.h"
JSONC=$(pkg-config --cflags --libs json-c)

# The pure parts of glass (no curses, libvirt or libstatgrab), built once
# with coverage for the fuzzer into one archive: each harness links what
# it uses.
LIBSRC="src/core/*.c src/sources/cgroup*.c src/sources/ipmi_uri.c src/sources/libvirt_uri.c src/sources/remote.c
	src/sources/source.c src/sources/source_config.c src/sources/ipmi_config.c src/sources/libvirt_config.c
	src/sources/prometheus_config.c src/sources/prometheus_series.c src/sources/remote_config.c src/views/columns.c src/views/csv.c src/views/idle_label.c
	src/views/idle_list.c src/views/json.c src/views/owner_report.c src/views/prom.c src/views/text.c src/views/units.c
	src/views/view_spill.c src/views/view_table.c src/views/writer.c src/views/tui/theme.c src/views/tui/colcfg.c
	src/sources/procs.c"
LIB=$BUILD/libglass-fuzz.a
rm -f "$LIB" "$BUILD"/obj/*.o "$BUILD"/obj/*.log
# shellcheck disable=SC2086
(cd "$SRCDIR" && ls $LIBSRC) | sed 's/\.c$//' | xargs -P 2 -I@ sh -c \
	'o="$0/obj/$(echo @ | tr / _).o"; $1 $2 -fsanitize=fuzzer-no-link -DGLASS_DATADIR="\"/nonexistent\"" $3 -c "$4/@.c" -o "$o" 2>"$o.log" || { echo "fuzz: FAIL: @.c does not build:"; sed "s/^/    /" "$o.log"; }' \
	"$BUILD" "$CLANG" "$CFLAGS" "$(pkg-config --cflags json-c)" "$SRCDIR"
if ! ar rcs "$LIB" "$BUILD"/obj/*.o 2>/dev/null; then
	echo "fuzz: FAIL: the fuzzing archive of glass did not build"
	exit 1
fi

seed() { # seed NAME FILES...: a fresh corpus in the build tree
	name=$1
	shift
	rm -rf "$BUILD/corpus-$name"
	mkdir -p "$BUILD/corpus-$name"
	n=0
	for f in "$@"; do [ -f "$f" ] && cp "$f" "$BUILD/corpus-$name/seed$n" && n=$((n + 1)); done
	[ -d "$SEEDS/$name" ] && cp "$SEEDS/$name"/* "$BUILD/corpus-$name/" 2>/dev/null
	return 0
}
D2="$FIX/v2/system.slice/docker-3f4e8a1b2c9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f.scope"
D1="$FIX/v1/memory/docker/3f4e8a1b2c9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f"
B1="$FIX/v1/blkio/docker/3f4e8a1b2c9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f"
seed cgroup_parse_v2 "$D2"/cpu.stat "$D2"/cpu.max "$D2"/memory.stat "$D2"/io.stat "$D2"/cpu.pressure "$D2"/pids.max
seed cgroup_parse_v1 "$D1"/memory.stat "$D1"/memory.limit_in_bytes "$B1"/blkio.throttle.io_service_bytes
seed cgroup_names "$FIX/data/docker/containers/3f4e8a1b2c9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f/config.v2.json"
seed cgroup_runtime
printf 'system.slice\0docker-3f4e8a1b2c9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f.scope' >"$BUILD/corpus-cgroup_runtime/a"
printf 'machine.slice\0machine-qemu\\x2d1\\x2dweb\\x2dvm.scope' >"$BUILD/corpus-cgroup_runtime/b"
printf 'kubepods-burstable.slice\0kubepods-burstable-pod4b1f2c3d_5e6f_4a7b_8c9d_0e1f2a3b4c5d.slice' >"$BUILD/corpus-cgroup_runtime/c"
printf 'machine\0qemu-2-db.libvirt-qemu' >"$BUILD/corpus-cgroup_runtime/d"
seed cgroup_mountinfo
i=0
while IFS= read -r line; do
	printf '%s\n' "$line" >"$BUILD/corpus-cgroup_mountinfo/m$i"
	i=$((i + 1))
done </proc/self/mountinfo
seed cgroup_meta "$FIX"/data/podman/overlay-containers/containers.json
seed config
seed theme "$SRCDIR"/themes/*.theme
seed snapshot "$SRCDIR"/tests/fixtures/replay/*.jsonl
seed remote "$SRCDIR"/tests/fixtures/replay/*.jsonl
seed uri
seed escape
seed prom_series

ALL="cgroup_parse_v2 cgroup_parse_v1 cgroup_runtime cgroup_mountinfo cgroup_names cgroup_meta
	config theme snapshot remote uri escape prom_series"
[ $# -gt 0 ] && ALL=$*
# A harness's share of FUZZ_TOTAL_RUNS: whole snapshots through json-c
# run a hundred times slower than a line of cgroup text.
weight() {
	case $1 in
	snapshot | remote) echo 1 ;;
	uri | cgroup_meta) echo 2 ;;
	*) echo 6 ;;
	esac
}
wsum=0
for name in $ALL; do wsum=$((wsum + $(weight "$name"))); done
[ -n "${FUZZ_TOTAL_RUNS:-}" ] && [ -z "${FUZZ_RUNS:-}" ] &&
	echo "fuzz: $FUZZ_TOTAL_RUNS executions over $(echo $ALL | wc -w) harnesses"

fail=0
total=0
for name in $ALL; do
	if [ -n "${FUZZ_RUNS:-}" ]; then
		LIMIT="-runs=$FUZZ_RUNS"
	elif [ -n "${FUZZ_TOTAL_RUNS:-}" ]; then
		LIMIT="-runs=$(((FUZZ_TOTAL_RUNS * $(weight "$name") + wsum - 1) / wsum))"
	else
		LIMIT="-max_total_time=$SECONDS_EACH"
	fi
	bin="$BUILD/fuzz_$name"
	# shellcheck disable=SC2086
	if ! $CLANG $CFLAGS -fsanitize=fuzzer -o "$bin" "$SRCDIR/tests/fuzz/fuzz_$name.c" \
		"$LIB" $JSONC -lm 2>"$bin.build.log"; then
		echo "fuzz: FAIL: fuzz_$name does not build:"
		sed 's/^/    /' "$bin.build.log"
		fail=1
		continue
	fi
	maxlen=8192
	case $name in snapshot) maxlen=32768 ;; esac # whole snapshots of the fixture trees
	start=$(date +%s)
	if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 "$bin" $LIMIT -timeout=25 \
		-rss_limit_mb=1024 -max_len=$maxlen -print_final_stats=1 \
		-artifact_prefix="$BUILD/crash-$name-" "$BUILD/corpus-$name" >"$bin.log" 2>&1; then
		secs=$(($(date +%s) - start))
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$bin.log" | tail -1)
		total=$((total + ${runs:-0}))
		echo "fuzz: PASS: fuzz_$name (${runs:-?} executions in ${secs}s, no crash, leak or sanitizer report)"
	else
		echo "fuzz: FAIL: fuzz_$name (see $bin.log):"
		tail -30 "$bin.log" | sed 's/^/    /'
		fail=1
	fi
done
echo "fuzz: $total executions in all"
exit $fail
