// Package ledger keeps a tamper-evident, note-level record of who made
// what: append-only records of every capture, generation and change,
// each holding the previous record's hash, checkpoints signed with the
// user's key, and the per-note classes derived from them (issue 16).
//
// A Record is one event (an Op by an Actor on notes, with their fields
// before and after, the IPTC digital source type and, for a machine, how
// it generated). Its body is its canonical JSON (RFC 8785, JSON
// Canonicalization Scheme) and its hash the SHA-256 of the body; a Store
// keeps only rows of bodies and hashes. A Ledger appends batches of
// records to a store, chaining and (AppendSigned) signing them with
// Ed25519 (RFC 8032); Verify recomputes every hash, link and signature
// from the rows with the public key it is given; Notes derives each
// note's class (H, H+alg, M, M+h) from the records. EncodeOrigin is the
// one canonical, hashable encoding of a music.Origin, which format/midi's
// provenance records use. docs/authorship.md describes the format.
package ledger
