#!/bin/sh
# The Debian package, as an operator meets it: built with dpkg-buildpackage
# from a clean copy of the source, lintian-clean (errors and warnings),
# installed with apt-get, `/usr/bin/glass -b --format json` valid against
# the schema, every file where `dpkg -L glass` says, the service's user made
# and its unit disabled, the unit's command run as that user (its history
# read by a user other than root, as a cron job would); then purged,
# leaving no file, no user, no state.  The package never outlives the test.
# Last, in a container booted with systemd, `systemctl enable --now glass`
# starts the service as glass with its one capability, and it writes.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root: it installs and purges the glass package"
for tool in dpkg-buildpackage dh apt-get; do
	command -v "$tool" >/dev/null 2>&1 ||
		skip "$tool is not installed (apt-get install dpkg-dev debhelper)"
done
command -v flock >/dev/null 2>&1 || skip "flock(1) is not installed (util-linux)"

# One package test at a time on this machine: dpkg has one database.
exec 8>/tmp/glass-package.lock
flock -w 900 8 || skip "another package test held /tmp/glass-package.lock for 15 minutes"

if dpkg-query -W -f '${Status}' glass 2>/dev/null | grep -q 'install ok installed\|config-files'; then
	skip "a glass package is installed here already; the test would replace and purge it"
fi
if getent passwd glass >/dev/null; then
	skip "a user glass exists here already; purging the package would remove it"
fi

purge_glass() {
	if dpkg-query -W glass >/dev/null 2>&1; then
		dpkg --purge glass >"$TMP/purge-on-exit.log" 2>&1 ||
			say "could not purge glass on exit: $(tail -1 "$TMP/purge-on-exit.log")"
	fi
}
on_exit purge_glass
# apt's download sandbox user reads the .deb from here.
chmod 755 "$TMP"

version=$("$GLASS" --version | sed -n '1s/^glass \([^ ]*\).*/\1/p')
changelog_version=$(sed -n '1s/^glass (\([^)]*\)).*/\1/p' "$SRCDIR/debian/changelog")
check "debian/changelog's version is glass's ($version)" test "$changelog_version" = "$version"

# A clean copy: a git checkout's tracked files (as edited), else the
# unpacked release tarball (make distcheck's source is one, read-only),
# with any in-tree build's products cleaned out.
src="$TMP/src/glass-$version"
mkdir -p "$src"
top=$(git -C "$SRCDIR" rev-parse --show-toplevel 2>/dev/null || true)
if [ -n "$top" ] && [ "$(cd "$top" && pwd -P)" = "$(cd "$SRCDIR" && pwd -P)" ]; then
	(cd "$SRCDIR" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$src"
	how="the git checkout's files"
else
	(cd "$SRCDIR" && tar --exclude=./_build --exclude=./_inst -cf - .) | tar -xf - -C "$src"
	chmod -R u+w "$src"
	if [ -f "$src/Makefile" ]; then
		make -C "$src" distclean >/dev/null 2>&1
	fi
	how="the source tree (not a git checkout)"
fi
check "the copy has debian/ ($how)" test -x "$src/debian/rules"

start=$(date +%s)
(cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=2" DEB_BUILD_PROFILES=nocheck \
	dpkg-buildpackage -us -uc -b) >"$TMP/build.log" 2>&1
rc=$?
say "dpkg-buildpackage -us -uc -b: exit $rc in $(($(date +%s) - start)) s"
check "dpkg-buildpackage -us -uc -b succeeds" test "$rc" -eq 0
deb="$TMP/src/glass_${version}_$(dpkg --print-architecture).deb"
if [ "$rc" -ne 0 ] || [ ! -f "$deb" ]; then
	tail -30 "$TMP/build.log"
	fail "no $deb"
	finish
fi

if command -v lintian >/dev/null 2>&1; then
	lintian "$deb" >"$TMP/lintian.txt" 2>&1
	check "lintian: no errors or warnings$(grep '^[EW]:' "$TMP/lintian.txt" | sed 's/^/ | /')" \
		sh -c "! grep -q '^[EW]:' '$TMP/lintian.txt'"
else
	say "lintian is not installed (apt-get install lintian): the package is not linted"
fi

(cd "$TMP/src" && apt-get install -y "./$(basename "$deb")") >"$TMP/install.log" 2>&1 ||
	dpkg -i "$deb" >>"$TMP/install.log" 2>&1
check "the package installs" sh -c "dpkg-query -W -f '\${Status}' glass | grep -q 'install ok installed'"
if ! dpkg-query -W -f '${Status}' glass 2>/dev/null | grep -q 'install ok installed'; then
	tail -20 "$TMP/install.log"
	finish
fi

# Run from the package, without this tree's config or themes.
/usr/bin/glass -b -n 2 -d 0.2 --format json >"$TMP/snap.jsonl" 2>"$TMP/snap.err"
rc=$?
check "/usr/bin/glass -b --format json exits 0 (exit $rc) $(cat "$TMP/snap.err")" test "$rc" -eq 0
check "two JSON lines" test "$(wc -l <"$TMP/snap.jsonl")" -eq 2
check "they validate against doc/snapshot.schema.json" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/snap.jsonl"
check "/usr/bin/glass --version is $version" sh -c "/usr/bin/glass --version | grep -qF 'glass $version'"

dpkg -L glass >"$TMP/files.txt"
# listed PATTERN DESCRIPTION: dpkg -L lists a file matching PATTERN, and it is there.
listed() {
	f=$(grep -E "^$1\$" "$TMP/files.txt" | head -1)
	if [ -n "$f" ] && [ -f "$f" ]; then
		pass "$2: $f"
		echo "$f" >>"$TMP/checked.txt"
	else
		fail "$2: dpkg -L glass lists no file like $1 that exists"
	fi
}
listed /usr/bin/glass "the program"
listed '/usr/share/man/man1/glass\.1(\.gz)?' "the man page"
listed /usr/share/glass/themes/default.theme "the default theme"
listed /usr/share/glass/themes/mono.theme "the mono theme"
listed /usr/share/glass/themes/light.theme "the light theme"
listed /usr/share/bash-completion/completions/glass "the bash completion"
listed '(/usr)?/lib/systemd/system/glass\.service' "the unit"
listed /usr/lib/sysusers.d/glass.conf "the service user's sysusers.d file"
listed '/usr/share/doc/glass/README\.md(\.gz)?' "the README"
listed '/usr/share/doc/glass/snapshot\.schema\.json(\.gz)?' "the schema"
listed /usr/share/doc/glass/copyright "the copyright file"

if command -v man >/dev/null 2>&1; then
	check "man finds the page: $(man -w glass 2>&1)" sh -c "man -w glass | grep -q '^/usr/share/man/man1/glass\.1'"
	MANWIDTH=80 man glass >"$TMP/man.txt" 2>"$TMP/man.err"
	check "man glass renders without warnings" sh -c "test -s '$TMP/man.txt' && test ! -s '$TMP/man.err'"
fi
if [ -r /usr/share/bash-completion/bash_completion ]; then
	spec=$(bash --norc --noprofile -c '. /usr/share/bash-completion/bash_completion; __load_completion glass; complete -p glass' 2>&1)
	check "bash-completion loads the installed completion: $spec" test "$spec" = "complete -F _glass glass"
	check "the installed completion knows the installed themes" \
		grep -q "'/usr/share/glass/themes'" /usr/share/bash-completion/completions/glass
fi

unit=$(grep -E '^(/usr)?/lib/systemd/system/glass\.service$' "$TMP/files.txt" | head -1)
check "the service's user glass exists: $(getent passwd glass)" sh -c "getent passwd glass >/dev/null"
shell=$(getent passwd glass | cut -d: -f7)
check "and cannot log in ($shell)" sh -c "case '$shell' in */nologin|*/false) true ;; *) false ;; esac"
check "and is a system user (uid $(id -u glass 2>/dev/null))" test "$(id -u glass 2>/dev/null || echo 99999)" -lt 1000
check "the unit is not enabled" sh -c "! ls /etc/systemd/system/*.wants/glass.service >/dev/null 2>&1"
if command -v systemd-analyze >/dev/null 2>&1; then
	SYSTEMD_LOG_LEVEL=notice systemd-analyze verify "$unit" >"$TMP/verify.txt" 2>&1
	check "systemd-analyze verify $unit passes$(sed 's/^/ | /' "$TMP/verify.txt")" \
		sh -c "test ! -s '$TMP/verify.txt'"
else
	say "systemd-analyze is not installed: the installed unit is not verified"
fi

# No systemd runs the unit here: run its ExecStart as it would, as glass with
# only CAP_DAC_READ_SEARCH, into the state directory systemd makes, until
# the textfile appears; then SIGTERM, as systemctl stop sends.
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
# the exporter's port is this machine's: another test may hold it
port=$("$PYTHON3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
exec_start=$(echo "$exec_start" | sed "s|127.0.0.1:10464|127.0.0.1:$port|")
if command -v setpriv >/dev/null 2>&1; then
	install -d -o glass -g glass -m 0755 /var/lib/glass
	# shellcheck disable=SC2086 # the unit's command line, split as systemd splits it
	(cd /var/lib/glass && exec setpriv --reuid=glass --regid=glass --init-groups \
		--inh-caps=+dac_read_search --ambient-caps=+dac_read_search --no-new-privs \
		env -i PATH=/usr/bin:/bin HOME=/var/lib/glass USER=glass LOGNAME=glass \
		$exec_start -d 0.3) >"$TMP/service.out" 2>"$TMP/service.err" &
	svc=$!
	i=0
	while [ ! -s /var/lib/glass/glass.prom ] && [ "$i" -lt 50 ] && kill -0 "$svc" 2>/dev/null; do
		sleep 0.2
		i=$((i + 1))
	done
	check "the unit's command ($exec_start) writes /var/lib/glass/glass.prom as glass" \
		test -s /var/lib/glass/glass.prom
	check "owned by glass" test "$(stat -c %U /var/lib/glass/glass.prom 2>/dev/null)" = glass
	check "Prometheus text" grep -q '^glass_source_up' /var/lib/glass/glass.prom
	kill -TERM "$svc" 2>/dev/null
	wait "$svc"
	rc=$?
	check "it stops on SIGTERM with exit 0 (exit $rc) $(cat "$TMP/service.err")" test "$rc" -eq 0
	# The history a cron job's `glass -b --idle --window 7d` judges from.
	buckets=$("$PYTHON3" -c 'import sqlite3, sys
print(sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True).execute(
    "SELECT count(*) FROM buckets").fetchone()[0])' /var/lib/glass/history.db 2>&1)
	check "it keeps history in /var/lib/glass/history.db ($buckets rows)" test "$buckets" -gt 0 2>/dev/null
	check "owned by glass" test "$(stat -c %U /var/lib/glass/history.db 2>/dev/null)" = glass
	setpriv --reuid=65534 --regid=65534 --clear-groups -- /usr/bin/glass -b --idle --window 7d -n 1 \
		-d 0.2 --history /var/lib/glass/history.db >"$TMP/cron.out" 2>"$TMP/cron.err"
	rc=$?
	check "a user other than root reads it: glass -b --idle --window 7d --history ... (exit $rc) $(cat "$TMP/cron.err")" \
		sh -c 'test $1 -eq 0 && test ! -s "$2" && grep -q "^idle: " "$3"' _ $rc "$TMP/cron.err" "$TMP/cron.out"
else
	say "setpriv is not installed (util-linux): the unit's command is not run as glass"
fi

dpkg --purge glass >"$TMP/purge.log" 2>&1
rc=$?
check "dpkg --purge glass succeeds (exit $rc)$(tail -3 "$TMP/purge.log" | sed 's/^/ | /')" test "$rc" -eq 0
check "dpkg -L glass lists nothing" sh -c "! dpkg -L glass >/dev/null 2>&1"
check "dpkg knows nothing of glass" sh -c "! dpkg-query -W glass >/dev/null 2>&1"
left=""
for f in $(cat "$TMP/checked.txt" 2>/dev/null); do
	[ -e "$f" ] && left="$left $f"
done
check "every installed file is gone${left:+:$left}" test -z "$left"
check "/usr/share/glass is gone" test ! -e /usr/share/glass
check "/usr/share/doc/glass is gone" test ! -e /usr/share/doc/glass
check "the state in /var/lib/glass is gone" test ! -e /var/lib/glass
check "the user glass is gone" sh -c "! getent passwd glass >/dev/null"
check "the group glass is gone" sh -c "! getent group glass >/dev/null"

# The unit under a real systemd: a container booted from this machine's
# files (an overlay on a tmpfs in a mount namespace of its own, its own
# network, so nothing it does reaches this machine) into a service that
# installs the package, enables and starts glass, and reports.
boot_check() {
	command -v systemd-nspawn >/dev/null 2>&1 || {
		say "systemd-nspawn is not installed (apt-get install systemd-container): the unit is not started under systemd"
		return
	}
	command -v unshare >/dev/null 2>&1 || { say "unshare(1) is missing: the unit is not started under systemd"; return; }
	b="$TMP/boot"
	mkdir -p "$b/share" "$b/root" "$b/rw"
	cp "$deb" "$b/share/glass.deb"
	cat >"$b/share/run.sh" <<'EOS'
#!/bin/sh
exec >/mnt/glass-test/out.txt 2>&1
dpkg -i /mnt/glass-test/glass.deb >/mnt/glass-test/dpkg.txt 2>&1 && echo "installed: yes"
echo "enabled-after-install: $(systemctl is-enabled glass)"
echo "active-after-install: $(systemctl is-active glass)"
systemctl enable --now glass 2>/dev/null
i=0
while [ ! -s /var/lib/glass/glass.prom ] && [ "$i" -lt 60 ]; do sleep 1; i=$((i + 1)); done
echo "active: $(systemctl is-active glass)"
echo "textfile-owner: $(stat -c %U /var/lib/glass/glass.prom)"
echo "textfile-source-up: $(grep -c '^glass_source_up' /var/lib/glass/glass.prom)"
echo "served-node-info: $(curl -s --max-time 10 http://127.0.0.1:10464/metrics | grep -c '^glass_node_info{')"
grep -E '^(Uid|CapEff|CapAmb|CapBnd|NoNewPrivs):' "/proc/$(systemctl show -P MainPID glass)/status" |
	tr '\t' ' ' | sed 's/: */: /'
systemctl stop glass
echo "stop-result: $(systemctl show -P Result glass)"
echo "stop-status: $(systemctl show -P ExecMainStatus glass)"
journalctl -u glass --no-pager -q >/mnt/glass-test/journal.txt 2>&1
echo DONE
# The oneshot's end is the container's.
systemctl poweroff 2>/dev/null
EOS
	chmod 755 "$b/share/run.sh"
	printf '[Unit]\nDescription=glass package check\n[Service]\nType=oneshot\nExecStart=/mnt/glass-test/run.sh\n' \
		>"$b/check.service"
	# Where /dev/null is not a device (some sandboxes), nspawn cannot copy
	# it: a real one is bound over it inside the namespace only.
	[ -c /dev/null ] || mknod -m 666 "$b/null" c 1 3
	start=$(date +%s)
	timeout 300 unshare -m --propagation private sh -c '
		b=$1
		set -e
		[ ! -c "$b/null" ] || mount --bind "$b/null" /dev/null
		mount -t tmpfs -o size=1G tmpfs "$b/rw"
		mkdir "$b/rw/upper" "$b/rw/work"
		mount -t overlay overlay -o "lowerdir=/,upperdir=$b/rw/upper,workdir=$b/rw/work" "$b/root"
		exec systemd-nspawn -q -D "$b/root" -M glass-pkg-test --keep-unit --register=no \
			--link-journal=no --private-network --bind="$b/share:/mnt/glass-test" \
			--bind-ro="$b/check.service:/etc/systemd/system/glass-pkg-check.service" \
			--boot -- systemd.unit=glass-pkg-check.service' boot "$b" >"$b/nspawn.log" 2>&1
	rc=$?
	out="$b/share/out.txt"
	if ! grep -q '^DONE' "$out" 2>/dev/null; then
		say "could not boot a container here (exit $rc: $(grep -v '^Attempted to remove' "$b/nspawn.log" | tail -1)): the unit is not started under systemd"
		return
	fi
	say "booted a container, installed, started and stopped glass.service in $(($(date +%s) - start)) s"
	sed 's/^/    /' "$out"
	field() { sed -n "s/^$1: *//p" "$out" | head -1; }
	check "in the container: the package installs$(tail -2 "$b/share/dpkg.txt" | sed 's/^/ | /')" test "$(field installed)" = yes
	check "the unit is disabled after install ($(field enabled-after-install))" test "$(field enabled-after-install)" = disabled
	check "and not running ($(field active-after-install))" test "$(field active-after-install)" = inactive
	check "systemctl enable --now glass: active ($(field active))" test "$(field active)" = active
	check "the service writes /var/lib/glass/glass.prom as glass ($(field textfile-owner))" \
		test "$(field textfile-owner)" = glass
	check "with glass_source_up lines ($(field textfile-source-up))" test "$(field textfile-source-up)" -gt 0
	check "and serves /metrics on 127.0.0.1:10464 ($(field served-node-info) nodes)" \
		test "$(field served-node-info)" -gt 0
	uid=$(field Uid | awk '{print $1}')
	check "it runs as the glass user, not root (uid $uid)" test "${uid:-0}" -ne 0
	check "its capabilities are CAP_DAC_READ_SEARCH alone ($(field CapEff))" \
		test "$(field CapEff)" = 0000000000000004
	check "bounded to it ($(field CapBnd))" test "$(field CapBnd)" = 0000000000000004
	check "with no new privileges ($(field NoNewPrivs))" test "$(field NoNewPrivs)" = 1
	check "systemctl stop: success, exit 0 ($(field stop-result), $(field stop-status))" \
		test "$(field stop-result)/$(field stop-status)" = success/0
}
boot_check
finish
