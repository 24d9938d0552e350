package project

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sideman/format/midi"
	"sideman/format/wjazzd"
	"sideman/improv/trade"
	"sideman/internal/shareddata"
	"sideman/model"
	"sideman/music"
)

var tradeData struct {
	once  sync.Once
	model []byte       // a model file learned from every tenth WJazzD solo
	bb    *music.Chart // Charlie Parker's Billie's Bounce solo (an F blues), held out
	err   error
}

// tradeFiles writes, once a test binary, a jazz model learned from a
// subset of WJazzD (Parker's Billie's Bounce left out) and returns its
// bytes and that solo as a chart.
func tradeFiles(t *testing.T) ([]byte, *music.Chart) {
	t.Helper()
	dir := shareddata.Dir(t, "wjazzd")
	tradeData.once.Do(func() {
		w, err := shareddata.ReadWJazzD(dir)
		if err != nil {
			tradeData.err = err
			return
		}
		mel, beats, names := w.Melody, w.Beats, w.Names
		var mels []model.Melody
		for i, n := range names {
			bb := n == "CharlieParker_Billie'sBounce_Solo.csv"
			if i%10 != 0 && !bb {
				continue
			}
			s, err := wjazzd.DecodeSoloBytes(mel[n], beats[n])
			if err != nil {
				tradeData.err = err
				return
			}
			c, err := s.Chart(nil)
			if err != nil {
				tradeData.err = err
				return
			}
			if bb {
				tradeData.bb = c
				continue
			}
			m, _ := model.FromChart(c, "")
			mels = append(mels, m)
		}
		m, _ := model.New(model.DefaultConfig())
		m.LearnAll(mels)
		var buf bytes.Buffer
		tradeData.err = model.Encode(&buf, m)
		tradeData.model = buf.Bytes()
	})
	if tradeData.err != nil {
		t.Fatal(tradeData.err)
	}
	if tradeData.bb == nil {
		t.Fatal("Billie's Bounce is not in the WJazzD archive")
	}
	return tradeData.model, tradeData.bb
}

// parkerFours writes Parker's first chorus and a half of Billie's Bounce
// as a player trading fours would play it: his bars 1-4, 9-12 and 17-20
// (the solo's first bar is a pickup), and one note of his bar 6 that
// starts in the sideman's turn.
func parkerFours(t *testing.T, dir string, bb *music.Chart) (string, []music.Note) {
	t.Helper()
	p := &music.Piece{Title: "Parker fours", Tempo: music.TempoMap{{MicrosPerQuarter: 352941}}} // 170 bpm
	part := music.Part{Name: "Parker", Role: music.RoleMelody, Program: 65}
	ids := music.NewIDs(7000)
	for b := range 20 {
		notes := bb.Bars[1+b].Notes
		if (b/4)%2 != 0 {
			if b != 5 || len(notes) == 0 {
				continue
			}
			notes = notes[:1]
		}
		for _, n := range notes {
			n.Start += music.Ticks(b) * 4 * music.PPQ
			n.ID, n.Velocity, n.Part = ids.Next(), 90, 0
			n.Origin = &music.Origin{Kind: music.HumanPlayed, Who: "Charlie Parker"}
			part.Notes = append(part.Notes, n)
		}
	}
	music.SortNotes(part.Notes)
	p.Parts = []music.Part{part}
	name := filepath.Join(dir, "parker.mid")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := midi.EncodePiece(f, p); err != nil {
		t.Fatal(err)
	}
	return name, part.Notes
}

func TestTrade(t *testing.T) {
	mfile, bb := tradeFiles(t)
	dir := t.TempDir()
	mpath := filepath.Join(dir, "jazz.model")
	if err := os.WriteFile(mpath, mfile, 0o644); err != nil {
		t.Fatal(err)
	}
	human, played := parkerFours(t, dir, bb)
	chart := filepath.Join("..", "examples", "blues-f.chart")
	p := &Project{}
	opt := TradeOptions{Human: human, Model: mpath, Seed: 3, WithBand: true}
	tr, err := p.Trade(context.Background(), chart, opt)
	if err != nil {
		t.Fatal(err)
	}
	parts := tr.Piece.Parts
	if len(parts) < 4 || parts[0].Name != "Player" || parts[1].Name != "Sideman" {
		t.Fatalf("parts %v, want the player, the sideman and the band", partNames(tr.Piece))
	}
	// Every note of the player's, with its id and Origin, on its track.
	got := map[music.NoteID]music.Note{}
	for _, n := range parts[0].Notes {
		got[n.ID] = n
	}
	for _, n := range played {
		g, ok := got[n.ID]
		if !ok {
			t.Fatalf("the player's note %d is missing", n.ID)
		}
		if g.Pitch != n.Pitch || g.Origin == nil || g.Origin.Kind != music.HumanPlayed || g.Origin.Who != "Charlie Parker" {
			t.Errorf("the player's note %d: pitch %d origin %v, want pitch %d played by Charlie Parker", n.ID, g.Pitch, g.Origin, n.Pitch)
		}
	}
	if len(parts[0].Notes) != len(played) {
		t.Errorf("%d notes on the player's track, want %d", len(parts[0].Notes), len(played))
	}
	// The answers: in bars 5-8, 13-16 and 21-24 only (the last phrase
	// answered), starting on those downbeats, each note saying who made
	// it from what.
	bar := music.Ticks(4 * music.PPQ)
	if len(tr.Answers) != 3 {
		t.Fatalf("%d answers, want 3 (bars 5-8, 13-16, 21-24)", len(tr.Answers))
	}
	first := map[music.Ticks]bool{}
	for _, n := range parts[1].Notes {
		// 4/4 throughout; the feel may play a downbeat a little early, as
		// a player does: a 32nd's grace.
		b := int((n.Start + music.PPQ/8) / bar)
		if (b/4)%2 == 0 || b >= 24 {
			t.Errorf("answer note at bar %d, in the player's bars", b+1)
		}
		o := n.Origin.Root() // under the feel's processing step
		if o == nil || o.Generator != trade.Generator || !strings.Contains(o.Params, "model=jazz model-sha256="+tr.Model.Hash) || len(o.DerivedFrom) == 0 {
			t.Fatalf("answer note %d: origin %+v", n.ID, o)
		}
		if got[o.DerivedFrom[0]].ID == 0 {
			t.Errorf("answer note %d derives from %d, not one of the player's notes", n.ID, o.DerivedFrom[0])
		}
		first[n.Start] = true
	}
	for _, b := range []music.Ticks{4, 12, 20} { // each answer comes in in its first bar
		in := false
		for at := range first {
			in = in || (at+music.PPQ/8 >= b*bar && at < (b+1)*bar)
		}
		if !in {
			t.Errorf("no answer note in bar %d, the first of its turn", b+1)
		}
	}
	for _, a := range tr.Answers {
		if len(a.Developments) == 0 || len(a.Developments[0].From) == 0 {
			t.Errorf("answer at bars %s says nothing of what it develops", a.Bars)
		}
	}
	// The note played in bar 6, in the sideman's turn, is kept and said.
	if len(tr.Late) != 1 || tr.Late[0].Bar != 6 || !strings.HasPrefix(tr.Late[0].Treated, "kept") {
		t.Errorf("late notes %+v, want the one in bar 6, kept", tr.Late)
	}
	// Same seed, same file.
	var a, b bytes.Buffer
	if err := tr.EncodeMIDI(&a); err != nil {
		t.Fatal(err)
	}
	tr2, err := p.Trade(context.Background(), chart, opt)
	if err != nil {
		t.Fatal(err)
	}
	tr2.EncodeMIDI(&b)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same trade twice wrote two files")
	}
}

func TestTradeBadInput(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.model")
	os.WriteFile(junk, []byte("not a model"), 0o644)
	chart := filepath.Join("..", "examples", "blues-f.chart")
	p := &Project{}
	for _, tc := range []struct {
		name string
		opt  TradeOptions
		kind Kind
		says string
	}{
		{"bars", TradeOptions{Bars: 3, Model: junk, Human: "x.mid"}, BadInput, "want 4 or 8"},
		{"no such model", TradeOptions{Human: "x.mid", Model: "nosuch"}, NotFound, "no such model"},
		{"missing model", TradeOptions{Human: "x.mid", Model: filepath.Join(dir, "none.model")}, NotFound, "none.model"},
		{"not a model", TradeOptions{Human: "x.mid", Model: junk}, BadInput, "not a sideman model"},
	} {
		_, err := p.Trade(context.Background(), chart, tc.opt)
		var oe *OptionError
		if err == nil || (KindOf(err) != tc.kind && !errors.As(err, &oe)) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %v (kind %v), want %v saying %q", tc.name, err, KindOf(err), tc.kind, tc.says)
		}
	}
}

// With no model named the trade answers from the built-in jazz model, and
// every answer note's Origin names it by its whole SHA-256.
func TestTradeBuiltinModel(t *testing.T) {
	_, bb := tradeFiles(t)
	dir := t.TempDir()
	human, _ := parkerFours(t, dir, bb)
	p := &Project{}
	_, info, err := p.LoadModel(context.Background(), DefaultSoloModel)
	if err != nil || !info.Builtin || len(info.Hash) != 64 {
		t.Fatalf("built-in %q: %+v, %v", DefaultSoloModel, info, err)
	}
	tr, err := p.Trade(context.Background(), filepath.Join("..", "examples", "blues-f.chart"), TradeOptions{Human: human, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Model.Hash != info.Hash || tr.Model.Name != info.Name {
		t.Errorf("model %+v, want %s %s", tr.Model, info.Name, info.Hash)
	}
	answers := tr.Piece.Parts[1].Notes
	if len(answers) == 0 {
		t.Fatal("no answers")
	}
	for _, n := range answers {
		if !strings.Contains(n.Origin.Root().Params, "model-sha256="+info.Hash+" ") {
			t.Fatalf("answer note %d: params %q, want the built-in model's whole hash %s", n.ID, n.Origin.Params, info.Hash)
		}
	}
}
