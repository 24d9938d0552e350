package studio

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"

	"sideman/format/midi"
	"sideman/ledger"
	"sideman/music"
	"sideman/project"
)

// A machine note the page edited is M+h in the live session from then
// on, not only in the ledger: offered again among the alternatives to its
// bar, it comes back as M+h; exported, the MIDI file's provenance record
// claims M+h for it (and M for the band's other notes), and checked
// against the project's ledger (sideman authorship's check) it verifies
// as M+h.
func TestEditedNoteKeepsTheEdit(t *testing.T) {
	hs, s := newStudio(t, Options{})
	notes := bandNotes(t, hs.URL)
	// A bass note in bar 3 (2000 ms a bar at 120 bpm): a walking bar of
	// the machine's notes to vary.
	var n noteJSON
	for _, m := range notes {
		if m.Part == "Bass" && m.StartMS >= 4000 && m.StartMS < 6000 {
			n = m
			break
		}
	}
	if n.ID == "" || n.Class != "M" {
		t.Fatalf("no machine bass note in bar 3: %+v", n)
	}
	if code, body := post(t, hs.URL+"/api/edit", `{"id": "`+n.ID+`", "pitch": `+itoa(int(n.Pitch)-1)+`}`); code != 200 {
		t.Fatalf("edit: %d %s", code, body)
	}

	// The bar offered again: candidate 0 is the notes as they are, the
	// edited one among them as M+h, the others M.
	code, body := post(t, hs.URL+"/api/alternatives", `{"part": "Bass", "from_bar": 3, "to_bar": 3, "k": 2, "seed": 1}`)
	if code != 200 {
		t.Fatalf("alternatives: %d %s", code, body)
	}
	var alts struct {
		Candidates []alternativeJSON `json:"candidates"`
	}
	json.Unmarshal([]byte(body), &alts)
	if len(alts.Candidates) < 2 {
		t.Fatalf("alternatives: %s", body)
	}
	classes := map[string]int{}
	edited := ""
	for _, m := range alts.Candidates[0].Notes {
		classes[m.Class]++
		if m.ID == n.ID {
			edited = m.Class
			if m.Pitch != n.Pitch-1 {
				t.Errorf("the edited note is offered at pitch %d, want %d", m.Pitch, n.Pitch-1)
			}
		}
	}
	if edited != "M+h" || classes["M"] == 0 || classes["M+h"] != 1 {
		t.Errorf("bar 3 offered again: the edited note %q, classes %v; want it M+h, the bar's other notes M", edited, classes)
	}
	// Nothing chosen: the notes stay as they were.
	if code, body := post(t, hs.URL+"/api/alternatives/choose", `{"choice": 0}`); code != 200 {
		t.Fatalf("choose: %d %s", code, body)
	}

	res, err := http.Get(hs.URL + "/api/export?format=mid")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("export: %d %s", res.StatusCode, data)
	}
	// The file's own record, read without a ledger.
	f, err := midi.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	p := midi.PieceOptions{Provenance: true}.ToPiece(f, "studio.mid")
	id, _ := strconv.ParseUint(n.ID, 10, 64)
	recorded := map[ledger.Class]int{}
	var mine ledger.Class
	for _, part := range p.Parts {
		for _, m := range part.Notes {
			c := project.OriginClass(m.Origin)
			recorded[c]++
			if m.ID == music.NoteID(id) {
				mine = c
			}
		}
	}
	if mine != ledger.ClassMH || recorded[ledger.ClassMH] != 1 || recorded[ledger.ClassM] < 48 {
		t.Errorf("the MIDI's provenance record: the edited note %q, classes %v; want it M+h, the band's others M", mine, recorded)
	}
	// Checked against the ledger, as sideman authorship FILE.mid does.
	fp, err := project.CheckMIDI(context.Background(), s.proj.Ledger.Root(), s.opt.PublicKey, data)
	if err != nil {
		t.Fatal(err)
	}
	var got *project.NoteProvenance
	for i := range fp.Notes {
		if fp.Notes[i].ID == music.NoteID(id) {
			got = &fp.Notes[i]
		}
	}
	if got == nil || got.Status != project.StatusVerified || got.Class != ledger.ClassMH {
		t.Errorf("the edited note checked against the ledger: %+v, want verified M+h", got)
	}
	if v, all := fp.Count(project.StatusVerified, ""), len(fp.Notes); v != all {
		t.Errorf("%d of %d notes verified against the ledger", v, all)
	}
}

// An Origin edited twice keeps one edit step listing every field changed;
// the classes it tells follow the ledger's.
func TestEditedOrigin(t *testing.T) {
	band := &music.Origin{Kind: music.MachineGenerated, Generator: "band/walkingbass"}
	once := (&project.NoteEdit{Fields: []string{"pitch"}}).Origin(band)
	twice := (&project.NoteEdit{Fields: []string{"start", "pitch"}}).Origin(once)
	if twice.Base != band || twice.Params != "pitch,start" {
		t.Errorf("edited twice: base %v, params %q; want the band's origin, pitch,start", twice.Base, twice.Params)
	}
	played := &music.Origin{Kind: music.HumanPlayed, Who: "the player"}
	for _, c := range []struct {
		o    *music.Origin
		want ledger.Class
	}{
		{band, ledger.ClassM},
		{once, ledger.ClassMH},
		{twice.Processed("humanize", "feel", ""), ledger.ClassMH},
		{played, ledger.ClassH},
		{(&project.NoteEdit{Fields: []string{"pitch"}}).Origin(played), ledger.ClassH},
		{played.Processed("humanize", "feel", ""), ledger.ClassHAlg},
		{&music.Origin{Kind: music.Imported}, ledger.ClassUnknown},
		{nil, ledger.ClassUnknown},
	} {
		if got := project.OriginClass(c.o); got != c.want {
			t.Errorf("%v: %s, want %s", c.o, got, c.want)
		}
	}
}
