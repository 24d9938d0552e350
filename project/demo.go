package project

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"sideman/authorship"
	"sideman/render"

	"sideman/examples"
	"sideman/format/midi"
	"sideman/internal/suggest"
	"sideman/load"
	"sideman/music"
)

// DemoOptions say which bundled chart the band plays, and for how long.
type DemoOptions struct {
	// Chart is a bundled chart's name (examples.Names); "" is blues-f.
	Chart string
	// Choruses, 1 to 64 (0 is 1).
	Choruses int
}

// Demo is a bundled chart the band played with an intro and an ending,
// seed 1, as a first look at what sideman does.
type Demo struct {
	// Chart is the chart as bundled.
	Chart *music.Chart
	// Performance is the band's, as Play gives it.
	Performance *Performance
	// MIDI is the performance as a MIDI file, and Summary what Open and
	// Summarize say of those bytes read back: what a listener of the
	// file gets.
	MIDI    []byte
	Summary Summary
}

// Demo plays a bundled chart with the band (PlayDocument).
func (p *Project) Demo(ctx context.Context, opt DemoOptions) (*Demo, error) {
	if opt.Choruses < 0 || opt.Choruses > 64 {
		return nil, &OptionError{"choruses", strconv.Itoa(opt.Choruses), errors.New("want 1 to 64")}
	}
	name := opt.Chart
	if name == "" {
		name = "blues-f"
	}
	src, err := examples.Open(name)
	if err != nil {
		names := examples.Names()
		return nil, &UnknownError{What: "bundled chart", Name: name, Known: names, Near: suggest.Closest(name, names)}
	}
	d, err := load.Bytes(name+".chart", src)
	if err != nil {
		// A bundled chart that does not read is sideman's fault: %v
		// keeps it from counting as the input's.
		return nil, fmt.Errorf("bundled chart %s: %v", name, err)
	}
	perf, err := p.PlayDocument(ctx, d, PlayOptions{Choruses: max(opt.Choruses, 1), Intro: true, Ending: true, Seed: 1})
	if err != nil {
		return nil, err
	}
	var file bytes.Buffer
	if err := perf.EncodeMIDI(&file); err != nil {
		return nil, err
	}
	written, err := load.Bytes(name+".mid", file.Bytes())
	if err != nil {
		return nil, fmt.Errorf("demo: reading back the MIDI written: %v", err)
	}
	return &Demo{Chart: d.Charts[0], Performance: perf, MIDI: file.Bytes(), Summary: Summarize(written, nil)}, nil
}

// DemoPhrase is the bundled human phrase, examples.BluesLick (a four-bar
// blues lick in F written by hand), as a plain MIDI file at 132 bpm: one
// track, no sideman provenance, as a sequencer would write it, for
// `sideman record` to bring in as a person's notes.
func DemoPhrase() ([]byte, error) {
	d, err := load.Bytes("blues-lick.abc", examples.BluesLick)
	if err != nil || len(d.Charts) == 0 {
		return nil, fmt.Errorf("bundled phrase blues-lick.abc: %v", err)
	}
	part := music.Part{Name: "lick", Role: music.RoleMelody, Program: 65}
	for _, pt := range d.Charts[0].Perform(1).Parts {
		for _, n := range pt.Notes {
			n.Part, n.Velocity, n.Origin, n.Lyric = 0, 90, nil, ""
			n.ID = music.NoteID(len(part.Notes) + 1)
			part.Notes = append(part.Notes, n)
		}
	}
	if len(part.Notes) == 0 {
		return nil, errors.New("bundled phrase blues-lick.abc has no notes")
	}
	music.SortNotes(part.Notes)
	p := &music.Piece{Title: "Blues lick in F", Tempo: music.TempoMap{{MicrosPerQuarter: 60000000 / 132}},
		Parts: []music.Part{part}}
	f, err := midi.FromPiece(p)
	if err != nil {
		return nil, err
	}
	for i := range f.Tracks {
		t := &f.Tracks[i]
		var plain midi.Track
		for _, e := range t.Events {
			if e.IsMeta() && e.MetaType() == midi.MetaSequencerSpecific {
				continue // sideman's provenance: a person's file has none
			}
			plain.AddEvent(e, t)
		}
		f.Tracks[i] = plain
	}
	var b bytes.Buffer
	if err := midi.Encode(&b, f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// DemoMarker is the file in a demo project's MarkerDir that says
// DemoProject made it: only such a folder is replaced by the next demo.
const DemoMarker = "demo"

// DemoProjectOptions say where the demo project goes and how it signs.
type DemoProjectOptions struct {
	// Dir is the folder to make: a new one, an empty one, or a demo
	// project an earlier DemoProject made (replaced whole). Anything else
	// is refused, untouched.
	Dir string
	// Key signs the project's checkpoints: the user's.
	Key ed25519.PrivateKey
	// SoundFont, when not nil, renders the trade to trade.wav.
	SoundFont *render.SoundFont
}

// DemoProjectResult is what DemoProject made.
type DemoProjectResult struct {
	Root string
	// Files are the files written in the project, in order.
	Files []string
	// Report is the project's authorship report (also written as
	// authorship.md and authorship.svg), Unknown the notes left out of it.
	Report  *authorship.Report
	Unknown int
	Head    string
}

// DemoProject makes a project with a person's phrase, a band and a
// traded solo in it, as a musician would with the commands: sideman init;
// the bundled lick (examples.BluesLick, written by hand) as lick.mid,
// brought in with sideman record --as written; sideman trade over the
// bundled blues-f.chart with it, the built-in jazz model answering and
// the band playing (trade.mid, and trade.wav with a SoundFont); then
// the authorship report (authorship.md, authorship.svg). Each step is
// one command in the ledger, with its own signed checkpoint. The project
// is made in a folder beside Dir and moved into place only when whole;
// the old demo project, if any, is removed after.
func (p *Project) DemoProject(ctx context.Context, opt DemoProjectOptions) (*DemoProjectResult, error) {
	dir, err := filepath.Abs(opt.Dir)
	if err != nil {
		return nil, &Error{BadInput, opt.Dir, err}
	}
	replace := false
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		if !isFile(filepath.Join(dir, MarkerDir, DemoMarker)) {
			return nil, &Error{BadInput, opt.Dir, errors.New("exists and is not a sideman demo project: left as it is (give another folder)")}
		}
		replace = true
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, &Error{BadInput, opt.Dir, pathError(err)}
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, &Error{BadInput, opt.Dir, pathError(err)}
	}
	tmp, err := os.MkdirTemp(parent, ".sideman-demo-")
	if err != nil {
		return nil, &Error{BadInput, opt.Dir, pathError(err)}
	}
	defer os.RemoveAll(tmp)
	build := filepath.Join(tmp, filepath.Base(dir))
	root, err := InitProject(ctx, build, opt.Key)
	if err != nil {
		return nil, err
	}
	res := &DemoProjectResult{}
	write := func(name string, b []byte) error {
		res.Files = append(res.Files, name)
		return os.WriteFile(filepath.Join(root, name), b, 0o644)
	}
	if err := write(filepath.Join(MarkerDir, DemoMarker), []byte("a sideman demo project: sideman demo --new-project replaces it\n")); err != nil {
		return nil, err
	}
	res.Files = res.Files[:0]
	chart, err := examples.Open("blues-f")
	if err != nil {
		return nil, err
	}
	lick, err := DemoPhrase()
	if err != nil {
		return nil, err
	}
	if err := write("blues-f.chart", chart); err != nil {
		return nil, err
	}
	if err := write("lick.mid", lick); err != nil {
		return nil, err
	}
	// command runs one step as a command does: its work, its exports,
	// one signed batch.
	command := func(do func(q *Project) error) error {
		rec, err := OpenLedger(ctx, root, opt.Key)
		if err != nil {
			return err
		}
		defer rec.Close()
		q := &Project{Report: p.Report, ModelDir: p.ModelDir, Ledger: rec, IDs: rec.IDs()}
		if err := do(q); err != nil {
			return err
		}
		_, err = rec.Commit(ctx)
		return err
	}
	export := func(q *Project, name string, isMIDI bool, enc func(io.Writer) error) error {
		var b bytes.Buffer
		if err := q.Ledger.Export(ctx, name, isMIDI, enc)(&b); err != nil {
			return err
		}
		return write(name, b.Bytes())
	}
	if err := command(func(q *Project) error {
		_, err := q.Record(ctx, filepath.Join(root, "lick.mid"), Written)
		return err
	}); err != nil {
		return nil, err
	}
	if err := command(func(q *Project) error {
		tr, err := q.Trade(ctx, filepath.Join(root, "blues-f.chart"), TradeOptions{Human: filepath.Join(root, "lick.mid"),
			Bars: 4, Model: DefaultSoloModel, Seed: 1, WithBand: true})
		if err != nil {
			return err
		}
		if err := export(q, "trade.mid", true, tr.EncodeMIDI); err != nil {
			return err
		}
		if opt.SoundFont == nil {
			return nil
		}
		return export(q, "trade.wav", false, func(w io.Writer) error {
			return q.RenderPiece("trade.mid", tr.Piece).Encode(ctx, w, RenderOptions{SoundFont: opt.SoundFont})
		})
	}); err != nil {
		return nil, err
	}
	if err := command(func(q *Project) error {
		var md bytes.Buffer
		rep, unknown, err := q.AuthorshipReport(ctx, authorship.Markdown, &md, "authorship.svg")
		if err != nil {
			return err
		}
		var svg bytes.Buffer
		if err := rep.WriteSVG(&svg); err != nil {
			return err
		}
		if err := write("authorship.md", md.Bytes()); err != nil {
			return err
		}
		res.Report, res.Unknown = rep, unknown
		return write("authorship.svg", svg.Bytes())
	}); err != nil {
		return nil, err
	}
	res.Head = res.Report.Head
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Into place: the old demo project aside first, removed once the new
	// one stands.
	old := ""
	if replace {
		old = filepath.Join(tmp, "old")
		if err := os.Rename(dir, old); err != nil {
			return nil, &Error{BadInput, opt.Dir, pathError(err)}
		}
	} else {
		os.Remove(dir) // an empty folder
	}
	if err := os.Rename(build, dir); err != nil {
		if old != "" {
			os.Rename(old, dir)
		}
		return nil, &Error{BadInput, opt.Dir, pathError(err)}
	}
	res.Root = dir
	return res, nil
}

func isFile(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.Mode().IsRegular()
}
