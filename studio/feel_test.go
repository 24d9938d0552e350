package studio

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The page's Feel choice: the built-in feels are listed with what they
// are; the style's own feel and a chosen one move the band's notes off
// the grid ("none"), each its own way; an unknown feel is one line
// naming it (404: no such feel).
func TestBandFeel(t *testing.T) {
	hs, _ := newStudio(t, Options{})
	_, body := get(t, hs.URL+"/api/feels", nil)
	var feels []struct{ Name, Description string }
	if err := json.Unmarshal([]byte(body), &feels); err != nil {
		t.Fatalf("/api/feels: %v: %s", err, body)
	}
	var names []string
	for _, f := range feels {
		names = append(names, f.Name)
		if f.Description == "" {
			t.Errorf("feel %s has no description", f.Name)
		}
	}
	if !strings.Contains(strings.Join(names, " "), "swing-rhythm") {
		t.Fatalf("feels %v: want the built-in swing-rhythm among them", names)
	}
	c := openExample(t, hs.URL, "blues-f")
	// The band's notes by the order of their ids (each call numbers its
	// own, in the order the band made them).
	band := func(feel string) []float64 {
		t.Helper()
		code, body := post(t, hs.URL+"/api/band", `{"chart": "`+c.ID+`", "tempo": 120, "choruses": 1, "feel": "`+feel+`"}`)
		if code != 200 {
			t.Fatalf("feel %q: %d %s", feel, code, body)
		}
		var b struct {
			Notes []struct {
				ID    string  `json:"id"`
				Start float64 `json:"start_ms"`
			} `json:"notes"`
		}
		json.Unmarshal([]byte(body), &b)
		slices.SortFunc(b.Notes, func(x, y struct {
			ID    string  `json:"id"`
			Start float64 `json:"start_ms"`
		}) int {
			a, _ := strconv.ParseUint(x.ID, 10, 64)
			c, _ := strconv.ParseUint(y.ID, 10, 64)
			return cmp.Compare(a, c)
		})
		var starts []float64
		for _, n := range b.Notes {
			starts = append(starts, n.Start)
		}
		return starts
	}
	grid := band("none")
	// How far a feel moves the band's notes from the grid, note by note
	// (a feel moves notes, it neither adds nor drops them).
	moved := func(feel string) float64 {
		t.Helper()
		got := band(feel)
		if len(got) != len(grid) {
			t.Fatalf("feel %q: %d notes, %d on the grid", feel, len(got), len(grid))
		}
		sum := 0.0
		for i, at := range got {
			sum += math.Abs(at - grid[i])
		}
		return sum / float64(len(got))
	}
	own, swing, ballad := moved(""), moved("swing-rhythm"), moved("ballad")
	t.Logf("mean move from the grid: the style's feel %.2f ms, swing-rhythm %.2f, ballad %.2f", own, swing, ballad)
	if own < 3 || swing < 3 || ballad < 3 {
		t.Errorf("the feels leave the notes near the grid: the style's %.2f ms, swing-rhythm %.2f, ballad %.2f", own, swing, ballad)
	}
	if math.Abs(swing-ballad) < 0.01 {
		t.Error("two feels played the band alike")
	}
	code, body := post(t, hs.URL+"/api/band", `{"chart": "`+c.ID+`", "feel": "polka-stomp"}`)
	if (code != 400 && code != 404) || strings.Count(body, "\n") > 1 || !strings.Contains(body, "polka-stomp") {
		t.Errorf("an unknown feel: %d %q, want 400 or 404 and one line naming it", code, body)
	}
}
