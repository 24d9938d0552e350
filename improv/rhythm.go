package improv

import (
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"sideman/format/wjazzd"
)

// Rhythm is how jazz soloists place their notes, learned from the Weimar
// Jazz Database (WJazzD): phrase lengths, the breaths between phrases and
// the spacing of notes in a phrase, on an eighth-note grid. The soloist
// writes straight eighths (feel swings them), so the learner reads the
// database's metrical positions, not its onsets: the transcribers placed
// every note on a tatum of its beat (mcm_48, 12 per beat), while the
// onsets in seconds carry the players' swing and micro-timing, which
// would smear a grid learned from them.
//
// It also keeps the human figures a solo is measured against.
type Rhythm struct {
	// Source says what it was learned from.
	Source string `json:"source"`
	// Solos, Phrases and Notes learned (notes on the eighth grid: of two
	// notes in one eighth, as in a run of sixteenths, the first).
	Solos   int `json:"solos"`
	Phrases int `json:"phrases"`
	Notes   int `json:"notes"`
	// Merged is the share of the database's notes that fell in an eighth
	// another note already held (sixteenth runs, grace notes).
	Merged float64 `json:"merged"`
	// IOI[p][k-1] is the chance that the next note of a phrase comes k
	// eighths after one on the beat (p = 0) or off it (p = 1); the last
	// holds IOIs of MaxIOI eighths and more.
	IOI [2][]float64 `json:"ioi"`
	// PhraseNotes[n-1] is the chance that a phrase has n notes; the last
	// holds MaxPhraseNotes and more.
	PhraseNotes []float64 `json:"phrase_notes"`
	// Gap[k-1] is the chance that the next phrase starts k eighths after
	// the last note of a phrase began; the last holds MaxGap and more.
	Gap []float64 `json:"gap"`
	// OffbeatStart is the share of phrases that start off the beat.
	OffbeatStart float64 `json:"offbeat_start"`
	// Human is what the solos measure (Figures), to compare a solo with.
	Human Figures `json:"human"`
}

const (
	MaxIOI         = 8
	MaxPhraseNotes = 48
	MaxGap         = 32
)

//go:embed rhythm.json
var builtinRhythm []byte

// Builtin is the rhythm learned from WJazzD (LearnRhythm of
// wjd_transforms), committed in rhythm.json.
func Builtin() *Rhythm {
	var r Rhythm
	if err := json.Unmarshal(builtinRhythm, &r); err != nil {
		panic("improv: rhythm.json: " + err.Error()) // embedded, tested
	}
	return &r
}

// Encode writes the rhythm as rhythm.json holds it.
func (r *Rhythm) Encode(w io.Writer) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// LearnRhythm learns a Rhythm from WJazzD's note table, wjd_transforms
// (one row a note: melid, bar, period, mcm_48, pitch_raw, phrase_id_raw,
// chord), as jazzodata exports it. Solos not in four beats a bar are
// left out. Phrases are the database's own (annotated by hand).
func LearnRhythm(r io.Reader) (*Rhythm, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("wjd_transforms: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	need := []string{"melid", "bar", "period", "mcm_48", "pitch_raw", "phrase_id_raw", "chord"}
	for _, n := range need {
		if _, ok := col[n]; !ok {
			return nil, fmt.Errorf("wjd_transforms: no column %q", n)
		}
	}
	var (
		out        = &Rhythm{Source: "WJazzD (Jazzomat Research Project, ODbL 1.0): wjd_transforms, solos in 4/4, eighth grid"}
		ioi        [2][MaxIOI]float64
		phraseN    [MaxPhraseNotes]float64
		gap        [MaxGap]float64
		offStarts  float64
		all        int
		solo       []gridNote
		melid      = ""
		measures   figureSum
		chordCache = map[string]uint16{}
	)
	flush := func() {
		if len(solo) == 0 {
			return
		}
		out.Solos++
		var phrases [][]gridNote
		for i, n := range solo {
			if i == 0 || n.phrase != solo[i-1].phrase {
				phrases = append(phrases, nil)
			}
			phrases[len(phrases)-1] = append(phrases[len(phrases)-1], n)
		}
		for pi, ph := range phrases {
			out.Phrases++
			phraseN[min(len(ph), MaxPhraseNotes)-1]++
			if parity(ph[0].e8) == 1 {
				offStarts++
			}
			for i := 1; i < len(ph); i++ {
				k := int(ph[i].e8 - ph[i-1].e8)
				ioi[parity(ph[i-1].e8)][min(k, MaxIOI)-1]++
			}
			if pi+1 < len(phrases) {
				k := int(phrases[pi+1][0].e8 - ph[len(ph)-1].e8)
				gap[min(max(k, 1), MaxGap)-1]++
			}
		}
		measures.add(solo, phrases)
		solo = solo[:0]
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("wjd_transforms: %w", err)
		}
		if rec[col["melid"]] != melid {
			flush()
			melid = rec[col["melid"]]
		}
		if rec[col["period"]] != "4" {
			continue
		}
		bar, err1 := strconv.Atoi(rec[col["bar"]])
		mcm, err2 := strconv.Atoi(rec[col["mcm_48"]])
		pitch, err3 := strconv.Atoi(rec[col["pitch_raw"]])
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, fmt.Errorf("wjd_transforms: line %d: %w", line, err)
		}
		all++
		e8 := int64(bar)*8 + int64(eighthOf(mcm))
		if len(solo) > 0 && e8 <= solo[len(solo)-1].e8 {
			continue // a second note in one eighth
		}
		sym := rec[col["chord"]]
		tones, ok := chordCache[sym]
		if !ok {
			if c, err := wjazzd.ParseChord(sym); err == nil && !c.NoChord {
				tones = c.PitchClasses()
			}
			chordCache[sym] = tones
		}
		solo = append(solo, gridNote{e8: e8, pitch: pitch, phrase: rec[col["phrase_id_raw"]], tones: tones})
		out.Notes++
	}
	flush()
	if out.Phrases == 0 {
		return nil, errors.New("wjd_transforms: no solo in 4/4")
	}
	out.Merged = round4(1 - float64(out.Notes)/float64(all))
	for p := range ioi {
		out.IOI[p] = normalise(ioi[p][:])
	}
	out.PhraseNotes = normalise(phraseN[:])
	out.Gap = normalise(gap[:])
	out.OffbeatStart = round4(offStarts / float64(out.Phrases))
	out.Human = measures.figures()
	return out, nil
}

// eighthOf places a position of the bar on the 48-tatum grid (12 a beat)
// on the eighth grid: the beat, its offbeat (straight, swung or a
// triplet's third), or the next beat for the last sixteenth's tail.
func eighthOf(mcm int) int {
	beat, r := mcm/12, mcm%12
	switch {
	case r < 3:
		return 2 * beat
	case r < 10:
		return 2*beat + 1
	}
	return 2*beat + 2
}

// gridNote is a note on the eighth grid: e8 eighths from the solo's start.
type gridNote struct {
	e8     int64
	pitch  int
	phrase string
	tones  uint16 // the chord's pitch classes, 0 with none
}

func normalise(c []float64) []float64 {
	var sum float64
	for _, v := range c {
		sum += v
	}
	out := make([]float64, len(c))
	for i, v := range c {
		if sum > 0 {
			out[i] = round4(v / sum)
		}
	}
	return out
}

// parity is 0 for an eighth on the beat, 1 off it.
func parity(e8 int64) int { return int(((e8 % 2) + 2) % 2) }

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// sample draws an index of weights w (not all zero) given u in [0, 1).
func sample(w []float64, u float64) int {
	var sum float64
	for _, v := range w {
		sum += v
	}
	x := u * sum
	for i, v := range w {
		if x < v {
			return i
		}
		x -= v
	}
	for i := len(w) - 1; i >= 0; i-- {
		if w[i] > 0 {
			return i
		}
	}
	return 0
}
