#!/usr/bin/env python3
"""The cgroup benchmark (issue: containers, "Performance").

Makes N live cgroups (default 2000), each with a process in it, then
measures the CPU time (user + system) per refresh over 20 refreshes of:
  glass          glass -b --no-local --cgroup-root /sys/fs/cgroup -n 20 -d 0.1 --format json
  systemd-cgtop  systemd-cgtop -b -n 20 -d 0.1 (same tree), when installed
  floor          tests/bench/cgroup_floor: the files glass reads, read by the least code
                 (open, read, close each, every refresh, as a simple reader would)
  floor --keep   the same files kept open and re-read with pread, no walk: the
                 least work that still reads every file
and prints them with the ratios (targets: glass <= 0.5x systemd-cgtop,
<= 2x the floor).  Then, with WHOLE (1000) of the cgroups left, the whole
process of each, start-up included: glass's CPU for its 20 refreshes
against systemd-cgtop's in the same run (target <= 0.35x).  Each is run REPEAT times; the median counts.  Root only;
removes what it made, even when interrupted.
Usage: cgroup_bench.py GLASS FLOOR [N] [REPEAT]"""
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time

ROOT = "/sys/fs/cgroup"
REFRESHES = 20
WHOLE = 1000


def hierarchies():
    if os.path.exists(os.path.join(ROOT, "cgroup.controllers")):
        return "v2", [ROOT]
    dirs = []
    for c in ["cpu", "cpuacct", "memory", "blkio", "pids"]:
        d = os.path.realpath(os.path.join(ROOT, c))
        dirs.append(d if os.path.isdir(d) else "-")
    return "v1", dirs


def row(*fields):
    """bench_lib.sh's bench_row: one figure for make bench's table."""
    print("ROW  " + " | ".join(fields), flush=True)
    if os.environ.get("BENCH_TABLE"):
        with open(os.environ["BENCH_TABLE"], "a") as f:
            f.write("\t".join(fields) + "\n")


def cpu_of(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise RuntimeError(f"{cmd[0]} exited {r.returncode}: {r.stderr.decode()[:300]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def remove(name, live):
    """rmdir the cgroup from every hierarchy, waiting for its killed
    process to leave it."""
    for d in live:
        path = os.path.join(d, name)
        for _ in range(50):
            try:
                os.rmdir(path)
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.02)


def whole_process(runs, names, procs, live, repeat, mode):
    """The whole process, start-up included, over WHOLE cgroups: glass and
    systemd-cgtop alternately, so load on the machine falls on both."""
    figure = f"whole process, {REFRESHES} refreshes, {WHOLE} cgroups ({mode}): glass vs systemd-cgtop"
    if "systemd-cgtop" not in runs:
        row(figure, "-", "systemd-cgtop: -", "-", "<= 0.35x", "n/a (systemd-cgtop not installed)")
        return
    while len(names) > WHOLE:
        p = procs.pop()
        p.kill()
        p.wait()
        remove(names.pop(), live)
    cpu = {"glass": [], "systemd-cgtop": []}
    try:
        for _ in range(max(repeat, 3)):
            for name in cpu:
                cpu[name].append(cpu_of(runs[name])[0])
    except RuntimeError as e:
        row(figure, "-", "-", "-", "<= 0.35x", f"n/a ({e})")
        return
    g = statistics.median(cpu["glass"])
    c = statistics.median(cpu["systemd-cgtop"])
    for name, v in cpu.items():
        print(f"  whole process {name:14s} median {statistics.median(v):.2f} s CPU "
              f"({', '.join(f'{x:.2f}' for x in v)})", flush=True)
    r = g / c
    row(figure, f"{g:.2f} s CPU", f"systemd-cgtop {c:.2f} s CPU", f"{r:.2f}x", "<= 0.35x",
        "met" if r <= 0.35 else "MISSED")


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    glass, floor = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    repeat = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    if os.geteuid() != 0:
        print("cgroup bench: SKIP: needs root to make cgroups")
        row(f"cgroups: CPU/refresh vs systemd-cgtop ({n})", "-", "-", "-", "<= 0.5x",
            "n/a (needs root to make cgroups)")
        row(f"cgroups: CPU/refresh vs floor ({n})", "-", "-", "-", "<= 2x",
            "n/a (needs root to make cgroups)")
        return 0
    mode, dirs = hierarchies()
    live = [d for d in dirs if d != "-"]
    prefix = f"glass-bench-{os.getpid()}"
    names, procs = [], []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        print(f"cgroup bench: {mode}, making {n} cgroups with a process each in {' '.join(live)} ...",
              flush=True)
        for i in range(n):
            name = f"{prefix}-{i}"
            for d in live:
                os.mkdir(os.path.join(d, name))
            names.append(name)
            p = subprocess.Popen(["sleep", "3600"])
            procs.append(p)
            for d in live:
                with open(os.path.join(d, name, "cgroup.procs"), "w") as f:
                    f.write(str(p.pid))
        results = {}
        runs = {
            "glass": [glass, "-b", "--no-local", "--cgroup-root", ROOT, "-n", str(REFRESHES),
                      "-d", "0.1", "--format", "json"],
            "floor": [floor, str(REFRESHES), "0.1", mode] + dirs,
            "floor --keep": [floor, "--keep", str(REFRESHES), "0.1", mode] + dirs,
        }
        cgtop = shutil.which("systemd-cgtop")
        if cgtop:
            runs["systemd-cgtop"] = [cgtop, "-b", "-n", str(REFRESHES), "-d", "0.1"]
        else:
            print("cgroup bench: systemd-cgtop is not installed: no ratio to it")
        for name, cmd in runs.items():
            samples = []
            for _ in range(repeat):
                try:
                    samples.append(cpu_of(cmd))
                except RuntimeError as e:
                    print(f"cgroup bench: {name} could not run: {e}")
                    break
            if samples:
                cpu = statistics.median(s[0] for s in samples)
                results[name] = cpu / REFRESHES
                print(f"  {name:14s} {1000 * cpu / REFRESHES:8.2f} ms CPU per refresh "
                      f"(median of {len(samples)}: {', '.join(f'{s[0]:.2f}s' for s in samples)} "
                      f"CPU for {REFRESHES} refreshes)", flush=True)
        g = results.get("glass")

        def ms(v):
            return f"{1000 * v:.2f} ms CPU"

        def ratio_row(figure, anchor, target, limit, why_missing):
            a = results.get(anchor)
            if g and a:
                r = g / a
                row(figure, ms(g), f"{anchor} {ms(a)}", f"{r:.2f}x", f"<= {limit:g}x" if limit else target,
                    ("met" if r <= limit else "MISSED") if limit else "info")
            else:
                row(figure, ms(g) if g else "-", f"{anchor}: -", "-",
                    f"<= {limit:g}x" if limit else target, f"n/a ({why_missing})")

        ratio_row(f"cgroups: CPU/refresh vs systemd-cgtop ({n}, {mode})", "systemd-cgtop", "", 0.5,
                  "systemd-cgtop not installed or failed" if g else "glass failed")
        ratio_row(f"cgroups: CPU/refresh vs floor ({n}, {mode})", "floor", "", 2,
                  "floor failed" if g else "glass failed")
        ratio_row(f"cgroups: CPU/refresh vs floor --keep ({n})", "floor --keep",
                  "- (least possible work)", 0, "floor --keep failed")
        whole_process(runs, names, procs, live, repeat, mode)
        return 0
    finally:
        for p in procs:
            p.kill()
        for p in procs:
            p.wait()
        for name in names:
            remove(name, live)
        print(f"cgroup bench: removed {len(names)} cgroups")


if __name__ == "__main__":
    sys.exit(main())
