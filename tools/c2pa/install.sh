#!/bin/sh
# install.sh installs the pinned @contentauth/c2pa-wasm (c2pa-rs compiled to
# WebAssembly) that provenance/c2pa's tests read sideman's WAV manifests
# with. It is the project's install step for this tool (scripts/install-deps.sh
# runs it); the tests also run it when node_modules is missing.
set -eu
cd "$(dirname "$0")"
exec npm ci --no-audit --no-fund --loglevel=error
