package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// make demo's project: the lick recorded as the person's (H, every note
// of it), the trade's answers and the band the machine's, a ledger that
// verifies; run again it replaces its own demo project, and it leaves a
// folder that is not one untouched.
func TestDemoProject(t *testing.T) {
	userHome(t)
	dir := filepath.Join(t.TempDir(), "out", "demo-project")
	st, out, errs := runSideman(t, "demo", "--new-project", dir, "--soundfont", "")
	if st != 0 {
		t.Fatalf("demo: %d %s", st, errs)
	}
	if !regexp.MustCompile(`ledger verified: \d+ records, 3 checkpoints signed by you; trade.mid carries head [0-9a-f]{64}`).MatchString(out) {
		t.Errorf("the demo does not say its ledger verified behind trade.mid:\n%s", out)
	}
	lick := len(notesOf(t, filepath.Join(dir, "lick.mid")))
	row := func(part string) []int {
		m := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(part) + `\s+(\d+) notes\s+H\s+(\d+).*H\+alg\s+(\d+).*M\s+(\d+).*M\+h\s+(\d+)`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no %s line in:\n%s", part, out)
		}
		var n []int
		for _, s := range m[1:] {
			v, _ := strconv.Atoi(s)
			n = append(n, v)
		}
		return n
	}
	if w := row("author's part"); w[0] != lick || w[1] != lick {
		t.Errorf("the lick: %v, want all %d notes H", w, lick)
	}
	for _, part := range []string{"trade answers", "bass", "piano", "drums"} {
		if r := row(part); r[0] == 0 || r[3] != r[0] {
			t.Errorf("%s: %v, want M only", part, r)
		}
	}
	for _, f := range []string{"trade.mid", "authorship.md", "authorship.svg", "blues-f.chart"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	if st, _, errs := runSideman(t, "ledger", "verify", "--project", dir, "--head", headOfFile(t, filepath.Join(dir, "trade.mid"))); st != 0 {
		t.Fatalf("verify: %s", errs)
	}
	if st, _, errs := runSideman(t, "demo", "--new-project", dir, "--soundfont", ""); st != 0 {
		t.Fatalf("demo again: %d %s", st, errs)
	}
	mine := filepath.Join(filepath.Dir(dir), "mine")
	os.MkdirAll(mine, 0o755)
	os.WriteFile(filepath.Join(mine, "song.mid"), []byte("mine"), 0o644)
	if st, _, _ := runSideman(t, "demo", "--new-project", mine); st != 2 {
		t.Errorf("demo over a folder of the user's: status %d, want 2", st)
	}
	if b, err := os.ReadFile(filepath.Join(mine, "song.mid")); err != nil || string(b) != "mine" {
		t.Errorf("the user's file: %q %v", b, err)
	}
}
