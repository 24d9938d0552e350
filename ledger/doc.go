// Package ledger keeps a tamper-evident, note-level record of who made
// what: append-only records of every capture, generation and change,
// each holding the previous record's hash, checkpoints signed with the
// user's key, and the per-note classes derived from them (issue 16).
package ledger
