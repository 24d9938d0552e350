// Package music is the domain core of sideman: pitches with spelling,
// intervals, chord symbols, keys, meters, chord charts with their form, and
// notes that remember who made them.
//
// Time is integer ticks at PPQ (960) ticks per quarter note. Seconds appear
// only through a TempoMap, at the edges (audio, live input).
//
// Every Note carries a stable ID and an Origin. Operations in this package and
// in the generators built on it keep both; the authorship ledger relies on it.
//
// The package knows nothing of file formats: format/* packages decode into
// these types and encode from them.
package music
