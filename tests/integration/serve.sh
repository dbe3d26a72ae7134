#!/bin/sh
# glass --serve: /metrics (the Prometheus text format and OpenMetrics),
# /snapshot.json and / over HTTP, scraped by Debian's prometheus; bad
# listen addresses; slow, oversized and many requests; a scrape while a
# hypervisor hangs; nothing secret in what is served; valgrind clean.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libvirtd_lib.sh"

PROBE="$SRCDIR/tests/tools/http_probe.py"
FIX="$SRCDIR/tests/fixtures/cgroup/v2"
if ! "$GLASS" --serve 1 --replay /nonexistent 2>&1 | grep -q "replay"; then
	skip "this glass was built without libmicrohttpd (no --serve)"
fi
free_port() { libvirtd_free_port; }
BG=""
stop_bg() { for p in $BG; do kill -CONT "$p" 2>/dev/null; kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
on_exit stop_bg

# --- bad listen addresses: one line, exit 2; a taken port: exit 1 ---------
expect_error 2 "--serve abc" "the port must be a number" --serve abc
expect_error 2 "--serve 70000" "from 1 to 65535" --serve 70000
expect_error 2 "--serve with a host name" "is not an IP address" --serve localhost:9
expect_error 2 "--serve [::1 without its bracket" "in brackets" --serve '[::1:9'
expect_error 2 "--serve with --idle" "--serve and --idle" --serve 9 --idle
taken=$(free_port)
"$PYTHON3" -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(); time.sleep(30)' "$taken" &
holder=$!
BG="$BG $holder"
"$PYTHON3" -c '
import socket, sys, time
for _ in range(300):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
' "$taken"
timeout 60 "$GLASS" --serve "127.0.0.1:$taken" --no-local --cgroup-root "$FIX" >"$TMP/taken.out" 2>"$TMP/taken.err"
rc=$?
check "a port in use: exit 1, one line naming it ($(cat "$TMP/taken.err"))" \
	sh -c 'test $1 -eq 1 && test "$(wc -l <"$2")" -eq 1 && grep -q "^glass: --serve 127.0.0.1:$3: Address already in use" "$2"' \
	_ $rc "$TMP/taken.err" "$taken"
kill "$holder" 2>/dev/null

# --- a glass serving a fixture tree and test:///default -------------------
PORT=$(free_port)
"$GLASS" --serve "$PORT" -d 0.5 --no-local --cgroup-root "$FIX" -c test:///default \
	-c 'test+tcp://admin:S3CRETPW@127.0.0.1:1/default' >"$TMP/serve.out" 2>"$TMP/serve.err" &
glass=$!
BG="$BG $glass"
"$PYTHON3" "$PROBE" wait "$PORT" /metrics 30 >"$TMP/wait" 2>&1
check "/metrics answers 200 after the first snapshot ($(cat "$TMP/wait"))" test $? -eq 0
check "nothing on stdout: snapshots go to HTTP" test ! -s "$TMP/serve.out"

"$PYTHON3" "$PROBE" get "$PORT" /metrics >"$TMP/m" 2>&1
sed -n 2p "$TMP/m" >"$TMP/m.type"
tail -n +3 "$TMP/m" >"$TMP/m.body"
check "/metrics: text/plain; version=0.0.4 ($(cat "$TMP/m.type"))" grep -q "^text/plain; version=0.0.4" "$TMP/m.type"
if promtool check metrics <"$TMP/m.body" >"$TMP/promtool" 2>&1; then
	pass "promtool check metrics: clean"
else
	fail "promtool check metrics:"; sed 's/^/    /' "$TMP/promtool" | head -20
fi
check "/metrics carries the tree (glass_node_info with parent labels)" \
	grep -q '^glass_node_info{id="vm:test-default/[^"]*",parent="host:test-default"' "$TMP/m.body"
check "/metrics carries the site's rollups and the idle flags" \
	sh -c 'grep -q "^glass_site_cpu_total_cores " "$1" && grep -q "^glass_cpu_idle{" "$1"' _ "$TMP/m.body"
check "/metrics says how old its snapshot is" grep -q "^glass_snapshot_age_seconds " "$TMP/m.body"

"$PYTHON3" "$PROBE" get "$PORT" /metrics \
	"application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5" >"$TMP/om" 2>&1
check "/metrics with Accept: OpenMetrics: its content type and # EOF last" \
	sh -c 'sed -n 2p "$1" | grep -q "^application/openmetrics-text; version=1.0.0" && test "$(tail -n 1 "$1")" = "# EOF"' _ "$TMP/om"
"$PYTHON3" "$PROBE" get "$PORT" /metrics "application/openmetrics-text;q=0,text/plain" >"$TMP/om0" 2>&1
check "Accept: OpenMetrics with q=0 gets the text format" grep -q "^text/plain" "$TMP/om0"

"$PYTHON3" "$PROBE" get "$PORT" /snapshot.json >"$TMP/s" 2>&1
tail -n +3 "$TMP/s" >"$TMP/s.json"
if "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/s.json" >"$TMP/v" 2>&1; then
	pass "/snapshot.json validates against doc/snapshot.schema.json"
else
	fail "/snapshot.json schema:"; sed 's/^/    /' "$TMP/v" | head
fi
nodes=$("$PYTHON3" -c '
import json, sys
def count(n):
    return 1 + sum(count(c) for c in n["children"])
print(count(json.load(open(sys.argv[1]))["tree"]) - 1)  # the site has no info sample
' "$TMP/s.json")
infos=$(grep -c '^glass_node_info{' "$TMP/m.body")
check "one glass_node_info per node of the snapshot ($infos, $nodes)" test "$infos" = "$nodes"

for path in /metrics /snapshot.json; do
	"$PYTHON3" "$PROBE" get "$PORT" $path >"$TMP/sec" 2>&1
	check "$path: the password in a -c URI is not served" sh -c '! grep -q S3CRETPW "$1"' _ "$TMP/sec"
done

"$PYTHON3" "$PROBE" get "$PORT" / >"$TMP/index" 2>&1
check "/ says what glass serves" sh -c 'head -1 "$1" | grep -q 200 && grep -q "/metrics" "$1" && grep -q "/snapshot.json" "$1"' _ "$TMP/index"
"$PYTHON3" "$PROBE" get "$PORT" /nope >"$TMP/404" 2>&1
check "an unknown path: 404" test "$(head -1 "$TMP/404")" = 404
"$PYTHON3" "$PROBE" raw "$PORT" 'b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"' >"$TMP/post" 2>&1
check "POST: 405 ($(cat "$TMP/post"))" grep -q " 405 " "$TMP/post"
"$PYTHON3" "$PROBE" raw "$PORT" 'b"GARBAGE\r\n\r\n"' >"$TMP/garbage" 2>&1
check "a request that is not HTTP: a 4xx or closed ($(cat "$TMP/garbage"))" \
	sh -c 'grep -q -e " 4[0-9][0-9] " -e "^closed$" "$1"' _ "$TMP/garbage"
"$PYTHON3" "$PROBE" huge "$PORT" 200000 >"$TMP/huge" 2>&1
check "a 200 KB header: refused with a 4xx or closed ($(cat "$TMP/huge"))" \
	sh -c 'grep -q -e " 4[0-9][0-9] " -e "^closed$" "$1"' _ "$TMP/huge"

"$PYTHON3" "$PROBE" slow "$PORT" 60 2 >"$TMP/slow" 2>&1
check "60 slow clients trickling headers: a scrape still gets 200 ($(cat "$TMP/slow") s)" \
	sh -c 'read st took <"$1" && test "$st" = 200 && "$2" -c "import sys; sys.exit(float(sys.argv[1]) >= 5)" "$took"' \
	_ "$TMP/slow" "$PYTHON3"
rss0=$(awk '/^VmRSS/ {print $2}' /proc/$glass/status)
"$PYTHON3" "$PROBE" many "$PORT" 10000 >"$TMP/many" 2>&1
check "10,000 scrapes on one keep-alive connection: all 200 ($(cat "$TMP/many"))" grep -q "^ok 10000" "$TMP/many"
rss1=$(awk '/^VmRSS/ {print $2}' /proc/$glass/status)
if grep -q "__asan_init" "$GLASS" 2>/dev/null; then
	# ASan holds freed memory in its quarantine (256 MiB): RSS says nothing there
	say "an ASan build: RSS after 10,000 scrapes ($rss0 -> $rss1 KiB) is not checked"
else
	check "RSS after 10,000 scrapes: $rss0 -> $rss1 KiB (grows < 8 MiB)" test $((rss1 - rss0)) -lt 8192
fi
check "glass still running after all that" kill -0 "$glass"

# --- Debian's prometheus scrapes it ---------------------------------------
if command -v prometheus >/dev/null 2>&1; then
	PPORT=$(free_port)
	cat >"$TMP/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: glass
    static_configs:
      - targets: ['127.0.0.1:$PORT']
YML
	prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/prom" \
		--web.listen-address="127.0.0.1:$PPORT" --log.level=warn >"$TMP/prom.log" 2>&1 &
	prom=$!
	BG="$BG $prom"
	"$PYTHON3" - "$PPORT" "$nodes" >"$TMP/promq" 2>&1 <<'PY'
import json, sys, time, urllib.parse, urllib.request
port, nodes = sys.argv[1], int(sys.argv[2])
def q(expr):
    url = "http://127.0.0.1:%s/api/v1/query?query=%s" % (port, urllib.parse.quote(expr))
    r = json.load(urllib.request.urlopen(url, timeout=10))["data"]["result"]
    return float(r[0]["value"][1]) if r else None
deadline, last = time.monotonic() + 60, None
while time.monotonic() < deadline:
    try:
        last = (q('up{job="glass"}'), q("count(glass_node_info)"), q("glass_site_cpu_total_cores"))
        if last[0] == 1 and last[1] == nodes and last[2]:
            print("up 1, %d nodes, %g cores at the site" % (nodes, last[2]))
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.5)
print("within 60 s: up, nodes, cores = %s (want 1, %d)" % (last, nodes))
sys.exit(1)
PY
	check "prometheus scrapes glass --serve: $(cat "$TMP/promq")" test $? -eq 0
	kill "$prom" 2>/dev/null
else
	say "prometheus is not installed: the scrape by a real Prometheus is not checked"
fi
kill -TERM "$glass"
wait "$glass"
check "SIGTERM: exit 0" test $? -eq 0
check "stderr: only the warning that the URI's password is left out, redacted" \
	sh -c 'test "$(grep -vc "admin:\*\*\*@127.0.0.1:1/default: warning: the password in the URI is not used" "$1")" = 0 &&
		! grep -q S3CRETPW "$1"' _ "$TMP/serve.err"

# --- a scrape while a hypervisor hangs -------------------------------------
if command -v libvirtd >/dev/null 2>&1; then
	libvirtd_start
	PORT=$(free_port)
	"$GLASS" --serve "$PORT" -d 0.5 --no-local -c "test+tcp://127.0.0.1:$LVD_PORT/default" \
		>/dev/null 2>"$TMP/hang.err" &
	glass=$!
	BG="$BG $glass"
	"$PYTHON3" "$PROBE" wait "$PORT" /metrics 30 >/dev/null 2>&1
	kill -STOP "$LVD_PID"
	"$PYTHON3" - "$PORT" >"$TMP/hang" 2>&1 <<'PY'
import re, sys, time, urllib.request
port = sys.argv[1]
worst, up = 0.0, None
end = time.monotonic() + 20
while time.monotonic() < end:
    t0 = time.monotonic()
    body = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % port, timeout=30).read().decode()
    worst = max(worst, time.monotonic() - t0)
    m = re.search(r'^glass_source_up\{uri="test\+tcp[^}]*\} (\d)', body, re.M)
    up = m and m.group(1)
    if up == "0" and worst > 0:
        break
    time.sleep(0.2)
print("%.3f %s" % (worst, up))
PY
	read worst up <"$TMP/hang"
	check "libvirtd stopped: the hypervisor's source goes down in /metrics (up=$up)" test "$up" = 0
	check "libvirtd stopped: every scrape answered at once (slowest $worst s, < 2)" \
		"$PYTHON3" -c "import sys; sys.exit(float(sys.argv[1]) >= 2)" "$worst"
	kill -CONT "$LVD_PID"
	kill -TERM "$glass"
	wait "$glass"
else
	say "libvirtd cannot start here: the scrape during a hung hypervisor is not checked"
fi

# --- valgrind: the HTTP paths leak nothing ---------------------------------
if command -v valgrind >/dev/null 2>&1 && ! grep -q "__asan_init" "$GLASS" 2>/dev/null; then
	PORT=$(free_port)
	valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		"$GLASS" --serve "$PORT" -d 0.5 --no-local --cgroup-root "$FIX" -c test:///default \
		>/dev/null 2>"$TMP/vg" &
	vg=$!
	BG="$BG $vg"
	"$PYTHON3" "$PROBE" wait "$PORT" /metrics 60 >/dev/null 2>&1
	"$PYTHON3" "$PROBE" get "$PORT" /metrics application/openmetrics-text >/dev/null 2>&1
	"$PYTHON3" "$PROBE" get "$PORT" /snapshot.json >/dev/null 2>&1
	"$PYTHON3" "$PROBE" get "$PORT" /nope >/dev/null 2>&1
	"$PYTHON3" "$PROBE" huge "$PORT" 100000 >/dev/null 2>&1
	kill -TERM "$vg"
	wait "$vg"
	rc=$?
	check "valgrind: glass --serve leaks nothing, no bad access (exit $rc)" test $rc -eq 0
	[ $rc -eq 0 ] || sed 's/^/    /' "$TMP/vg" | head -30
else
	say "valgrind missing or an ASan build: the valgrind run of --serve is skipped"
fi
finish
