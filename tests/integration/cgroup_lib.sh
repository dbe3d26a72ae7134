# cgroup_lib.sh: live cgroups for the cgroup tests (sourced after lib.sh).
# The tests make their cgroups under /sys/fs/cgroup and remove them by
# path, even when they fail (on_exit).  glass itself never writes there.

CG_ROOT=/sys/fs/cgroup

# cg_detect: sets CG_MODE (v1 or v2) and CG_DIRS (the hierarchies to make
# cgroups in), or skips saying why.
cg_detect() {
	[ "$(id -u)" = 0 ] || skip "needs root to create cgroups"
	if [ -f "$CG_ROOT/cgroup.controllers" ]; then
		CG_MODE=v2
		sc=" $(cat "$CG_ROOT/cgroup.subtree_control") "
		for c in cpu memory pids; do
			case "$sc" in *" $c "*) ;; *) skip "cgroup v2 without $c in the root's subtree_control";; esac
		done
		CG_DIRS=$CG_ROOT
	elif [ -f "$CG_ROOT/cpu/cpu.cfs_quota_us" ] && [ -f "$CG_ROOT/memory/memory.limit_in_bytes" ]; then
		CG_MODE=v1
		CG_DIRS=
		for c in cpu cpuacct memory blkio pids; do
			d=$(readlink -f "$CG_ROOT/$c") || continue
			[ -d "$d" ] || continue
			case " $CG_DIRS " in *" $d "*) ;; *) CG_DIRS="$CG_DIRS $d" ;; esac
		done
	else
		skip "no cgroup v1 cpu+memory controllers nor cgroup v2 at $CG_ROOT"
	fi
	[ -w "$CG_ROOT" ] || [ -w "$(readlink -f "$CG_ROOT/cpu" 2>/dev/null || echo "$CG_ROOT")" ] ||
		skip "$CG_ROOT is read-only here (a container without cgroup write access)"
}

cg_make() {
	for d in $CG_DIRS; do mkdir -p "$d/$1" || return 1; done
}

# cg_move PID NAME: into every hierarchy's NAME ("" = the root).
cg_move() {
	for d in $CG_DIRS; do
		if [ -n "$2" ]; then echo "$1" >"$d/$2/cgroup.procs"; else echo "$1" >"$d/cgroup.procs"; fi
	done 2>/dev/null
}

# cg_limit NAME QUOTA_US MEMORY_BYTES
cg_limit() {
	if [ "$CG_MODE" = v2 ]; then
		echo "$2 100000" >"$CG_ROOT/$1/cpu.max" && echo "$3" >"$CG_ROOT/$1/memory.max"
	else
		cpu=$(readlink -f "$CG_ROOT/cpu")
		echo 100000 >"$cpu/$1/cpu.cfs_period_us" && echo "$2" >"$cpu/$1/cpu.cfs_quota_us" &&
			echo "$3" >"$(readlink -f "$CG_ROOT/memory")/$1/memory.limit_in_bytes"
	fi
}

# cg_remove NAME: every process out to the root, then rmdir (retried: a
# killed process leaves its cgroup a moment later).
cg_remove() {
	for d in $CG_DIRS; do
		[ -d "$d/$1" ] || continue
		for p in $(cat "$d/$1/cgroup.procs" 2>/dev/null); do echo "$p" >"$d/cgroup.procs"; done 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$d/$1" 2>/dev/null && break; sleep 0.1; done
	done
}
