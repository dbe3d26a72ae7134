#!/bin/sh
# The fleet through Prometheus: Debian's prometheus scrapes three glass
# --serve exporters (test:/// hypervisors, a fixture cgroup tree), a
# prometheus-node-exporter and a prometheus-libvirt-exporter, and a target
# that is down; glass -c prometheus+http:// shows the same tree as glass
# reading those sources directly, the exporters' hosts and VMs, the down
# target with Prometheus's reason, in a handful of queries.  Then a fake
# Prometheus with absurd values and hostile names, basic auth from a file,
# and bad URIs.  Each "machine" has an address of its own on 127/8.
. "$(dirname "$0")/lib.sh"

PROBE="$SRCDIR/tests/tools/http_probe.py"
FIX="$SRCDIR/tests/fixtures/cgroup/v2"
N8="$SRCDIR/tests/fixtures/libvirt/node8.xml"
"$GLASS" --no-local -c prometheus+http://127.0.0.1:1 -n 1 -b >/dev/null 2>"$TMP/probe.err"
grep -q "built without libcurl" "$TMP/probe.err" && skip "this glass was built without libcurl"
command -v prometheus >/dev/null 2>&1 || skip "prometheus is not installed (apt-get install prometheus)"
free_port() {
	"$PYTHON3" -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "${1:-127.0.0.1}"
}
BG=""
stop_bg() { for p in $BG; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
on_exit stop_bg
bg() { "$@" & BG="$BG $!"; }

# --- the fleet -------------------------------------------------------------
GP=$(free_port 127.0.0.2)
bg "$GLASS" --serve "127.0.0.2:$GP" -d 1 --no-local -c test:///default >/dev/null 2>&1
bg "$GLASS" --serve "127.0.0.3:$GP" -d 1 --no-local -c "test://$N8" >/dev/null 2>&1
# the fixture's two docker containers belong to "team-x" (an owner rule of
# that exporter's glass): the owner crosses Prometheus
printf 'owner.team-x = ct:*/system.slice/docker-*.scope\n' >"$TMP/owner.rc"
bg "$GLASS" --serve "127.0.0.4:$GP" -d 1 --no-local -C "$TMP/owner.rc" --cgroup-root "$FIX" >/dev/null 2>&1
targets="'127.0.0.2:$GP','127.0.0.3:$GP','127.0.0.4:$GP','127.0.0.6:$GP'"
extra=""
NEP=$(free_port 127.0.0.5)
if command -v prometheus-node-exporter >/dev/null 2>&1; then
	bg prometheus-node-exporter --web.listen-address="127.0.0.5:$NEP" >"$TMP/ne.log" 2>&1
	extra="$extra
  - job_name: node
    static_configs:
      - targets: ['127.0.0.5:$NEP']"
else
	say "prometheus-node-exporter is not installed: no host from it is checked"
fi
LEP=$(free_port 127.0.0.5)
if command -v prometheus-libvirt-exporter >/dev/null 2>&1; then
	bg prometheus-libvirt-exporter --libvirt.uri=test:///default --web.listen-address="127.0.0.5:$LEP" \
		>"$TMP/le.log" 2>&1
	extra="$extra
  - job_name: libvirt
    static_configs:
      - targets: ['127.0.0.5:$LEP']"
else
	say "prometheus-libvirt-exporter is not installed: no VM from it is checked"
fi
# cAdvisor (not packaged in Debian 12): its exposition as the kubelet's
# /metrics/cadvisor gives it (the series' shape from cAdvisor's
# docs/storage/prometheus.md), served by a tiny HTTP server; the CPU
# counters grow with time (web 0.25 cores, the sidecar 0.1) so that
# rate() has something to measure.  Samples without timestamps: with
# them, Prometheus would keep the file's times.  A pod with a limited
# container (0.5 cores, 256 MiB) and an unlimited one, its sandbox
# (pause), the pod's own cgroup and a system cgroup (image=""), which are
# not containers.
CAP=$(free_port 127.0.0.7)
"$PYTHON3" - "$CAP" >"$TMP/cadvisor.log" 2>&1 <<'PY' &
import http.server, sys, time
port, t0 = int(sys.argv[1]), time.monotonic()
POD = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod4b1f2c3d_5e6f_4a7b_8c9d_0e1f2a3b4c5d.slice"
def lab(cid, container, image, name):
    return ('container="%s",id="%s",image="%s",name="%s",namespace="shop",pod="web-7d4b9c6f5-x2x9k"'
            % (container, POD + ("/cri-containerd-%s.scope" % cid if cid else ""), image, name))
WEB = lab("aa11" * 16, "web", "docker.io/library/nginx:1.25", "aa11" * 16)
SIDE = lab("bb22" * 16, "sidecar", "docker.io/library/busybox:1.36", "bb22" * 16)
PAUSE = lab("cc33" * 16, "", "registry.k8s.io/pause:3.9", "cc33" * 16)
PODL = lab("", "", "", "")
SYS = 'container="",id="/system.slice/kubelet.service",image="",name=""'
def body():
    e = time.monotonic() - t0
    return "\n".join([
        "# HELP container_cpu_usage_seconds_total Cumulative cpu time consumed in seconds.",
        "# TYPE container_cpu_usage_seconds_total counter",
        'container_cpu_usage_seconds_total{%s,cpu="total"} %.3f' % (WEB, 100 + 0.25 * e),
        'container_cpu_usage_seconds_total{%s,cpu="total"} %.3f' % (SIDE, 50 + 0.1 * e),
        'container_cpu_usage_seconds_total{%s,cpu="total"} %.3f' % (PAUSE, 1 + 0.001 * e),
        'container_cpu_usage_seconds_total{%s,cpu="total"} %.3f' % (PODL, 151 + 0.351 * e),
        'container_cpu_usage_seconds_total{%s,cpu="total"} %.3f' % (SYS, 900 + 0.5 * e),
        "# HELP container_spec_cpu_quota CPU quota of the container.",
        "# TYPE container_spec_cpu_quota gauge",
        "container_spec_cpu_quota{%s} 50000" % WEB,
        "container_spec_cpu_quota{%s} 50000" % PODL,
        "# HELP container_spec_cpu_period CPU period of the container.",
        "# TYPE container_spec_cpu_period gauge",
        "container_spec_cpu_period{%s} 100000" % WEB,
        "container_spec_cpu_period{%s} 100000" % SIDE,
        "container_spec_cpu_period{%s} 100000" % PAUSE,
        "# HELP container_memory_working_set_bytes Current working set in bytes.",
        "# TYPE container_memory_working_set_bytes gauge",
        "container_memory_working_set_bytes{%s} 134217728" % WEB,
        "container_memory_working_set_bytes{%s} 33554432" % SIDE,
        "container_memory_working_set_bytes{%s} 774144" % PAUSE,
        "container_memory_working_set_bytes{%s} 168546304" % PODL,
        "# HELP container_spec_memory_limit_bytes Memory limit for the container.",
        "# TYPE container_spec_memory_limit_bytes gauge",
        "container_spec_memory_limit_bytes{%s} 268435456" % WEB,
        "container_spec_memory_limit_bytes{%s} 0" % SIDE,
        "container_spec_memory_limit_bytes{%s} 0" % PAUSE,
        ""]).encode()
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_GET(self):
        b = body()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)
http.server.HTTPServer(("127.0.0.7", port), H).serve_forever()
PY
BG="$BG $!"
extra="$extra
  - job_name: cadvisor
    static_configs:
      - targets: ['127.0.0.7:$CAP']"
PP=$(free_port)
cat >"$TMP/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: glass
    static_configs:
      - targets: [$targets]$extra
YML
bg prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/prom" \
	--web.listen-address="127.0.0.1:$PP" --log.level=warn >"$TMP/prom.log" 2>&1
# every live target up, and a few scrapes in, so rate()s have two samples
want=$(echo "$targets$extra" | grep -o "127.0.0.[2-57]:" | grep -vc 127.0.0.6)
# rate(...[1m]) of a series younger than a minute is extrapolated over the
# whole minute (too low): cAdvisor's web must be a minute old
"$PYTHON3" "$SRCDIR/tests/tools/prom_wait.py" "$PP" 150 "count(up == 1)" "$want" \
	"count(count_over_time(up[1m]) >= 4)" "$want" \
	'count_over_time(container_cpu_usage_seconds_total{container="web"}[2m])' 62 >"$TMP/ready" 2>&1
check "prometheus scrapes the fleet ($(cat "$TMP/ready"))" test $? -eq 0

queries_before=$("$PYTHON3" "$PROBE" get "$PP" /metrics | grep 'prometheus_http_requests_total{code="200",handler="/api/v1/query"}' | awk '{print $2}')
"$GLASS" -b -n 2 -d 1 --format json --no-local -c "prometheus+http://127.0.0.1:$PP/" \
	>"$TMP/fleet.jsonl" 2>"$TMP/fleet.err"
check "glass -c prometheus+http://: exit 0, no stderr ($(head -c 300 "$TMP/fleet.err"))" \
	sh -c 'test $1 -eq 0 && test ! -s "$2"' _ $? "$TMP/fleet.err"
queries_after=$("$PYTHON3" "$PROBE" get "$PP" /metrics | grep 'prometheus_http_requests_total{code="200",handler="/api/v1/query"}' | awk '{print $2}')
if "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/fleet.jsonl" >"$TMP/v" 2>&1; then
	pass "the fleet's snapshots validate against the schema"
else
	fail "schema:"; sed 's/^/    /' "$TMP/v" | head
fi
# samples: how many refreshes the source made (the first at once, then one per interval)
"$GLASS" -b -n 1 -d 1 --format json --no-local -c test:///default -c "test://$N8" --cgroup-root "$FIX" \
	>"$TMP/direct.json" 2>/dev/null

# shape FILE [HOSTS]: id, parent, kind, state, cpu and memory allocation of each node below the given hosts
shape() {
	"$PYTHON3" - "$@" <<'PY'
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])][-1]
hosts = sys.argv[2].split(",") if len(sys.argv) > 2 else None
def walk(n, parent, under):
    if n["kind"] == "host":
        under = hosts is None or n["id"] in hosts
    if n["kind"] != "site" and under:
        print(n["id"], parent, n["kind"], n["state"], n["cpu_cores_allocated"], n["memory_bytes_allocated"])
    for c in n["children"]:
        walk(c, n["id"], under)
walk(d["tree"], "", False)
PY
}
direct_hosts=$(shape "$TMP/direct.json" | awk '$3 == "host" {print $1}' | paste -sd, -)
shape "$TMP/direct.json" >"$TMP/direct.shape"
shape "$TMP/fleet.jsonl" "$direct_hosts" >"$TMP/fleet.shape"
if cmp -s "$TMP/direct.shape" "$TMP/fleet.shape"; then
	pass "through Prometheus, the glass exporters' tree is the direct one: $(wc -l <"$TMP/direct.shape") nodes, ids, parents, states, allocations"
else
	fail "the tree through Prometheus differs from the direct one:"
	diff "$TMP/direct.shape" "$TMP/fleet.shape" | head -20 | sed 's/^/    /'
fi
"$PYTHON3" - "$TMP/fleet.jsonl" >"$TMP/used" 2>&1 <<'PY'
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])][-1]
def find(n, i):
    if n["id"] == i:
        return n
    for c in n["children"]:
        f = find(c, i)
        if f:
            return f
vm = find(d["tree"], "vm:test-default/6695eb01-f6a4-8304-79aa-97f2502e193f")
print(vm and vm["cpu_cores_used"])
PY
check "a rate crosses Prometheus as a rate: the test VM uses ~1 core ($(cat "$TMP/used"))" \
	"$PYTHON3" -c 'import sys; v=sys.argv[1]; sys.exit(not (v != "None" and 0.9 <= float(v) <= 1.1))' "$(cat "$TMP/used")"

n=$(grep -c . "$TMP/fleet.jsonl")
per=$("$PYTHON3" -c 'import sys; print((float(sys.argv[2]) - float(sys.argv[1])) / (int(sys.argv[3]) + 1))' \
	"${queries_before:-0}" "${queries_after:-0}" "$n")
check "queries per refresh: $per (<= 10; $queries_before -> $queries_after over $n snapshots)" \
	"$PYTHON3" -c 'import sys; sys.exit(not (0 < float(sys.argv[1]) <= 10))' "$per"

json_node() { # FILE ID EXPR-ON-n
	"$PYTHON3" - "$@" <<'PY'
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])][-1]
def find(n):
    if n["id"] == sys.argv[2]:
        return n
    for c in n["children"]:
        f = find(c)
        if f:
            return f
n = find(d["tree"])
print(eval(sys.argv[3]) if n else "absent")
PY
}
down=$(json_node "$TMP/fleet.jsonl" host:127.0.0.6 '"%s|%s|%s" % (n["state"], n["health"], n["health_reason"])')
check "a target that is down: its host is down and unreachable, with Prometheus's reason ($down)" \
	sh -c 'case $1 in "down|unreachable|"*"connection refused"*) exit 0;; esac; exit 1' _ "$down"
others=$("$PYTHON3" - "$TMP/fleet.jsonl" <<'PY'
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])][-1]
print(" ".join(sorted("%s=%s" % (h["id"], h["health"]) for h in d["tree"]["children"] if h["id"] != "host:127.0.0.6")))
PY
)
check "... the other hosts are ok ($others)" \
	sh -c 'test -n "$1" && ! echo "$1" | tr " " "\n" | grep -qv "=ok$"' _ "$others"
"$GLASS" --replay "$TMP/fleet.jsonl" -n 1 --format json >"$TMP/fleet-replay.json" 2>/dev/null
got=$(json_node "$TMP/fleet-replay.json" host:127.0.0.6 '"%s|%s" % (n["health"], n["health_reason"])')
check "... and replay keeps it ($got)" sh -c 'case $1 in "unreachable|"*"connection refused"*) exit 0;; esac; exit 1' _ "$got"
"$GLASS" --replay "$TMP/fleet.jsonl" -n 1 --format text >"$TMP/fleet.txt" 2>/dev/null
check "... text: under the host's row, why it is unreachable" \
	grep -q "^      unreachable: .*connection refused" "$TMP/fleet.txt"
"$GLASS" --replay "$TMP/fleet.jsonl" -n 1 --format prom >"$TMP/fleet.prom" 2>/dev/null
check "... prom: glass_node_health says unreachable and why" \
	grep -q '^glass_node_health{id="host:127.0.0.6",.*health="unreachable",reason=".*connection refused.*"} 1$' "$TMP/fleet.prom"

# owners cross Prometheus: glass_node_info's owner and owner_source
DOCKER_A=ct:vm/system.slice/docker-3f4e8a1b2c9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f.scope
got=$(json_node "$TMP/fleet.jsonl" "$DOCKER_A" '"%s %s" % (n["owner"], n["owner_source"])')
check "an owner through Prometheus: the exporter's rule gives team-x ($got)" test "$got" = "team-x config"
"$GLASS" -b -n 1 -d 1 --by owner --format json --no-local -c "prometheus+http://127.0.0.1:$PP/" \
	>"$TMP/owners.json" 2>"$TMP/owners.err"
got=$("$PYTHON3" -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join("%s:%s:%s" % (o["owner"], o["holders"], o["cpu"]["allocated_cores"]) for o in d["chargeback"]["owners"] if o["owner"]))
' "$TMP/owners.json" 2>&1)
check "--by owner through Prometheus: team-x holds the two docker containers, 3.5 cores ($got)" test "$got" = "team-x:2:3.5"
if command -v prometheus-node-exporter >/dev/null 2>&1; then
	cpus=$(json_node "$TMP/fleet.jsonl" host:127.0.0.5 'n["cpu_cores_allocated"]')
	mem=$(json_node "$TMP/fleet.jsonl" host:127.0.0.5 'n["memory_bytes_allocated"]')
	total=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) * 1024 ))
	check "node_exporter's host: $cpus CPUs (nproc $(nproc))" test "${cpus%.0}" = "$(nproc)"
	check "node_exporter's host: MemTotal $mem (/proc/meminfo $total)" test "${mem%.0}" = "$total"
fi
if command -v prometheus-libvirt-exporter >/dev/null 2>&1; then
	vm=$(json_node "$TMP/fleet.jsonl" "vm:127.0.0.5/6695eb01-f6a4-8304-79aa-97f2502e193f" \
		'"%s %s %s" % (n["cpu_cores_allocated"], n["memory_bytes_allocated"], n["memory_bytes_max"])')
	check "the libvirt exporter's VM below its host: 2 vCPUs, 2 GiB of 8 GiB ($vm)" \
		test "$vm" = "2 2147483648 8589934592"
fi

pod=ct:127.0.0.7/k8s/shop/web-7d4b9c6f5-x2x9k
got=$(json_node "$TMP/fleet.jsonl" "$pod" '"%s %s %s" % (n["kind"], n["runtime"], sorted(c["name"] for c in n["children"]))')
check "cAdvisor: the pod is a group below its host, its two containers below it, no sandbox ($got)" \
	test "$got" = "group kubernetes ['sidecar', 'web']"
got=$(json_node "$TMP/fleet.jsonl" host:127.0.0.7 'len(n["children"])')
check "cAdvisor: the pod's own cgroup and the system cgroup are not containers ($got child of the host)" test "$got" = 1
web=$(json_node "$TMP/fleet.jsonl" "$pod/web" \
	'"%s %s %s %s" % (n["cpu_cores_allocated"], n["memory_bytes_allocated"], n["memory_bytes_used"], n["cpu_cores_used"])')
check "cAdvisor: web has 50000/100000 = 0.5 cores and a 256 MiB limit, uses 128 MiB and ~0.25 cores ($web)" \
	"$PYTHON3" -c 'import sys; a, m, u, c = sys.argv[1].split(); sys.exit(not (a == "0.5" and m == "268435456" and u == "134217728" and c != "None" and 0.2 <= float(c) <= 0.3))' "$web"
side=$(json_node "$TMP/fleet.jsonl" "$pod/sidecar" \
	'"%s %s %s" % (n["cpu_cores_allocated"], n["memory_bytes_allocated"], n["memory_bytes_used"])')
check "cAdvisor: the sidecar has no quota and no limit (unknown, not 0), uses 32 MiB ($side)" \
	test "$side" = "None None 33554432"

# --- a Prometheus that says absurd and hostile things ----------------------
FP=$(free_port)
printf 'tester\n' >"$TMP/user"
printf 'PW-S3CRET\n' >"$TMP/pw"
chmod 600 "$TMP/pw"
"$PYTHON3" - "$FP" "$(printf '%s' 'tester:PW-S3CRET' | base64)" >"$TMP/fake.log" 2>&1 <<'PY' &
import http.server, json, sys, urllib.parse
port, auth = int(sys.argv[1]), "Basic " + sys.argv[2]
def series(metric, value):
    return {"metric": metric, "value": [0, value]}
evil = "ev\x1b[31mil\nname"
INFO = [series({"__name__": "glass_node_info", "id": "host:fake", "parent": "", "kind": "host", "name": "fake",
                "host": "fake", "runtime": "", "instance": "127.0.0.9:1"}, "1"),
        series({"__name__": "glass_node_info", "id": "ct:fake/a", "parent": "host:fake", "kind": "container",
                "name": evil, "host": "fake", "runtime": "docker", "instance": "127.0.0.9:1"}, "1"),
        series({"__name__": "glass_node_info", "id": "ct:fake/b", "parent": "host:fake", "kind": "nonsense",
                "name": "b", "host": "fake", "instance": "127.0.0.9:1"}, "1")]
VALUES = [series({"__name__": "glass_cpu_allocated_cores", "id": "host:fake"}, "NaN"),
          series({"__name__": "glass_memory_allocated_bytes", "id": "host:fake"}, "1e300"),
          series({"__name__": "glass_cpu_allocated_cores", "id": "ct:fake/a"}, "-4"),
          series({"__name__": "glass_memory_used_bytes", "id": "ct:fake/a"}, "+Inf"),
          series({"__name__": "glass_cpu_used_cores", "id": "ct:fake/a"}, "0.25"),
          series({"__name__": "glass_pids", "id": "ct:fake/a"}, "not a number")]
# an exporter's glass says a node is stale (its own source's trouble),
# and something that is no health of another
HEALTH = [series({"__name__": "glass_node_health", "id": "ct:fake/a", "health": "stale",
                  "reason": "docker: no answer for 9 s", "instance": "127.0.0.9:1"}, "1"),
          series({"__name__": "glass_node_health", "id": "host:fake", "health": "nonsense",
                  "reason": "x", "instance": "127.0.0.9:1"}, "1")]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_GET(self):
        if self.headers.get("Authorization") != auth:
            self.send_response(401)
            self.end_headers()
            self.wfile.write(b'{"status":"error","error":"unauthorized"}')
            return
        q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query).get("query", [""])[0]
        result = INFO if "glass_node_info" in q else VALUES if "glass_(cpu" in q else \
            HEALTH if "glass_node_health" in q else []
        body = json.dumps({"status": "success", "data": {"resultType": "vector", "result": result}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
PY
BG="$BG $!"
"$PYTHON3" -c '
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close(); sys.exit(0)
    except OSError:
        time.sleep(0.1)
' "$FP"
printf 'prometheus.user = tester\nprometheus.password_file = %s\n' "$TMP/pw" >"$TMP/auth.rc"
"$GLASS" -b -n 1 -d 0.5 --format json --no-local -C "$TMP/auth.rc" -c "prometheus+http://127.0.0.1:$FP" \
	>"$TMP/fake.json" 2>"$TMP/fake.err"
check "basic auth from prometheus.password_file: exit 0 ($(head -c 200 "$TMP/fake.err"))" test $? -eq 0
check "absurd values are unknown: NaN cores, 1e300 bytes, -4 cores, +Inf, not a number" \
	test "$(json_node "$TMP/fake.json" host:fake '(n["cpu_cores_allocated"], n["memory_bytes_allocated"])') $(json_node "$TMP/fake.json" ct:fake/a '(n["cpu_cores_allocated"], n["memory_bytes_used"], n["pids_current"])')" = "(None, None) (None, None, None)"
check "a hostile name arrives whole, escaped only on a terminal" \
	test "$(json_node "$TMP/fake.json" ct:fake/a 'n["name"] == "ev\x1b[31mil\nname"')" = True
check "a kind glass does not know is left out" test "$(json_node "$TMP/fake.json" ct:fake/b 'n')" = absent
got="$(json_node "$TMP/fake.json" ct:fake/a '(n["health"], n["health_reason"])') $(json_node "$TMP/fake.json" host:fake 'n["health"]')"
check "a glass exporter's node health crosses Prometheus; a health glass does not know is none ($got)" \
	test "$got" = "('stale', 'docker: no answer for 9 s') ok"
"$GLASS" -b -n 1 -d 0.5 --no-local -C "$TMP/auth.rc" -c "prometheus+http://127.0.0.1:$FP" >"$TMP/fake.txt" 2>&1
check "text: the hostile name has no raw escape byte" sh -c '! grep -q "$(printf "\033")" "$1"' _ "$TMP/fake.txt"
check "the password is in no output" sh -c '! grep -q PW-S3CRET "$1" "$2" "$3"' _ "$TMP/fake.json" "$TMP/fake.err" "$TMP/fake.txt"
"$GLASS" -b -n 1 -d 0.5 --no-local -c "prometheus+http://127.0.0.1:$FP" >/dev/null 2>"$TMP/noauth.err"
rc=$?
check "without credentials: exit 1, one line with the HTTP status ($(cat "$TMP/noauth.err"))" \
	sh -c 'test $1 -eq 1 && test "$(wc -l <"$2")" -eq 1 && grep -q "HTTP 401" "$2"' _ $rc "$TMP/noauth.err"

if command -v valgrind >/dev/null 2>&1 && ! grep -q "__asan_init" "$GLASS" 2>/dev/null; then
	valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		"$GLASS" -b -n 2 -d 5 --format json --no-local -C "$TMP/auth.rc" \
		-c "prometheus+http://127.0.0.1:$FP" -c "prometheus+http://127.0.0.1:$PP" >/dev/null 2>"$TMP/vg"
	rc=$?
	check "valgrind: the Prometheus source leaks nothing, no bad access (exit $rc)" test $rc -eq 0
	[ $rc -eq 0 ] || sed 's/^/    /' "$TMP/vg" | head -30
else
	say "valgrind missing or an ASan build: the valgrind run of the Prometheus source is skipped"
fi

# --- bad URIs and a dead Prometheus ----------------------------------------
expect_error 2 "credentials in the URI are refused, never printed" "never in the URI" \
	--no-local -c 'prometheus+http://u:PW-S3CRET@127.0.0.1:9090' -n 1 -b
check "  ... and the password is not in the message" sh -c '! grep -q PW-S3CRET "$1"' _ "$TMP/expect.err"
expect_error 2 "a scheme other than http(s)" "expected prometheus+http" --no-local -c 'prometheus+ftp://h:1' -n 1 -b
printf 'prometheus.user = x\nprometheus.password_file = /nonexistent\n' >"$TMP/bad.rc"
expect_error 2 "a missing credential file" "prometheus.password_file /nonexistent" \
	--no-local -C "$TMP/bad.rc" -c "prometheus+http://127.0.0.1:1" -n 1 -b
DEAD=$(free_port)
start=$(date +%s)
"$GLASS" -b -n 1 -d 0.5 --no-local -c "prometheus+http://127.0.0.1:$DEAD" >/dev/null 2>"$TMP/dead.err"
rc=$?
check "a dead Prometheus: exit 1, one line naming it, in $(( $(date +%s) - start )) s ($(cat "$TMP/dead.err"))" \
	sh -c 'test $1 -eq 1 && test "$(wc -l <"$2")" -eq 1 && grep -q "prometheus+http://127.0.0.1:$3" "$2"' _ $rc "$TMP/dead.err" "$DEAD"
finish
