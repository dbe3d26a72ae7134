# sshd.sh: a real OpenSSH server on 127.0.0.1 for the remote tests, with
# its own host key, authorized key, port and pid file; stopped by pid.
# Sourced after lib.sh.  Sets SSHD_PORT, REMOTE_NAME (the far side's host
# name) and REMOTE_GLASS, and writes $TMP/glassrc so that
# glass reaches it with `-C $TMP/glassrc -c glass+ssh://root@127.0.0.1:$SSHD_PORT`.

SSHD=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$SSHD" ] || skip "sshd is not installed (apt-get install openssh-server)"
command -v ssh >/dev/null 2>&1 || skip "ssh is not installed (apt-get install openssh-client)"
[ "$(id -u)" -eq 0 ] || skip "needs root: sshd's privilege separation and a login as root"
unshare --uts true 2>/dev/null || skip "unshare --uts fails here: the far glass needs a host name of its own"

free_port() {
	"$PYTHON3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

sshd_start() {
	SSHD_PORT=$(free_port)
	ssh-keygen -q -t ed25519 -N '' -f "$TMP/hostkey" >/dev/null
	ssh-keygen -q -t ed25519 -N '' -f "$TMP/id" >/dev/null
	cp "$TMP/id.pub" "$TMP/authorized_keys"
	mkdir -p /run/sshd
	cat >"$TMP/sshd_config" <<CONF
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $TMP/hostkey
PidFile $TMP/sshd.pid
AuthorizedKeysFile $TMP/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
MaxStartups 50
LogLevel ERROR
CONF
	cat >"$TMP/ssh_config" <<CONF
Host *
  IdentityFile $TMP/id
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  LogLevel ERROR
CONF
	"$SSHD" -f "$TMP/sshd_config" -E "$TMP/sshd.log" || skip "sshd would not start: $(tail -1 "$TMP/sshd.log")"
	i=0
	while [ ! -s "$TMP/sshd.pid" ] && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$TMP/sshd.pid" ] || skip "sshd wrote no pid file: $(tail -1 "$TMP/sshd.log")"
	on_exit sshd_stop
	# The far side runs this build of glass, with no config of its own.
	# Its own empty config: no stray settings, and a path in its command
	# line that tells this test's remote glass from any other.
	: >"$TMP/remote.rc"
	# The far side is another machine with a name of its own (a UTS
	# namespace): glass refuses a remote that reports this host's name.
	REMOTE_NAME=glass-far-$$
	REMOTE_GLASS="unshare --uts sh -c 'hostname $REMOTE_NAME && exec \"\$0\" \"\$@\"' $GLASS -C $TMP/remote.rc"
	cat >"$TMP/glassrc" <<CONF
remote.ssh = ssh -F $TMP/ssh_config
remote.command = $REMOTE_GLASS
CONF
	ssh -F "$TMP/ssh_config" -o BatchMode=yes -p "$SSHD_PORT" root@127.0.0.1 true 2>"$TMP/ssh.err" ||
		skip "cannot log in to the test sshd: $(tail -1 "$TMP/ssh.err")"
}

# sshd_descendants PID: every process below PID, found by parent (never by
# name: another test's sshd sessions may run beside this one)
sshd_descendants() {
	for c in $(pgrep -P "$1"); do
		echo "$c"
		sshd_descendants "$c"
	done
}

sshd_stop() {
	# sshd removes its pid file as it exits: a second call finds none
	listener=$(cat "$TMP/sshd.pid" 2>/dev/null)
	[ -n "$listener" ] || return 0
	# its sessions too, listed before the listener goes and they lose their parent
	sessions=$(sshd_descendants "$listener")
	kill "$listener" $sessions 2>/dev/null
	return 0
}
