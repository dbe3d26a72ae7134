#!/usr/bin/env python3
"""Hostile names end to end (tests/integration/hostile_names.sh).

  hostile_names.py make DIR SRCDIR      writes the inputs into DIR: a libvirt
                                        test-driver node (DIR/node.xml), a
                                        cgroup v2 tree (DIR/cgroup), docker's
                                        metadata (DIR/docker) and the glassrc
  hostile_names.py hostname             the UTS hostname to set (hex)
  hostile_names.py check FORMAT FILE    parses FILE back (json, csv, prom,
                                        text) and checks every hostile name

Each name carries bytes a terminal obeys or a format must quote: OSC and
CSI escapes, BEL, newline, carriage return, quotes, backslashes, invalid
UTF-8, a C1 control, and one name 4 KiB long.  What a source cannot
carry is left out of that source (libxml2 refuses ESC, BEL and invalid
UTF-8 in a domain name; a directory name holds no '/' or NUL and at most
255 bytes; a hostname at most 64 bytes).
"""
import csv
import io
import json
import os
import re
import shutil
import sys

OSC = b"\x1b]0;pwned\x07"
CSI = b"\x1b[2J"
C1 = b"\xc2\x9b2J"  # U+009B: an 8-bit CSI
BAD = b"\xff\xfe\xc3("  # not UTF-8
LONG = 4096

# Marker prefixes make every name easy to find in any output.
def long_name(tag, alphabet):
    out = tag + b"-"
    i = 0
    while len(out) < LONG:
        out += alphabet[i % len(alphabet)]
        i += 1
    return out[:LONG]


# --- the VM names: libvirt's XML (libxml2) takes no ESC, BEL or other
# C0 control but tab, newline and return, and no invalid UTF-8 (raw or as
# a character reference); it does take DEL and C1 controls.
VMS = [
    b"vm-nl-line1\nline2",
    b"vm-cr-text\roverwritten",
    b"vm-quotes-'single' \"double\"",
    b"vm-back\\slash\\x1b\\",
    b"vm-c1-" + C1 + b"-del-\x7f",
    b"vm-tab-a\tb,c;d",
    long_name(b"vm-long", [b"\n", b'"', b"'", b"\\", C1, b"x" * 61, b"\r", b"\xe2\x9c\x93"]),
]

# --- container directory names (each under system.slice as <name>.service,
# so the systemd unescaping of \xNN applies: see cgroup_runtime.c).
CTS = [
    b"ct-osc-" + OSC,
    b"ct-csi-" + CSI,
    b"ct-nl-line1\nline2",
    b"ct-quotes-'single' \"double\"",
    b"ct-back\\slash\\",
    b"ct-bad-" + BAD,
    b"ct-c1-" + C1,
]
# a directory name is at most 255 bytes: the longest one
CT_LONG = b"ct-long-" + (OSC + CSI + b"\n\"'\\" + BAD) * 20
CT_LONG = CT_LONG[: 255 - len(b".service")]
# docker's metadata carries any name: 4 KiB with all of the above
DOCKER_ID = "5e" * 32
DOCKER_NAME = long_name(b"dk-long", [OSC, CSI, b"\n", b'"', b"'", b"\\", BAD, C1, b"y" * 40, b"\r"])

HOST = b"h-" + OSC + CSI + b"\n\"'\\" + BAD + C1  # <= 64 bytes
if os.environ.get("HOSTILE_NO_HOST"):
    HOST = None


# --- a hypervisor URI (a config line: no newline) that libvirt cannot
# parse: the source is unreachable, and its name and libvirt's reason (which
# quotes the URI) reach every output and, when nothing else could be
# sampled, stderr.
SOURCE = b"test:///nonexistent/src-" + OSC + CSI + b"\"'\\" + BAD + C1 + b".xml"


CURRENCY = CSI + b"\x07"


def systemd_unescape(b):
    return re.sub(rb"\\x([0-9a-fA-F]{2})",
                  lambda m: m.group(0) if m.group(1) == b"00" else bytes([int(m.group(1), 16)]), b)


def xml_text(b):
    out = b.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;")
    # a raw return would be read as a newline: keep it a reference
    return out.replace(b"\r", b"&#13;")


def make(d, srcdir):
    os.makedirs(d, exist_ok=True)
    doms = []
    for i, n in enumerate(VMS):
        doms.append(b"""  <domain type='test'>
    <name>%s</name>
    <uuid>00000000-0000-4000-8000-%012d</uuid>
    <memory unit='MiB'>512</memory>
    <vcpu>1</vcpu>
    <os><type>hvm</type></os>
  </domain>
""" % (xml_text(n), i + 1))
    with open(os.path.join(d, "node.xml"), "wb") as f:
        f.write(b"""<node>
  <cpu><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>1</threads>
    <active>2</active><mhz>2400</mhz><model>x86_64</model></cpu>
  <memory>8388608</memory>
""" + b"".join(doms) + b"</node>\n")

    v2 = os.path.join(srcdir, "tests", "fixtures", "cgroup", "v2")
    root = os.path.join(d, "cgroup")
    os.makedirs(os.path.join(root, "system.slice"))
    for sub in ("", "system.slice"):
        for e in os.listdir(os.path.join(v2, sub)):
            p = os.path.join(v2, sub, e)
            if os.path.isfile(p):
                shutil.copy(p, os.path.join(root, sub, e))
    svc = os.path.join(v2, "system.slice", "ssh.service")
    scope = [e for e in os.listdir(os.path.join(v2, "system.slice")) if e.startswith("docker-")][0]
    for n in CTS + [CT_LONG]:
        shutil.copytree(svc, os.path.join(root, "system.slice", os.fsdecode(n + b".service")))
    shutil.copytree(os.path.join(v2, "system.slice", scope),
                    os.path.join(root, "system.slice", "docker-%s.scope" % DOCKER_ID))
    cdir = os.path.join(d, "docker", "containers", DOCKER_ID)
    os.makedirs(cdir)
    # raw bytes in a JSON string, as a careless writer would leave them
    with open(os.path.join(cdir, "config.v2.json"), "wb") as f:
        f.write(b'{"ID":"%s","Name":"/%s"}' % (
            DOCKER_ID.encode(), DOCKER_NAME.replace(b"\\", b"\\\\").replace(b'"', b'\\"')))
    with open(os.path.join(d, "glassrc"), "w") as f:
        f.write("cgroup.docker-root = %s\n" % os.path.join(d, "docker"))
    with open(os.path.join(d, "glassrc"), "ab") as f:
        f.write(b"hypervisor = " + SOURCE + b"\n")
        # a currency is at most 8 bytes: enough to clear a screen
        f.write(b"cost.core_month = 10\ncost.currency = " + CURRENCY + b"\n")
    with open(os.path.join(d, "glassrc-source-only"), "wb") as f:
        f.write(b"hypervisor = " + SOURCE + b"\n")


# A replayed snapshot (--replay of glass's own JSON) holds each name as
# the JSON had it: invalid bytes already spelled \xNN.
REPLAYED = bool(os.environ.get("HOSTILE_REPLAYED"))


def R(b):
    return escape(b, "utf8").encode("utf-8") if REPLAYED else b


def expected():
    """name bytes -> kind, for every hostile node."""
    want = {n: "vm" for n in VMS}
    for n in CTS + [CT_LONG]:
        want[systemd_unescape(n + b".service")] = "container"
    want[DOCKER_NAME] = "container"
    if HOST:
        want[HOST] = "host"
    return {R(k): v for k, v in want.items()}


# --- the escapings the views document (include/glass/escape.h), written
# again here from the description, as an oracle
def chars(b):
    """(bytes, char or None when not UTF-8) for each character of b."""
    i = 0
    while i < len(b):
        for n in (1, 2, 3, 4):
            try:
                c = b[i:i + n].decode("utf-8")
            except UnicodeDecodeError:
                continue
            if len(c) == 1:
                yield b[i:i + n], c
                i += n
                break
        else:
            yield b[i:i + 1], None
            i += 1


def escape(b, mode):
    """mode: utf8 (JSON), data (CSV, Prometheus), terminal (text, TUI)."""
    out = []
    for raw, c in chars(b):
        hexed = "".join("\\x%02x" % x for x in raw)
        if c is None:
            out.append(hexed)
        elif mode == "utf8":
            out.append(c)
        elif mode == "terminal" and c == "\\":
            out.append("\\\\")
        elif mode == "data" and c in "\t\n\r":
            out.append(c)
        elif ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0:
            out.append(hexed)
        else:
            out.append(c)
    return "".join(out)


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def raw_bytes_ok(data, what, allowed=b"\n"):
    for c in list(range(0x20)) + [0x7f]:
        if bytes([c]) in data and bytes([c]) not in allowed:
            fail("%s holds a raw 0x%02x byte" % (what, c))
    if b"\xc2\x9b" in data:
        fail("%s holds a raw C1 control" % what)


def check_json(path):
    data = open(path, "rb").read()
    raw_bytes_ok(data, "json")
    docs = [json.loads(l) for l in data.decode("utf-8").splitlines()]
    names = []

    def walk(n):
        names.append((n["kind"], n["name"], n["id"]))
        for c in n.get("children", []):
            walk(c)
    walk(docs[-1]["tree"])
    got = {(k, n) for k, n, _ in names}
    for b, kind in expected().items():
        if (kind, escape(b, "utf8")) not in got:
            fail("json: %s %r not found exactly" % (kind, b[:40]))
    host = escape(R(HOST), "utf8") if HOST else None
    if host and not any(i.startswith("ct:" + host + "/") for _, _, i in names):
        fail("json: container ids do not hold the host's name")
    src = [x for x in docs[-1]["sources"] if x["name"] == escape(R(SOURCE), "utf8")]
    if len(src) != 1 or src[0]["health"] != "unreachable" or \
            escape(R(SOURCE), "utf8") not in (src[0]["reason"] or ""):
        fail("json: the hostile source and its reason are not exact: %r" % docs[-1]["sources"])
    return "%d snapshots, %d nodes, every name exact, the source too" % (len(docs), len(names))


def check_csv(path):
    data = open(path, "rb").read()
    raw_bytes_ok(data, "csv", b"\n\r\t")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    head = rows[0]
    bad = [i for i, r in enumerate(rows) if len(r) != len(head)]
    if bad:
        fail("csv: rows %s are not %d wide" % (bad[:5], len(head)))
    # the last snapshot: a slow source (an ASan build on a busy machine)
    # may still be connecting in the first
    last = max(r[1] for r in rows[1:])
    got = {(r[head.index("kind")], r[head.index("name")]) for r in rows[1:] if r[1] == last}
    for b, kind in expected().items():
        if (kind, escape(b, "data")) not in got:
            fail("csv: %s %r not found exactly" % (kind, b[:40]))
    return "%d rows of %d columns, every name exact" % (len(rows), len(head))


LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)')
SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$")


def prom_unescape(v):
    return re.sub(r'\\([\\"n])', lambda m: "\n" if m.group(1) == "n" else m.group(1), v)


def check_prom(path):
    data = open(path, "rb").read()
    # the format escapes newline; a carriage return would overwrite the
    # line on a terminal: neither stays raw
    raw_bytes_ok(data, "prom", b"\n\t")
    names = set()
    samples = 0
    for line in data.decode("utf-8").split("\n")[:-1]:
        if line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            fail("prom: not a sample line: %r" % line[:80])
        labels, pos, body = {}, 0, m.group(2) or ""
        while pos < len(body):
            lm = LABEL.match(body, pos)
            if not lm:
                fail("prom: bad label at %r" % body[pos:pos + 60])
            labels[lm.group(1)] = prom_unescape(lm.group(2))
            pos = lm.end()
        float(m.group(3))
        samples += 1
        if "name" in labels:
            names.add((labels["kind"], labels["name"]))
        if m.group(1) == "glass_source_up":
            names.add(("source", labels["uri"]))
    for b, kind in list(expected().items()) + [(SOURCE, "source")]:
        want = escape(b, "data").replace("\r", "\\x0d")
        if (kind, want) not in names:
            fail("prom: %s %r not found" % (kind, b[:40]))
    return "%d samples, every label well escaped, every name found" % samples


def check_text(path):
    data = open(path, "rb").read()
    raw_bytes_ok(data, "text")
    lines = data.decode("utf-8").split("\n")
    snaps = sum(1 for l in lines if l.startswith("glass "))
    # the last snapshot (a slow source may still be connecting in the first)
    last = max(i for i, l in enumerate(lines) if l.startswith("glass "))
    lines = lines[last:]
    for b, kind in expected().items():
        want = escape(b, "terminal")
        hits = [l for l in lines if l.lstrip(" ").startswith(want + " ")]
        if len(hits) != 1:
            fail("text: %s %r on %d lines of the last snapshot, want one"
                 % (kind, b[:40], len(hits)))
    src = escape(R(SOURCE), "terminal")
    hits = [l for l in lines if l.startswith("  " + src + ": unreachable: ") and l.count(src) == 2]
    if len(hits) != 1:
        fail("text: the hostile source's line (name and reason) is not in the last snapshot")
    return "%d snapshots, each name whole on one line, escaped, the source too" % snaps


def check_tui(path):
    """A capture of the screen (tmux capture-pane -p): the names escaped."""
    data = open(path, "rb").read()
    raw_bytes_ok(data, "screen")
    screen = data.decode("utf-8")
    shown = 0
    for b, kind in expected().items():
        # the screen cuts long names: their first 20 cells at least
        want = escape(b, "terminal")[:20]
        if want in screen:
            shown += 1
        else:
            fail("screen: %s %r not shown as %r" % (kind, b[:40], want))
    return "%d names shown escaped" % shown


def check_idle_json(path):
    """glass --idle --format json: the idle list, names exact."""
    data = open(path, "rb").read()
    raw_bytes_ok(data, "idle json")
    docs = [json.loads(l) for l in data.decode("utf-8").splitlines()]
    got = {(n["kind"], n["name"]) for n in (docs[-1]["idle_holders"] + docs[-1]["idle_hosts"] + docs[-1]["idle_nested"])}
    if ("container", escape(R(DOCKER_NAME), "utf8")) not in got:
        fail("idle json: the idle docker container's name is not exact")
    if HOST:
        dk = [n for n in (docs[-1]["idle_holders"] + docs[-1]["idle_hosts"] + docs[-1]["idle_nested"]) if n["name"] == escape(R(DOCKER_NAME), "utf8")][0]
        if dk["host_id"] != "host:" + escape(R(HOST), "utf8"):
            fail("idle json: host_id is not the host's id: %r" % dk["host_id"])
    return "%d idle nodes, names exact" % len(got)


def check_idle_text(path):
    """glass --idle --format text: a line per idle node, names escaped."""
    data = open(path, "rb").read()
    raw_bytes_ok(data, "idle text")
    lines = data.decode("utf-8").split("\n")
    dk = [l for l in lines if l.startswith(escape(R(DOCKER_NAME), "terminal") + " ")]
    if len(dk) != 1:
        fail("idle text: the idle docker container is not one line, escaped")
    if " " + escape(R(CURRENCY), "terminal") + " " not in dk[0]:
        fail("idle text: the cost's currency is not escaped: %r" % dk[0][-80:])
    return "the idle docker container on one line, escaped"


def check_tui_detail(path):
    """The detail of the docker container: its name escaped, cut to fit."""
    data = open(path, "rb").read()
    raw_bytes_ok(data, "detail screen")
    want = escape(R(DOCKER_NAME), "terminal")[:100]
    line = [l for l in data.decode("utf-8").split("\n") if l.startswith(" name ")]
    if len(line) != 1 or want not in line[0]:
        fail("detail: the name line does not hold %r: %r" % (want, line))
    return "the detail shows the 4 KiB name escaped on one line"


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "hostname":
        print(HOST.hex())
    elif sys.argv[1] == "stderr":
        # glass -C glassrc-source-only --no-local: one line, escaped
        data = open(sys.argv[2], "rb").read()
        raw_bytes_ok(data, "stderr")
        want = "glass: no source could be sampled: %s: " % escape(R(SOURCE), "terminal")
        if data.count(b"\n") != 1 or not data.decode("utf-8").startswith(want):
            fail("stderr: not one line starting %r: %r" % (want, data))
        print("ok: stderr: one line, the source's name escaped")
    elif sys.argv[1] == "check":
        fn = {"json": check_json, "csv": check_csv, "prom": check_prom,
              "text": check_text, "tui": check_tui,
              "tui-detail": check_tui_detail, "idle-json": check_idle_json,
              "idle-text": check_idle_text}[sys.argv[2]]
        print("ok:", fn(sys.argv[3]))
    else:
        sys.exit("usage: see the top of " + sys.argv[0])
