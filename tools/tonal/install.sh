#!/bin/sh
# install.sh installs the pinned @tonaljs packages that
# music.TestChordTonesAgainstTonal compares chord tones against.
# It is the project's install step for this tool (scripts/install-deps.sh
# runs it); the test also runs it when node_modules is missing.
set -eu
cd "$(dirname "$0")"
exec npm ci --no-audit --no-fund --loglevel=error
