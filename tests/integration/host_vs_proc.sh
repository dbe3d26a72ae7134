#!/bin/sh
# The local host's numbers against the kernel's own: /proc/meminfo, nproc,
# /proc/loadavg, and a process that burns one core.
. "$(dirname "$0")/lib.sh"

host() { json_get "$TMP/snap.json" "[c for c in d['tree']['children'] if c['kind']=='host'][0]$1"; }

"$GLASS" -b -n 1 -d 0.5 --format json >"$TMP/snap.json" 2>"$TMP/err"
check "glass -b exits 0" test $? -eq 0
check "no stderr" test ! -s "$TMP/err"

mem_total=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) * 1024 ))
got=$(host "['memory_bytes_allocated']")
check "memory allocated = MemTotal exactly ($got = $mem_total)" test "$got" = "$mem_total"

cpus=$(nproc --all)
online=$(getconf _NPROCESSORS_ONLN)
got=$(host "['cpu_cores_allocated']")
check "cpus allocated = logical CPUs ($got = $online online, nproc $(nproc))" test "$got" = "$online"
[ "$cpus" = "$online" ] || say "note: $cpus CPUs exist, $online online"

got=$(host "['load'][0]")
want=$(cut -d' ' -f1 /proc/loadavg)
check "load1 within 0.5 of /proc/loadavg ($got vs $want)" \
	awk -v a="$got" -v b="$want" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 0.5) }'

used=$(host "['memory_bytes_used']")
check "memory used is between 0 and total ($used)" test "$used" -gt 0 -a "$used" -lt "$mem_total"
avail=$(( $(awk '/^MemAvailable:/ {print $2}' /proc/meminfo) * 1024 ))
check "memory available within 5% of MemAvailable" \
	awk -v a="$(host "['memory_bytes_available']")" -v b="$avail" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= b * 0.05) }'
roots=$(json_get "$TMP/snap.json" "len([f for c in d['tree']['children'] for f in c['filesystems'] if f['mount']=='/'])")
check "the root filesystem is listed once ($roots)" test "$roots" = 1

# One core burnt for the whole interval reads as at least 0.8 cores.
sh -c 'end=$(($(date +%s) + 4)); while [ "$(date +%s)" -lt "$end" ]; do :; done' &
burner=$!
kill_burner() { kill "$burner" 2>/dev/null; wait "$burner" 2>/dev/null; }
on_exit kill_burner
sleep 0.3
"$GLASS" -b -n 1 -d 2 --format json >"$TMP/snap.json" 2>/dev/null
kill_burner
got=$(host "['cpu_cores_used']")
check "one burning core reads >= 0.8 cores used ($got)" \
	awk -v a="$got" 'BEGIN { exit !(a >= 0.8) }'
finish
