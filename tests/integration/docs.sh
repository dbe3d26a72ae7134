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

# .ci/run runs exactly the README's second quick-start command.
readme_cmd=$(sed -n '/<!-- test-command -->/,/```$/p' "$SRCDIR/README.md" | sed -n '/^```sh$/,/^```$/p' | sed '1d;$d')
ci_cmd=$(grep -v '^#' "$SRCDIR/.ci/run" | grep -v '^set ' | grep -v '^cd ' | sed '/^$/d')
check "README has a test command" test -n "$readme_cmd"
check ".ci/run is the README's test command" test "$readme_cmd" = "$ci_cmd"
finish
