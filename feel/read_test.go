package feel

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// The built-ins' reader gives what Decode gives, field for field, on
// every built-in feel; a field added to the format but not to the reader
// fails here.
func TestReadProfile(t *testing.T) {
	entries, err := builtinFS.ReadDir("builtin")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := builtinFS.ReadFile("builtin/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		want, err := Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		got, err := readProfile(data)
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: read differs from Decode", e.Name())
		}
	}
	// Every field of the format, escapes and all, as Encode writes it.
	full := &Profile{Name: "a \"quoted\" name", Description: "tab\there, é", Sources: []string{"x", "y\\z"}, Roles: map[string]*Role{
		Bass: {Bands: []TempoBand{{Lo: 0, Hi: 100, Timing: map[string]Timing{"beat": {Ms: Stat{N: 30, Mean: -1.5e-3, SD: 2, Q: []float64{1, 2, 3}}, Share: Stat{N: 1}}},
			Swing: Stat{N: 3, Mean: 2}, TripletSwing: Stat{N: 4, Mean: 1.5, SD: 0.25}}},
			Velocity: map[string]Stat{"0.beat": {N: 50, Mean: 80, SD: 10}}, VelocitySpread: Stat{N: 9, SD: 0.1},
			Articulation: Stat{N: 20, Mean: 0.9}, Hurst: 0.75, BeatShare: 0.5, Lead: Stat{N: 21, Mean: -20}, OffsetMs: 12, OffsetSource: "Friberg"},
		Soloist: {NoDynamics: true},
	}}
	var buf bytes.Buffer
	if err := full.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	if got, err := readProfile(buf.Bytes()); err != nil || !reflect.DeepEqual(got, full) {
		t.Errorf("every field: got %+v, %v", got, err)
	}
}

// What the reader refuses, it refuses with an error, never a panic.
func TestReadProfileErrors(t *testing.T) {
	data, _ := builtinFS.ReadFile("builtin/classical-piano.feel")
	for _, in := range []string{"", "{", `{"name": "x", "tempo": 3}`, `{"name": 3}`, `{"roles": {"bass": {"hurst": "high"}}}`,
		`{"roles": {"bass": {"hurst": 0x1}}}`, `{"roles": {"bass": {"hurst": 01}}}`, `{"roles": {"bass": {"no_dynamics": 1}}}`,
		`{"roles": {"bass": {"lead_ms": {"n": 2.5}}}}`, `{"name": "x"} {}`, `{"na\u006de": "x"}`, `{"name": "x",}`, `{"roles": nul}`,
		string(data[:len(data)/2])} {
		if p, err := readProfile([]byte(in)); err == nil {
			t.Errorf("%.40q: read %+v, want an error", in, p)
		}
	}
	if _, err := readProfile([]byte(`{"name": "x", "tempo": 3}`)); err == nil || !strings.Contains(err.Error(), `unknown field "tempo"`) {
		t.Errorf("unknown field: %v", err)
	}
}

// Whatever the reader reads and Check accepts, Decode reads the same.
func FuzzReadProfile(f *testing.F) {
	entries, _ := builtinFS.ReadDir("builtin")
	for _, e := range entries {
		if data, _ := builtinFS.ReadFile("builtin/" + e.Name()); len(data) < 40000 {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"name": "x\u00e9", "roles": {"bass": {"bands": null, "hurst": 0.5, "velocity": {"0.beat": {"n": 30, "mean": 80, "sd": 1}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := readProfile(data)
		if err != nil || got.Check() != nil {
			return
		}
		want, err := Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("read, yet Decode fails: %v", err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("read %+v, Decode %+v", got, want)
		}
	})
}
