#!/bin/sh
# make bench-scale: 100 libvirt URIs over a real network at
# 50 ms RTT are all fresh within one 2 s interval, and cutting one
# namespace's link greys out only its hosts.
#
# SCALE_NAMESPACES (5) namespaces, each with its libvirtd (netns_lib.sh);
# SCALE_URIS (100) test-driver URIs spread over them, each its own fixture
# file (so each is its own host: the test driver's hosts are named
# test-<fixture>@<daemon address>) with SCALE_DOMAINS (2) domains; one
# glass -b --format json -d SCALE_INTERVAL (2) --no-local.  After
# snapshot SCALE_CUT_AFTER (5) the link of namespace 1 goes down; the run
# ends SCALE_AFTER_CUT (6) snapshots later.
. "$SRCDIR/tests/integration/lib.sh"
. "$SRCDIR/tests/bench/bench_lib.sh"
. "$SRCDIR/tests/bench/netns_lib.sh"

NSC=${SCALE_NAMESPACES:-5}
U=${SCALE_URIS:-100}
RTT=${SCALE_RTT_MS:-50}
D=${SCALE_INTERVAL:-2}
DOMS=${SCALE_DOMAINS:-2}
CUT=${SCALE_CUT_AFTER:-5}
AFTER=${SCALE_AFTER_CUT:-6}
BENCH_FIGURE="$U URIs at $RTT ms RTT fresh within one $D s interval"
BENCH_TARGET="<= $D s"

netns_require
netns_up "$NSC" "$RTT"

args=$(netns_uri_args "$U" "$NSC" "$DOMS")

total=$((CUT + AFTER))
echo "== glass -b --format json -d $D -n $total --no-local with $U URIs over $NSC namespaces"
# shellcheck disable=SC2086
: >"$TMP/scale.jsonl" # before the background job: the wait below reads it at once
"$GLASS" -b --format json -d "$D" -n "$total" --no-local $args >"$TMP/scale.jsonl" 2>"$TMP/scale.err" &
gpid=$!
stop_glass() { kill "$gpid" 2>/dev/null; return 0; }
on_exit stop_glass
while [ "$(wc -l <"$TMP/scale.jsonl")" -lt "$CUT" ] && kill -0 "$gpid" 2>/dev/null; do
	sleep 0.05
done
ip link set "$NETNS_HOSTDEV_1" down
echo "== after snapshot $CUT: ip link set $NETNS_HOSTDEV_1 down (namespace 1, $NETNS_ADDR_1)"
wait "$gpid"
rc=$?
[ "$rc" -eq 0 ] || { fail "glass exited $rc"; cat "$TMP/scale.err"; }

"$PYTHON3" - "$TMP/scale.jsonl" "$U" "$D" "$CUT" "$NETNS_ADDR_1" "$RTT" "$NSC" "$NETNS_LINK" \
	>"$TMP/verdict" <<'PY'
import json, sys
from datetime import datetime, timezone
path, want, interval, cut, cut_addr, rtt, nsc, link = sys.argv[1:9]
want, interval, cut = int(want), float(interval), int(cut)
def t(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp()
snaps = [json.loads(l) for l in open(path)]
# a source is named by its URI (//ADDR:PORT/...), a test-driver host
# test-<fixture>@ADDR:PORT
cut_mark = "//" + cut_addr + ":"
host_mark = "@" + cut_addr + ":"
max_age, worst, fresh_ok = 0.0, "", True
for d in snaps:
    srcs = d["sources"]
    ok = [s for s in srcs if s["health"] == "ok"]
    ages = [(t(d["time"]) - t(s["last_ok"]), s["name"]) for s in srcs if s["last_ok"]]
    cut_srcs = [s for s in srcs if cut_mark in s["name"]]
    others = [s for s in srcs if cut_mark not in s["name"]]
    print("snapshot %2d: %3d of %d sources ok, oldest good reading %.3f s old; cut namespace: %s"
          % (d["sequence"], len(ok), len(srcs), max(a for a, _ in ages) if ages else float("nan"),
             ",".join(sorted(set(s["health"] for s in cut_srcs)))), file=sys.stderr)
    # Freshness counts from snapshot 2 (the first has only just connected)
    # up to the cut, and for the other namespaces after it.
    if d["sequence"] < 2:
        continue
    watched = srcs if d["sequence"] <= cut else others
    for s in watched:
        age = t(d["time"]) - t(s["last_ok"]) if s["last_ok"] else float("inf")
        if s["health"] != "ok" or age > interval:
            fresh_ok = False
        if age > max_age:
            max_age, worst = age, s["name"]
n_src = len(snaps[-1]["sources"]) if snaps else 0
hosts = set()
def walk(n):
    if n["kind"] == "host":
        hosts.add((n["name"], n["stale"]))
    for c in n.get("children", []):
        walk(c)
last = snaps[-1] if snaps else None
if last:
    walk(last["tree"] if "tree" in last else last["root"])
cut_srcs = [s for s in last["sources"] if cut_mark in s["name"]] if last else []
others = [s for s in last["sources"] if cut_mark not in s["name"]] if last else []
grey = [h for h in hosts if h[1]]
grey_ok = (len(cut_srcs) > 0 and all(s["health"] != "ok" for s in cut_srcs)
           and all(s["health"] == "ok" for s in others)
           and len(grey) == len(cut_srcs) and all(host_mark in h[0] for h in grey))
print("snapshots=%d sources=%d max_age=%.3f worst=%s fresh_ok=%d" % (len(snaps), n_src, max_age, worst, fresh_ok))
print("cut_sources=%d cut_not_ok=%d others=%d others_ok=%d stale_hosts=%d stale_hosts_in_cut=%d grey_ok=%d"
      % (len(cut_srcs), sum(s["health"] != "ok" for s in cut_srcs), len(others),
         sum(s["health"] == "ok" for s in others), len(grey), sum(host_mark in h[0] for h in grey), grey_ok))
print("ROW1\t%.2f s\tinterval %g s\t%.2f\t%s" % (max_age, interval, max_age / interval,
      "met" if fresh_ok and n_src == want else "MISSED"))
print("ROW2\t%d of %d cut hosts greyed, %d of %d others ok\t-\t-\t%s"
      % (sum(s["health"] != "ok" for s in cut_srcs), len(cut_srcs),
         sum(s["health"] == "ok" for s in others), len(others), "met" if grey_ok else "MISSED"))
PY
cat "$TMP/verdict"
r1=$(sed -n 's/^ROW1\t//p' "$TMP/verdict")
r2=$(sed -n 's/^ROW2\t//p' "$TMP/verdict")
[ -n "$r1" ] || { fail "no verdict (see above)"; finish; }
tab=$(printf '\t')
IFS="$tab" read -r g a ra v <<EOF
$r1
EOF
bench_row "$BENCH_FIGURE ($NETNS_LINK link)" "max age $g" "$a" "$ra" "$BENCH_TARGET" "$v"
IFS="$tab" read -r g a ra v <<EOF
$r2
EOF
bench_row "link cut of 1 of $NSC namespaces greys only its hosts" "$g" "$a" "$ra" "only its hosts" "$v"
finish
