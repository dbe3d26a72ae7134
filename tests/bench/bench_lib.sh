# Shared by every benchmark under tests/bench/: one way to report a figure,
# so `make bench` can print a single table at the end.
#
# bench_row FIGURE GLASS ANCHOR RATIO TARGET VERDICT
#   FIGURE   what is measured, e.g. "cgroup CPU/refresh vs floor (2000 cgroups)"
#   GLASS    glass's number with its unit, e.g. "3.1 ms"
#   ANCHOR   what it is compared with, measured in the same run, e.g. "floor 1.9 ms"
#   RATIO    glass / anchor (or the measured quantity for absolute targets), e.g. "1.63x"
#   TARGET   the target, e.g. "<= 2x"
#   VERDICT  "met", "MISSED" or "n/a (why)"
# Rows go to $BENCH_TABLE (a tab-separated file that `make bench` prints as
# a table at the end) and, readable, to stdout.  Python benchmarks append
# the same six tab-separated fields to $BENCH_TABLE themselves.
bench_row() {
	if [ -n "${BENCH_TABLE:-}" ]; then
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" >>"$BENCH_TABLE"
	fi
	printf 'ROW  %s | glass %s | anchor %s | ratio %s | target %s | %s\n' "$1" "$2" "$3" "$4" "$5" "$6"
}
