#!/bin/sh
# --window 7d through Prometheus: seven days of a glass exporter's series
# (one host, an idle and a busy container, a sample every 5 minutes up to
# a minute ago) backfilled with `promtool tsdb create-blocks-from
# openmetrics` into Debian's prometheus; a one-shot
# `glass -b --window 7d -c prometheus+http://` gives real verdicts, with
# the seven days observed, from Prometheus's history and no local store.
. "$(dirname "$0")/lib.sh"

"$GLASS" --no-local -c prometheus+http://127.0.0.1:1 -n 1 -b >/dev/null 2>"$TMP/probe.err"
grep -q "built without libcurl" "$TMP/probe.err" && skip "this glass was built without libcurl"
command -v prometheus >/dev/null 2>&1 || skip "prometheus is not installed (apt-get install prometheus)"
command -v promtool >/dev/null 2>&1 || skip "promtool is not installed (apt-get install prometheus)"

# --- seven days, backfilled -------------------------------------------------
"$PYTHON3" - "$TMP/week.om" <<'PY'
import sys, time
now = int(time.time()) - 60
GIB, MIB = 1 << 30, 1 << 20
common = 'host="winhost",instance="127.0.0.9:10464",job="glass"'
nodes = [("host:winhost", "", "host", "winhost", ""),
         ("ct:winhost/idle.service", "host:winhost", "container", "idle.service", "systemd"),
         ("ct:winhost/busy.service", "host:winhost", "container", "busy.service", "systemd")]
steps = list(range(now - 7 * 86400 - 3600, now + 1, 300))
def fig(node, metric, i):
    # the idle one: 0.05 or 0.1 of 2 cores, 100 MiB of 1 GiB; the busy one: 1.6 of 2, 900 MiB
    return {("host:winhost", "cpu_allocated_cores"): 8, ("host:winhost", "cpu_used_cores"): 2,
            ("host:winhost", "memory_allocated_bytes"): 16 * GIB, ("host:winhost", "memory_used_bytes"): 4 * GIB,
            ("ct:winhost/idle.service", "cpu_allocated_cores"): 2,
            ("ct:winhost/idle.service", "cpu_used_cores"): 0.05 if i % 2 else 0.1,
            ("ct:winhost/idle.service", "memory_allocated_bytes"): GIB,
            ("ct:winhost/idle.service", "memory_used_bytes"): 100 * MIB,
            ("ct:winhost/busy.service", "cpu_allocated_cores"): 2,
            ("ct:winhost/busy.service", "cpu_used_cores"): 1.6,
            ("ct:winhost/busy.service", "memory_allocated_bytes"): GIB,
            ("ct:winhost/busy.service", "memory_used_bytes"): 900 * MIB}[(node, metric)]
with open(sys.argv[1], "w") as f:
    f.write("# TYPE glass_node_info gauge\n")
    for nid, parent, kind, name, rt in nodes:
        for t in steps:
            f.write('glass_node_info{id="%s",parent="%s",kind="%s",name="%s",runtime="%s",state="",%s} 1 %d\n'
                    % (nid, parent, kind, name, rt, common, t))
    for m in ["cpu_allocated_cores", "cpu_used_cores", "memory_allocated_bytes", "memory_used_bytes"]:
        f.write("# TYPE glass_%s gauge\n" % m)
        for nid, parent, kind, name, rt in nodes:
            for i, t in enumerate(steps):
                f.write('glass_%s{id="%s",kind="%s",name="%s",runtime="%s",%s} %s %d\n'
                        % (m, nid, kind, name, rt, common, fig(nid, m, i), t))
    # where glass does not run: node_exporter's host (2 CPUs, 0.1 of a
    # core busy, 1 GiB of 8 used) and a libvirt exporter's VM on it (4
    # vCPUs, 3.2 busy)
    ne = 'instance="127.0.0.10:9100",job="node"'
    f.write("# TYPE node_cpu_seconds counter\n")
    for cpu, mode, per_s in [("0", "idle", 0.9), ("0", "user", 0.1), ("1", "idle", 1.0), ("1", "user", 0.0)]:
        for i, t in enumerate(steps):
            f.write('node_cpu_seconds_total{cpu="%s",mode="%s",%s} %s %d\n' % (cpu, mode, ne, 1000 + per_s * 300 * i, t))
    for m, v in [("MemTotal", 8 * GIB), ("MemAvailable", 7 * GIB)]:
        f.write("# TYPE node_memory_%s_bytes gauge\n" % m)
        for t in steps:
            f.write('node_memory_%s_bytes{%s} %d %d\n' % (m, ne, v, t))
    lv = 'domain="winvm",uuid="5b1c2d3e-0000-4000-8000-00000000beef",instance="127.0.0.10:9177",job="libvirt"'
    f.write("# TYPE libvirt_domain_info_virtual_cpus gauge\n")
    for t in steps:
        f.write('libvirt_domain_info_virtual_cpus{%s} 4 %d\n' % (lv, t))
    f.write("# TYPE libvirt_domain_info_cpu_time_seconds counter\n")
    for i, t in enumerate(steps):
        f.write('libvirt_domain_info_cpu_time_seconds_total{%s} %s %d\n' % (lv, 3.2 * 300 * i, t))
    f.write("# EOF\n")
PY
promtool tsdb create-blocks-from openmetrics "$TMP/week.om" "$TMP/prom" >"$TMP/promtool.log" 2>&1
check "promtool backfills seven days ($(grep -c '^01' "$TMP/promtool.log") blocks)" test $? -eq 0

PP=$("$PYTHON3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' >"$TMP/prometheus.yml"
prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/prom" \
	--web.listen-address="127.0.0.1:$PP" --log.level=warn >"$TMP/prom.log" 2>&1 &
PROM_PID=$!
stop_prom() { kill "$PROM_PID" 2>/dev/null; wait "$PROM_PID" 2>/dev/null; return 0; }
on_exit stop_prom
"$PYTHON3" "$SRCDIR/tests/tools/prom_wait.py" "$PP" 120 "count(glass_node_info)" 3 >"$TMP/ready" 2>&1
check "prometheus serves the week ($(cat "$TMP/ready"))" test $? -eq 0

# --- one shot: the verdicts of the week ---------------------------------------
"$GLASS" -b -n 1 -d 1 --window 7d --no-local --no-history --format json \
	-c "prometheus+http://127.0.0.1:$PP" >"$TMP/week.json" 2>"$TMP/week.err"
check "glass -b --window 7d -c prometheus+http://: exit 0, no stderr ($(head -c 300 "$TMP/week.err"))" \
	sh -c 'test $1 -eq 0 && test ! -s "$2"' _ $? "$TMP/week.err"
verdict() { # ID: cpu idle, provisional, observed days, utilization; memory idle, observed days
	"$PYTHON3" - "$TMP/week.json" "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def find(n):
    if n["id"] == sys.argv[2]:
        return n
    for c in n["children"]:
        f = find(c)
        if f:
            return f
n = find(d["tree"])
if not n:
    print("absent")
else:
    c, m = n["idle"]["cpu"], n["idle"]["memory"]
    print(c["idle"], c["provisional"], round(c["observed_seconds"] / 86400, 2), c["utilization"] and round(c["utilization"], 4),
          m["idle"], round(m["observed_seconds"] / 86400, 2), c["right_size_cores"])
PY
}
idle=$(verdict ct:winhost/idle.service)
check "the idle container: cpu idle, not provisional, 7 days observed, 3.75% used, memory idle, a right size ($idle)" \
	"$PYTHON3" -c 'import sys; v=sys.argv[1].split(); sys.exit(not (v[0] == "True" and v[1] == "False" and v[2] == "7.0" and abs(float(v[3]) - 0.0375) < 0.002 and v[4] == "True" and v[5] == "7.0" and v[6] != "None"))' "$idle"
busy=$(verdict ct:winhost/busy.service)
check "the busy container: neither idle, 7 days observed ($busy)" \
	"$PYTHON3" -c 'import sys; v=sys.argv[1].split(); sys.exit(not (v[0] == "False" and v[2] == "7.0" and v[4] == "False" and v[5] == "7.0"))' "$busy"

# node_exporter's host and the libvirt exporter's VM have their week too
ne=$(verdict host:127.0.0.10)
check "node_exporter's host: cpu (5% busy) and memory (12.5%) idle, 7 days observed ($ne)" \
	"$PYTHON3" -c 'import sys; v=sys.argv[1].split(); sys.exit(not (v[0] == "True" and v[2] == "7.0" and abs(float(v[3]) - 0.05) < 0.002 and v[4] == "True" and v[5] == "7.0"))' "$ne"
vm=$(verdict vm:127.0.0.10/5b1c2d3e-0000-4000-8000-00000000beef)
check "the libvirt exporter's VM: 80% of its vCPUs busy, not idle, 7 days observed ($vm)" \
	"$PYTHON3" -c 'import sys; v=sys.argv[1].split(); sys.exit(not (v[0] == "False" and v[2] == "7.0" and abs(float(v[3]) - 0.8) < 0.01))' "$vm"

# the same one shot with --idle: the idle container listed, the busy one not
"$GLASS" -b -n 1 -d 1 --idle --window 7d --no-local --no-history \
	-c "prometheus+http://127.0.0.1:$PP" >"$TMP/idle.txt" 2>&1
check "--idle --window 7d lists the idle container, not the busy one" \
	sh -c 'grep -q idle.service "$1" && ! grep -q busy.service "$1"' _ "$TMP/idle.txt"
finish
