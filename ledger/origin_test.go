package ledger

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/gowebpki/jcs"

	"sideman/music"
)

// origins are one of each kind of history a note's origin tells.
func origins() map[string]*music.Origin {
	played := &music.Origin{Kind: music.HumanPlayed, Who: "Ann \"Bird\" Lee", Source: "take 3.mid"}
	band := &music.Origin{Kind: music.MachineGenerated, Generator: "band/walkingbass", Version: "2", Params: "style=bossa seed=7"}
	return map[string]*music.Origin{
		"none":       nil,
		"played":     played,
		"humanized":  played.Processed("humanize", "feel/humanize", "profile=jazz").Processed("transpose +2", "music/transpose", ""),
		"band":       band,
		"variation":  music.Derived("improv/motif", "seed=3", 5, 3, 9),
		"imported":   &music.Origin{Kind: music.Imported, Source: "日本\u2028<tune>.mid"},
		"entered":    &music.Origin{Kind: music.HumanEntered, Who: "tab\there"},
		"unknown":    &music.Origin{},
		"processed×": band.Processed("", "", ""),
	}
}

// An origin encodes to RFC 8785 canonical JSON and reads back the same.
func TestOriginRoundTrip(t *testing.T) {
	for name, o := range origins() {
		b, err := EncodeOrigin(o)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c, err := jcs.Transform(b); err != nil || !bytes.Equal(c, b) {
			t.Errorf("%s: %s is not canonical (%s)", name, b, c)
		}
		back, err := DecodeOrigin(b)
		if err != nil {
			t.Fatalf("%s: %s: %v", name, b, err)
		}
		if !reflect.DeepEqual(back, o) {
			t.Errorf("%s: %s reads back as %+v, want %+v", name, b, back, o)
		}
	}
}

// Origins that differ in anything hash differently; the same origin
// built twice hashes the same.
func TestOriginHash(t *testing.T) {
	seen := map[string]string{}
	for name, o := range origins() {
		h, err := OriginHash(o)
		if err != nil {
			t.Fatal(err)
		}
		if other, ok := seen[h]; ok {
			t.Errorf("%s and %s hash the same", name, other)
		}
		seen[h] = name
		again, _ := OriginHash(origins()[name])
		if again != h {
			t.Errorf("%s hashes differently when built again", name)
		}
	}
	// Each field of an origin is in its hash.
	base := music.Derived("improv/motif", "seed=3", 5, 3)
	h0, _ := OriginHash(base)
	for field, edit := range map[string]func(o *music.Origin){
		"kind":        func(o *music.Origin) { o.Kind = music.HumanEntered },
		"who":         func(o *music.Origin) { o.Who = "x" },
		"source":      func(o *music.Origin) { o.Source = "x" },
		"generator":   func(o *music.Origin) { o.Generator += "x" },
		"version":     func(o *music.Origin) { o.Version = "x" },
		"params":      func(o *music.Origin) { o.Params += "x" },
		"step":        func(o *music.Origin) { o.Step = "x" },
		"derivedFrom": func(o *music.Origin) { o.DerivedFrom = []music.NoteID{3, 5} },
		"base":        func(o *music.Origin) { o.Base = &music.Origin{} },
	} {
		o := *base
		edit(&o)
		if h, _ := OriginHash(&o); h == h0 {
			t.Errorf("changing %s leaves the hash", field)
		}
	}
}

// DecodeOrigin reads the canonical encoding only.
func TestDecodeOriginRejects(t *testing.T) {
	good, _ := EncodeOrigin(origins()["humanized"])
	s := string(good)
	if _, err := DecodeOrigin(good); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string]string{
		"white space":         strings.Replace(s, `"kind":`, `"kind": `, 1),
		"an empty member":     strings.Replace(s, `"kind":`, `"version":"","kind":`, 1),
		"an unknown kind":     strings.Replace(s, `"human-played"`, `"human-hummed"`, 1),
		"an unknown member":   strings.Replace(s, `"kind":`, `"mood":"blue","kind":`, 1),
		"a name in capitals":  strings.Replace(s, `"kind":`, `"Kind":`, 1),
		"members reordered":   `{"kind":"human-played","generator":"x"}`,
		"a needless escape":   strings.Replace(s, `humanize`, `hum\u0061nize`, 1),
		"an id as a string":   `{"derivedFrom":["5"],"kind":"machine-transformed"}`,
		"an id past 2^53":     `{"derivedFrom":[9007199254740993],"kind":"machine-transformed"}`,
		"not an object":       `"human-played"`,
		"no kind":             `{"who":"x"}`,
		"an empty derivation": `{"derivedFrom":[],"kind":"machine-transformed"}`,
	} {
		if o, err := DecodeOrigin([]byte(b)); err == nil {
			t.Errorf("%s: %s read as %+v", name, b, o)
		}
	}
}
