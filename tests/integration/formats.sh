#!/bin/sh
# Snapshots for machines: CSV, Prometheus, JSON Lines, record and replay,
# node selection, and files a reader never sees half-written.
. "$(dirname "$0")/lib.sh"

HOSTILE="$SRCDIR/tests/fixtures/replay/hostile-names.jsonl"

# ---- CSV: one header, every row as wide as it, names exact
"$GLASS" -b -n 3 -d 0.2 --format csv >"$TMP/out.csv" 2>"$TMP/err"
check "csv: exit 0, no stderr" sh -c 'test $1 -eq 0 && test ! -s "$2"' _ $? "$TMP/err"
"$PYTHON3" - "$TMP/out.csv" >"$TMP/csv.res" 2>&1 <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
head = rows[0]
assert head[:4] == ["time", "sequence", "id", "parent_id"], head
assert all(len(r) == len(head) for r in rows), "every row has the header's width"
assert sum(1 for r in rows if r == head) == 1, "one header for the whole stream"
seqs = sorted({r[1] for r in rows[1:]})
assert seqs == ["1", "2", "3"], seqs
kinds = {r[head.index("kind")] for r in rows[1:]}
assert {"site", "host"} <= kinds, kinds
host = [r for r in rows[1:] if r[head.index("kind")] == "host"][0]
assert host[head.index("cpu_cores_allocated")] != "", "known values are written"
assert host[head.index("pids_max")] == "", "unknown is an empty field, never 0"
print("ok")
PY
check "csv: python's csv module reads it ($(tail -1 "$TMP/csv.res"))" grep -qx ok "$TMP/csv.res"

"$GLASS" --replay "$HOSTILE" --format csv >"$TMP/hostile.csv" 2>"$TMP/err"
"$PYTHON3" - "$TMP/hostile.csv" >"$TMP/csv2.res" 2>&1 <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
names = [r[rows[0].index("name")] for r in rows[1:]]
assert 'a,"b"\nc' in names, names            # commas, quotes, newline: exact
assert 'back\\slash "quoted"' in names, names
assert "\\x1b]0;pwned\\x07title" in names, names  # a terminal escape is defused
assert "caf\u00e9 \u2713" in names, names
assert all(len(r) == len(rows[0]) for r in rows)
print("ok")
PY
check "csv: a node named a,\"b\"<newline>c round-trips exactly ($(tail -1 "$TMP/csv2.res"))" grep -qx ok "$TMP/csv2.res"
check "csv: no raw escape byte" sh -c '! grep -q "$(printf "\033")" "$1"' _ "$TMP/hostile.csv"
"$GLASS" -b -n 2 -d 0.2 --idle --format csv -c test:///default >"$TMP/idle.csv" 2>"$TMP/err"
"$PYTHON3" - "$TMP/idle.csv" >"$TMP/csv3.res" 2>&1 <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
head = rows[0]
assert head[:3] == ["time", "sequence", "section"], head
assert sum(1 for r in rows if r == head) == 1, "one header for the whole stream"
assert all(len(r) == len(head) for r in rows)
secs = {r[2] for r in rows[1:]}
assert secs and secs <= {"holders", "hosts", "nested"}, secs
print("ok")
PY
check "csv --idle: one row per flagged node with its section ($(tail -1 "$TMP/csv3.res"))" grep -qx ok "$TMP/csv3.res"

# ---- Prometheus: promtool is the judge
if command -v promtool >/dev/null 2>&1; then
	"$GLASS" -b -d 0.2 --format prom >"$TMP/out.prom" 2>"$TMP/err"
	check "prom: promtool check metrics passes on the real machine" sh -c 'promtool check metrics <"$1"' _ "$TMP/out.prom"
	"$GLASS" -b -d 0.2 --idle --format prom -c test:///default >"$TMP/idle.prom" 2>"$TMP/err"
	check "prom --idle: promtool passes" sh -c 'promtool check metrics <"$1"' _ "$TMP/idle.prom"
	"$PYTHON3" - "$TMP/idle.prom" >"$TMP/prom.res" 2>&1 <<'PY'
import re, sys
text = open(sys.argv[1]).read()
assert re.search(r"^glass_site_cpu_slack_cores ", text, re.M), "the site rollups are there"
ids = set(re.findall(r'^glass_(?!host_|site_)\w+\{id="([^"]*)"', text, re.M))
flagged = set(re.findall(r'^glass_(?:cpu|memory)_idle\{id="([^"]*)".*\} 1$', text, re.M))
assert ids and ids == flagged, (ids, flagged)
print("ok: %d flagged nodes" % len(ids))
PY
	check "prom --idle: the rollups and only flagged nodes' samples ($(tail -1 "$TMP/prom.res"))" grep -q '^ok' "$TMP/prom.res"
	check "prom: glass_source_up for the local host" grep -q '^glass_source_up{uri="local",kind="host",health="ok"} 1$' "$TMP/out.prom"
	check "prom: the site's idle cores" grep -q '^glass_site_cpu_idle_cores [0-9]' "$TMP/out.prom"
	check "prom: unknown values are left out, never 0" sh -c '! grep -q "^glass_pids{" "$1"' _ "$TMP/out.prom"
	"$GLASS" --replay "$HOSTILE" --format prom >"$TMP/hostile.prom" 2>&1
	check "prom: promtool passes with hostile names" sh -c 'promtool check metrics <"$1"' _ "$TMP/hostile.prom"
	check "prom: quotes and newlines escaped in labels" grep -qF 'name="a,\"b\"\nc"' "$TMP/hostile.prom"
	check "prom: the recorded URI is what shows" grep -q 'uri="qemu+ssh://root@rack-1/system"' "$TMP/hostile.prom"
else
	say "promtool not installed (apt-get install prometheus): Prometheus output is not validated"
	fail "promtool missing"
fi

# ---- JSON Lines: 5 snapshots, each valid
"$GLASS" -b -n 5 -d 0.1 --format json >"$TMP/five.jsonl" 2>/dev/null
check "json: 5 lines" test "$(wc -l <"$TMP/five.jsonl")" -eq 5
check "json: each validates" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/five.jsonl"

# ---- record and replay: the same tree, plus "replayed"
"$GLASS" -b -n 3 -d 0.2 --format csv --record "$TMP/rec.jsonl" >/dev/null 2>&1
check "record: 3 JSON lines whatever the format shown" test "$(wc -l <"$TMP/rec.jsonl")" -eq 3
"$GLASS" -b -n 1 -d 0.1 --record "$TMP/rec.jsonl" >/dev/null 2>&1
check "record: appends" test "$(wc -l <"$TMP/rec.jsonl")" -eq 4
"$GLASS" --replay "$TMP/rec.jsonl" --format json >"$TMP/rep.jsonl" 2>"$TMP/err"
check "replay: exit 0, no stderr" sh -c 'test $1 -eq 0 && test ! -s "$2"' _ $? "$TMP/err"
check "replay: output validates" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/rep.jsonl"
"$PYTHON3" - "$TMP/rec.jsonl" "$TMP/rep.jsonl" >"$TMP/rr" 2>&1 <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
assert len(a) == len(b) == 4, (len(a), len(b))
for x, y in zip(a, b):
    assert y.pop("replayed") is True
    assert x == y, "replay gives the recorded tree"
print("ok")
PY
check "replay: the same trees as recorded ($(tail -1 "$TMP/rr"))" grep -qx ok "$TMP/rr"
# the same on the fixture tree, whose containers have PSI (pressure) and
# limits: every field survives, not only those the live machine has
"$GLASS" -b -n 2 -d 0.2 --no-local --cgroup-root "$SRCDIR/tests/fixtures/cgroup/v2" \
	--format csv --record "$TMP/recfix.jsonl" >/dev/null 2>&1
"$GLASS" --replay "$TMP/recfix.jsonl" --format json >"$TMP/repfix.jsonl" 2>"$TMP/err"
"$PYTHON3" - "$TMP/recfix.jsonl" "$TMP/repfix.jsonl" >"$TMP/rr" 2>&1 <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
assert len(a) == len(b) == 2, (len(a), len(b))
psi = lambda n: (n.get("pressure") or {}).get("cpu_some") is not None or any(psi(c) for c in n.get("children", []))
assert psi(a[0]["tree"]), "the fixture has pressure"
for x, y in zip(a, b):
    assert y.pop("replayed") is True
    assert x == y, "replay gives the recorded tree"
print("ok")
PY
check "replay: the fixture's trees, pressure too ($(tail -1 "$TMP/rr"))" grep -qx ok "$TMP/rr"
# per-node health (a fleet source's machine that is down) survives replay,
# and text and CSV show it on that node
"$PYTHON3" - "$TMP/recfix.jsonl" "$TMP/health.jsonl" <<'PY'
import json, sys
out = open(sys.argv[2], "w")
for line in open(sys.argv[1]):
    d = json.loads(line)
    host = d["tree"]["children"][0]
    host["health"], host["health_reason"] = "unreachable", "Get \"http://h:9100/metrics\": connection refused"
    host["children"][0]["health"], host["children"][0]["health_reason"] = "stale", None
    out.write(json.dumps(d) + "\n")
PY
"$GLASS" --replay "$TMP/health.jsonl" --format json >"$TMP/rephealth.jsonl" 2>"$TMP/err"
"$PYTHON3" - "$TMP/health.jsonl" "$TMP/rephealth.jsonl" >"$TMP/rr" 2>&1 <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
for x, y in zip(a, b):
    assert y.pop("replayed") is True
    assert x == y, "replay gives the recorded tree"
h = b[-1]["tree"]["children"][0]
print(h["health"], h["health_reason"], h["children"][0]["health"], h["children"][0]["health_reason"])
PY
check "replay keeps per-node health and its reason ($(tail -1 "$TMP/rr"))" \
	test "$(tail -1 "$TMP/rr")" = 'unreachable Get "http://h:9100/metrics": connection refused stale None'
check "replay: the snapshots with per-node health validate" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/rephealth.jsonl"
"$GLASS" --replay "$TMP/health.jsonl" -n 1 --format text >"$TMP/health.txt" 2>&1
check "text: the host's state says unreachable, the reason under its row" \
	sh -c 'grep -A1 "^  vm  *host  *unreacha" "$1" | grep -q "^      unreachable: Get \"http://h:9100/metrics\": connection refused$"' _ "$TMP/health.txt"
"$GLASS" --replay "$TMP/health.jsonl" -n 1 --format csv --fields id,health,health_reason >"$TMP/health.csv" 2>&1
check "csv: health and health_reason columns" \
	grep -q ',host:vm,unreachable,"Get ""http://h:9100/metrics"": connection refused"' "$TMP/health.csv"
"$GLASS" --replay "$TMP/rec.jsonl" -n 2 --format text >"$TMP/rep.txt" 2>&1
check "replay: -n 2 shows 2 snapshots as text" test "$(grep -c '^glass .* snapshot' "$TMP/rep.txt")" -eq 2

{ head -n 2 "$TMP/rec.jsonl"; sed -n 3p "$TMP/rec.jsonl" | head -c 200; } >"$TMP/cut.jsonl"
"$GLASS" --replay "$TMP/cut.jsonl" --format json >"$TMP/cut.out" 2>"$TMP/cut.err"
check "replay: a truncated last line is skipped, exit 0" test $? -eq 0
check "replay: ... with a one-line warning naming FILE:LINE" \
	sh -c 'test "$(wc -l <"$1")" -eq 1 && grep -q "^glass: .*cut.jsonl:3: warning: truncated last line; line skipped$" "$1"' _ "$TMP/cut.err"
check "replay: ... after the good lines" test "$(wc -l <"$TMP/cut.out")" -eq 2
{ head -n 1 "$TMP/rec.jsonl"; echo '{"not": "glass"}'; } >"$TMP/bad.jsonl"
"$GLASS" --replay "$TMP/bad.jsonl" --format json >"$TMP/bad.out" 2>"$TMP/bad.err"
check "replay: a foreign line is skipped with a FILE:LINE warning, the rest shown" sh -c \
	'test "$(wc -l <"$1")" -eq 1 && grep -q "bad.jsonl:2: warning: not a glass snapshot" "$1" && test "$(wc -l <"$2")" -eq 1' \
	_ "$TMP/bad.err" "$TMP/bad.out"
sed 's/"schema_version":1/"schema_version":2/' "$TMP/rec.jsonl" >"$TMP/v2.jsonl"
"$GLASS" --replay "$TMP/v2.jsonl" >"$TMP/v2.out" 2>"$TMP/v2.err"
rc=$?
check "replay: lines of an unknown schema version are refused, and no snapshot is exit 1 ($rc)" sh -c \
	'test "$0" -eq 1 && grep -q "v2.jsonl:1: warning: snapshot schema version 2 is not understood" "$1" &&
	 tail -1 "$1" | grep -q "no snapshot in the file"' "$rc" "$TMP/v2.err"
expect_error 2 "replay: a missing file" "No such file or directory" --replay "$TMP/none.jsonl"

# ---- choosing nodes and columns
"$GLASS" --replay "$HOSTILE" --format csv --kind vm --fields name,kind >"$TMP/vm.csv" 2>&1
check "--kind vm: only vm rows" test "$(tail -n +2 "$TMP/vm.csv" | grep -vc ',vm.$')" -le 1
check "--kind vm: four of them" test "$(grep -c ',vm.$' "$TMP/vm.csv")" -eq 4
"$GLASS" --replay "$HOSTILE" --format json --filter 'caf*' >"$TMP/f.json" 2>&1
check "--filter in a tree keeps the match and its ancestors" test \
	"$(json_get "$TMP/f.json" '[c["name"] for h in d["tree"]["children"] for c in h["children"]]')" = "['café ✓']"
"$GLASS" --replay "$HOSTILE" --filter 'vm:rack-1/uuid-1' --fields name >"$TMP/f.txt" 2>&1
check "--filter matches ids too; text shows ancestors" grep -q '^    back' "$TMP/f.txt"
# a recorded tree with a joined guest reads back whole, in every format
GUESTS="$SRCDIR/tests/fixtures/replay/guest-joined.jsonl"
"$GLASS" --replay "$GUESTS" --format json >"$TMP/g.json" 2>&1
check "replay of a joined guest: the JSON validates" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/g.json"
check "replay of a joined guest: joined_by, the guest view and identity come back" test \
	"$(json_get "$TMP/g.json" '[(v["joined_by"], v["guest"]["host_id"], v["identity"]["macs"], len(v["children"]) > 5) for v in d["tree"]["children"][0]["children"] if v["guest"]]')" \
	= "[('mac', 'host:web1', ['52:54:00:12:34:56'], True)]"
"$GLASS" --replay "$GUESTS" >"$TMP/g.txt" 2>&1
check "replay of a joined guest: text marks the VM and shows the guest" \
	sh -c 'grep -q "^    web1 \[guest\]" "$1" && grep -q "guest web1 (joined by mac)" "$1"' _ "$TMP/g.txt"
"$GLASS" --replay "$GUESTS" --format prom >"$TMP/g.prom" 2>&1
check "replay of a joined guest: prom has glass_guest_joined and the VM as its containers' parent" \
	sh -c 'grep -q "^glass_guest_joined{.*guest_host=\"host:web1\",joined_by=\"mac\"} 1\$" "$1" &&
		grep -q "^glass_node_info{id=\"ct:web1/[^\"]*\",parent=\"vm:kvm1/" "$1"' _ "$TMP/g.prom"
"$GLASS" --replay "$GUESTS" --idle --format json >"$TMP/gi.json" 2>&1
check "replay of a joined guest: --idle counts the VM, its guest's containers nested, not added" test \
	"$(json_get "$TMP/gi.json" '([n["name"] for n in d["idle_holders"]], len(d["idle_nested"]) > 3, all(n["id"].startswith("ct:web1/") for n in d["idle_nested"]))')" \
	= "(['web1'], True, True)"
expect_error 2 "--fields with an unknown name" "unknown field 'nope'" -b --fields name,nope
expect_error 2 "--kind with an unknown kind" "unknown kind 'pod'" -b --kind vm,pod
"$GLASS" --fields=help >"$TMP/fields" 2>&1
check "--fields=help lists the CSV columns" sh -c 'grep -qx cpu_cores_used "$1" && grep -qx idle_cost_per_month "$1"' _ "$TMP/fields"

# ---- atomic files: a reader polling -o FILE never sees a partial file
"$GLASS" -b -n 0 -d 0.05 --format json -o "$TMP/live.json" 2>"$TMP/live.err" &
gpid=$!
stop_glass() { kill "$gpid" 2>/dev/null; wait "$gpid" 2>/dev/null; }
on_exit stop_glass
"$PYTHON3" - "$TMP/live.json" >"$TMP/poll" 2>&1 <<'PY'
import json, os, sys, time
path = sys.argv[1]
deadline = time.time() + 10
while not os.path.exists(path) and time.time() < deadline:
    time.sleep(0.01)
seen, seqs = 0, set()
for _ in range(1000):
    with open(path, "rb") as f:
        data = f.read()
    assert data.endswith(b"\n") and data.count(b"\n") == 1, "one whole line"
    doc = json.loads(data)
    seqs.add(doc["sequence"])
    seen += 1
    time.sleep(0.003)
assert len(seqs) > 5, "the file was rewritten while read"
print("ok", seen, "reads,", len(seqs), "versions")
PY
stop_glass
check "atomic -o: 1000 reads, never partial or empty ($(tail -1 "$TMP/poll"))" grep -q '^ok 1000 reads' "$TMP/poll"
check "atomic -o: no temporary files left" test "$(ls -A "$TMP" | grep -c '^\.live')" -eq 0
finish
