#!/usr/bin/env python3
"""Write the hand-built MIDI files in this directory, byte by byte, so that
what each contains is written down here. The tests in format/midi check the
decoded content of each; FuzzDecode starts from all of them.

Run from this directory: python3 make_testdata.py
"""

import struct


def vlq(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.insert(0, (n & 0x7F) | 0x80)
        n >>= 7
    return bytes(out)


def chunk(kind, body):
    return kind + struct.pack('>I', len(body)) + body


def header(fmt, ntrks, div):
    return chunk(b'MThd', struct.pack('>HHH', fmt, ntrks, div))


def meta(delta, typ, data):
    return vlq(delta) + bytes([0xFF, typ]) + vlq(len(data)) + data


EOT = meta(0, 0x2F, b'')

# format0.mid: one track with every kind of event the standard defines.
t = b''.join([
    meta(0, 0x00, b'\x00\x07'),                    # sequence number 7
    meta(0, 0x01, b'text'),
    meta(0, 0x02, b'(c) nobody'),
    meta(0, 0x03, b'Format 0'),                     # track (sequence) name
    meta(0, 0x04, b'Piano'),
    meta(0, 0x05, b'la'),
    meta(0, 0x06, b'A'),                            # marker
    meta(0, 0x07, b'cue'),
    meta(0, 0x08, b'Grand'),
    meta(0, 0x09, b'Port A'),
    meta(0, 0x0F, b'reserved text'),
    meta(0, 0x20, b'\x00'),                         # channel prefix 0
    meta(0, 0x21, b'\x01'),                         # port 1
    meta(0, 0x51, b'\x07\xa1\x20'),                 # 500000 us: 120 bpm
    meta(0, 0x54, b'\x60\x00\x00\x00\x00'),         # SMPTE offset, 30 fps
    meta(0, 0x58, b'\x03\x02\x18\x08'),             # 3/4
    meta(0, 0x59, b'\xfd\x01'),                     # 3 flats, minor: C minor
    meta(0, 0x7F, b'\x00\x00\x41\x01\x02'),         # sequencer-specific, 3-byte ID
    meta(0, 0x60, b'\xde\xad'),                     # unknown meta type, kept raw
    vlq(0) + b'\xf0' + vlq(5) + b'\x7e\x7f\x09\x01\xf7',  # GM system on
    vlq(0) + b'\xf0' + vlq(2) + b'\x43\x12',        # sysex in packets: first...
    vlq(10) + b'\xf7' + vlq(3) + b'\x00\x01\xf7',   # ...and continuation
    vlq(0) + b'\xf7' + vlq(2) + b'\xf8\xfa',        # escape: real-time bytes
    vlq(0) + b'\xc0\x00',                           # program 0
    vlq(0) + b'\xb0\x07\x64',                       # volume 100
    vlq(0) + b'\x90\x3c\x40',                       # C4 on
    vlq(0) + b'\x40\x50',                           # E4 on, running status
    vlq(0) + b'\x43\x60',                           # G4 on, running status
    vlq(48) + b'\xa0\x3c\x10',                      # key pressure
    vlq(0) + b'\xd0\x20',                           # channel pressure
    vlq(0) + b'\xe0\x00\x40',                       # pitch bend centre
    vlq(48) + b'\x90\x3c\x00',                      # C4 off as velocity 0
    vlq(0) + b'\x40\x00',                           # E4 off, running status
    vlq(0) + b'\x80\x43\x40',                       # G4 off as note-off
    meta(0, 0x06, b'B'),                            # a meta event between...
    vlq(0) + b'\x3c\x00',                           # ...keeps running status (0x80)
    vlq(96) + b'\x99\x24\x7f',                      # kick on channel 10
    vlq(200) + b'\x89\x24\x00',                     # ...longer than 127 ticks
    EOT,
])
open('format0.mid', 'wb').write(header(0, 1, 96) + chunk(b'MTrk', t))

# format1.mid: a conductor track, a chunk of unknown type that readers must
# skip, and two tracks, one with overlapping notes of the same pitch and a
# note left sounding at its end.
cond = meta(0, 0x03, b'Song') + meta(0, 0x51, b'\x0f\x42\x40') + meta(0, 0x58, b'\x04\x02\x18\x08') + \
    meta(1920, 0x51, b'\x07\xa1\x20') + meta(0, 0x06, b'Bridge') + EOT
bass = meta(0, 0x03, b'Bass') + b'\x00\xc1\x20' + \
    b'\x00\x91\x28\x50' + b'\x83\x60\x28\x00' + b'\x00\x2b\x50' + b'\x83\x60\x2b\x00' + EOT
lead = meta(0, 0x03, b'Lead') + \
    b'\x00\x92\x48\x40' + b'\x60\x48\x50' + b'\x60\x48\x00' + b'\x60\x48\x00' + \
    b'\x00\x4c\x40' + vlq(960) + b'\xff\x2f\x00'
alien = chunk(b'XFIH', b'not a track')
open('format1.mid', 'wb').write(header(1, 3, 480) + chunk(b'MTrk', cond) + alien +
                                chunk(b'MTrk', bass) + chunk(b'MTrk', lead))

# format2.mid: two independent patterns.
pat = b'\x00\x99\x26\x64' + b'\x60\x26\x00' + EOT
open('format2.mid', 'wb').write(header(2, 2, 96) + chunk(b'MTrk', pat) + chunk(b'MTrk', pat))

# smpte.mid: 25 frames a second, 40 ticks a frame: 1000 ticks a second.
t = b'\x00\x90\x3c\x64' + vlq(500) + b'\x80\x3c\x40' + EOT
open('smpte.mid', 'wb').write(header(0, 1, 0xE728) + chunk(b'MTrk', t))

# rmid.rmi: format0.mid wrapped in a RIFF RMID file.
smf = open('format0.mid', 'rb').read()
data = b'data' + struct.pack('<I', len(smf)) + smf + (b'\x00' if len(smf) % 2 else b'')
open('rmid.rmi', 'wb').write(b'RIFF' + struct.pack('<I', 4 + len(data)) + b'RMID' + data)

# Malformed files: each must give an error, never a panic.
note = b'\x00\x90\x3c\x64' + b'\x60\x3c\x00' + EOT
open('bad-truncated.mid', 'wb').write((header(0, 1, 96) + chunk(b'MTrk', note))[:-5])
open('bad-running-status.mid', 'wb').write(header(0, 1, 96) + chunk(b'MTrk', b'\x00\x3c\x64' + EOT))
open('bad-chunk-length.mid', 'wb').write(header(0, 1, 96) + b'MTrk' + struct.pack('>I', 1000) + note)
open('bad-vlq.mid', 'wb').write(header(0, 1, 96) + chunk(b'MTrk', b'\xff\xff\xff\xff\x00\x90\x3c\x64' + EOT))
open('bad-smpte.mid', 'wb').write(header(0, 1, 0xE628) + chunk(b'MTrk', note))
