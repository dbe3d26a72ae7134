#!/usr/bin/env python3
"""make bench-memory: glass's resident memory at 2,000 containers
and 1,000 VMs, target <= 16 MiB.

  glass -b --no-local --cgroup-root CG -c test:///FLEET -n 4 -d 3 --format json
on the fixtures of callgrind_bench.py (gen_cgroups.py 2000, gen_fixture.py
1000), with VmHWM and VmRSS sampled from /proc/PID/status every 50 ms, and
the mappings of the last sample summed from /proc/PID/smaps: where the
memory is (the heap and thread arenas, the shared libraries, libvirt's
in-process test driver).  The same run without -c (cgroups only) and with
the minimal test:///default (libraries and runtime only) are the anchors
that say how much each part adds.  Rows go to $BENCH_TABLE.

Usage: memory_bench.py GLASS WORKDIR"""
import collections
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CGROUPS = 2000
VMS = 1000
TARGET_KIB = 16 * 1024


def smaps(pid):
    """Rss (KiB) by kind: heap (brk heap + anonymous maps: malloc arenas,
    thread stacks), libs (file-backed), other."""
    out = collections.Counter()
    kind = "other"
    try:
        with open(f"/proc/{pid}/smaps") as f:
            for line in f:
                fields = line.split()
                if not fields:
                    continue
                if not fields[0].endswith(":") or "-" in fields[0]:
                    name = fields[5] if len(fields) > 5 else ""
                    if name == "[heap]" or name == "":
                        kind = "heap+anon"
                    elif name.startswith("/"):
                        kind = "libs+binary"
                    else:
                        kind = "other"
                elif fields[0] == "Rss:":
                    out[kind] += int(fields[1])
    except OSError:
        pass
    return out


def measure(cmd):
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    hwm = rss = 0
    parts = collections.Counter()
    while p.poll() is None:
        try:
            with open(f"/proc/{p.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        hwm = int(line.split()[1])
                    elif line.startswith("VmRSS:"):
                        rss = int(line.split()[1])
            s = smaps(p.pid)
            if sum(s.values()) >= sum(parts.values()):
                parts = s
        except OSError:
            pass
        time.sleep(0.05)
    err = p.stderr.read().decode(errors="replace")
    if p.returncode != 0:
        raise RuntimeError(f"glass exited {p.returncode}: {err.strip()[:300]}")
    return hwm, rss, parts


def mib(kib):
    return f"{kib / 1024:.1f} MiB"


def row(fields):
    print("ROW  " + " | ".join(fields), flush=True)
    if os.environ.get("BENCH_TABLE"):
        with open(os.environ["BENCH_TABLE"], "a") as f:
            f.write("\t".join(fields) + "\n")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    glass, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    cgroot = os.path.join(work, "cgroups")
    fleet = os.path.join(work, "fleet.xml")
    if not os.path.isdir(cgroot):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_cgroups.py"), str(CGROUPS), cgroot],
                       check=True)
    subprocess.run([sys.executable, os.path.join(HERE, "gen_fixture.py"), str(VMS), fleet], check=True)
    # -d 3: room for the first walk of 2,000 cgroups on a busy machine
    base = [glass, "-b", "--no-local", "-n", "4", "-d", "3", "--format", "json"]
    runs = [
        ("minimal", base + ["-c", "test:///default"]),
        ("cgroups", base + ["--cgroup-root", cgroot]),
        ("both", base + ["--cgroup-root", cgroot, "-c", f"test://{fleet}"]),
    ]
    res = {}
    for name, cmd in runs:
        try:
            res[name] = measure(cmd)
        except RuntimeError as e:
            print(f"memory bench: {name}: {e}")
            row([f"memory: VmHWM, {name}", "-", "-", "-", "-", f"n/a ({e})"])
            return 1
        hwm, rss, parts = res[name]
        print(f"  {name:8s} VmHWM {mib(hwm)}, VmRSS at exit {mib(rss)}; largest sample by kind: "
              + ", ".join(f"{k} {mib(v)}" for k, v in sorted(parts.items())), flush=True)
    hwm, rss, parts = res["both"]
    ok = hwm <= TARGET_KIB
    row([f"memory: VmHWM, {CGROUPS} containers + {VMS} VMs (test:/// in-process)", mib(hwm),
         f"minimal glass {mib(res['minimal'][0])}", f"{hwm / TARGET_KIB:.2f}x of target",
         "<= 16 MiB", "met" if ok else "MISSED"])
    row([f"memory: breakdown at {CGROUPS}+{VMS}",
         ", ".join(f"{k} {mib(v)}" for k, v in sorted(parts.items())),
         f"cgroups only: VmHWM {mib(res['cgroups'][0])}", "-", "-", "info"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
