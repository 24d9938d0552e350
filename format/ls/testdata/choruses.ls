(title Two Choruses)
(meter 3 4)
(key 2)
(tempo 120.0)
(part
    (type chords)
)
D | A7 / D | Em7 | A7 |
(part
    (type melody)
    (title Chorus 1)
    (composer Player One)
)
d2. e2 f#4 g2. a2.
(part
    (type melody)
    (title Chorus 2)
    (composer Impro-Visor)
)
v90 a+4 r2 a+2. r2. r2. b+2.
