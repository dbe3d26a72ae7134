#!/usr/bin/env python3
"""netwire.py: a point-to-point IP link with a fixed one-way delay, for
kernels without netem (sch_netem): two tun devices, one in the root
namespace and one moved into a network namespace, and this process
carrying every packet from one to the other DELAY_MS later.

    netwire.py DELAY_MS HOST_DEV NS_DEV NETNS HOST_ADDR NS_ADDR

It configures both ends (HOST_ADDR peer NS_ADDR, and the reverse in
NETNS), prints "ready" and carries packets until killed; the devices go
away with it.  `ip link set HOST_DEV down` cuts the link as on a veth:
packets then find no route (or are dropped here on EIO)."""
import collections
import fcntl
import os
import select
import struct
import subprocess
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def tun_open(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def ip(*args, netns=None):
    cmd = ["ip"] + (["-n", netns] if netns else []) + list(args)
    subprocess.run(cmd, check=True)


def main():
    delay_ms, host_dev, ns_dev, netns, host_addr, ns_addr = sys.argv[1:7]
    delay = float(delay_ms) / 1000.0
    a = tun_open(host_dev)
    b = tun_open(ns_dev)
    # The fd stays attached to the device when it moves to the namespace.
    ip("link", "set", ns_dev, "netns", netns)
    ip("addr", "add", host_addr, "peer", ns_addr, "dev", host_dev)
    ip("link", "set", host_dev, "up")
    ip("addr", "add", ns_addr, "peer", host_addr, "dev", ns_dev, netns=netns)
    ip("link", "set", ns_dev, "up", netns=netns)
    ip("link", "set", "lo", "up", netns=netns)
    print("ready", flush=True)

    # A constant delay keeps each direction in order: one FIFO each.
    queue = {a: collections.deque(), b: collections.deque()}  # by destination
    other = {a: b, b: a}
    poller = select.poll()
    poller.register(a, select.POLLIN)
    poller.register(b, select.POLLIN)
    while True:
        now = time.monotonic()
        for dst, q in queue.items():
            while q and q[0][0] <= now:
                try:
                    os.write(dst, q.popleft()[1])
                except OSError:
                    pass  # the device is down (EIO) or full: dropped, as on a wire
        due = [q[0][0] for q in queue.values() if q]
        timeout = max(0.0, min(due) - time.monotonic()) * 1000.0 if due else None
        for fd, _ in poller.poll(timeout):
            while True:
                try:
                    pkt = os.read(fd, 65536)
                except BlockingIOError:
                    break
                except OSError:
                    break
                queue[other[fd]].append((time.monotonic() + delay, pkt))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
