package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format/midi"
	"sideman/load"
	"sideman/music"
	"sideman/project"
)

// report is what the tests read of `sideman authorship report --format
// json`.
type report struct {
	Total struct {
		Notes  int            `json:"notes"`
		Counts map[string]int `json:"counts"`
	} `json:"total"`
	Parts []struct {
		Part   string         `json:"part"`
		Counts map[string]int `json:"counts"`
	} `json:"parts"`
	ActCounts struct {
		Selections, Arrangements int
	} `json:"act_counts"`
	Acts []struct {
		Kind  string `json:"kind"`
		Part  string `json:"part"`
		Chose string `json:"chose"`
		Among int    `json:"among"`
	} `json:"acts"`
	Prompts []struct {
		Generator string `json:"generator"`
	} `json:"prompts"`
	Raw []struct {
		Work             string `json:"work"`
		AuthorCreated    string `json:"author_created"`
		MaterialExcluded string `json:"material_excluded"`
	} `json:"copyright_application"`
}

func (r *report) part(name string) map[string]int {
	for _, p := range r.Parts {
		if p.Part == name {
			return p.Counts
		}
	}
	return nil
}

func authorshipJSON(t *testing.T, root string) *report {
	t.Helper()
	st, out, errs := runSideman(t, "authorship", "report", "--project", root, "--format", "json")
	if st != 0 || errs != "" {
		// Every note in these tests is the person's or the machine's: a
		// note imported again, not found as the one recorded, would be
		// left out as unknown and said so.
		t.Fatalf("authorship report: %d %s", st, errs)
	}
	var r report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("report JSON: %v", err)
	}
	return &r
}

func notesOf(t *testing.T, path string) []music.Note {
	t.Helper()
	d, err := load.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var ns []music.Note
	for _, p := range d.Piece.Parts {
		ns = append(ns, p.Notes...)
	}
	return ns
}

// The per-note classes end to end (issue 16 item 5): a person's played
// phrase, a trade with it, a variation of it chosen among vary's, the
// phrase humanized and one of the machine's notes changed by hand, each
// by a command in a project, and the authorship report's counts after.
func TestHumanActsClassesEndToEnd(t *testing.T) {
	userHome(t)
	dir := t.TempDir()
	root := filepath.Join(dir, "song")
	if st, _, errs := runSideman(t, "init", root); st != 0 {
		t.Fatal(errs)
	}
	phrase := filepath.Join(root, "phrase.mid")
	b, err := project.DemoPhrase()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(phrase, b, 0o644); err != nil {
		t.Fatal(err)
	}
	played := len(notesOf(t, phrase))
	do := func(args ...string) string {
		t.Helper()
		st, out, errs := runSideman(t, append(args, "--project", root)...)
		if st != 0 {
			t.Fatalf("%s: %d %s", strings.Join(args, " "), st, errs)
		}
		return out
	}

	do("record", phrase, "--as", "played")
	r := authorshipJSON(t, root)
	if got := r.part("author's part"); got["H"] != played || r.Total.Notes != played {
		t.Fatalf("after record: played %v of %d notes in all; want H %d", got, r.Total.Notes, played)
	}

	tradeFile := filepath.Join(root, "trade.mid")
	do("trade", "../../examples/blues-f.chart", "--human", phrase, "--model", "jazz", "--with-band", "-o", tradeFile)
	vars := filepath.Join(root, "vars")
	do("vary", phrase, "-n", "40", "--top", "4", "-o", vars)
	do("select", filepath.Join(vars, "02.mid"))
	chosen := len(notesOf(t, filepath.Join(vars, "02.mid")))

	r = authorshipJSON(t, root)
	if got := r.part("author's part"); got["H"] != played {
		t.Fatalf("the player's notes after the trade: %v, want H %d (the trade read the recorded phrase again: the same notes)", got, played)
	}
	answers := r.part("trade answers")
	if answers["M"] == 0 || answers["H"]+answers["H+alg"]+answers["M+h"] != 0 {
		t.Fatalf("the trade's answers: %v, want M only", answers)
	}
	for _, band := range []string{"bass", "piano", "drums"} {
		if c := r.part(band); c["M"] == 0 || c["H"]+c["H+alg"]+c["M+h"] != 0 {
			t.Fatalf("the band's %s: %v, want M only", band, c)
		}
	}
	if c := r.part("variation"); c["M"] != chosen {
		t.Fatalf("vary's notes in the piece: %v, want the %d of the chosen variation (the others rejected)", c, chosen)
	}
	if r.ActCounts.Selections != 1 || len(r.Acts) != 1 || r.Acts[0].Chose != "variation 2" || r.Acts[0].Among != 4 {
		t.Fatalf("acts: %+v %+v, want one selection of variation 2 among 4", r.ActCounts, r.Acts)
	}

	// Humanize the phrase: the notes the feel moved are H+alg.
	humanized := filepath.Join(root, "phrase-h.mid")
	do("humanize", phrase, "--feel", "swing-soloist", "-o", humanized)
	before, after := notesOf(t, phrase), notesOf(t, humanized)
	moved := 0
	for i := range after {
		if i < len(before) && (after[i].Start != before[i].Start || after[i].Duration != before[i].Duration || after[i].Velocity != before[i].Velocity) {
			moved++
		}
	}
	if moved == 0 {
		t.Fatal("the humanized phrase is the phrase")
	}

	// Change one answer's pitch by hand, in the exported trade file.
	f, err := os.ReadFile(tradeFile)
	if err != nil {
		t.Fatal(err)
	}
	mf, err := midi.Decode(bytes.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	tr := &mf.Tracks[2]                                             // the sideman's answers (conductor, player, sideman, band)
	if name := trackName(tr); !strings.HasPrefix(name, "Sideman") { // "Sideman (sideman model)": who made it
		t.Fatalf("track 2 is %q, want the sideman's", name)
	}
	key := -1
	for i := range tr.Events {
		e := &tr.Events[i]
		st := e.Status & 0xF0
		switch {
		case key < 0 && st == midi.NoteOn && e.Data2 > 0:
			key, e.Data1 = int(e.Data1), e.Data1+2
		case key >= 0 && int(e.Data1) == key && (st == midi.NoteOff || (st == midi.NoteOn && e.Data2 == 0)):
			e.Data1 += 2
			key = 1000
		}
	}
	var edited bytes.Buffer
	if err := midi.Encode(&edited, mf); err != nil {
		t.Fatal(err)
	}
	editedFile := filepath.Join(root, "trade-edited.mid")
	if err := os.WriteFile(editedFile, edited.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := do("edit", editedFile)
	if !strings.Contains(out, "1 note changed by you (pitch 1)") {
		t.Fatalf("edit said %q; want one note changed, its pitch", out)
	}

	r = authorshipJSON(t, root)
	t.Logf("played %d notes, the feel moved %d; report: %+v; acts %+v", played, moved, r.Parts, r.Acts)
	if got := r.part("author's part"); got["H+alg"] != moved || got["H"] != played-moved {
		t.Fatalf("the player's notes after humanize: %v; want H+alg %d (the notes the feel moved), H %d", got, moved, played-moved)
	}
	answers2 := r.part("trade answers")
	if answers2["M+h"] != 1 || answers2["M"] != answers["M"]-1 {
		t.Fatalf("the answers after the edit: %v, before %v; want one M+h", answers2, answers)
	}
	var composition string
	for _, a := range r.Raw {
		if a.Work == "composition" {
			composition = a.AuthorCreated
		}
	}
	if !strings.Contains(composition, "(pitch)") || !strings.Contains(composition, "variation 2 among 4") {
		t.Errorf("the composition's Author Created text names no pitch change or no choice: %q", composition)
	}
	if r.ActCounts.Selections != 1 {
		t.Errorf("%d selections, want 1", r.ActCounts.Selections)
	}
	if st, _, errs := runSideman(t, "ledger", "verify", "--project", root); st != 0 {
		t.Fatalf("ledger verify: %s", errs)
	}

	// The same file edited again records nothing new.
	if out := do("edit", editedFile); !strings.Contains(out, "nothing new") {
		t.Errorf("editing the same file again said %q", out)
	}
	// A Markdown report with -o gets its piano roll beside it.
	md := filepath.Join(dir, "authorship.md")
	do("authorship", "report", "-o", md)
	roll, err := os.ReadFile(filepath.Join(dir, "authorship.svg"))
	if err != nil || !bytes.Contains(roll, []byte("<svg")) {
		t.Fatalf("no piano roll beside the report: %v", err)
	}
	text, _ := os.ReadFile(md)
	if !bytes.Contains(text, []byte("authorship.svg")) {
		t.Errorf("the Markdown report does not link its piano roll")
	}
	// The report goes through the one writer: through a link the file it
	// names is written and the link kept; a folder or an extension it does
	// not write is refused before any work, in one line, exit 2.
	real := filepath.Join(dir, "real.html")
	link := filepath.Join(dir, "link.html")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	do("authorship", "report", "-o", link)
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	if b, err := os.ReadFile(real); err != nil || !bytes.Contains(b, []byte("<html")) {
		t.Errorf("the report was not written through the link (HTML by its extension): %v", err)
	}
	for _, bad := range []string{dir, filepath.Join(dir, "report.mid")} {
		st, _, errs := runSideman(t, "authorship", "report", "--project", root, "-o", bad)
		if st != 2 || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("-o %s: status %d, %q; want 2 and one line", bad, st, errs)
		}
	}
}

func trackName(t *midi.Track) string {
	for _, e := range t.Events {
		if e.IsMeta() && e.MetaType() == midi.MetaTrackName {
			return t.Text(e)
		}
	}
	return ""
}

// The acts refuse what they cannot record: outside a project, a file
// of none of the project's notes to edit, a file of no machine notes to
// select, a missing --as: one line, exit 2, nothing recorded.
func TestHumanActsBadInput(t *testing.T) {
	userHome(t)
	dir := t.TempDir()
	phrase := filepath.Join(dir, "phrase.mid")
	b, err := project.DemoPhrase()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(phrase, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	if st, _, errs := runSideman(t, "record", phrase, "--as", "played"); st != 2 || !strings.Contains(errs, "project") || strings.Count(errs, "\n") != 1 {
		t.Errorf("record outside a project: %d %q", st, errs)
	}
	root := filepath.Join(dir, "song")
	if st, _, errs := runSideman(t, "init", root); st != 0 {
		t.Fatal(errs)
	}
	cases := [][]string{
		{"record", phrase},
		{"record", phrase, "--as", "hummed"},
		{"edit", phrase},
		{"select", phrase},
		{"record", filepath.Join(dir, "missing.mid"), "--as", "played"},
	}
	for _, c := range cases {
		st, _, errs := runSideman(t, append(c, "--project", root)...)
		if st != 2 || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: status %d, %q; want one line, exit 2", c, st, errs)
		}
	}
	r := authorshipJSON(t, root)
	if r.Total.Notes != 0 {
		t.Errorf("refused acts recorded %d notes", r.Total.Notes)
	}
}

// Re-recording a changed file of a person's notes (no ids in it, as a
// sequencer writes it): the notes found by their fields are the same
// notes, one whose pitch changed is modified (pitch), one removed is
// deleted, none is new.
func TestRecordChangedFile(t *testing.T) {
	userHome(t)
	dir := t.TempDir()
	root := filepath.Join(dir, "song")
	if st, _, errs := runSideman(t, "init", root); st != 0 {
		t.Fatal(errs)
	}
	b, err := project.DemoPhrase()
	if err != nil {
		t.Fatal(err)
	}
	phrase := filepath.Join(dir, "phrase.mid")
	if err := os.WriteFile(phrase, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if st, _, errs := runSideman(t, "record", phrase, "--as", "written", "--project", root); st != 0 {
		t.Fatal(errs)
	}
	mf, err := midi.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	// The fifth note an octave up, the tenth note gone.
	var tr *midi.Track
	for i := range mf.Tracks {
		for _, e := range mf.Tracks[i].Events {
			if e.Status&0xF0 == midi.NoteOn {
				tr = &mf.Tracks[i]
			}
		}
	}
	var kept midi.Track
	ons := 0
	open := map[byte]int{} // key -> the note-on's number
	for _, e := range tr.Events {
		st := e.Status & 0xF0
		on := st == midi.NoteOn && e.Data2 > 0
		off := st == midi.NoteOff || (st == midi.NoteOn && e.Data2 == 0)
		k := -1
		switch {
		case on:
			ons++
			k = ons
			open[e.Data1] = ons
		case off:
			k = open[e.Data1]
		}
		if k == 10 {
			continue
		}
		if k == 5 {
			e.Data1 += 12
		}
		kept.AddEvent(e, tr)
	}
	*tr = kept
	var changed bytes.Buffer
	if err := midi.Encode(&changed, mf); err != nil {
		t.Fatal(err)
	}
	again := filepath.Join(dir, "phrase-changed.mid")
	if err := os.WriteFile(again, changed.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	st, out, errs := runSideman(t, "record", again, "--as", "written", "--project", root)
	if st != 0 {
		t.Fatal(errs)
	}
	n := len(notesOf(t, phrase))
	want := "recorded 1 note changed by you (pitch 1); 1 note deleted; " + countNotes(n-2) + " unchanged"
	if !strings.Contains(out, want) {
		t.Fatalf("record of the changed file said %q; want %q", out, want)
	}
	r := authorshipJSON(t, root)
	if got := r.part("author's part"); got["H"] != n-1 || r.Total.Notes != n-1 {
		t.Errorf("after the change: %v, %d notes in all; want H %d (a person's own edit leaves a note H)", got, r.Total.Notes, n-1)
	}
}
