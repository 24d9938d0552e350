package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"sideman/format/midi"
	"sideman/identity"
	"sideman/project"
	"sideman/store/sqlite"
)

// crashChild is the environment variable that makes the test binary a
// sideman playing bands into a project until it is killed (TestMain).
const crashChild = "SIDEMAN_TEST_LEDGER_CRASH_CHILD"

func TestMain(m *testing.M) {
	if root := os.Getenv(crashChild); root != "" {
		crashLoop(root)
		return
	}
	os.Exit(m.Run())
}

// crashLoop plays long bands into the project at root, one command after
// another, and prints the ledger's head after each: what the parent may
// count on once it has read the line.
func crashLoop(root string) {
	for i := 0; ; i++ {
		var errs bytes.Buffer
		out := filepath.Join(root, fmt.Sprintf("band%d.mid", i%3))
		if st := run([]string{"band", "../../examples/rhythm-changes-bb.chart", "--project", root, "--choruses", "16", "--seed", fmt.Sprint(i), "-o", out}, os.Stdout, &errs); st != 0 {
			fmt.Fprintf(os.Stderr, "child: band: %d %s", st, errs.String())
			os.Exit(3)
		}
		s, err := sqlite.Open(context.Background(), filepath.Join(root, ".sideman", "ledger.db"))
		if err != nil {
			os.Exit(4)
		}
		h, err := s.Head(context.Background())
		s.Close()
		if err != nil {
			os.Exit(5)
		}
		fmt.Printf("committed %d %s\n", h.Seq, h.Hash)
	}
}

// userHome points the identity folder at a temporary one, never the
// user's own.
func userHome(t *testing.T) string {
	t.Helper()
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("HOME", t.TempDir())
	return cfg
}

func runSideman(t *testing.T, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	status = run(args, &out, &errs)
	return status, out.String(), errs.String()
}

func headOfFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := midi.DecodeBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return project.HeadOf(f)
}

func TestInitBandVerify(t *testing.T) {
	cfg := userHome(t)
	dir := filepath.Join(t.TempDir(), "blues")
	if st, out, errs := runSideman(t, "init", dir); st != 0 || !strings.Contains(out, "project made") {
		t.Fatalf("init: %d %q %q", st, out, errs)
	}
	if _, err := os.Stat(filepath.Join(cfg, "sideman", identity.KeyFile)); err != nil {
		t.Fatalf("init made no key in the identity folder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".sideman", "ledger.db")); err != nil {
		t.Fatalf("init made no ledger: %v", err)
	}
	mid := filepath.Join(dir, "blues.mid")
	if st, _, errs := runSideman(t, "band", "../../examples/blues-f.chart", "--project", dir, "-o", mid); st != 0 {
		t.Fatalf("band: %d %s", st, errs)
	}
	head := headOfFile(t, mid)
	if len(head) != 64 {
		t.Fatalf("the exported MIDI file carries head %q", head)
	}
	st, out, errs := runSideman(t, "ledger", "verify", "--project", dir, "--head", head)
	if st != 0 || !strings.Contains(out, "2 checkpoints") || !strings.Contains(out, head) {
		t.Fatalf("verify --head from the file: %d %q %q", st, out, errs)
	}
	// A head the ledger never held fails (exit 1), naming it.
	other := strings.Repeat("ab", 32)
	if st, _, errs := runSideman(t, "ledger", "verify", "--project", dir, "--head", other); st != 1 || !strings.Contains(errs, "verification failed") {
		t.Fatalf("verify --head of another history: %d %q; want 1", st, errs)
	}
	// A record edited in the file (a bass note's velocity): exit 1,
	// naming it. The file itself is still a sound ledger: not exit 2.
	if sq, err := exec.LookPath("sqlite3"); err == nil {
		db := filepath.Join(dir, ".sideman", "ledger.db")
		kept, err := os.ReadFile(db)
		if err != nil {
			t.Fatal(err)
		}
		edit := "update ledger set body = replace(body, ',79]', ',80]') where seq = 3;"
		if out, err := exec.Command(sq, db, edit).CombinedOutput(); err != nil {
			t.Fatalf("sqlite3: %v %s", err, out)
		}
		st, _, errs := runSideman(t, "ledger", "verify", "--project", dir)
		if st != 1 || !strings.Contains(errs, "record 3") {
			t.Fatalf("verify of an edited record: %d %q; want 1 naming record 3", st, errs)
		}
		if err := os.WriteFile(db, kept, 0o644); err != nil {
			t.Fatal(err)
		}
		if st, _, errs := runSideman(t, "ledger", "verify", "--project", dir); st != 0 {
			t.Fatalf("verify of the ledger put back: %d %q", st, errs)
		}
	}
	// Another user's key: exit 1, naming the first checkpoint.
	otherKey := filepath.Join(t.TempDir(), "other", "signing.key")
	if _, err := identity.Ensure(filepath.Dir(otherKey)); err != nil {
		t.Fatal(err)
	}
	if st, _, errs := runSideman(t, "ledger", "verify", "--project", dir, "--key", otherKey); st != 1 || !strings.Contains(errs, "record 2") {
		t.Fatalf("verify with another key: %d %q; want 1 naming record 2", st, errs)
	}
}

// Outside a project a command records nothing and makes no project.
func TestBandOutsideAProjectRecordsNothing(t *testing.T) {
	userHome(t)
	dir := t.TempDir()
	mid := filepath.Join(dir, "b.mid")
	if st, _, errs := runSideman(t, "band", "../../examples/blues-f.chart", "-o", mid); st != 0 {
		t.Fatalf("band: %d %s", st, errs)
	}
	if h := headOfFile(t, mid); h != "" {
		t.Errorf("a file made outside a project carries a ledger head %q", h)
	}
	if _, err := os.Stat(filepath.Join(dir, ".sideman")); err == nil {
		t.Errorf("band outside a project made one")
	}
}

func TestLedgerBadInput(t *testing.T) {
	userHome(t)
	notProject := t.TempDir()
	out := filepath.Join(t.TempDir(), "b.mid")
	for _, args := range [][]string{
		{"band", "../../examples/blues-f.chart", "--project", notProject, "-o", out},
		{"ledger", "verify", "--project", notProject},
		{"ledger", "verify", "--project", filepath.Join(notProject, "missing")},
	} {
		st, _, errs := runSideman(t, args...)
		if st != 2 || strings.Count(strings.TrimSpace(errs), "\n") != 0 || !strings.Contains(errs, "project") {
			t.Errorf("%v: %d %q; want one line about the project, exit 2", args, st, errs)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("band wrote %s for a project that is none", out)
	}

	// A damaged ledger, and another program's SQLite file: one line,
	// exit 2, the file left as it was and no output written.
	dir := filepath.Join(t.TempDir(), "song")
	if st, _, errs := runSideman(t, "init", dir); st != 0 {
		t.Fatal(errs)
	}
	db := filepath.Join(dir, ".sideman", "ledger.db")
	good, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	damaged := bytes.Clone(good)
	copy(damaged, "SQLite formaX 3\x00") // the header's magic string
	foreign := foreignSQLite(t)
	for name, b := range map[string][]byte{"damaged": damaged, "foreign": foreign} {
		if err := os.WriteFile(db, b, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"band", "../../examples/blues-f.chart", "--project", dir, "-o", out},
			{"ledger", "verify", "--project", dir},
		} {
			st, _, errs := runSideman(t, args...)
			if st != 2 || strings.Count(strings.TrimSpace(errs), "\n") != 0 || !strings.Contains(errs, "ledger.db") {
				t.Errorf("%s ledger, %s: %d %q; want one line naming ledger.db, exit 2", name, args[0], st, errs)
			}
		}
		if now, _ := os.ReadFile(db); !bytes.Equal(now, b) {
			t.Errorf("%s ledger: the file was changed", name)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s ledger: band wrote its output", name)
		}
	}
}

// foreignSQLite is another program's SQLite database, made by the
// system's sqlite3 when there is one, else by hand from a known one.
func foreignSQLite(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "other.db")
	sq, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("no sqlite3 to make another program's database")
	}
	if out, err := exec.Command(sq, path, "create table notes(x); insert into notes values(1);").CombinedOutput(); err != nil {
		t.Fatalf("sqlite3: %v %s", err, out)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A sideman killed (SIGKILL) in the middle of long generations leaves a
// ledger that verifies, holding every command it committed: at most the
// batch under way is lost. Kill points are drawn from a fixed seed.
func TestLedgerSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills a process several times")
	}
	userHome(t)
	dir := filepath.Join(t.TempDir(), "song")
	if st, _, errs := runSideman(t, "init", dir); st != 0 {
		t.Fatal(errs)
	}
	id, err := identity.Load(filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "sideman"))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(16, 5))
	const kills = 4
	for k := range kills {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChild+"="+dir)
		cmd.Dir, _ = os.Getwd()
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 100)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if strings.HasPrefix(sc.Text(), "committed ") {
					lines <- sc.Text()
				}
			}
			close(lines)
		}()
		// Let it commit at least one command, then kill it at a drawn
		// moment within the next ones.
		var last string
		select {
		case last = <-lines:
		case <-time.After(2 * time.Minute):
			cmd.Process.Kill()
			t.Fatalf("kill %d: the child committed nothing: %s", k, stderr.String())
		}
		time.Sleep(time.Duration(rng.IntN(1500)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		for l := range lines {
			last = l
		}
		cmd.Wait()
		var seq uint64
		var hash string
		if _, err := fmt.Sscanf(last, "committed %d %s", &seq, &hash); err != nil {
			t.Fatalf("kill %d: %q: %v", k, last, err)
		}
		v, err := project.VerifyLedger(context.Background(), dir, id.Public(), hash)
		if err != nil {
			t.Fatalf("kill %d: the ledger does not verify after SIGKILL: %v", k, err)
		}
		if v.Head.Seq < seq {
			t.Fatalf("kill %d: the ledger's head is record %d; the child had committed up to %d", k, v.Head.Seq, seq)
		}
		t.Logf("kill %d: %d records verify; the child had reported record %d committed", k, v.Records, seq)
	}
}
