#!/bin/sh
# Read-only proof: under strace, glass opens no file under a cgroup root
# for writing (no O_WRONLY, O_RDWR, O_CREAT or O_TRUNC), on a fixture tree
# and, as root, on the live /sys/fs/cgroup.
. "$(dirname "$0")/lib.sh"

command -v strace >/dev/null 2>&1 || skip "strace is not installed (apt-get install strace)"
strace -f -o /dev/null true 2>/dev/null || skip "strace cannot trace here (ptrace not permitted)"

cp -r "$SRCDIR/tests/fixtures/cgroup/v1" "$TMP/tree"
chmod -R u+w "$TMP/tree"

# trace NAME ROOT ARGS...: strace -y names the directory behind each fd.
trace() {
	name=$1 root=$2
	shift 2
	# LeakSanitizer cannot run under ptrace: an ASan build traced here
	# leaves leak checking to the other tests.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -y -qq -e trace=openat,open,creat,truncate -o "$TMP/$name.trace" "$GLASS" "$@" \
		>"$TMP/$name.out" 2>"$TMP/$name.err"
	rc=$?
	check "$name: glass exits 0 ($rc)" test "$rc" -eq 0
	[ "$rc" -eq 0 ] || sed 's/^/    /' "$TMP/$name.err"
	grep -F "$root" "$TMP/$name.trace" >"$TMP/$name.cg"
	reads=$(grep -c 'O_RDONLY' "$TMP/$name.cg")
	check "$name: the trace shows glass reading under $root ($reads opens)" test "$reads" -gt 10
	if grep -E 'O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|creat\(|truncate\(' "$TMP/$name.cg" >"$TMP/$name.bad"; then
		fail "$name: opened for writing under $root:"
		head -5 "$TMP/$name.bad" | sed 's/^/    /'
	else
		pass "$name: no open for writing under $root"
	fi
}

trace fixture "$TMP/tree" -b --no-local --cgroup-root "$TMP/tree" -n 3 -d 0.05 --format json
if [ "$(id -u)" = 0 ] && [ -d /sys/fs/cgroup ]; then
	trace live /sys/fs/cgroup -b -n 3 -d 0.05 --format json
else
	say "live part skipped: not root"
fi
finish
