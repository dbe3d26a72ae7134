#!/bin/sh
# The cgroup source on fixture trees that mirror real hosts (v2 with docker,
# podman, nspawn, libvirt and k8s; v1 cgroupfs docker, LXC, libvirt, k8s;
# hybrid): every layout yields the expected tree, names come from the
# runtimes' files, and the JSON validates.
. "$(dirname "$0")/lib.sh"

FIX="$SRCDIR/tests/fixtures/cgroup"
EXP="$SRCDIR/tests/fixtures/cgroup-expected"
TREE="$SRCDIR/tests/tools/cgroup_tree.py"
cat >"$TMP/rc" <<EOF2
cgroup.docker-root = $FIX/data/docker
cgroup.podman-root = $FIX/data/podman
cgroup.k8s-log-dir = $FIX/data/log
EOF2

for layout in v2 v1 hybrid; do
	# -d 0.3: on a loaded machine the source's first reading can take
	# longer than a few tens of ms
	"$GLASS" -C "$TMP/rc" -b --no-local --cgroup-root "$FIX/$layout" -n 2 -d 0.3 --format json \
		>"$TMP/$layout.json" 2>"$TMP/$layout.err"
	check "$layout: exit 0" test $? -eq 0
	check "$layout: no stderr" test ! -s "$TMP/$layout.err"
	if "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/$layout.json" >"$TMP/v" 2>&1; then
		pass "$layout: validates against the schema"
	else
		fail "$layout: schema validation:"
		sed 's/^/    /' "$TMP/v"
	fi
	"$PYTHON3" "$TREE" "$TMP/$layout.json" >"$TMP/$layout.tree"
	if diff -u "$EXP/$layout.txt" "$TMP/$layout.tree" >"$TMP/$layout.diff"; then
		pass "$layout: the tree is the expected one ($(wc -l <"$TMP/$layout.tree") nodes)"
	else
		fail "$layout: the tree differs from tests/fixtures/cgroup-expected/$layout.txt:"
		sed 's/^/    /' "$TMP/$layout.diff"
	fi
	src=$(tail -1 "$TMP/$layout.json" | json_get /dev/stdin 'd["sources"][0]["kind"] + " " + d["sources"][0]["health"]')
	check "$layout: the source is a healthy cgroup source ($src)" test "$src" = "cgroup ok"
done

# What the expected trees say, spelled out (a wrong expected file would
# otherwise pass silently).
t="$TMP/v2.tree"
check "v2: docker container named from config.v2.json" grep -q '^2 container ct:HOST/system.slice/docker-3f4e.*scope web docker 1.5 1073741824 436207616 23 4096 3.25$' "$t"
check "v2: podman container named from containers.json, conmon not shown" \
	sh -c 'grep -q " db podman 0.5 " "$1" && ! grep -q conmon "$1"' _ "$t"
check "v2: k8s pod is a group named namespace/pod, its containers below it" \
	sh -c 'grep -q "^2 group .* shop/api-5d9c7b kubernetes" "$1" && grep -q "^3 container .* api containerd 1 268435456 140509184" "$1"' _ "$t"
check "v2: the pause container falls back to its short id" grep -q '^3 container .* bb22cc33dd44 containerd' "$t"
check "v2: libvirt VM named after the domain, sub-cgroups folded" \
	sh -c 'grep -q " web-vm libvirt 2 null 1065353216 " "$1" && ! grep -q emulator "$1" && ! grep -q vcpu0 "$1"' _ "$t"
check "v2: nspawn machine unescaped, payload folded" \
	sh -c 'grep -q " debian-box systemd-nspawn " "$1" && ! grep -q payload "$1"' _ "$t"
check "v2: slices without processes are not nodes" sh -c '! grep -Eq "ct:HOST/(system|user|machine|kubepods)\.slice " "$1"' _ "$t"
t="$TMP/v1.tree"
check "v1: unlimited quota and memory limit are null" grep -q ' 9a8b7c6d5e4f docker null null 52428800 3 null null$' "$t"
check "v1: LXC payload shown, monitor and inner init.scope not" \
	sh -c 'grep -q " web01 lxc 2 2147483648 671088640 40 1000 " "$1" && ! grep -q "lxc.monitor" "$1" && ! grep -q init.scope "$1"' _ "$t"
check "v1: libvirt VM without systemd (machine/qemu-2-db.libvirt-qemu)" grep -q ' db libvirt 4 4294967296 4261412864 9 ' "$t"
check "v1: a plain cgroup with processes is shown, an empty one is not" \
	sh -c 'grep -q " batch-jobs null 0.5 268435456 " "$1" && ! grep -q empty-leftover "$1"' _ "$t"
check "hybrid: PSI comes from unified/" grep -q ' 9a8b7c6d5e4f docker 1 209715200 52428800 3 null 4.5$' "$TMP/hybrid.tree"
check "v2: a container pinned to CPUs 2-3 without a quota is allocated 2 cores" \
	grep -q ' 9a8b7c6d5e4f docker 2 null 52428800 3 null 0$' "$TMP/v2.tree"
check "v2: a container whose cpuset is the root's has no cpu allocation without a quota" \
	grep -q ' redis containerd null null ' "$TMP/v2.tree"
check "v1: a container pinned by cpuset.cpus alone (no effective_cpus) is allocated 1 core" \
	grep -q ' 5e5e5e5e1111 docker 1 null 52428800 2 null null$' "$TMP/v1.tree"
check "hybrid: a container pinned to CPUs 1-2 is allocated 2 cores" \
	grep -q ' 5e5e5e5e1111 docker 2 null 52428800 2 null 0$' "$TMP/hybrid.tree"
# Cgroups that exist only in unified/: their CPU is known (cpu.stat there).
cpu=$(json_get "$TMP/hybrid.json" '" ".join(str(c["cpu_cores_used"]) for c in d["tree"]["children"][0]["children"] if c["name"] in ("guest", "x"))')
check "hybrid: a libvirt guest and a plain cgroup only in unified/ have CPU used (0 0: $cpu)" test "$cpu" = "0 0"

# Counters do not move in a fixture: the second snapshot's rates are 0, not null.
used=$(json_get "$TMP/v1.json" '[c for c in d["tree"]["children"][0]["children"] if c["name"]=="web"][0]["cpu_cores_used"]')
check "a still counter rates 0 cores (got $used)" test "$used" = 0

# Beside the host source, the cgroup source's bare host node gives way to
# the host's own (one host, with its cpu rate).
"$GLASS" -b --cgroup-root "$FIX/v1" -n 1 -d 0.2 --format json >"$TMP/both.json" 2>"$TMP/both.err"
check "with the local host: exit 0, no stderr" sh -c '[ $1 -eq 0 ] && [ ! -s "$2" ]' _ $? "$TMP/both.err"
n=$(json_get "$TMP/both.json" 'len([c for c in d["tree"]["children"] if c["kind"]=="host"])')
check "with the local host: one host node ($n)" test "$n" = 1
r=$(json_get "$TMP/both.json" 'd["tree"]["children"][0]["cpu_cores_used"] is not None and d["tree"]["children"][0]["state"] == "up"')
check "with the local host: the host source owns the host node" test "$r" = True

# Errors: one line, no crash.
"$GLASS" -b --no-local --cgroup-root "$TMP/nonexistent" -d 0.05 >"$TMP/ne.out" 2>"$TMP/ne.err"
rc=$?
check "a missing --cgroup-root exits 1 ($rc)" test "$rc" -eq 1
check "... with one line naming it: $(cat "$TMP/ne.err")" \
	sh -c '[ "$(wc -l <"$1")" -eq 1 ] && grep -q "^glass: .*nonexistent: No such file or directory" "$1"' _ "$TMP/ne.err"
printf 'cgroup.root = relative/dir\n' >"$TMP/bad.rc"
expect_error 2 "a relative cgroup.root is a config error naming file:line" "bad.rc:1:" -C "$TMP/bad.rc" -b
finish
