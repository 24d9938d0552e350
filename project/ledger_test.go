package project

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format/midi"
	"sideman/ledger"
	"sideman/music"
	"sideman/store/sqlite"
)

// testKey is a signing key from a seed byte: another byte, another user.
func testKey(b byte) ed25519.PrivateKey {
	seed := make([]byte, ed25519.SeedSize)
	seed[0] = b
	return ed25519.NewKeyFromSeed(seed)
}

// command runs one command's work in the project at root: do reads and
// makes notes, writes what it exports, and the ledger commits.
func command(t *testing.T, root string, key ed25519.PrivateKey, do func(p *Project) error) ledger.Head {
	t.Helper()
	ctx := context.Background()
	rec, err := OpenLedger(ctx, root, key)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	p := &Project{Ledger: rec, IDs: rec.IDs()}
	if err := do(p); err != nil {
		t.Fatal(err)
	}
	h, err := rec.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// export writes an output as a command does, through the recorder.
func export(t *testing.T, p *Project, path string, write func(w io.Writer) error) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := p.Ledger.Export(context.Background(), path, strings.HasSuffix(path, ".mid"), write)(f); err != nil {
		t.Fatal(err)
	}
}

func history(t *testing.T, root string) (recs []ledger.Record, notes map[music.NoteID]ledger.NoteHistory) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, ledgerPath(root))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l := ledger.New(s)
	for r, err := range l.Records(ctx, 0) {
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	notes = map[music.NoteID]ledger.NoteHistory{}
	for h, err := range ledger.Notes(l.Records(ctx, 0)) {
		if err != nil {
			t.Fatal(err)
		}
		notes[h.ID] = h
	}
	return recs, notes
}

func TestProjectLedgerBandThenHumanize(t *testing.T) {
	ctx := context.Background()
	key := testKey(1)
	root, err := InitProject(ctx, filepath.Join(t.TempDir(), "song"), key)
	if err != nil {
		t.Fatal(err)
	}
	var perf *Performance
	band := filepath.Join(root, "band.mid")
	command(t, root, key, func(p *Project) (err error) {
		perf, err = p.Play(ctx, "../examples/blues-f.chart", PlayOptions{Choruses: 2, Seed: 7})
		if err != nil {
			return err
		}
		export(t, p, band, perf.EncodeMIDI)
		return nil
	})
	recs, notes := history(t, root)
	// Every note the band played is in the ledger as a machine's, made by
	// rules, with the seed it played from.
	if got, want := len(notes), perf.Piece.NoteCount(); got != want {
		t.Fatalf("the ledger tells of %d notes; the band played %d", got, want)
	}
	for _, part := range perf.Piece.Parts {
		for _, n := range part.Notes {
			h := notes[n.ID]
			if h.Class != ledger.ClassM || h.Source != ledger.AlgorithmicMedia || !strings.HasPrefix(h.Generator, "band/") {
				t.Fatalf("note %d of %s: class %s, source %s, generator %q; want M, algorithmicMedia, band/...", n.ID, part.Name, h.Class, h.Source, h.Generator)
			}
			if h.State != ledger.StateOf(&n) {
				t.Fatalf("note %d: the ledger holds %+v, the band played %+v", n.ID, h.State, ledger.StateOf(&n))
			}
		}
	}
	var gens, checkpoints int
	var exp *ledger.Record
	for i, r := range recs {
		switch r.Op {
		case ledger.Generate:
			gens++
			if r.Gen.Seed != "7" {
				t.Errorf("record %d: seed %q, want 7", r.Seq, r.Gen.Seed)
			}
		case ledger.Checkpoint:
			checkpoints++
		case ledger.Export:
			exp = &recs[i]
		}
	}
	if checkpoints != 2 || gens < 3 {
		t.Errorf("%d checkpoints (init and the band: want 2), %d generate records (bass, piano, drums at least)", checkpoints, gens)
	}
	// The export names the file alone, with its SHA-256, and the file
	// carries the hash of a record of the ledger: verify takes it.
	b, err := os.ReadFile(band)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if exp == nil || len(exp.Files) != 1 || exp.Files[0].Name != "band.mid" || exp.Files[0].SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("export record %+v; want band.mid with SHA-256 %x", exp, sum)
	}
	f, err := midi.DecodeBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	head := HeadOf(f)
	if head == "" || head != recs[exp.Seq-2].Hash {
		t.Fatalf("the file carries head %q; the record before the export is %s", head, recs[exp.Seq-2].Hash)
	}
	if _, err := VerifyLedger(ctx, root, key.Public().(ed25519.PublicKey), head); err != nil {
		t.Fatalf("verify with the file's head: %v", err)
	}

	// Humanizing the file changes the band's notes: a transform of each,
	// algorithmically enhanced; they stay the machine's.
	command(t, root, key, func(p *Project) error {
		h, err := p.Humanize(ctx, band, HumanizeOptions{Feel: "swing-rhythm", Amount: 1, Seed: 3})
		if err != nil {
			return err
		}
		export(t, p, filepath.Join(root, "felt.mid"), h.EncodeMIDI)
		return nil
	})
	recs, after := history(t, root)
	if len(after) != len(notes) {
		t.Errorf("humanizing: %d notes in the ledger, was %d (a note read again is not imported again)", len(after), len(notes))
	}
	moved := 0
	for id, h := range after {
		if h.State != notes[id].State {
			moved++
			if h.Class != ledger.ClassM || len(h.Steps) == 0 {
				t.Fatalf("note %d humanized: class %s, steps %v; want M with a step", id, h.Class, h.Steps)
			}
		}
	}
	if moved < len(notes)/2 {
		t.Errorf("humanizing moved %d of %d notes in the ledger", moved, len(notes))
	}
	var transforms int
	for _, r := range recs {
		if r.Op == ledger.Transform && r.Source == ledger.AlgorithmicallyEnhanced {
			transforms += len(r.Notes)
		}
	}
	if transforms != moved {
		t.Errorf("transform records name %d notes; %d moved", transforms, moved)
	}
	v, err := VerifyLedger(ctx, root, key.Public().(ed25519.PublicKey), head)
	if err != nil || v.Checkpoints != 3 {
		t.Fatalf("verify after humanize: %+v, %v; want 3 checkpoints", v, err)
	}

	// A project copied whole (cp -r) and moved still verifies; another
	// user's key does not, naming the first checkpoint.
	dst := filepath.Join(t.TempDir(), "moved")
	if out, err := exec.Command("cp", "-r", root, dst).CombinedOutput(); err != nil {
		t.Fatalf("cp -r: %v %s", err, out)
	}
	if err := os.Rename(root, root+"-gone"); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyLedger(ctx, dst, key.Public().(ed25519.PublicKey), head); err != nil {
		t.Fatalf("a copied project: %v", err)
	}
	_, err = VerifyLedger(ctx, dst, testKey(2).Public().(ed25519.PublicKey), "")
	var ve *ledger.VerifyError
	if !errors.As(err, &ve) || ve.Seq != 2 {
		t.Fatalf("another user's key: %v; want a VerifyError at the first checkpoint, record 2", err)
	}
}

// Outside a project nothing is recorded, and no project is made.
func TestNoLedgerOutsideAProject(t *testing.T) {
	var p Project
	if _, err := p.Play(context.Background(), "../examples/blues-f.chart", PlayOptions{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	var rec *Recorder
	if h, err := rec.Commit(context.Background()); err != nil || h.Seq != 0 {
		t.Fatalf("a nil recorder committed %+v, %v", h, err)
	}
}

// A ledger that is not one (another program's file, damage) is refused
// as bad input and left as it was.
func TestOpenLedgerRefusesAForeignFile(t *testing.T) {
	ctx := context.Background()
	key := testKey(1)
	root, err := InitProject(ctx, filepath.Join(t.TempDir(), "song"), key)
	if err != nil {
		t.Fatal(err)
	}
	junk := []byte("not a database, a shopping list: eggs, milk\n")
	if err := os.WriteFile(ledgerPath(root), junk, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = OpenLedger(ctx, root, key)
	if KindOf(err) != BadInput || !strings.Contains(err.Error(), LedgerFile) {
		t.Fatalf("OpenLedger of a foreign file: %v (%v); want BadInput naming %s", err, KindOf(err), LedgerFile)
	}
	if b, _ := os.ReadFile(ledgerPath(root)); string(b) != string(junk) {
		t.Fatalf("the foreign file was changed")
	}
	os.Remove(ledgerPath(root))
	if _, err = OpenLedger(ctx, root, key); KindOf(err) != BadInput {
		t.Fatalf("OpenLedger with no ledger: %v; want BadInput", err)
	}
	if _, err := os.Stat(ledgerPath(root)); err == nil {
		t.Fatalf("OpenLedger made a ledger where none was")
	}
}

// Trading in a project: the player's notes come in as imported (a plain
// file says nothing of who played them), the sideman's answers as a
// trained model's, conditioned on the player's notes, with the model's
// hash; the band as rules'.
func TestProjectLedgerTrade(t *testing.T) {
	ctx := context.Background()
	mfile, bb := tradeFiles(t)
	dir := t.TempDir()
	mpath := filepath.Join(dir, "jazz.model")
	if err := os.WriteFile(mpath, mfile, 0o644); err != nil {
		t.Fatal(err)
	}
	human, played := parkerFours(t, dir, bb)
	key := testKey(1)
	root, err := InitProject(ctx, filepath.Join(dir, "song"), key)
	if err != nil {
		t.Fatal(err)
	}
	var tr *Traded
	command(t, root, key, func(p *Project) (err error) {
		tr, err = p.Trade(ctx, "../examples/blues-f.chart", TradeOptions{Human: human, Model: mpath, Seed: 3, WithBand: true})
		return err
	})
	recs, notes := history(t, root)
	playerIDs := map[music.NoteID]bool{}
	for _, n := range tr.Piece.Parts[0].Notes {
		playerIDs[n.ID] = true
	}
	if len(playerIDs) != len(played) {
		t.Fatalf("%d player's notes in the trade, %d played", len(playerIDs), len(played))
	}
	for id := range playerIDs {
		if h := notes[id]; h.Class != ledger.ClassUnknown {
			t.Fatalf("the player's note %d: class %s, want unknown (imported)", id, h.Class)
		}
	}
	for _, n := range tr.Piece.Parts[1].Notes {
		if h := notes[n.ID]; h.Class != ledger.ClassM || h.Source != ledger.TrainedAlgorithmicMedia || h.Generator != "improv/trade" {
			t.Fatalf("the sideman's note %d: %s %s %q; want M, trainedAlgorithmicMedia, improv/trade", n.ID, h.Class, h.Source, h.Generator)
		}
	}
	var traded int
	for _, r := range recs {
		if r.Op != ledger.Generate || r.Gen.Generator != "improv/trade" {
			continue
		}
		traded++
		if r.Gen.Model == "" || len(r.Gen.From) == 0 {
			t.Fatalf("the trade's record %d: model %q, conditioned on %d notes", r.Seq, r.Gen.Model, len(r.Gen.From))
		}
		for _, id := range r.Gen.From {
			if !playerIDs[id] && notes[id].Generator != "improv/trade" {
				t.Fatalf("the answers are conditioned on note %d, neither the player's nor an answer's", id)
			}
		}
	}
	if traded != 1 {
		t.Errorf("%d generate records of the trade, want 1", traded)
	}
	if got, want := len(notes), tr.Piece.NoteCount(); got != want {
		t.Errorf("the ledger tells of %d notes, the trade holds %d", got, want)
	}
}
