# libvirtd_lib.sh: a libvirtd of the suite's own on 127.0.0.1 (DESIGN.md
# §7), for tests and the benchmark.  Sourced after lib.sh.
#
# libvirtd_start [PORT]: starts it (a free port unless given) with a
# temporary config (TCP without TLS or auth, its own socket dir, pid file
# and log) and waits until it answers; sets LVD_PORT and LVD_PID.  It is
# stopped by pid when the test ends.  A root libvirtd takes system-wide
# driver locks (/run/libvirt/*/driver.pid), so only one can run: tests
# that start one hold a lock file meanwhile, and skip with the daemon's
# own reason when it cannot start (another libvirtd on this machine).

LVD_DIR="$TMP/libvirtd"
LVD_PID=""
LVD_PORT=""

libvirtd_free_port() {
	"$PYTHON3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

libvirtd_require() {
	command -v libvirtd >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin"
	command -v libvirtd >/dev/null 2>&1 || skip "libvirtd is not installed (package libvirt-daemon-system)"
	command -v virsh >/dev/null 2>&1 || skip "virsh is not installed (package libvirt-clients)"
	[ "$(id -u)" -eq 0 ] || skip "libvirtd's qemu:///system needs root (running as $(id -un))"
	command -v flock >/dev/null 2>&1 || skip "flock is not installed (package util-linux)"
	exec 8>"${TMPDIR:-/tmp}/glass-libvirtd.lock"
	flock -w 300 8 || skip "another glass test held the libvirtd lock for 300 s"
}

# Is it answering on its port?
libvirtd_answers() {
	virsh -q -c "test+tcp://127.0.0.1:$LVD_PORT/default" version >/dev/null 2>&1
}

libvirtd_start() {
	LVD_PORT=${1:-$(libvirtd_free_port)}
	mkdir -p "$LVD_DIR/run"
	cat >"$LVD_DIR/libvirtd.conf" <<CONF
listen_tls = 0
listen_tcp = 1
listen_addr = "127.0.0.1"
tcp_port = "$LVD_PORT"
auth_tcp = "none"
auth_unix_ro = "none"
auth_unix_rw = "none"
unix_sock_dir = "$LVD_DIR/run"
log_outputs = "3:file:$LVD_DIR/libvirtd.log"
CONF
	rm -f "$LVD_DIR/libvirtd.pid"
	# 8>&-: the lock stays with this test; a virtlogd that libvirtd
	# spawns for a guest outlives it and would hold the lock forever.
	libvirtd --listen -f "$LVD_DIR/libvirtd.conf" -p "$LVD_DIR/libvirtd.pid" \
		>>"$LVD_DIR/libvirtd.out" 2>&1 </dev/null 8>&- &
	LVD_PID=$!
	i=0
	while [ $i -lt 100 ]; do
		if ! kill -0 "$LVD_PID" 2>/dev/null; then
			LVD_PID=""
			why=$(grep -h "error" "$LVD_DIR/libvirtd.log" "$LVD_DIR/libvirtd.out" 2>/dev/null |
				grep -v -e dmidecode -e dmi -e "/dev/kvm" -e "system bus" | tail -1)
			skip "libvirtd did not start: ${why:-see $LVD_DIR/libvirtd.log}"
		fi
		libvirtd_answers && return 0
		sleep 0.1
		i=$((i + 1))
	done
	skip "libvirtd did not answer on 127.0.0.1:$LVD_PORT within 10 s"
}

# Stops it by pid (waking it first: a test may have stopped it).
libvirtd_stop() {
	[ -n "$LVD_PID" ] || return 0
	kill -CONT "$LVD_PID" 2>/dev/null
	kill -TERM "$LVD_PID" 2>/dev/null
	i=0
	while kill -0 "$LVD_PID" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$LVD_PID" 2>/dev/null
	wait "$LVD_PID" 2>/dev/null
	LVD_PID=""
	return 0
}
on_exit libvirtd_stop

# libvirtd_guest NAME: boots a tiny qemu guest (2 vCPUs, 128 MiB, no disk;
# KVM where the CPU has vmx or svm, else TCG) under the started libvirtd,
# destroyed when the test ends, with a virtlogd of its own where none runs.
# Sets LVD_QEMU (the daemon's qemu URI) and LVD_GUEST_TYPE; returns 1 with
# virsh's reason in $TMP/virsh.out when no guest can start.
LVD_QEMU=""
LVD_GUEST_TYPE=""
LVD_GUESTS=""
LVD_VIRTLOGD=""
libvirtd_guest() {
	LVD_QEMU="qemu+tcp://127.0.0.1:$LVD_PORT/system"
	if [ ! -S /run/libvirt/virtlogd-sock ] && [ ! -f "$TMP/virtlogd.pid" ]; then
		virtlogd -d -p "$TMP/virtlogd.pid" 8>&- && LVD_VIRTLOGD=1
	fi
	LVD_GUEST_TYPE=qemu
	[ -e /dev/kvm ] && grep -qE 'vmx|svm' /proc/cpuinfo && LVD_GUEST_TYPE=kvm
	cat >"$TMP/$1.xml" <<XML
<domain type='$LVD_GUEST_TYPE'><name>$1</name><memory unit='MiB'>128</memory><vcpu>2</vcpu>
<os><type arch='x86_64'>hvm</type><boot dev='network'/></os>
<devices><emulator>$(command -v qemu-system-x86_64)</emulator>
<interface type='user'><model type='virtio'/></interface>
<memballoon model='virtio'><stats period='1'/></memballoon></devices></domain>
XML
	virsh -q -c "$LVD_QEMU" create "$TMP/$1.xml" >"$TMP/virsh.out" 2>&1 || return 1
	LVD_GUESTS="$LVD_GUESTS $1"
}
libvirtd_guests_stop() {
	for g in $LVD_GUESTS; do virsh -q -c "$LVD_QEMU" destroy "$g" >/dev/null 2>&1; done
	[ -n "$LVD_VIRTLOGD" ] && kill "$(cat "$TMP/virtlogd.pid")" 2>/dev/null
	return 0
}
on_exit libvirtd_guests_stop
