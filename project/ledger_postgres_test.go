package project

import (
	"context"
	"crypto/ed25519"
	"errors"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sideman/ledger"
	"sideman/store/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// A project whose ledger is kept in PostgreSQL (init --store) records
// and verifies as one with its own SQLite file does; the URL it keeps
// holds no password; a copy of the folder reaches the same ledger; a
// database that holds a ledger already is refused to a second project.
func TestProjectLedgerInPostgres(t *testing.T) {
	ctx := context.Background()
	key := testKey(1)
	pub := key.Public().(ed25519.PublicKey)
	url := pgtest.URL(t)
	// The server trusts its Unix socket, so a password given is not
	// needed again: the project must not keep it.
	u, err := neturl.Parse(url)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	u.User = neturl.UserPassword(q.Get("user"), "s3cret")
	q.Del("user")
	u.RawQuery = q.Encode()
	root, err := InitProjectStore(ctx, filepath.Join(t.TempDir(), "shared"), key, u.String())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(ledgerPath(root)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a project on PostgreSQL has a SQLite ledger too: %v", err)
	}
	kept, err := os.ReadFile(filepath.Join(root, MarkerDir, StoreFile))
	if err != nil || strings.Contains(string(kept), "s3cret") || !strings.HasPrefix(string(kept), "postgres://") {
		t.Fatalf("the project keeps %q (%v): want the URL without its password", kept, err)
	}
	head := command(t, root, key, func(p *Project) error {
		perf, err := p.Play(ctx, "../examples/blues-f.chart", PlayOptions{Seed: 3})
		if err != nil {
			return err
		}
		export(t, p, filepath.Join(root, "band.mid"), perf.EncodeMIDI)
		return nil
	})
	v, err := VerifyLedger(ctx, root, pub, head.Hash)
	if err != nil {
		t.Fatalf("verify: %v (store %s)", err, kept)
	}
	if v.Records < 3 || v.Checkpoints != 2 {
		t.Errorf("verified %d records, %d checkpoints; want the init's and the band's", v.Records, v.Checkpoints)
	}
	dst := filepath.Join(t.TempDir(), "copy")
	if out, err := exec.Command("cp", "-r", root, dst).CombinedOutput(); err != nil {
		t.Fatalf("cp -r: %v %s", err, out)
	}
	if w, err := VerifyLedger(ctx, dst, pub, head.Hash); err != nil || w.Records != v.Records {
		t.Errorf("the copied project: %+v, %v; want the same ledger", w, err)
	}
	_, err = VerifyLedger(ctx, root, testKey(2).Public().(ed25519.PublicKey), "")
	var ve *ledger.VerifyError
	if !errors.As(err, &ve) {
		t.Errorf("another user's key: %v, want a failed verification", err)
	}
	_, err = InitProjectStore(ctx, filepath.Join(t.TempDir(), "second"), key, url)
	if KindOf(err) != BadInput || !strings.Contains(err.Error(), "holds a ledger already") {
		t.Errorf("a second project on the same database: %v", err)
	}
	for _, bad := range []string{"mysql://x/y", "://"} {
		if _, err := InitProjectStore(ctx, filepath.Join(t.TempDir(), "bad"), key, bad); KindOf(err) != BadInput {
			t.Errorf("--store %q: %v, want bad input", bad, err)
		}
	}
}

// The URL a project keeps never holds the password it was made with.
func TestProjectStoreKeepsNoPassword(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "p")
	// The server cannot be reached (no such socket folder): init fails,
	// names the server without the password, and leaves no project.
	_, err := InitProjectStore(ctx, dir, testKey(1), "postgres://me:s3cret@localhost/db?host="+filepath.Join(t.TempDir(), "nosocket")+"&connect_timeout=2")
	if err == nil || strings.Contains(err.Error(), "s3cret") || strings.Count(err.Error(), "\n") > 0 {
		t.Fatalf("unreachable server: %v; want one line without the password", err)
	}
	if _, err := os.Stat(filepath.Join(dir, MarkerDir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed init left %s", filepath.Join(dir, MarkerDir))
	}
}
