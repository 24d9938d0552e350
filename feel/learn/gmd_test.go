package learn

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"sideman/feel"
	"sideman/internal/shareddata"
	"sideman/internal/tarfs"
)

// gmdLoaded holds the whole dataset, beats and fills, read once for all
// tests.
var gmdLoaded struct {
	once  sync.Once
	perfs []feel.Performance
	err   error
}

// gmdAll returns the dataset's folder and every performance in it.
func gmdAll(t *testing.T) (string, []feel.Performance) {
	t.Helper()
	dir := shareddata.Dir(t, "groove-midi")
	gmdLoaded.once.Do(func() {
		gmdLoaded.perfs, gmdLoaded.err = GrooveMIDI(dir, GrooveOptions{Fills: true})
	})
	if gmdLoaded.err != nil {
		t.Fatal(gmdLoaded.err)
	}
	return dir, gmdLoaded.perfs
}

// gmdArchiveFiles reads the MIDI files of the dataset's archive, by their
// path below its "groove" folder, with archive/tar rather than the reader
// under test.
func gmdArchiveFiles(tb testing.TB, name string) map[string][]byte {
	tb.Helper()
	f, err := os.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	tr := tar.NewReader(zr)
	out := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			tb.Fatal(err)
		}
		if rel, ok := strings.CutPrefix(h.Name, "groove/"); ok && strings.HasSuffix(rel, ".mid") {
			if out[rel], err = io.ReadAll(tr); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

// gmdInfoRows reads info.csv as plain records, header first, without the
// reader under test.
func gmdInfoRows(t *testing.T, dir string) (head []string, rows [][]string) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "info.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return all[0], all[1:]
}

func gmdColumn(t *testing.T, head []string, name string) int {
	t.Helper()
	i := slices.Index(head, name)
	if i < 0 {
		t.Fatalf("info.csv has no %s column", name)
	}
	return i
}

// TestGrooveMIDIEveryRow checks that every row of info.csv gives one
// performance, in order, with the row's drummer, style, split and tempo,
// and that the options select what info.csv says they should.
func TestGrooveMIDIEveryRow(t *testing.T) {
	dir, perfs := gmdAll(t)
	head, rows := gmdInfoRows(t, dir)
	if len(rows) != 1150 {
		t.Errorf("info.csv has %d rows, the dataset's paper 1,150", len(rows))
	}
	if len(perfs) != len(rows) {
		t.Fatalf("%d performances from %d rows of info.csv", len(perfs), len(rows))
	}
	cFile, cDrummer, cStyle := gmdColumn(t, head, "midi_filename"), gmdColumn(t, head, "drummer"), gmdColumn(t, head, "style")
	cSplit, cType, cBPM, cTS := gmdColumn(t, head, "split"), gmdColumn(t, head, "beat_type"), gmdColumn(t, head, "bpm"), gmdColumn(t, head, "time_signature")
	splits := map[string]int{}
	beats, hits := 0, 0
	for i, r := range rows {
		p := perfs[i]
		splits[r[cSplit]]++
		if r[cType] == "beat" {
			beats++
		}
		hits += len(p.Hits)
		primary, _, _ := strings.Cut(r[cStyle], "/")
		if p.Name != r[cFile] || p.Player != r[cDrummer] || p.Style != primary || p.Split != r[cSplit] {
			t.Errorf("row %d: got %q %q %q %q, want %q %q %q %q", i+2, p.Name, p.Player, p.Style, p.Split, r[cFile], r[cDrummer], primary, r[cSplit])
		}
		if len(p.Hits) == 0 || p.Beats <= 0 {
			t.Errorf("%s: %d hits over %d beats", p.Name, len(p.Hits), p.Beats)
			continue
		}
		if !sort.SliceIsSorted(p.Hits, func(a, b int) bool { return p.Hits[a].Grid < p.Hits[b].Grid }) {
			t.Errorf("%s: hits not sorted by grid time", p.Name)
		}
		// In meters counted in quarters the felt beat is the click, and
		// the tempo is info.csv's; 6/8 counts dotted quarters, 5/8 eighths.
		bpm, _ := strconv.ParseFloat(r[cBPM], 64)
		want := map[string]float64{"6-8": bpm * 2 / 3, "5-8": bpm * 2}[r[cTS]]
		if want == 0 {
			want = bpm
		}
		beatsPerBar := map[string]int{"4-4": 4, "3-4": 3, "5-4": 5, "6-8": 2, "5-8": 5}[r[cTS]]
		if math.Abs(p.Tempo-want) > 0.01 || p.BeatsPerBar != beatsPerBar {
			t.Errorf("%s: tempo %.3f, %d beats a bar; want %.3f and %d (%s at %s bpm)", p.Name, p.Tempo, p.BeatsPerBar, want, beatsPerBar, r[cTS], r[cBPM])
		}
		if h := p.Hits[len(p.Hits)/2]; math.Abs(h.BeatDur*p.Tempo-60) > 1e-6 {
			t.Errorf("%s: beat of %.6f s at %.3f bpm", p.Name, h.BeatDur, p.Tempo)
		}
	}
	t.Logf("%d performances, %d notes; splits %v", len(perfs), hits, splits)

	// The zero value is the beats; each split alone adds up to its rows.
	if ps, err := GrooveMIDI(dir, GrooveOptions{}); err != nil || len(ps) != beats {
		t.Errorf("zero options: %d performances (%v), info.csv has %d beats", len(ps), err, beats)
	}
	for split, n := range splits {
		ps, err := GrooveMIDI(dir, GrooveOptions{Fills: true, Split: split})
		if err != nil || len(ps) != n {
			t.Errorf("split %q: %d performances (%v), info.csv has %d rows", split, len(ps), err, n)
		}
	}
	funk := 0
	for _, p := range perfs {
		if p.Style == "funk" || p.Style == "jazz" {
			funk++
		}
	}
	if ps, err := GrooveMIDI(dir, GrooveOptions{Fills: true, Styles: []string{"funk", "jazz"}}); err != nil || len(ps) != funk {
		t.Errorf("funk and jazz: %d performances (%v), want %d", len(ps), err, funk)
	}
	if _, err := GrooveMIDI(dir, GrooveOptions{Split: "dev"}); err == nil {
		t.Error("an unknown split gave no error")
	}
}

// TestGrooveMIDIUnpacked reads a few files from an unpacked folder, as the
// archive unpacks, and gets what the archive gives; a file info.csv lists
// but the folder lacks is an error naming it.
func TestGrooveMIDIUnpacked(t *testing.T) {
	dir, perfs := gmdAll(t)
	members := gmdArchiveFiles(t, filepath.Join(dir, gmdArchive))
	head, rows := gmdInfoRows(t, dir)
	cFile := gmdColumn(t, head, "midi_filename")
	tmp := t.TempDir()
	var info strings.Builder
	w := csv.NewWriter(&info)
	w.Write(head)
	picked := []int{0, 500, 1149}
	for _, i := range picked {
		w.Write(rows[i])
		name := filepath.Join(tmp, filepath.FromSlash(rows[i][cFile]))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, members[rows[i][cFile]], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	if err := os.WriteFile(filepath.Join(tmp, "info.csv"), []byte(info.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := GrooveMIDI(tmp, GrooveOptions{Fills: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(picked) {
		t.Fatalf("%d performances from %d rows", len(got), len(picked))
	}
	for k, i := range picked {
		if g, want := got[k], perfs[i]; g.Name != want.Name || g.Player != want.Player || !slices.Equal(g.Hits, want.Hits) {
			t.Errorf("%s: unpacked folder and archive disagree", want.Name)
		}
	}
	gone := rows[picked[1]][cFile]
	if err := os.Remove(filepath.Join(tmp, filepath.FromSlash(gone))); err != nil {
		t.Fatal(err)
	}
	if _, err := GrooveMIDI(tmp, GrooveOptions{Fills: true}); err == nil || !strings.Contains(err.Error(), gone) {
		t.Errorf("missing %s: error %v does not name it", gone, err)
	}
}

// TestGrooveFeel checks musical facts of the beats: the drummers play on
// the sixteenth and triplet grid, a few milliseconds off it, and swing
// their jazz.
func TestGrooveFeel(t *testing.T) {
	_, perfs := gmdAll(t)
	var onGrid, notes int
	var devs []float64
	type upbeats struct {
		n   int
		sum float64
	}
	var jazz, rock upbeats
	for _, p := range perfs {
		if strings.Contains(p.Name, "_fill_") {
			continue
		}
		for _, h := range p.Hits {
			notes++
			if h.Slot != feel.OffGrid {
				onGrid++
			}
			if h.Slot == feel.SlotBeat && (h.Role == feel.Kick || h.Role == feel.Snare) {
				devs = append(devs, math.Abs(h.Dev())*1000)
			}
			if h.Role != feel.Ride || !h.Slot.Upbeat() {
				continue
			}
			// Where in its beat the upbeat was played, 0 to 1.
			at := (h.Time - (h.Grid - h.Slot.Share()*h.BeatDur)) / h.BeatDur
			switch {
			case p.Style == "jazz" && p.Swing:
				jazz.n++
				jazz.sum += at
			case p.Style == "rock" && !p.Swing:
				rock.n++
				rock.sum += at
			}
		}
	}
	// Measured: 92.7% of the 503 beats' notes lie within a twelfth of a
	// beat of a sixteenth or triplet slot; the rest are 32nds, flams,
	// ghost notes and drags.
	share := float64(onGrid) / float64(notes)
	t.Logf("%d notes of beats, %.1f%% on the grid", notes, 100*share)
	if share < 0.90 {
		t.Errorf("%.1f%% of the notes on the grid, want at least 90%%", 100*share)
	}
	// Measured: 15.0 ms over 71,087 kick and snare notes on the beat.
	sort.Float64s(devs)
	med := devs[len(devs)/2]
	t.Logf("median |deviation| of on-beat kick and snare: %.1f ms over %d notes", med, len(devs))
	if med < 5 || med > 40 {
		t.Errorf("median |deviation| of on-beat kick and snare %.1f ms, want 5 to 40", med)
	}
	// Measured: the ride's upbeats at 0.591 of the beat in swung jazz (a
	// 1.45:1 swing) over 1,425 upbeats, 0.528 in rock over 6,176.
	if jazz.n == 0 || rock.n == 0 {
		t.Fatalf("no ride upbeats: %d jazz, %d rock", jazz.n, rock.n)
	}
	j, r := jazz.sum/float64(jazz.n), rock.sum/float64(rock.n)
	t.Logf("ride upbeats at %.3f of the beat in swung jazz (%d), %.3f in rock (%d)", j, jazz.n, r, rock.n)
	if j < 0.57 {
		t.Errorf("jazz ride upbeats at %.3f of the beat: not swung", j)
	}
	if math.Abs(r-0.5) > 0.04 {
		t.Errorf("rock ride upbeats at %.3f of the beat: not straight", r)
	}
}

// gmdPython is the interpreter Debian's python3-mido installs for; a python3
// earlier on PATH (pyenv) does not see it.
const gmdPython = "/usr/bin/python3"

// gmdMidoScript prints, for each MIDI file of a tar.gz named on its
// command line, the name and then the seconds of every note-on, as mido
// times them through the file's tempo map.
const gmdMidoScript = `
import sys, tarfile, mido
tf = tarfile.open(sys.argv[1])
for name in sys.argv[2:]:
    mf = mido.MidiFile(file=tf.extractfile(name))
    print("file", name)
    t = 0.0
    for msg in mf:
        t += msg.time
        if msg.type == "note_on" and msg.velocity > 0:
            print(repr(t), msg.note)
`

// TestGrooveMido cross-checks note times against mido, an independent
// MIDI reader, on files of every meter and one with a repeated tempo.
func TestGrooveMido(t *testing.T) {
	dir, perfs := gmdAll(t)
	if _, err := os.Stat(gmdPython); err != nil || exec.Command(gmdPython, "-c", "import mido").Run() != nil {
		msg := fmt.Sprintf("%s cannot import mido; install python3-mido", gmdPython)
		if shareddata.Required() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	want := []string{
		"drummer1/eval_session/1_funk-groove1_138_beat_4-4.mid",
		"drummer10/session1/9_jazz-swing_110_beat_4-4.mid",
		"drummer1/session2/5_jazz_200_beat_3-4.mid",
		"drummer6/session1/2_rock_70_beat_6-8.mid",
		"drummer5/session1/8_latin-venezuelan-merengue_162_beat_5-8.mid",
	}
	byName := map[string]feel.Performance{}
	for _, p := range perfs {
		byName[p.Name] = p
	}
	args := []string{"-c", gmdMidoScript, filepath.Join(dir, gmdArchive)}
	for _, n := range want {
		args = append(args, "groove/"+n)
	}
	out, err := exec.Command(gmdPython, args...).Output()
	if err != nil {
		t.Fatalf("mido: %v", err)
	}
	mido := map[string][]float64{}
	keys := map[string][]string{}
	cur := ""
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == "file" {
			cur = strings.TrimPrefix(f[1], "groove/")
			continue
		}
		sec, err := strconv.ParseFloat(f[0], 64)
		if len(f) != 2 || err != nil {
			t.Fatalf("mido printed %q", sc.Text())
		}
		mido[cur] = append(mido[cur], sec)
		keys[cur] = append(keys[cur], f[1])
	}
	for _, name := range want {
		p, ok := byName[name]
		if !ok {
			t.Fatalf("%s: no performance", name)
		}
		var times []float64
		var pitches []string
		for _, h := range p.Hits {
			times = append(times, h.Time)
			pitches = append(pitches, strconv.Itoa(int(h.Pitch)))
		}
		sort.Float64s(times)
		m := mido[name]
		sort.Float64s(m)
		if len(m) != len(times) {
			t.Errorf("%s: %d notes, mido %d", name, len(times), len(m))
			continue
		}
		worst := 0.0
		for i := range m {
			worst = max(worst, math.Abs(m[i]-times[i]))
		}
		slices.Sort(pitches)
		slices.Sort(keys[name])
		if worst > 0.001 || !slices.Equal(pitches, keys[name]) {
			t.Errorf("%s: note times up to %.6f s from mido's (or other keys)", name, worst)
		}
		t.Logf("%s: %d notes, within %.2g s of mido", name, len(m), worst)
	}
}

// TestGroovePerformanceGarbage feeds what is not MIDI, or is cut short,
// and wants an error naming the file.
func TestGroovePerformanceGarbage(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty":     nil,
		"text":      []byte("drummer,session,id,style,bpm\n"),
		"short hdr": []byte("MThd\x00\x00\x00\x06\x00\x01"),
		"cut track": []byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x01\xe0MTrk\x00\x00\x00\x10\x00\x99\x24"),
	} {
		if _, err := GroovePerformance(data, name); err == nil || !strings.HasPrefix(err.Error(), "gmd: "+name+": ") {
			t.Errorf("%s: error %v", name, err)
		}
	}
}

// FuzzGroovePerformance reads arbitrary bytes, starting from real files.
// Whatever reads must be a performance whose hits lie on beats it spans,
// in order, with finite times; nothing may panic.
func FuzzGroovePerformance(f *testing.F) {
	members := gmdArchiveFiles(f, shareddata.File(f, "groove-midi/"+gmdArchive))
	for _, n := range []string{
		"drummer1/eval_session/1_funk-groove1_138_beat_4-4.mid",
		"drummer6/session1/2_rock_70_beat_6-8.mid",
	} {
		f.Add(members[n])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := GroovePerformance(data, "fuzz")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "gmd: fuzz: ") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if p.BeatsPerBar < 1 || math.IsNaN(p.Tempo) || p.Tempo <= 0 {
			t.Fatalf("%d beats a bar at %v bpm", p.BeatsPerBar, p.Tempo)
		}
		for i, h := range p.Hits {
			if h.Beat < 0 || h.Beat >= p.Beats || h.BarBeat < 0 {
				t.Fatalf("hit %d on beat %d (bar beat %d) of %d", i, h.Beat, h.BarBeat, p.Beats)
			}
			if h.Slot != feel.OffGrid && !slices.Contains(feel.Slots, h.Slot) {
				t.Fatalf("hit %d in slot %d", i, h.Slot)
			}
			if math.IsNaN(h.Time) || math.IsInf(h.Time, 0) || math.IsNaN(h.Grid) || !(h.BeatDur >= 0) {
				t.Fatalf("hit %d at %v, grid %v, beat of %v s", i, h.Time, h.Grid, h.BeatDur)
			}
			if i > 0 && h.Grid < p.Hits[i-1].Grid {
				t.Fatalf("hit %d before hit %d", i, i-1)
			}
		}
	})
}

// BenchmarkGrooveMIDI reads the whole dataset, beats and fills, from its
// archive: unpacking, decoding and placing every note.
func BenchmarkGrooveMIDI(b *testing.B) {
	dir := shareddata.Dir(b, "groove-midi")
	for b.Loop() {
		if _, err := GrooveMIDI(dir, GrooveOptions{Fills: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// GrooveMIDIFS streams the archive's "groove" folder in archive order and
// gives the performances GrooveMIDI gives in info.csv's order.
func TestGrooveMIDIFS(t *testing.T) {
	dir, perfs := gmdAll(t)
	a, err := tarfs.Open(filepath.Join(dir, gmdArchive), tarfs.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	groove, err := fs.Sub(a, "groove")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]feel.Performance{}
	for _, p := range perfs {
		want[p.Name] = p
	}
	n := 0
	var names []string
	for p, err := range GrooveMIDIFS(groove, GrooveOptions{Fills: true}) {
		if err != nil {
			t.Fatal(err)
		}
		w, ok := want[p.Name]
		if !ok || p.Player != w.Player || p.Style != w.Style || p.Split != w.Split || p.Swing != w.Swing || !slices.Equal(p.Hits, w.Hits) {
			t.Errorf("%s: not what GrooveMIDI reads", p.Name)
		}
		names = append(names, p.Name)
		n++
	}
	if n != len(perfs) {
		t.Errorf("%d performances streamed, GrooveMIDI reads %d", n, len(perfs))
	}
	// In archive order: the drummers' folders as tar wrote them.
	inArchive := slices.Clone(names)
	if err := tarfs.ReadingOrder(groove, inArchive); err != nil || !slices.Equal(inArchive, names) {
		t.Errorf("not in archive order (%v)", err)
	}
	for _, err := range GrooveMIDIFS(groove, GrooveOptions{Split: "dev"}) {
		if err == nil {
			t.Error("an unknown split gave no error")
		}
	}
}
