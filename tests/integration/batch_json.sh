#!/bin/sh
# Batch JSON: JSON Lines, one valid document per snapshot.
. "$(dirname "$0")/lib.sh"

"$GLASS" -b -n 3 -d 0.2 --format json >"$TMP/out.jsonl" 2>"$TMP/err"
check "exit 0" test $? -eq 0
check "no stderr" test ! -s "$TMP/err"
check "3 lines for -n 3" test "$(wc -l <"$TMP/out.jsonl")" -eq 3
if "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/out.jsonl" >"$TMP/v" 2>&1; then
	pass "every line validates against doc/snapshot.schema.json ($(cat "$TMP/v"))"
else
	fail "schema validation:"
	sed 's/^/    /' "$TMP/v"
fi
seq_check() {
	"$PYTHON3" - "$1" >"$TMP/seq" 2>&1 <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
assert [d["sequence"] for d in docs] == [1, 2, 3], "sequence 1,2,3"
times = [d["time"] for d in docs]
assert times == sorted(times) and len(set(times)) == 3, "times increase"
for d in docs:
    host = [c for c in d["tree"]["children"] if c["kind"] == "host"]
    assert len(host) == 1, "one local host"
    # every snapshot, even the first, has a cpu rate: glass waits a delay
    assert host[0]["cpu_cores_used"] is not None, "cpu rate known"
    assert d["sources"][0]["health"] == "ok", "source ok"
print("ok")
PY
}
seq_check "$TMP/out.jsonl"
# glass waits up to a quarter of the interval (50 ms here) for every
# source's next reading; a machine busy enough to hold the host's sampler
# longer rightly leaves that snapshot's rate unknown: two more runs.
for try in 2 3; do
	grep -q "cpu rate known" "$TMP/seq" || break
	say "try $try: a snapshot without the host's cpu rate (load: $(cut -d' ' -f1-3 /proc/loadavg))"
	"$GLASS" -b -n 3 -d 0.2 --format json >"$TMP/again.jsonl" 2>/dev/null
	seq_check "$TMP/again.jsonl"
done
check "sequence, times and rates are right ($(tail -1 "$TMP/seq"))" grep -qx ok "$TMP/seq"

# The validator itself must reject a bad document, or the check above
# proves nothing.
sed 's/"memory_bytes_allocated":\([0-9]*\)/"memory_bytes_allocated":"\1"/' "$TMP/out.jsonl" | head -1 >"$TMP/bad.jsonl"
check "the validator rejects a string where an integer belongs" \
	sh -c '! "$1" "$2" "$3" "$4" >/dev/null 2>&1' _ "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/bad.jsonl"

# -n 0 runs until the reader goes away: no error when head closes the pipe.
( "$GLASS" -b -n 0 -d 0.05 --format json 2>"$TMP/err0"; echo $? >"$TMP/rc0" ) | head -3 >"$TMP/three"
check "-n 0 | head -3 gives 3 lines" test "$(wc -l <"$TMP/three")" -eq 3
check "-n 0 | head -3 exits 0" test "$(cat "$TMP/rc0")" = 0
check "-n 0 | head -3 prints no error" test ! -s "$TMP/err0"

# SIGTERM ends an endless run cleanly.
"$GLASS" -b -n 0 -d 0.1 --format json >"$TMP/endless" 2>"$TMP/errt" &
pid=$!
sleep 0.6
kill -TERM "$pid"
wait "$pid"
check "SIGTERM ends -n 0 with exit 0" test $? -eq 0
check "what was written before SIGTERM is whole JSON" "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/endless"
finish
