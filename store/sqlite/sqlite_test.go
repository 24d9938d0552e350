package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sideman/ledger"
	"sideman/ledger/storetest"
	"sideman/store/sqlite"
)

// opener opens, for each test, one ledger file: made by the first call,
// opened again by the later ones.
func opener() func(t *testing.T) ledger.Store {
	var mu sync.Mutex
	paths := map[*testing.T]string{}
	return func(t *testing.T) ledger.Store {
		t.Helper()
		mu.Lock()
		p, ok := paths[t]
		if !ok {
			p = filepath.Join(t.TempDir(), "ledger.db")
			paths[t] = p
		}
		mu.Unlock()
		var s *sqlite.Store
		var err error
		if ok {
			s, err = sqlite.Open(t.Context(), p)
		} else {
			s, err = sqlite.Create(t.Context(), p)
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
}

func TestSuite(t *testing.T) { storetest.Run(t, opener()) }

// The pragmas the package comment promises are in force on its
// connections, and the file says it is WAL.
func TestPragmas(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ledger.db")
	s, err := sqlite.Create(t.Context(), p)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Append(t.Context(), storetest.Chain(0, "", 3)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = sqlite.Open(t.Context(), p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// A second, plain connection reads what is in the file itself.
	db, err := sql.Open("sqlite", "file:"+p+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for q, want := range map[string]int64{"application_id": sqlite.ApplicationID, "user_version": sqlite.Version} {
		var got int64
		if err := db.QueryRow("PRAGMA " + q).Scan(&got); err != nil || got != want {
			t.Errorf("PRAGMA %s = %d (%v), want %d", q, got, err, want)
		}
	}
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q (%v), want wal", mode, err)
	}
	// The table has the Row's columns and nothing else.
	rows, err := db.Query("SELECT name FROM pragma_table_info('ledger') ORDER BY cid")
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		cols = append(cols, c)
	}
	rows.Close()
	if strings.Join(cols, ",") != "seq,hash,body" {
		t.Errorf("columns %v, want seq, hash, body", cols)
	}
}

// Files that are not ledgers are refused with one line naming them, and
// left byte for byte as they were.
func TestNotALedger(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	foreignDB := func(name string, setup ...string) string {
		p := filepath.Join(dir, name)
		db, err := sql.Open("sqlite", p)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range setup {
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		db.Close()
		return p
	}
	// A real ledger, then damaged in the middle of its table's pages.
	damaged := filepath.Join(dir, "damaged.db")
	s, err := sqlite.Create(t.Context(), damaged)
	if err != nil {
		t.Fatal(err)
	}
	all := storetest.Chain(0, "", 2000)
	if err := s.Append(t.Context(), all); err != nil {
		t.Fatal(err)
	}
	s.Close()
	data, err := os.ReadFile(damaged)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 100_000 {
		t.Fatalf("ledger of 2000 rows is %d bytes: was the log not checkpointed at Close?", len(data))
	}
	for i := 40_000; i < 60_000; i++ {
		data[i] = 0x5a
	}
	write("damaged.db", data)
	// A ledger whose header page is overwritten.
	headless := write("headless.db", append(bytes.Repeat([]byte{0xff}, 4096), data[4096:]...))

	newer := foreignDB("newer.db", "PRAGMA application_id=1399082350", "PRAGMA user_version=99",
		"CREATE TABLE ledger (seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, body BLOB NOT NULL)")
	extra := foreignDB("extra.db", "PRAGMA application_id=1399082350", "PRAGMA user_version=1",
		"CREATE TABLE ledger (\n\tseq  INTEGER PRIMARY KEY,\n\thash TEXT NOT NULL,\n\tbody BLOB NOT NULL\n)",
		"CREATE TABLE classes (note INTEGER, class TEXT)")
	for _, c := range []struct {
		name, path, says string
	}{
		{"missing", filepath.Join(dir, "none.db"), "no such file"},
		{"empty", write("empty.db", nil), "empty file"},
		{"text", write("notes.txt", []byte("C7 | F7 | C7 | C7 |\n")), "not a SQLite database"},
		{"midi", write("tune.mid", append([]byte("MThd\x00\x00\x00\x06\x00\x01\x00\x02\x01\xe0"), bytes.Repeat([]byte{0}, 600)...)), "not a SQLite database"},
		{"foreign", foreignDB("photos.db", "CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)", "INSERT INTO photos (path) VALUES ('a.jpg')"), "not a sideman ledger"},
		{"foreign WAL", foreignDB("wal.db", "PRAGMA journal_mode=WAL", "CREATE TABLE t (x)", "INSERT INTO t VALUES (1)"), "not a sideman ledger"},
		{"newer", newer, "newer than this sideman"},
		{"extra table", extra, `unexpected table "classes"`},
		{"header overwritten", headless, "not a SQLite database"},
		{"directory", dir, "not a file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, _ := os.ReadFile(c.path)
			s, err := sqlite.Open(t.Context(), c.path)
			if err == nil {
				s.Close()
				t.Fatalf("Open succeeded")
			}
			checkFileError(t, err, c.path, c.says)
			if c.name == "missing" && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("missing file: %v is not fs.ErrNotExist", err)
			}
			after, _ := os.ReadFile(c.path)
			if !bytes.Equal(before, after) {
				t.Errorf("Open changed the file it refused")
			}
			if _, err := os.Stat(c.path + "-wal"); err == nil && c.name != "foreign WAL" {
				t.Errorf("Open left a -wal file beside the file it refused")
			}
		})
	}
	// The damaged ledger opens (its header is sound) but reading it says
	// it is damaged, naming the file, and leaves it as it was.
	t.Run("damaged", func(t *testing.T) {
		s, err := sqlite.Open(t.Context(), damaged)
		if err != nil {
			checkFileError(t, err, damaged, "damaged")
			return
		}
		defer s.Close()
		n := 0
		for _, err = range s.Rows(t.Context(), 0) {
			if err != nil {
				break
			}
			n++
		}
		if err == nil {
			t.Fatalf("read %d rows of a damaged ledger without an error", n)
		}
		checkFileError(t, err, damaged, "damaged")
		err = s.Check(t.Context())
		checkFileError(t, err, damaged, "damaged")
		after, _ := os.ReadFile(damaged)
		if !bytes.Equal(after, data) {
			t.Errorf("a damaged ledger changed")
		}
	})
}

func checkFileError(t *testing.T, err error, path, says string) {
	t.Helper()
	var fe *sqlite.FileError
	if !errors.As(err, &fe) {
		t.Errorf("%v: not a *sqlite.FileError", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, path+": ") || !strings.Contains(msg, says) || strings.Contains(msg, "\n") {
		t.Errorf("error %q: want one line naming %s and saying %q", msg, path, says)
	}
}

// Create never makes a ledger over a file that is there.
func TestCreateExisting(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ledger.db")
	s, err := sqlite.Create(t.Context(), p)
	if err != nil {
		t.Fatal(err)
	}
	rows := storetest.Chain(0, "", 5)
	if err := s.Append(t.Context(), rows); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := sqlite.Create(t.Context(), p); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("Create over a ledger: %v, want already exists", err)
	}
	s, err = sqlite.Open(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Check(t.Context()); err != nil {
		t.Errorf("Check of a sound ledger: %v", err)
	}
	if h, err := s.Head(t.Context()); err != nil || h.Seq != 5 {
		t.Errorf("after a refused Create, head %d (%v), want 5", h.Seq, err)
	}
}
