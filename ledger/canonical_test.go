package ledger

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/gowebpki/jcs"

	"sideman/music"
)

// randomRecord makes a valid record of any operation, with strings that
// need every escape and members that sort differently in UTF-8 and
// UTF-16.
func randomRecord(rng *rand.Rand) Record {
	words := []string{"swing", "bossa", `a "quoted" word`, "back\\slash", "tab\there", "line\nbreak", "\x01\x1f\x7f",
		"<html>&amp;", "\u2028\u2029", "é", "日本", "\U0001F3B7", "\ufb01", "/slash"}
	word := func() string { return words[rng.IntN(len(words))] }
	ids := func(n int) []music.NoteID {
		var s []music.NoteID
		for i := range n {
			s = append(s, music.NoteID(1+i+rng.IntN(3)*n+i*1_000_000_000*rng.IntN(2)))
		}
		return s
	}
	states := func(n int) []NoteState {
		var s []NoteState
		for range n {
			s = append(s, NoteState{Part: int16(rng.IntN(5)), Tick: music.Ticks(rng.Int64N(1<<40) - 1<<20), Dur: music.Ticks(rng.Int64N(4000)),
				Pitch: uint8(rng.IntN(128)), Vel: uint8(rng.IntN(128))})
		}
		return s
	}
	n := 1 + rng.IntN(5)
	r := Record{Seq: 1 + rng.Uint64N(maxNumber-1), Time: time.UnixMilli(rng.Int64N(4e12)).UTC(), Notes: ids(n)}
	if r.Seq > 1 {
		r.Prev = HashBody([]byte(word()))
	}
	sources := []SourceType{"", DigitalCapture, DigitalCreation, HumanEdits, AlgorithmicallyEnhanced, AlgorithmicMedia, TrainedAlgorithmicMedia, CompositeWithTrainedAlgorithmicMedia}
	r.Source = sources[rng.IntN(len(sources))]
	switch rng.IntN(7) {
	case 0:
		r.Actor, r.Op, r.After = Human, Capture, states(n)
	case 1:
		r.Actor, r.Op, r.After = Machine, Generate, states(n)
		r.Gen = &Generation{Generator: word(), Version: word(), Model: HashBody(nil), Seed: "18446744073709551615", From: ids(2),
			Params: map[string]string{word(): word(), word(): word(), "\ufb01": "x", "\U0001F3B7": "y"}}
	case 2:
		r.Actor, r.Op, r.Before, r.After = Human, Modify, states(n), states(n)
	case 3:
		r.Actor, r.Op = Human, Select
	case 4:
		r.Actor, r.Op, r.Notes = System, Export, nil
		r.Files = []File{{Name: word() + ".mid", SHA256: HashBody([]byte("x"))}}
	case 5:
		r.Actor, r.Op, r.Notes, r.Source = System, Checkpoint, nil, ""
		r.Seq, r.Prev = max(r.Seq, 2), HashBody(nil)
		r.Sig = &Signature{Key: HashBody(nil), Value: strings.Repeat("0f", 64)}
	case 6:
		r.Actor, r.Op, r.Before = Human, Delete, states(n)
	}
	return r
}

// The body appendBody writes is what RFC 8785 makes of the JSON that
// encoding/json writes for the record, as github.com/gowebpki/jcs
// canonicalizes it; and it decodes to the same record.
func TestBodyIsJCS(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		r := randomRecord(rng)
		body, err := Body(&r)
		if err != nil {
			t.Fatalf("record %d: %v\n%+v", i, err, r)
		}
		want, err := Canonical(&r)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(body, want) {
			t.Fatalf("record %d:\n got %s\nwant %s", i, body, want)
		}
		back, err := Decode(body)
		if err != nil {
			t.Fatalf("record %d: %v\n%s", i, err, body)
		}
		again, _ := Body(&back)
		if !bytes.Equal(again, body) || back.Hash != HashBody(body) {
			t.Fatalf("record %d reads back as %s", i, again)
		}
		// encoding/json reads it too, as the same record.
		var std Record
		if err := json.Unmarshal(body, &std); err != nil {
			t.Fatal(err)
		}
		if b, _ := Body(&std); !bytes.Equal(b, body) {
			t.Fatalf("record %d: encoding/json reads %s", i, b)
		}
	}
}

// A body has one reading: any other JSON of the same record, or of no
// valid record, is refused.
func TestDecodeRejectsNonCanonical(t *testing.T) {
	r := Record{Seq: 2, Time: time.Date(2026, 12, 6, 23, 0, 0, 120e6, time.UTC), Actor: Machine, Op: Generate,
		Notes: []music.NoteID{5, 6}, After: []NoteState{{1, 0, 960, 36, 90}, {1, 960, 960, 38, 90}},
		Source: AlgorithmicMedia, Gen: &Generation{Generator: "band/walkingbass", Seed: "7", Params: map[string]string{"style": "swing"}},
		Prev: HashBody([]byte("record 1"))}
	body, err := Body(&r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(body); err != nil {
		t.Fatalf("canonical body refused: %v\n%s", err, body)
	}
	// The same record's JSON put otherwise, and JSON of no valid record.
	same, _ := jcs.Transform(body)
	if !bytes.Equal(same, body) {
		t.Fatalf("jcs changes the body:\n%s\n%s", body, same)
	}
	s := string(body)
	for _, tc := range []struct{ name, body string }{
		{"white space", strings.Replace(s, `"op":`, `"op": `, 1)},
		{"a newline after", s + "\n"},
		{"members out of order", strings.Replace(s, `{"actor":"machine",`, `{`, 1)[:len(s)-len(`"machine",`)-len(`"actor":`)-1] + `,"actor":"machine"}`},
		{"a member twice", strings.Replace(s, `"op":"generate"`, `"op":"generate","op":"generate"`, 1)},
		{"an unknown member", strings.Replace(s, `"op":"generate"`, `"op":"generate","opinion":"x"`, 1)},
		{"a member's name in capitals", strings.Replace(s, `"op":`, `"Op":`, 1)},
		{"a needless escape", strings.Replace(s, `"swing"`, `"sw\u0069ng"`, 1)},
		{"an escaped slash", strings.Replace(s, `"band/walkingbass"`, `"band\/walkingbass"`, 1)},
		{"a number as a float", strings.Replace(s, `"seq":2`, `"seq":2.0`, 1)},
		{"a number with an exponent", strings.Replace(s, `960,36`, `9.6e2,36`, 1)},
		{"a number with a leading zero", strings.Replace(s, `960,36`, `0960,36`, 1)},
		{"a time with its zeros written", strings.Replace(s, `00.12Z`, `00.120Z`, 1)},
		{"a time in another zone", strings.Replace(s, `23:00:00.12Z`, `23:00:00.12+00:00`, 1)},
		{"an empty list written", strings.Replace(s, `"notes":`, `"files":[],"notes":`, 1)},
		{"a source type in short", strings.Replace(s, string(AlgorithmicMedia), "algorithmicMedia", 1)},
		{"an unknown operation", strings.Replace(s, `"generate"`, `"dream"`, 1)},
		{"fewer fields than notes", strings.Replace(s, `,[1,960,960,38,90]`, ``, 1)},
		{"a note with four fields", strings.Replace(s, `[1,960,960,38,90]`, `[1,960,960,38]`, 1)},
		{"a pitch past 127", strings.Replace(s, `38,90]`, `138,90]`, 1)},
		{"a previous hash in capitals", strings.Replace(s, r.Prev, strings.ToUpper(r.Prev), 1)},
		{"invalid UTF-8", strings.Replace(s, `"swing"`, "\"sw\xffng\"", 1)},
		{"not JSON", s[:len(s)-1]},
	} {
		if tc.body == s {
			t.Errorf("%s: the test changed nothing", tc.name)
			continue
		}
		_, err := Decode([]byte(tc.body))
		if err == nil {
			t.Errorf("%s: accepted %s", tc.name, tc.body)
		}
		if tc.name == "white space" && !errors.Is(err, ErrNotCanonical) {
			t.Errorf("%s: error %v does not wrap ErrNotCanonical", tc.name, err)
		}
	}
}

// Body refuses records it could not read back: each field out of range,
// each operation with the wrong parts.
func TestBodyRefusesInvalidRecords(t *testing.T) {
	ok := played(1, 2)
	ok.Seq, ok.Time = 1, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := Body(&ok); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(r *Record)
	}{
		{"no sequence number", func(r *Record) { r.Seq = 0 }},
		{"a previous hash on the first record", func(r *Record) { r.Prev = HashBody(nil) }},
		{"no previous hash on the second", func(r *Record) { r.Seq = 2 }},
		{"no time", func(r *Record) { r.Time = time.Time{} }},
		{"a time finer than milliseconds", func(r *Record) { r.Time = r.Time.Add(time.Microsecond) }},
		{"a time not in UTC", func(r *Record) { r.Time = r.Time.In(time.FixedZone("CET", 3600)) }},
		{"a machine capturing", func(r *Record) { r.Actor = Machine }},
		{"an unknown actor", func(r *Record) { r.Actor = "cat" }},
		{"a note listed twice", func(r *Record) { r.Notes[1] = r.Notes[0] }},
		{"note id 0", func(r *Record) { r.Notes[0] = 0 }},
		{"a note id past 2^53", func(r *Record) { r.Notes[0] = music.MaxID }},
		{"fields missing", func(r *Record) { r.After = r.After[:1] }},
		{"fields before a capture", func(r *Record) { r.Before = r.After }},
		{"a negative duration", func(r *Record) { r.After[0].Dur = -1 }},
		{"a signature on a capture", func(r *Record) { r.Sig = &Signature{Key: HashBody(nil), Value: strings.Repeat("00", 64)} }},
		{"files on a capture", func(r *Record) { r.Files = []File{{Name: "x.mid", SHA256: HashBody(nil)}} }},
		{"a generate without details", func(r *Record) { r.Actor, r.Op = Machine, Generate }},
	} {
		r := ok
		r.Notes, r.After = append([]music.NoteID(nil), ok.Notes...), append([]NoteState(nil), ok.After...)
		tc.edit(&r)
		if b, err := Body(&r); err == nil {
			t.Errorf("%s: wrote %s", tc.name, b)
		}
	}
}

// FuzzDecode: whatever decodes is canonical: it encodes to itself.
func FuzzDecode(f *testing.F) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		r := randomRecord(rng)
		b, err := Body(&r)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := Decode(body)
		if err != nil {
			return
		}
		again, err := Body(&r)
		if err != nil || !bytes.Equal(again, body) {
			t.Fatalf("%s decodes, encodes as %s (%v)", body, again, err)
		}
		if c, err := jcs.Transform(body); err != nil || !bytes.Equal(c, body) {
			t.Fatalf("%s decodes, is not RFC 8785 canonical: %s (%v)", body, c, err)
		}
	})
}
