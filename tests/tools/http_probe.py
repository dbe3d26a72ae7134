#!/usr/bin/env python3
"""http_probe.py: what serve.sh asks of glass --serve over HTTP.

  http_probe.py get PORT PATH [ACCEPT]      status, content type, body to stdout
  http_probe.py wait PORT PATH SECONDS      polls until PATH answers 200
  http_probe.py many PORT N                 N keep-alive GETs of /metrics: "ok N" or why not
  http_probe.py slow PORT N SECONDS         N clients trickle a request; a scrape meanwhile
  http_probe.py huge PORT BYTES             a request with a header of BYTES: its status
  http_probe.py raw PORT BYTES-AS-PYTHON    sends bytes, prints the status line back
"""
import http.client
import socket
import sys
import time


def conn(port, timeout=30):
    return http.client.HTTPConnection("127.0.0.1", int(port), timeout=timeout)


def get(port, path, accept=None):
    c = conn(port)
    headers = {"Accept": accept} if accept else {}
    c.request("GET", path, headers=headers)
    r = c.getresponse()
    body = r.read()
    return r.status, r.getheader("Content-Type", ""), body


def main():
    cmd, port = sys.argv[1], sys.argv[2]
    if cmd == "get":
        status, ctype, body = get(port, sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
        sys.stdout.write("%d\n%s\n" % (status, ctype))
        sys.stdout.buffer.write(body)
    elif cmd == "wait":
        deadline = time.monotonic() + float(sys.argv[4])
        while time.monotonic() < deadline:
            try:
                if get(port, sys.argv[3])[0] == 200:
                    return 0
            except OSError:
                pass
            time.sleep(0.1)
        print("no 200 from %s within %s s" % (sys.argv[3], sys.argv[4]))
        return 1
    elif cmd == "many":
        n = int(sys.argv[3])
        c = conn(port)
        for i in range(n):
            c.request("GET", "/metrics")
            r = c.getresponse()
            body = r.read()
            if r.status != 200 or not body.rstrip().endswith(b"} 1"):
                print("request %d: status %d, %d bytes" % (i, r.status, len(body)))
                return 1
        print("ok %d" % n)
    elif cmd == "slow":
        n, hold = int(sys.argv[3]), float(sys.argv[4])
        socks = []
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", int(port)))
            s.sendall(b"GET /metrics HTTP/1.1\r\n")
            socks.append(s)
        # each slow client sends a header byte now and then, so none is idle
        # long enough to be cut off while the scrape is made
        t0 = time.monotonic()
        status, _, body = get(port, "/metrics")
        took = time.monotonic() - t0
        end = time.monotonic() + hold
        while time.monotonic() < end:
            for s in socks:
                try:
                    s.sendall(b"X")
                except OSError:
                    pass
            time.sleep(0.5)
        for s in socks:
            s.close()
        print("%d %.3f" % (status, took))
    elif cmd == "huge":
        s = socket.create_connection(("127.0.0.1", int(port)), timeout=30)
        big = b"X-Filler: " + b"a" * int(sys.argv[3]) + b"\r\n"
        try:
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n" + big + b"\r\n")
        except OSError:
            pass
        try:
            line = s.makefile("rb").readline().decode("latin-1").strip()
        except OSError:
            line = ""
        print(line or "closed")
    elif cmd == "raw":
        s = socket.create_connection(("127.0.0.1", int(port)), timeout=30)
        s.sendall(eval(sys.argv[3]))  # the test's own literal
        try:
            line = s.makefile("rb").readline().decode("latin-1").strip()
        except OSError:
            line = ""
        print(line or "closed")
    return 0


if __name__ == "__main__":
    sys.exit(main() or 0)
