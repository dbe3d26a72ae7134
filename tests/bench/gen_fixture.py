#!/usr/bin/env python3
"""gen_fixture.py N OUT: a test-driver fixture with N running domains
(1-4 vCPUs, 512 MiB-4 GiB, a disk and a NIC each) on a 64-CPU, 1 TiB node."""
import sys

n, out = int(sys.argv[1]), sys.argv[2]
with open(out, "w") as f:
    f.write("<node>\n  <cpu><nodes>1</nodes><sockets>2</sockets><cores>16</cores>"
            "<threads>2</threads><active>64</active><mhz>2400</mhz><model>x86_64</model></cpu>\n"
            "  <memory>1073741824</memory>\n")
    for i in range(n):
        f.write(f"""  <domain type='test'>
    <name>vm{i:04d}</name>
    <uuid>00000000-0000-4000-8000-{i:012d}</uuid>
    <memory unit='MiB'>{512 << (i % 4)}</memory>
    <vcpu>{1 + i % 4}</vcpu>
    <os><type>hvm</type></os>
    <devices>
      <disk type='file' device='disk'><source file='/guest/vm{i}.img'/><target dev='vda' bus='virtio'/></disk>
      <interface type='network'><mac address='52:54:00:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}'/><source network='default'/></interface>
    </devices>
  </domain>
""")
    f.write("</node>\n")
