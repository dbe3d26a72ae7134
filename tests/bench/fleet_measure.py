#!/usr/bin/env python3
"""What one glass costs the machine it runs on while it shows a fleet.

fleet_measure.py NODES REFRESHES DEADLINE_S -- GLASS ARGS...

Runs GLASS ARGS (which must print `--format csv --fields=id` snapshots
forever, -n 0) and reads its rows.  The first snapshot that holds NODES
rows (site included) is the first full tree: its time since the start is
reported.  From then on, for REFRESHES more snapshots, the CPU time of
glass and of its children (an ssh per remote host) is sampled from /proc;
CPU per wall second over that window is the steady cost.  Peak RSS is
glass's VmHWM plus its children's VmRSS at the end.  Then glass is
stopped with SIGTERM.  Prints one JSON object; exit 1 when no full tree
came within DEADLINE_S (the object says how far it got).
"""
import json
import os
import signal
import subprocess
import sys
import threading
import time

nodes, refreshes, deadline_s = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
cmd = sys.argv[sys.argv.index("--") + 1:]
HZ = os.sysconf("SC_CLK_TCK")


def children(pid):
    """Processes whose parent is pid (an ssh per remote host)."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(d))
        except (OSError, IndexError, ValueError):
            pass
    return out


def cpu_s(pid):
    """utime + stime of pid, its live children and the children it reaped."""
    total = 0.0
    for i, p in enumerate([pid] + children(pid)):
        try:
            with open("/proc/%d/stat" % p) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # fields[11..14]: utime stime cutime cstime (stat fields 14-17)
        total += sum(int(x) for x in fields[11:15 if i == 0 else 13]) / HZ
    return total


def kib(pid, key):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


start = time.monotonic()
proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1 << 20)
err_lines = []
threading.Thread(target=lambda: err_lines.extend(proc.stderr), daemon=True).start()
result = {"first_full_s": None, "snapshots": 0, "max_rows": 0}
timer = threading.Timer(deadline_s, lambda: proc.send_signal(signal.SIGTERM))
timer.start()
seq, rows, full_seen, t1, c1, last_rows = None, 0, 0, None, None, []


def snapshot_done(n_rows):
    """A snapshot ended: True when the window is over."""
    global full_seen, t1, c1
    result["snapshots"] += 1
    result["max_rows"] = max(result["max_rows"], n_rows)
    last_rows.append(n_rows)
    if n_rows < nodes:
        return False
    now = time.monotonic()
    if full_seen == 0:
        result["first_full_s"] = round(now - start, 2)
        t1, c1 = now, cpu_s(proc.pid)
    elif full_seen == refreshes:
        used = cpu_s(proc.pid) - c1
        result["window_s"] = round(now - t1, 2)
        result["cpu_s"] = round(used, 2)
        result["cpu_percent"] = round(100 * used / (now - t1), 1)
        result["rss_mib"] = round((kib(proc.pid, "VmHWM") + sum(kib(c, "VmRSS") for c in children(proc.pid))) / 1024, 1)
        result["children"] = len(children(proc.pid))
        return True
    full_seen += 1
    return False


done = False
for line in proc.stdout:
    if line.startswith("time,"):
        continue
    s = line.split(",", 2)[1]
    if s != seq:
        if seq is not None and snapshot_done(rows):
            done = True
            break
        seq, rows = s, 0
    rows += 1
    # a snapshot's last row: the next one starts only an interval later,
    # so a full count closes it at once
    if rows == nodes and snapshot_done(rows):
        done = True
        break
    if rows == nodes:
        seq = None
timer.cancel()
result["run_s"] = round(time.monotonic() - start, 2)
proc.send_signal(signal.SIGTERM)
try:
    proc.wait(timeout=30)
except subprocess.TimeoutExpired:
    proc.kill()
    proc.wait()
result["rows_per_snapshot"] = last_rows[-12:]
result["stderr"] = "".join(err_lines)[-300:]
print(json.dumps(result))
sys.exit(0 if done else 1)
