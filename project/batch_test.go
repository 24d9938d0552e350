package project

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sideman/format/chart"
	"sideman/internal/shareddata"
	"sideman/music"
)

// book is a tune book of our own: lead sheets with chords, a tune longer
// than the hour sideman plays (400 bars at 20 beats a minute: the band
// refuses it), and a title of more than letters.
const book = `X:1
T:Little Head
M:4/4
L:1/8
K:F
|: "F"A2 c2 "D7"d2 c2 | "Gm7"B2 G2 "C7"E2 G2 :| "F"F8 |

X:2
T:Too Long
M:4/4
L:1/8
Q:1/4=20
K:C
"C"Z400|

X:3
T:Don't Blame Me / Ça Va?
M:3/4
L:1/8
K:G
"G"G2 B2 d2 | "D7"A2 F2 D2 | "G"G6 |
`

// reporter keeps what a project reports; called from more than one
// goroutine, it is a race the race detector finds.
type reporter struct {
	warnings []Warning
	progress []float64
}

func (r *reporter) Warn(w Warning)                            { r.warnings = append(r.warnings, w) }
func (r *reporter) Progress(task string, done, total float64) { r.progress = append(r.progress, done) }

func writeBook(t *testing.T) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "book.abc")
	if err := os.WriteFile(name, []byte(book), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// files lists a folder, hidden files (temporary ones) too.
func files(t *testing.T, dir string) []string {
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

// Every tune the band can play is written, named by index and title; the
// one it cannot is reported in one warning and leaves no file, and the
// error counts it as bad input.
func TestPlayAll(t *testing.T) {
	name := writeBook(t)
	dir := filepath.Join(t.TempDir(), "out")
	r := &reporter{}
	p := &Project{Report: r}
	b, err := p.PlayAll(context.Background(), name, PlayAllOptions{PlayOptions: PlayOptions{Seed: 3}, Dir: dir, Workers: 2})
	if KindOf(err) != BadInput || err == nil || !strings.Contains(err.Error(), "1 of 3 tunes not played") {
		t.Errorf("error %v (%v), want bad input: 1 of 3 tunes not played", err, KindOf(err))
	}
	want := []string{"0-Little-Head.mid", "2-Dont-Blame-Me-Ça-Va.mid"}
	if got := files(t, dir); !slices.Equal(got, want) {
		t.Errorf("files %q, want %q", got, want)
	}
	if b.Tunes != 3 || b.Played != 2 || b.Refused != 1 || b.Files[1] != "" || filepath.Base(b.Files[2]) != want[1] {
		t.Errorf("batch %+v", b)
	}
	if len(r.warnings) != 1 || !strings.Contains(r.warnings[0].Err.Error(), `tune 1 "Too Long" not played`) {
		t.Errorf("warnings %v, want one for tune 1", r.warnings)
	}
	if !slices.Equal(r.progress, []float64{1, 2, 3}) {
		t.Errorf("progress %v, want 1, 2, 3 tunes", r.progress)
	}
}

// Each file is the one Play writes for that tune with the same options:
// the same notes, ids included, whatever the number of workers.
func TestPlayAllIsPlayOfEachTune(t *testing.T) {
	name := writeBook(t)
	ctx := context.Background()
	opt := PlayOptions{Seed: 9, Choruses: 2, Feel: "swing-rhythm"}
	var dirs []string
	for _, workers := range []int{1, 3} {
		dir := filepath.Join(t.TempDir(), "out")
		if _, err := (&Project{}).PlayAll(ctx, name, PlayAllOptions{PlayOptions: opt, Dir: dir, Workers: workers}); KindOf(err) != BadInput {
			t.Fatalf("%d workers: %v", workers, err)
		}
		dirs = append(dirs, dir)
	}
	for _, f := range []string{"0-Little-Head.mid", "2-Dont-Blame-Me-Ça-Va.mid"} {
		one, err := os.ReadFile(filepath.Join(dirs[0], f))
		if err != nil {
			t.Fatal(err)
		}
		three, err := os.ReadFile(filepath.Join(dirs[1], f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(one, three) {
			t.Errorf("%s: one worker and three write different files", f)
		}
		o := opt
		o.Tune = f[:1]
		perf, err := (&Project{}).Play(ctx, name, o)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := perf.EncodeMIDI(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), one) {
			t.Errorf("%s is not what Play writes for --tune %s", f, o.Tune)
		}
	}
}

// In a project each tune takes ids of its own: no id twice across the
// files, and the same files whatever the number of workers.
func TestPlayAllInAProject(t *testing.T) {
	name := writeBook(t)
	ctx := context.Background()
	var got [][]byte
	for _, workers := range []int{1, 2} {
		dir := filepath.Join(t.TempDir(), "out")
		if _, err := (&Project{IDs: music.NewIDs(1)}).PlayAll(ctx, name, PlayAllOptions{Dir: dir, Workers: workers}); KindOf(err) != BadInput {
			t.Fatal(err)
		}
		seen := map[music.NoteID]string{}
		for _, f := range files(t, dir) {
			for id := range byID(t, f, readBack(t, filepath.Join(dir, f))) {
				if other, ok := seen[id]; ok {
					t.Fatalf("id %d in %s and %s", id, other, f)
				}
				seen[id] = f
			}
			b, _ := os.ReadFile(filepath.Join(dir, f))
			got = append(got, b)
		}
	}
	if len(got) != 4 || !bytes.Equal(got[0], got[2]) || !bytes.Equal(got[1], got[3]) {
		t.Errorf("one worker and two write different files in a project")
	}
}

// What is there already: a file of a tune's name is replaced whole, a
// link never (the tune is refused, the link and what it names kept); a
// folder name that is a file is refused before anything is read.
func TestPlayAllFolder(t *testing.T) {
	name := writeBook(t)
	ctx := context.Background()
	dir := t.TempDir()
	old := filepath.Join(dir, "0-Little-Head.mid")
	os.WriteFile(old, []byte("an older take"), 0o644)
	elsewhere := filepath.Join(t.TempDir(), "kept.mid")
	os.WriteFile(elsewhere, []byte("keep me"), 0o644)
	link := filepath.Join(dir, "2-Dont-Blame-Me-Ça-Va.mid")
	if err := os.Symlink(elsewhere, link); err != nil {
		t.Fatal(err)
	}
	r := &reporter{}
	b, err := (&Project{Report: r}).PlayAll(ctx, name, PlayAllOptions{Dir: dir})
	if b == nil || b.Played != 1 || b.Refused != 2 || KindOf(err) != BadInput {
		t.Fatalf("batch %+v, %v; want tune 0 played, 1 and 2 refused", b, err)
	}
	if data, _ := os.ReadFile(old); bytes.Equal(data, []byte("an older take")) || !bytes.HasPrefix(data, []byte("MThd")) {
		t.Errorf("the file of tune 0 was not replaced by its MIDI file")
	}
	if data, _ := os.ReadFile(elsewhere); string(data) != "keep me" {
		t.Errorf("a link was written through")
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced")
	}
	if len(r.warnings) != 2 || !strings.Contains(r.warnings[1].Err.Error(), "is a link") {
		t.Errorf("warnings %v", r.warnings)
	}
	if got := files(t, dir); len(got) != 2 {
		t.Errorf("files %q: a temporary file left?", got)
	}

	file := filepath.Join(t.TempDir(), "out.mid")
	os.WriteFile(file, []byte("MThd not a folder"), 0o644)
	for _, d := range []string{file, filepath.Join(t.TempDir(), "no", "such"), ""} {
		if _, err := (&Project{}).PlayAll(ctx, name, PlayAllOptions{Dir: d}); KindOf(err) != BadInput {
			t.Errorf("folder %q: %v, want bad input", d, err)
		}
	}
	if data, _ := os.ReadFile(file); string(data) != "MThd not a folder" {
		t.Errorf("a file named as the folder was changed")
	}
}

// Options no tune can be played with are refused once, before the folder
// is made.
func TestPlayAllRefusesOptions(t *testing.T) {
	name := writeBook(t)
	for _, opt := range []PlayOptions{{Tune: "1"}, {Style: "polka-fusion"}, {Feel: "sloppy"}, {Choruses: 65}, {Mute: []string{"kazoo"}}} {
		dir := filepath.Join(t.TempDir(), "out")
		_, err := (&Project{}).PlayAll(context.Background(), name, PlayAllOptions{PlayOptions: opt, Dir: dir})
		if err == nil || KindOf(err) == Internal {
			t.Errorf("%+v: %v", opt, err)
		}
		if _, serr := os.Stat(dir); serr == nil {
			t.Errorf("%+v: folder made for a refused batch", opt)
		}
	}
	_, err := (&Project{}).PlayAll(context.Background(), filepath.Join(t.TempDir(), "missing.abc"), PlayAllOptions{Dir: t.TempDir()})
	if KindOf(err) != NotFound {
		t.Errorf("missing collection: %v", err)
	}
}

// A cancelled batch stops and says so.
func TestPlayAllCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := (&Project{}).PlayAll(ctx, writeBook(t), PlayAllOptions{Dir: filepath.Join(t.TempDir(), "out")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("%v, want context.Canceled", err)
	}
}

func TestTuneFileName(t *testing.T) {
	for _, tc := range []struct {
		i, width int
		title    string
		want     string
	}{
		{700, 4, "Autumn Leaves", "0700-Autumn-Leaves.mid"},
		{7, 3, "Girl From Ipanema, The", "007-Girl-From-Ipanema-The.mid"},
		{0, 1, "  'Round Midnight  ", "0-Round-Midnight.mid"},
		{12, 2, "Águas de Março", "12-Águas-de-Março.mid"},
		{3, 1, "../../etc/passwd", "3-etc-passwd.mid"},
		{5, 1, "", "5-untitled.mid"},
		{5, 1, "?!/*", "5-untitled.mid"},
		{1, 1, strings.Repeat("Blues ", 20), "1-" + strings.TrimSuffix(strings.Repeat("Blues-", 10), "-") + ".mid"},
	} {
		if got := TuneFileName(tc.i, tc.width, tc.title); got != tc.want {
			t.Errorf("TuneFileName(%d, %d, %q) = %q, want %q", tc.i, tc.width, tc.title, got, tc.want)
		}
	}
}

// BenchmarkPlayAll is the whole JazzStandards collection (1,382 tunes)
// played with the band and its feel: in one goroutine, the collection
// read once and each tune played as Play plays it and encoded to MIDI
// (the in-process time PlayAll is held to), and PlayAll writing the
// files with one worker and with one for each CPU. Run it with
// -benchtime 1x; docs/benchmarks.md has the figures.
func BenchmarkPlayAll(b *testing.B) {
	name := filepath.Join(shareddata.Dir(b, "jazz-standards"), "JazzStandards.json")
	ctx := context.Background()
	b.Run("in-process", func(b *testing.B) {
		for b.Loop() {
			p := &Project{}
			d, err := p.Open(ctx, name)
			if err != nil {
				b.Fatal(err)
			}
			for i := range d.Charts {
				perf, err := p.PlayDocument(ctx, d, PlayOptions{Tune: strconv.Itoa(i)})
				if err != nil {
					b.Fatal(err)
				}
				if err := perf.EncodeMIDI(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	for _, workers := range []int{1, 0} {
		b.Run(fmt.Sprintf("PlayAll-workers-%d", workers), func(b *testing.B) {
			for b.Loop() {
				dir := b.TempDir()
				batch, err := (&Project{}).PlayAll(ctx, name, PlayAllOptions{Dir: dir, Workers: workers})
				if err != nil || batch.Played != 1382 {
					b.Fatal(batch, err)
				}
			}
		})
	}
}

// BenchmarkPlayOneTune is `sideman band JazzStandards.json --tune 700`
// in process: the tune read on demand, played with the band and its feel
// and encoded, against the same tune written alone to a .chart file
// (the mark: within 2x).
func BenchmarkPlayOneTune(b *testing.B) {
	name := filepath.Join(shareddata.Dir(b, "jazz-standards"), "JazzStandards.json")
	ctx := context.Background()
	d, err := (&Project{}).Open(ctx, name)
	if err != nil {
		b.Fatal(err)
	}
	one := filepath.Join(b.TempDir(), "700.chart")
	var buf bytes.Buffer
	if err := chart.Encode(&buf, d.Charts[700]); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(one, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct{ what, name, tune string }{{"collection", name, "700"}, {"chart", one, ""}} {
		b.Run(tc.what, func(b *testing.B) {
			for b.Loop() {
				perf, err := (&Project{}).Play(ctx, tc.name, PlayOptions{Tune: tc.tune})
				if err != nil {
					b.Fatal(err)
				}
				if err := perf.EncodeMIDI(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
