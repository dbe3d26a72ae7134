#!/bin/sh
# Docs move with the code: --help and the man page name the same options,
# the man page renders, and .ci/run is the README's test command.
. "$(dirname "$0")/lib.sh"

MAN="$SRCDIR/doc/glass.1"
if ! command -v man >/dev/null 2>&1; then
	skip "man(1) is not installed (apt-get install man-db)"
fi
LC_ALL=C.UTF-8 MANWIDTH=100 man -l "$MAN" >"$TMP/man.txt" 2>"$TMP/man.err"
check "man -l doc/glass.1 renders" test -s "$TMP/man.txt"
check "man -l prints no warnings" test ! -s "$TMP/man.err"
for s in NAME SYNOPSIS DESCRIPTION OPTIONS FILES "EXIT STATUS" EXAMPLES; do
	check "man page has $s" grep -q "^$s" "$TMP/man.txt"
done
"$GLASS" --help >"$TMP/help.txt"
opts=$(grep -oE -- '--[a-z][a-z-]+' "$TMP/help.txt" | sort -u)
check "--help lists options" test -n "$opts"
# man renders hyphens as U+2010 in some locales: compare on ASCII.
sed 's/\xe2\x80\x90/-/g; s/\xe2\x88\x92/-/g' "$TMP/man.txt" >"$TMP/man.ascii"
for o in $opts; do
	check "man page documents $o" grep -qe "$o" "$TMP/man.ascii"
done

# The README's config example is a config glass accepts, each key once
# (but the repeatable ones): glass reads it and runs on it.
sed -n '/^## Configuration/,/^## /p' "$SRCDIR/README.md" | sed -n '/^```$/,/^```$/p' |
	sed '1d;$d' >"$TMP/readme.rc"
check "the README has a config example" grep -q '^interval' "$TMP/readme.rc"
dups=$(grep -v '^#' "$TMP/readme.rc" | sed -n 's/^\([a-z_.-]*\) *=.*/\1/p' |
	grep -vx -e hypervisor -e host | sort | uniq -d | tr '\n' ' ')
check "the README's config example names each key once (twice: $dups)" test -z "$dups"
"$GLASS" -C "$TMP/readme.rc" -b -n 1 -d 0.1 --no-libvirt --no-local --format text \
	--cgroup-root "$SRCDIR/tests/fixtures/cgroup/v2" >"$TMP/readme.out" 2>"$TMP/readme.err"
check "glass accepts the README's config example ($(head -1 "$TMP/readme.err"))" \
	test ! -s "$TMP/readme.err"

# The lists of formats and kinds: what glass accepts (its own error
# message names them) is what --help, the man page and the README say.
formats=$("$GLASS" -b --format=nosuch 2>&1 | sed -n 's/.*expected \(.*\)$/\1/p' | sed 's/,\| or / /g')
kinds=$("$GLASS" -b --kind=nosuch 2>&1 | sed -n 's/.*expected \(.*\)$/\1/p' | sed 's/,\| or / /g')
check "glass names its formats ($formats)" test "$(echo $formats | wc -w)" -ge 4
check "glass names its kinds ($kinds)" test "$(echo $kinds | wc -w)" -ge 5
synopsis=$(sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' "$TMP/man.ascii" | tr '\n' ' ')
fmtkey=$(grep -E '^ +format = ' "$TMP/man.ascii" | tr -d ' ')
kindopt=$(sed -n '/--kind=LIST/,/^$/p' "$TMP/man.ascii" | tr '\n' ' ')
for f in $formats; do
	check "--help names format $f" grep -qE -- "--format=FORMAT.* $f\b|^ +.*\b$f\b( \(|$)" "$TMP/help.txt"
	check "the man page's SYNOPSIS names format $f" sh -c 'echo "$1" | grep -q -- "--format.*\b$2\b"' _ "$synopsis" "$f"
	check "the man page's format = names $f" sh -c 'echo "$1" | grep -qw "$2"' _ "$fmtkey" "$f"
done
for k in $kinds; do
	check "--help's --kind names $k" sh -c 'grep -- "--kind=LIST" "$1" | grep -qw "$2"' _ "$TMP/help.txt" "$k"
	check "the man page's --kind names $k" sh -c 'echo "$1" | grep -qw "$2"' _ "$kindopt" "$k"
	check "the README's --kind names $k" sh -c 'grep -- "--kind LIST" "$1" | grep -qw "$2"' _ "$SRCDIR/README.md" "$k"
done

# The config keys: each one --help names is in the man page's
# CONFIGURATION, and every key of the README's example is one --help names.
sed -n '/^Config: /,/^Interactive keys/p' "$TMP/help.txt" >"$TMP/help.conf"
{
	grep -oE '\b[a-z][a-z0-9_-]*(\.[a-zA-Z0-9_-]+)+\b' "$TMP/help.conf" | grep -v GLOB
	for k in interval format hypervisor host theme; do grep -qw "$k" "$TMP/help.conf" && echo "$k"; done
} | sort -u >"$TMP/help.keys"
check "--help names config keys ($(wc -l <"$TMP/help.keys"))" test "$(wc -l <"$TMP/help.keys")" -ge 20
conf=$(sed -n '/^CONFIGURATION/,/^POWER/p' "$TMP/man.ascii")
for k in $(cat "$TMP/help.keys"); do
	check "the man page's CONFIGURATION documents $k" sh -c 'echo "$1" | grep -qE "^ +$2 = "' _ "$conf" "$k"
done
for k in $(grep -v '^#' "$TMP/readme.rc" | sed -n 's/^\([a-z_.-]*\) *=.*/\1/p' | sort -u); do
	check "--help names the README's config key $k" grep -qx -- "$k" "$TMP/help.keys"
done

# The interactive keys: every key of the key table (src/views/tui/keys.c)
# is in the man page's KEYS, and P and F2 in the README's table.
# A key is named in a tag of KEYS (the words before the text, at the
# indent of .TP), e.g. "F6, >, ., <, ,".
sed -n '/^KEYS/,/^THEMES/p' "$TMP/man.ascii" | "$PYTHON3" -c '
import re, sys
for l in sys.stdin:
    m = re.match(r"^ {7}(\S.*?)(?: {2,}|$)", l.rstrip("\n"))
    if m and len(m.group(1)) <= 16:
        for k in re.split(r", | and ", m.group(1)):
            print(k)' | sort -u >"$TMP/man.keys"
for k in $(sed -n '/^static const struct tui_binding bindings/,/^};/p' "$SRCDIR/src/views/tui/keys.c" |
	sed "s/CTRL('\(.\)')/Ctrl-\1/" | grep -oE "KEY_F\([0-9]+\)|'[^'\\]'|Ctrl-[a-z]" |
	sed "s/KEY_F(\([0-9]*\))/F\1/; s/'//g; s/Ctrl-l/Ctrl-L/" | sort -u); do
	check "the man page's KEYS names key $k" grep -qxF -- "$k" "$TMP/man.keys"
done
for k in '`P`' 'F2'; do
	check "the README's key table names $k" grep -qF -- "| $k" "$SRCDIR/README.md"
done

# .ci/run runs exactly the README's second quick-start command.
readme_cmd=$(sed -n '/<!-- test-command -->/,/```$/p' "$SRCDIR/README.md" | sed -n '/^```sh$/,/^```$/p' | sed '1d;$d')
ci_cmd=$(grep -v '^#' "$SRCDIR/.ci/run" | grep -v '^set ' | grep -v '^cd ' | sed '/^$/d')
check "README has a test command" test -n "$readme_cmd"
check ".ci/run is the README's test command" test "$readme_cmd" = "$ci_cmd"
finish
