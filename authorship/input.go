package authorship

import (
	"fmt"
	"slices"
	"strings"

	"sideman/music"
)

// Class says who made a note, as the ledger derives it from the records.
type Class string

const (
	// Human is a note a person played or wrote.
	Human Class = "H"
	// HumanProcessed is a person's note that an algorithm then processed
	// (quantized, humanized, transposed).
	HumanProcessed Class = "H+alg"
	// Machine is a note a generator made.
	Machine Class = "M"
	// MachineEdited is a machine's note a person then changed.
	MachineEdited Class = "M+h"
)

// Classes lists the classes in the report's order.
var Classes = []Class{Human, HumanProcessed, Machine, MachineEdited}

// Fields a person can change on a machine's note (Note.Changed).
const (
	FieldPitch    = "pitch"
	FieldStart    = "start"
	FieldDuration = "duration"
	FieldVelocity = "velocity"
	FieldLyric    = "lyric"
)

// Note is one note of the piece as the report sees it.
type Note struct {
	ID       music.NoteID `json:"id"`
	Part     string       `json:"part"`
	Bar      int          `json:"bar"` // 1-based, in played order
	Start    music.Ticks  `json:"tick"`
	Duration music.Ticks  `json:"duration"`
	Pitch    uint8        `json:"pitch"`
	Class    Class        `json:"class"`
	// Played is true for a person's note captured from a performance
	// (IPTC digitalCapture), false for one typed or drawn
	// (digitalCreation).
	Played bool `json:"played,omitempty"`
	// Generator names what made a machine note ("improv/trade").
	Generator string `json:"generator,omitempty"`
	// Made says what kind of machine made a machine note: a model
	// trained on music or rules; "" when the ledger does not say.
	Made Maker `json:"made,omitempty"`
	// Changed lists the fields a person changed on an M+h note
	// (FieldPitch ...).
	Changed []string `json:"changed,omitempty"`
	// Steps lists the processing steps of an H+alg note ("humanize").
	Steps []string `json:"steps,omitempty"`
}

// Maker is the kind of machine that made a note.
type Maker string

const (
	// ByModel is a model trained on a corpus (IPTC
	// trainedAlgorithmicMedia): artificial intelligence.
	ByModel Maker = "model"
	// ByRules is rule-based software (IPTC algorithmicMedia): the band.
	ByRules Maker = "rules"
)

// ActKind is a person's act on machine material that the Copyright Office
// may count as authorship: selection or arrangement.
type ActKind string

const (
	// Selection is choosing one machine candidate among several.
	Selection ActKind = "select"
	// Arrangement is placing material (the person's or the machine's) in
	// the piece: which part, which bars.
	Arrangement ActKind = "arrange"
)

// Act is one selection or arrangement.
type Act struct {
	Kind ActKind `json:"kind"`
	Who  string  `json:"who,omitempty"`
	Part string  `json:"part,omitempty"`
	// FirstBar and LastBar are the bars the act concerns (0: the whole
	// piece).
	FirstBar int `json:"first_bar,omitempty"`
	LastBar  int `json:"last_bar,omitempty"`
	// Chose names the chosen candidate and Among how many there were
	// (Selection).
	Chose string `json:"chose,omitempty"`
	Among int    `json:"among,omitempty"`
	// What says what was placed where, in a musician's words
	// ("machine answers after each human four").
	What string `json:"what,omitempty"`
}

// Prompt is one request sent to the machine: the settings of a
// generation. The report lists prompts and never claims them.
type Prompt struct {
	Generator string `json:"generator"`
	Model     string `json:"model,omitempty"` // model name or hash
	Seed      int64  `json:"seed"`
	Params    string `json:"params,omitempty"`
	Command   string `json:"command,omitempty"`
}

// Input is what the report is made from: the application layer fills it
// from the project's ledger.
type Input struct {
	Project string `json:"project"`
	Title   string `json:"title"`
	// Head is the ledger head hash the report was made at.
	Head    string   `json:"head"`
	Notes   []Note   `json:"-"`
	Acts    []Act    `json:"acts"`
	Prompts []Prompt `json:"prompts"`
	// BarStarts[i] is the tick where bar i+1 starts, for the piano roll;
	// when shorter than the piece, bars go on in 4/4.
	BarStarts []music.Ticks `json:"-"`
}

// InputError is a note or an act the report cannot use.
type InputError struct {
	What string // "note 17", "act 2"
	Err  string
}

func (e *InputError) Error() string { return "authorship: " + e.What + ": " + e.Err }

func (in *Input) check() error {
	for _, n := range in.Notes {
		what := fmt.Sprintf("note %d", n.ID)
		switch {
		case !slices.Contains(Classes, n.Class):
			return &InputError{what, fmt.Sprintf("class %q is none of H, H+alg, M, M+h", n.Class)}
		case n.Bar < 1 || n.Bar > music.MaxPlayedBars:
			return &InputError{what, fmt.Sprintf("bar %d is out of 1..%d", n.Bar, music.MaxPlayedBars)}
		case strings.TrimSpace(n.Part) == "":
			return &InputError{what, "no part"}
		case n.Start < 0 || n.Duration < 0:
			return &InputError{what, "negative tick or duration"}
		case n.Made != "" && n.Made != ByModel && n.Made != ByRules:
			return &InputError{what, fmt.Sprintf("made by %q is neither model nor rules", n.Made)}
		case n.Pitch > 127:
			return &InputError{what, fmt.Sprintf("pitch %d", n.Pitch)}
		}
	}
	for i, a := range in.Acts {
		what := fmt.Sprintf("act %d", i+1)
		switch {
		case a.Kind != Selection && a.Kind != Arrangement:
			return &InputError{what, fmt.Sprintf("kind %q is neither select nor arrange", a.Kind)}
		case a.FirstBar < 0 || a.LastBar < a.FirstBar || a.LastBar > music.MaxPlayedBars:
			return &InputError{what, fmt.Sprintf("bars %d-%d", a.FirstBar, a.LastBar)}
		case a.Among < 0:
			return &InputError{what, "negative candidate count"}
		}
	}
	return nil
}
