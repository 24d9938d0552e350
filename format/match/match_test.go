package match

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"sideman/format"
)

func decodeFile(t *testing.T, name string) *File {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestDecodeK331(t *testing.T) {
	f := decodeFile(t, "testdata/k331.match")
	if len(f.Info) != 8 || len(f.Lines) != 12 {
		t.Fatalf("%d info, %d lines", len(f.Info), len(f.Lines))
	}
	if v, _ := f.Get("composer"); v != "W. A. Mozart" {
		t.Errorf("composer %q", v)
	}
	// 480 ticks a quarter at 500000 us a quarter: 1/960 s a tick.
	if s, err := f.SecondsPerTick(); err != nil || s != 0.5/480 {
		t.Errorf("seconds per tick %v %v", s, err)
	}
	want := Line{Kind: Matched,
		Score: &ScoreNote{ID: "n1-1", Step: "C", Alter: 1, Octave: 5, Bar: 1, Beat: 1,
			Offset: Rational{0, 1}, Duration: Rational{3, 16}, Onset: 0, OffsetBeats: 1.5,
			Attributes: []string{"v1", "staff1"}},
		Performed: &PerformedNote{ID: "n0", Pitch: 73, Onset: 2182, Offset: 2675, AdjOffset: 2675, Velocity: 105}}
	if !reflect.DeepEqual(f.Lines[2], want) {
		t.Errorf("got %+v %+v, want %+v %+v", f.Lines[2].Score, f.Lines[2].Performed, want.Score, want.Performed)
	}
	// C#5 is MIDI 73, the key the pianist played.
	if p := f.Lines[2].Score.Pitch(); p != 73 {
		t.Errorf("C#5 = %d", p)
	}
	if p := f.Lines[1].Prop; p == nil || p.Attribute != "timeSignature" || p.Value != "6/8" {
		t.Errorf("time signature %+v", p)
	}
	kinds := map[Kind]int{}
	for _, l := range f.Lines {
		kinds[l.Kind]++
	}
	if kinds[Matched] != 5 || kinds[Deleted] != 1 || kinds[Inserted] != 1 || kinds[Pedal] != 3 || kinds[Property] != 2 {
		t.Errorf("kinds %v", kinds)
	}
	if pe := f.Lines[7].PedalEvent; pe == nil || *pe != (PedalEvent{"sustain", 2830, 64}) {
		t.Errorf("pedal %+v", pe)
	}
	if g := f.Lines[11].Score; !g.Has("grace") || g.Duration.Float() != 0 {
		t.Errorf("grace note %+v", g)
	}
}

func TestDecodeOlder(t *testing.T) {
	f := decodeFile(t, "testdata/older.match")
	want := []Kind{Matched, Matched, Trill, Ornament, TrailingScore, HammerBounce, Raw, Raw}
	var got []Kind
	for _, l := range f.Lines {
		got = append(got, l.Kind)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("kinds %v, want %v", got, want)
	}
	p := f.Lines[0].Performed
	if !p.Spelled || p.Pitch != 64 || p.AdjOffset != 1850 || p.Velocity != 60 {
		t.Errorf("older note %+v", p)
	}
	// G#4 written, Ab4 played: the same key.
	if f.Lines[1].Score.Pitch() != f.Lines[1].Performed.Pitch {
		t.Errorf("G#4 %d against Ab4 %d", f.Lines[1].Score.Pitch(), f.Lines[1].Performed.Pitch)
	}
	if d := f.Lines[1].Score.Duration; d != (Rational{1, 24}) {
		t.Errorf("triplet eighth %v", d)
	}
	if f.Lines[2].Anchor != "n2" {
		t.Errorf("trill anchor %q", f.Lines[2].Anchor)
	}
	s := f.Lines[4].Score
	if s.Step != "B" || s.Alter != 2 || s.Pitch() != 61 || s.Duration != (Rational{3, 16}) || s.Attributes != nil {
		t.Errorf("B##3 %+v", s)
	}
	if v, _ := f.Get("keySignature"); v != "[en,major]" {
		t.Errorf("info value %q", v)
	}
}

func TestRoundTrip(t *testing.T) {
	for _, name := range []string{"testdata/k331.match", "testdata/older.match"} {
		f := decodeFile(t, name)
		var buf bytes.Buffer
		if err := Encode(&buf, f); err != nil {
			t.Fatal(err)
		}
		g, err := Decode(&buf)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(f, g) {
			t.Errorf("%s: round trip differs", name)
		}
	}
	// A file in the corpora's own form writes back byte for byte.
	b, _ := os.ReadFile("testdata/k331.match")
	var buf bytes.Buffer
	if err := Encode(&buf, decodeFile(t, "testdata/k331.match")); err != nil {
		t.Fatal(err)
	}
	// Encode puts the info lines first; k331.match has them first already.
	if buf.String() != string(b) {
		t.Errorf("k331 writes back as\n%s", buf.String())
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in         string
		line, col  int
		errContain string
	}{
		{"info(a,b).\nsnote(n1,[C,#],5,1:1,0,3/16,0.0000,1.5000,[v1])-note(n0,73,2182,2675,105,0).", 2, 54, "7 arguments"},
		{"snote(n1,[H,#],5,1:1,0,3/16,0.0000,1.5000,[v1])-deletion.", 1, 10, "spelling"},
		{"snote(n1,[C,#],5,1:1,0,3/0,0.0000,1.5000,[v1])-deletion.", 1, 24, "fraction"},
		{"snote(n1,[C,#],5,1:1,0,3/16,zero,1.5000,[v1])-deletion.", 1, 29, "number"},
		{"snote(n1,[C,#],5,1:1,0,3/16,0.0000,1.5000,[v1])-deletion", 1, 57, "end of the line"},
		{"snote(n1,[C,#],5,1:1,0,3/16,0.0000,1.5000,[v1])-insertion.", 1, 49, "unexpected"},
		{"\n\ninsertion-note(n4,61,1906,1988,200,0,0).", 3, 32, "velocity"},
		{"  sustain(12).", 1, 11, "2 arguments"},
		{"snote(n1,[C,#],5,1:1,0,3/16,0.0000,1.5000,[v1]-deletion.", 1, 6, "unclosed"},
		{"info(composer).", 1, 6, "key and a value"},
	}
	for _, tt := range tests {
		_, err := Decode(strings.NewReader(tt.in))
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: error %v is not a *ParseError", tt.in, err)
			continue
		}
		if pe.Line != tt.line || pe.Column != tt.col || !strings.Contains(pe.Error(), tt.errContain) || !errors.Is(err, ErrSyntax) {
			t.Errorf("%q: got %v (line %d col %d), want line %d col %d %q", tt.in, err, pe.Line, pe.Column, tt.line, tt.col, tt.errContain)
		}
	}
}

func TestRawKept(t *testing.T) {
	in := "section(0.0000,16.0000,0.0000,16.0000,[]).\nsnote(n1,[C,n],4,1:1,0,1/4,0.0000,1.0000,[])-deletion.\n"
	f, err := Decode(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Lines) != 2 || f.Lines[0].Kind != Raw || f.Lines[0].Text != "section(0.0000,16.0000,0.0000,16.0000,[])." {
		t.Fatalf("%+v", f.Lines)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, f); err != nil || buf.String() != in {
		t.Errorf("wrote %q, %v", buf.String(), err)
	}
}

// blankLines is an endless input of lines of spaces, which Decode skips.
type blankLines struct{}

func (blankLines) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
		if i%100 == 99 {
			p[i] = '\n'
		}
	}
	return len(p), nil
}

func TestDecodeTooLarge(t *testing.T) {
	_, err := Decode(blankLines{})
	var pe *ParseError
	if !errors.Is(err, format.ErrTooLarge) || !errors.As(err, &pe) {
		t.Errorf("endless input: %v, want a *ParseError wrapping format.ErrTooLarge", err)
	}
	if _, err := DecodeBytes(make([]byte, format.MaxSize+1)); !errors.Is(err, format.ErrTooLarge) {
		t.Errorf("DecodeBytes of format.MaxSize+1 bytes: %v", err)
	}
}
