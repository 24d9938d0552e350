#!/bin/sh
# install.sh installs the pinned spessasynth packages (npm ci, versions in
# package-lock.json) and copies the files the studio page loads into
# studio/web/vendor, which `go build` then embeds. scripts/install-deps.sh
# and `make` run it; the page says so when the synth is missing.
set -eu
cd "$(dirname "$0")"
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
v=../../studio/web/vendor
rm -rf "$v.tmp"
mkdir -p "$v.tmp/spessasynth_lib" "$v.tmp/spessasynth_core" "$v.tmp/stb-vorbis"
cp node_modules/spessasynth_lib/dist/index.js node_modules/spessasynth_lib/dist/spessasynth_processor.min.js \
   node_modules/spessasynth_lib/LICENSE "$v.tmp/spessasynth_lib/"
cp node_modules/spessasynth_core/dist/index.js node_modules/spessasynth_core/LICENSE "$v.tmp/spessasynth_core/"
cp node_modules/stb-vorbis/dist/index.js node_modules/stb-vorbis/LICENSE "$v.tmp/stb-vorbis/"
rm -rf "$v" && mv "$v.tmp" "$v"
