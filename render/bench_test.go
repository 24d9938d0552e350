package render_test

import (
	"cmp"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"sideman/internal/cputime"
	"sideman/music"
	"sideman/render"
)

// bandPiece is a band-like minute of music: three choruses of the F blues
// as block chords on the piano, a bass on each beat an octave or two
// under the chord's lowest note, and a swing ride pattern with hi-hat on 2
// and 4 and a feathered kick on the General MIDI kit.
func bandPiece(tb testing.TB) *music.Piece {
	tb.Helper()
	p := bluesPiece(tb, 3)
	const q = music.PPQ
	end := p.End()
	bass := music.Part{Name: "Bass", Role: music.RoleBass, Channel: 1, Program: 32}
	drums := music.Part{Name: "Drums", Role: music.RoleDrums, Channel: 9, Program: 0}
	id := p.MaxID() + 1
	chords := p.Parts[0].Notes
	for t, beat := music.Ticks(0), 0; t < end; t, beat = t+q, beat+1 {
		low := -1
		for _, n := range chords {
			if n.Start <= t && t < n.End() && (low < 0 || int(n.Pitch) < low) {
				low = int(n.Pitch)
			}
		}
		if low >= 0 {
			k := low - 12
			for k > 55 {
				k -= 12
			}
			bass.Notes = append(bass.Notes, music.Note{ID: id, Pitch: uint8(k), Velocity: 90, Channel: 1, Start: t, Duration: q * 9 / 10})
			id++
		}
		add := func(k uint8, v uint8, at music.Ticks) {
			drums.Notes = append(drums.Notes, music.Note{ID: id, Pitch: k, Velocity: v, Channel: 9, Start: at, Duration: q / 4})
			id++
		}
		add(51, 80, t) // ride
		add(36, 40, t) // feathered kick
		if beat%2 == 1 {
			add(44, 70, t)       // pedal hi-hat on 2 and 4
			add(51, 60, t+q*2/3) // the swung skip note
		}
	}
	music.SortNotes(drums.Notes)
	p.Parts = append(p.Parts, bass, drums)
	return p
}

// wav renders the piece as the commands do, streamed to a file (here one
// that keeps nothing), and returns the seconds of audio written.
func wav(ctx context.Context, p *music.Piece, opt render.Options) (float64, error) {
	var f sink
	err := render.WAV(ctx, &f, p, opt)
	return float64(f.end-44) / 4 / float64(cmp.Or(opt.SampleRate, 44100)), err
}

// BenchmarkRender renders a minute of band through TimGM6mb and FluidR3,
// and times Debian FluidSynth on the same MIDI file and SoundFont in the
// same run: `fluidsynth -ni -F out.wav -r 44100 -g 0.5 SF2 IN.mid`,
// reverb and chorus on in both, one synthesis thread in both (FluidSynth's
// synth.cpu-cores defaults to 1). audio-s/s is seconds of audio rendered
// a second of wall time. FluidSynth's time includes its start and loading
// the SoundFont, as a user running it pays; the fluidsynth-startup
// sub-benchmark (a one-note file) measures that share, and the
// meltysynth-cold one reloads the SoundFont every time for the same
// comparison.
func BenchmarkRender(b *testing.B) {
	p := bandPiece(b)
	dir := b.TempDir()
	mid := writeMIDI(b, dir, p)
	one := &music.Piece{Parts: []music.Part{{Program: 0, Notes: []music.Note{{ID: 1, Pitch: 60, Velocity: 90, Duration: music.PPQ}}}}}
	oneDir := filepath.Join(dir, "one")
	if err := os.Mkdir(oneDir, 0o755); err != nil {
		b.Fatal(err)
	}
	oneMid := writeMIDI(b, oneDir, one)
	secs := p.Tempo.Seconds(p.End())
	fluid, _ := exec.LookPath("fluidsynth")
	for _, sf := range []struct{ name, path string }{{"TimGM6mb", timGM6mb}, {"FluidR3", fluidR3}} {
		if _, err := os.Stat(sf.path); err != nil {
			continue
		}
		b.Run(sf.name+"/meltysynth", func(b *testing.B) {
			var audio float64
			opt := render.Options{SoundFont: loaded(b, sf.path)}
			for b.Loop() {
				secs, err := wav(b.Context(), p, opt)
				if err != nil {
					b.Fatal(err)
				}
				audio += secs
			}
			b.ReportMetric(audio/b.Elapsed().Seconds(), "audio-s/s")
			b.ReportMetric(secs, "piece-s")
		})
		b.Run(sf.name+"/meltysynth-cold", func(b *testing.B) {
			var audio float64
			for b.Loop() {
				sf, err := loadFile(sf.path)
				if err != nil {
					b.Fatal(err)
				}
				secs, err := wav(b.Context(), p, render.Options{SoundFont: sf})
				if err != nil {
					b.Fatal(err)
				}
				audio += secs
			}
			b.ReportMetric(audio/b.Elapsed().Seconds(), "audio-s/s")
		})
		if fluid == "" {
			continue
		}
		// vs-fluidsynth alternates the two renderers within each iteration,
		// so a load spike from the machine's other users falls on both:
		// speedup is FluidSynth's wall time over ours (warm SoundFont),
		// speedup-cold the same with ours loading the SoundFont each time,
		// speedup-cpu FluidSynth's CPU time (user + system) over ours
		// (warm), which a busy shared machine disturbs less than wall time.
		b.Run(sf.name+"/vs-fluidsynth", func(b *testing.B) {
			out := filepath.Join(b.TempDir(), "out.wav")
			var ours, coldWall, theirs, oursCPU, theirsCPU time.Duration
			warm := loaded(b, sf.path)
			for b.Loop() {
				for _, cold := range []bool{false, true} {
					start, startCPU := time.Now(), cputime.Used()
					opt := render.Options{SoundFont: warm}
					if cold {
						var err error
						if opt.SoundFont, err = loadFile(sf.path); err != nil {
							b.Fatal(err)
						}
					}
					if _, err := wav(b.Context(), p, opt); err != nil {
						b.Fatal(err)
					}
					if cold {
						coldWall += time.Since(start)
					} else {
						ours += time.Since(start)
						oursCPU += cputime.Used() - startCPU
					}
				}
				start := time.Now()
				cmd := exec.Command(fluid, "-ni", "-q", "-F", out, "-r", "44100", "-g", "0.5", sf.path, mid)
				if o, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("fluidsynth: %v\n%s", err, o)
				}
				theirs += time.Since(start)
				theirsCPU += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			}
			b.ReportMetric(theirs.Seconds()/ours.Seconds(), "speedup")
			b.ReportMetric(theirs.Seconds()/coldWall.Seconds(), "speedup-cold")
			b.ReportMetric(theirsCPU.Seconds()/oursCPU.Seconds(), "speedup-cpu")
		})
		for _, f := range []struct{ name, mid string }{{"fluidsynth", mid}, {"fluidsynth-startup", oneMid}} {
			b.Run(sf.name+"/"+f.name, func(b *testing.B) {
				out := filepath.Join(b.TempDir(), "out.wav")
				var audio float64
				var wall time.Duration
				for b.Loop() {
					start := time.Now()
					if o, err := exec.Command(fluid, "-ni", "-q", "-F", out, "-r", "44100", "-g", "0.5", sf.path, f.mid).CombinedOutput(); err != nil {
						b.Fatalf("fluidsynth: %v\n%s", err, o)
					}
					wall += time.Since(start)
					st, err := os.Stat(out)
					if err != nil {
						b.Fatal(err)
					}
					audio += float64(st.Size()-44) / 4 / 44100
				}
				b.ReportMetric(audio/wall.Seconds(), "audio-s/s")
			})
		}
	}
}
