#!/bin/sh
# Builds the libFuzzer harnesses with clang and runs each for a bounded
# time (FUZZ_SECONDS, default 6), seeded from the fixture trees.  Without
# clang it says so and does nothing: the parsers' unit tests still run.
# Usage: run.sh SRCDIR BUILDDIR
set -u
SRCDIR=$1
BUILD=$2/tests/fuzz
SECONDS_EACH=${FUZZ_SECONDS:-6}
CLANG=${CLANG:-clang}

if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "fuzz: SKIP: clang is not installed (apt-get install clang): the libFuzzer harnesses in tests/fuzz/ did not run"
	exit 0
fi
mkdir -p "$BUILD"
FIX=$SRCDIR/tests/fixtures/cgroup
CFLAGS="-g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$SRCDIR/include -I$2 -include $2/config.h"
COMMON="$SRCDIR/src/core/xalloc.c $SRCDIR/src/core/errbuf.c $SRCDIR/src/core/strbuf.c $SRCDIR/src/core/idmap.c"
JSONC=$(pkg-config --cflags --libs json-c)

seed() { # seed NAME FILES...: a fresh corpus in the build tree
	name=$1
	shift
	rm -rf "$BUILD/corpus-$name"
	mkdir -p "$BUILD/corpus-$name"
	n=0
	for f in "$@"; do [ -f "$f" ] && cp "$f" "$BUILD/corpus-$name/seed$n" && n=$((n + 1)); done
}
D2="$FIX/v2/system.slice/docker-3f4e8a1b2c9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f.scope"
D1="$FIX/v1/memory/docker/3f4e8a1b2c9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f"
B1="$FIX/v1/blkio/docker/3f4e8a1b2c9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f"
seed parse_v2 "$D2"/cpu.stat "$D2"/cpu.max "$D2"/memory.stat "$D2"/io.stat "$D2"/cpu.pressure "$D2"/pids.max
seed parse_v1 "$D1"/memory.stat "$D1"/memory.limit_in_bytes "$B1"/blkio.throttle.io_service_bytes
seed names "$FIX/data/docker/containers/3f4e8a1b2c9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f/config.v2.json"
seed runtime
printf 'system.slice\0docker-3f4e8a1b2c9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f.scope' >"$BUILD/corpus-runtime/a"
printf 'machine.slice\0machine-qemu\\x2d1\\x2dweb\\x2dvm.scope' >"$BUILD/corpus-runtime/b"
printf 'kubepods-burstable.slice\0kubepods-burstable-pod4b1f2c3d_5e6f_4a7b_8c9d_0e1f2a3b4c5d.slice' >"$BUILD/corpus-runtime/c"
printf 'machine\0qemu-2-db.libvirt-qemu' >"$BUILD/corpus-runtime/d"
seed mountinfo
i=0
while IFS= read -r line; do
	printf '%s\n' "$line" >"$BUILD/corpus-mountinfo/m$i"
	i=$((i + 1))
done </proc/self/mountinfo

fail=0
for h in parse_v2:cgroup_parse parse_v1:cgroup_parse runtime:cgroup_runtime mountinfo:cgroup_layout names:cgroup_names; do
	name=${h%%:*}
	unit=${h#*:}
	bin="$BUILD/fuzz_cgroup_$name"
	# shellcheck disable=SC2086
	if ! $CLANG $CFLAGS -o "$bin" "$SRCDIR/tests/fuzz/fuzz_cgroup_$name.c" \
		"$SRCDIR/src/sources/$unit.c" $COMMON $JSONC -lm 2>"$bin.build.log"; then
		echo "fuzz: FAIL: fuzz_cgroup_$name does not build:"
		sed 's/^/    /' "$bin.build.log"
		fail=1
		continue
	fi
	if ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$SECONDS_EACH" -rss_limit_mb=1024 \
		-max_len=8192 -artifact_prefix="$BUILD/crash-$name-" "$BUILD/corpus-$name" \
		>"$bin.log" 2>&1; then
		runs=$(grep -o 'Done [0-9]* runs' "$bin.log" | tail -1)
		echo "fuzz: PASS: fuzz_cgroup_$name ($runs in ${SECONDS_EACH}s)"
	else
		echo "fuzz: FAIL: fuzz_cgroup_$name (see $bin.log):"
		tail -30 "$bin.log" | sed 's/^/    /'
		fail=1
	fi
done
exit $fail
