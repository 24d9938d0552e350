// Package shareddata locates the shared corpora (../shared/data beside the
// repository) for tests and benchmarks, and reads members of the .tar.gz
// archives they come in without extracting them.
//
// The corpora are not part of the repository: tests that need them skip when
// they are missing, unless SIDEMAN_REQUIRE_DATA=1 asks for a failure instead
// (as CI does where the data is mounted). Each skip names the corpus and
// where it comes from, and is recorded in $SIDEMAN_SKIP_LOG when set, so
// that make test can say how many tests did not run and why
// (scripts/test-summary).
package shareddata

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
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
	missing(tb, sub, err)
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
	missing(tb, rel, err)
	return ""
}

// EnvSkipLog names the environment variable that, set to a file name, has
// every test skipped for a missing corpus append one line to that file:
// corpus, package directory, test and source, separated by tabs.
// make test sets it and scripts/test-summary counts the lines.
const EnvSkipLog = "SIDEMAN_SKIP_LOG"

// Source says where one corpus of the shared data comes from: the public
// repository and commit it was copied from, and its licence
// (../shared/data/README.md has the paths and the details).
type Source struct {
	URL     string
	Licence string
}

// Sources are the corpora the tests read, by directory under the shared
// data directory.
var Sources = map[string]Source{
	"bach-chorales":           {"https://github.com/craigsapp/bach-370-chorales/tree/0fd9e00542445a522c6030c80c687b874aa569d5", "CC BY-NC-SA 4.0"},
	"groove-midi":             {"https://github.com/zharry29/drums-with-llm/tree/476adbc938a600eaca26bbb02648e6127b5eca64/groove", "CC BY 4.0"},
	"impro-visor":             {"https://github.com/Impro-Visor/Impro-Visor/tree/550bbb554962249aceb0e82a72142e3e5b3c0d4a", "GPL-2.0"},
	"ireal-playlists":         {"https://github.com/infojunkie/ireal-musicxml/tree/3101d352e97ba196122362b17be5d13e7bf3473e/test/data", "GPL-3.0-only"},
	"irb-jazz":                {"https://github.com/shanahdt/smt_jazz_2019/tree/6775894f28c744a662fcd02dffec58a1c4ed8e99", "none stated"},
	"jazz-chord-progressions": {"https://github.com/carey-bunks/Jazz-Chord-Progressions-Corpus/tree/11479913082ec803819335f269051ea19890b091/SongDB", "none stated"},
	"jazz-standards":          {"https://github.com/mikeoliphant/JazzStandards/tree/47ca0d6b624514b065413ab3c480b36ed0c5b64e", "none stated"},
	"nottingham":              {"https://github.com/jukedeck/nottingham-dataset/tree/0992bb6cd864f6d4b90d6663e08c0ef53ffaa08f", "GPL-3.0"},
	"openewld":                {"https://github.com/00sapo/OpenEWLD/tree/ec03cbd809ca5296ee708591b970d0423dcbe31c", "MIT"},
	"pop909":                  {"https://github.com/music-x-lab/POP909-Dataset/tree/d83e6edba6872a704f5d3b8b32f5cb540088dae6", "MIT"},
	"vienna4x22":              {"https://github.com/CPJKU/vienna4x22/tree/decce458a2ae1fa41395fc71117180f91cff4aa4", "none stated"},
	"wjazzd":                  {"https://github.com/vincenzomadaghiele/MINGUS/tree/3c4ac1210c6b09cc9ed8f904a0bf49336a4fd5af/A_preprocessData/data/WjazzDBcsv", "ODbL 1.0"},
}

// Corpus returns the corpus a path under the shared data directory belongs
// to: its first element ("pop909" for "pop909/POP909-main.tar.gz").
func Corpus(rel string) string {
	c, _, _ := strings.Cut(filepath.ToSlash(filepath.Clean(rel)), "/")
	return c
}

// missing fails the test under SIDEMAN_REQUIRE_DATA=1; otherwise it records
// the skip in $SIDEMAN_SKIP_LOG and skips, naming the corpus and its source.
func missing(tb testing.TB, rel string, err error) {
	tb.Helper()
	if Required() {
		tb.Fatalf("%v (%s=1)", err, EnvRequire)
	}
	c := Corpus(rel)
	src := Sources[c].URL
	if src == "" {
		src = "../shared/data/README.md"
	}
	if lerr := recordSkip(c, tb.Name(), src); lerr != nil {
		tb.Errorf("shareddata: %s: %v", EnvSkipLog, lerr)
	}
	tb.Skipf("%v; skipping: needs %s from %s (README \"Data\"; set %s=1 to fail instead)", err, rel, src, EnvRequire)
}

// recordSkip appends one line to $SIDEMAN_SKIP_LOG when it is set. The
// test binaries of several packages append to the same file at once: one
// short write with O_APPEND keeps their lines whole.
func recordSkip(corpus, test, src string) error {
	name := os.Getenv(EnvSkipLog)
	if name == "" {
		return nil
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	line := strings.Join([]string{corpus, packageDir(), test, src}, "\t") + "\n"
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// packageDir is the directory of the package under test (go test runs a
// test binary in it) relative to the module root, or the directory itself
// when no go.mod is found above it.
func packageDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return "?"
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if rel, err := filepath.Rel(dir, wd); err == nil {
				return filepath.ToSlash(rel)
			}
			return wd
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return wd
		}
		dir = parent
	}
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

// Unpack writes the first n members of a shared archive whose names end
// in suffix to a new temporary folder of tb, flat (base names only), and
// returns the folder: a small corpus for a test of a command that reads
// folders.
func Unpack(tb testing.TB, rel, suffix string, n int) string {
	tb.Helper()
	arch := File(tb, rel)
	dir := tb.TempDir()
	err := WalkTarGz(arch, HasSuffix(suffix), func(m Member, r io.Reader) error {
		data, err := io.ReadAll(r)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, path.Base(m.Name)), data, 0o644)
		}
		if n--; err == nil && n == 0 {
			return SkipAll
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

// WJazzD is the Weimar Jazz Database's CSV export as the tests read it:
// each solo's melody and beats files by file name
// ("ArtPepper_Anthropology_FINAL.csv"), the names sorted. dir is the
// corpus folder (Dir(tb, "wjazzd")).
type WJazzD struct {
	Names         []string
	Melody, Beats map[string][]byte
}

// ReadWJazzD reads dir/wjazzd-csv.tar.gz whole.
func ReadWJazzD(dir string) (*WJazzD, error) {
	ms, data, err := ReadTarGz(filepath.Join(dir, "wjazzd-csv.tar.gz"), HasSuffix(".csv"))
	if err != nil {
		return nil, err
	}
	w := &WJazzD{Melody: map[string][]byte{}, Beats: map[string][]byte{}}
	for i, m := range ms {
		switch {
		case strings.Contains(m.Name, "csv_melody/"):
			w.Melody[path.Base(m.Name)] = data[i]
			w.Names = append(w.Names, path.Base(m.Name))
		case strings.Contains(m.Name, "csv_beats/"):
			w.Beats[path.Base(m.Name)] = data[i]
		}
	}
	slices.Sort(w.Names)
	return w, nil
}
