package project

import (
	"context"
	"encoding/json"
	"fmt"

	"sideman/band"
	"sideman/band/lineup"
	"sideman/load"
	"sideman/music"
)

// A Project is what a musician works on: its notes numbered from one
// allocator, the players its band calls on, and who hears how the work
// goes. The zero Project is work outside a project (one command): the
// notes an operation makes take their ids from music.IDsFor a key made of
// the operation, its inputs and its options (the seed among them, not the
// feel, which moves notes and keeps their ids), and the notes it reads
// from one keyed by the input alone; so the same work writes the same
// file, an input read anywhere gives the same ids, and separate work lands
// in separate ranges of ids, able to join a project later. A Project is
// safe for one operation at a time.
type Project struct {
	// IDs numbers every note the project makes or reads, so that no two
	// of its notes share an id: a band's notes, a lead sheet's written
	// notes and the notes it plays again, a foreign MIDI file's notes. A
	// note that has an id keeps it through every operation (converting,
	// humanizing, transposing, writing and reading back). Nil: each
	// operation takes its own, as above.
	IDs *music.IDs
	// Lineup is the players a band calls on; nil is lineup.Standard().
	Lineup *band.Lineup
	// Report hears progress and warnings; nil hears nothing.
	Report Reporter
	// ModelDir is the user's folder of models (LoadModel, Models): the
	// command sets it ($XDG_DATA_HOME/sideman/models); "" is none.
	ModelDir string
	// Ledger records what the operations read, make and change in the
	// project's ledger (OpenLedger); nil, outside a project, records
	// nothing. IDs should then be Ledger.IDs().
	Ledger *Recorder
}

// A Reporter hears how long work goes and what the musician should know
// while it goes on. Its methods are called from the operation's goroutine.
type Reporter interface {
	// Progress says that done of total seconds of the task's music are
	// done (rendering), or done of total tunes for TaskTunes (PlayAll);
	// it is called again as the work goes, last with done equal to total.
	Progress(task string, done, total float64)
	// Warn says something went less well than asked and the work went on.
	Warn(Warning)
}

// Warning is something that went less well than asked.
type Warning struct {
	// Name is the input it is about; Err says what went less well.
	Name string
	Err  error
	// Skipped are the tunes or files of a collection that could not be
	// read while the rest could, each error naming its file and position.
	Skipped []error
	// More counts the skipped tunes or files left out of Skipped (a
	// collection streamed through keeps only the first few).
	More int
}

func (p *Project) warn(w Warning) {
	if p.Report != nil {
		p.Report.Warn(w)
	}
}

func (p *Project) progress(task string) func(done, total float64) {
	if p.Report == nil {
		return nil
	}
	return func(done, total float64) { p.Report.Progress(task, done, total) }
}

func (p *Project) lineup() *band.Lineup {
	if p.Lineup != nil {
		return p.Lineup
	}
	return lineup.Standard()
}

// ids is the allocator of the notes an operation makes: the project's, or
// outside a project one keyed by the operation, its inputs and its
// options (its seed among them).
func (p *Project) ids(op string, inputs []string, opt any) *music.IDs {
	if p.IDs != nil {
		return p.IDs
	}
	// JSON, not %v: options hold pointers, and fmt prints their addresses.
	js, err := json.Marshal(opt)
	if err != nil {
		js = nil // options without a JSON form key on the inputs alone
	}
	key := op
	for _, in := range inputs {
		key += "\x00" + in
	}
	return music.IDsFor(key + "\x00" + string(js))
}

// open reads an input and reports the tunes and files it skipped. Its
// notes take the project's ids or, outside a project, ids keyed by the
// input alone: wherever the input is read (inspected, played with a band,
// humanized), its notes have the same ids.
func (p *Project) open(ctx context.Context, name string) (*load.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ids := p.IDs
	if ids == nil {
		ids = music.IDsFor("read\x00" + name)
	}
	d, err := load.Options{IDs: ids}.Open(name)
	if err != nil {
		return nil, err
	}
	if err := p.Ledger.rematch(ctx, d); err != nil {
		return nil, err
	}
	p.Ledger.readDocument(d)
	if n := len(d.Warnings); n > 0 {
		p.warn(Warning{Name: name, Err: fmt.Errorf("%d tunes or files could not be read", n), Skipped: d.Warnings})
	}
	return d, nil
}

// Open reads a chart, a lead sheet, a playlist, a collection or a MIDI
// file: what `sideman charts` lists. Tunes and files of a collection
// that cannot be read are skipped and reported (Warn). A MIDI file's one
// tune (Charts) is the chart of the chords heard in its notes
// (HeardChart), as OpenBytes reads it; its Piece and MIDI are kept. It is
// BadInput when there are none to hear (drums alone).
func (p *Project) Open(ctx context.Context, name string) (*load.Document, error) {
	d, err := p.open(ctx, name)
	if err != nil || !heard(d) {
		return d, err
	}
	c, err := HeardChart(d)
	if err != nil {
		return nil, err
	}
	d.Charts = []*music.Chart{c}
	return d, nil
}
