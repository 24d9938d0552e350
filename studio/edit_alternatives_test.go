package studio

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Asked for three alternatives to the bass in bars 3-4, the studio
// offers the bass as it is and three other lines in the same bars, made
// from it; choosing the second selects its notes ("alternative 2 among
// 4") and rejects the others': the piece, the export and the ledger
// have the chosen line, not the old one.
func TestAlternativesChooseOne(t *testing.T) {
	hs, s := newStudio(t, Options{})
	bandNotes(t, hs.URL)
	code, body := post(t, hs.URL+"/api/alternatives", `{"part": "Bass", "from_bar": 3, "to_bar": 4, "k": 3, "seed": 7}`)
	if code != 200 {
		t.Fatalf("alternatives: %d %s", code, body)
	}
	var got struct {
		Candidates []alternativeJSON
	}
	json.Unmarshal([]byte(body), &got)
	if len(got.Candidates) != 4 {
		t.Fatalf("%d candidates, want the bass as it is and 3 alternatives", len(got.Candidates))
	}
	// At 120 bpm a 4/4 bar is 2 s: every candidate sounds in bars 3-4
	// (the band's feel may move a note a few ms).
	lines := map[string]bool{}
	for _, c := range got.Candidates {
		if len(c.Notes) < 2 {
			t.Fatalf("candidate %d has %d notes", c.Index, len(c.Notes))
		}
		var pitches []string
		for _, n := range c.Notes {
			if n.StartMS < 3950 || n.StartMS >= 8000 || n.Class != "M" {
				t.Errorf("candidate %d: note %+v out of bars 3-4 or not the machine's", c.Index, n)
			}
			pitches = append(pitches, strconv.Itoa(int(n.Pitch))+"@"+strconv.Itoa(int(n.StartMS)))
		}
		lines[strings.Join(pitches, " ")] = true
		t.Logf("candidate %d: %s", c.Index, strings.Join(pitches, " "))
	}
	if len(lines) != 4 {
		t.Errorf("%d different lines among 4 candidates", len(lines))
	}
	code, body = post(t, hs.URL+"/api/alternatives/choose", `{"choice": 2}`)
	if code != 200 {
		t.Fatalf("choose: %d %s", code, body)
	}
	var ch struct {
		Chose    string
		Among    int
		Selected int
		Rejected int
	}
	json.Unmarshal([]byte(body), &ch)
	others := len(got.Candidates[0].Notes) + len(got.Candidates[1].Notes) + len(got.Candidates[3].Notes)
	if ch.Chose != "alternative 2" || ch.Among != 4 || ch.Selected != len(got.Candidates[2].Notes) || ch.Rejected != others {
		t.Errorf("chose %+v, want alternative 2 among 4, %d selected, %d rejected", ch, len(got.Candidates[2].Notes), others)
	}
	// The ledger's piece has the chosen notes, none of the others'.
	in, _, err := s.proj.AuthorshipInput(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	inPiece := map[string]bool{}
	for _, n := range in.Notes {
		inPiece[strconv.FormatUint(uint64(n.ID), 10)] = true
	}
	for _, c := range got.Candidates {
		for _, n := range c.Notes {
			if inPiece[n.ID] != (c.Index == 2) {
				t.Errorf("candidate %d's note %s in the piece: %v", c.Index, n.ID, inPiece[n.ID])
			}
		}
	}
	if len(in.Acts) == 0 {
		t.Errorf("the report input has no act of selection")
	}
	// The studio's piece (what exports write) has the chosen line.
	res, err := http.Get(hs.URL + "/api/export?format=mid")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("export after the choice: %d", res.StatusCode)
	}
	s.mu.Lock()
	var ids []string
	for _, part := range s.last.Parts {
		if part.Name != "Bass" {
			continue
		}
		for _, n := range part.Notes {
			ids = append(ids, strconv.FormatUint(uint64(n.ID), 10))
		}
	}
	s.mu.Unlock()
	for _, n := range got.Candidates[2].Notes {
		if !slices.Contains(ids, n.ID) {
			t.Errorf("the studio's piece lacks the chosen note %s", n.ID)
		}
	}
	for _, n := range got.Candidates[0].Notes {
		if slices.Contains(ids, n.ID) {
			t.Errorf("the studio's piece keeps the replaced note %s", n.ID)
		}
	}
	if _, body := get(t, hs.URL+"/api/ledger/verify", nil); !strings.Contains(body, `"ok":true`) {
		t.Errorf("verify: %s", body)
	}
	// Chosen once: nothing left to choose; bad asks are one line.
	if code, _ := post(t, hs.URL+"/api/alternatives/choose", `{"choice": 1}`); code != http.StatusNotFound {
		t.Errorf("choosing twice: %d, want 404", code)
	}
	for _, bad := range []string{`{"part": "Bass", "from_bar": 3, "to_bar": 2}`, `{"part": "Bass", "from_bar": 1, "to_bar": 1, "k": 99}`} {
		if code, body := post(t, hs.URL+"/api/alternatives", bad); code != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", bad, code, body)
		}
	}
}
