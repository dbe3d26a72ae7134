#!/usr/bin/env python3
"""soak_monitor.py PID COUNTFILE TOTAL MARK < glass's JSON snapshots

Counts the snapshots of glass PID (one JSON line each) and samples its
VmRSS from /proc/PID/status after every one.  Writes the count to
COUNTFILE every 50 snapshots (soak.sh restarts libvirtd on it).  The RSS
"after N refreshes" is the largest VmRSS over the 100 snapshots before N
(one sample can fall in the middle of writing a snapshot).  At TOTAL it
stops glass (SIGTERM) and prints, one per line:
  rss_kib_at_mark rss_kib_at_total hwm_kib libvirt_ok_checks libvirt_checks churn_seen
"""
import json
import os
import signal
import sys


def status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmRSS", "VmHWM"):
                    out[k] = int(v.split()[0])
    except OSError:
        pass
    return out


def main():
    pid, countfile, total, mark = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    n = 0
    window = []
    at_mark = at_total = hwm = 0
    lv_ok = lv_checks = 0
    names = set()
    for line in sys.stdin:
        n += 1
        st = status(pid)
        window.append(st.get("VmRSS", 0))
        hwm = max(hwm, st.get("VmHWM", 0))
        if len(window) > 100:
            window.pop(0)
        if n % 50 == 0:
            with open(countfile + ".tmp", "w") as f:
                f.write(f"{n}\n")
            os.replace(countfile + ".tmp", countfile)
        if n % 100 == 0:
            # Every 100th snapshot: is the libvirt source back after the
            # restarts, and does the tree follow the churning cgroups?
            d = json.loads(line)
            for s in d["sources"]:
                if s["name"].startswith("test+tcp"):
                    lv_checks += 1
                    lv_ok += s["health"] == "ok"

            def walk(node):
                if "docker-cccccccc" in node["id"]:
                    names.add(node["id"])
                for c in node["children"]:
                    walk(c)
            walk(d["tree"])
        if n == mark:
            at_mark = max(window)
        if n == total:
            at_total = max(window)
            os.kill(pid, signal.SIGTERM)
            break
    for _ in sys.stdin:
        pass
    print(at_mark, at_total, hwm, lv_ok, lv_checks, len(names))
    return 0 if n >= total else 1


if __name__ == "__main__":
    sys.exit(main())
