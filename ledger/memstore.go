package ledger

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"
	"sync/atomic"
)

// MemStore is a Store in memory: for tests, and for work that records
// nothing lasting. Open gives more handles on the same rows, as a second
// process opening the same database would have.
type MemStore struct {
	shared *memRows
	closed atomic.Bool
}

type memRows struct {
	mu   sync.RWMutex
	rows []Row
}

// NewMemStore returns an empty store in memory.
func NewMemStore() *MemStore { return &MemStore{shared: &memRows{}} }

// Open returns another handle on the same rows, open even when this one
// is closed.
func (m *MemStore) Open() *MemStore { return &MemStore{shared: m.shared} }

var errClosed = errors.New("ledger: store closed")

func (m *MemStore) usable(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if m.closed.Load() {
		return errClosed
	}
	return nil
}

// Append adds rows atomically; their sequence numbers must follow the
// head's, and each must have a body.
func (m *MemStore) Append(ctx context.Context, rows []Row) error {
	if err := m.usable(ctx); err != nil {
		return err
	}
	for i, r := range rows {
		if len(r.Body) == 0 || r.Hash == "" {
			return fmt.Errorf("ledger: row %d of the batch (record %d) has no body or no hash", i+1, r.Seq)
		}
	}
	s := m.shared
	s.mu.Lock()
	defer s.mu.Unlock()
	next := uint64(len(s.rows)) + 1
	for i, r := range rows {
		if r.Seq != next+uint64(i) {
			return fmt.Errorf("ledger: row %d of the batch has sequence number %d, want %d: %w", i+1, r.Seq, next+uint64(i), ErrConflict)
		}
	}
	for _, r := range rows {
		r.Body = slices.Clone(r.Body)
		s.rows = append(s.rows, r)
	}
	return nil
}

// Rows yields the rows after sequence number after, in order; each Body
// is the caller's to keep.
func (m *MemStore) Rows(ctx context.Context, after uint64) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		s := m.shared
		for i := after; ; i++ {
			if err := m.usable(ctx); err != nil {
				yield(Row{}, err)
				return
			}
			s.mu.RLock()
			if i >= uint64(len(s.rows)) {
				s.mu.RUnlock()
				return
			}
			r := s.rows[i]
			s.mu.RUnlock()
			r.Body = slices.Clone(r.Body)
			if !yield(r, nil) {
				return
			}
		}
	}
}

// Head returns the last row (the zero Row when empty).
func (m *MemStore) Head(ctx context.Context) (Row, error) {
	if err := m.usable(ctx); err != nil {
		return Row{}, err
	}
	s := m.shared
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(s.rows) == 0 {
		return Row{}, nil
	}
	r := s.rows[len(s.rows)-1]
	r.Body = slices.Clone(r.Body)
	return r, nil
}

// Close closes this handle: its later calls fail. The rows stay, for
// the store's other handles.
func (m *MemStore) Close() error {
	m.closed.Store(true)
	return nil
}
