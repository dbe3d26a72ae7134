#!/usr/bin/env python3
"""Cost per refresh in instructions, under valgrind --tool=callgrind.

The refresh is glass's own (libglass.a: sources, model, idle policy, JSON
writer), run by tests/bench/refresh_cost on one thread with glass's
options, so the count does not depend on timing:
  refresh_cost N -b --no-local --cgroup-root CG -c test:///FLEET --format json
on fixed fixtures: a generated cgroup v2 tree with 2,000 containers
(gen_cgroups.py) and a test-driver file with 1,000 VMs (gen_fixture.py;
libvirt's test driver reads it in-process, no daemon).  Two runs, N=SHORT
and N=LONG refreshes; every per-refresh figure is (long - short) / (LONG -
SHORT), so startup and the first (cold) refresh cancel out:
  refresh           all of one refresh of both sources
  cgroup sample     cgroup_sample (the walk and the reads)
  libvirt sample    libvirt_sample (libvirt calls, the test driver's
                    answers included: it runs in-process)
  model             app_ingest + app_build_tree (rates, tree, idle policy)
  json writer       writer_put (the whole tree as JSON, written)
  csv/text/prom     view_csv_render, view_text_render, view_prom_render:
                    the same tree in the other formats (REFRESH_COST_ALSO;
                    their cost is left out of the refresh figure)
  per node          the json writer and each other format per node, held
                    to PER_NODE_TARGET (a target, not a budget)
  startup           the short run minus its refreshes: libvirt's test
                    driver parsing 1,000 domains, the open, teardown
Instruction counts do not depend on the machine's load, so these are held
to a budget: tests/bench/callgrind_budget.txt (figure TAB instructions);
a figure more than 10% over its budget fails (exit 1).  Rows go to
$BENCH_TABLE.  --update rewrites the budget from this run.

Usage: callgrind_bench.py REFRESH_COST BUDGET WORKDIR [--update]"""
import concurrent.futures
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CGROUPS = 2000
VMS = 1000
SHORT, LONG = 2, 4
TOLERANCE = 0.10
MODEL_FUNCS = ["app_ingest", "app_build_tree"]
ALSO = ["csv", "text", "prom"]
ALSO_FUNCS = [f"view_{f}_render" for f in ALSO]
FUNCS = ["cgroup_sample", "libvirt_sample", "writer_put", "also_write"] + MODEL_FUNCS + ALSO_FUNCS
# Instructions per node a writer may cost: a snapshot of 100,000 nodes
# then costs 1.5 G instructions, under a second.
PER_NODE_TARGET = 15000


def parse_callgrind(path, names):
    """Total Ir, and per function name: (calls, inclusive Ir) summed over
    its call sites (none of FUNCS is recursive).  NAMES: the function name
    compression table ("(id) name" once, then "(id)")."""
    calls, incl = {}, {}
    total = 0
    pending = None  # callee of the next cost line, after calls=
    callee = None

    def name_of(spec):
        m = re.match(r"\((\d+)\)(?: (.*))?", spec)
        if not m:
            return spec
        if m.group(2) is not None:
            names[m.group(1)] = m.group(2)
        return names.get(m.group(1), "?")

    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("summary:") or line.startswith("totals:"):
                total = int(line.split()[1])
            elif line.startswith("fn="):
                name_of(line[3:])
            elif line.startswith("cfn="):
                callee = name_of(line[4:])
            elif line.startswith("calls="):
                pending = (callee, int(line[6:].split()[0]))
            elif pending and line and (line[0].isdigit() or line[0] in "+-*"):
                fn, n = pending
                cost = int(line.split()[1]) if len(line.split()) > 1 else 0
                calls[fn] = calls.get(fn, 0) + n
                incl[fn] = incl.get(fn, 0) + cost
                pending = None
    return total, {f: (calls.get(f, 0), incl.get(f, 0)) for f in FUNCS}


def run(prog, work, n, args):
    out = os.path.join(work, f"callgrind.{n}.out")
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", prog, str(n),
           "-b", "--no-local", "--format", "json"] + args
    env = dict(os.environ, REFRESH_COST_ALSO=" ".join(ALSO))
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    if r.returncode != 0:
        raise RuntimeError(f"refresh_cost under callgrind exited {r.returncode}: "
                           + r.stderr.decode(errors="replace")[-400:])
    return parse_callgrind(out, {})


def per_call(a, b, fn):
    (ca, ia), (cb, ib) = a[1][fn], b[1][fn]
    if cb - ca != LONG - SHORT:
        raise RuntimeError(f"{fn}: {ca} calls with {SHORT} refreshes, {cb} with {LONG}")
    return (ib - ia) / (cb - ca)


def read_budget(path):
    budget = {}
    if os.path.exists(path):
        for line in open(path):
            line = line.strip()
            if line and not line.startswith("#"):
                name, value = line.rsplit(None, 1)
                budget[name] = int(value)
    return budget


def row(fields):
    print("ROW  " + " | ".join(fields), flush=True)
    if os.environ.get("BENCH_TABLE"):
        with open(os.environ["BENCH_TABLE"], "a") as f:
            f.write("\t".join(fields) + "\n")


def fmt_ir(v):
    return f"{v / 1e6:.2f} M Ir"


def main():
    args = [a for a in sys.argv[1:] if a != "--update"]
    update = "--update" in sys.argv
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    prog, budget_path, work = args
    os.makedirs(work, exist_ok=True)
    cgroot = os.path.join(work, "cgroups")
    fleet = os.path.join(work, "fleet.xml")
    if not os.path.isdir(cgroot):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_cgroups.py"), str(CGROUPS), cgroot],
                       check=True)
    subprocess.run([sys.executable, os.path.join(HERE, "gen_fixture.py"), str(VMS), fleet], check=True)
    args = ["--cgroup-root", cgroot, "-c", f"test://{fleet}"]
    print(f"callgrind bench: {CGROUPS} cgroups + {VMS} VMs, {SHORT} and {LONG} refreshes "
          "under callgrind (about 2 minutes) ...", flush=True)
    # Both runs side by side (two cores): their counts do not depend on it.
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        a, b = pool.map(lambda n: run(prog, work, n, args), [SHORT, LONG])
    refresh = (b[0] - a[0]) / (LONG - SHORT) - per_call(a, b, "also_write")
    for name in FUNCS:
        print(f"  {name:15s} {a[1][name][0]:2d} calls {a[1][name][1]:>14,d} Ir ({SHORT} refreshes), "
              f"{b[1][name][0]:2d} calls {b[1][name][1]:>14,d} Ir ({LONG})")
    print(f"  total: {a[0]:,d} Ir ({SHORT} refreshes), {b[0]:,d} Ir ({LONG})")
    model = sum(per_call(a, b, f) for f in MODEL_FUNCS)
    nodes = CGROUPS + VMS + 3
    writers = [("json", per_call(a, b, "writer_put"))] + \
        [(f, per_call(a, b, fn)) for f, fn in zip(ALSO, ALSO_FUNCS)]
    figures = [
        (f"callgrind: refresh ({CGROUPS} cgroups + {VMS} VMs)", refresh),
        (f"callgrind: cgroup sample ({CGROUPS} cgroups)", per_call(a, b, "cgroup_sample")),
        (f"callgrind: libvirt sample ({VMS} VMs, test:///)", per_call(a, b, "libvirt_sample")),
        (f"callgrind: model ({CGROUPS + VMS + 3} nodes)", model),
        (f"callgrind: json writer ({CGROUPS + VMS + 3} nodes)", per_call(a, b, "writer_put")),
        (f"callgrind: startup+teardown ({VMS} VMs parsed)",
         a[0] - SHORT * (refresh + per_call(a, b, "also_write"))),
    ] + [(f"callgrind: {f} writer ({nodes} nodes)", v) for f, v in writers[1:]]
    budget = read_budget(budget_path)
    failed = 0
    if update:
        # The comment lines are the budget's history (why each figure
        # moved): they stay, and the new figures replace the old ones.
        try:
            with open(budget_path) as f:
                comments = [ln for ln in f if ln.startswith("#")]
        except OSError:
            comments = []
        with open(budget_path + ".tmp", "w") as f:
            f.writelines(comments or [
                "# Instructions (callgrind Ir) per figure of tests/bench/callgrind_bench.py;\n"
                "# `make bench-callgrind` fails when a figure exceeds its budget by more\n"
                "# than 10%.  Regenerate after a deliberate change:\n"
                "#   tests/bench/callgrind_bench.py tests/bench/refresh_cost tests/bench/callgrind_budget.txt DIR --update\n"])
            for name, v in figures:
                f.write(f"{name}\t{int(v * 1.0)}\n")
        os.replace(budget_path + ".tmp", budget_path)
        budget = read_budget(budget_path)
    for name, v in figures:
        b_ = budget.get(name)
        if b_ is None:
            row([name, fmt_ir(v), "no budget", "-", "<= budget +10%", "n/a (no budget line)"])
            continue
        ratio = v / b_
        ok = ratio <= 1 + TOLERANCE
        failed += not ok
        row([name, fmt_ir(v), f"budget {fmt_ir(b_)}", f"{ratio:.2f}x", "<= 1.10x budget",
             "met" if ok else "MISSED"])
    for f, v in writers:
        per_node = v / nodes
        ok = per_node <= PER_NODE_TARGET
        failed += not ok
        row([f"callgrind: {f} writer per node ({nodes} nodes)", f"{per_node:,.0f} Ir/node",
             f"target {PER_NODE_TARGET:,d} Ir/node", f"{per_node / PER_NODE_TARGET:.2f}x",
             f"<= {PER_NODE_TARGET:,d} Ir/node", "met" if ok else "MISSED"])
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as e:
        print(f"callgrind bench: {e}", file=sys.stderr)
        sys.exit(1)
