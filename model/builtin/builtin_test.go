package builtin_test

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"sideman/internal/cputime"
	"sideman/internal/shareddata"
	"sideman/load"
	"sideman/model"
	"sideman/model/builtin"
	"sideman/music"
	"sideman/project"
)

// The embedded jazz model is what its recipe learns from the corpus,
// byte for byte: `make models` writes it, and a model or reader change
// that moves a count fails here until it is run again. Learning is
// deterministic (the viewpoints are learned in parallel, each over the
// melodies in order), so the bytes are compared, not the predictions.
func TestBuiltinReproduces(t *testing.T) {
	for _, b := range builtin.List() {
		r := b.Recipe
		corpus := shareddata.File(t, r.Corpus)
		root := strings.TrimSuffix(corpus, filepath.FromSlash(r.Corpus))
		opt, err := project.RecipeModelOptions(r.Name, root)
		if err != nil {
			t.Fatal(err)
		}
		var p project.Project
		m, err := p.LearnModel(context.Background(), opt)
		if err != nil {
			t.Fatal(err)
		}
		var learned bytes.Buffer
		if err := model.Encode(&learned, m); err != nil {
			t.Fatal(err)
		}
		file, err := b.File()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(file, learned.Bytes()) {
			t.Errorf("%s: the embedded model (%d bytes) differs from what its recipe learns (%d bytes, %d pieces): run make models", b.Name, len(file), learned.Len(), m.Pieces)
		}
	}
}

// The jazz model learned the 456 WJazzD solos with its recipe's
// configuration, chord viewpoints included, and predicts from them: after
// the first notes of a ii-V-I line a chord tone of the I is likelier than
// the note a semitone above the root.
func TestJazzModel(t *testing.T) {
	b, ok := builtin.Find("jazz")
	if !ok {
		t.Fatal("no built-in jazz model")
	}
	m, err := b.Open()
	if err != nil {
		t.Fatal(err)
	}
	cfg := m.Config()
	var names []string
	for _, v := range cfg.Viewpoints {
		names = append(names, v.Name)
	}
	if m.Pieces != 456 || m.Notes != 200814 || strings.Join(names, ",") != b.Recipe.Viewpoints || cfg.Unbounded || cfg.Order != b.Recipe.Order {
		t.Errorf("jazz model: %d pieces, %d notes, viewpoints %s, order %d (unbounded %v); want the 456 solos' 200814 notes, %s, order %d",
			m.Pieces, m.Notes, strings.Join(names, ","), cfg.Order, cfg.Unbounded, b.Recipe.Viewpoints, b.Recipe.Order)
	}
	if n := b.Embedded(); n > 5<<20 {
		t.Errorf("the jazz model adds %d bytes to the binary, more than 5 MiB", n)
	}
}

// iiVI is a bebop line over Dm7 | G7 | and the downbeat of Cmaj7 after
// it, in eighth notes of 4/4 (960 ticks a beat).
func iiVI() (line []model.Event, next model.Event) {
	type chord struct {
		root  int
		tones []int
	}
	dm7, g7, cmaj7 := chord{2, []int{2, 5, 9, 0}}, chord{7, []int{7, 11, 2, 5}}, chord{0, []int{0, 4, 7, 11}}
	at := func(bar, eighth, pitch int, c chord) model.Event {
		var tones uint16
		for _, pc := range c.tones {
			tones |= 1 << pc
		}
		onset := music.Ticks(bar*3840 + eighth*480)
		return model.Event{Pitch: pitch, Onset: onset, Duration: 480, HasChord: true, Root: c.root, Tones: tones,
			Bar: bar, Beat: eighth / 2, Offset: music.Ticks(eighth%2) * 480, BeatTicks: 960}
	}
	for i, p := range []int{62, 65, 69, 72, 76, 74, 72, 69} {
		line = append(line, at(0, i, p, dm7))
	}
	for i, p := range []int{67, 71, 74, 77, 76, 74, 71, 67} {
		line = append(line, at(1, i, p, g7))
	}
	return line, at(2, 0, 0, cmaj7)
}

// The jazz model hears the chord: on the downbeat of Cmaj7 after a ii-V
// line the chord's tones together are likelier than their share of the
// twelve pitch classes and the likeliest pitch class is one of them; and
// the same line landing on Ebmaj7 instead moves probability to Ebmaj7's
// tones.
func TestJazzModelHearsTheChord(t *testing.T) {
	b, _ := builtin.Find("jazz")
	m, err := b.Open()
	if err != nil {
		t.Fatal(err)
	}
	line, next := iiVI()
	// share is the probability of the pitch classes of tones after the
	// line, on the downbeat of a chord of root and tones; best the
	// likeliest pitch class.
	share := func(root int, chord []int, of []int) (sum float64, best int) {
		s := m.Session()
		for _, e := range line {
			s.Add(e)
		}
		e := next
		e.Root, e.Tones = root, 0
		for _, pc := range chord {
			e.Tones |= 1 << pc
		}
		p := s.Predict(e)
		pcs := make([]float64, 12)
		for i, pitch := range s.Alphabet() {
			pcs[pitch%12] += p.Both[i]
		}
		for _, pc := range of {
			sum += pcs[pc]
		}
		for pc := range pcs {
			if pcs[pc] > pcs[best] {
				best = pc
			}
		}
		return sum, best
	}
	cmaj7, ebmaj7 := []int{0, 4, 7, 11}, []int{3, 7, 10, 2}
	c, best := share(0, cmaj7, cmaj7)
	t.Logf("on Cmaj7: its tones %.3f, likeliest pitch class %d", c, best)
	if c <= 4.0/12 || !slices.Contains(cmaj7, best) {
		t.Errorf("on Cmaj7 its tones have %.3f (their share is %.3f) and the likeliest pitch class is %d: want more, and a chord tone", c, 4.0/12, best)
	}
	onC, _ := share(0, cmaj7, ebmaj7)
	onEb, best := share(3, ebmaj7, ebmaj7)
	t.Logf("Ebmaj7's tones: %.3f on Cmaj7, %.3f on Ebmaj7 (likeliest pitch class %d)", onC, onEb, best)
	if onEb <= onC {
		t.Errorf("Ebmaj7's tones have %.3f on Ebmaj7, %.3f on Cmaj7: the model does not hear the chord", onEb, onC)
	}
}

// BenchmarkOpen is what the jazz model costs a command that loads it:
// inflating the embedded file, then decoding it.
func BenchmarkOpen(b *testing.B) {
	m, _ := builtin.Find("jazz")
	file, err := m.File()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("inflate", func(b *testing.B) {
		b.SetBytes(int64(len(file)))
		for b.Loop() {
			if _, err := m.File(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(file)))
		for b.Loop() {
			if _, err := model.DecodeBytes(file); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("both", func(b *testing.B) {
		// The process's CPU time beside the wall clock, whose figure on
		// a shared machine is other programs' too (decoding runs the
		// viewpoints in parallel, so CPU time may pass wall time).
		c0 := cputime.Used()
		for b.Loop() {
			if _, err := m.Open(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64((cputime.Used()-c0).Milliseconds())/float64(b.N), "cpu-ms/op")
	})
}

// BenchmarkPredictJazz predicts the next pitch of a solo from the jazz
// model and a session holding its 64 bars before it, as the soloist
// will (the model learned this solo too: a measure of speed, not of
// bits). It reports the 99th percentile of the wall clock and the mean
// CPU time.
func BenchmarkPredictJazz(b *testing.B) {
	jazz, _ := builtin.Find("jazz")
	m, err := jazz.Open()
	if err != nil {
		b.Fatal(err)
	}
	var long []model.Melody
	for d, err := range load.Collection(shareddata.File(b, jazz.Recipe.Corpus)) {
		if err != nil {
			b.Fatal(err)
		}
		mel, err := model.FromChart(d.Charts[0], "")
		if err != nil {
			b.Fatal(err)
		}
		if es := mel.Events; len(es) > 0 && es[len(es)-1].Bar > 80 && len(long) < 16 {
			long = append(long, mel)
		}
	}
	type probe struct {
		s *model.Session
		e model.Event
	}
	var probes []probe
	for _, mel := range long {
		s := m.Session()
		k := 0
		for ; mel.Events[k].Bar < 64; k++ {
			s.Add(mel.Events[k])
		}
		probes = append(probes, probe{s, mel.Events[k]})
	}
	times := make([]time.Duration, 0, b.N)
	c0 := cputime.Used()
	for i := 0; b.Loop(); i++ {
		p := probes[i%len(probes)]
		t0 := time.Now()
		p.s.Predict(p.e)
		times = append(times, time.Since(t0))
	}
	b.ReportMetric(float64((cputime.Used()-c0).Microseconds())/float64(b.N), "cpu-mean-µs")
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-µs")
}
