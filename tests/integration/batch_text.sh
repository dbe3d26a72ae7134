#!/bin/sh
# Batch text: a readable tree like top -b, and batch by default off a tty.
. "$(dirname "$0")/lib.sh"

"$GLASS" -n 2 -d 0.2 >"$TMP/out" 2>"$TMP/err" </dev/null
check "without -b and without a tty: batch, exit 0" test $? -eq 0
check "no stderr" test ! -s "$TMP/err"
check "two snapshots" test "$(grep -c '^glass .* snapshot [12] ' "$TMP/out")" -eq 2
check "a column header" grep -q '^NAME .* KIND .* CPU_ALLOC .* MEM_USED' "$TMP/out"
check "the site line" grep -q '^site  *site' "$TMP/out"
hn=$(uname -n)
check "the local host line, indented, with its cpus ($hn)" \
	grep -Eq "^  $hn +host +up +$(getconf _NPROCESSORS_ONLN) " "$TMP/out"
check "the sources line" grep -q '^sources: 2 ok$' "$TMP/out"
check "the load line" grep -Eq '^ +load [0-9.]+ [0-9.]+ [0-9.]+' "$TMP/out"
check "no control bytes in text output" sh -c '! LC_ALL=C grep -q "[[:cntrl:]]" "$1"' _ "$(tr -d '\n' <"$TMP/out" >"$TMP/flat"; echo "$TMP/flat")"

# In a non-UTF-8 locale unknowns are '-', never a raw UTF-8 dash.
LC_ALL=C "$GLASS" -b -d 0.1 >"$TMP/c" 2>/dev/null
check "C locale output is ASCII" sh -c '! LC_ALL=C grep -q "[^ -~]" "$1"' _ "$TMP/c"
finish
