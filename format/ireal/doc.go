// Package ireal reads and writes iReal Pro links: the irealb:// (and older
// irealbook://) URLs in which iReal Pro shares a song or a playlist, as on
// the iReal Pro forums, in its exported HTML pages, and in
// ../shared/data/ireal-playlists.
//
// A link is URL-encoded text: songs separated by "===", the playlist name
// after the last; a song's fields separated by "=": title, composer, an
// unused field, style, key, transpose, chart, groove, tempo and repeats
// (irealbook:// links have title, composer, style, key, an unused field and
// the chart). The chart of an irealb:// link starts with "1r34LbKcu7" and is
// scrambled in 50-byte blocks, with "XyQ" standing for three spaces, "LZ"
// for " |" and "Kcl" for "| x". The field order, the scrambling and the symbols
// follow the public readers: infojunkie/ireal-musicxml (src/lib/parser.js,
// doc/irealpro.md), pianosnake/ireal-reader and ironss/accompaniser.
//
// The chart text is a grid of cells, 16 to a row, usually four to a bar:
// chords (C^7, Bb-7/Ab, F7alt, with "(Db7)" after one for an alternate,
// "*text*" for custom text), spaces (empty cells), barlines | [ ] { } Z,
// sections *A *B *i (intro) *v (verse), time signatures T44 T34 T68 T12
// (12/8), endings N1 N2 N3 (N0 the next one), segno S, coda Q, repeat
// signs x (one bar) and r (two bars), slashes p, N.C. n, W (the chord
// before over a new bass, as in "W/G"), s and l (small and large chords),
// fermata f, END U, vertical space Y, and comments <...>, from which the
// directions iReal Pro plays are read: "D.C. al Coda", "D.S. al Fine",
// "Fine", "3x" and the like.
//
// Decode turns each song into a music.Chart. Repeat signs are expanded into
// the chords they stand for. Chord positions come from the cells, after
// ireal-musicxml's model of iReal Pro's player: a chord lasts one cell plus
// the empty cells and slashes after it, a small chord one beat; a bar that
// comes out too long gives back cells, first chord first, one that comes
// out short hands them to its large chords, first chord first; a cell is a
// beat, but half a beat in 3/4 (two chords in four cells share a waltz bar
// evenly) and a dotted quarter in 12/8; a bar with more chords than beats is
// shared out evenly. Of several coda signs the last is the coda and the
// others the jumps to it; a lone one is the coda at the start of a bar and
// the jump after chords. "N1 ... ] N2", with no repeat sign, is a repeat. Title and composer are kept as iReal Pro
// writes them: "Gentle Rain, The", "Coltrane John". Style, key and tempo
// fill the chart's fields; groove, transpose and the number of choruses
// are not kept.
//
// Encode writes charts back as one irealb:// link that Decode reads to the
// same charts and iReal Pro imports.
package ireal
