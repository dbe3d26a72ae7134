#!/usr/bin/env python3
"""Wait until a Prometheus on 127.0.0.1 answers as a test needs.

prom_wait.py PORT DEADLINE_S EXPR MIN [EXPR MIN ...]

Asks each instant query EXPR (its first sample's value; none counts as 0)
every half second until every one is at least its MIN, or DEADLINE_S
passed.  A Prometheus still starting (connection refused, 503) is waited
for like a short answer.  Prints what it saw last, one `EXPR = VALUE` per
query joined by "; ", and exits 0 when all held, 1 when not in time.
"""
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

port, deadline_s = sys.argv[1], float(sys.argv[2])
conds = list(zip(sys.argv[3::2], (float(m) for m in sys.argv[4::2])))
if not conds or len(sys.argv[3:]) % 2:
    sys.exit("usage: prom_wait.py PORT DEADLINE_S EXPR MIN [EXPR MIN ...]")


def value(expr):
    url = "http://127.0.0.1:%s/api/v1/query?query=%s" % (port, urllib.parse.quote(expr))
    r = json.load(urllib.request.urlopen(url, timeout=10))["data"]["result"]
    return float(r[0]["value"][1]) if r else 0.0


deadline, seen = time.monotonic() + deadline_s, {}
while True:
    ok = True
    for expr, least in conds:
        try:
            seen[expr] = value(expr)
        except (OSError, ValueError, KeyError, urllib.error.URLError):
            seen[expr] = None
        if seen[expr] is None or seen[expr] < least:
            ok = False
            break  # the later ones wait for this one
    if ok or time.monotonic() >= deadline:
        break
    time.sleep(0.5)
said = "; ".join("%s = %s" % (e, "no answer" if seen.get(e) is None else "%g" % seen[e]) for e, _ in conds if e in seen)
print(said if ok else "within %g s: %s (want %s)" % (deadline_s, said, ", ".join("%g" % m for _, m in conds)))
sys.exit(0 if ok else 1)
