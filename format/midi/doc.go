// Package midi reads and writes Standard MIDI Files, as defined by the MIDI
// Manufacturers Association in "Standard MIDI Files 1.0" (RP-001, part of
// The Complete MIDI 1.0 Detailed Specification, 1996).
//
// The package works at two levels.
//
// The raw level, Decode and Encode, keeps a file as it is: the header's
// format (0, 1 or 2) and division (ticks per quarter note, or SMPTE frames
// and ticks per frame), and per track every event with its absolute tick,
// status byte and data: channel messages of all kinds, system exclusive
// messages (0xF0, and 0xF7 continuations and escapes), and meta events of
// every type, those it does not know kept as they are. It is built for
// reading whole corpora quickly: an Event is a 16-byte value without
// pointers, the events of a file live in one flat slice, and meta and
// system exclusive payloads are not copied but refer into the bytes the
// file was decoded from. A Decoder reuses that storage from one file to
// the next.
//
// The Piece level, DecodePiece and EncodePiece, turns a file into a
// music.Piece and back: note-on and note-off events paired into notes,
// ticks rescaled to music.PPQ, tempo, meter and key maps, markers, and one
// part per track and channel that has notes. EncodePiece also records each
// note's ID and Origin in the file, which PieceOptions.Provenance reads
// back, so that notes sideman exported can be traced when they return.
//
// The reader is lenient where the input is still unambiguous: running
// status carries across meta and sysex events, chunks of unknown type are
// skipped, bytes after the last track are ignored, a missing End of Track
// is accepted, and RIFF RMID files are unwrapped. Anything else malformed
// gives a *ParseError carrying the byte offset and the track where
// decoding stopped. Decoding never panics, whatever the input. Files over
// format.MaxSize bytes or MaxEvents events are refused.
package midi
