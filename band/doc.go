// Package band plays a chord chart with a rhythm section: the form as
// played (intro, choruses, coda, ending, count-in, loops), the style
// (styles/*.style, docs/style-format.md) and the players it names, each
// note with a machine Origin naming the player and style that made it.
//
// A Player plays one instrument bar by bar: Band.Next asks every player
// of the line-up for the next bars, telling it what has been played so
// far (the human's notes too), so the same players serve a whole file
// (Play), a trade of fours and a live session. The players live in
// band/bass, band/comp and band/drums; band/lineup gathers them. Ids come
// from the music.IDs in Options, never renumbered.
//
// The band writes the written rhythm; package feel turns it into played
// time. BlockChords is the plain realisation `sideman convert` uses to
// write a chart as MIDI.
package band
