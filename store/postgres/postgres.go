// Package postgres keeps a ledger in a PostgreSQL database, for a
// project shared on a server (github.com/jackc/pgx/v5): the store
// `--store postgres://...` names.
//
// The database holds one table, ledger(seq, hash, body): the columns of
// a ledger.Row and nothing derived, the table the SQLite store has.
// Open makes it in the URL's schema (search_path) when it is not there,
// and refuses a table of that name that sideman did not make. A URL
// that does not parse, a server that cannot be reached or that refuses
// the user is a *ServerError: one line naming the server, the password
// left out.
//
// Appends are transactions under PostgreSQL's defaults (READ COMMITTED,
// synchronous_commit on: a batch is on the server's disk when Append
// returns). The primary key on seq is what keeps two writers apart: the
// one whose rows come second waits for the first to commit, then finds
// its sequence numbers taken and gets ErrConflict.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"sideman/ledger"
)

// Comment marks the table as a sideman ledger and gives its schema
// version.
const Comment = "sideman ledger, schema 1"

// page is how many rows Rows reads in one query: a reader that stops
// early leaves at most a page unread on the connection.
const page = 10000

// ServerError is a PostgreSQL server that cannot hold the ledger: a URL
// that does not parse, a server that cannot be reached or refuses the
// user, a table that is not a sideman ledger. URL is the server's
// address with any password left out; the message is one line.
type ServerError struct {
	URL string
	Err error
}

func (e *ServerError) Error() string {
	return e.URL + ": " + strings.ReplaceAll(e.Err.Error(), "\n", " ")
}

func (e *ServerError) Unwrap() error { return e.Err }

// Store is a ledger in a PostgreSQL database, safe for concurrent use.
type Store struct {
	name string // the URL without its password
	pool *pgxpool.Pool
}

var _ ledger.Store = (*Store)(nil)

// Open connects to the database rawURL names (postgres://user@host/db;
// ?host=/path for a Unix socket) and makes the ledger table there when
// it is missing.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	name := redact(rawURL)
	if !strings.HasPrefix(rawURL, "postgres://") && !strings.HasPrefix(rawURL, "postgresql://") {
		return nil, &ServerError{name, errors.New("not a postgres:// URL")}
	}
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, &ServerError{name, parseCause(err)}
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, &ServerError{name, cause(err)}
	}
	s := &Store{name: name, pool: pool}
	if err := s.setUp(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// setUp makes the table when it is missing and checks it when it is
// there, one Open at a time.
func (s *Store) setUp(ctx context.Context) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return s.connErr(ctx, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(1399082350)"); err != nil {
		return s.connErr(ctx, err)
	}
	var exists bool
	if err := tx.QueryRow(ctx, "SELECT to_regclass('ledger') IS NOT NULL").Scan(&exists); err != nil {
		return s.connErr(ctx, err)
	}
	if !exists {
		for _, q := range []string{
			"CREATE TABLE ledger (seq bigint PRIMARY KEY, hash text NOT NULL, body bytea NOT NULL)",
			"COMMENT ON TABLE ledger IS '" + Comment + "'",
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return s.connErr(ctx, err)
			}
		}
		return s.connErr(ctx, tx.Commit(ctx))
	}
	var comment, kind string
	if err := tx.QueryRow(ctx, "SELECT coalesce(obj_description('ledger'::regclass, 'pg_class'), ''), relkind::text FROM pg_class WHERE oid = 'ledger'::regclass").Scan(&comment, &kind); err != nil {
		return s.connErr(ctx, err)
	}
	rows, err := tx.Query(ctx, `SELECT attname || ' ' || format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN ' not null' ELSE '' END
		FROM pg_attribute WHERE attrelid = 'ledger'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`)
	if err != nil {
		return s.connErr(ctx, err)
	}
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return s.connErr(ctx, err)
	}
	if kind != "r" || comment != Comment || strings.Join(cols, ", ") != "seq bigint not null, hash text not null, body bytea not null" {
		return &ServerError{s.name, fmt.Errorf("the table ledger there is not a sideman ledger (%s)", strings.Join(cols, ", "))}
	}
	return nil
}

// connErr makes a failure to reach or use the server a ServerError; a
// cancelled context passes unchanged.
func (s *Store) connErr(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", s.name, ctx.Err())
	}
	return &ServerError{s.name, cause(err)}
}

// cause is the part of a pgx error that says what is wrong, without the
// layers around it: the server's message, or the innermost network error
// ("connection refused", "no such host").
func cause(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s (SQLSTATE %s)", pe.Message, pe.Code)
	}
	var ce *pgconn.ConnectError
	if !errors.As(err, &ce) {
		return err
	}
	// A connect error holds one error per address tried, each wrapped a
	// few times: the first network error says it.
	var oe *net.OpError
	var de *net.DNSError
	switch {
	case errors.As(err, &oe):
		return fmt.Errorf("cannot connect: %w", oe)
	case errors.As(err, &de):
		return fmt.Errorf("cannot connect: %w", de)
	}
	return fmt.Errorf("cannot connect: %w", err)
}

func parseCause(err error) error {
	var pe *pgconn.ParseConfigError
	if errors.As(err, &pe) && errors.Unwrap(pe) != nil {
		return fmt.Errorf("not a valid PostgreSQL URL: %w", errors.Unwrap(pe))
	}
	return errors.New("not a valid PostgreSQL URL")
}

// redact is the URL without its password, or a fixed word when it does
// not parse (it may hold one anyway).
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return "store URL"
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	params := strings.Split(u.RawQuery, "&")
	for i, p := range params {
		if strings.HasPrefix(p, "password=") {
			params[i] = "password=xxxxx"
		}
	}
	u.RawQuery = strings.Join(params, "&")
	return u.String()
}

// Name is the server and database, without the password.
func (s *Store) Name() string { return s.name }

// Append adds rows in one transaction; see ledger.Store.
func (s *Store) Append(ctx context.Context, rows []ledger.Row) error {
	if len(rows) == 0 {
		return nil
	}
	for _, r := range rows {
		if r.Seq > math.MaxInt64 {
			return fmt.Errorf("%s: sequence number %d is out of range", s.name, r.Seq)
		}
		if len(r.Body) == 0 || r.Hash == "" {
			return fmt.Errorf("%s: row %d has no body or no hash", s.name, r.Seq)
		}
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return s.fail(ctx, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var head int64
	if err := tx.QueryRow(ctx, "SELECT coalesce(max(seq), 0) FROM ledger").Scan(&head); err != nil {
		return s.fail(ctx, err)
	}
	for i, r := range rows {
		if want := uint64(head) + 1 + uint64(i); r.Seq != want {
			return fmt.Errorf("%s: row %d of the batch has sequence number %d, the ledger's next is %d: %w", s.name, i+1, r.Seq, want, ledger.ErrConflict)
		}
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"ledger"}, []string{"seq", "hash", "body"},
		pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
			return []any{int64(rows[i].Seq), rows[i].Hash, rows[i].Body}, nil
		}))
	if err != nil {
		return s.fail(ctx, err)
	}
	// Once every row is written, the commit is not cancelled halfway:
	// an error then would leave the caller not knowing whether the batch
	// is in.
	return s.fail(ctx, tx.Commit(context.WithoutCancel(ctx)))
}

// fail names the server in err; a primary key violation means another
// writer appended first (ErrConflict).
func (s *Store) fail(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return fmt.Errorf("%s: %s: %w", s.name, pe.Message, ledger.ErrConflict)
	}
	if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
		return fmt.Errorf("%s: %w (%v)", s.name, ctx.Err(), err)
	}
	return fmt.Errorf("%s: %w", s.name, err)
}

// Rows yields the rows after sequence number after, reading them a page
// at a time; see ledger.Store.
func (s *Store) Rows(ctx context.Context, after uint64) iter.Seq2[ledger.Row, error] {
	return func(yield func(ledger.Row, error) bool) {
		if after > math.MaxInt64 {
			return
		}
		last := int64(after)
		for {
			rows, err := s.pool.Query(ctx, "SELECT seq, hash, body FROM ledger WHERE seq > $1 ORDER BY seq LIMIT $2", last, page)
			if err != nil {
				yield(ledger.Row{}, s.fail(ctx, err))
				return
			}
			n := 0
			for rows.Next() {
				if err := ctx.Err(); err != nil {
					rows.Close()
					yield(ledger.Row{}, fmt.Errorf("%s: %w", s.name, err))
					return
				}
				var r ledger.Row
				if err := rows.Scan(&last, &r.Hash, &r.Body); err != nil {
					rows.Close()
					yield(ledger.Row{}, s.fail(ctx, err))
					return
				}
				r.Seq = uint64(last)
				n++
				if !yield(r, nil) {
					rows.Close()
					return
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				yield(ledger.Row{}, s.fail(ctx, err))
				return
			}
			if n < page {
				return
			}
		}
	}
}

// Head is the last row; see ledger.Store.
func (s *Store) Head(ctx context.Context) (ledger.Row, error) {
	var r ledger.Row
	var seq int64
	err := s.pool.QueryRow(ctx, "SELECT seq, hash, body FROM ledger ORDER BY seq DESC LIMIT 1").Scan(&seq, &r.Hash, &r.Body)
	if errors.Is(err, pgx.ErrNoRows) {
		return ledger.Row{}, nil
	}
	if err != nil {
		return ledger.Row{}, s.fail(ctx, err)
	}
	r.Seq = uint64(seq)
	return r, nil
}

// Close closes the connections; a second Close does nothing.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}
