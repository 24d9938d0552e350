package improv

import (
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

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
	// IOI2[d][p][j-1][k-1] is the chance of k eighths to the next note
	// after a note on or off the beat (p) that came j eighths after the
	// one before, in a phrase in double time (d = 1: a third of its beats
	// or more hold more notes than eighths) or not (0): the spacing looks
	// two notes back, so an eighth line goes on as a line and a phrase of
	// longer notes stays one.
	IOI2 [2][2][][]float64 `json:"ioi2"`
	// PhraseNotes[n-1] is the chance that a phrase has n notes; the last
	// holds MaxPhraseNotes and more.
	PhraseNotes []float64 `json:"phrase_notes"`
	// Gap[k-1] is the chance that the next phrase starts k eighths after
	// the last note of a phrase began; the last holds MaxGap and more.
	Gap []float64 `json:"gap"`
	// OffbeatStart is the share of phrases that start off the beat.
	OffbeatStart float64 `json:"offbeat_start"`
	// Fills are how soloists fill the beats of the eighth grid, by tempo
	// (at a ballad's tempo sixteenths are common, at 300 beats a minute
	// rare): the double time, sixteenth runs and triplets that the grid
	// leaves out.
	Fills []BeatFills `json:"fills"`
	// Articulation[k-1] are the deciles (0%, 10%, … 90%, and 99%) of the share of
	// the time to the next note of its phrase that a note sounds, k
	// eighths before it (the last holds MaxIOI and more; a sixteenth
	// counts as one): soloists hold an eighth nearly to the next note and
	// a quarter or longer for much less of the time, a detached note
	// before a short rest (WJazzD's articulation, from the recordings).
	Articulation [][]float64 `json:"articulation"`
	// LastNote are the deciles (0%, 10%, … 90%, and 99%) of how long, in beats,
	// soloists hold the last note of a phrase (its articulation times the
	// time to the next phrase).
	LastNote []float64 `json:"last_note"`
	// Swing is how far soloists swing the eighths transcribed straight, by
	// tempo: the median beat-upbeat ratio of three notes of a phrase on a
	// beat, its "and" (the transcribers' straight upbeat, a 48th of the bar
	// 6: those they heard on the triplet are Fills') and the next beat,
	// from their onsets in seconds, in tempo bands.
	Swing []SwingBand `json:"swing"`
	// Human is what the solos measure (Figures), to compare a solo with.
	Human Figures `json:"human"`
}

// BeatFills are the fills of beats at tempi under Below beats a minute
// (0 is no bound), a solo's tempo its median beat.
type BeatFills struct {
	Below float64 `json:"below_bpm"`
	Solos int     `json:"solos"`
	// DoubleTime is the share of phrases in double time (IOI2): soloists
	// play a passage in double time or not, rather than a sixteenth here
	// and there.
	DoubleTime float64 `json:"double_time"`
	// Fills[d][c-1][r] are how soloists fill a beat of a phrase in double
	// time or not (d, as IOI2's) whose eighths hold a note on the beat
	// only (c = 1), off it only (2) or both (3), after a beat of the
	// phrase that held more notes than eighths (r = 1: a run of
	// sixteenths or triplets goes on) or not (0): the places of its notes
	// in twelfths of the beat (-2 and -1 are the beat before's last
	// sixteenth and triplet, which the grid puts on this beat), each fill
	// with its chance.
	Fills [2][3][2][]Fill `json:"fills"`
	// Again[d][c-1] is the chance that a beat of class c fills as the
	// beat of its class before it in the phrase did, beyond the chance of
	// drawing that fill again: a player keeps a way of filling beats (a
	// swing heard on the triplet) for a while.
	Again [2][3]float64 `json:"again"`
}

// fillBands are the tempo bands of Fills.
var fillBands = []float64{140, 220, 0}

// FillsAt are the fills at bpm; nil when none were learned.
func (r *Rhythm) FillsAt(bpm float64) *BeatFills {
	for i := range r.Fills {
		if b := &r.Fills[i]; b.Below == 0 || bpm < b.Below {
			return b
		}
	}
	return nil
}

// Fill is the notes of a beat: their places, in twelfths of the beat,
// and the fill's chance.
type Fill struct {
	At []int   `json:"at"`
	P  float64 `json:"p"`
}

// minFill is the least share of its class a fill must have to be kept:
// rarer ones (a grace note a 48th before the beat) are left out.
const minFill = 0.003

// SwingBand is the soloists' swing at tempi under Below beats a minute
// (and at or over the band before; 0 is no bound).
type SwingBand struct {
	Below float64 `json:"below_bpm"`
	// BUR is the median beat-upbeat ratio (1 straight, 2 a triplet
	// swing), of Pairs eighth pairs.
	BUR   float64 `json:"bur"`
	Pairs int     `json:"pairs"`
}

// swingBands are the tempo bands of Swing, feel's.
var swingBands = []float64{100, 140, 190, 250, 0}

// SwingAt is the swing (music.Piece.Swing: the upbeat's place in the
// beat, 0.5 straight) soloists play at bpm, 0 when not known.
func (r *Rhythm) SwingAt(bpm float64) float64 {
	for _, b := range r.Swing {
		if b.Below == 0 || bpm < b.Below {
			if b.Pairs == 0 {
				return 0
			}
			return b.BUR / (1 + b.BUR)
		}
	}
	return 0
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
	need := []string{"melid", "bar", "period", "mcm_48", "pitch_raw", "phrase_id_raw", "chord", "onset", "articulation_raw"}
	for _, n := range need {
		if _, ok := col[n]; !ok {
			return nil, fmt.Errorf("wjd_transforms: no column %q", n)
		}
	}
	var (
		out        = &Rhythm{Source: "WJazzD (Jazzomat Research Project, ODbL 1.0): wjd_transforms, solos in 4/4, eighth grid"}
		ioi        [2][MaxIOI]float64
		ioi2       [2][2][MaxIOI][MaxIOI]float64
		phraseN    [MaxPhraseNotes]float64
		gap        [MaxGap]float64
		offStarts  float64
		all        int
		solo       []gridNote
		melid      = ""
		measures   figureSum
		chordCache = map[string]uint16{}
		raw        []rawNote
		fills      = make([][2][3][2]map[string]int, len(fillBands)) // by tempo, double time, class, run before: the fill's places ("0,6") counted
		again      = make([][2][3][2]float64, len(fillBands))        // by tempo, double time, class: beats after a beat of the class in the phrase, [other fill, same]
		fillSolos  = make([]int, len(fillBands))
		doubled    = make([][2]float64, len(fillBands)) // by tempo: phrases [not, in double time]
		band       int                                  // the tempo band of the solo
		kinds      map[string]int                       // the solo's phrases: 1 in double time
		burs       = make([][]float64, len(swingBands))
		arts       [MaxIOI][]float64
		lastNotes  []float64
	)
	// learnRaw learns the sixteenths, triplets and swing of a solo's
	// notes as transcribed (every note, on the 48-tatum grid).
	learnRaw := func() {
		var last [3]string // the fill of each class last played in the phrase
		lastPhrase := ""
		for i := 0; i < len(raw); {
			// raw[i:j] is a phrase's notes of one beat, as the eighth
			// grid places them (the last sixteenth before the beat in it)
			j := i + 1
			for j < len(raw) && raw[j].e8/2 == raw[i].e8/2 && raw[j].phrase == raw[i].phrase {
				j++
			}
			beat := raw[i].e8 / 2
			class, at := 0, make([]string, 0, j-i)
			ordered := true // places in order (a few transcribed beats are not: left out)
			for k, n := range raw[i:j] {
				class |= 1 << parity(n.e8)
				at = append(at, strconv.Itoa(placeInBeat(n.mcm)))
				if k > 0 && placeInBeat(n.mcm) <= placeInBeat(raw[i+k-1].mcm) {
					ordered = false
				}
			}
			if !ordered {
				i = j
				continue
			}
			run := 0
			if i > 0 && raw[i-1].phrase == raw[i].phrase && raw[i-1].e8/2 == beat-1 {
				k := i - 1
				for k > 0 && raw[k-1].e8/2 == beat-1 && raw[k-1].phrase == raw[i].phrase {
					k--
				}
				held := map[int64]bool{}
				for _, n := range raw[k:i] {
					held[n.e8] = true
				}
				if i-k > len(held) {
					run = 1
				}
			}
			d := kinds[raw[i].phrase]
			fs := &fills[band][d]
			if fs[class-1][run] == nil {
				fs[class-1][run] = map[string]int{}
			}
			fill := strings.Join(at, ",")
			fs[class-1][run][fill]++
			if last[class-1] != "" && lastPhrase == raw[i].phrase {
				if last[class-1] == fill {
					again[band][d][class-1][1]++
				} else {
					again[band][d][class-1][0]++
				}
			}
			if lastPhrase != raw[i].phrase {
				last = [3]string{}
			}
			last[class-1], lastPhrase = fill, raw[i].phrase
			i = j
		}
		for i := 0; i+1 < len(raw); i++ {
			if a, b := raw[i], raw[i+1]; a.phrase != b.phrase && b.tatum > a.tatum && a.art > 0 {
				lastNotes = append(lastNotes, a.art*float64(b.tatum-a.tatum)/12)
			}
			if a, b := raw[i], raw[i+1]; a.phrase == b.phrase && b.tatum > a.tatum && a.art > 0 {
				k := min(max(int(math.Round(float64(b.tatum-a.tatum)/6)), 1), MaxIOI)
				arts[k-1] = append(arts[k-1], a.art)
			}
		}
		for i := 0; i+2 < len(raw); i++ {
			a, b, c := raw[i], raw[i+1], raw[i+2]
			if a.mcm%12 != 0 || b.mcm/12 != a.mcm/12 || b.mcm%12 != 6 || c.mcm%12 != 0 ||
				c.beat != a.beat+1 || a.phrase != b.phrase || b.phrase != c.phrase || !(a.t < b.t && b.t < c.t) {
				continue
			}
			bpm := 60 / (c.t - a.t)
			k := 0
			for k < len(swingBands)-1 && bpm >= swingBands[k] {
				k++
			}
			burs[k] = append(burs[k], (b.t-a.t)/(c.t-b.t))
		}
		raw = raw[:0]
	}
	flush := func() {
		if len(solo) == 0 {
			return
		}
		out.Solos++
		band, kinds = tempoBand(raw), phraseKinds(raw)
		fillSolos[band]++
		for _, d := range kinds {
			doubled[band][d]++
		}
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
				if i >= 2 {
					j := int(ph[i-1].e8 - ph[i-2].e8)
					ioi2[kinds[ph[0].phrase]][parity(ph[i-1].e8)][min(j, MaxIOI)-1][min(k, MaxIOI)-1]++
				}
			}
			if pi+1 < len(phrases) {
				k := int(phrases[pi+1][0].e8 - ph[len(ph)-1].e8)
				gap[min(max(k, 1), MaxGap)-1]++
			}
		}
		measures.add(solo, phrases)
		solo = solo[:0]
		learnRaw()
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
		onset, err4 := strconv.ParseFloat(rec[col["onset"]], 64)
		art, err5 := 0.0, error(nil) // none for a solo's last note
		if a := rec[col["articulation_raw"]]; a != "" {
			art, err5 = strconv.ParseFloat(a, 64)
		}
		if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
			return nil, fmt.Errorf("wjd_transforms: line %d: %w", line, err)
		}
		all++
		e8 := int64(bar)*8 + int64(eighthOf(mcm))
		raw = append(raw, rawNote{e8: e8, mcm: mcm, beat: int64(bar)*4 + int64(mcm/12), tatum: int64(bar)*48 + int64(mcm), t: onset, art: art, phrase: rec[col["phrase_id_raw"]]})
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
		for d := range ioi2 {
			for j := range ioi2[d][p] {
				out.IOI2[d][p] = append(out.IOI2[d][p], normalise(ioi2[d][p][j][:]))
			}
		}
	}
	out.PhraseNotes = normalise(phraseN[:])
	out.Gap = normalise(gap[:])
	out.OffbeatStart = round4(offStarts / float64(out.Phrases))
	for k := range fillBands {
		bf := BeatFills{Below: fillBands[k], Solos: fillSolos[k], DoubleTime: normalise(doubled[k][:])[1]}
		for d := range fills[k] {
			bf.Fills[d], bf.Again[d] = beatFills(&fills[k][d], &again[k][d])
		}
		out.Fills = append(out.Fills, bf)
	}
	for k, x := range burs {
		sb := SwingBand{Below: swingBands[k], Pairs: len(x)}
		if len(x) > 0 {
			slices.Sort(x)
			sb.BUR = round4(x[len(x)/2])
		}
		out.Swing = append(out.Swing, sb)
	}
	for _, a := range arts {
		out.Articulation = append(out.Articulation, deciles(a))
	}
	out.LastNote = deciles(lastNotes)
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

// placeInBeat is where a note at mcm (of the 48-tatum bar) falls in the
// beat the eighth grid puts it on, in twelfths: the last sixteenth and
// triplet of a beat are -2 and -1 of the next.
func placeInBeat(mcm int) int {
	if r := mcm % 12; r >= 10 {
		return r - 12
	}
	return mcm % 12
}

// deciles are the 0%, 10%, … 90% points of x (sorted in place), and
// its 99th percentile for the last: its few longest are outliers.
func deciles(x []float64) []float64 {
	slices.Sort(x)
	d := make([]float64, 11)
	for i := range d {
		if len(x) > 0 {
			d[i] = round4(x[min(i*len(x)/10, len(x)-1)])
		}
	}
	if len(x) > 0 {
		d[10] = round4(x[len(x)*99/100])
	}
	return d
}

// tempoBand is the band of fillBands a solo's notes as transcribed are
// played in: its median beat, from consecutive notes.
func tempoBand(raw []rawNote) int {
	var spb []float64
	for i := 1; i < len(raw); i++ {
		if d := raw[i].tatum - raw[i-1].tatum; d > 0 && raw[i].t > raw[i-1].t {
			spb = append(spb, (raw[i].t-raw[i-1].t)*12/float64(d))
		}
	}
	band := 0
	if len(spb) > 0 {
		slices.Sort(spb)
		bpm := 60 / spb[len(spb)/2]
		for band < len(fillBands)-1 && bpm >= fillBands[band] {
			band++
		}
	}
	return band
}

// phraseKinds tells the phrases of a solo's notes as transcribed in
// double time (1: a third of its beats or more hold more notes than
// eighths) from the others (0).
func phraseKinds(raw []rawNote) map[string]int {
	type count struct{ beats, busy int }
	c := map[string]*count{}
	for i := 0; i < len(raw); {
		j, eighths := i+1, 1
		for j < len(raw) && raw[j].e8/2 == raw[i].e8/2 && raw[j].phrase == raw[i].phrase {
			if raw[j].e8 != raw[j-1].e8 {
				eighths++
			}
			j++
		}
		pc := c[raw[i].phrase]
		if pc == nil {
			pc = &count{}
			c[raw[i].phrase] = pc
		}
		pc.beats++
		if j-i > eighths {
			pc.busy++
		}
		i = j
	}
	out := make(map[string]int, len(c))
	for p, pc := range c {
		if pc.busy*3 >= pc.beats && pc.beats >= 2 {
			out[p] = 1
		} else {
			out[p] = 0
		}
	}
	return out
}

// beatFills are the fills counted in a tempo band for phrases of one
// kind, and the chances of a fill again.
func beatFills(fills *[3][2]map[string]int, again *[3][2]float64) (out [3][2][]Fill, agains [3]float64) {
	for c := range fills {
		for run := range fills[c] {
			out[c][run] = keepFills(fills[c][run])
		}
		// the same fill again: by chance (the squared chances of the
		// fills, both runs pooled), or kept; again = kept + (1-kept) chance
		chance, total := 0.0, 0.0
		pooled := map[string]float64{}
		for run := range fills[c] {
			for k, n := range fills[c][run] {
				pooled[k] += float64(n)
				total += float64(n)
			}
		}
		for _, n := range pooled {
			chance += (n / total) * (n / total)
		}
		if same := normalise(again[c][:])[1]; same > chance && total > 0 {
			agains[c] = round4((same - chance) / (1 - chance))
		}
	}
	return out, agains
}

// keepFills is the fills counted, the rare ones left out, by
// decreasing chance (then by places).
func keepFills(counts map[string]int) []Fill {
	total := 0
	for _, c := range counts {
		total += c
	}
	var out []Fill
	kept := 0.0
	for k, c := range counts {
		if float64(c) < minFill*float64(total) {
			continue
		}
		var f Fill
		for _, x := range strings.Split(k, ",") {
			v, _ := strconv.Atoi(x)
			f.At = append(f.At, v)
		}
		f.P = float64(c)
		kept += f.P
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b Fill) int {
		if a.P != b.P {
			return cmpFloat(b.P, a.P)
		}
		return slices.Compare(a.At, b.At)
	})
	for i := range out {
		out[i].P = round4(out[i].P / kept)
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// rawNote is a note as transcribed: its eighth, its place on the bar's
// 48-tatum grid, its beat and onset in seconds.
type rawNote struct {
	e8, beat, tatum int64
	mcm             int
	t, art          float64
	phrase          string
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
