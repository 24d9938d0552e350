// Package band turns chord charts into accompaniment: parts of notes, each
// note with a machine Origin naming the generator that made it.
//
// For now it holds BlockChords, the plain realisation `sideman convert`
// uses to write a chart as MIDI; the rhythm section (walking bass, comping,
// drums in many styles) grows here.
package band
