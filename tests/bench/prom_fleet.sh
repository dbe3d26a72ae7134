#!/bin/sh
# make bench-prom-fleet: glass's cost on a jump host showing a fleet
# of FLEET_HOSTS (1,000) hosts x FLEET_CONTAINERS (100) containers through
# a real Prometheus, and, in the same run, the glass+ssh fan-out to
# FLEET_SSH_HOSTS (50) far glasses as the comparison.
#
# The fleet: an OpenMetrics file of the series `glass --serve` exports
# (prom_fleet_gen.py), backfilled with `promtool tsdb create-blocks-from
# openmetrics` into a temporary storage dir; Debian's prometheus on
# 127.0.0.1 serves it (--query.lookback-delta covers the run: the
# backfilled gauges have one sample).  glass -b --format csv --fields=id
# -d FLEET_INTERVAL (2) -c prometheus+http://127.0.0.1:PORT, measured by
# fleet_measure.py: time from start to the first full tree, CPU per wall
# second over FLEET_REFRESHES (30) snapshots after it, peak RSS; queries
# per refresh of the source from Prometheus's query log.  Then the TUI on
# the same fleet in tmux (tui_fleet.sh): FLEET_KEYS (30) keys while it
# refreshes, the median time to the screen change, and its peak RSS.
# Prometheus's own time for the same queries is the anchor: glass cannot
# be fresher than its answers.
#
# The comparison: the suite's sshd on 127.0.0.1 (tests/integration/sshd.sh,
# root) and FLEET_SSH_HOSTS glass+ssh:// URIs, each far glass a host of its
# own (a UTS namespace) reading a cgroup fixture of FLEET_CONTAINERS
# containers; the near glass and its ssh children are measured the same way.
#
# Quick runs: BENCH_FLEET_HOSTS=50 make bench-prom-fleet; without the
# comparison: BENCH_FLEET_SSH_HOSTS=0; the backfill kept for the next run
# of the same size: FLEET_TSDB=DIR.
. "$SRCDIR/tests/integration/lib.sh"
. "$SRCDIR/tests/bench/bench_lib.sh"

HOSTS=${BENCH_FLEET_HOSTS:-${FLEET_HOSTS:-1000}}
CTS=${FLEET_CONTAINERS:-100}
D=${FLEET_INTERVAL:-2}
# snapshots measured after the first full tree: a minute at -d 2, so the
# window holds several refreshes of the source
REFRESHES=${FLEET_REFRESHES:-30}
SSH_HOSTS=${BENCH_FLEET_SSH_HOSTS:-${FLEET_SSH_HOSTS:-50}}
NODES=$((HOSTS * (CTS + 1) + 1)) # and the site
# how long the first full tree may take before the run gives up
DEADLINE=${FLEET_DEADLINE:-600}
FIG="fleet $HOSTS hosts x $CTS containers via Prometheus"

command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || {
	bench_row "$FIG" "-" "-" "-" "<= 25% core" "n/a (prometheus/promtool not installed)"
	skip "prometheus is not installed (apt-get install prometheus)"
}
"$GLASS" --no-local -c prometheus+http://127.0.0.1:1 -n 1 -b >/dev/null 2>"$TMP/probe.err"
if grep -q "built without libcurl" "$TMP/probe.err"; then
	bench_row "$FIG" "-" "-" "-" "<= 25% core" "n/a (glass built without libcurl)"
	skip "this glass was built without libcurl"
fi
free_port() {
	"$PYTHON3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- the fleet in Prometheus --------------------------------------------
# FLEET_TSDB=DIR keeps the backfilled storage in DIR and takes it again in
# a later run of the same size while its samples still answer (the
# backfill is most of a full-size run): to set two glasses side by side.
TSDB=${FLEET_TSDB:-$TMP/prom}
HORIZON=${FLEET_HORIZON:-3600}
[ -n "${FLEET_TSDB:-}" ] && HORIZON=${FLEET_HORIZON:-7200}
now=$(date +%s)
if [ -n "${FLEET_TSDB:-}" ] && [ -f "$TSDB/fleet.id" ] &&
	read -r kh kc kt kz <"$TSDB/fleet.id" && [ "$kh $kc" = "$HOSTS $CTS" ] &&
	[ "$now" -lt $((kt + kz - 600)) ]; then
	T0=$kt
	say "the fleet backfilled $((now - T0)) s ago in $TSDB, taken again"
else
	T0=$now
	rm -rf "$TSDB"
	t=$(date +%s.%N)
	"$PYTHON3" "$SRCDIR/tests/bench/prom_fleet_gen.py" "$TMP/fleet.om" "$HOSTS" "$CTS" "$T0" "$HORIZON" || exit 1
	say "generated $(wc -l <"$TMP/fleet.om") samples, $(du -m "$TMP/fleet.om" | cut -f1) MB of OpenMetrics"
	promtool tsdb create-blocks-from openmetrics "$TMP/fleet.om" "$TSDB" >"$TMP/promtool.log" 2>&1 ||
		{ fail "promtool: $(tail -3 "$TMP/promtool.log")"; exit 1; }
	rm -f "$TMP/fleet.om"
	echo "$HOSTS $CTS $T0 $HORIZON" >"$TSDB/fleet.id"
	say "backfilled in $("$PYTHON3" -c 'import sys,time; print(round(time.time()-float(sys.argv[1])))' "$t") s"
fi
PP=$(free_port)
# the query log: each query glass sends, to count them per refresh
printf 'global:\n  scrape_interval: 1h\n  query_log_file: %s\nscrape_configs: []\n' "$TMP/query.log" >"$TMP/prometheus.yml"
prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TSDB" \
	--web.listen-address="127.0.0.1:$PP" --query.lookback-delta=3h --log.level=warn \
	>"$TMP/prom.log" 2>&1 &
PROM_PID=$!
stop_prom() { kill "$PROM_PID" 2>/dev/null; wait "$PROM_PID" 2>/dev/null; return 0; }
on_exit stop_prom

# prom_get PATH: Prometheus's answer on stdout
prom_get() {
	"$PYTHON3" -c 'import sys, urllib.request
sys.stdout.write(urllib.request.urlopen("http://127.0.0.1:%s%s" % (sys.argv[1], sys.argv[2]), timeout=600).read().decode())' \
		"$PP" "$1"
}
# API requests Prometheus answered so far (every handler under /api/v1/ and /federate)
prom_requests() {
	prom_get /metrics | awk '/^prometheus_http_requests_total\{/ && /handler="\/(api\/v1\/|federate)/ {n += $2} END {print n + 0}'
}
# queries in the query log, and those that read the use figures (one per
# refresh of the source)
logged() { if [ -f "$TMP/query.log" ]; then grep -c . "$TMP/query.log"; else echo 0; fi; }
logged_refreshes() { if [ -f "$TMP/query.log" ]; then grep -c 'glass_(cpu_used_cores' "$TMP/query.log"; else echo 0; fi; }
"$PYTHON3" "$SRCDIR/tests/tools/prom_wait.py" "$PP" 300 "count(glass_node_info)" "$((NODES - 1))" >"$TMP/ready" 2>&1
check "prometheus holds the fleet of $((NODES - 1)) nodes: $(cat "$TMP/ready")" test $? -eq 0

# Prometheus's own time for the source's big queries (those of
# src/sources/prometheus.c), read by a client that only counts the bytes:
# the floor under any reader.  "use" is asked at every refresh, "info" and
# "alloc" once a minute.
"$PYTHON3" - "$PP" >"$TMP/floor.json" <<'PY'
import json, sys, time, urllib.parse, urllib.request
port = sys.argv[1]
qs = {"info": 'last_over_time(glass_node_info[10m])',
      "alloc": 'max by (__name__, id) ({__name__=~"glass_(cpu_allocated_cores|memory_allocated_bytes|'
               'memory_max_bytes|pids_max)"})',
      "use": 'max by (__name__, id) ({__name__=~"glass_(cpu_used_cores|memory_used_bytes|'
             'disk_read_bytes_per_second|disk_written_bytes_per_second|network_receive_bytes_per_second|'
             'network_transmit_bytes_per_second|pids|power_watts)"})'}
out = {}
for k, q in qs.items():
    t = time.monotonic()
    b = urllib.request.urlopen("http://127.0.0.1:%s/api/v1/query?query=%s" % (port, urllib.parse.quote(q)),
                               timeout=600).read()
    out[k + "_s"] = round(time.monotonic() - t, 2)
    out[k + "_mb"] = round(len(b) / 1e6, 1)
out["seconds"] = round(out["info_s"] + out["alloc_s"] + out["use_s"], 2)
print(json.dumps(out))
PY
say "Prometheus answers the source's big queries in $(cat "$TMP/floor.json")"

q0=$(prom_requests)
l0=$(logged)
r0=$(logged_refreshes)
"$PYTHON3" "$SRCDIR/tests/bench/fleet_measure.py" "$NODES" "$REFRESHES" "$DEADLINE" -- \
	"$GLASS" -b -n 0 -d "$D" --no-local --no-history --format csv --fields=id \
	-c "prometheus+http://127.0.0.1:$PP" >"$TMP/prom.json"
rc=$?
q1=$(prom_requests)
l1=$(logged)
r1=$(logged_refreshes)
say "glass through Prometheus: $(cat "$TMP/prom.json")"
check "glass showed the whole fleet through Prometheus" test "$rc" -eq 0

# verdict FIELD TARGET-EXPR: a figure of FILE and whether it meets its target
fig() { "$PYTHON3" -c 'import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2]); print("-" if v is None else v)' "$1" "$2"; }
verdict() { # VALUE MAX
	"$PYTHON3" -c 'import sys; v=sys.argv[1]; print("n/a (no full tree)" if v == "-" else ("met" if float(v) <= float(sys.argv[2]) else "MISSED"))' "$1" "$2"
}
floor_s=$(fig "$TMP/floor.json" seconds)
use_s=$(fig "$TMP/floor.json" use_s)
cpu=$(fig "$TMP/prom.json" cpu_percent)
rss=$(fig "$TMP/prom.json" rss_mib)
first=$(fig "$TMP/prom.json" first_full_s)
snaps=$(fig "$TMP/prom.json" snapshots)
# queries per refresh of the source (the query log), and every API request
# Prometheus counted (prometheus_http_requests_total) per snapshot
qpr=$("$PYTHON3" -c 'import sys; q=int(sys.argv[2])-int(sys.argv[1]); r=int(sys.argv[4])-int(sys.argv[3]); print(round(q / r, 1) if r else "-")' \
	"$l0" "$l1" "$r0" "$r1")
say "queries: $((l1 - l0)) logged over $((r1 - r0)) refreshes of the source; $((q1 - q0)) API requests over $snaps snapshots"
bench_row "$FIG: CPU per refresh at -d $D" "$cpu %" "a refresh's answer takes Prometheus $use_s s" "$cpu %" "<= 25% of a core" "$(verdict "$cpu" 25)"
bench_row "$FIG: peak RSS" "$rss MiB" "-" "$rss MiB" "<= 256 MiB" "$(verdict "$rss" 256)"
# without a full tree, no refresh was whole: its queries say nothing
[ "$first" = "-" ] && qpr="-"
bench_row "$FIG: queries per refresh" "$qpr" "$((l1 - l0)) over $((r1 - r0)) refreshes" "$qpr" "<= 10" "$(verdict "$qpr" 10)"
period=$("$PYTHON3" -c 'import sys; w=sys.argv[1]; r=int(sys.argv[3])-int(sys.argv[2]); print(round(float(w) / r, 1) if w != "-" and r > 0 else "-")' \
	"$(fig "$TMP/prom.json" run_s)" "$r0" "$r1")
bench_row "$FIG: time between refreshes of the source" "$period s" "a refresh's answer takes Prometheus $use_s s" "$period s" "-" "n/a (measured)"
bench_row "$FIG: start to first full tree" "$first s" "the first refresh's answers take Prometheus $floor_s s" "$first s" "-" "n/a (measured)"

# the same fleet in the TUI: keys while it refreshes, and its peak RSS
# (the header counts every host and container once the tree is whole)
echo "== glass -d $D -c prometheus+http://127.0.0.1:$PP in tmux"
. "$SRCDIR/tests/bench/tui_fleet.sh"
tui_fleet "$FIG" " $HOSTS hosts .* $((HOSTS * CTS)) containers" "${FLEET_KEYS:-30}" \
	-d "$D" --no-local --no-history -c "prometheus+http://127.0.0.1:$PP"
stop_prom

# --- the comparison: glass+ssh to far glasses ----------------------------
SSH_FIG="fleet $SSH_HOSTS hosts x $CTS containers via glass+ssh"
skip() {
	bench_row "$SSH_FIG: CPU per refresh at -d $D" "-" "-" "-" "-" "n/a ($*)"
	say "SKIP: $*"
	exit "$FAILS"
}
[ "$SSH_HOSTS" -gt 0 ] || skip "BENCH_FLEET_SSH_HOSTS=0"
. "$SRCDIR/tests/integration/sshd.sh"
sshd_start
"$PYTHON3" "$SRCDIR/tests/bench/gen_cgroups.py" "$CTS" "$TMP/cg" >/dev/null || exit 1
# each far glass a host of its own: a UTS namespace named after its shell's pid
cat >"$TMP/glassrc" <<CONF
remote.ssh = ssh -F $TMP/ssh_config
remote.command = unshare --uts sh -c 'hostname far-\$\$ && exec "\$0" "\$@"' $GLASS -C $TMP/remote.rc --cgroup-root $TMP/cg
CONF
# far1, far2, ...: the same sshd under a name of its own each (ssh_config)
printf 'Host far*\n  HostName 127.0.0.1\n' >>"$TMP/ssh_config"
args=""
i=1
while [ "$i" -le "$SSH_HOSTS" ]; do
	args="$args -c glass+ssh://root@far$i:$SSHD_PORT"
	i=$((i + 1))
done
# a far glass's tree: its host and the fixture's cgroups
per_host=$("$GLASS" -b -n 1 -d 0.2 --no-libvirt --no-history --cgroup-root "$TMP/cg" --format csv --fields=id | grep -c '^.*,ct:\|,host:')
SSH_NODES=$((SSH_HOSTS * per_host + 1))
say "glass+ssh: $SSH_HOSTS far glasses of $per_host nodes each"
# shellcheck disable=SC2086
"$PYTHON3" "$SRCDIR/tests/bench/fleet_measure.py" "$SSH_NODES" "$REFRESHES" "$DEADLINE" -- \
	"$GLASS" -b -n 0 -d "$D" --no-local --no-history -C "$TMP/glassrc" --format csv --fields=id \
	$args >"$TMP/ssh.json"
rc=$?
say "glass through glass+ssh: $(cat "$TMP/ssh.json")"
check "glass showed the whole glass+ssh fleet" test "$rc" -eq 0
scpu=$(fig "$TMP/ssh.json" cpu_percent)
srss=$(fig "$TMP/ssh.json" rss_mib)
sfirst=$(fig "$TMP/ssh.json" first_full_s)
# per node, to set against the Prometheus fleet's
per_k() { "$PYTHON3" -c 'import sys; print("-" if sys.argv[1] == "-" else round(float(sys.argv[1]) * 1000 / int(sys.argv[2]), 2))' "$1" "$2"; }
bench_row "$SSH_FIG: CPU per refresh at -d $D (glass and its ssh)" "$scpu %" \
	"Prometheus: $(per_k "$cpu" "$NODES") % per 1k nodes" "$(per_k "$scpu" "$SSH_NODES") % per 1k nodes" "-" "n/a (comparison)"
bench_row "$SSH_FIG: peak RSS (glass and its ssh)" "$srss MiB" "Prometheus: $rss MiB" \
	"$(per_k "$srss" "$SSH_NODES") MiB per 1k nodes" "-" "n/a (comparison)"
bench_row "$SSH_FIG: start to first full tree" "$sfirst s" "Prometheus: $first s" "-" "-" "n/a (comparison)"
exit "$FAILS"
