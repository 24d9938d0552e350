package shareddata

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestWalkTarGz(t *testing.T) {
	path := File(t, "groove-midi/groove-v1.0.0-midionly.tar.gz")
	n := 0
	err := WalkTarGz(path, HasSuffix(".mid"), func(m Member, r io.Reader) error {
		b, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		if string(b[:4]) != "MThd" {
			t.Errorf("%s: starts %q, want MThd", m.Name, b[:4])
		}
		n++
		if n == 10 {
			return SkipAll
		}
		return nil
	})
	if err != nil || n != 10 {
		t.Fatalf("walked %d members, err %v; want 10, nil", n, err)
	}
}

func TestDirMissingSkips(t *testing.T) {
	// The skip of a real test, kept out of the log make test counts.
	t.Setenv(EnvRequire, "0")
	t.Setenv(EnvSkipLog, filepath.Join(t.TempDir(), "skips"))
	t.Setenv(EnvDir, filepath.Join(t.TempDir(), "nowhere"))
	ran := false
	t.Run("inner", func(t *testing.T) {
		Dir(t, "pop909")
		ran = true
	})
	if ran {
		t.Error("Dir returned for a missing data directory; want a skip")
	}
}

// fakeTB stands in for a test so that the skip and the failure of a
// missing corpus can both be seen from one test: Skipf and Fatalf record
// their message and stop the call like the real ones.
type fakeTB struct {
	testing.TB
	name        string
	skip, fatal string
	errs        []string
	stopped     bool
}

type stop struct{}

func (f *fakeTB) Helper()      {}
func (f *fakeTB) Name() string { return f.name }
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errs = append(f.errs, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Skipf(format string, args ...any) {
	f.skip = fmt.Sprintf(format, args...)
	panic(stop{})
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	panic(stop{})
}

// call runs fn as a test body would, returning what it returned, or ""
// when Skipf or Fatalf stopped it.
func (f *fakeTB) call(fn func(testing.TB) string) (got string) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stop); !ok {
				panic(r)
			}
			f.stopped = true
			got = ""
		}
	}()
	return fn(f)
}

// emptyData points SIDEMAN_DATA at an empty directory with only the
// corpora named made, and SIDEMAN_SKIP_LOG at a new file, which it returns.
func emptyData(t *testing.T, require string, present ...string) (root, log string) {
	t.Helper()
	root = t.TempDir()
	for _, c := range present {
		if err := os.MkdirAll(filepath.Join(root, c), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	log = filepath.Join(t.TempDir(), "skips")
	t.Setenv(EnvDir, root)
	t.Setenv(EnvRequire, require)
	t.Setenv(EnvSkipLog, log)
	return root, log
}

func TestMissingCorpusSkipsAndIsRecorded(t *testing.T) {
	root, log := emptyData(t, "0", "wjazzd")
	calls := []struct {
		test, corpus string
		fn           func(testing.TB) string
	}{
		{"TestA", "pop909", func(tb testing.TB) string { return Dir(tb, "pop909") }},
		{"TestB/sub", "groove-midi", func(tb testing.TB) string { return File(tb, "groove-midi/groove-v1.0.0-midionly.tar.gz") }},
		{"TestC", "nottingham", func(tb testing.TB) string { return Dir(tb, "nottingham/ABC_cleaned") }},
		{"TestD", "pop909", func(tb testing.TB) string { return File(tb, "pop909/POP909-main.tar.gz") }},
	}
	for _, c := range calls {
		f := &fakeTB{name: c.test}
		if got := f.call(c.fn); got != "" || !f.stopped {
			t.Errorf("%s: returned %q; want a skip", c.test, got)
		}
		if f.fatal != "" || len(f.errs) > 0 {
			t.Errorf("%s: failed (%q %q); want a skip", c.test, f.fatal, f.errs)
		}
		if src := Sources[c.corpus].URL; !strings.Contains(f.skip, src) {
			t.Errorf("%s: skip message %q does not say where %s comes from (%s)", c.test, f.skip, c.corpus, src)
		}
	}
	// A corpus that is there is returned, and nothing is recorded for it.
	f := &fakeTB{name: "TestE"}
	if got := f.call(func(tb testing.TB) string { return Dir(tb, "wjazzd") }); got != filepath.Join(root, "wjazzd") {
		t.Errorf("Dir(wjazzd) = %q, skip %q; want %s", got, f.skip, filepath.Join(root, "wjazzd"))
	}

	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != len(calls) {
		t.Fatalf("%s has %d lines; want one a skipped test (%d):\n%s", EnvSkipLog, len(lines), len(calls), b)
	}
	for i, l := range lines {
		got := strings.Split(l, "\t")
		want := []string{calls[i].corpus, "internal/shareddata", calls[i].test, Sources[calls[i].corpus].URL}
		if !slices.Equal(got, want) {
			t.Errorf("line %d: %q; want %q", i+1, got, want)
		}
	}

	// The summary make test prints counts the skips by corpus.
	out, err := exec.Command("sh", "../../scripts/test-summary", log).CombinedOutput()
	if err != nil {
		t.Fatalf("test-summary: %v\n%s", err, out)
	}
	for _, want := range []string{
		"test-summary: 4 tests skipped for missing data",
		"     2 tests skipped: corpus pop909 missing (get it from " + Sources["pop909"].URL + ")",
		"     1 test skipped: corpus groove-midi missing (get it from " + Sources["groove-midi"].URL + ")",
		"     1 test skipped: corpus nottingham missing",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("test-summary does not say %q:\n%s", want, out)
		}
	}
}

func TestMissingCorpusFailsWhenRequired(t *testing.T) {
	_, log := emptyData(t, "1")
	f := &fakeTB{name: "TestA"}
	f.call(func(tb testing.TB) string { return File(tb, "pop909/POP909-main.tar.gz") })
	if f.fatal == "" || f.skip != "" {
		t.Errorf("with %s=1: fatal %q, skip %q; want a failure", EnvRequire, f.fatal, f.skip)
	}
	if _, err := os.Stat(log); !os.IsNotExist(err) {
		t.Errorf("a failure was recorded as a skip in %s (%v)", EnvSkipLog, err)
	}
	out, err := exec.Command("sh", "../../scripts/test-summary", log).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "no test skipped") {
		t.Errorf("test-summary with no skips: %v\n%s", err, out)
	}
}

// The README's Data section names every corpus with the source the skips
// point to, so a newcomer reading either finds the same place.
func TestReadmeNamesEverySource(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for c, s := range Sources {
		row := ""
		for _, l := range strings.Split(readme, "\n") {
			if strings.HasPrefix(l, "| `"+c+"/") {
				row = l
			}
		}
		if row == "" {
			t.Errorf("README.md has no Data table row for %s/", c)
			continue
		}
		if !strings.Contains(row, s.URL) || !strings.Contains(row, s.Licence) {
			t.Errorf("README.md row for %s does not give %s (%s):\n%s", c, s.URL, s.Licence, row)
		}
	}
}
