package project

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"sideman/format/musicxml"
)

// A live trade's piece carries the chart's key and meter: over Blues for
// F its MusicXML has F's signature (one flat) and spells the blue notes
// the player plays, and the answer's, as A♭ and E♭, never G♯ or D♯.
func TestLivePieceKey(t *testing.T) {
	ctx := context.Background()
	d := exampleDoc(t, "blues-f")
	p := &Project{}
	l, err := p.LiveTrade(ctx, d.Charts[0], LiveOptions{Tempo: 120, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// A bluesy phrase, a note a beat (500 ms) through bars 1-4: F A♭ A C,
	// E♭ D C A♭, F A♭ B♭ B, C E♭ F ...
	blues := []uint8{65, 68, 69, 72, 75, 74, 72, 68, 65, 68, 70, 71, 72, 75, 77, 75}
	for i, pitch := range blues {
		at := float64(i) * 500
		if _, err := l.NoteOn(pitch, 90, at); err != nil {
			t.Fatal(err)
		}
		l.NoteOff(pitch, at+400)
	}
	if _, err := l.Answer(ctx, 8000-10); err != nil {
		t.Fatal(err)
	}
	piece := l.Piece()
	var buf bytes.Buffer
	if err := EncodePieceScore(&buf, "trade", ScoreNow(musicxml.Score{}, piece)); err != nil {
		t.Fatal(err)
	}
	score := buf.String()
	if !strings.Contains(score, "<fifths>-1</fifths>") {
		t.Errorf("the trade's score has no F major signature (<fifths>-1</fifths>)")
	}
	// Every pitch written, by its spelling.
	type pitch struct {
		Step   string  `xml:"step"`
		Alter  float64 `xml:"alter"`
		Octave int     `xml:"octave"`
	}
	dec := xml.NewDecoder(strings.NewReader(score))
	dec.Strict = false
	spelled := map[string]int{}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "pitch" {
			var pt pitch
			if err := dec.DecodeElement(&pt, &se); err != nil {
				t.Fatal(err)
			}
			name := pt.Step
			switch pt.Alter {
			case -1:
				name += "b"
			case 1:
				name += "#"
			}
			spelled[name]++
		}
	}
	t.Logf("spelled: %v", spelled)
	if spelled["G#"] > 0 || spelled["D#"] > 0 || spelled["A#"] > 0 {
		t.Errorf("sharps in F: %d G#, %d D#, %d A#; want A♭, E♭, B♭", spelled["G#"], spelled["D#"], spelled["A#"])
	}
	if spelled["Ab"] < 4 || spelled["Eb"] < 3 || spelled["Bb"] < 1 {
		t.Errorf("the player's A♭s (4), E♭s (3) and B♭ (1): %d, %d, %d spelled flat", spelled["Ab"], spelled["Eb"], spelled["Bb"])
	}
	if len(piece.Parts[1].Notes) == 0 {
		t.Error("no answer in the piece")
	}
}
