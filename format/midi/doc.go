// Package midi reads and writes Standard MIDI Files, as defined by the MIDI
// Manufacturers Association in "Standard MIDI Files 1.0" (RP-001, part of
// The Complete MIDI 1.0 Detailed Specification, 1996).
//
// The package works at two levels.
//
// The raw level, Decode and Encode, keeps a file as it is: the header's
// format and division, and per track every event with its absolute tick,
// status byte and data. It is built for reading whole corpora quickly: an
// Event is a small fixed-size value without pointers, the events of a file
// live in one flat slice, and meta and system exclusive payloads are not
// copied but refer into the bytes the file was decoded from. A Decoder
// reuses that storage from one file to the next.
//
// The Piece level, DecodePiece and EncodePiece, turns a file into a
// music.Piece and back: note-on and note-off events paired into notes,
// ticks rescaled to music.PPQ, tempo, meter and key maps, markers, and one
// part per track and channel that has notes.
//
// Decoding never panics, whatever the input. Malformed input gives a
// *FormatError carrying the byte offset and the track where decoding
// stopped. Files over MaxFileSize bytes or MaxEvents events are refused.
package midi
