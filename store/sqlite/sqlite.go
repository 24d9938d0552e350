// Package sqlite keeps a ledger in one SQLite file (modernc.org/sqlite,
// pure Go, no cgo), the store a project keeps at DIR/.sideman/ledger.db.
//
// The file holds one table, ledger(seq, hash, body): the columns of a
// ledger.Row and nothing derived. Its header carries sideman's
// application id and a schema version, so a file that is not a ledger
// (another program's SQLite database, a file that is not SQLite, a
// damaged one) is refused with a *FileError naming it, and never
// changed: Open writes nothing to a file it does not recognise, and
// nothing here repairs a file by making it again.
//
// Crash safety. The file is in WAL mode (journal_mode=WAL, kept in the
// file): a commit appends to the write-ahead log and readers keep
// reading while a batch is written. Every connection sets
// synchronous=FULL, so each committed batch is synced to the log before
// Append returns and survives a power cut, not only a killed process
// (NORMAL, the usual WAL setting, can lose the last commits then);
// a killed writer loses at most the batch it had not committed.
// busy_timeout=10000 makes a second writer wait for the first one's
// batch instead of failing, so it sees the new head and gets
// ErrConflict; appends begin IMMEDIATE so that two writers cannot both
// read the same head. trusted_schema=OFF keeps SQL functions in a
// tampered schema from running, and cell_size_check=ON makes SQLite
// check each page it reads for damage more thoroughly.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"

	"sideman/ledger"
)

// ApplicationID is the SQLite application id in a ledger's header
// ("SdMn"), telling a sideman ledger from other SQLite files.
const ApplicationID = 0x53644d6e

// Version is the schema version (PRAGMA user_version) this package
// writes and reads.
const Version = 1

const schema = `CREATE TABLE ledger (
	seq  INTEGER PRIMARY KEY,
	hash TEXT NOT NULL,
	body BLOB NOT NULL
)`

// FileError is a file that cannot be a ledger: missing, not SQLite,
// another program's database, damaged, or made by a newer sideman. Its
// message is one line naming the file; errors.Is(err, fs.ErrNotExist)
// tells a missing file.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string {
	return e.Path + ": " + strings.ReplaceAll(e.Err.Error(), "\n", " ")
}

func (e *FileError) Unwrap() error { return e.Err }

// Store is a ledger in a SQLite file. It is safe for concurrent use, and
// several Stores (in one process or several) may open the same file.
type Store struct {
	path  string
	db    *sql.DB
	close sync.Once
	err   error
}

var _ ledger.Store = (*Store)(nil)

// Create makes a new, empty ledger at path, which must not exist yet
// (its folder must).
func Create(ctx context.Context, path string) (*Store, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, &FileError{path, errors.New("already exists; not making a new ledger over it")}
		}
		return nil, &FileError{path, unwrapPath(err)}
	}
	if err := f.Close(); err != nil {
		return nil, &FileError{path, err}
	}
	db, err := open(path, "rw")
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	s := &Store{path: path, db: db}
	if err := s.initialise(ctx); err != nil {
		db.Close()
		removeAll(path) // only what Create made: the file was new and empty
		return nil, err
	}
	return s, nil
}

func (s *Store) initialise(ctx context.Context) error {
	// journal_mode cannot change inside a transaction; WAL first, then
	// the header and the table in one.
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode); err != nil {
		return s.fail(err)
	}
	if mode != "wal" {
		return &FileError{s.path, fmt.Errorf("cannot use WAL mode (journal mode %s)", mode)}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.fail(err)
	}
	defer tx.Rollback()
	for _, q := range []string{
		fmt.Sprintf("PRAGMA application_id=%d", ApplicationID),
		fmt.Sprintf("PRAGMA user_version=%d", Version),
		schema,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return s.fail(err)
		}
	}
	return s.fail(tx.Commit())
}

// Open opens the ledger at path, which must exist. A file that is not a
// sideman ledger is left as it is and reported as a *FileError.
func Open(ctx context.Context, path string) (*Store, error) {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, &FileError{path, unwrapPath(err)}
	case !fi.Mode().IsRegular():
		return nil, &FileError{path, errors.New("not a file")}
	case fi.Size() == 0:
		return nil, &FileError{path, errors.New("empty file, not a sideman ledger")}
	}
	// Look at the file read-only first: nothing is written to a file
	// that turns out not to be a ledger (a read-write open would convert
	// nothing, but closing it could checkpoint another program's log).
	ro, err := open(path, "ro")
	if err != nil {
		return nil, err
	}
	s := &Store{path: path, db: ro}
	err = s.identify(ctx)
	ro.Close()
	if err != nil {
		return nil, err
	}
	db, err := open(path, "rw")
	if err != nil {
		return nil, err
	}
	s = &Store{path: path, db: db}
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		db.Close()
		return nil, s.fail(err)
	}
	if mode != "wal" {
		// Ours (identify said so), switched out of WAL by something
		// else: switching back changes how it is written, not what.
		if err := db.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode); err != nil || mode != "wal" {
			db.Close()
			return nil, &FileError{path, fmt.Errorf("cannot use WAL mode (journal mode %s, %v)", mode, err)}
		}
	}
	return s, nil
}

// identify checks that the file is a sideman ledger this version reads:
// the application id, the schema version, and one table, ours.
func (s *Store) identify(ctx context.Context) error {
	var app, version int64
	if err := s.db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&app); err != nil {
		return s.fail(err)
	}
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return s.fail(err)
	}
	if app != ApplicationID {
		return &FileError{s.path, fmt.Errorf("a SQLite database but not a sideman ledger (application id %#x)", app)}
	}
	if version > Version {
		return &FileError{s.path, fmt.Errorf("ledger schema version %d is newer than this sideman reads (%d): use a newer sideman", version, Version)}
	}
	if version < 1 {
		return &FileError{s.path, fmt.Errorf("ledger schema version %d is not one sideman wrote", version)}
	}
	rows, err := s.db.QueryContext(ctx, "SELECT type, name, coalesce(sql, '') FROM sqlite_schema")
	if err != nil {
		return s.fail(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			return s.fail(err)
		}
		if typ != "table" || name != "ledger" || text != schema {
			return &FileError{s.path, fmt.Errorf("unexpected %s %q in a ledger file (a ledger holds one table, ledger(seq, hash, body))", typ, name)}
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return s.fail(err)
	}
	if n != 1 {
		return &FileError{s.path, errors.New("the ledger table is missing")}
	}
	return nil
}

// open opens a database/sql pool on the file at path in mode ro or rw
// (never creating it), every connection set up as the package comment
// says.
func open(path, mode string) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &FileError{path, err}
	}
	q := url.Values{}
	q.Set("mode", mode)
	q.Set("_txlock", "immediate")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "trusted_schema(OFF)")
	q.Add("_pragma", "cell_size_check(ON)")
	dsn := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, &FileError{path, err}
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(2)
	return db, nil
}

// fail names the file in err when SQLite says the file is damaged or not
// a database; other errors (a cancelled context) pass unchanged.
func (s *Store) fail(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3lib.SQLITE_NOTADB:
			return &FileError{s.path, errors.New("not a SQLite database (nor a sideman ledger)")}
		case sqlite3lib.SQLITE_CORRUPT:
			return &FileError{s.path, errors.New("the ledger file is damaged (SQLite reports corruption); restore it from a copy")}
		case sqlite3lib.SQLITE_CANTOPEN:
			return &FileError{s.path, fmt.Errorf("cannot open: %v", err)}
		}
	}
	return fmt.Errorf("%s: %w", s.path, err)
}

// Path is the file the ledger is in.
func (s *Store) Path() string { return s.path }

// Append adds rows in one transaction; see ledger.Store.
func (s *Store) Append(ctx context.Context, rows []ledger.Row) error {
	if len(rows) == 0 {
		return nil
	}
	for _, r := range rows {
		if r.Seq > math.MaxInt64 {
			return fmt.Errorf("%s: sequence number %d is out of range", s.path, r.Seq)
		}
		if len(r.Body) == 0 {
			return fmt.Errorf("%s: row %d has no body", s.path, r.Seq)
		}
	}
	tx, err := s.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: the write lock first
	if err != nil {
		return s.fail(err)
	}
	defer tx.Rollback()
	var head int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM ledger").Scan(&head); err != nil {
		return s.fail(err)
	}
	for i, r := range rows {
		if want := uint64(head) + 1 + uint64(i); r.Seq != want {
			return fmt.Errorf("%s: row %d of the batch has sequence number %d, the ledger's next is %d: %w", s.path, i+1, r.Seq, want, ledger.ErrConflict)
		}
	}
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO ledger (seq, hash, body) VALUES (?, ?, ?)")
	if err != nil {
		return s.fail(err)
	}
	defer stmt.Close()
	for _, r := range rows {
		if _, err := stmt.ExecContext(ctx, int64(r.Seq), r.Hash, r.Body); err != nil {
			return s.fail(err)
		}
	}
	return s.fail(tx.Commit())
}

// Rows yields the rows after sequence number after; see ledger.Store.
func (s *Store) Rows(ctx context.Context, after uint64) iter.Seq2[ledger.Row, error] {
	return func(yield func(ledger.Row, error) bool) {
		if after > math.MaxInt64 {
			return
		}
		rows, err := s.db.QueryContext(ctx, "SELECT seq, hash, body FROM ledger WHERE seq > ? ORDER BY seq", int64(after))
		if err != nil {
			yield(ledger.Row{}, s.fail(err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			if err := ctx.Err(); err != nil {
				yield(ledger.Row{}, err)
				return
			}
			var r ledger.Row
			var seq int64
			if err := rows.Scan(&seq, &r.Hash, &r.Body); err != nil {
				yield(ledger.Row{}, s.fail(err))
				return
			}
			r.Seq = uint64(seq)
			if !yield(r, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(ledger.Row{}, s.fail(err))
		}
	}
}

// Head is the last row; see ledger.Store.
func (s *Store) Head(ctx context.Context) (ledger.Row, error) {
	var r ledger.Row
	var seq int64
	err := s.db.QueryRowContext(ctx, "SELECT seq, hash, body FROM ledger ORDER BY seq DESC LIMIT 1").Scan(&seq, &r.Hash, &r.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return ledger.Row{}, nil
	}
	if err != nil {
		return ledger.Row{}, s.fail(err)
	}
	r.Seq = uint64(seq)
	return r, nil
}

// Check reads every page of the file and checks SQLite's structure
// (PRAGMA quick_check): damage where no read has gone yet (Append reads
// only the last page) is a *FileError. It takes about as long as reading
// every row; ledger verify reads every row anyway.
func (s *Store) Check(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return s.fail(err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return s.fail(err)
		}
		if line != "ok" && len(problems) < 3 {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return s.fail(err)
	}
	if len(problems) > 0 {
		return &FileError{s.path, fmt.Errorf("the ledger file is damaged (%s); restore it from a copy", strings.Join(problems, "; "))}
	}
	return nil
}

// Close closes the file; a second Close does nothing.
func (s *Store) Close() error {
	s.close.Do(func() { s.err = s.db.Close() })
	return s.err
}

// unwrapPath drops the *fs.PathError around err: FileError names the
// file already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// removeAll removes the file a failed Create made, with its log.
func removeAll(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
}
