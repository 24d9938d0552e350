package ledger

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"
)

// MemStore is a Store in memory: for tests, and for work that records
// nothing lasting.
type MemStore struct {
	mu     sync.RWMutex
	rows   []Row
	closed bool
}

// NewMemStore returns an empty store in memory.
func NewMemStore() *MemStore { return &MemStore{} }

var errClosed = fmt.Errorf("ledger: store closed")

// Append adds rows atomically; their sequence numbers must follow the
// head's.
func (m *MemStore) Append(ctx context.Context, rows []Row) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return errClosed
	}
	next := uint64(len(m.rows)) + 1
	for i, r := range rows {
		if r.Seq != next+uint64(i) {
			return fmt.Errorf("ledger: row %d of the batch has sequence number %d, want %d: %w", i+1, r.Seq, next+uint64(i), ErrConflict)
		}
	}
	for _, r := range rows {
		r.Body = slices.Clone(r.Body)
		m.rows = append(m.rows, r)
	}
	return nil
}

// Rows yields the rows after sequence number after, in order; each Body
// is the caller's to keep.
func (m *MemStore) Rows(ctx context.Context, after uint64) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		for i := after; ; i++ {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					yield(Row{}, err)
					return
				}
			}
			m.mu.RLock()
			if m.closed {
				m.mu.RUnlock()
				yield(Row{}, errClosed)
				return
			}
			if i >= uint64(len(m.rows)) {
				m.mu.RUnlock()
				return
			}
			r := m.rows[i]
			m.mu.RUnlock()
			r.Body = slices.Clone(r.Body)
			if !yield(r, nil) {
				return
			}
		}
	}
}

// Head returns the last row (the zero Row when empty).
func (m *MemStore) Head(ctx context.Context) (Row, error) {
	if err := ctx.Err(); err != nil {
		return Row{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return Row{}, errClosed
	}
	if len(m.rows) == 0 {
		return Row{}, nil
	}
	r := m.rows[len(m.rows)-1]
	r.Body = slices.Clone(r.Body)
	return r, nil
}

// Close releases the store: later calls fail.
func (m *MemStore) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	return nil
}
