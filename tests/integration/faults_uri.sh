#!/bin/sh
# What glass hands to ssh and libvirt, and what reaches stderr: a URI's
# password never reaches ssh's command line, glass+ssh URIs reach ssh in
# the form it takes, libxml2 prints nothing of its own, config errors
# carry no raw control bytes, and a read-only monitor starts no daemon.
. "$(dirname "$0")/lib.sh"

# An ssh that writes down its arguments (one per line, a blank line
# after each run) and fails, as an unreachable host does.
mkdir -p "$TMP/bin"
cat >"$TMP/bin/ssh" <<EOF
#!/bin/sh
for a in "\$@"; do printf '%s\n' "\$a"; done >>"$TMP/ssh.args"
echo >>"$TMP/ssh.args"
echo "ssh: fake: no such host" >&2
exit 255
EOF
chmod +x "$TMP/bin/ssh"
printf 'remote.ssh = %s\n' "$TMP/bin/ssh" >"$TMP/rc"

# ---- qemu+ssh with a password: not on ssh's command line, said once
: >"$TMP/ssh.args"
PATH="$TMP/bin:$PATH" "$GLASS" -b --no-local -C "$TMP/rc" -c 'qemu+ssh://root:S3CRET@127.0.0.1/system' -d 0.3 \
	>"$TMP/pw.out" 2>"$TMP/pw.err"
check "libvirt ran ssh" test -s "$TMP/ssh.args"
check "the password is not among ssh's arguments" sh -c "! grep -q S3CRET '$TMP/ssh.args'"
check "... ssh logs in as root ($(tr '\n' ' ' <"$TMP/ssh.args" | cut -c1-80))" grep -qx root "$TMP/ssh.args"
check "the password is in no output" sh -c "! grep -q S3CRET '$TMP/pw.out' '$TMP/pw.err'"
check "glass says once that it left the password out" \
	test "$(grep -c '^glass: qemu+ssh://root:\*\*\*@127.0.0.1/system: warning: the password in the URI is not used' "$TMP/pw.err")" -eq 1

# ---- glass+ssh: an IPv6 address in brackets, a stray colon
: >"$TMP/ssh.args"
"$GLASS" -b --no-local -C "$TMP/rc" -c 'glass+ssh://root@[::1]:2222' -n 2 -d 1 >/dev/null 2>&1
check "[::1]:2222 reaches ssh as root@::1 and -p 2222 ($(tr '\n' ' ' <"$TMP/ssh.args" | cut -c1-120))" \
	sh -c "grep -qx 'root@::1' '$TMP/ssh.args' && grep -A1 -x -- -p '$TMP/ssh.args' | grep -qx 2222"
check "... no bracket reaches ssh" sh -c "! grep -q '[][]' '$TMP/ssh.args'"
: >"$TMP/ssh.args"
"$GLASS" -b --no-local -C "$TMP/rc" -c 'glass+ssh://[::1]' -n 2 -d 1 >/dev/null 2>&1
check "[::1] alone reaches ssh as ::1, no -p" sh -c "grep -qx '::1' '$TMP/ssh.args' && ! grep -qx -- -p '$TMP/ssh.args'"
expect_error 2 "host:port: is an invalid port, not a password" "invalid port '2222:'" \
	-b -C "$TMP/rc" -c 'glass+ssh://host:2222:'
expect_error 2 "an unclosed bracket is not a URI" "expected glass+ssh://" -b -C "$TMP/rc" -c 'glass+ssh://[::1:22'
expect_error 2 "user:pass@ is still refused" "a password in the URI is not used" \
	-b -C "$TMP/rc" -c 'glass+ssh://root:S3CRET@host'

# ---- libxml2 under libvirt writes nothing of its own on stderr
"$GLASS" -b -c test:///nonexistent.xml -d 0.3 >"$TMP/x.out" 2>"$TMP/x.err"
rc=$?
check "test:///nonexistent.xml beside the local host: exit 0 (got $rc), nothing on stderr" \
	test "$rc" -eq 0 -a ! -s "$TMP/x.err"
expect_error 1 "test:///nonexistent.xml alone: glass's one line, nothing of libxml2's" \
	"no source could be sampled: test:///nonexistent.xml" -b --no-local -c test:///nonexistent.xml -d 0.3

# ---- config errors: control bytes escaped
printf 'format = \033[2J\033]0;PWN\007 json\n' >"$TMP/evil.rc"
expect_error 2 "a config value's control bytes are escaped in the error" '\x1b[2J\x1b]0;PWN\x07' -b -C "$TMP/evil.rc"
check "... none reach stderr raw" sh -c "! LC_ALL=C grep -q \"\$(printf '[\\033\\007]')\" '$TMP/expect.err'"
expect_error 2 "an option's too" '\x1b]0;PWN\x07' -b --format "$(printf '\033]0;PWN\007')"

# ---- qemu:///session as a user starts no libvirtd (that would outlive
# glass by its --timeout=120)
if [ "$(id -u)" -ne 0 ]; then
	say "SKIP (this part): switching to an unprivileged user needs root"
	finish
fi
if [ ! -c /dev/null ]; then
	say "SKIP (this part): /dev/null is not a character device on this machine: libvirt cannot run a user's session"
	finish
fi
command -v libvirtd >/dev/null 2>&1 || command -v virtqemud >/dev/null 2>&1 || {
	say "SKIP (this part): no libvirtd or virtqemud to autostart (apt-get install libvirt-daemon-system)"
	finish
}
HOMED="$TMP/home"
mkdir -p "$HOMED/run"
chmod 755 "$TMP"
chown nobody "$HOMED" "$HOMED/run"
chmod 700 "$HOMED/run"
# this test's daemons only: a user daemon whose runtime dir is ours
our_daemons() {
	for p in $(pgrep -u nobody -f 'libvirtd|virtqemud'); do
		tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "XDG_RUNTIME_DIR=$HOMED/run" && echo "$p"
	done
}
stop_daemons() { for p in $(our_daemons); do kill "$p"; done; return 0; }
on_exit stop_daemons
setpriv --reuid=nobody --regid=nogroup --clear-groups env -i PATH=/usr/sbin:/usr/bin:/bin HOME="$HOMED" \
	XDG_RUNTIME_DIR="$HOMED/run" "$GLASS" -b --no-local -c qemu:///session -d 0.3 >"$TMP/s.out" 2>"$TMP/s.err"
sleep 0.5
left=$(our_daemons)
check "qemu:///session as nobody: no libvirtd started${left:+ (found pid $left)}" test -z "$left"
check "... the source says why instead: $(tail -1 "$TMP/s.err")" grep -q "qemu:///session" "$TMP/s.err"
finish
