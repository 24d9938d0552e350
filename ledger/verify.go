package ledger

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// VerifyError names the first record that does not verify.
type VerifyError struct {
	Seq     uint64 // the record's sequence number (its row's)
	Problem string
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("ledger: record %d: %s", e.Seq, e.Problem)
}

// Verified is what Verify checked.
type Verified struct {
	Records     uint64
	Checkpoints uint64
	Head        Head
}

// Verify checks a ledger as a store holds it, recomputing everything
// from the rows' bodies: each body hashes to its row's hash, is the
// canonical JSON of a valid record and carries its row's sequence
// number; the sequence numbers run from 1 without a gap; each record
// holds the hash of the one before; each checkpoint's signature verifies
// with pub (the user's public key, never one the ledger holds); the last
// record is a checkpoint, so that no record is unsigned; and the store's
// head is the last row. Given head, the hash of a record that an export
// carried, the chain must hold that record: the history up to it is
// unchanged. The error, a *VerifyError where a record is at fault, names
// the first bad record.
func Verify(ctx context.Context, s Store, pub ed25519.PublicKey, head string) (Verified, error) {
	var v Verified
	if len(pub) != ed25519.PublicKeySize {
		return v, fmt.Errorf("ledger: verify: the public key is not an Ed25519 key")
	}
	if head != "" && !isHash(head) {
		return v, fmt.Errorf("ledger: verify: head %q is not a hex SHA-256", head)
	}
	var (
		prev       string
		lastSigned uint64
		headSeq    uint64
	)
	check := func(row *Row, c *checked) error {
		want := v.Records + 1
		switch {
		case row.Seq < want:
			return &VerifyError{row.Seq, fmt.Sprintf("a row with this number again, after record %d: inserted or out of order", v.Records)}
		case row.Seq > want:
			return &VerifyError{want, fmt.Sprintf("missing or out of order: record %d comes after record %d", row.Seq, v.Records)}
		case c.err != nil:
			return &VerifyError{row.Seq, c.err.Error()}
		case c.rec.Prev != prev:
			return &VerifyError{row.Seq, fmt.Sprintf("its previous hash is not record %d's: a record before it was changed, removed or inserted", v.Records)}
		}
		if c.rec.Op == Checkpoint { // its signature checked with the record
			lastSigned = row.Seq
			v.Checkpoints++
		}
		if row.Hash == head {
			headSeq = row.Seq
		}
		prev = row.Hash
		v.Records++
		v.Head = Head{row.Seq, row.Hash}
		return nil
	}
	batch := make([]Row, 0, verifyBatch)
	results := make([]checked, verifyBatch)
	flush := func() error {
		checkRows(batch, results, pub)
		for i := range batch {
			if err := check(&batch[i], &results[i]); err != nil {
				return err
			}
		}
		batch = batch[:0]
		return nil
	}
	for row, err := range s.Rows(ctx, 0) {
		if err != nil {
			if ferr := flush(); ferr != nil {
				return v, ferr
			}
			return v, fmt.Errorf("ledger: verify: reading record %d: %w", v.Records+1, err)
		}
		batch = append(batch, row)
		if len(batch) == verifyBatch {
			if err := flush(); err != nil {
				return v, err
			}
		}
	}
	if err := flush(); err != nil {
		return v, err
	}
	stored, err := s.Head(ctx)
	if err != nil {
		return v, fmt.Errorf("ledger: verify: head: %w", err)
	}
	if stored.Seq != v.Head.Seq || stored.Hash != v.Head.Hash {
		return v, fmt.Errorf("ledger: verify: the store's head is record %d (%.12s), its rows end at record %d (%.12s)", stored.Seq, stored.Hash, v.Head.Seq, v.Head.Hash)
	}
	if v.Records > lastSigned {
		what := "it"
		if v.Records > lastSigned+1 {
			what = fmt.Sprintf("records %d to %d", lastSigned+1, v.Records)
		}
		return v, &VerifyError{lastSigned + 1, "not signed: no checkpoint follows " + what}
	}
	if head != "" && headSeq == 0 {
		return v, fmt.Errorf("ledger: verify: no record has the head hash %.12s…: the history up to it was rewritten or cut", head)
	}
	return v, nil
}

// verifyBatch is how many rows Verify checks at once, spread over the
// processors: hashing and decoding are the work, the links are cheap.
const verifyBatch = 4096

// checked is a row's body checked on its own: the record it holds, or
// what is wrong with it.
type checked struct {
	rec Record
	err error
}

// checkRows hashes and decodes rows in parallel, and checks the
// signatures of checkpoints over the previous hashes they hold (which
// Verify then checks are the previous records' hashes).
func checkRows(rows []Row, out []checked, pub ed25519.PublicKey) {
	workers := min(runtime.GOMAXPROCS(0), (len(rows)+255)/256)
	if workers <= 1 {
		for i := range rows {
			out[i] = checkRow(&rows[i], pub)
		}
		return
	}
	var wg sync.WaitGroup
	per := (len(rows) + workers - 1) / workers
	for lo := 0; lo < len(rows); lo += per {
		hi := min(lo+per, len(rows))
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				out[i] = checkRow(&rows[i], pub)
			}
		})
	}
	wg.Wait()
}

func checkRow(row *Row, pub ed25519.PublicKey) checked {
	r, err := decodeRow(*row)
	if err != nil {
		return checked{err: fmt.Errorf("%s", err.(*VerifyError).Problem)}
	}
	if r.Op == Checkpoint {
		sig, err := hex.DecodeString(r.Sig.Value)
		if err != nil || !ed25519.Verify(pub, checkpointMessage(r.Prev), sig) {
			problem := "the checkpoint's signature does not verify with the given key"
			if id := KeyID(pub); r.Sig.Key != id {
				problem += fmt.Sprintf(" (it names key %.12s…, the given key is %.12s…)", r.Sig.Key, id)
			}
			return checked{err: errors.New(problem)}
		}
	}
	return checked{rec: r}
}
