#!/bin/bash
# What an operator reads beyond the tree, in a real terminal (tmux):
# - P on a live cgroup lists its processes as ps(1) sees them (pid, user,
#   command), the spinner first with a CPU%, a hostile command escaped;
# - the host's detail: steal, iowait and a bar per CPU against /proc/stat
#   read over the same moments (with a tolerance: the machine is shared);
# - the setup screen (F2) saves columns and sort to the config file, keeps
#   its comments, and a second glass starts with them.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib_tui.sh"
. "$SRCDIR/tests/integration/cgroup_lib.sh"

# --- the setup screen (the fixture tree; needs nothing but tmux)
RC="$TMP/glassrc"
printf '# my glass config\ninterval = 0.5   # fast\n\n# colours, mine\ntheme = light\n' >"$RC"
tui_start setup 120 40 -C "$RC"
tui_wait setup "NAME" 10 >/dev/null
# the tree's title line names no STATE column
no_state() { tui_capture "$1" | grep -E '^NAME' | grep -q KIND && ! tui_capture "$1" | grep -E '^NAME' | grep -q STATE; }
check "the tree shows STATE before the setup" tui_wait setup '^NAME.* STATE' 5
tui_keys setup F2
check "F2 opens the setup screen" tui_wait setup "Columns \\(NAME is always first\\)" 5
# the cursor on KIND: Down to STATE, hide it; Down to CPU, move it after USED
tui_keys setup Down Space Down ']'
check "the setup screen shows STATE hidden" tui_wait setup '\[ \] STATE' 5
tui_keys setup Escape
check "leaving the setup screen says where it saved" tui_wait setup "setup saved to $RC" 5
check "the tree's titles follow at once (no STATE)" tui_until 5 no_state setup
tui_keys setup q
tui_wait setup "glass-exit=0" 5 >/dev/null
check "the config keeps its comments" grep -qx '# my glass config' "$RC"
check "the config keeps a comment after a value" grep -qx 'interval = 0.5   # fast' "$RC"
check "the config keeps the other comment" grep -qx '# colours, mine' "$RC"
check "the config keeps the theme line where it was" sed -n 5p "$RC" | grep -qx 'theme = light'
check "the config has the columns, STATE gone and CPU after USED" \
	grep -qx 'tui.columns = kind,cpu_used,cpu,cpu_bar,mem,mem_used,mem_bar,disk_r,disk_w,net_rx,net_tx,watts,idle' "$RC"
check "the config has the sort" grep -qx 'tui.sort = name ascending' "$RC"
check "the config has each key once" test "$(grep -c '^tui\.' "$RC")" = 2
check "no temporary is left beside the config" test "$(ls "$TMP" | grep -c '^glassrc')" = 1
# a second glass reads them back
tui_start setup2 120 40 -C "$RC"
check "a second glass starts on the saved columns" \
	tui_wait setup2 '^NAME.* KIND +USED +CPU ' 10
check "a second glass shows no STATE" no_state setup2
tui_keys setup2 q
tui_wait setup2 "glass-exit=0" 5 >/dev/null
# a bad value in tui.columns is a config error with its line
printf 'tui.columns = cpu,nosuch\n' >"$TMP/bad.rc"
"$GLASS" -C "$TMP/bad.rc" -b -n 1 --no-local --cgroup-root "$SRCDIR/tests/fixtures/cgroup/v2" \
	>/dev/null 2>"$TMP/bad.err"
check "a bad tui.columns is refused with file:line" \
	grep -q "^glass: $TMP/bad.rc:1: unknown column 'nosuch'" "$TMP/bad.err"

# --- what a far glass sent (--processes), here through a recording: the
# near side shows it, a hostile user and command escaped
"$GLASS" -b -n 1 -d 0.3 --no-local --cgroup-root "$SRCDIR/tests/fixtures/cgroup/v2" --format json \
	>"$TMP/rec.jsonl"
"$PYTHON3" - "$TMP/rec.jsonl" >"$TMP/rec2.jsonl" <<'PY'
import json, sys
d = json.loads(open(sys.argv[1]).readline())
d["tree"]["children"][0]["processes"] = [
    {"pid": 4242, "user": "\u001b[31mevil", "command": "\u001b]0;pwned\u0007 --flag",
     "state": "R", "cpu_percent": 87.5, "rss_bytes": 1048576},
    {"pid": 7, "user": "root", "command": "sleep 1000", "state": "S",
     "cpu_percent": None, "rss_bytes": None}]
print(json.dumps(d))
PY
TUI_SOURCE_ARGS="" tui_start replay 100 20 --replay "$TMP/rec2.jsonl"
tui_wait replay "NAME" 10 >/dev/null
tui_keys replay Down P
check "P shows the processes a far glass sent" tui_wait replay "processes of .*: 2 processes" 5
check "... the busiest first, its user and command escaped" \
	tui_wait replay '^ +4242 \\x1b\[31me.* R +87\.5 +1\.0M +\\x1b\]0;pwned\\x07 --flag' 5
check "... an unknown CPU% and RSS read as a dash" tui_wait replay '^ +7 root +S +— +— +sleep 1000' 5
check "... and the title is not changed" test "$(tm display -p -t replay '#{pane_title}')" != pwned
tui_keys replay Escape Down P
check "a node the recording has no processes for says so" \
	tui_wait replay "the recording holds no processes for it" 5
tui_keys replay q
tui_wait replay "glass-exit=0" 5 >/dev/null

# --- the host's detail against /proc/stat
ncpu=$(grep -c '^cpu[0-9]' /proc/stat)
statlog="$TMP/stat.log"
(
	# /proc/stat every 0.1 s, stamped: the same moments glass reads
	while :; do
		printf 'T %s\n' "$(date +%s%N)"
		head -n $((ncpu + 1)) /proc/stat
		sleep 0.1
	done
) >"$statlog" &
STATLOOP=$!
stop_statloop() { kill "$STATLOOP" 2>/dev/null; wait "$STATLOOP" 2>/dev/null; }
on_exit stop_statloop
TUI_SOURCE_ARGS="--no-libvirt" tui_start host 120 50 -d 1
tui_wait host "NAME" 10 >/dev/null
tui_keys host Home Down d
if tui_wait host "^ cpu time +steal" 15 >/dev/null; then
	pass "the host's detail shows cpu time by kind"
	sleep 1.2 # a refresh's delta on screen, and /proc/stat after it
	tui_capture host >"$TMP/host.txt"
	now=$(date +%s%N)
	"$PYTHON3" - "$TMP/host.txt" "$statlog" "$now" "$ncpu" >"$TMP/host.check" <<'PY'
import re, sys
screen = open(sys.argv[1]).read()
now, ncpu = int(sys.argv[3]), int(sys.argv[4])
m = re.search(r"steal ([0-9.]+)%  iowait ([0-9.]+)%  busy ([0-9.]+)%", screen)
cells = re.findall(r"(\d+)\[[| ]{10}\] *([0-9]+)%", screen)
# the /proc/stat reads in the last 1.5 s: their first and last
samples, cur = [], None
for line in open(sys.argv[2]):
    if line.startswith("T "):
        cur = [int(line.split()[1]), {}]
        samples.append(cur)
    elif cur and line.startswith("cpu"):
        f = line.split()
        cur[1][f[0]] = [int(x) for x in f[1:9]]
samples = [s for s in samples if len(s[1]) == ncpu + 1 and now - s[0] < 1.5e9]
def pct(a, b):
    d = [y - x for x, y in zip(a, b)]
    t = sum(d) or 1
    return 100.0 * (t - d[3] - d[4]) / t, 100.0 * d[4] / t, 100.0 * d[7] / t
a, b = samples[0][1], samples[-1][1]
busy, iowait, steal = pct(a["cpu"], b["cpu"])
print("screen", m.groups() if m else None, "cells", cells)
print("proc/stat steal %.1f iowait %.1f busy %.1f" % (steal, iowait, busy))
ok = m is not None
ok = ok and abs(float(m.group(1)) - steal) <= 5 and abs(float(m.group(2)) - iowait) <= 10
ok = ok and len(cells) == ncpu and all(0 <= int(p) <= 100 for _, p in cells)
for n, p in cells:
    cb = pct(a["cpu%s" % n], b["cpu%s" % n])[0]
    print("cpu%s screen %s%% proc/stat %.1f%%" % (n, p, cb))
    ok = ok and abs(int(p) - cb) <= 40
sys.exit(0 if ok else 1)
PY
	rc=$?
	sed 's/^/    /' "$TMP/host.check"
	check "steal and iowait within 5 and 10 points, one bar per CPU ($ncpu) within 40 of /proc/stat" \
		test "$rc" = 0
else
	fail "the host's detail shows cpu time by kind"
fi
tui_keys host q
tui_wait host "glass-exit=0" 5 >/dev/null
stop_statloop

# --- P on a live cgroup against ps (root: cg_detect says why not)
if ! (cg_detect) >"$TMP/cg_detect.out" 2>&1; then
	say "SKIP the process view on a live cgroup: $(sed -n 's/.*SKIP: //p' "$TMP/cg_detect.out")"
	finish
fi
cg_detect
CG="glass-test-$$-procs"
SPIN=
SLEEP=
EVIL=
cleanup_procs() {
	for p in $SPIN $SLEEP $EVIL; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	cg_remove "$CG"
}
on_exit cleanup_procs
cg_make "$CG"
check "made the cgroup $CG ($CG_MODE)" test $? -eq 0
sh -c 'while :; do :; done' &
SPIN=$!
sleep 1000 &
SLEEP=$!
# a command line that is a terminal-title escape
bash -c 'exec -a "$(printf "\033]0;pwned\007")" sleep 1000' &
EVIL=$!
sleep 0.2
for p in $SPIN $SLEEP $EVIL; do cg_move "$p" "$CG"; done
TUI_SOURCE_ARGS="--no-libvirt" tui_start procs 120 40 -d 0.5
tui_wait procs "NAME" 10 >/dev/null
tui_keys procs / "$CG" Enter
tui_wait procs "$CG" 10 >/dev/null
tui_keys procs P
check "P opens the processes of $CG" tui_wait procs "processes of $CG: 3 processes" 10
# the spinner's rate needs two reads: until it is first with a number
if tui_wait procs "^ +$SPIN root +R +[0-9.]+ " 15 >/dev/null; then
	pass "the spinner ($SPIN) has a CPU% after a refresh"
else
	fail "the spinner ($SPIN) has a CPU% after a refresh"
fi
tui_capture procs >"$TMP/procs.txt"
sed 's/^/    | /' "$TMP/procs.txt" | head -12
first=$(grep -E '^ +[0-9]+ ' "$TMP/procs.txt" | head -1 | awk '{print $1}')
check "the busiest first: the spinner ($first)" test "$first" = "$SPIN"
cpu=$(grep -E "^ +$SPIN " "$TMP/procs.txt" | awk '{print $4}')
check "the spinner uses CPU ($cpu%)" "$PYTHON3" -c "import sys; sys.exit(0 if float('$cpu') >= 5 else 1)"
for p in $SPIN $SLEEP; do
	user=$(ps -o user= -p "$p" | tr -d ' ')
	args=$(ps -o args= -p "$p")
	check "pid $p as ps sees it: $user, '$args'" \
		grep -qE "^ +$p $user +[A-Z] .*  $(printf '%s' "$args" | sed 's/[].*^$[|+?(){}\\]/\\&/g')\$" "$TMP/procs.txt"
done
check "the sleeper is S with 0.0%" grep -qE "^ +$SLEEP root +S +0\\.0 " "$TMP/procs.txt"
check "the hostile command is shown escaped" grep -qE "^ +$EVIL .*x1b\\]0;pwned\\\\x07 1000" "$TMP/procs.txt"
check "the hostile command changed no title" test "$(tm display -p -t procs '#{pane_title}')" != pwned
# a process that ends is left out at the next refresh, silently
kill "$SLEEP"
wait "$SLEEP" 2>/dev/null
SLEEP=
check "a process that ended is gone from the list" \
	tui_wait procs "processes of $CG: 2 processes" 10
tui_keys procs Escape
check "Esc goes back to the tree" tui_wait procs "^NAME" 5
tui_keys procs q
check "glass quits" tui_wait procs "glass-exit=0" 5
finish
