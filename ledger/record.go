package ledger

import (
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"sideman/music"
)

// Actor says who acted: a person, a machine part (a generator, an
// algorithm), or sideman itself (checkpoints, imports of unknown
// authorship).
type Actor string

const (
	Human   Actor = "human"
	Machine Actor = "machine"
	System  Actor = "system"
)

// Op is what a record's event did.
type Op string

const (
	// Capture brings in notes a person played (live input, a recording).
	Capture Op = "capture"
	// Enter brings in notes a person wrote note by note.
	Enter Op = "enter"
	// Import brings in notes from a file; its Source says who made them
	// when that is known.
	Import Op = "import"
	// Generate makes new notes by a machine (the band, the soloist).
	Generate Op = "generate"
	// Transform changes notes by an algorithm (quantize, humanize,
	// transpose): Before and After hold their fields.
	Transform Op = "transform"
	// Modify changes notes by hand (or, with a machine actor, as
	// Transform does): Before and After hold their fields.
	Modify Op = "modify"
	// Select records a person's choice of a machine candidate: its notes.
	Select Op = "select"
	// Arrange records a person placing material: the notes placed and,
	// when they moved, their fields before and after.
	Arrange Op = "arrange"
	// Reject records machine candidates a person left out.
	Reject Op = "reject"
	// Delete removes notes (Before may hold what they were).
	Delete Op = "delete"
	// Export writes notes to files (Files holds each file's SHA-256).
	Export Op = "export"
	// Checkpoint signs the chain up to the previous record (Sig).
	Checkpoint Op = "checkpoint"
)

// SourceType is an IPTC digital source type (NewsCodes vocabulary
// digitalsourcetype, October 2024), written as its full URI: what C2PA
// and the registries read.
type SourceType string

const iptc = "http://cv.iptc.org/newscodes/digitalsourcetype/"

const (
	// DigitalCapture: played by a person on an instrument.
	DigitalCapture SourceType = iptc + "digitalCapture"
	// DigitalCreation: typed or drawn by a person.
	DigitalCreation SourceType = iptc + "digitalCreation"
	// HumanEdits: a person's changes to existing material.
	HumanEdits SourceType = iptc + "humanEdits"
	// AlgorithmicallyEnhanced: quantized, humanized, transposed.
	AlgorithmicallyEnhanced SourceType = iptc + "algorithmicallyEnhanced"
	// AlgorithmicMedia: made by rules (the band), no trained model.
	AlgorithmicMedia SourceType = iptc + "algorithmicMedia"
	// TrainedAlgorithmicMedia: made by a model trained on a corpus.
	TrainedAlgorithmicMedia SourceType = iptc + "trainedAlgorithmicMedia"
	// CompositeWithTrainedAlgorithmicMedia: a piece that mixes the above
	// with trained algorithmic media.
	CompositeWithTrainedAlgorithmicMedia SourceType = iptc + "compositeWithTrainedAlgorithmicMedia"
)

// Record is one event in the ledger. Seq, Prev, Hash and (when zero)
// Time are filled in by Ledger.Append; a record is never changed after:
// corrections are new records.
type Record struct {
	Seq uint64 `json:"seq"`
	// Time is UTC at millisecond precision, written as RFC 3339 with
	// trailing zeros of the fraction left out ("2026-12-06T23:16:15.12Z").
	Time  time.Time `json:"time"`
	Actor Actor     `json:"actor"`
	Op    Op        `json:"op"`
	// Notes are the ids of the notes the event is about. Before and
	// After, where the operation has them, hold their fields in the same
	// order: for capture, enter, import and generate, After holds the
	// notes as made; transform and modify hold both.
	Notes  []music.NoteID `json:"notes,omitempty"`
	Before []NoteState    `json:"before,omitempty"`
	After  []NoteState    `json:"after,omitempty"`
	Source SourceType     `json:"source,omitempty"`
	Gen    *Generation    `json:"gen,omitempty"`
	Files  []File         `json:"files,omitempty"`
	Sig    *Signature     `json:"sig,omitempty"`
	// Prev is the hash of the record before (none for the first).
	Prev string `json:"prev,omitempty"`
	// Hash is the hex SHA-256 of the record's body: its canonical JSON,
	// this field left out.
	Hash string `json:"-"`
}

// NoteState is a note's fields as the ledger keeps them: enough to count
// notes per part and per bar from the ledger alone. A record writes it as
// the array [part, tick, dur, pitch, vel], to keep bodies small.
type NoteState struct {
	Part  int16
	Tick  music.Ticks
	Dur   music.Ticks
	Pitch uint8
	Vel   uint8
}

// MarshalJSON writes the array [part, tick, dur, pitch, vel].
func (s NoteState) MarshalJSON() ([]byte, error) {
	return appendState(nil, &s), nil
}

// UnmarshalJSON reads the array [part, tick, dur, pitch, vel].
func (s *NoteState) UnmarshalJSON(b []byte) error {
	p := parser{b: b}
	st, err := p.state()
	if err == nil && p.i != len(b) {
		err = errors.New("more after the note")
	}
	if err != nil {
		return err
	}
	*s = st
	return nil
}

// StateOf returns a note's fields.
func StateOf(n *music.Note) NoteState {
	return NoteState{Part: n.Part, Tick: n.Start, Dur: n.Duration, Pitch: n.Pitch, Vel: n.Velocity}
}

// Changed lists the fields that differ between s and t, in a
// musician's words, as the authorship report names them: "part",
// "start", "duration", "pitch", "velocity".
func (s NoteState) Changed(t NoteState) []string {
	var f []string
	if s.Part != t.Part {
		f = append(f, "part")
	}
	if s.Tick != t.Tick {
		f = append(f, "start")
	}
	if s.Dur != t.Dur {
		f = append(f, "duration")
	}
	if s.Pitch != t.Pitch {
		f = append(f, "pitch")
	}
	if s.Vel != t.Vel {
		f = append(f, "velocity")
	}
	return f
}

// Generation says how a machine made or changed notes.
type Generation struct {
	// Generator names the machine part ("band/walkingbass"), Version its
	// version, Model the hash of the model it played from.
	Generator string `json:"generator"`
	Version   string `json:"version,omitempty"`
	Model     string `json:"model,omitempty"`
	// Seed is the seed in decimal, as the generator took it (seeds are
	// 64-bit, past what JSON numbers hold exactly).
	Seed string `json:"seed,omitempty"`
	// Params are the settings and requests sent to the machine: what a
	// copyright application lists as prompts.
	Params map[string]string `json:"params,omitempty"`
	// From are the notes the machine was conditioned on.
	From []music.NoteID `json:"from,omitempty"`
}

// File is a file an export wrote: its name (no folder) and SHA-256.
type File struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

// Signature is a checkpoint's Ed25519 signature over the previous
// record's hash (see checkpointMessage). Key is the hex SHA-256 of the
// public key that signed, to tell keys apart in messages; Verify never
// trusts it, it checks with the key it is given.
type Signature struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// maxNumber bounds the numbers in a record: JSON readers that hold
// numbers as doubles (and RFC 8785) read them exactly below 2^53.
const maxNumber = 1 << 53

// validate checks a record's fields and their agreement with its
// operation: a record that validates has one canonical body.
func (r *Record) validate() error {
	if r.Seq == 0 || r.Seq >= maxNumber {
		return fmt.Errorf("sequence number %d out of range", r.Seq)
	}
	if r.Time.IsZero() || r.Time.Location() != time.UTC || r.Time.Nanosecond()%int(time.Millisecond) != 0 {
		return fmt.Errorf("time %v is not UTC at millisecond precision", r.Time)
	}
	if y := r.Time.Year(); y < 1 || y > 9999 {
		return fmt.Errorf("time %v out of range", r.Time)
	}
	switch r.Actor {
	case Human, Machine, System:
	default:
		return fmt.Errorf("unknown actor %q", r.Actor)
	}
	switch r.Source {
	case "", DigitalCapture, DigitalCreation, HumanEdits, AlgorithmicallyEnhanced, AlgorithmicMedia, TrainedAlgorithmicMedia, CompositeWithTrainedAlgorithmicMedia:
	default:
		return fmt.Errorf("unknown digital source type %q", r.Source)
	}
	n := len(r.Notes)
	for _, id := range r.Notes {
		if id == 0 || id >= music.MaxID {
			return fmt.Errorf("note id %d out of range", id)
		}
	}
	if id, twice := repeated(r.Notes); twice {
		return fmt.Errorf("note %d listed twice", id)
	}
	for _, s := range [][]NoteState{r.Before, r.After} {
		for i := range s {
			if err := s[i].validate(); err != nil {
				return err
			}
		}
	}
	need := func(notes, before, after bool) error {
		switch {
		case notes && n == 0:
			return fmt.Errorf("%s names no notes", r.Op)
		case !notes && n > 0:
			return fmt.Errorf("%s names notes", r.Op)
		case before && len(r.Before) != n, !before && len(r.Before) > 0:
			return fmt.Errorf("%s has %d fields before for %d notes", r.Op, len(r.Before), n)
		case after && len(r.After) != n, !after && len(r.After) > 0:
			return fmt.Errorf("%s has %d fields after for %d notes", r.Op, len(r.After), n)
		}
		return nil
	}
	var err error
	switch r.Op {
	case Capture, Enter:
		if r.Actor != Human {
			return fmt.Errorf("%s by %s, not a person", r.Op, r.Actor)
		}
		err = need(true, false, true)
	case Import:
		err = need(true, false, true)
	case Generate:
		if r.Actor != Machine {
			return fmt.Errorf("generate by %s, not a machine", r.Actor)
		}
		if r.Gen == nil {
			return fmt.Errorf("generate without generation details")
		}
		err = need(true, false, true)
	case Transform, Modify:
		err = need(true, true, true)
	case Arrange:
		err = need(true, len(r.Before) > 0, len(r.Before) > 0)
	case Select, Reject:
		err = need(true, false, false)
	case Delete:
		err = need(true, len(r.Before) > 0, false)
	case Export:
		err = need(n > 0, false, false)
	case Checkpoint:
		if r.Actor != System || r.Sig == nil || r.Gen != nil || len(r.Files) > 0 || r.Source != "" {
			return fmt.Errorf("checkpoint holds more or less than a system's signature")
		}
		if r.Prev == "" {
			return fmt.Errorf("checkpoint of nothing")
		}
		err = need(false, false, false)
	default:
		return fmt.Errorf("unknown operation %q", r.Op)
	}
	if err != nil {
		return err
	}
	if r.Sig != nil && r.Op != Checkpoint {
		return fmt.Errorf("%s carries a signature", r.Op)
	}
	if len(r.Files) > 0 && r.Op != Export {
		return fmt.Errorf("%s lists files", r.Op)
	}
	if g := r.Gen; g != nil {
		if g.Generator == "" {
			return fmt.Errorf("generation details name no generator")
		}
		for _, id := range g.From {
			if id == 0 || id >= music.MaxID {
				return fmt.Errorf("conditioning note id %d out of range", id)
			}
		}
		if err := validStrings(g.Generator, g.Version, g.Model, g.Seed); err != nil {
			return err
		}
		for k, v := range g.Params {
			if err := validStrings(k, v); err != nil {
				return err
			}
		}
	}
	for _, f := range r.Files {
		if f.Name == "" || !isHash(f.SHA256) {
			return fmt.Errorf("file %q without a SHA-256", f.Name)
		}
		if err := validStrings(f.Name); err != nil {
			return err
		}
	}
	if s := r.Sig; s != nil && (!isHash(s.Key) || !isHex(s.Value, 128)) {
		return fmt.Errorf("malformed signature")
	}
	switch {
	case r.Seq == 1 && r.Prev != "":
		return fmt.Errorf("the first record has a previous hash")
	case r.Seq > 1 && !isHash(r.Prev):
		return fmt.Errorf("previous hash %q is not a hex SHA-256", r.Prev)
	}
	return nil
}

func (s *NoteState) validate() error {
	if s.Part < 0 || s.Pitch > 127 || s.Vel > 127 || s.Dur < 0 || s.Dur >= maxNumber || s.Tick <= -maxNumber || s.Tick >= maxNumber {
		return fmt.Errorf("note fields out of range: %+v", *s)
	}
	return nil
}

func validStrings(ss ...string) error {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return fmt.Errorf("%q is not UTF-8", s)
		}
	}
	return nil
}

// isHash reports whether s is a hex SHA-256 as the ledger writes them:
// 64 lowercase hex digits.
func isHash(s string) bool { return isHex(s, 64) }

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !hexDigit[s[i]] {
			return false
		}
	}
	return true
}

// hexDigit marks the lowercase hex digits.
var hexDigit = func() (t [256]bool) {
	for _, c := range "0123456789abcdef" {
		t[c] = true
	}
	return t
}()

// repeated finds an id listed twice.
func repeated(ids []music.NoteID) (music.NoteID, bool) {
	if len(ids) <= 16 { // most records: no map to make
		for i, id := range ids {
			if slices.Contains(ids[:i], id) {
				return id, true
			}
		}
		return 0, false
	}
	seen := make(map[music.NoteID]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			return id, true
		}
		seen[id] = true
	}
	return 0, false
}
