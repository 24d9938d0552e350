(title Blues for Testing)
(composer Sideman Tests)
(meter 4 4)
(key -1)
(tempo 160.0)
(style swing (swing 0.67))
(part
    (type chords)
    (title Untitled Part)
    (key -1)
)

(section (style swing))
F7 | Bb7 | F7 | Cm7 F7 |
Bb7 | Bo7 | F7 | D7#9 |
(section (style))
Gm7 | C7 | F7 D7 | Gm7 C7 |

(part
    (type melody)
    (title Chorus 1)
    (composer Sideman Tests)
    (instrument 11)
    (key -1)
)
// Twelve bars of melody: the first bar has a quarter, a dotted-eighth
// sixteenth pair, a triplet and a half-note tie into bar two.
 f4 a8.+16 c+8/3 d+8/3 eb+8/3 f+2+4 r4
 r1+1+1+1+1+1+1+1+1+1
