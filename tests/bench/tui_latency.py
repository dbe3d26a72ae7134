#!/usr/bin/env python3
"""tui_latency.py SOCKET TARGET KEYS: the time from a key to the screen
change, for the glass TUI running in tmux (tmux -L SOCKET, pane TARGET,
started with NO_COLOR=1 so that the selection is reverse video).

Keys cycle through Down (the selected row moves one line), ? (the help
opens) and ? again (it closes).  For each: the time just before
`tmux send-keys` starts, then `tmux capture-pane` in a tight loop until
the screen shows that key's effect (not merely any change: the clock and
the values also change on their own); the latency is when the capture
that shows it returned.  The floor is what this way of measuring costs by
itself: one send-keys plus one capture of an unchanged screen (the
median of KEYS each).  Prints the figures; the last line is
"RESULT median_ms p90_ms max_ms floor_ms timeouts"."""
import random
import re
import statistics
import subprocess
import sys
import time

sock, target, n_keys = sys.argv[1], sys.argv[2], int(sys.argv[3])
TMUX = ["tmux", "-L", sock]
LIMIT_S = 5.0  # a key whose effect is not seen by then counts as a timeout
HELP = "glass keys"
LEAD_SGR = re.compile(r"(?:\x1b\[[0-9;]*m)*")
SGR = re.compile(r"\x1b\[([0-9;]*)m")


ctl = subprocess.Popen(TMUX + ["-C", "attach", "-t", target], stdin=subprocess.PIPE,
                       stdout=subprocess.PIPE)


def command(line):
    """One command through the control client: its output lines (the
    block between %begin and %end; notifications around it are skipped).
    The client answers in order, one command at a time."""
    ctl.stdin.write(line.encode() + b"\n")
    ctl.stdin.flush()
    out, inside = [], False
    while True:
        raw = ctl.stdout.readline()
        if not raw:
            sys.exit("tmux control client ended")
        text = raw.decode("utf-8", "replace").rstrip("\n")
        if not inside:
            # flags 1: the answer to a command this client sent (the
            # attach itself answers first, with flags 0)
            inside = text.startswith("%begin ") and text.split()[-1] == "1"
            continue
        if text.startswith("%end ") or text.startswith("%error "):
            if text.startswith("%error "):
                sys.exit("tmux: %s: %s" % (line, "\n".join(out)))
            return "\n".join(out)
        out.append(text)


def capture(escapes=False):
    return command("capture-pane -p -t %s%s" % (target, " -e" if escapes else ""))


def send(key):
    command("send-keys -t %s %s" % (target, key))


def sgr_reverse(reverse, seqs):
    """The reverse-video state after these SGR parameter strings."""
    for params in seqs:
        for p in params.split(";"):
            if p in ("", "0", "27"):
                reverse = False
            elif p == "7":
                reverse = True
    return reverse


def selected_line(screen):
    """The line number of the selection: the row whose text starts in
    reverse video (capture-pane -e carries attributes over line ends; the
    column header, also reverse, does not count)."""
    reverse = False
    for i, line in enumerate(screen.split("\n")):
        lead = LEAD_SGR.match(line).group(0)
        if sgr_reverse(reverse, SGR.findall(lead)) and "KIND" not in line:
            return i
        reverse = sgr_reverse(reverse, SGR.findall(line))
    return None


def measure(key, escapes, done):
    t0 = time.monotonic()
    send(key)
    while True:
        screen = capture(escapes)
        t1 = time.monotonic()
        if done(screen):
            return t1 - t0
        if t1 - t0 > LIMIT_S:
            return None


# The floor: send-keys of a key glass ignores (F12) and captures of a
# screen that does not change meanwhile.
floor_send, floor_cap = [], []
for _ in range(n_keys):
    t0 = time.monotonic()
    send("F12")
    floor_send.append(time.monotonic() - t0)
    t0 = time.monotonic()
    capture(True)
    floor_cap.append(time.monotonic() - t0)
floor = statistics.median(floor_send) + statistics.median(floor_cap)

if HELP in capture():
    send("Escape")
    time.sleep(0.5)
lat, timeouts = [], 0
random.seed(1)
for k in range(n_keys):
    step = k % 3
    if step == 0:
        before = selected_line(capture(True))
        if before is None or before > 40:
            send("Home")  # back to the top, so the selection stays on screen
            time.sleep(0.3)
            before = selected_line(capture(True))
        want = None if before is None else before + 1
        r = measure("Down", True, lambda s: selected_line(s) == want)
        what = "Down"
    elif step == 1:
        r = measure("?", False, lambda s: HELP in s)
        what = "? (help opens)"
    else:
        r = measure("?", False, lambda s: HELP not in s)
        what = "? (help closes)"
    if r is None:
        timeouts += 1
        print("key %2d %-16s no change within %.0f s" % (k + 1, what, LIMIT_S))
    else:
        lat.append(r)
        print("key %2d %-16s %6.1f ms" % (k + 1, what, r * 1000))
    # not in step with the refresh or the clock
    time.sleep(random.uniform(0.1, 0.3))

# Leave the tree on screen (the help takes any key, q included, as "back").
if HELP in capture():
    send("?")
    t0 = time.monotonic()
    while HELP in capture() and time.monotonic() - t0 < LIMIT_S:
        time.sleep(0.01)
lat.sort()
med = statistics.median(lat) * 1000 if lat else float("nan")
p90 = lat[int(len(lat) * 0.9)] * 1000 if lat else float("nan")
mx = lat[-1] * 1000 if lat else float("nan")
print("floor: send-keys %.1f ms + capture-pane %.1f ms (medians over %d)"
      % (statistics.median(floor_send) * 1000, statistics.median(floor_cap) * 1000, n_keys))
ctl.stdin.close()
ctl.wait()
print("RESULT %.1f %.1f %.1f %.1f %d" % (med, p90, mx, floor * 1000, timeouts))
