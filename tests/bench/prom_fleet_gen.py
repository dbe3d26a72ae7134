#!/usr/bin/env python3
"""An OpenMetrics file of a glass fleet, for promtool tsdb create-blocks-from openmetrics.

prom_fleet_gen.py OUT HOSTS CONTAINERS T0 HORIZON_S

HOSTS glass exporters (job="glass", instance=10.X.Y.Z:10464), each with
CONTAINERS docker containers below its host, as `glass --serve` exports
them (src/views/prom.c), with the labels a scrape adds:
glass_node_info{id,parent,kind,name,host,runtime,state,owner,owner_source}
(a third of the containers owned by a team through an owner rule, the
rest unowned, empty labels as glass writes them), glass_node_health{id,
kind,name,host,runtime,health,reason} for every node (ok with an empty
reason, but for one container in 500 that its exporter's docker left
stale) and the gauges the Prometheus source reads.  glass_node_info has a
sample every 9 minutes from T0 - 9 min to T0 + HORIZON_S (the source looks
10 minutes back for it); every other series has one sample at T0, which
Prometheus started with --query.lookback-delta longer than HORIZON_S keeps
answering.  Values are deterministic (a seeded generator) so two runs
measure the same fleet.
"""
import random
import sys

out, hosts, cts, t0, horizon = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rnd = random.Random(18)
# owners and health from a generator of their own: the figures stay those
# of the fleet before they were added
rnd_meta = random.Random(1818)
GIB = 1 << 30
info_ts = list(range(t0 - 540, t0 + horizon + 540, 540))


def lab(**kv):
    return ",".join('%s="%s"' % (k, v) for k, v in kv.items())


# the fleet, once: per host its labels and per container its labels and figures
fleet = []
for h in range(hosts):
    name = "fleet-h%04d" % h
    inst = "10.%d.%d.%d:10464" % (1 + h // 65536, (h // 256) % 256, h % 256)
    hid = "host:" + name
    hfig = {"cpu_allocated_cores": 64, "memory_allocated_bytes": 256 * GIB}
    ctl = []
    used_cpu, used_mem = 0.0, 0
    for c in range(cts):
        cid = "%064x" % rnd.getrandbits(256)
        cpu = rnd.choice([0.5, 1, 2, 4])
        mem = rnd.choice([1, 2, 4, 8]) * GIB
        f = {
            "cpu_allocated_cores": cpu,
            "cpu_used_cores": round(cpu * rnd.random() * 0.6, 4),
            "memory_allocated_bytes": mem,
            "memory_used_bytes": int(mem * (0.1 + rnd.random() * 0.8)),
            "pids": rnd.randint(1, 200),
            "pids_max": 4096,
            "disk_read_bytes_per_second": rnd.randint(0, 1 << 20),
            "disk_written_bytes_per_second": rnd.randint(0, 1 << 20),
        }
        used_cpu += f["cpu_used_cores"]
        used_mem += f["memory_used_bytes"]
        owner = "team-%d" % rnd_meta.randrange(20) if rnd_meta.random() < 1 / 3 else ""
        health = ("stale", "docker: no answer for 9 s") if rnd_meta.random() < 1 / 500 else ("ok", "")
        ctl.append(("ct:%s/system.slice/docker-%s.scope" % (name, cid), cid[:12], f, owner, health))
    hfig["cpu_used_cores"] = round(used_cpu + 0.5, 4)
    hfig["memory_used_bytes"] = used_mem + 4 * GIB
    hfig["power_watts"] = 180 + rnd.randint(0, 200)
    hfig["network_receive_bytes_per_second"] = rnd.randint(0, 1 << 26)
    hfig["network_transmit_bytes_per_second"] = rnd.randint(0, 1 << 26)
    fleet.append((name, inst, hid, hfig, ctl))

GAUGES = ["cpu_allocated_cores", "cpu_used_cores", "memory_allocated_bytes", "memory_used_bytes",
          "pids", "pids_max", "disk_read_bytes_per_second", "disk_written_bytes_per_second",
          "network_receive_bytes_per_second", "network_transmit_bytes_per_second", "power_watts"]

with open(out, "w") as f:
    w = f.write
    w("# TYPE glass_node_info gauge\n")
    for name, inst, hid, hfig, ctl in fleet:
        common = 'host="%s",instance="%s",job="glass"' % (name, inst)
        s = ('glass_node_info{id="%s",parent="",kind="host",name="%s",runtime="",state="",owner="",owner_source="",%s} 1 '
             % (hid, name, common))
        for t in info_ts:
            w("%s%d\n" % (s, t))
        for cid, cname, _, owner, _ in ctl:
            s = ('glass_node_info{id="%s",parent="%s",kind="container",name="%s",runtime="docker",state="",'
                 'owner="%s",owner_source="%s",%s} 1 ' % (cid, hid, cname, owner, "config" if owner else "", common))
            for t in info_ts:
                w("%s%d\n" % (s, t))
    w("# TYPE glass_node_health gauge\n")
    for name, inst, hid, hfig, ctl in fleet:
        common = 'host="%s",instance="%s",job="glass"' % (name, inst)
        w('glass_node_health{id="%s",kind="host",name="%s",runtime="",health="ok",reason="",%s} 1 %d\n'
          % (hid, name, common, t0))
        for cid, cname, _, _, (health, reason) in ctl:
            w('glass_node_health{id="%s",kind="container",name="%s",runtime="docker",health="%s",reason="%s",%s} 1 %d\n'
              % (cid, cname, health, reason, common, t0))
    for g in GAUGES:
        w("# TYPE glass_%s gauge\n" % g)
        for name, inst, hid, hfig, ctl in fleet:
            common = 'host="%s",instance="%s",job="glass"' % (name, inst)
            if g in hfig:
                w('glass_%s{id="%s",kind="host",name="%s",runtime="",%s} %s %d\n' % (g, hid, name, common, hfig[g], t0))
            for cid, cname, fig, _, _ in ctl:
                if g in fig:
                    w('glass_%s{id="%s",kind="container",name="%s",runtime="docker",%s} %s %d\n'
                      % (g, cid, cname, common, fig[g], t0))
    w("# EOF\n")
