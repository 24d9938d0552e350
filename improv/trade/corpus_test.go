package trade

import (
	"sync"
	"testing"

	"sideman/format/wjazzd"
	"sideman/internal/shareddata"
	"sideman/model"
	"sideman/music"
)

// solo is one WJazzD solo as a chart (its changes, its notes written in
// its bars) and as the bars it is played in.
type solo struct {
	name   string
	chart  *music.Chart
	played []music.PlayedBar
}

var corpus struct {
	once  sync.Once
	solos []solo
	err   error
	mOnce sync.Once
	model *model.Model
}

// readSolos reads the 456 WJazzD solos (once a test binary), their notes
// numbered.
func readSolos(tb testing.TB) []solo {
	tb.Helper()
	dir := shareddata.Dir(tb, "wjazzd")
	corpus.once.Do(func() {
		w, err := shareddata.ReadWJazzD(dir)
		if err != nil {
			corpus.err = err
			return
		}
		melody, beats, names := w.Melody, w.Beats, w.Names
		ids := music.NewIDs(1)
		for _, n := range names {
			s, err := wjazzd.DecodeSoloBytes(melody[n], beats[n])
			if err != nil {
				corpus.err = err
				return
			}
			s.Name = n
			c, err := s.Chart(nil)
			if err != nil {
				corpus.err = err
				return
			}
			ids.NumberChart(c)
			corpus.solos = append(corpus.solos, solo{n, c, playedBars(c)})
		}
	})
	if corpus.err != nil {
		tb.Fatal(corpus.err)
	}
	return corpus.solos
}

// playedBars are a chart's bars as written, one after another.
func playedBars(c *music.Chart) []music.PlayedBar {
	meters := c.BarMeters()
	out := make([]music.PlayedBar, len(c.Bars))
	var at music.Ticks
	for i := range c.Bars {
		out[i] = music.PlayedBar{Index: i, Chorus: 1, Start: at, Meter: meters[i], Bar: &c.Bars[i]}
		at += meters[i].BarTicks()
	}
	return out
}

// heldOut says whether solo i is one the trade is measured on: every
// fourth; the model learns from the others.
func heldOut(i int) bool { return i%4 == 0 }

// jazzModel is the default-viewpoint model learned (once a test binary)
// from the WJazzD solos not held out.
func jazzModel(tb testing.TB) *model.Model {
	tb.Helper()
	solos := readSolos(tb)
	corpus.mOnce.Do(func() {
		var mels []model.Melody
		for i, s := range solos {
			if heldOut(i) {
				continue
			}
			m, err := model.FromChart(s.chart, "")
			if err != nil {
				continue
			}
			mels = append(mels, m)
		}
		m, _ := model.New(model.DefaultConfig())
		m.LearnAll(mels)
		corpus.model = m
	})
	return corpus.model
}

// notesIn are the solo's notes that start in played bars [from, to), on
// the performance's ticks, sorted.
func (s solo) notesIn(from, to int) []music.Note {
	var out []music.Note
	for b := from; b < to && b < len(s.played); b++ {
		pb := s.played[b]
		for _, n := range pb.Bar.Notes {
			n.Start += pb.Start
			out = append(out, n)
		}
	}
	music.SortNotes(out)
	return out
}
