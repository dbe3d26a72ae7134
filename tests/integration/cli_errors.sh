#!/bin/sh
# Bad input: one line on stderr, "glass: <what>: <why>", exit 2.
. "$(dirname "$0")/lib.sh"

expect_error 2 "unknown long option" "unknown option '--bogus'" -b --bogus
expect_error 2 "unknown short option" "unknown option '-z'" -b -z
expect_error 2 "negative iterations" "invalid iterations '-1'" -b -n -1
expect_error 2 "non-numeric delay" "invalid delay 'abc'" -b -d abc
expect_error 2 "zero delay" "invalid delay '0'" -b -d 0
expect_error 2 "unknown format, naming every format" "unknown format 'xml': expected text, json, csv or prom" -b --format xml
expect_error 2 "--fields with a format without columns" "--fields: the json format has no columns" -b --format json --fields name
expect_error 2 "unknown format" "unknown format 'xml'" -b --format xml
expect_error 2 "missing option value" "needs a value" -b -n
expect_error 2 "stray argument" "unexpected argument 'extra'" -b extra
expect_error 2 "zero threshold" "invalid threshold '0'" -b --threshold 0
expect_error 2 "threshold over 100" "invalid threshold '150'" -b --threshold 150
expect_error 2 "bad window unit" "invalid duration '5x'" -b --window 5x
expect_error 2 "missing config file" "$TMP/none.rc: No such file or directory" -b -C "$TMP/none.rc"

printf 'interval = 1\n# fine\nformt = json\n' >"$TMP/typo.rc"
expect_error 2 "config typo names file:line" "$TMP/typo.rc:3: unknown key 'formt'" -b -C "$TMP/typo.rc"
printf 'interval = soon\n' >"$TMP/bad.rc"
expect_error 2 "config bad value names file:line" "$TMP/bad.rc:1: invalid delay 'soon'" -b -C "$TMP/bad.rc"
printf 'cost.core_month = 12.5\ncost.gib_month = -3\n' >"$TMP/cost.rc"
expect_error 2 "negative cost names file:line" "$TMP/cost.rc:2: invalid amount '-3'" -b -C "$TMP/cost.rc"
mkdir -p "$TMP/xdg/glass"
printf 'format = yaml\n' >"$TMP/xdg/glass/glassrc"
XDG_CONFIG_HOME="$TMP/xdg" expect_error 2 "default config is read" "$TMP/xdg/glass/glassrc:1: unknown format 'yaml'" -b
expect_error 2 "nothing to watch" "nothing to watch" -b --no-local

# A good config applies: json format from the file.
printf 'format = json\ninterval = 0.2\n' >"$TMP/good.rc"
"$GLASS" -b -C "$TMP/good.rc" >"$TMP/out" 2>"$TMP/err"
check "config format = json applies" "$PYTHON3" -c 'import json,sys; json.loads(open(sys.argv[1]).readline())' "$TMP/out"
check "config interval applies" test "$(json_get "$TMP/out" 'd["interval_seconds"]')" = "0.2"
check "a good run prints nothing on stderr" test ! -s "$TMP/err"
# The command line wins over the config.
"$GLASS" -b -C "$TMP/good.rc" --format text >"$TMP/out" 2>/dev/null
check "--format on the command line wins" grep -q '^glass .* snapshot 1' "$TMP/out"

# Help and version go to stdout with exit 0.
"$GLASS" --help >"$TMP/out" 2>&1
check "--help exits 0" test $? -eq 0
check "--help shows usage" grep -q '^Usage: glass' "$TMP/out"
"$GLASS" -V >"$TMP/out" 2>&1
check "--version prints the version" grep -Eq '^glass [0-9]+\.[0-9]+\.[0-9]+$' "$TMP/out"

# On a terminal without -b: the TUI (tests/tui/ drive it in tmux); -n 1
# ends it after one refresh.  A bad theme is a usage error before curses.
if command -v script >/dev/null 2>&1; then
	timeout 20 script -qec "$GLASS -n 1 -d 0.2" /dev/null >"$TMP/tty" 2>&1
	rc=$?
	check "interactive on a tty exits 0 after -n 1" test "$rc" -eq 0
	check "interactive on a tty draws the tree" grep -q 'NAME' "$TMP/tty"
	timeout 20 script -qec "$GLASS --theme no-such-theme" /dev/null >"$TMP/tty" 2>&1
	rc=$?
	check "a missing theme exits 2" test "$rc" -eq 2
	check "a missing theme is named" grep -q "^glass: theme 'no-such-theme'" "$TMP/tty"
	timeout 20 script -qec "$GLASS -o $TMP/snap.txt -d 0.1" /dev/null >"$TMP/tty" 2>&1
	rc=$?
	check "-o on a tty is batch: exit 0" test "$rc" -eq 0
	check "-o on a tty is batch: the file has the snapshot" grep -q '^NAME' "$TMP/snap.txt"
else
	say "script(1) missing: the tty case is not checked"
fi
finish
