package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/band"
	"sideman/feel"
	"sideman/format/midi"
	"sideman/internal/shareddata"
	"sideman/load"
	"sideman/music"
)

// leadSheet is a real lead sheet from the shared corpora, written to a
// file of its own when it comes from an archive.
type leadSheet struct {
	name, path, tune string
}

func leadSheets(t *testing.T) []leadSheet {
	t.Helper()
	dir := t.TempDir()
	member := func(archive, suffix string) string {
		ms, data, err := shareddata.ReadTarGz(shareddata.File(t, archive), func(n string) bool { return strings.HasSuffix(n, suffix) })
		if err != nil || len(ms) != 1 {
			t.Fatalf("%s: %d members ending %s, %v", archive, len(ms), suffix, err)
		}
		p := filepath.Join(dir, filepath.Base(ms[0].Name))
		if err := os.WriteFile(p, data[0], 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return []leadSheet{
		// A jig with a pickup of an eighth and a key change in its B part.
		{"abc", filepath.Join(shareddata.Dir(t, "nottingham"), "ABC_cleaned", "jigs.abc"), "A and D"},
		// A quarter-note pickup, 32 bars, as MuseScore exports.
		{"musicxml", member("openewld/OpenEWLD.tar.gz", "/The_Bells_of_St._Mary's.mxl"), ""},
		{"impro-visor", member("impro-visor/impro-visor-leadsheets-styles.tar.gz", "/melodies/DearOldStockholm.ls"), ""},
	}
}

// bandPiece runs `sideman band` and reads its MIDI file back with the
// notes' origins.
func bandPiece(t *testing.T, args ...string) *music.Piece {
	t.Helper()
	out := filepath.Join(t.TempDir(), "band.mid")
	status, _, errs := sideman(t, append(append([]string{"band"}, args...), "-o", out)...)
	if status != 0 {
		t.Fatalf("band %v: status %d: %s", args, status, errs)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	f, err := midi.DecodeBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return midi.PieceOptions{Provenance: true}.ToPiece(f, out)
}

// writtenMelody is the lead sheet's melody played once from the top, as
// the sheet itself plays it, and the length of that form.
func writtenMelody(t *testing.T, ls leadSheet) (*music.Chart, []music.Note, music.Ticks) {
	t.Helper()
	d, err := load.Open(ls.path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.Tune(ls.tune)
	if err != nil {
		t.Fatal(err)
	}
	var once []music.Note
	for _, part := range c.Perform(1).Parts {
		for _, n := range part.Notes {
			if n.Duration > 0 && n.Velocity > 0 {
				once = append(once, n)
			}
		}
	}
	music.SortNotes(once)
	var form music.Ticks
	for _, pb := range c.Unroll(1) {
		form += pb.Meter.BarTicks()
	}
	return c, once, form
}

func splitMelody(t *testing.T, p *music.Piece) (mel *music.Part, band []music.Part) {
	t.Helper()
	for i := range p.Parts {
		if p.Parts[i].Role == music.RoleMelody {
			if mel != nil {
				t.Fatalf("two melody parts: %q and %q", mel.Name, p.Parts[i].Name)
			}
			mel = &p.Parts[i]
		} else {
			band = append(band, p.Parts[i])
		}
	}
	return mel, band
}

// TestBandMelody plays three real lead sheets through the command: the
// head on the first and the last of three choruses on a track and channel
// of its own, every note with the lead sheet's pitch, at the place the
// sheet writes it on the band's bars, and imported from the sheet; the
// band alone on the second chorus; --melody off leaves the band as it was.
func TestBandMelody(t *testing.T) {
	for _, ls := range leadSheets(t) {
		t.Run(ls.name, func(t *testing.T) {
			c, once, form := writtenMelody(t, ls)
			if len(once) < 50 {
				t.Fatalf("%s reads as %d notes", ls.path, len(once))
			}
			args := []string{ls.path, "--tune", ls.tune, "--choruses", "3", "--feel", "none", "--seed", "4"}
			if ls.tune == "" {
				args = append(args[:1], args[3:]...)
			}
			p := bandPiece(t, args...)
			mel, bandParts := splitMelody(t, p)
			if mel == nil {
				t.Fatalf("no melody part in %d parts", len(p.Parts))
			}
			for _, b := range bandParts {
				if b.Channel == mel.Channel {
					t.Errorf("melody on the %s's channel %d", b.Name, b.Channel)
				}
			}
			for _, n := range mel.Notes {
				if n.Channel != mel.Channel {
					t.Fatalf("melody note on channel %d, the part's is %d", n.Channel, mel.Channel)
				}
				if r := n.Origin.Root(); r.Kind != music.Imported || r.Source != filepath.Base(ls.path) {
					t.Fatalf("melody note %d: origin %v, want imported from %s", n.ID, n.Origin, filepath.Base(ls.path))
				}
			}
			// Head in (chorus 1), solos (2: the band alone), head out (3).
			if len(mel.Notes) != 2*len(once) {
				t.Fatalf("%d melody notes, want two heads of %d", len(mel.Notes), len(once))
			}
			// The head out starts where chorus 3 does; a pickup leads into
			// the first chorus only (music.Chart.Unroll), so later choruses
			// may be a pickup shorter.
			var out music.Ticks
			three := c.Unroll(3)
			for _, pb := range three {
				if pb.Chorus == 3 {
					for _, first := range three {
						if first.Index == pb.Index {
							out = pb.Start - first.Start
							break
						}
					}
					break
				}
			}
			// Without a feel the grid plays the sheet's eighths as the
			// style swings them (feel.Swing), as it does the band's.
			st, _ := band.ChartStyle(c, 0)
			swung := &music.Piece{Meters: p.Meters, Swing: st.PieceSwing(), Parts: []music.Part{{Role: music.RoleMelody}}}
			for i := range mel.Notes {
				w := once[i%len(once)]
				if i >= len(once) {
					w.Start += out
				}
				swung.Parts[0].Notes = append(swung.Parts[0].Notes, w)
			}
			heard := feel.Swing(swung).Parts[0].Notes
			for i, g := range mel.Notes {
				w := heard[i]
				if g.Pitch != w.Pitch || g.Start != w.Start {
					t.Fatalf("melody note %d: pitch %d at %d, the sheet's is %d at %d", i, g.Pitch, g.Start, w.Pitch, w.Start)
				}
			}
			// The band's bars are the sheet's: the same meters at the same
			// ticks through the first chorus (a pickup bar included).
			sheet := c.Perform(1).Meters
			var band music.MeterMap
			for _, m := range p.Meters {
				if m.At < form {
					band = append(band, m)
				}
			}
			if len(sheet) != len(band) {
				t.Fatalf("meters %v, the sheet's %v", band, sheet)
			}
			for i := range sheet {
				if sheet[i] != band[i] {
					t.Fatalf("meter %d: %v, the sheet's %v", i, band[i], sheet[i])
				}
			}

			off := bandPiece(t, append(args, "--melody", "off")...)
			if m, offBand := splitMelody(t, off); m != nil || len(offBand) != len(bandParts) {
				t.Fatalf("--melody off: melody %v, %d band parts (want %d)", m != nil, len(offBand), len(bandParts))
			} else {
				for i := range offBand {
					if len(offBand[i].Notes) != len(bandParts[i].Notes) {
						t.Errorf("%s: %d notes with --melody off, %d with the melody", offBand[i].Name, len(offBand[i].Notes), len(bandParts[i].Notes))
					}
				}
			}
		})
	}
}

// TestBandMelodyTransposedAndHumanized: the melody moves with the chart
// and plays with the style's feel, its notes still imported from the sheet.
func TestBandMelodyTransposedAndHumanized(t *testing.T) {
	ls := leadSheets(t)[0] // A and D, in A major
	_, once, _ := writtenMelody(t, ls)
	p := bandPiece(t, ls.path, "--tune", ls.tune, "--transpose", "Bb", "--melody", "all")
	mel, _ := splitMelody(t, p)
	if mel == nil || len(mel.Notes) != len(once) {
		t.Fatalf("melody %v, want %d notes", mel != nil, len(once))
	}
	pitches := map[int]int{}
	for _, n := range mel.Notes {
		pitches[int(n.Pitch)]++
	}
	for _, w := range once {
		pitches[int(w.Pitch)+1]--
	}
	for k, v := range pitches {
		if v != 0 {
			t.Fatalf("pitch %d: %+d against the sheet a half step up", k, v)
		}
	}
	for _, n := range mel.Notes {
		r := n.Origin.Root()
		if st := n.Origin.Steps(); r.Kind != music.Imported || r.Source != filepath.Base(ls.path) || len(st) != 2 || st[0] != "transpose" || st[1] != "humanize" {
			t.Fatalf("melody note %d: origin %v, want imported from %s, transposed and humanized", n.ID, n.Origin, ls.path)
		}
	}
}

func TestBandMelodyRefused(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.mid")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"../../examples/rhythm-changes-bb.chart", "--melody", "all"}, "no written melody"},
		{[]string{"../../examples/rhythm-changes-bb.chart", "--melody", "loud"}, "--melody"},
	} {
		status, _, errs := sideman(t, append(append([]string{"band"}, tc.args...), "-o", out)...)
		if line, _, _ := strings.Cut(errs, "\n"); status != 2 || !strings.Contains(line, tc.want) {
			t.Errorf("%v: status %d, %q; want 2 and a first line with %q", tc.args, status, errs, tc.want)
		}
	}
	// A chord chart plays as before when no melody is asked for.
	if status, _, errs := sideman(t, "band", "../../examples/rhythm-changes-bb.chart", "-o", out); status != 0 {
		t.Errorf("chord chart: status %d: %s", status, errs)
	}
}

// TestBandMelodyFeel: in a swing style the head is played as the Weimar
// soloists play, behind the beat (band.MelodyFeel), while the band plays
// the same notes at the same times as it does without the melody.
func TestBandMelodyFeel(t *testing.T) {
	ls := leadSheets(t)[2] // Dear Old Stockholm, medium swing
	grid := bandPiece(t, ls.path, "--feel", "none")
	played := bandPiece(t, ls.path)
	alone := bandPiece(t, ls.path, "--melody", "off")
	gm, _ := splitMelody(t, grid)
	pm, pb := splitMelody(t, played)
	_, ab := splitMelody(t, alone)
	if gm == nil || pm == nil || len(gm.Notes) != len(pm.Notes) {
		t.Fatal("no melody, or the feel changed its notes")
	}
	// Notes keep their ids through the feel: pair them by id.
	at := map[music.NoteID]music.Ticks{}
	for _, n := range gm.Notes {
		at[n.ID] = n.Start
	}
	var late []float64
	for _, n := range pm.Notes {
		w, ok := at[n.ID]
		if !ok {
			t.Fatalf("note %d not in the performance on the grid", n.ID)
		}
		if w%music.PPQ == 0 { // on the beat
			late = append(late, 1000*(played.Tempo.Seconds(n.Start)-played.Tempo.Seconds(w)))
		}
	}
	mean := 0.0
	for _, x := range late {
		mean += x / float64(len(late))
	}
	// Measured 34 ms with swing-soloist's soloist, 7 ms with the ride's
	// timing that swing-rhythm alone would give the melody.
	if len(late) < 30 || mean < 15 {
		t.Errorf("%d melody notes on the beat, %.1f ms behind it on average; want a soloist's lay-back, 15 ms or more", len(late), mean)
	}
	if len(pb) != len(ab) {
		t.Fatalf("%d band parts with the melody, %d without", len(pb), len(ab))
	}
	for i := range pb {
		if len(pb[i].Notes) != len(ab[i].Notes) {
			t.Fatalf("%s: %d notes with the melody, %d without", pb[i].Name, len(pb[i].Notes), len(ab[i].Notes))
		}
		for j := range pb[i].Notes {
			if a, b := pb[i].Notes[j], ab[i].Notes[j]; a.Start != b.Start || a.Pitch != b.Pitch || a.Velocity != b.Velocity {
				t.Fatalf("%s note %d: %d@%d with the melody, %d@%d without", pb[i].Name, j, a.Pitch, a.Start, b.Pitch, b.Start)
			}
		}
	}
}
