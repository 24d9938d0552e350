package improv

import (
	"bytes"
	"compress/gzip"
	"os"
	"sync"
	"testing"

	"sideman/internal/shareddata"
)

var learned struct {
	once sync.Once
	r    *Rhythm
	err  error
}

// learnWJazzD is LearnRhythm of the shared WJazzD, once a test binary.
func learnWJazzD(tb testing.TB) *Rhythm {
	tb.Helper()
	path := shareddata.File(tb, "wjazzd/wjd_transforms.csv.gz")
	learned.once.Do(func() {
		f, err := os.Open(path)
		if err != nil {
			learned.err = err
			return
		}
		defer f.Close()
		z, err := gzip.NewReader(f)
		if err != nil {
			learned.err = err
			return
		}
		learned.r, learned.err = LearnRhythm(z)
	})
	if learned.err != nil {
		tb.Fatal(learned.err)
	}
	return learned.r
}

// TestBuiltinReproduces: rhythm.json is what LearnRhythm learns from
// WJazzD (rewrite it with SIDEMAN_WRITE_RHYTHM=1 and read the diff).
func TestBuiltinReproduces(t *testing.T) {
	r := learnWJazzD(t)
	var got bytes.Buffer
	if err := r.Encode(&got); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("SIDEMAN_WRITE_RHYTHM") == "1" {
		if err := os.WriteFile("rhythm.json", got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got.Bytes(), builtinRhythm) {
		t.Errorf("learning WJazzD again gives a different rhythm.json:\n%s", got.String())
	}
	t.Logf("%d solos, %d phrases, %d notes, %.1f%% merged; human %+v", r.Solos, r.Phrases, r.Notes, 100*r.Merged, r.Human)
}

// TestRhythmIsJazz: what the soloists do, as the literature says it: a
// phrase of a WJazzD solo is a few bars, not a chorus; eighths are the
// commonest spacing; most strong-beat notes are chord tones.
func TestRhythmIsJazz(t *testing.T) {
	r := learnWJazzD(t)
	if r.Solos < 400 {
		t.Errorf("%d solos learned, want most of the 456", r.Solos)
	}
	for p := range r.IOI {
		best := 0
		for k, v := range r.IOI[p] {
			if v > r.IOI[p][best] {
				best = k
			}
		}
		if best != 0 {
			t.Errorf("IOI after parity %d: commonest %d eighths, want 1 (eighth lines)", p, best+1)
		}
	}
	if h := r.Human; h.PhraseBeats < 4 || h.PhraseBeats > 24 {
		t.Errorf("phrases of %.1f beats on average", h.PhraseBeats)
	}
	if h := r.Human; h.StrongChordTones < 0.45 || h.StrongChordTones > 0.8 { // chance is about a third
		t.Errorf("strong-beat chord tones %.3f", h.StrongChordTones)
	}
}
