#!/usr/bin/env bash
# Installs what sideman's tests and tools need from Debian and npm, when it
# is missing. Safe to run again: it does nothing when all is there.
#   python3-mido   independent MIDI reader for cross-checks (/usr/bin/python3)
#   nodejs, npm    @tonaljs/chord, an independent chord-tone implementation;
#                  @contentauth/c2pa-wasm (c2pa-rs), an independent C2PA reader
#   abcmidi        abc2midi, an independent ABC reader
#   musescore3     MuseScore 3, an independent MusicXML reader and renderer
#   mma            Musical MIDI Accompaniment, the peer the band is measured against
#   fluidsynth     FluidSynth, the reference renderer render's tests compare with
#   openssl        OpenSSL, an independent X.509 verifier of the signing certificates
#   timgm6mb-soundfont, fluid-soundfont-gm
#                  General MIDI SoundFonts: TimGM6mb (small, for tests) and
#                  FluidR3 (quality, sideman's default when installed)
#   postgresql     PostgreSQL, the server store/postgres's tests start in a
#                  temporary folder (no system service is used)
#   chromium, chromium-driver
#                  headless Chromium, the browser studio's page tests run in
#   spessasynth_lib, spessasynth_core (npm)
#                  the studio page's SoundFont synth, copied into studio/web/vendor
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
/usr/bin/python3 -c 'import mido' 2>/dev/null || need+=(python3-mido)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v abc2midi >/dev/null 2>&1 || need+=(abcmidi)
command -v mscore3 >/dev/null 2>&1 || need+=(musescore3)
command -v mma >/dev/null 2>&1 || need+=(mma)
command -v fluidsynth >/dev/null 2>&1 || need+=(fluidsynth)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
[ -f /usr/share/sounds/sf2/TimGM6mb.sf2 ] || need+=(timgm6mb-soundfont)
[ -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ] || need+=(fluid-soundfont-gm)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

if [ ! -d tools/tonal/node_modules ]; then
  echo "install-deps: npm ci in tools/tonal" >&2
  tools/tonal/install.sh >&2
fi
if [ ! -d tools/c2pa/node_modules ]; then
  echo "install-deps: npm ci in tools/c2pa" >&2
  tools/c2pa/install.sh >&2
fi
if [ ! -f studio/web/vendor/spessasynth_lib/index.js ]; then
  echo "install-deps: npm ci in tools/spessasynth, copied into studio/web/vendor" >&2
  tools/spessasynth/install.sh >&2
fi
