package ledger

import (
	"context"
	"errors"
	"iter"
)

// Row is one ledger record as a store holds it: its sequence number, its
// body and its hash. Body is the record's canonical JSON (RFC 8785), the
// previous record's hash included and its own hash left out; Hash is the
// hex SHA-256 of Body. A store keeps nothing else about a record: what
// is derived from the records (a note's class, indexes, summaries) is
// recomputed from them, so verifying the rows verifies everything the
// store holds.
type Row struct {
	Seq  uint64
	Hash string
	Body []byte
}

// Store keeps a ledger's rows, append-only. Implementations (SQLite,
// PostgreSQL) pass one conformance suite, ledger/storetest.
type Store interface {
	// Append adds rows atomically: all of them or none. Their sequence
	// numbers must follow the head's one by one (the first row of an
	// empty store is 1); otherwise Append adds nothing and returns an
	// error wrapping ErrConflict (another writer got there first).
	Append(ctx context.Context, rows []Row) error
	// Rows yields the rows after sequence number after, in order. An
	// error ends the sequence.
	Rows(ctx context.Context, after uint64) iter.Seq2[Row, error]
	// Head is the last row; the zero Row when the store is empty.
	Head(ctx context.Context) (Row, error)
	// Close releases the store.
	Close() error
}

// ErrConflict is wrapped by Append when the rows do not follow the head.
var ErrConflict = errors.New("ledger: rows do not follow the head")
