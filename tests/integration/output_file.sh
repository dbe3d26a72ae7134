#!/bin/sh
# -o FILE: written whole through a temporary name and rename; a directory
# that cannot take the file is a clear error and an older FILE stays.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/out"
"$GLASS" -b -n 3 -d 0.1 --format json -o "$TMP/out/snap.json" >"$TMP/stdout" 2>"$TMP/err"
check "exit 0" test $? -eq 0
check "nothing on stdout with -o" test ! -s "$TMP/stdout"
check "nothing on stderr" test ! -s "$TMP/err"
check "FILE holds the last snapshot only" test "$(wc -l <"$TMP/out/snap.json")" -eq 1
check "FILE is the third snapshot" test "$(json_get "$TMP/out/snap.json" 'd["sequence"]')" = 3
check "FILE validates" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/out/snap.json"
check "no temporary file is left" test "$(ls -A "$TMP/out")" = "snap.json"

expect_error 2 "missing directory" "$TMP/nodir/snap.json: cannot write in $TMP/nodir: No such file or directory" \
	-b -o "$TMP/nodir/snap.json"
expect_error 2 "a directory where files cannot be made" "cannot write in /proc" -b -o /proc/glass-snap.json

# An unwritable directory with an older FILE in it: the error, and the old
# bytes untouched.  Root ignores permissions, so drop to nobody for it.
mkdir -p "$TMP/ro"
echo "old snapshot" >"$TMP/ro/snap.json"
chmod 755 "$TMP" "$TMP/ro"
chmod 555 "$TMP/ro"
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
	else
		as_user=""
		say "setpriv missing: the read-only directory case runs as root and is not checked"
	fi
else
	as_user="env"
fi
if [ -n "$as_user" ]; then
	$as_user "$GLASS" -b -o "$TMP/ro/snap.json" >/dev/null 2>"$TMP/err"
	rc=$?
	check "read-only directory: exit 2 ($(cat "$TMP/err"))" test "$rc" -eq 2
	check "read-only directory: one line naming the file" \
		sh -c 'test "$(wc -l <"$1")" -eq 1 && grep -q "^glass: .*ro/snap.json: cannot write in .*: Permission denied" "$1"' _ "$TMP/err"
	check "the older FILE stays intact" test "$(cat "$TMP/ro/snap.json")" = "old snapshot"
fi
chmod 755 "$TMP/ro"

# A relative FILE (no directory part) works from the current directory.
(cd "$TMP/out" && "$GLASS" -b -o rel.txt) 2>"$TMP/err"
check "relative -o FILE" grep -q '^glass .* snapshot 1' "$TMP/out/rel.txt"
finish
