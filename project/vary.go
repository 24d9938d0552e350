package project

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"sideman/format/midi"
	"sideman/improv/motif"
	"sideman/model"
	"sideman/music"
)

// VaryOptions say how to vary a motif (Vary).
type VaryOptions struct {
	// Chart, when not "", is a chart whose bar 1 is bar 1 of the motif's
	// file: the key and chords the variations are made and scored over.
	// Tune picks a tune of a collection.
	Chart, Tune string
	// N is how many distinct variations to make, 1 to MaxVariations;
	// Top how many to keep, best first (0: 10; at most N).
	N, Top int
	// Novelty trades likelihood for distance from the motif, 0 to 1.
	Novelty float64
	// Model is the style model that scores: a built-in name, a model in
	// the user folder or a model file; "" is the built-in jazz model.
	Model string
	// Seed draws the variations: same seed, same output.
	Seed uint64
}

// Limits on what Vary takes: enough for a player's longest motif and
// the 100,000 candidates, not so much that a wrong file (a whole
// solo) runs for minutes.
const (
	MaxVariations = 1000000
	MaxMotifNotes = 128
	MaxMotifBars  = 16
)

// Variations are a motif's variations, ranked, as Vary made them.
type Variations struct {
	Name  string // the motif's file
	Motif *motif.Motif
	// Wanted is VaryOptions.N; Made how many distinct variations there
	// were (fewer when the motif gives fewer); Rescored how many the full
	// model scored.
	Wanted, Made, Rescored int
	Ranked                 []motif.Candidate
	// Pieces are the ranked variations as music, one part each, placed
	// where they sound in the motif's file.
	Pieces []*music.Piece
	// ModelName and ModelHash name the model that scored (the hash is
	// the SHA-256 of its file, the first 12 hex digits).
	ModelName, ModelHash string
	opt                  VaryOptions
	rec                  *Recorder // the project's ledger, which WriteDir's files are recorded in
}

// Vary makes variations of the motif in a MIDI file (its top part, the
// highest of notes that start together), scores them by the model and
// ranks them (motif.Vary). A file that is not MIDI, a motif of fewer than
// two or more than MaxMotifNotes notes or longer than MaxMotifBars bars,
// a chart without chords and options out of range are the input's
// (BadInput, Unsupported, NotFound).
func (p *Project) Vary(ctx context.Context, name string, opt VaryOptions) (*Variations, error) {
	switch {
	case opt.N < 1 || opt.N > MaxVariations:
		return nil, &OptionError{"n", strconv.Itoa(opt.N), fmt.Errorf("want 1 to %d", MaxVariations)}
	case opt.Top < 0:
		return nil, &OptionError{"top", strconv.Itoa(opt.Top), errors.New("want 1 or more")}
	case !(opt.Novelty >= 0 && opt.Novelty <= 1):
		return nil, &OptionError{"novelty", fmt.Sprint(opt.Novelty), errors.New("want 0 to 1")}
	}
	if opt.Top == 0 {
		opt.Top = 10
	}
	opt.Top = min(opt.Top, opt.N)
	mod, modelName, hash, err := p.soloModel(ctx, opt.Model)
	if err != nil {
		return nil, err
	}
	d, err := p.open(ctx, name)
	if err != nil {
		return nil, err
	}
	if d.Piece == nil {
		return nil, &Error{Unsupported, d.Name, errors.New("is not a MIDI file; vary takes a motif played or written as MIDI")}
	}
	var chart *music.Chart
	inputs := []string{name}
	if opt.Chart != "" {
		cd, c, err := p.openTune(ctx, opt.Chart, opt.Tune)
		if err != nil {
			return nil, err
		}
		if c == nil {
			if c, err = cd.Tune(opt.Tune); err != nil {
				return nil, err
			}
		}
		chart = c
		if chart == nil || !hasChords(chart) {
			return nil, &Error{BadInput, opt.Chart, errors.New("has no chords to vary the motif over")}
		}
		inputs = append(inputs, opt.Chart)
	}
	piece := d.Piece
	notes := topPart(piece)
	var meter music.Meter
	if len(notes) > 0 {
		meter = piece.Meters.At(notes[0].Start)
	}
	m, err := motif.New(notes, meter, chart)
	if err != nil {
		return nil, &Error{BadInput, d.Name, err}
	}
	last := m.Notes[len(m.Notes)-1]
	if bars := (last.Onset + m.Meter.BarTicks() - 1) / m.Meter.BarTicks(); len(m.Notes) > MaxMotifNotes || bars > MaxMotifBars {
		return nil, &Error{BadInput, d.Name, fmt.Errorf("%d notes over %d bars: a motif is at most %d notes and %d bars (cut the phrase out first)", len(m.Notes), bars, MaxMotifNotes, MaxMotifBars)}
	}
	res, err := motif.Vary(ctx, m, motif.Options{N: opt.N, Top: opt.Top, Novelty: opt.Novelty, Seed: opt.Seed, Model: mod})
	if err != nil {
		if errors.Is(err, model.ErrViewpoint) {
			return nil, &Error{BadInput, modelName, unprefixed{err}}
		}
		return nil, err
	}
	v := &Variations{Name: d.Name, Motif: m, Wanted: opt.N, Made: res.Made, Rescored: res.Rescored,
		Ranked: res.Ranked, ModelName: modelName, ModelHash: hash, opt: opt, rec: p.Ledger}
	ids := p.ids("vary", inputs, opt)
	params := fmt.Sprintf("seed=%d model=%s hash=%s", opt.Seed, modelName, hash)
	for i, c := range res.Ranked {
		out := &music.Piece{Title: fmt.Sprintf("%s variation %d", piece.Title, i+1), Tempo: piece.Tempo,
			Meters: piece.Meters, Keys: piece.Keys, Chart: chart}
		out.Parts = []music.Part{{Name: fmt.Sprintf("variation %02d", i+1), Role: music.RoleMelody, Program: 65,
			Notes: c.MusicNotes(m, ids, params)}}
		v.Pieces = append(v.Pieces, out)
		p.record(out, Generation{Seed: fmt.Sprint(opt.Seed), Model: hash, Params: map[string]string{"model": modelName, "candidate": fmt.Sprint(i + 1)}})
	}
	return v, nil
}

func hasChords(c *music.Chart) bool {
	for _, b := range c.Bars {
		for _, ca := range b.Chords {
			if !ca.Chord.NoChord {
				return true
			}
		}
	}
	return false
}

// topPart is the notes of the piece's melody part, else of the part
// highest on average (drums left out).
func topPart(p *music.Piece) []music.Note {
	best, mean := -1, 0.0
	for i, part := range p.Parts {
		if len(part.Notes) == 0 || part.Channel == 9 {
			continue
		}
		if part.Role == music.RoleMelody {
			return part.Notes
		}
		var s float64
		for _, n := range part.Notes {
			s += float64(n.Pitch)
		}
		if s /= float64(len(part.Notes)); best < 0 || s > mean {
			best, mean = i, s
		}
	}
	if best < 0 {
		return nil
	}
	return p.Parts[best].Notes
}

// CheckVaryDir refuses, before any work, a folder vary would not write:
// one that holds files, or a file (BadInput).
func CheckVaryDir(dir string) error {
	ents, err := os.ReadDir(dir)
	switch {
	case err == nil && len(ents) > 0:
		return &Error{BadInput, dir, errors.New("exists and is not empty; vary writes a new folder")}
	case err == nil || errors.Is(err, os.ErrNotExist):
		return nil
	}
	if fi, serr := os.Stat(dir); serr == nil && !fi.IsDir() {
		return &Error{BadInput, dir, errors.New("is a file; vary writes a folder")}
	}
	return &Error{BadInput, dir, errors.Unwrap(err)}
}

// VaryEntry is one variation in the index (index.json).
type VaryEntry struct {
	File  string  `json:"file"`
	Rank  int     `json:"rank"`
	Score float64 `json:"score"`
	// BitsPerNote is the information content per note under the full
	// model; LogLikPerNote its negative (log2); ScreenBitsPerNote that
	// under the screen (the long-term cpitch viewpoint).
	BitsPerNote       float64 `json:"bits_per_note"`
	LogLikPerNote     float64 `json:"loglik_per_note"`
	ScreenBitsPerNote float64 `json:"screen_bits_per_note"`
	// Distance is motif.Distance; IntervalDistance the Levenshtein
	// distance of the interval sequences; SharesContour and SharesRhythm
	// whether it keeps a contour or rhythm 3-gram of the motif.
	Distance         float64 `json:"distance"`
	IntervalDistance int     `json:"interval_distance"`
	SharesContour    bool    `json:"shares_contour_3gram"`
	SharesRhythm     bool    `json:"shares_rhythm_3gram"`
	// AtTicks is where it sounds after the motif's start.
	AtTicks     int64          `json:"at_ticks"`
	Notes       int            `json:"notes"`
	Operators   []motif.Step   `json:"operators"`
	DerivedFrom []music.NoteID `json:"derived_from"`
	// NoteIDs are the ids of its notes, in order.
	NoteIDs []music.NoteID `json:"note_ids"`
}

// VaryIndex is index.json.
type VaryIndex struct {
	Motif      string      `json:"motif"`
	Chart      string      `json:"chart,omitempty"`
	Tune       string      `json:"tune,omitempty"`
	Model      string      `json:"model"`
	ModelHash  string      `json:"model_hash"`
	Seed       uint64      `json:"seed"`
	Novelty    float64     `json:"novelty"`
	Wanted     int         `json:"wanted"`
	Made       int         `json:"made"`
	Rescored   int         `json:"rescored"`
	Variations []VaryEntry `json:"variations"`
}

// Index is what index.json says of the variations.
func (v *Variations) Index() VaryIndex {
	// File names only: an export carries no paths of the user's machine.
	chart := v.opt.Chart
	if chart != "" && !strings.Contains(chart, "://") {
		chart = filepath.Base(chart)
	}
	ix := VaryIndex{Motif: filepath.Base(v.Name), Chart: chart, Tune: v.opt.Tune, Model: v.ModelName, ModelHash: v.ModelHash,
		Seed: v.opt.Seed, Novelty: v.opt.Novelty, Wanted: v.Wanted, Made: v.Made, Rescored: v.Rescored}
	for i, c := range v.Ranked {
		e := VaryEntry{File: fmt.Sprintf("%02d.mid", i+1), Rank: i + 1, Score: c.Score, BitsPerNote: c.Bits,
			LogLikPerNote: c.LogLik(), ScreenBitsPerNote: c.ScreenBits, Distance: c.Distance,
			IntervalDistance: motif.IntervalDistance(v.Motif.Notes, c.Notes), AtTicks: int64(c.At),
			Notes: len(c.Notes), Operators: c.Steps, DerivedFrom: []music.NoteID{}}
		e.SharesContour, e.SharesRhythm = motif.SharesGram(v.Motif.Notes, c.Notes)
		seen := map[music.NoteID]bool{}
		for _, n := range v.Pieces[i].Parts[0].Notes {
			e.NoteIDs = append(e.NoteIDs, n.ID)
			for _, id := range n.Origin.DerivedFrom {
				if !seen[id] {
					seen[id] = true
					e.DerivedFrom = append(e.DerivedFrom, id)
				}
			}
		}
		ix.Variations = append(ix.Variations, e)
	}
	return ix
}

// WriteDir writes the variations into a new folder dir: NN.mid for each,
// best first, and index.json. The files are written into a hidden
// folder beside dir, which is renamed to dir only once all are written:
// a failure (or ctx done) leaves no dir and nothing half written. A dir
// that exists and is not empty is refused (BadInput), never overwritten;
// an empty one is replaced.
func (v *Variations) WriteDir(ctx context.Context, dir string) error {
	if err := CheckVaryDir(dir); err != nil {
		return err
	}
	files := map[string][]byte{}
	for i, pc := range v.Pieces {
		var b bytes.Buffer
		if err := midi.EncodePiece(&b, pc); err != nil {
			return err
		}
		files[fmt.Sprintf("%02d.mid", i+1)] = b.Bytes()
	}
	js, err := json.MarshalIndent(v.Index(), "", "  ")
	if err != nil {
		return err
	}
	files["index.json"] = append(js, '\n')
	parent := filepath.Dir(filepath.Clean(dir))
	tmp, err := os.MkdirTemp(parent, ".sideman-vary-")
	if err != nil {
		return &Error{BadInput, dir, fmt.Errorf("cannot write beside it: %w", errors.Unwrap(err))}
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	for name, b := range files {
		if b, err = v.rec.exportBytes(ctx, name, b); err != nil { // the project's ledger records them
			return err
		}
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o644); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return &Error{BadInput, dir, errors.Unwrap(err)}
	}
	ok = true
	return nil
}
