#!/usr/bin/env bash
# Runs every fuzz target in the module for FUZZTIME each (default 5m):
#   scripts/fuzz.sh            # all targets, 5 minutes each
#   FUZZTIME=30s scripts/fuzz.sh ./format/chart
set -euo pipefail
cd "$(dirname "$0")/.."
time=${FUZZTIME:-5m}
pkgs=${*:-./...}
for pkg in $(go list $pkgs); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "== $pkg $target ($time)"
    go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$time"
  done
done
