package postgres_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"sideman/ledger"
	"sideman/ledger/storetest"
	"sideman/store/postgres"
	"sideman/store/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// opener opens, for each test, one database: made by the first call,
// opened again by the later ones.
func opener() func(t *testing.T) ledger.Store {
	var mu sync.Mutex
	urls := map[*testing.T]string{}
	return func(t *testing.T) ledger.Store {
		t.Helper()
		mu.Lock()
		defer mu.Unlock() // URL may skip the test, ending its goroutine
		u, ok := urls[t]
		if !ok {
			u = pgtest.URL(t)
			urls[t] = u
		}
		s, err := postgres.Open(t.Context(), u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
}

func TestSuite(t *testing.T) { storetest.Run(t, opener()) }

// The table holds the Row's columns and nothing else.
func TestTable(t *testing.T) {
	u := pgtest.URL(t)
	s, err := postgres.Open(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	conn, err := pgx.Connect(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, _ := conn.Query(t.Context(), "SELECT column_name FROM information_schema.columns WHERE table_name = 'ledger' ORDER BY ordinal_position")
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || strings.Join(cols, ",") != "seq,hash,body" {
		t.Errorf("columns %v (%v), want seq, hash, body", cols, err)
	}
	var tables int
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&tables); err != nil || tables != 1 {
		t.Errorf("%d tables (%v), want one", tables, err)
	}
}

// Another program's table called ledger is refused and left alone.
func TestForeignTable(t *testing.T) {
	u := pgtest.URL(t)
	conn, err := pgx.Connect(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, q := range []string{
		"CREATE TABLE ledger (id serial PRIMARY KEY, amount numeric, memo text)",
		"INSERT INTO ledger (amount, memo) VALUES (12.5, 'rent')",
	} {
		if _, err := conn.Exec(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	s, err := postgres.Open(t.Context(), u)
	if err == nil {
		s.Close()
		t.Fatal("Open of a database with another program's ledger table succeeded")
	}
	checkOneLine(t, err, "not a sideman ledger")
	var memo string
	if err := conn.QueryRow(t.Context(), "SELECT memo FROM ledger").Scan(&memo); err != nil || memo != "rent" {
		t.Errorf("the foreign table changed: %q, %v", memo, err)
	}
}

// A wrong URL or a server that is not there: one line naming it, never
// the password.
func TestBadServer(t *testing.T) {
	// A port nothing listens on: one the system gave and took back.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	free := l.Addr().String()
	l.Close()
	for _, c := range []struct{ url, says string }{
		{"postgres://sideman:s3cret@" + free + "/ledger?connect_timeout=5", "connection refused"},
		{"postgres://sideman:s3cret@" + free + "/ledger?sslmode=bogus", "not a valid PostgreSQL URL"},
		{"mysql://sideman:s3cret@" + free + "/ledger", "not a postgres:// URL"},
		{"postgres://sideman:s3cret@[::1/ledger", "not a valid PostgreSQL URL"},
		{"postgres:///ledger?host=/nonexistent/sideman&user=x&password=s3cret", "cannot connect"},
	} {
		s, err := postgres.Open(t.Context(), c.url)
		if err == nil {
			s.Close()
			t.Errorf("Open(%s) succeeded", c.url)
			continue
		}
		var se *postgres.ServerError
		if !errors.As(err, &se) {
			t.Errorf("Open(%s): %v is not a *postgres.ServerError", c.url, err)
		}
		checkOneLine(t, err, c.says)
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
}

func checkOneLine(t *testing.T, err error, says string) {
	t.Helper()
	if msg := err.Error(); !strings.Contains(msg, says) || strings.Contains(msg, "\n") {
		t.Errorf("error %q: want one line saying %q", msg, says)
	}
}
