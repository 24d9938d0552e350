package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"sideman/format/midi"
	"sideman/identity"
	"sideman/internal/shareddata"
	"sideman/ledger"
	"sideman/music"
	"sideman/project"
	"sideman/provenance/c2pa"
	"sideman/store/sqlite"
)

// provProject makes a project in a temporary folder with a temporary
// identity and returns its root and the user's public key.
func provProject(t *testing.T) (string, *identity.Identity) {
	t.Helper()
	cfg := userHome(t)
	root := filepath.Join(t.TempDir(), "song")
	if st, _, errs := runSideman(t, "init", root); st != 0 {
		t.Fatalf("init: %d %s", st, errs)
	}
	id, err := identity.Load(filepath.Join(cfg, "sideman"))
	if err != nil {
		t.Fatal(err)
	}
	return root, id
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	st, out, errs := runSideman(t, args...)
	if st != 0 {
		t.Fatalf("sideman %s: exit %d: %s", strings.Join(args, " "), st, errs)
	}
	return out
}

func checkFile(t *testing.T, root string, pub ed25519.PublicKey, path string) *project.Provenance {
	t.Helper()
	p, err := project.CheckProvenance(context.Background(), path, root, pub)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func readMIDI(t *testing.T, path string) *midi.File {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := midi.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestProvenanceMIDIRoundTrip: a band exported from a project carries a
// copyright notice, track names by origin and a record for every note
// that verifies against the ledger as the machine's (M); humanized in the
// project, its notes are still M and verify with the new records; no
// folder or user name goes into the file.
func TestProvenanceMIDIRoundTrip(t *testing.T) {
	root, id := provProject(t)
	band := filepath.Join(root, "band.mid")
	mustRun(t, "band", "../../examples/blues-f.chart", "--project", root, "--seed", "3", "-o", band)
	p := checkFile(t, root, id.Public(), band).MIDI
	n := len(p.Notes)
	if n < 100 || p.Count(project.StatusVerified, ledger.ClassM) != n {
		t.Fatalf("band: %d notes, %d verified M; want all (statuses %v)", n, p.Count(project.StatusVerified, ledger.ClassM), statuses(p))
	}
	f := readMIDI(t, band)
	var copyright string
	var names []string
	for ti := range f.Tracks {
		tr := &f.Tracks[ti]
		for _, e := range tr.Events {
			if e.IsMeta() && e.MetaType() == midi.MetaCopyright && ti == 0 && e.Tick == 0 {
				copyright = tr.Text(e)
			}
			if e.IsMeta() && e.MetaType() == midi.MetaTrackName && ti > 0 {
				names = append(names, tr.Text(e))
			}
		}
	}
	if !strings.Contains(copyright, "M "+strconv.Itoa(n)) || !strings.Contains(copyright, p.Head) {
		t.Errorf("copyright notice %q: want M %d and the head %s", copyright, n, p.Head)
	}
	for _, name := range names {
		if !strings.HasSuffix(name, "(sideman band)") {
			t.Errorf("track %q does not say the band made it", name)
		}
	}
	// No folder or person in the export.
	raw, _ := os.ReadFile(band)
	private := []string{root, filepath.Dir(root), os.Getenv("HOME")}
	if u, err := user.Current(); err == nil && len(u.Username) > 3 {
		private = append(private, u.Username)
	}
	for _, s := range private {
		if s != "" && bytes.Contains(raw, []byte(s)) {
			t.Errorf("the export holds %q", s)
		}
	}

	// Humanized in the project: new records, still the machine's.
	hum := filepath.Join(root, "hum.mid")
	mustRun(t, "humanize", band, "--project", root, "--feel", "swing-rhythm", "-o", hum)
	h := checkFile(t, root, id.Public(), hum).MIDI
	if len(h.Notes) != n || h.Count(project.StatusVerified, "") != n {
		t.Fatalf("humanized: %d notes, statuses %v; want %d verified", len(h.Notes), statuses(h), n)
	}
	for _, part := range (midi.PieceOptions{}).ToPiece(readMIDI(t, hum), "midi").Parts {
		if strings.Count(part.Name, "(") != 1 || !strings.HasSuffix(part.Name, " (sideman band)") {
			t.Errorf("humanized track name %q: want one \"(sideman band)\"", part.Name)
		}
	}
	if h.Head == p.Head {
		t.Errorf("humanized file carries the band's head")
	}
	// Re-imported, every note keeps its class: the ledger's classes of the
	// ids the file carries.
	for _, np := range h.Notes {
		if np.Class != ledger.ClassM {
			t.Fatalf("note %d re-imported as %s, made by the band", np.ID, np.Class)
		}
	}

	// The export records hold the files' final bytes' SHA-256.
	sums := exportedSums(t, root)
	for _, path := range []string{band, hum} {
		b, _ := os.ReadFile(path)
		s := sha256.Sum256(b)
		if got := sums[filepath.Base(path)]; got != hex.EncodeToString(s[:]) {
			t.Errorf("%s: the ledger records SHA-256 %s, the file has %x", filepath.Base(path), got, s)
		}
	}
}

func statuses(p *project.FileProvenance) map[string]int {
	m := map[string]int{}
	for _, n := range p.Notes {
		m[n.Status+" "+string(n.Class)]++
	}
	return m
}

// exportedSums is the last SHA-256 the project's export records hold for
// each file name.
func exportedSums(t *testing.T, root string) map[string]string {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(root, ".sideman", "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := map[string]string{}
	for rec, err := range ledger.New(s).Records(ctx, 0) {
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range rec.Files {
			out[f.Name] = f.SHA256
		}
	}
	return out
}

// TestProvenanceTampering: each change to an export after the fact is
// detected (docs/authorship.md, "Provenance in MIDI" and "in WAV").
func TestProvenanceTampering(t *testing.T) {
	sf2 := needTimGM6mb(t)
	root, id := provProject(t)
	band := filepath.Join(root, "band.mid")
	wav := filepath.Join(root, "band.wav")
	mustRun(t, "band", "../../examples/blues-f.chart", "--project", root, "--seed", "5", "-o", band, "--wav", wav, "--soundfont", sf2)
	f := readMIDI(t, band)
	hashes := midi.LedgerHashes(f)
	piece := midi.PieceOptions{Provenance: true}.ToPiece(f, "midi")
	total := 0
	for _, part := range piece.Parts {
		total += len(part.Notes)
	}
	// rewrite writes the piece changed by change, its records carrying the
	// original hashes (what an editor of the file would keep).
	rewrite := func(name string, change func(p *music.Piece), hashOf func(music.NoteID) string) string {
		p := midi.PieceOptions{Provenance: true}.ToPiece(f, "midi")
		change(p)
		g, err := midi.FromPiece(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := midi.AddLedgerHashes(g, hashOf); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := midi.Encode(&buf, g); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(root, name)
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	orig := func(id music.NoteID) string { return hashes[id] }
	first := piece.Parts[0].Notes[0].ID

	t.Run("untouched", func(t *testing.T) {
		p := checkFile(t, root, id.Public(), rewrite("same.mid", func(*music.Piece) {}, orig)).MIDI
		if got := p.Count(project.StatusVerified, ledger.ClassM); got != total {
			t.Fatalf("rewritten unchanged: %d of %d verified (%v)", got, total, statuses(p))
		}
		t.Logf("statuses %v", statuses(p))
	})
	t.Run("record claims a person", func(t *testing.T) {
		p := checkFile(t, root, id.Public(), rewrite("claim.mid", func(p *music.Piece) {
			for i := range p.Parts[0].Notes {
				p.Parts[0].Notes[i].Origin = &music.Origin{Kind: music.HumanPlayed}
			}
		}, orig)).MIDI
		if got, want := p.Count(project.StatusClaimed, ledger.ClassH), len(piece.Parts[0].Notes); got != want || p.Count(project.StatusVerified, ledger.ClassH) != 0 {
			t.Fatalf("%d notes claimed H, unverified, want %d; statuses %v", got, want, statuses(p))
		}
		t.Logf("statuses %v", statuses(p))
	})
	t.Run("record hash edited", func(t *testing.T) {
		p := checkFile(t, root, id.Public(), rewrite("hash.mid", func(*music.Piece) {}, func(id music.NoteID) string {
			if id == first {
				return strings.Repeat("0", 64)
			}
			return hashes[id]
		})).MIDI
		if got := p.Count(project.StatusClaimed, ""); got != 1 {
			t.Fatalf("%d notes claimed, unverified, want the one whose hash changed; %v", got, statuses(p))
		}
	})
	t.Run("note moved", func(t *testing.T) {
		p := checkFile(t, root, id.Public(), rewrite("moved.mid", func(p *music.Piece) {
			p.Parts[0].Notes[0].Start += music.PPQ / 4
		}, orig)).MIDI
		var moved []project.NoteProvenance
		for _, np := range p.Notes {
			if np.Status != project.StatusVerified {
				moved = append(moved, np)
			}
		}
		if len(moved) != 1 || moved[0].Status != project.StatusClaimed || !strings.Contains(moved[0].Why, "start") {
			t.Fatalf("moved one note: unverified %+v", moved)
		}
	})
	t.Run("another project's ledger", func(t *testing.T) {
		other := filepath.Join(t.TempDir(), "other")
		mustRun(t, "init", other)
		p := checkFile(t, other, id.Public(), band).MIDI
		if got := p.Count(project.StatusClaimed, ledger.ClassM); got != total {
			t.Fatalf("checked against another project: %d claimed M, want %d (%v)", got, total, statuses(p))
		}
	})
	t.Run("no project", func(t *testing.T) {
		p := checkFile(t, "", id.Public(), band).MIDI
		if got := p.Count(project.StatusClaimed, ledger.ClassM); got != total {
			t.Fatalf("outside a project: %d claimed M, want %d (%v)", got, total, statuses(p))
		}
	})

	w := checkFile(t, root, id.Public(), wav).WAV
	if w.Manifest == nil || len(w.Invalid) > 0 || w.ByUser == nil || !*w.ByUser {
		t.Fatalf("band.wav: manifest %+v", w)
	}
	if a := w.Manifest.Authorship; a == nil || a.Counts.M != total || a.HeadHash != project.HeadOf(f) {
		t.Fatalf("band.wav authorship %+v; want M %d and the MIDI's head", a, total)
	}
	audio, _ := os.ReadFile(wav)
	t.Run("audio changed", func(t *testing.T) {
		b := slices.Clone(audio)
		b[1000] ^= 0x10
		path := filepath.Join(root, "changed.wav")
		os.WriteFile(path, b, 0o644)
		w := checkFile(t, root, id.Public(), path).WAV
		if !slices.Contains(w.Invalid, c2pa.StatusDataHashMismatch) {
			t.Fatalf("a changed sample: %+v", w.Invalid)
		}
	})
	t.Run("re-signed with another key", func(t *testing.T) {
		other, err := identity.Ensure(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		m := w.Manifest
		var buf bytes.Buffer
		in := c2pa.Inputs{Title: "band.wav", HeadHash: m.Authorship.HeadHash, Counts: m.Authorship.Counts, Actions: m.Actions}
		if err := c2pa.Sign(&buf, bytes.NewReader(stripC2PA(t, audio)), in, other); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(root, "resigned.wav")
		os.WriteFile(path, buf.Bytes(), 0o644)
		w := checkFile(t, root, id.Public(), path).WAV
		if len(w.Invalid) > 0 || w.ByUser == nil || *w.ByUser {
			t.Fatalf("re-signed: invalid %v, by the user %v; want a valid manifest not the user's", w.Invalid, w.ByUser)
		}
	})
}

// stripC2PA is a WAV file without its C2PA chunk.
func stripC2PA(t *testing.T, b []byte) []byte {
	t.Helper()
	out := slices.Clone(b[:12])
	for p := 12; p+8 <= len(b); {
		n := int(binary.LittleEndian.Uint32(b[p+4:]))
		end := p + 8 + n + n&1
		if string(b[p:p+4]) != "C2PA" {
			out = append(out, b[p:min(end, len(b))]...)
		}
		p = end
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

// TestProvenanceNoProvenance: --no-provenance leaves the records out;
// the notes then match the ledger by track, tick and pitch.
func TestProvenanceNoProvenance(t *testing.T) {
	root, id := provProject(t)
	out := filepath.Join(root, "bare.mid")
	mustRun(t, "band", "../../examples/blues-f.chart", "--project", root, "--feel", "none", "--no-provenance", "-o", out)
	f := readMIDI(t, out)
	if midi.HasProvenance(f) {
		t.Fatal("--no-provenance: the file carries records")
	}
	p := checkFile(t, root, id.Public(), out).MIDI
	if got := p.Count(project.StatusMatched, ledger.ClassM); got != len(p.Notes) || got == 0 {
		t.Fatalf("%d of %d notes matched the ledger as M (%v)", got, len(p.Notes), statuses(p))
	}
	// The flag does not outlive its command.
	again := filepath.Join(root, "again.mid")
	mustRun(t, "band", "../../examples/blues-f.chart", "--project", root, "-o", again)
	if !midi.HasProvenance(readMIDI(t, again)) {
		t.Fatal("a command after --no-provenance wrote no records")
	}
}

// TestProvenanceMuseScore: MuseScore 3 re-saving an export drops the
// records; its notes then match the ledger by track, tick and pitch, and
// the rest are unknown, never verified or claimed.
func TestProvenanceMuseScore(t *testing.T) {
	if testing.Short() {
		t.Skip("MuseScore takes seconds")
	}
	ms, err := exec.LookPath("mscore3")
	if err != nil {
		if shareddata.Required() {
			t.Fatal("MuseScore 3 (mscore3) not found; install Debian's musescore3")
		}
		t.Skip("MuseScore 3 (mscore3) not found; install Debian's musescore3")
	}
	root, id := provProject(t)
	for _, feel := range []string{"none", "straight-latin"} {
		in := filepath.Join(root, "band-"+feel+".mid")
		out := filepath.Join(root, "musescore-"+feel+".mid")
		mustRun(t, "band", "../../examples/bossa-d.chart", "--project", root, "--feel", feel, "-o", in)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, ms, "-o", out, in)
		cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen")
		b, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("mscore3: %v\n%s", err, b)
		}
		p := checkFile(t, root, id.Public(), out).MIDI
		matched, unknown := p.Count(project.StatusMatched, ""), p.Count(project.StatusUnknown, "")
		if p.Records || matched+unknown != len(p.Notes) {
			t.Fatalf("feel %s: records %v, statuses %v; want matched or unknown only", feel, p.Records, statuses(p))
		}
		if p.Count(project.StatusMatched, ledger.ClassM) != matched {
			t.Errorf("feel %s: matched notes not all the band's: %v", feel, statuses(p))
		}
		if feel == "none" && matched*10 < len(p.Notes)*8 {
			t.Errorf("feel none: %d of %d notes matched; MuseScore keeps most notes on the grid where they were", matched, len(p.Notes))
		}
		t.Logf("feel %s: MuseScore re-saved %d notes: %d matched the ledger (M), %d unknown", feel, len(p.Notes), matched, unknown)
	}
}

// TestProvenanceC2PAWasm: every WAV sideman writes in a project (band
// --wav, band -o x.wav, render) carries a manifest that c2pa-rs reads
// (@contentauth/c2pa-wasm, tools/c2pa), finding our assertion, with no
// validation failure but signingCredential.untrusted; outside a project
// a WAV carries none.
func TestProvenanceC2PAWasm(t *testing.T) {
	sf2 := needTimGM6mb(t)
	node := c2paWasm(t)
	root, id := provProject(t)
	band := filepath.Join(root, "band.mid")
	files := []string{filepath.Join(root, "band.wav"), filepath.Join(root, "o.wav"), filepath.Join(root, "render.wav")}
	mustRun(t, "band", "../../examples/blues-f.chart", "--project", root, "--seed", "1", "-o", band, "--wav", files[0], "--soundfont", sf2)
	mustRun(t, "band", "../../examples/bossa-d.chart", "--project", root, "-o", files[1], "--soundfont", sf2)
	mustRun(t, "render", band, "--project", root, "-o", files[2], "--soundfont", sf2)
	sums := exportedSums(t, root)
	for _, path := range files {
		b, _ := os.ReadFile(path)
		s := sha256.Sum256(b)
		if sums[filepath.Base(path)] != hex.EncodeToString(s[:]) {
			t.Errorf("%s: the export record's SHA-256 is not the signed file's", filepath.Base(path))
		}
		ours := checkFile(t, root, id.Public(), path).WAV
		if ours.Manifest == nil || len(ours.Invalid) > 0 || !*ours.ByUser {
			t.Fatalf("%s: our reader: %+v", path, ours)
		}
		res := readC2PAWasm(t, node, path)
		var auth *struct {
			Head  string         `json:"ledger_head"`
			Notes map[string]int `json:"notes"`
		}
		for _, m := range res.Store.Manifests {
			for _, a := range m.Assertions {
				if a.Label == c2pa.LabelAuthorship {
					json.Unmarshal(a.Data, &auth)
				}
			}
		}
		if auth == nil || auth.Head != ours.Manifest.Authorship.HeadHash || auth.Notes["M"] != ours.Manifest.Authorship.Counts.M || auth.Notes["M"] == 0 {
			t.Errorf("%s: c2pa-rs finds authorship %+v; ours %+v", filepath.Base(path), auth, ours.Manifest.Authorship)
		}
		for _, f := range res.Store.Status {
			if f.Code != "signingCredential.untrusted" {
				t.Errorf("%s: c2pa-rs validation failure %s: %s", filepath.Base(path), f.Code, f.Explanation)
			}
		}
		t.Logf("%s: c2pa-rs reads head %.12s, notes %v", filepath.Base(path), auth.Head, auth.Notes)
	}
	// To stdout, signed all the same.
	piped := filepath.Join(t.TempDir(), "piped.wav")
	os.WriteFile(piped, []byte(mustRun(t, "render", band, "--project", root, "-o", "-", "--soundfont", sf2)), 0o644)
	if w := checkFile(t, root, id.Public(), piped).WAV; w.Manifest == nil || len(w.Invalid) > 0 || !*w.ByUser {
		t.Errorf("render -o - in a project: %+v", w)
	} else if res := readC2PAWasm(t, node, piped); len(res.Store.Status) != 1 || res.Store.Status[0].Code != "signingCredential.untrusted" {
		t.Errorf("render -o -: c2pa-rs statuses %+v", res.Store.Status)
	}
	// Outside a project: no manifest.
	outside := filepath.Join(t.TempDir(), "out.wav")
	mustRun(t, "render", band, "-o", outside, "--soundfont", sf2)
	if w := checkFile(t, "", nil, outside).WAV; !w.None {
		t.Errorf("a WAV written outside a project carries a manifest")
	}
}

type wasmResult struct {
	Store struct {
		Manifests map[string]struct {
			Assertions []struct {
				Label string          `json:"label"`
				Data  json.RawMessage `json:"data"`
			} `json:"assertions"`
		} `json:"manifests"`
		Status []struct {
			Code        string `json:"code"`
			Explanation string `json:"explanation"`
		} `json:"validation_status"`
	} `json:"manifest_store"`
}

// c2paWasm is Node with tools/c2pa installed (skipping, or failing under
// SIDEMAN_REQUIRE_DATA=1, without them).
func c2paWasm(t *testing.T) string {
	t.Helper()
	skip := func(msg string) {
		if shareddata.Required() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		skip("node not found; install Debian's nodejs and npm (scripts/install-deps.sh)")
	}
	if _, err := os.Stat(filepath.Join(c2paDir(), "node_modules", "@contentauth", "c2pa-wasm")); err != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if out, err := exec.CommandContext(ctx, "sh", filepath.Join(c2paDir(), "install.sh")).CombinedOutput(); err != nil {
			skip("@contentauth/c2pa-wasm: tools/c2pa/install.sh failed: " + strings.TrimSpace(string(out)))
		}
	}
	return node
}

func c2paDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "tools", "c2pa")
}

func readC2PAWasm(t *testing.T, node, path string) wasmResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, node, filepath.Join(c2paDir(), "read.mjs"), path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("c2pa-wasm could not read %s: %v\n%s", path, err, stderr.Bytes())
	}
	var res wasmResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("read.mjs: %v", err)
	}
	return res
}
