package project

import (
	"context"
	"math"
	"strings"
	"testing"

	"sideman/band"
	"sideman/examples"
	"sideman/load"
	"sideman/music"
)

// A trade over a loop with a tempo ramp keeps the band's clock: each time
// round the bars are shorter by the ramp, milliseconds and ticks go back
// and forth through the tempo map without losing a tick, and every bar
// starts when the band's performance of the same loop starts it.
func TestLiveLoopClock(t *testing.T) {
	ctx := context.Background()
	d := exampleDoc(t, "blues-f")
	c := d.Charts[0]
	loop := band.BarRange{First: 5, Last: 8}
	p := &Project{}
	l, err := p.LiveTrade(ctx, c, LiveOptions{Tempo: 120, Loop: loop, Repeat: 4, Ramp: 8, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.bars) != 16 {
		t.Fatalf("%d bars, want the 4-bar loop 4 times: 16", len(l.bars))
	}
	perf, err := p.PlayDocument(ctx, d, PlayOptions{Tempo: 120, Loop: loop, Repeat: 4, Ramp: 8, Feel: "none"})
	if err != nil {
		t.Fatal(err)
	}
	bar := l.bars[0].Meter.BarTicks()
	for k, pb := range l.bars {
		want := 1000 * perf.Piece.Tempo.Seconds(pb.Start)
		if got := l.Millis(pb.Start); math.Abs(got-want) > 1e-6 {
			t.Errorf("bar %d starts at %.6f ms in the trade, %.6f ms in the band", k+1, got, want)
		}
		// Four beats at 120, 128, 136, 144 bpm.
		bpm := 120 + 8*float64(k/4)
		if got, want := l.Millis(pb.Start+bar)-l.Millis(pb.Start), 4*60000/bpm; math.Abs(got-want) > 0.01 {
			t.Errorf("bar %d (time round %d) lasts %.3f ms, want %.3f (%g bpm)", k+1, k/4+1, got, want, bpm)
		}
	}
	end := l.bars[15].Start + bar
	for tk := music.Ticks(-music.PPQ); tk <= end+music.PPQ; tk += 7 {
		if got := l.Ticks(l.Millis(tk)); got != tk {
			t.Fatalf("tick %d is %.4f ms, which is tick %d", tk, l.Millis(tk), got)
		}
	}
	// Milliseconds to ticks to milliseconds: within half a tick's length
	// at the slowest tempo (120 bpm).
	for ms := -500.0; ms < l.Millis(end); ms += 3.7 {
		if got := l.Millis(l.Ticks(ms)); math.Abs(got-ms) > 60000.0/120/music.PPQ/2+1e-9 {
			t.Fatalf("%.1f ms is tick %d, which is %.4f ms", ms, l.Ticks(ms), got)
		}
	}
	// The trade's MIDI tempo map is the band's.
	tm := l.Piece().Tempo
	for _, pb := range l.bars {
		if a, b := tm.Seconds(pb.Start), perf.Piece.Tempo.Seconds(pb.Start); math.Abs(a-b) > 1e-9 {
			t.Errorf("the trade's piece puts tick %d at %.6f s, the band at %.6f s", pb.Start, a, b)
		}
	}
}

// A loop the chart cannot play is refused as the band refuses it.
func TestLiveLoopBadInput(t *testing.T) {
	d := exampleDoc(t, "blues-f")
	p := &Project{}
	for _, opt := range []LiveOptions{
		{Tempo: 120, Loop: band.BarRange{First: 9, Last: 16}},             // past bar 12
		{Tempo: 120, Loop: band.BarRange{First: 1, Last: 4}, Repeat: 300}, // too many times
		{Tempo: 390, Loop: band.BarRange{First: 1, Last: 4}, Ramp: 20},    // past 400 bpm
	} {
		_, err := p.LiveTrade(context.Background(), d.Charts[0], opt)
		if _, ok := err.(*OptionError); !ok {
			t.Errorf("%+v: %v, want an OptionError", opt, err)
		} else {
			t.Logf("%+v: %v", opt, err)
		}
	}
}

// A loop's ramp that runs out of tempo is refused in the loop's words, as
// the studio says it: the time round it reaches the tempo, not choruses.
func TestLiveLoopRampRefused(t *testing.T) {
	d := exampleDoc(t, "blues-f")
	p := &Project{}
	_, err := p.LiveTrade(context.Background(), d.Charts[0], LiveOptions{Tempo: 390, Loop: band.BarRange{First: 1, Last: 4}, Repeat: 4, Ramp: 20})
	if err == nil || !strings.Contains(err.Error(), "reaches 450 bpm by the 4th time round") || strings.Contains(err.Error(), "chorus") {
		t.Errorf("a loop ramped past 400 bpm: %v, want it to say it reaches 450 bpm by the 4th time round", err)
	}
}

// exampleDoc is a bundled chart, read.
func exampleDoc(t testing.TB, name string) *load.Document {
	t.Helper()
	src, err := examples.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	d, err := load.Bytes(name+".chart", src)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
