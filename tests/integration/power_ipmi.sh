#!/bin/sh
# IPMI power against OpenIPMI's ipmi_sim on 127.0.0.1: a BMC whose power
# sensor (SDR compiled with sdrcomp) polls a file this test writes.  glass
# reads the written watts within the sensor's resolution and follows the
# file; a stopped BMC (SIGSTOP) turns the ipmi source stale, then
# unreachable with a reason, and the host's watts fall back to the model
# while its cpu and memory keep coming; the password is in no command line
# and in nothing glass prints.
. "$(dirname "$0")/lib.sh"

PW="gl4ss-bmc-Pw9"

# A glass without FreeIPMI refuses the URI in one line: that is all it can do.
"$GLASS" -b -n 1 --no-local --no-history -c ipmi+lan://u@127.0.0.1:9 >/dev/null 2>"$TMP/probe.err"
if grep -q "built without FreeIPMI" "$TMP/probe.err"; then
	expect_error 2 "without FreeIPMI: one line" "built without FreeIPMI" -b -n 1 --no-history \
		-c ipmi+lan://u@127.0.0.1:9
	finish
fi
command -v ipmi_sim >/dev/null 2>&1 || skip "ipmi_sim not found (Debian: apt-get install openipmi)"
command -v sdrcomp >/dev/null 2>&1 || skip "sdrcomp not found (Debian: apt-get install openipmi)"

# Bad input: one line each, the password never echoed.
printf '%s\n' "$PW" >"$TMP/pw"
chmod 600 "$TMP/pw"
expect_error 2 "a password in the URI is refused" "a password in the URI is not used" \
	-b -n 1 --no-history -c "ipmi+lan://glass:$PW@127.0.0.1:9"
check "... and not echoed" test "$(grep -c "$PW" "$TMP/expect.err")" -eq 0
printf 'ipmi.password_file = %s/none\n' "$TMP" >"$TMP/nopw.rc"
expect_error 2 "a missing password file" "none: No such file or directory" \
	-b -n 1 --no-history -C "$TMP/nopw.rc" -c ipmi+lan://glass@127.0.0.1:9
expect_error 2 "a bad port" "invalid port" -b -n 1 --no-history -c ipmi+lan://glass@127.0.0.1:99999
expect_error 2 "an unknown parameter" "unknown parameter 'bogus'" \
	-b -n 1 --no-history -c "ipmi+lan://glass@127.0.0.1?bogus=1"
printf 'ipmi = qemu:///system\n' >"$TMP/bad.rc"
expect_error 2 "ipmi = wants an ipmi URI" "bad.rc:1: ipmi = expects an ipmi://" -b -C "$TMP/bad.rc"

# In-band without a BMC device (this machine, a container): said once, and
# the host's watts come from the model.
if [ ! -e /dev/ipmi0 ]; then
	"$GLASS" -b -n 2 -d 0.3 --no-history --format json -c ipmi:// >"$TMP/inband.jsonl" 2>"$TMP/inband.err"
	rc=$?
	check "ipmi:// without /dev/ipmi0: exit 0 ($rc)" test "$rc" -eq 0
	check "... said once on stderr ($(cat "$TMP/inband.err"))" sh -c \
		'test "$(wc -l <"$1")" -eq 1 && grep -q "^glass: ipmi://: /dev/ipmi0: No such file or directory" "$1"' _ "$TMP/inband.err"
	check "... no ipmi source, the host's watts from the model" test "$(json_get "$TMP/inband.jsonl" \
		'[s["kind"] for s in d["sources"]].count("ipmi"), [c["power_source"] for c in d["tree"]["children"] if c["kind"] == "host"]')" = "0 ['model']"
fi

# A free UDP port on 127.0.0.1 (taken and let go: ipmi_sim binds it next).
PORT=$("$PYTHON3" -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')

# The BMC: IPMI 1.5 LAN with MD5 (FreeIPMI's default), one user.  The
# password is in this file, never on ipmi_sim's command line.
cat >"$TMP/lan.conf" <<EOF
name "glasssim"
set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 $PORT
    priv_limit admin
    allowed_auths_callback md5
    allowed_auths_user md5
    allowed_auths_operator md5
    allowed_auths_admin md5
    guid a123456789abcdefa123456789abcdef
  endlan
  user 2 true "glass" "$PW" user 10 md5
EOF
# Sensor 2 reads the file every 200 ms; raw = watts / 2, and the SDR's
# m = 2 turns it back: a resolution of 2 W.
cat >"$TMP/sim.emu" <<EOF
mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
sel_enable 0x20 1000 0x0a
sensor_add 0x20 0 0 35 0x6f event-only
sensor_add 0x20 0 2 0x03 0x01 poll 200 file "$TMP/watts" div=2
mc_enable 0x20
EOF
cat >"$TMP/power.sdrs" <<'EOF'
sdr type 1
	sensor_owner_id		0x20
	channel_number		0
	sensor_owner_lun	0
	sensor_number		2
	entity_id		power_supply
	entity_instance		1
	init_scanning		true
	default_sensor_scan_on	true
	sensor_type		Current
	event_reading_type_code	1
	analog_data_format	unsigned
	base_unit		Watts
	linearization		linear
	m			2
	b			0
	r_exp			0
	b_exp			0
	sensor_maximum		255
	id_string		"PSU1 Power In"
endsdr
EOF
mkdir -p "$TMP/state/ipmi_sim/glasssim"
if ! sdrcomp -o "$TMP/state/ipmi_sim/glasssim/sdr.20.main" "$TMP/power.sdrs" >"$TMP/sdrcomp.log" 2>&1; then
	fail "sdrcomp compiles the SDR:"
	sed 's/^/    /' "$TMP/sdrcomp.log"
	finish
fi
echo 231 >"$TMP/watts"

ipmi_sim -c "$TMP/lan.conf" -f "$TMP/sim.emu" -s "$TMP/state" -n >"$TMP/sim.log" 2>&1 &
SIM=$!
stop_sim() { kill -CONT "$SIM" 2>/dev/null; kill "$SIM" 2>/dev/null; wait "$SIM" 2>/dev/null; }
on_exit stop_sim
# Up when its port is taken (seconds at most).
"$PYTHON3" - "$PORT" "$SIM" <<'PY' || { fail "ipmi_sim starts: $(cat "$TMP/sim.log")"; finish; }
import errno, os, socket, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
end = time.monotonic() + 30
while time.monotonic() < end:
    os.kill(pid, 0)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.bind(("127.0.0.1", port))
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            sys.exit(0)
    finally:
        s.close()
    time.sleep(0.05)
sys.exit(1)
PY
pass "ipmi_sim listens on 127.0.0.1:$PORT (pid $SIM)"

printf 'ipmi.password_file = %s/pw\n' "$TMP" >"$TMP/glass.rc"
# The driver runs glass, writes the watts file, stops and resumes the BMC
# and reads every snapshot; each step polls under a generous deadline.
# (the password reaches the driver in its environment, not on its command line)
BMC_PW=$PW "$PYTHON3" - "$GLASS" "$TMP" "$PORT" "$SIM" >"$TMP/res" 2>&1 <<'PY'
import json, os, signal, subprocess, sys, threading, time
glass, tmp, port, sim = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
pw = os.environ.pop("BMC_PW")
uri = f"ipmi+lan://glass@127.0.0.1:{port}"
err = open(f"{tmp}/glass.err", "w")
p = subprocess.Popen([glass, "-b", "--format", "json", "-n", "0", "-d", "0.5", "--no-history",
                      "-C", f"{tmp}/glass.rc", "-c", uri],
                     stdout=subprocess.PIPE, stderr=err, text=True)
docs = []
raw = open(f"{tmp}/out.jsonl", "w")
def reader():
    for line in p.stdout:
        raw.write(line)
        raw.flush()
        docs.append(json.loads(line))
t = threading.Thread(target=reader, daemon=True)
t.start()

def host(d):
    hs = [c for c in d["tree"]["children"] if c["kind"] == "host"]
    assert len(hs) == 1, f"one host: {[h['id'] for h in hs]}"
    return hs[0]
def src(d):
    return [s for s in d["sources"] if s["kind"] == "ipmi"][0]
def wait(what, pred, secs=90):
    start = len(docs)
    end = time.monotonic() + secs
    while time.monotonic() < end:
        for d in docs[start:]:
            if pred(d):
                return d
        if p.poll() is not None:
            raise SystemExit(f"glass exited {p.returncode} waiting for {what}")
        time.sleep(0.1)
    last = docs[-1] if docs else None
    raise SystemExit(f"not within {secs} s: {what}; last: {host(last) if last else None} {src(last) if last else None}")

try:
    # glass, every process it started, and ipmi_sim: the password on
    # no command line (what ps shows)
    def cmdlines():
        parent, cmd = {}, {}
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    stat = open(f"/proc/{pid}/stat").read()
                    parent[int(pid)] = int(stat.rsplit(")", 1)[1].split()[1])
                    cmd[int(pid)] = open(f"/proc/{pid}/cmdline", "rb").read()
                except (OSError, IndexError, ValueError):
                    pass
        mine = {p.pid, sim}
        grew = True
        while grew:
            more = {c for c, pp in parent.items() if pp in mine} - mine
            grew = bool(more)
            mine |= more
        return [cmd[x] for x in mine if x in cmd]
    d = wait("the written 231 W, metered by ipmi",
             lambda d: host(d)["power_source"] == "ipmi" and abs(host(d)["power_watts"] - 231) <= 2)
    print(f"ok read {host(d)['power_watts']} W (written 231, resolution 2 W)")
    assert src(d)["health"] == "ok" and src(d)["name"] == uri, src(d)
    assert all(pw.encode() not in c for c in cmdlines()), "the password on a command line"
    print(f"ok password on no command line (glass, its children, ipmi_sim: {len(cmdlines())} processes)")

    with open(f"{tmp}/.w", "w") as f:
        f.write("400\n")
    os.replace(f"{tmp}/.w", f"{tmp}/watts")
    d = wait("the new 400 W", lambda d: host(d)["power_source"] == "ipmi" and abs(host(d)["power_watts"] - 400) <= 2)
    print(f"ok follows the file: {host(d)['power_watts']} W")
    # the site's watts are its one host's, attribution below never past it
    assert d["tree"]["rollup"]["power"]["watts"] == host(d)["power_watts"]
    kids = sum(c["power_watts"] or 0 for c in host(d).get("children", []))
    assert kids <= host(d)["power_watts"] + 0.01, f"children {kids} W > host"

    os.kill(sim, signal.SIGSTOP)
    t0 = time.monotonic()
    d = wait("a stale or unreachable ipmi source", lambda d: src(d)["health"] in ("stale", "unreachable"))
    h = host(d)
    assert h["power_source"] != "ipmi", f"a stale meter's watts: {h['power_source']} {h['power_watts']}"
    assert not h["stale"], "the host is not stale: its own source answers"
    print(f"ok stopped BMC: source {src(d)['health']} ({src(d)['reason']}), host watts from {h['power_source']}")
    d = wait("an unreachable ipmi source with a reason",
             lambda d: src(d)["health"] == "unreachable" and src(d)["reason"])
    print(f"ok unreachable after {time.monotonic() - t0:.1f} s: {src(d)['reason']}")
    seq = d["sequence"]
    # snapshots keep coming, with the host's cpu and memory
    d = wait("three more snapshots with the host's memory and cpu",
             lambda d: d["sequence"] >= seq + 3 and host(d)["memory_bytes_used"] is not None
             and host(d)["cpu_cores_used"] is not None and not host(d)["stale"])
    print(f"ok host keeps coming while the BMC is stopped (snapshot {d['sequence']})")

    os.kill(sim, signal.SIGCONT)
    d = wait("the BMC back: metered again", lambda d: host(d)["power_source"] == "ipmi", secs=120)
    print(f"ok back after SIGCONT: {host(d)['power_watts']} W")
finally:
    os.kill(sim, signal.SIGCONT)
    p.terminate()
    try:
        p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
    t.join(timeout=10)
    err.close()
    raw.close()
for f in ("out.jsonl", "glass.err"):
    assert pw not in open(f"{tmp}/{f}").read(), f"the password in glass's {f}"
print("ok password in nothing glass printed")
print("done")
PY
while read -r line; do
	case $line in
	"ok "*) pass "${line#ok }" ;;
	done) ;;
	*) fail "$line" ;;
	esac
done <"$TMP/res"
check "the driver ran to the end" grep -qx done "$TMP/res"

# IPMI 2.0 (RMCP+, cipher suite 3) against the same BMC: ipmi_sim needs
# FreeIPMI's "opensesspriv" workaround, which glass falls back to.
"$GLASS" -b --format json -n 0 -d 0.5 --no-history -C "$TMP/glass.rc" \
	-c "ipmi+lanplus://glass@127.0.0.1:$PORT" >"$TMP/plus.jsonl" 2>"$TMP/plus.err" &
PLUS=$!
stop_plus() { kill "$PLUS" 2>/dev/null; wait "$PLUS" 2>/dev/null; }
on_exit stop_plus
"$PYTHON3" - "$TMP/plus.jsonl" >"$TMP/plus.res" 2>&1 <<'PY'
import json, sys, time
end = time.monotonic() + 90
while time.monotonic() < end:
    for line in open(sys.argv[1]).read().splitlines():
        try:
            d = json.loads(line)
        except ValueError:
            continue  # a line being written
        h = [c for c in d["tree"]["children"] if c["kind"] == "host"][0]
        if h["power_source"] == "ipmi" and abs(h["power_watts"] - 400) <= 2:
            print(f"ok {h['power_watts']} W")
            sys.exit(0)
    time.sleep(0.2)
print("no ipmi reading of 400 W within 90 s:", [s for s in d["sources"] if s["kind"] == "ipmi"])
sys.exit(1)
PY
check "ipmi+lanplus reads the same sensor ($(tr '\n' ' ' <"$TMP/plus.res"))" grep -q '^ok' "$TMP/plus.res"
stop_plus
check "ipmi+lanplus: nothing on stderr ($(head -c 200 "$TMP/plus.err"))" test ! -s "$TMP/plus.err"
check "glass said nothing on stderr ($(head -c 300 "$TMP/glass.err" 2>/dev/null))" test ! -s "$TMP/glass.err"
if "$PYTHON3" "$VALIDATE" "$SCHEMA" "$TMP/out.jsonl" >"$TMP/v" 2>&1; then
	pass "every snapshot validates against doc/snapshot.schema.json ($(cat "$TMP/v"))"
else
	fail "schema validation:"
	sed 's/^/    /' "$TMP/v"
fi
finish
