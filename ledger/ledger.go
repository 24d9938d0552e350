package ledger

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"
)

// Ledger appends records to a Store and reads them back. It holds no
// key: checkpoints take the signing key as an argument, and Verify the
// public key, from whoever keeps them outside the project.
type Ledger struct {
	store Store
	// Clock gives the time of records appended with none (time.Now when
	// nil).
	Clock func() time.Time
}

// New returns a ledger over a store.
func New(s Store) *Ledger { return &Ledger{store: s} }

// Store returns the store the ledger appends to.
func (l *Ledger) Store() Store { return l.store }

// Head is the last record of a chain: its sequence number and hash (0 and
// "" for an empty ledger). Exports carry the hash.
type Head struct {
	Seq  uint64
	Hash string
}

// Head returns the ledger's head.
func (l *Ledger) Head(ctx context.Context) (Head, error) {
	row, err := l.store.Head(ctx)
	if err != nil {
		return Head{}, fmt.Errorf("ledger: head: %w", err)
	}
	return Head{row.Seq, row.Hash}, nil
}

// appendTries is how often Append chains its records again after another
// writer appended first.
const appendTries = 5

// Append adds records in one atomic batch: all of them or none. It fills
// in each record's Seq, Prev and Hash (and Time when zero, truncated to
// milliseconds in UTC otherwise) and returns the records as stored.
// Checkpoints are made by Checkpoint and AppendSigned, not here.
func (l *Ledger) Append(ctx context.Context, recs ...Record) ([]Record, error) {
	for i := range recs {
		if recs[i].Op == Checkpoint {
			return nil, fmt.Errorf("ledger: record %d of the batch: checkpoints are made by Checkpoint", i+1)
		}
	}
	return l.appendSigned(ctx, nil, recs)
}

// Checkpoint appends a checkpoint: the signature of the head's hash with
// the user's key.
func (l *Ledger) Checkpoint(ctx context.Context, key ed25519.PrivateKey) (Record, error) {
	out, err := l.appendSigned(ctx, key, nil)
	if err != nil {
		return Record{}, err
	}
	return out[0], nil
}

// AppendSigned appends records and a checkpoint that signs them, in one
// atomic batch: what a command does, so that its records are never left
// unsigned.
func (l *Ledger) AppendSigned(ctx context.Context, key ed25519.PrivateKey, recs ...Record) ([]Record, error) {
	if key == nil {
		return nil, errors.New("ledger: no signing key")
	}
	for i := range recs {
		if recs[i].Op == Checkpoint {
			return nil, fmt.Errorf("ledger: record %d of the batch: checkpoints are made by Checkpoint", i+1)
		}
	}
	return l.appendSigned(ctx, key, recs)
}

func (l *Ledger) appendSigned(ctx context.Context, key ed25519.PrivateKey, recs []Record) ([]Record, error) {
	if key != nil && len(key) != ed25519.PrivateKeySize {
		return nil, errors.New("ledger: the signing key is not an Ed25519 private key")
	}
	now := time.Now
	if l.Clock != nil {
		now = l.Clock
	}
	t := now().UTC().Truncate(time.Millisecond)
	for try := 0; ; try++ {
		head, err := l.store.Head(ctx)
		if err != nil {
			return nil, fmt.Errorf("ledger: head: %w", err)
		}
		if key != nil && head.Seq == 0 && len(recs) == 0 {
			return nil, errors.New("ledger: checkpoint of an empty ledger")
		}
		out := make([]Record, 0, len(recs)+1)
		rows := make([]Row, 0, len(recs)+1)
		seq, prev := head.Seq, head.Hash
		add := func(r Record) error {
			seq++
			r.Seq, r.Prev = seq, prev
			if r.Time.IsZero() {
				r.Time = t
			}
			r.Time = r.Time.UTC().Truncate(time.Millisecond)
			r.Notes, r.Before, r.After = slices.Clone(r.Notes), slices.Clone(r.Before), slices.Clone(r.After)
			body, err := Body(&r)
			if err != nil {
				return fmt.Errorf("ledger: record %d (%s): %w", seq, r.Op, err)
			}
			r.Hash = HashBody(body)
			prev = r.Hash
			out = append(out, r)
			rows = append(rows, Row{Seq: seq, Hash: r.Hash, Body: body})
			return nil
		}
		for _, r := range recs {
			if err := add(r); err != nil {
				return nil, err
			}
		}
		if key != nil {
			sig := ed25519.Sign(key, checkpointMessage(prev))
			if err := add(Record{Actor: System, Op: Checkpoint, Sig: &Signature{
				Key: KeyID(key.Public().(ed25519.PublicKey)), Value: hex.EncodeToString(sig),
			}}); err != nil {
				return nil, err
			}
		}
		err = l.store.Append(ctx, rows)
		if err == nil {
			return out, nil
		}
		if !errors.Is(err, ErrConflict) || try+1 == appendTries {
			return nil, fmt.Errorf("ledger: append: %w", err)
		}
	}
}

// checkpointMessage is what a checkpoint signs: the hash of the record
// before it, after a label that keeps the signature from meaning
// anything elsewhere.
func checkpointMessage(head string) []byte {
	return []byte("sideman ledger checkpoint\n" + head)
}

// KeyID names a public key: the hex SHA-256 of its 32 bytes.
func KeyID(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:])
}

// Records yields the records after sequence number after, decoded from
// their rows: each body must be canonical and hash to its row's hash.
// Verify checks the chain; Records reads it.
func (l *Ledger) Records(ctx context.Context, after uint64) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for row, err := range l.store.Rows(ctx, after) {
			if err != nil {
				yield(Record{}, fmt.Errorf("ledger: %w", err))
				return
			}
			r, err := decodeRow(row)
			if err != nil {
				yield(Record{}, err)
				return
			}
			if !yield(r, nil) {
				return
			}
		}
	}
}

// decodeRow decodes a row's body, checking it against the row's hash and
// sequence number.
func decodeRow(row Row) (Record, error) {
	sum := sha256.Sum256(row.Body)
	var h [2 * sha256.Size]byte
	hex.Encode(h[:], sum[:])
	if string(h[:]) != row.Hash {
		return Record{}, &VerifyError{row.Seq, "its body does not hash to its hash: the record was edited"}
	}
	r, err := decodeBody(row.Body)
	if err != nil {
		return Record{}, &VerifyError{row.Seq, "its body: " + err.Error()}
	}
	if r.Seq != row.Seq {
		return Record{}, &VerifyError{row.Seq, fmt.Sprintf("its body says it is record %d", r.Seq)}
	}
	r.Hash = row.Hash
	return r, nil
}
