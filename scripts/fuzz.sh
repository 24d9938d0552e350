#!/usr/bin/env bash
# Runs every fuzz target in the module for FUZZTIME each (default 5m) and
# ends with a table: target, seconds, executions, executions a second,
# new inputs found, result.
#   scripts/fuzz.sh                      # all targets, 5 minutes each
#   FUZZTIME=30s scripts/fuzz.sh ./format/chart
#   FUZZTIME=30s FUZZPARALLEL=1 scripts/fuzz.sh   # one worker (a shared machine)
#
# FUZZMINIMIZE (default 100x: a hundred executions) bounds minimizing each
# new input: at Go's default of 60 s, targets whose seeds are large
# (jazzstd, feel, feel/plot, band) spent their whole run minimizing, at 0
# execs/s; at 5s feel/learn still ran 12 inputs in 30 s, and at 100x it
# found a bug in 2 s. A failure is minimized by as many executions before
# it is saved to testdata/fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
time=${FUZZTIME:-5m}
minimize=${FUZZMINIMIZE:-100x}
parallel=()
if [ -n "${FUZZPARALLEL:-}" ]; then
  parallel=(-parallel "$FUZZPARALLEL")
fi
pkgs=${*:-./...}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
summary=()
status=0
for pkg in $(go list $pkgs); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "== $pkg $target ($time, minimize $minimize)"
    result=ok
    go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$time" \
      -fuzzminimizetime "$minimize" "${parallel[@]}" 2>&1 | tee "$log" || { result=FAIL; status=1; }
    # The last progress line: "fuzz: elapsed: 30s, execs: 123 (4/sec), new interesting: 2 (total: 9)".
    line=$(grep '^fuzz: elapsed: .*execs:' "$log" | tail -1 || true)
    # elapsed is a Go duration rounded to the second: 30s, 4m59s, 1h0m0s.
    dur=$(sed -n 's/^fuzz: elapsed: \([0-9hms]*\),.*/\1/p' <<<"$line")
    secs=0
    if [[ $dur =~ ^(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)$ ]]; then
      secs=$(( 10#${BASH_REMATCH[2]:-0} * 3600 + 10#${BASH_REMATCH[4]:-0} * 60 + 10#${BASH_REMATCH[6]} ))
    fi
    execs=$(sed -n 's/.*execs: \([0-9]*\).*/\1/p' <<<"$line")
    found=$(sed -n 's/.*new interesting: \([0-9]*\).*/\1/p' <<<"$line")
    rate=$(( ${secs:-0} > 0 ? ${execs:-0} / ${secs:-1} : 0 ))
    summary+=("$(printf '%-28s %-24s %5s %10s %8s %5s  %s' "${pkg#sideman/}" "$target" "${secs:-0}" "${execs:-0}" "$rate" "${found:-0}" "$result")")
  done
done
echo
printf '%-28s %-24s %5s %10s %8s %5s  %s\n' package target secs execs execs/s new result
printf '%s\n' "${summary[@]}"
exit $status
