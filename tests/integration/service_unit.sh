#!/bin/sh
# contrib/glass.service: `systemd-analyze verify` passes on it (offline: no
# running systemd is needed), it runs as the user of contrib/sysusers.d, and
# its command line is one glass accepts, writing the textfile it names.
. "$(dirname "$0")/lib.sh"

UNIT_IN="$SRCDIR/contrib/glass.service.in"
SYSUSERS="$SRCDIR/contrib/sysusers.d/glass.conf"
check "the unit's source is there" test -r "$UNIT_IN"

# The unit as `make install` would make it, with bindir where this glass is.
bindir=$(cd "$(dirname "$GLASS")" && pwd)
mkdir -p "$TMP/unit" "$TMP/man/man1"
sed "s|@bindir@|$bindir|g" "$UNIT_IN" >"$TMP/unit/glass.service"
unit="$TMP/unit/glass.service"

get() { sed -n "s/^$1=//p" "$unit"; }
check "runs as the user glass" test "$(get User)" = glass
check "sysusers.d makes that user" grep -qE '^u[[:space:]]+glass[[:space:]]' "$SYSUSERS"
check "its state is /var/lib/glass (StateDirectory=glass)" test "$(get StateDirectory)" = glass
check "ProtectSystem=strict" test "$(get ProtectSystem)" = strict
check "NoNewPrivileges=yes" test "$(get NoNewPrivileges)" = yes
check "ProtectHome=yes" test "$(get ProtectHome)" = yes
check "cgroups read-only (ProtectControlGroups=yes)" test "$(get ProtectControlGroups)" = yes
check "only CAP_DAC_READ_SEARCH is kept" test "$(get CapabilityBoundingSet)" = CAP_DAC_READ_SEARCH
check "and it is the only ambient one" test "$(get AmbientCapabilities)" = CAP_DAC_READ_SEARCH
check "the unit says what it runs" grep -q '^# glass as a service' "$unit"
check "installed disabled, for multi-user.target when enabled" test "$(get WantedBy)" = multi-user.target

# What ExecStart runs, pointed at a scratch file: one prom snapshot written.
exec_start=$(get ExecStart)
check "ExecStart runs $bindir/glass ($exec_start)" test "${exec_start%% *}" = "$bindir/glass"
case $exec_start in
*" --history /var/lib/glass/history.db "*" -o /var/lib/glass/glass.prom"*)
	pass "ExecStart keeps the history and writes /var/lib/glass/glass.prom" ;;
*) fail "ExecStart does not write /var/lib/glass/glass.prom: $exec_start" ;;
esac
case $exec_start in
*" --serve 127.0.0.1:10464 "*) pass "ExecStart serves Prometheus on 127.0.0.1:10464" ;;
*) fail "ExecStart does not serve on 127.0.0.1:10464: $exec_start" ;;
esac
port=$("$PYTHON3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cmd=$(echo "$exec_start" | sed "s| -n 0 | -n 1 |; s|127.0.0.1:10464|127.0.0.1:$port|; s|/var/lib/glass/glass.prom|$TMP/glass.prom|; s|/var/lib/glass/history.db|$TMP/history.db|")
# shellcheck disable=SC2086 # the unit's command line, split as systemd splits it
$cmd -d 0.2 >"$TMP/run.out" 2>"$TMP/run.err"
rc=$?
check "ExecStart's command runs (once): exit $rc $(cat "$TMP/run.err")" test "$rc" -eq 0
check "it writes the file -o names" test -s "$TMP/glass.prom"
check "it writes Prometheus text" grep -q '^glass_source_up' "$TMP/glass.prom"

if ! command -v systemd-analyze >/dev/null 2>&1; then
	say "SKIP part: systemd-analyze is not installed (apt-get install systemd): the unit is not verified"
	finish
fi
# verify looks the Documentation= man page up: this tree's, not an installed one.
cp "$SRCDIR/doc/glass.1" "$TMP/man/man1/glass.1"
MANPATH="$TMP/man" SYSTEMD_LOG_LEVEL=notice systemd-analyze verify "$unit" >"$TMP/verify.out" 2>&1
rc=$?
check "systemd-analyze verify passes (exit $rc)" test "$rc" -eq 0
check "systemd-analyze verify says nothing: $(cat "$TMP/verify.out")" test ! -s "$TMP/verify.out"
finish
