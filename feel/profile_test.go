package feel

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestBuiltinsRead(t *testing.T) {
	names := BuiltinNames()
	want := []string{"ballad", "classical-piano", "rock-funk", "straight-latin", "swing-rhythm", "swing-soloist"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("built-ins %v, want %v", names, want)
	}
	for _, p := range Builtins() {
		if len(p.Sources) == 0 || p.Description == "" {
			t.Errorf("%s: no sources or description", p.Name)
		}
		var buf bytes.Buffer
		if err := p.Encode(&buf); err != nil {
			t.Fatal(err)
		}
		first := buf.String()
		q, err := Decode(&buf)
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		var again bytes.Buffer
		q.Encode(&again)
		if again.String() != first {
			t.Errorf("%s: does not read back the same", p.Name)
		}
	}
	if _, ok := Builtin("Swing-Soloist"); !ok {
		t.Error("names are matched without case")
	}
}

// The .feel format is the committed built-ins' bytes: each decodes and
// encodes back to exactly the file it was read from, so a field renamed
// in Go (Band became TempoBand) or a tag changed shows up here.
func TestBuiltinFilesUnchanged(t *testing.T) {
	entries, err := builtinFS.ReadDir("builtin")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("no built-in files")
	}
	for _, e := range entries {
		data, err := builtinFS.ReadFile("builtin/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		p, err := Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		var buf bytes.Buffer
		if err := p.Encode(&buf); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), data) {
			t.Errorf("%s: encodes to %d bytes unlike the file's %d", e.Name(), buf.Len(), len(data))
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "line 1"},
		{"{\n \"name\": \"x\",\n \"roles\": {\"bass\": {\"hurst\": \"high\"}}}", "line 3"},
		{"{\n \"name\": \"x\",\n \"tempo\": 3\n}", "unknown field"},
		{`{"name": "x", "roles": {}}`, "no roles"},
		{`{"name": "", "roles": {"bass": {}}}`, "no name"},
		{`{"name": "x", "roles": {"flute": {}}}`, "unknown role"},
		{`{"name": "x", "roles": {"bass": {"hurst": 7}}}`, "hurst"},
		{`{"name": "x", "roles": {"bass": {"bands": [{"lo": 0, "hi": 100, "swing": {"n": 30, "mean": 9, "sd": 1}}]}}}`, "swing: mean 9"},
		{`{"name": "x", "roles": {"bass": {"bands": [{"lo": 0, "hi": 100, "timing": {"offbeat": {}}}]}}}`, "unknown slot"},
		{`{"name": "x", "roles": {"bass": {"bands": [{"lo": 100, "hi": 90}]}}}`, "must rise"},
		{`{"name": "x", "roles": {"bass": {"velocity": {"0.beat": {"n": 5, "mean": 200, "sd": 1}}}}}`, "velocity"},
		{`{"name": "x", "roles": {"bass": {}}} {}`, "text after"},
	} {
		_, err := Decode(strings.NewReader(c.in))
		var pe *ParseError
		if err == nil || !errors.As(err, &pe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want a ParseError with %q", c.in, err, c.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, p := range Builtins()[1:2] { // classical-piano, the smallest
		var buf bytes.Buffer
		p.Encode(&buf)
		f.Add(buf.Bytes())
	}
	f.Add([]byte(`{"name": "x", "roles": {"bass": {"hurst": 0.5}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := p.Encode(&buf); err != nil {
			t.Fatal(err)
		}
		if _, err := Decode(&buf); err != nil {
			t.Fatalf("a profile that read does not read back: %v", err)
		}
	})
}

func TestCentre(t *testing.T) {
	band := func(beat, and float64, n int) []TempoBand {
		bs := make([]TempoBand, len(tempoBands))
		for i, tb := range tempoBands {
			bs[i] = TempoBand{Lo: tb.lo, Hi: tb.hi, Timing: map[string]Timing{}}
		}
		bs[1].Timing["beat"] = Timing{Ms: Stat{N: n, Mean: beat, SD: 10}}
		bs[1].Timing["and"] = Timing{Ms: Stat{N: n, Mean: and, SD: 10}}
		return bs
	}
	p := &Profile{Name: "x", Roles: map[string]*Role{
		Kick:  {Bands: band(-12, -5, 100)},
		HiHat: {Bands: band(-18, 0, 300)},
	}}
	p.Centre(Kick, HiHat)
	kick, hat := p.Roles[Kick].Bands[1].Timing, p.Roles[HiHat].Bands[1].Timing
	// The kit's downbeats averaged -16.5 ms: now 0, the hi-hat still 6 ms
	// ahead of the kick, every slot moved alike.
	if m := (kick["beat"].Ms.Mean*100 + hat["beat"].Ms.Mean*300) / 400; math.Abs(m) > 1e-9 {
		t.Errorf("kit downbeats average %v, want 0", m)
	}
	if d := kick["beat"].Ms.Mean - hat["beat"].Ms.Mean; math.Abs(d-6) > 1e-9 {
		t.Errorf("hi-hat %v ms ahead of the kick, want 6", d)
	}
	if got := hat["and"].Ms.Mean; math.Abs(got-16.5) > 1e-9 {
		t.Errorf("hi-hat upbeat %v, want 16.5", got)
	}
}

// TestBuiltinNames: each built-in's file is its name with .feel, so
// Builtin decodes only the one asked for, and once: a second call returns
// the same profile.
func TestBuiltinNames(t *testing.T) {
	entries, err := builtinFS.ReadDir("builtin")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		p, err := decodeBuiltin(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		if p.Name+".feel" != e.Name() {
			t.Errorf("builtin/%s holds the feel %q", e.Name(), p.Name)
		}
		a, ok := Builtin(p.Name)
		b, _ := Builtin(p.Name)
		if !ok || a != b {
			t.Errorf("%s: decoded again on the second call (or not found)", p.Name)
		}
	}
	for _, bad := range []string{"", "none", "../builtin/ballad", "ballad.feel", "swing"} {
		if _, ok := Builtin(bad); ok {
			t.Errorf("Builtin(%q) found a feel", bad)
		}
	}
}
