package motif

import (
	"sync"
	"testing"

	"sideman/format/wjazzd"
	"sideman/internal/shareddata"
	"sideman/model"
	"sideman/music"
)

var jazz struct {
	once   sync.Once
	charts []*music.Chart
	names  []string
	model  *model.Model
	err    error
}

// readJazz reads every WJazzD solo as a chart (the changes with the solo
// in its bars) and learns the default model from every 2nd of them.
func readJazz(tb testing.TB) ([]*music.Chart, *model.Model) {
	tb.Helper()
	dir := shareddata.Dir(tb, "wjazzd")
	jazz.once.Do(func() {
		w, err := shareddata.ReadWJazzD(dir)
		if err != nil {
			jazz.err = err
			return
		}
		melody, beats := w.Melody, w.Beats
		for _, n := range w.Names {
			s, err := wjazzd.DecodeSoloBytes(melody[n], beats[n])
			if err != nil {
				jazz.err = err
				return
			}
			s.Name = n
			c, err := s.Chart(nil)
			if err != nil {
				jazz.err = err
				return
			}
			jazz.charts = append(jazz.charts, c)
			jazz.names = append(jazz.names, n)
		}
		jazz.model, jazz.err = model.New(model.DefaultConfig())
		if jazz.err != nil {
			return
		}
		var mels []model.Melody
		for i, c := range jazz.charts {
			if i%2 == 0 {
				m, err := model.FromChart(c, "")
				if err != nil {
					jazz.err = err
					return
				}
				mels = append(mels, m)
			}
		}
		jazz.model.LearnAll(mels)
	})
	if jazz.err != nil {
		tb.Fatal(jazz.err)
	}
	return jazz.charts, jazz.model
}

// cut is the motif of bars [from, from+bars) of a chart's written notes,
// with the chart's chords (nil when withChart is false).
func cut(tb testing.TB, c *music.Chart, from, bars int, withChart bool) *Motif {
	tb.Helper()
	meters := c.BarMeters()
	var at music.Ticks
	var ns []music.Note
	id := music.NoteID(1000)
	for i := range c.Bars {
		if i >= from && i < from+bars {
			for _, n := range c.Bars[i].Notes {
				n.Start += at
				if n.ID == 0 {
					id++
					n.ID = id
				}
				ns = append(ns, n)
			}
		}
		at += meters[i].BarTicks()
	}
	var ch *music.Chart
	if withChart {
		ch = c
	}
	m, err := New(ns, meters[from], ch)
	if err != nil {
		tb.Fatalf("%s bars %d+%d: %v", c.Title, from, bars, err)
	}
	return m
}

// busyMotif is a motif of bars from a solo with at least least notes in
// them, from the 2nd half of the solos (not learned by the test model).
func busyMotif(tb testing.TB, bars, least int, withChart bool) (*Motif, *model.Model) {
	tb.Helper()
	charts, mod := readJazz(tb)
	for i := 1; i < len(charts); i += 2 {
		c := charts[i]
		for b := 4; b+bars <= len(c.Bars); b += bars {
			n := 0
			for k := b; k < b+bars; k++ {
				n += len(c.Bars[k].Notes)
			}
			if n >= least && n <= least+bars*3 {
				return cut(tb, c, b, bars, withChart), mod
			}
		}
	}
	tb.Fatalf("no solo has %d bars with %d notes", bars, least)
	return nil, nil
}
