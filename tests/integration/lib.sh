# lib.sh: shared by the shell tests.  Sourced; the harness exports GLASS,
# SRCDIR and PYTHON3 (Makefile.am AM_TESTS_ENVIRONMENT).
set -u

: "${GLASS:?run through make check, or export GLASS=path/to/glass}"
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PYTHON3:=/usr/bin/python3}"
SCHEMA="$SRCDIR/doc/snapshot.schema.json"
VALIDATE="$SRCDIR/tests/tools/validate_schema.py"

TEST_NAME=$(basename "$0" .sh)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/glass-$TEST_NAME.XXXXXX")
FAILS=0
CLEANUPS=""

cleanup() {
	for c in $CLEANUPS; do "$c" || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT

# on_exit FUNCTION: run it when the test ends, even when it fails.
on_exit() { CLEANUPS="$1 $CLEANUPS"; }

# say: to the terminal of whoever runs make check (fd 9), and to the log.
say() {
	echo "$TEST_NAME: $*"
	{ echo "$TEST_NAME: $*" >&9; } 2>/dev/null || true
}

pass() { echo "ok: $*"; }
fail() {
	echo "FAIL: $*"
	{ echo "$TEST_NAME: FAIL: $*" >&9; } 2>/dev/null || true
	FAILS=$((FAILS + 1))
}
# skip REASON: a skip always says why, where it is seen.
skip() { say "SKIP: $*"; exit 77; }

# check DESCRIPTION COMMAND...: pass when the command succeeds.
check() {
	desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc"; fi
}

finish() {
	if [ "$FAILS" -gt 0 ]; then
		echo "$FAILS check(s) failed"
		exit 1
	fi
	exit 0
}

# json_get FILE PYTHON-EXPRESSION-ON-d: prints the value (first line only).
json_get() {
	"$PYTHON3" -c "import json,sys; d=json.loads(open(sys.argv[1]).readline()); print($2)" "$1"
}

# expect_error EXIT-CODE DESCRIPTION EXPECTED-SUBSTRING ARGS...: glass exits 2
# with exactly one line on stderr, starting "glass: ", naming the problem.
expect_error() {
	want_rc=$1
	desc=$2
	want=$3
	shift 3
	"$GLASS" "$@" >"$TMP/expect.out" 2>"$TMP/expect.err" </dev/null
	rc=$?
	lines=$(wc -l <"$TMP/expect.err")
	if [ "$rc" -eq "$want_rc" ] && [ "$lines" -eq 1 ] && grep -q "^glass: " "$TMP/expect.err" &&
		grep -qF -- "$want" "$TMP/expect.err"; then
		pass "$desc (exit $rc: $(cat "$TMP/expect.err"))"
	else
		fail "$desc: exit $rc (want $want_rc), $lines stderr line(s) (want 1 containing '$want'):"
		sed "s/^/    /" "$TMP/expect.err"
	fi
}
