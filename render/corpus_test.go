package render_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format/midi"
	"sideman/internal/shareddata"
	"sideman/render"
)

// TestCorpusAgainstFluidSynth renders real files, as RenderMIDI plays
// them (controllers included), and FluidSynth the same files: three Groove
// MIDI Dataset drum performances (Roland TD-11 recordings, hi-hat pedal
// controllers and all) and the first 30 s of a POP909 song (piano and
// melody), compared by their 50 ms RMS envelopes over the music.
func TestCorpusAgainstFluidSynth(t *testing.T) {
	sf2 := needSoundFont(t)
	fluid := needFluidSynth(t)
	type song struct {
		name string
		f    *midi.File
	}
	var songs []song
	take := func(archive, suffix string, n int, cut float64) {
		path := shareddata.File(t, archive)
		err := shareddata.WalkTarGz(path, shareddata.HasSuffix(suffix), func(m shareddata.Member, r io.Reader) error {
			b, err := io.ReadAll(r)
			if err != nil {
				return err
			}
			f, err := midi.DecodeBytes(b)
			if err != nil {
				return nil // the MIDI tests cover unreadable files
			}
			truncate(f, cut)
			songs = append(songs, song{m.Name, f})
			if n--; n == 0 {
				return shareddata.SkipAll
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	take("groove-midi/groove-v1.0.0-midionly.tar.gz", ".mid", 3, 30)
	take("pop909/POP909-main.tar.gz", "/001.mid", 1, 30)
	dir := t.TempDir()
	for i, s := range songs {
		t.Run(filepath.Base(s.name), func(t *testing.T) {
			var buf bytes.Buffer
			if err := render.MIDIWAV(t.Context(), &buf, s.f, render.Options{SoundFont: loaded(t, sf2)}); err != nil {
				t.Fatal(err)
			}
			ours := parseWAV(t, buf.Bytes())
			mid := filepath.Join(dir, strings.Repeat("x", i+1)+".mid")
			var mb bytes.Buffer
			if err := midi.Encode(&mb, s.f); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(mid, mb.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out := mid + ".wav"
			runFluid(t, fluid, sf2, mid, out)
			fb, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			ref := parseWAV(t, fb)
			a, b := ours.envelope(0.05), ref.envelope(0.05)
			n := min(len(a), len(b))
			if n < 20 {
				t.Fatalf("%d and %d windows of audio", len(a), len(b))
			}
			if r := pearson(a[:n], b[:n]); r < 0.8 {
				t.Errorf("50 ms RMS envelopes over %.1f s correlate at r = %.3f, want > 0.8", float64(n)*0.05, r)
			} else {
				t.Logf("%.1f s: r = %.3f", float64(n)*0.05, r)
			}
		})
	}
}

// truncate drops the events after secs seconds at the file's first tempo
// (the corpora's files keep one tempo), leaving notes that sound then to
// end with the file.
func truncate(f *midi.File, secs float64) {
	us := 500000
	for _, t := range f.Tracks {
		for _, e := range t.Events {
			if e.IsMeta() && e.MetaType() == midi.MetaTempo {
				if v, ok := midi.ParseTempo(t.Payload(e)); ok {
					us = v
				}
				break
			}
		}
	}
	limit := int64(secs * 1e6 / float64(us) * float64(f.Division.TicksPerQuarter()))
	for i := range f.Tracks {
		evs := f.Tracks[i].Events
		k := 0
		for _, e := range evs {
			if e.Tick <= limit {
				evs[k] = e
				k++
			}
		}
		f.Tracks[i].Events = evs[:k]
	}
}
