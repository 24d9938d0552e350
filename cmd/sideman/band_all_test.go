package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tuneBook writes an ABC book of n short lead sheets with chords; the
// tunes listed in long last 400 bars at 20 beats a minute, longer than
// the hour sideman plays, so the band refuses them.
func tuneBook(t *testing.T, n int, long ...int) string {
	t.Helper()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "X:%d\nT:Tune %c's %d\nM:4/4\nL:1/8\n", i+1, 'A'+i%26, i)
		if slices.Contains(long, i) {
			b.WriteString("Q:1/4=20\nK:C\n\"C\"Z400|\n\n")
			continue
		}
		b.WriteString("K:F\n\"F\"A2 c2 \"D7\"d2 c2 | \"Gm7\"B2 G2 \"C7\"E2 G2 | \"F\"F8 |\n\n")
	}
	name := filepath.Join(t.TempDir(), "book.abc")
	if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// Every tune played: exit 0, one file a tune named by its index and
// title, progress a tenth at a time, and a last line saying where.
func TestBandAll(t *testing.T) {
	book := tuneBook(t, 20)
	dir := filepath.Join(t.TempDir(), "tunes")
	status, out, errs := sideman(t, "band", book, "--all", "--feel", "none", "--choruses", "2", "-o", dir+"/")
	if status != 0 || out != "" {
		t.Fatalf("status %d, stdout %q: %s", status, out, errs)
	}
	files := listDir(t, dir)
	if len(files) != 20 || files[0] != "00-Tune-As-0.mid" || files[19] != "19-Tune-Ts-19.mid" {
		t.Errorf("files %q", files)
	}
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	if len(lines) != 10 || lines[0] != "sideman: band --all: 2 of 20 tunes" || lines[9] != "sideman: band --all: 20 of 20 tunes written to "+dir+"/" {
		t.Errorf("stderr:\n%s", errs)
	}
}

// A tune the band refuses is reported in one line and skipped, the others
// written: exit 2, and no file, not even a temporary one, for it.
func TestBandAllRefusedTune(t *testing.T) {
	book := tuneBook(t, 3, 1)
	dir := filepath.Join(t.TempDir(), "tunes")
	status, _, errs := sideman(t, "band", book, "--all", "-o", dir)
	if status != 2 {
		t.Errorf("status %d, want 2: %s", status, errs)
	}
	if got, want := listDir(t, dir), []string{"0-Tune-As-0.mid", "2-Tune-Cs-2.mid"}; !slices.Equal(got, want) {
		t.Errorf("files %q, want %q", got, want)
	}
	var refused []string
	for _, l := range strings.Split(errs, "\n") {
		if strings.Contains(l, "not played") {
			refused = append(refused, l)
		}
	}
	if len(refused) != 2 || !strings.Contains(refused[0], `warning: tune 1 "Tune B's 1" not played: "Tune B's 1": lasts 80 minutes`) ||
		!strings.HasSuffix(refused[1], "book.abc: 1 of 3 tunes not played") || !strings.Contains(errs, "2 of 3 tunes written") {
		t.Errorf("stderr:\n%s", errs)
	}
}

// What --all refuses before it plays: exit 2, nothing made.
func TestBandAllUsage(t *testing.T) {
	book := tuneBook(t, 2)
	tmp := t.TempDir()
	file := filepath.Join(tmp, "taken")
	os.WriteFile(file, []byte("keep"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--all"}, "-o DIR/"},
		{[]string{"--all", "-o", "-"}, "-o DIR/"},
		{[]string{"--all", "-o", filepath.Join(tmp, "x"), "--tune", "1"}, "no --tune"},
		{[]string{"--all", "-o", filepath.Join(tmp, "x"), "--wav", filepath.Join(tmp, "x.wav")}, "no --wav"},
		{[]string{"--all", "-o", filepath.Join(tmp, "x"), "--json"}, "no --wav or --json"},
		{[]string{"--all", "-o", filepath.Join(tmp, "out.mid")}, "names a file"},
		{[]string{"--all", "-o", file}, "is not a folder"},
		{[]string{"--all", "-o", filepath.Join(tmp, "no", "such")}, "no folder"},
		{[]string{"--all", "-o", filepath.Join(tmp, "x"), "--style", "polka"}, "unknown style"},
		{[]string{"--all", "-o", filepath.Join(tmp, "x"), "--choruses", "99"}, "--choruses"},
	} {
		status, _, errs := sideman(t, append([]string{"band", book}, tc.args...)...)
		if status != 2 || !strings.Contains(errs, tc.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: status %d, stderr %q; want 2 and one line with %q", tc.args, status, errs, tc.want)
		}
	}
	if got := listDir(t, tmp); !slices.Equal(got, []string{"taken"}) {
		t.Errorf("made %q", got)
	}
	if b, _ := os.ReadFile(file); string(b) != "keep" {
		t.Errorf("the file -o named was changed")
	}
}
