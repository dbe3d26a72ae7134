#!/bin/sh
# glass with hypervisors under valgrind: the libvirt source's open, sample,
# fallback, failure and close paths leak nothing and touch no bad memory.
# (check-valgrind runs glass without -c; this covers the libvirt paths.)
. "$(dirname "$0")/lib.sh"

command -v valgrind >/dev/null 2>&1 || skip "valgrind is not installed"
# An ASan build (make check-asan) cannot run under valgrind.
if grep -q "__asan_init" "$GLASS" 2>/dev/null; then
	skip "glass is built with AddressSanitizer, which does the same job here"
fi
FIXTURE="$SRCDIR/tests/fixtures/libvirt/node8.xml"
valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	"$GLASS" -b -n 3 -d 2 --format json --no-local -c "test://$FIXTURE" -c test:///default \
	-c 'test+tcp://admin:s3cret@127.0.0.1:1/default' >"$TMP/out" 2>"$TMP/vg"
rc=$?
# exit 99: valgrind found something; 0 (or 1 when valgrind made every
# source too slow to answer, which the next check reports) is glass's own.
check "valgrind: no error, no definite or indirect leak (exit $rc)" test $rc -ne 99
if [ $rc -eq 99 ]; then sed 's/^/    /' "$TMP/vg" | head -40; fi
check "valgrind run: 3 snapshots" test "$(wc -l <"$TMP/out")" -eq 3
oks=$(tail -1 "$TMP/out" | "$PYTHON3" -c 'import json,sys; print(sum(s["health"] == "ok" for s in json.load(sys.stdin)["sources"]))')
check "valgrind run: the test-driver sources were sampled ($oks of 3 ok; the third is a closed port)" test "$oks" -eq 2
finish
