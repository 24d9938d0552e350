package render_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"sideman/band"
	"sideman/examples"
	"sideman/format/chart"
	"sideman/format/midi"
	"sideman/internal/dsp"
	"sideman/internal/shareddata"
	"sideman/music"
	"sideman/render"
)

// wavFile is a parsed 16-bit PCM WAV file.
type wavFile struct {
	rate, channels int
	left, right    []float64 // -1..1
	clipped        int       // samples at full scale
}

// parseWAV reads a RIFF/WAVE file independently of the package's writer:
// it walks the chunks, so extra chunks (FluidSynth may write some) are
// skipped.
func parseWAV(tb testing.TB, b []byte) *wavFile {
	tb.Helper()
	le := binary.LittleEndian
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		tb.Fatalf("not a RIFF/WAVE file")
	}
	if got := int(le.Uint32(b[4:])); got != len(b)-8 {
		tb.Fatalf("RIFF size %d, file has %d bytes after it", got, len(b)-8)
	}
	w := &wavFile{}
	var bits int
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(le.Uint32(b[p+4:]))
		body := b[p+8 : min(len(b), p+8+size)]
		switch id {
		case "fmt ":
			if f := le.Uint16(body); f != 1 {
				tb.Fatalf("format %d, want 1 (PCM)", f)
			}
			w.channels, w.rate, bits = int(le.Uint16(body[2:])), int(le.Uint32(body[4:])), int(le.Uint16(body[14:]))
			if ba := int(le.Uint16(body[12:])); ba != w.channels*bits/8 {
				tb.Fatalf("block align %d, want %d", ba, w.channels*bits/8)
			}
			if br := int(le.Uint32(body[8:])); br != w.rate*w.channels*bits/8 {
				tb.Fatalf("byte rate %d, want %d", br, w.rate*w.channels*bits/8)
			}
		case "data":
			if bits != 16 || w.channels != 2 {
				tb.Fatalf("%d bits, %d channels; want 16-bit stereo", bits, w.channels)
			}
			n := len(body) / 4
			w.left, w.right = make([]float64, n), make([]float64, n)
			for i := 0; i < n; i++ {
				l, r := int16(le.Uint16(body[4*i:])), int16(le.Uint16(body[4*i+2:]))
				if l == 32767 || l == -32768 {
					w.clipped++
				}
				if r == 32767 || r == -32768 {
					w.clipped++
				}
				w.left[i], w.right[i] = float64(l)/32768, float64(r)/32768
			}
		}
		p += 8 + size + size&1 // chunks are padded to even length
	}
	if w.left == nil {
		tb.Fatalf("no data chunk")
	}
	return w
}

func (w *wavFile) seconds() float64 { return float64(len(w.left)) / float64(w.rate) }

// envelope is the RMS of the mono mix over consecutive windows of win seconds.
func (w *wavFile) envelope(win float64) []float64 {
	n := int(win * float64(w.rate))
	var env []float64
	for i := 0; i+n <= len(w.left); i += n {
		var s float64
		for j := i; j < i+n; j++ {
			m := (w.left[j] + w.right[j]) / 2
			s += m * m
		}
		env = append(env, math.Sqrt(s/float64(n)))
	}
	return env
}

// pearson is the correlation of the overlapping parts of a and b.
func pearson(a, b []float64) float64 {
	n := min(len(a), len(b))
	var ma, mb float64
	for i := 0; i < n; i++ {
		ma += a[i]
		mb += b[i]
	}
	ma /= float64(n)
	mb /= float64(n)
	var sab, saa, sbb float64
	for i := 0; i < n; i++ {
		sab += (a[i] - ma) * (b[i] - mb)
		saa += (a[i] - ma) * (a[i] - ma)
		sbb += (b[i] - mb) * (b[i] - mb)
	}
	return sab / math.Sqrt(saa*sbb)
}

// level is the RMS of the mono mix over 10 ms windows centred every
// millisecond: env[i] is the level at i ms.
func (w *wavFile) level() []float64 {
	hop, half := w.rate/1000, w.rate/200
	var env []float64
	for c := 0; c < len(w.left); c += hop {
		var s float64
		lo, hi := max(0, c-half), min(len(w.left), c+half)
		for j := lo; j < hi; j++ {
			m := (w.left[j] + w.right[j]) / 2
			s += m * m
		}
		env = append(env, math.Sqrt(s/float64(2*half)))
	}
	return env
}

// attack is the time (s) at which notes written at s are heard: where the
// level (see level) first climbs halfway from its lowest in the 50 ms
// before s to its highest from there to 150 ms after s.
func attack(env []float64, s float64) float64 {
	i := int(s * 1000)
	lo, from := math.Inf(1), max(0, i-50)
	for j := from; j <= i && j < len(env); j++ {
		if env[j] < lo {
			lo, from = env[j], j
		}
	}
	hi := 0.0
	for j := from; j < min(len(env), i+150); j++ {
		hi = max(hi, env[j])
	}
	for j := from; j < min(len(env), i+150); j++ {
		if env[j] >= (lo+hi)/2 && env[j] > lo {
			return float64(j) / 1000
		}
	}
	return math.Inf(1)
}

// starts are the distinct times (s) at which the notes of the piece's
// first part start: the piano's, loud enough in the mix to be told
// apart (an off-beat hi-hat under a ringing chord is not).
func starts(p *music.Piece) []float64 {
	clock := p.Tempo.Clock()
	seen := map[music.Ticks]bool{}
	var ts []float64
	for _, n := range p.Parts[0].Notes {
		if !seen[n.Start] {
			seen[n.Start] = true
			ts = append(ts, clock.Seconds(n.Start))
		}
	}
	sort.Float64s(ts)
	return ts
}

// peakFrequency is the frequency (Hz, 1 Hz steps from lo to hi) with the
// most energy in the mono mix over [from, from+dur) seconds, by a direct
// Fourier sum under a Hann window.
func (w *wavFile) peakFrequency(from, dur, lo, hi float64) float64 {
	i0, n := int(from*float64(w.rate)), int(dur*float64(w.rate))
	x := make([]float64, n)
	for j := range x {
		hann := 0.5 - 0.5*math.Cos(2*math.Pi*float64(j)/float64(n-1))
		x[j] = hann * (w.left[i0+j] + w.right[i0+j])
	}
	best, bestF := -1.0, 0.0
	for f := lo; f <= hi; f++ {
		// Goertzel's recurrence: the power at f without a full FFT.
		c := 2 * math.Cos(2*math.Pi*f/float64(w.rate))
		var s1, s2 float64
		for _, v := range x {
			s1, s2 = v+c*s1-s2, s1
		}
		if p := s1*s1 + s2*s2 - c*s1*s2; p > best {
			best, bestF = p, f
		}
	}
	return bestF
}

// The Debian SoundFonts the tests play, at the paths their packages
// install them (finding one on a user's system is the commands' work).
const (
	timGM6mb = "/usr/share/sounds/sf2/TimGM6mb.sf2"   // timgm6mb-soundfont, 6 MB
	fluidR3  = "/usr/share/sounds/sf2/FluidR3_GM.sf2" // fluid-soundfont-gm, 148 MB
)

// needSoundFont returns TimGM6mb's path, skipping (or failing under
// SIDEMAN_REQUIRE_DATA=1) when timgm6mb-soundfont is not installed.
func needSoundFont(tb testing.TB) string {
	tb.Helper()
	if _, err := os.Stat(timGM6mb); err != nil {
		unavailable(tb, "no %s (apt-get install timgm6mb-soundfont)", timGM6mb)
	}
	return timGM6mb
}

// loaded is the SoundFont at path, loaded once for the test binary, as a
// caller rendering many pieces keeps it.
func loaded(tb testing.TB, path string) *render.SoundFont {
	tb.Helper()
	if sf, ok := soundFonts.Load(path); ok {
		return sf.(*render.SoundFont)
	}
	sf, err := loadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	soundFonts.Store(path, sf)
	return sf
}

var soundFonts sync.Map

// loadFile loads the SoundFont at path afresh.
func loadFile(path string) (*render.SoundFont, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return render.LoadSoundFont(f)
}

// needFluidSynth returns the path of Debian's fluidsynth, skipping (or
// failing under SIDEMAN_REQUIRE_DATA=1) when it is not installed.
func needFluidSynth(tb testing.TB) string {
	tb.Helper()
	p, err := exec.LookPath("fluidsynth")
	if err != nil {
		unavailable(tb, "no fluidsynth (apt-get install fluidsynth)")
	}
	return p
}

func unavailable(tb testing.TB, format string, args ...any) {
	tb.Helper()
	msg := fmt.Sprintf(format, args...)
	if shareddata.Required() {
		tb.Fatalf("%s (%s=1)", msg, shareddata.EnvRequire)
	}
	tb.Skipf("%s; skipping (set %s=1 to fail instead)", msg, shareddata.EnvRequire)
}

// fluidRender renders the piece with FluidSynth through a MIDI file, its
// reverb and chorus on (the default), and returns the WAV's bytes and the
// MIDI file's path.
func fluidRender(tb testing.TB, fluid, sf2 string, p *music.Piece, extra ...string) ([]byte, string) {
	tb.Helper()
	dir := tb.TempDir()
	mid := writeMIDI(tb, dir, p)
	out := filepath.Join(dir, "fluid.wav")
	runFluid(tb, fluid, sf2, mid, out, extra...)
	b, err := os.ReadFile(out)
	if err != nil {
		tb.Fatal(err)
	}
	return b, mid
}

// runFluid renders a MIDI file with FluidSynth, effects on.
func runFluid(tb testing.TB, fluid, sf2, mid, out string, extra ...string) {
	tb.Helper()
	args := append([]string{"-ni", "-q", "-F", out, "-r", "44100"}, extra...)
	args = append(args, sf2, mid)
	if b, err := exec.Command(fluid, args...).CombinedOutput(); err != nil {
		tb.Fatalf("fluidsynth: %v\n%s", err, b)
	}
}

func writeMIDI(tb testing.TB, dir string, p *music.Piece) string {
	tb.Helper()
	var buf bytes.Buffer
	if err := midi.EncodePiece(&buf, p); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, "in.mid")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// scalePiece is a C major scale on the piano, a quarter note a step at
// 120 bpm, over two bars of a rock beat on the General MIDI kit
// (kick 36, snare 38, closed hi-hat 42), then a held A4 on its own for
// the pitch check.
func scalePiece() *music.Piece {
	const q = music.PPQ
	p := &music.Piece{Title: "scale", Tempo: music.TempoMap{{At: 0, MicrosPerQuarter: 500000}}}
	piano := music.Part{Name: "Piano", Role: music.RolePiano, Channel: 0, Program: 0}
	id := music.NoteID(1)
	for i, k := range []uint8{60, 62, 64, 65, 67, 69, 71, 72} {
		piano.Notes = append(piano.Notes, music.Note{ID: id, Pitch: k, Velocity: 90, Start: music.Ticks(i) * q, Duration: q * 9 / 10})
		id++
	}
	piano.Notes = append(piano.Notes, music.Note{ID: id, Pitch: 69, Velocity: 100, Start: 10 * q, Duration: 2 * q})
	id++
	drums := music.Part{Name: "Drums", Role: music.RoleDrums, Channel: 9, Program: 0}
	for beat := 0; beat < 8; beat++ {
		t := music.Ticks(beat) * q
		k := uint8(36)
		if beat%2 == 1 {
			k = 38
		}
		drums.Notes = append(drums.Notes,
			music.Note{ID: id, Pitch: k, Velocity: 100, Channel: 9, Start: t, Duration: q / 4},
			music.Note{ID: id + 1, Pitch: 42, Velocity: 70, Channel: 9, Start: t, Duration: q / 4},
			music.Note{ID: id + 2, Pitch: 42, Velocity: 60, Channel: 9, Start: t + q/2, Duration: q / 4})
		id += 3
	}
	music.SortNotes(drums.Notes)
	p.Parts = []music.Part{piano, drums}
	return p
}

// bluesPiece is the bundled F blues as block chords, for the given
// choruses.
func bluesPiece(tb testing.TB, choruses int) *music.Piece {
	tb.Helper()
	src, err := examples.Open("blues-f")
	if err != nil {
		tb.Fatal(err)
	}
	charts, err := chart.DecodeBytes(src)
	if err != nil {
		tb.Fatal(err)
	}
	return band.BlockChords(charts[0], choruses)
}

// brushPiece is two bars of ballad brushes on the GS brush kit (program 40
// on channel 10: keys 38 tap and 39 slap on the beats) with a swirl (key
// 40) under each bar, at 70 bpm.
func brushPiece(program int) *music.Piece {
	const q = music.PPQ
	p := &music.Piece{Title: "brushes", Tempo: music.TempoMap{{At: 0, MicrosPerQuarter: 60000000 / 70}}}
	beats := music.Part{Name: "Brushes", Role: music.RoleDrums, Channel: 9, Program: program}
	swirl := music.Part{Name: "Swirl", Role: music.RoleDrums, Channel: 9, Program: -1}
	for beat := 0; beat < 8; beat++ {
		k := uint8(38)
		if beat%2 == 1 {
			k = 39
		}
		beats.Notes = append(beats.Notes, music.Note{ID: music.NoteID(beat + 1), Pitch: k, Velocity: 110, Channel: 9, Start: music.Ticks(beat) * q, Duration: q / 2})
	}
	for bar := 0; bar < 2; bar++ {
		swirl.Notes = append(swirl.Notes, music.Note{ID: music.NoteID(20 + bar), Pitch: 40, Velocity: 50, Channel: 9, Start: music.Ticks(bar) * 4 * q, Duration: 4 * q})
	}
	p.Parts = []music.Part{beats, swirl}
	return p
}

// bands is the long-term spectrum of the mono mix in third-octave bands
// from 50 Hz to 16 kHz, in dB relative to the bands' mean: the tone colour
// of a render, whatever its level.
func (w *wavFile) bands(secs float64) []float64 {
	const n = 4096
	var power [n / 2]float64
	frames := min(len(w.left), int(secs*float64(w.rate))) / n
	x := make([]complex128, n)
	for f := 0; f < frames; f++ {
		for j := range x {
			hann := 0.5 - 0.5*math.Cos(2*math.Pi*float64(j)/n)
			x[j] = complex(hann*(w.left[f*n+j]+w.right[f*n+j]), 0)
		}
		dsp.FFT(x)
		for j := range power {
			power[j] += real(x[j])*real(x[j]) + imag(x[j])*imag(x[j])
		}
	}
	var db []float64
	var mean float64
	for lo := 50.0; lo < 16000; lo *= math.Pow(2, 1.0/3) {
		hi := lo * math.Pow(2, 1.0/3)
		var e float64
		for j := int(lo * n / float64(w.rate)); j < int(hi*n/float64(w.rate)) && j < n/2; j++ {
			e += power[j]
		}
		d := 10 * math.Log10(e+1e-12)
		db = append(db, d)
		mean += d
	}
	mean /= float64(len(db))
	for i := range db {
		db[i] -= mean
	}
	return db
}
