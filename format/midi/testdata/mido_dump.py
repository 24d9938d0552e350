#!/usr/bin/python3
"""Dump every MIDI file in the given .tar.gz archives with mido, an
independent implementation of Standard MIDI Files, for format/midi's
cross-check test (TestMido).

Usage: /usr/bin/python3 mido_dump.py ARCHIVE.tar.gz...

For each .mid member it prints:

  F <archive-index> <member name>
  H <format> <ntracks> <ticks per beat>
  T <track index>                         then per message:
  <absolute tick> <hex>                   channel message: status and data bytes
  <absolute tick> m<type> <hex>           meta message: type, payload
  <absolute tick> s <hex>                 sysex: data without F0 and final F7
  P <track> <channel>                     then the notes of that track and channel:
  <start> <duration> <pitch> <velocity>   ticks rescaled to 960 per quarter
  X <error>                               when mido cannot read the file

Notes are paired here, independently of the Go code: per track, a note-on
with velocity above 0 starts a note, a note-off or note-on with velocity 0
ends the oldest sounding note of the same channel and pitch, and notes still
sounding at the end of the track end at the track's last tick.
"""

import io
import multiprocessing
import os
import sys
import tarfile
from collections import defaultdict, deque

import mido

PPQ = 960


def scale(t, div):
    # Round half up, as the Go code documents: floor((t*960 + div/2) / div).
    return (2 * t * PPQ + div) // (2 * div)


def meta_payload(msg):
    if msg.type == 'unknown_meta':
        return msg.type_byte, bytes(msg.data)
    b = msg.bytes()  # ff, type, length (variable-length), payload
    i = 2
    while b[i] & 0x80:
        i += 1
    return b[1], bytes(b[i + 1:])


def dump(out, ai, name, data):
    out.append('F %d %s' % (ai, name))
    try:
        mf = mido.MidiFile(file=io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 - any failure is reported, not fatal
        out.append('X %s' % str(e).replace('\n', ' '))
        return
    div = mf.ticks_per_beat
    out.append('H %d %d %d' % (mf.type, len(mf.tracks), div))
    groups = {}
    for ti, track in enumerate(mf.tracks):
        out.append('T %d' % ti)
        tick = 0
        sounding = defaultdict(deque)
        notes = defaultdict(list)
        for msg in track:
            tick += msg.time
            if msg.is_meta:
                typ, p = meta_payload(msg)
                out.append('%d m%d %s' % (tick, typ, p.hex()))
                continue
            if msg.type == 'sysex':
                out.append('%d s %s' % (tick, bytes(msg.data).hex()))
                continue
            out.append('%d %s' % (tick, bytes(msg.bytes()).hex()))
            if msg.type == 'note_on' and msg.velocity > 0:
                sounding[(msg.channel, msg.note)].append((tick, msg.velocity))
            elif msg.type in ('note_off', 'note_on'):
                q = sounding[(msg.channel, msg.note)]
                if q:
                    start, vel = q.popleft()
                    notes[msg.channel].append((start, tick, msg.note, vel))
        for (ch, note), q in sounding.items():
            for start, vel in q:
                notes[ch].append((start, tick, note, vel))
        for ch, ns in notes.items():
            groups[(ti, ch)] = ns
    for (ti, ch) in sorted(groups):
        out.append('P %d %d' % (ti, ch))
        rows = sorted((scale(s, div), scale(e, div) - scale(s, div), n, v) for s, e, n, v in groups[(ti, ch)])
        for r in rows:
            out.append('%d %d %d %d' % r)


def members(paths):
    for ai, path in enumerate(paths):
        with tarfile.open(path) as tar:
            for m in tar:
                base = m.name.rsplit('/', 1)[-1]
                if not m.isfile() or not m.name.lower().endswith(('.mid', '.midi')) or base.startswith('._'):
                    continue
                yield ai, m.name, tar.extractfile(m).read()


def dump_one(args):
    out = []
    dump(out, *args)
    return '\n'.join(out) + '\n'


def main():
    # mido is pure Python: parse on every core, print in archive order.
    with multiprocessing.Pool(os.cpu_count()) as pool:
        for text in pool.imap(dump_one, members(sys.argv[1:]), chunksize=8):
            sys.stdout.write(text)


if __name__ == '__main__':
    main()
