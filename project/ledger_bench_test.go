package project

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"sideman/format/midi"
	"sideman/ledger"
	"sideman/music"
	"sideman/store/sqlite"
)

// benchProject is a project whose SQLite ledger tells of n notes, as
// sessions write them: every 20 notes a person's capture of 8, a band's
// generate of 12, a humanize of all 20 and a person's edit of one,
// committed 10,000 notes a batch through the Recorder. It returns the
// project's root and the ids of its notes.
func benchProject(b *testing.B, n int) (string, []music.NoteID) {
	b.Helper()
	ctx := context.Background()
	key := testKey(1)
	root, err := InitProject(ctx, filepath.Join(b.TempDir(), "song"), key)
	if err != nil {
		b.Fatal(err)
	}
	r, err := OpenLedger(ctx, root, key)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	ids := r.IDs()
	var all []music.NoteID
	state := func(i int) ledger.NoteState {
		return ledger.NoteState{Part: int16(i % 4), Tick: music.Ticks(i) * music.PPQ / 2, Dur: music.PPQ / 2, Pitch: uint8(36 + i%48), Vel: uint8(60 + i%40)}
	}
	for len(all) < n {
		capture := ledger.Record{Actor: ledger.Human, Op: ledger.Capture, Source: ledger.DigitalCapture}
		gen := ledger.Record{Actor: ledger.Machine, Op: ledger.Generate, Source: ledger.AlgorithmicMedia,
			Gen: &ledger.Generation{Generator: "band/walkingbass", Version: "1", Seed: "7", Params: map[string]string{"style": "swing"}}}
		hum := ledger.Record{Actor: ledger.Machine, Op: ledger.Transform, Source: ledger.AlgorithmicallyEnhanced,
			Gen: &ledger.Generation{Generator: "feel/humanize", Seed: "1"}}
		for i := range 20 {
			id := ids.Next()
			st := state(len(all))
			all = append(all, id)
			if i < 8 {
				capture.Notes, capture.After = append(capture.Notes, id), append(capture.After, st)
			} else {
				gen.Notes, gen.After = append(gen.Notes, id), append(gen.After, st)
			}
			moved := st
			moved.Tick += 7
			hum.Notes, hum.Before, hum.After = append(hum.Notes, id), append(hum.Before, st), append(hum.After, moved)
		}
		edited := hum.After[10]
		edit := ledger.Record{Actor: ledger.Human, Op: ledger.Modify, Source: ledger.HumanEdits, Notes: []music.NoteID{hum.Notes[10]},
			Before: []ledger.NoteState{edited}, After: []ledger.NoteState{{Part: edited.Part, Tick: edited.Tick, Dur: edited.Dur, Pitch: edited.Pitch + 1, Vel: edited.Vel}}}
		for _, rec := range []ledger.Record{capture, gen, hum, edit} {
			r.add(rec)
		}
		if len(all)%10_000 == 0 || len(all) >= n {
			if _, err := r.Commit(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	return root, all
}

// BenchmarkLedgerAction is what one action costs in a project whose
// ledger tells of 10,000 and 100,000 notes: opening it (OpenLedger), a
// person's edit of one note committed (the studio's EditNote, then
// Commit), a MIDI export of a 16-note piece (Recorder.Export: the head
// and the provenance record), and reading the history of the notes up to
// a head an export carried (historiesAt, what record and edit do with a
// file exported earlier: at-head when the file carries the ledger's
// head, at-mid when it carries one halfway); and what the recorder holds
// in memory a note (memory: its histories, and its map of the notes'
// fields). Its peer in the same run, read-all, reads every record of the
// store and does nothing else: the floor of an action that reads the
// whole ledger.
//
//	go test ./project -run '^$' -bench LedgerAction -benchtime 5x -count 3
func BenchmarkLedgerAction(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(strconv.Itoa(n/1000)+"k", func(b *testing.B) {
			ctx := context.Background()
			key := testKey(1)
			root, notes := benchProject(b, n)
			b.Run("read-all", func(b *testing.B) {
				s, err := sqlite.Open(ctx, ledgerPath(root))
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				for b.Loop() {
					c := 0
					for _, err := range ledger.New(s).Records(ctx, 0) {
						if err != nil {
							b.Fatal(err)
						}
						c++
					}
					if c == 0 {
						b.Fatal("no records")
					}
				}
			})
			b.Run("open", func(b *testing.B) {
				for b.Loop() {
					r, err := OpenLedger(ctx, root, key)
					if err != nil {
						b.Fatal(err)
					}
					r.Close()
				}
			})
			r, err := OpenLedger(ctx, root, key)
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close()
			p := &Project{Ledger: r, IDs: r.IDs()}
			b.Run("memory", func(b *testing.B) {
				// What the recorder holds for its notes: the heap with
				// its maps of them, less the heap without.
				heap := func() uint64 {
					var ms runtime.MemStats
					runtime.GC()
					runtime.ReadMemStats(&ms)
					return ms.HeapAlloc
				}
				var known, hist uint64
				for b.Loop() {
					q, err := OpenLedger(ctx, root, key)
					if err != nil {
						b.Fatal(err)
					}
					with := heap()
					q.hist = nil
					less := heap()
					q.known = nil
					hist, known = with-min(with, less), less-min(less, heap())
					q.Close()
				}
				b.ReportMetric(float64(hist)/float64(n), "hist-B/note")
				b.ReportMetric(float64(known)/float64(n), "known-B/note")
			})
			i := 0 // across -count's runs: each edit changes its note
			b.Run("edit", func(b *testing.B) {
				for b.Loop() {
					v := uint8(30 + i%2)
					if _, err := p.EditNote(ctx, notes[(i*7919)%len(notes)], NoteChange{Velocity: &v}); err != nil {
						b.Fatal(err)
					}
					if _, err := r.Commit(ctx); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
			piece := &music.Piece{Title: "bench", Parts: []music.Part{{Name: "Bass", Channel: 0}}}
			for i, id := range notes[len(notes)-16:] {
				piece.Parts[0].Notes = append(piece.Parts[0].Notes, music.Note{ID: id, Start: music.Ticks(i) * music.PPQ, Duration: music.PPQ, Pitch: uint8(40 + i), Velocity: 90})
			}
			var head string
			b.Run("export", func(b *testing.B) {
				for b.Loop() {
					var out bytes.Buffer
					if err := r.Export(ctx, "bench.mid", true, func(w io.Writer) error { return midi.EncodePiece(w, piece) })(&out); err != nil {
						b.Fatal(err)
					}
					f, err := midi.Decode(&out)
					if err != nil {
						b.Fatal(err)
					}
					head = HeadOf(f)
					r.files = nil // one export's work, not a growing record
				}
			})
			if _, err := r.Commit(ctx); err != nil { // the pending record the export's head named
				b.Fatal(err)
			}
			b.Run("at-head", func(b *testing.B) {
				for b.Loop() {
					if _, ok, err := r.historiesAt(ctx, head); err != nil || !ok {
						b.Fatal(ok, err)
					}
				}
			})
			var mid string // the head an export carried halfway through
			for rec, err := range r.ledger.Records(ctx, uint64(n/20*4/2)) {
				if err != nil {
					b.Fatal(err)
				}
				mid = rec.Hash
				break
			}
			b.Run("at-mid", func(b *testing.B) {
				for b.Loop() {
					if _, ok, err := r.historiesAt(ctx, mid); err != nil || !ok {
						b.Fatal(ok, err)
					}
				}
			})
		})
	}
}
