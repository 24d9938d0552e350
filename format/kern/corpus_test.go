package kern

import (
	"path"
	"testing"

	"sideman/internal/shareddata"
	"sideman/music"
)

const corpusFile = "bach-chorales/bach-370-chorales-kern.tar.gz"

func readCorpus(t testing.TB) (names []string, files [][]byte) {
	t.Helper()
	ms, data, err := shareddata.ReadTarGz(shareddata.File(t, corpusFile), shareddata.HasSuffix(".krn"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		names = append(names, path.Base(m.Name))
	}
	return names, data
}

// TestCorpus reads the 370 chorales of Craig Sapp's edition and checks
// them against what is known of Bach's four-part writing.
func TestCorpus(t *testing.T) {
	names, files := readCorpus(t)
	if len(files) != 370 {
		t.Errorf("%d chorales, want 370", len(files))
	}
	// The voices' compass in the chorales: soprano A3-A5, alto E3-D5,
	// tenor C3-A4, bass C2-E4 (Sapp's edition; cf. the ranges Bach keeps
	// to, soprano c'-a'', alto g-d'', tenor c-a', bass C-d', in most
	// harmony textbooks, with a few notes beyond).
	compass := map[string][2]uint8{"Soprano": {57, 81}, "Alto": {52, 74}, "Tenor": {48, 69}, "Bass": {36, 64}}
	notes, tonicEnd, sopranoTop, onsets := 0, 0, 0, 0
	for i, data := range files {
		c, err := Decoder{Source: names[i]}.DecodeBytes(data)
		if err != nil {
			t.Errorf("%s: %v", names[i], err)
			continue
		}
		notes += c.WrittenNotes()
		if len(c.Parts) != 4 || c.Parts[0].Name != "Bass" || c.Parts[1].Name != "Tenor" || c.Parts[2].Name != "Alto" || c.Parts[3].Name != "Soprano" {
			t.Errorf("%s: parts %v", names[i], c.Parts)
			continue
		}
		if c.Key == nil || c.Meter == nil || c.Tempo == 0 || c.Title == "" || c.Composer != "Bach, Johann Sebastian" {
			t.Errorf("%s: key %v meter %v tempo %d title %q composer %q", names[i], c.Key, c.Meter, c.Tempo, c.Title, c.Composer)
		}
		p := c.Perform(1)
		for _, part := range p.Parts {
			r := compass[part.Name]
			for _, n := range part.Notes {
				if n.Pitch < r[0] || n.Pitch > r[1] {
					t.Errorf("%s: %s note %d outside %d..%d", names[i], part.Name, n.Pitch, r[0], r[1])
				}
			}
		}
		// At every onset of all four voices, the soprano is on top.
		at := map[music.Ticks][4]int{}
		for v, part := range p.Parts {
			for _, n := range part.Notes {
				x := at[n.Start]
				x[v] = int(n.Pitch) + 1
				at[n.Start] = x
			}
		}
		for _, x := range at {
			if x[0] > 0 && x[1] > 0 && x[2] > 0 && x[3] > 0 {
				onsets++
				if x[3] >= x[2] && x[3] >= x[1] && x[3] >= x[0] {
					sopranoTop++
				}
			}
		}
		// Chorales end on the tonic in the bass, save the Phrygian
		// cadences of minor-key and modal chorales that end on the
		// dominant.
		bass := p.Parts[0].Notes
		if last := bass[len(bass)-1]; int(last.Pitch)%12 == c.Key.Tonic.PitchClass() {
			tonicEnd++
		}
	}
	t.Logf("%d chorales, %d notes; final bass on the tonic in %d; soprano on top at %d of %d four-voice onsets",
		len(files), notes, tonicEnd, sopranoTop, onsets)
	if 100*tonicEnd < 90*len(files) || 1000*sopranoTop < 995*onsets {
		t.Errorf("final bass on the tonic in %d of %d, soprano on top at %d of %d onsets", tonicEnd, len(files), sopranoTop, onsets)
	}
}

// TestCorpusExpansion cross-checks two encodings of each chorale's form:
// the repeat barlines (with the endings its sections name) as
// music.Chart.Unroll plays them, and the expansion list *>[A,A,B] laid
// out by the decoder. Both must give the same notes at the same times.
func TestCorpusExpansion(t *testing.T) {
	names, files := readCorpus(t)
	lists, norep := 0, 0
	for i, data := range files {
		written, err := Decoder{Source: names[i]}.DecodeBytes(data)
		if err != nil {
			t.Fatalf("%s: %v", names[i], err)
		}
		expanded, err := Decoder{Source: names[i], Expansion: "*"}.DecodeBytes(data)
		if err != nil {
			t.Fatalf("%s: %v", names[i], err)
		}
		if len(expanded.Bars) == len(written.Bars) && performed(written) == performed(expanded) {
			continue // no expansion list, or one that repeats nothing
		}
		lists++
		if a, b := performed(written), performed(expanded); a != b {
			t.Errorf("%s: unrolled and expanded differ", names[i])
		}
		// norep lists every section once: the notes as written.
		n, err := Decoder{Source: names[i], Expansion: "norep"}.DecodeBytes(data)
		if err == nil && len(n.Bars) < len(expanded.Bars) {
			norep++
			if n.WrittenNotes() > written.WrittenNotes() {
				t.Errorf("%s: norep has %d notes, more than the %d written", names[i], n.WrittenNotes(), written.WrittenNotes())
			}
		}
	}
	t.Logf("%d chorales with repeats in their expansion list, %d with a norep list", lists, norep)
	if lists < 180 {
		t.Errorf("%d chorales with repeats, want the 185 of the edition", lists)
	}
}
