# netns_lib.sh: libvirtds behind a real network with a delay, for the
# scale and latency benchmarks.  Sourced after integration/lib.sh and
# bench_lib.sh.
#
# netns_up COUNT RTT_MS: COUNT network namespaces, each linked to the root
# namespace by its own point-to-point link (10.213.I.1 here, 10.213.I.2
# there) that delays each direction by RTT_MS/2, and a libvirtd in each
# listening on NETNS_ADDR_I:16509 (TCP, no auth).  The delay is
# `tc qdisc ... netem` on a veth pair when the kernel has netem, else a
# userspace delay line over two tun devices (netwire.py): NETNS_LINK says
# which.  NETNS_HOSTDEV_I is the root-side device: `ip link set it down`
# cuts namespace I off.  Everything (daemons, delay lines, devices,
# namespaces) is removed by pid and by name when the script ends, also on
# an interrupt.
#
# Each libvirtd runs in the mount namespace `ip netns exec` makes, with
# its own tmpfs on /run/libvirt (the drivers' pid-file locks, which would
# let only one root libvirtd run) and on /etc/libvirt/qemu (no defined
# guests or networks to autostart): these daemons never meet the
# machine's own libvirtd or the test suite's.

NETNS_PORT=16509
NETNS_NET=${NETNS_NET:-10.213}
NETNS_TAG="gl$$"
NETNS_COUNT=0
NETNS_LINK=""
NETNS_LVD_PIDS=""
NETNS_WIRE_PIDS=""

# bench_na REASON: the benchmark cannot run here: one row saying why, exit 0
# (a missing tool is not a failed measurement).
bench_na() {
	say "SKIP: $1"
	bench_row "$BENCH_FIGURE" "-" "-" "-" "$BENCH_TARGET" "n/a ($1)"
	exit 0
}

netns_require() {
	PATH="$PATH:/usr/sbin:/sbin"
	[ "$(id -u)" -eq 0 ] || bench_na "network namespaces need root (running as $(id -un))"
	command -v ip >/dev/null 2>&1 || bench_na "ip is not installed (package iproute2)"
	command -v tc >/dev/null 2>&1 || bench_na "tc is not installed (package iproute2)"
	command -v libvirtd >/dev/null 2>&1 || bench_na "libvirtd is not installed (package libvirt-daemon-system)"
	command -v virsh >/dev/null 2>&1 || bench_na "virsh is not installed (package libvirt-clients)"
	ip netns add "$NETNS_TAG-probe" 2>"$TMP/netns.err" ||
		bench_na "cannot make a network namespace: $(head -1 "$TMP/netns.err")"
	ip netns del "$NETNS_TAG-probe"
	if ip -4 addr show | grep -q "inet $NETNS_NET\."; then
		bench_na "$NETNS_NET.0.0/16 is in use on this machine (another run?): set NETNS_NET"
	fi
}

netns_down() {
	for pid in $NETNS_LVD_PIDS; do
		kill -CONT "$pid" 2>/dev/null
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in $NETNS_LVD_PIDS; do
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for pid in $NETNS_WIRE_PIDS; do
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	i=1
	while [ $i -le "$NETNS_COUNT" ]; do
		ip link del "${NETNS_TAG}h$i" 2>/dev/null
		ip netns del "$NETNS_TAG-$i" 2>/dev/null
		i=$((i + 1))
	done
	NETNS_LVD_PIDS=""
	NETNS_WIRE_PIDS=""
	return 0
}
on_exit netns_down
# dash runs the EXIT trap on exit, not on a signal: make signals exit.
trap 'exit 130' INT TERM HUP

# The link of namespace I, delayed HALF_MS each way.
netns_link() {
	i=$1
	half=$2
	ns="$NETNS_TAG-$i"
	host="${NETNS_TAG}h$i"
	peer="${NETNS_TAG}n$i"
	ip netns add "$ns" || return 1
	NETNS_COUNT=$i
	if [ "$NETNS_LINK" != wire ]; then
		ip link add "$host" type veth peer name "$peer" &&
			ip link set "$peer" netns "$ns" &&
			ip addr add "$NETNS_NET.$i.1/24" dev "$host" &&
			ip link set "$host" up &&
			ip -n "$ns" addr add "$NETNS_NET.$i.2/24" dev "$peer" &&
			ip -n "$ns" link set "$peer" up &&
			ip -n "$ns" link set lo up || return 1
		if tc qdisc add dev "$host" root netem delay "${half}ms" 2>"$TMP/tc.err" &&
			ip netns exec "$ns" tc qdisc add dev "$peer" root netem delay "${half}ms"; then
			NETNS_LINK=netem
			return 0
		fi
		[ -z "$NETNS_LINK" ] || return 1
		# No netem in this kernel: every link is a delay line instead.
		say "tc netem is not available ($(head -1 "$TMP/tc.err")): the delay is a userspace delay line over tun devices (netwire.py)"
		ip link del "$host"
		NETNS_LINK=wire
	fi
	[ -c /dev/net/tun ] || { say "no /dev/net/tun for the delay line"; return 1; }
	"$PYTHON3" "$SRCDIR/tests/bench/netwire.py" "$half" "$host" "$peer" "$ns" \
		"$NETNS_NET.$i.1" "$NETNS_NET.$i.2" >"$TMP/wire$i.out" 2>&1 &
	NETNS_WIRE_PIDS="$NETNS_WIRE_PIDS $!"
	k=0
	while ! grep -q ready "$TMP/wire$i.out" 2>/dev/null; do
		kill -0 "$!" 2>/dev/null || { cat "$TMP/wire$i.out"; return 1; }
		[ $k -lt 100 ] || return 1
		sleep 0.1
		k=$((k + 1))
	done
}

netns_libvirtd() {
	i=$1
	d="$TMP/lvd$i"
	mkdir -p "$d/run"
	cat >"$d/libvirtd.conf" <<CONF
listen_tls = 0
listen_tcp = 1
listen_addr = "$NETNS_NET.$i.2"
tcp_port = "$NETNS_PORT"
auth_tcp = "none"
auth_unix_ro = "none"
auth_unix_rw = "none"
unix_sock_dir = "$d/run"
log_outputs = "3:file:$d/libvirtd.log"
CONF
	mkdir -p /run/libvirt /etc/libvirt/qemu
	# shellcheck disable=SC2016
	ip netns exec "$NETNS_TAG-$i" sh -c 'mount -t tmpfs glass-bench /run/libvirt &&
		mount -t tmpfs glass-bench /etc/libvirt/qemu &&
		exec libvirtd --listen -f "$1" -p "$2"' sh "$d/libvirtd.conf" "$d/libvirtd.pid" \
		>>"$d/libvirtd.out" 2>&1 </dev/null &
	NETNS_LVD_PIDS="$NETNS_LVD_PIDS $!"
	eval "NETNS_LVD_PID_$i=$!"
}

netns_answers() {
	virsh -q -c "test+tcp://$NETNS_NET.$1.2:$NETNS_PORT/default" version >/dev/null 2>&1
}

netns_up() {
	count=$1
	half=$(( $2 / 2 ))
	i=1
	while [ "$i" -le "$count" ]; do
		netns_link "$i" "$half" || bench_na "cannot set up the link of namespace $i"
		eval "NETNS_ADDR_$i=$NETNS_NET.$i.2"
		eval "NETNS_HOSTDEV_$i=${NETNS_TAG}h$i"
		i=$((i + 1))
	done
	i=1
	while [ "$i" -le "$count" ]; do
		netns_libvirtd "$i"
		i=$((i + 1))
	done
	i=1
	while [ "$i" -le "$count" ]; do
		k=0
		until netns_answers "$i"; do
			eval "pid=\$NETNS_LVD_PID_$i"
			if ! kill -0 "$pid" 2>/dev/null || [ $k -ge 60 ]; then
				why=$(cat "$TMP/lvd$i/libvirtd.out" 2>/dev/null | tail -1)
				bench_na "the libvirtd in namespace $i did not answer: ${why:-see its log}"
			fi
			sleep 0.5
			k=$((k + 1))
		done
		i=$((i + 1))
	done
	say "$count namespaces, link: $NETNS_LINK, ${2} ms RTT (${half} ms each way), a libvirtd in each"
}

# netns_uri_args U NSC DOMAINS: "-c URI" for U test-driver URIs spread
# round-robin over the NSC namespaces' daemons, each URI its own fixture
# of DOMAINS domains (h1.xml .. hK.xml, K = ceil(U / NSC), made in
# $TMP/fix), so no two URIs of a daemon name the same host.
netns_uri_args() {
	_per=$(( ($1 + $2 - 1) / $2 ))
	mkdir -p "$TMP/fix"
	_j=1
	while [ $_j -le $_per ]; do
		"$PYTHON3" "$SRCDIR/tests/bench/gen_fixture.py" "$3" "$TMP/fix/h$_j.xml" >&2
		_j=$((_j + 1))
	done
	_n=0
	_j=1
	while [ $_n -lt "$1" ]; do
		_i=1
		while [ $_i -le "$2" ] && [ $_n -lt "$1" ]; do
			printf ' -c test+tcp://%s.%s.2:%s%s/fix/h%s.xml' "$NETNS_NET" $_i "$NETNS_PORT" "$TMP" $_j
			_n=$((_n + 1))
			_i=$((_i + 1))
		done
		_j=$((_j + 1))
	done
}
