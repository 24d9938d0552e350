// Package shareddata locates the shared corpora (../shared/data beside the
// repository) for tests and benchmarks, and reads members of the .tar.gz
// archives they come in without extracting them.
//
// The corpora are not part of the repository: tests that need them skip when
// they are missing, unless SIDEMAN_REQUIRE_DATA=1 asks for a failure instead
// (as CI does where the data is mounted).
package shareddata

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"sideman/internal/corpus"
)

// EnvRequire names the environment variable that turns a missing corpus
// from a skip into a failure when set to "1".
const EnvRequire = "SIDEMAN_REQUIRE_DATA"

// Required reports whether missing data must fail tests (SIDEMAN_REQUIRE_DATA=1).
func Required() bool { return os.Getenv(EnvRequire) == "1" }

// Dir returns the directory of one corpus under the shared data directory
// ("pop909", "groove-midi"). When it is missing the test is skipped, or
// fails when SIDEMAN_REQUIRE_DATA=1.
func Dir(tb testing.TB, sub string) string {
	tb.Helper()
	root, err := Root()
	if err == nil {
		d := filepath.Join(root, sub)
		fi, serr := os.Stat(d)
		if serr == nil && fi.IsDir() {
			return d
		}
		err = fmt.Errorf("testdata: corpus %q missing in %s", sub, root)
	}
	missing(tb, err)
	return ""
}

// File returns the path of one file under the shared data directory
// ("pop909/POP909-main.tar.gz"), skipping or failing like Dir when it is missing.
func File(tb testing.TB, rel string) string {
	tb.Helper()
	root, err := Root()
	if err == nil {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if _, serr := os.Stat(p); serr == nil {
			return p
		}
		err = fmt.Errorf("testdata: %s missing in %s", rel, root)
	}
	missing(tb, err)
	return ""
}

func missing(tb testing.TB, err error) {
	tb.Helper()
	if Required() {
		tb.Fatalf("%v (%s=1)", err, EnvRequire)
	}
	tb.Skipf("%v; skipping (set %s=1 to fail instead)", err, EnvRequire)
}

// The corpus locating and archive reading of package corpus, here for the
// tests that use them with Dir and File.
const EnvDir = corpus.EnvDir

// Member is corpus.Member.
type Member = corpus.Member

// SkipAll is corpus.SkipAll.
var SkipAll = corpus.SkipAll

// Root is corpus.Root.
func Root() (string, error) { return corpus.Root() }

// WalkTarGz is corpus.WalkTarGz.
func WalkTarGz(path string, keep func(name string) bool, fn func(m Member, r io.Reader) error) error {
	return corpus.WalkTarGz(path, keep, fn)
}

// ReadTarGz is corpus.ReadTarGz.
func ReadTarGz(path string, keep func(name string) bool) ([]Member, [][]byte, error) {
	return corpus.ReadTarGz(path, keep)
}

// HasSuffix is corpus.HasSuffix.
func HasSuffix(suffixes ...string) func(string) bool { return corpus.HasSuffix(suffixes...) }
