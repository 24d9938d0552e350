package project

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"sideman/format/midi"
	"sideman/identity"
	"sideman/improv/trade"
	"sideman/ledger"
	"sideman/music"
	"sideman/provenance/c2pa"
)

// Provenance in exports.
//
// A MIDI file a project exports carries, besides the head's text event
// (withHead): a copyright notice at tick 0 with its notes' counts by
// authorship class and the head; track names that say who made each
// part's notes ("Piano (sideman band)", "Solo (human)"); and, next to
// each part's provenance record, the hash of the ledger record that last
// set each note's fields (midi.AddLedgerHashes), so that a reader checks
// every note against the project's ledger (CheckMIDI). Nothing in them
// names a folder or a person: file names and hashes only.
//
// A WAV file a project exports carries a C2PA manifest signed with the
// user's identity (SetIdentity): the head, the counts of the notes
// rendered, and actions with their digital source types. Outside a
// project a WAV carries none: with no ledger to check them against,
// counts would be a claim no one could verify.

// SetIdentity gives the recorder the user's identity, which signs the
// C2PA manifests of the WAV files it exports; without one a WAV carries
// none.
func (r *Recorder) SetIdentity(id *identity.Identity) {
	if r != nil {
		r.id = id
	}
}

// rendering tells the recorder the notes of the audio about to be
// exported, which its manifest counts.
func (r *Recorder) rendering(p *music.Piece) {
	if r != nil {
		r.audio = p
	}
}

// notesOf reads records: every note's history, and the hash of the last
// record that set its fields.
func notesOf(recs iter.Seq2[ledger.Record, error]) (map[music.NoteID]ledger.NoteHistory, map[music.NoteID]string, map[string]*ledger.Record, error) {
	last := map[music.NoteID]string{}
	byHash := map[string]*ledger.Record{}
	var all []ledger.Record
	for rec, err := range recs {
		if err != nil {
			return nil, nil, nil, err
		}
		all = append(all, rec)
	}
	for i := range all {
		rec := &all[i]
		if len(rec.After) > 0 {
			byHash[rec.Hash] = rec
		}
		for j, id := range rec.Notes {
			if j < len(rec.After) {
				last[id] = rec.Hash
			}
		}
	}
	hist := map[music.NoteID]ledger.NoteHistory{}
	for h, err := range ledger.Notes(func(yield func(ledger.Record, error) bool) {
		for _, rec := range all {
			if !yield(rec, nil) {
				return
			}
		}
	}) {
		if err != nil {
			return nil, nil, nil, err
		}
		hist[h.ID] = h
	}
	return hist, last, byHash, nil
}

// annotate adds to a MIDI file the project exports (its head h in the
// first track already) the ledger hashes of its notes, the track names
// that say who made them and the copyright notice.
func (r *Recorder) annotate(ctx context.Context, f *midi.File, h string) error {
	if !midi.HasProvenance(f) { // --no-provenance
		return nil
	}
	hist, err := r.overlay(ctx, true)
	if err != nil {
		return r.ledgerError(err, false)
	}
	if _, err := midi.AddLedgerHashes(f, hist.LastHash); err != nil {
		return err
	}
	var total c2pa.Counts
	for ti, ids := range midi.TrackNoteIDs(f) {
		if len(ids) == 0 {
			continue
		}
		var c c2pa.Counts
		band, drums := false, false
		for _, id := range ids {
			n, _ := hist.Note(id)
			count(&c, n.Class)
			band = band || strings.HasPrefix(n.Generator, "band/")
			// The trade's answers made by rules are the drummer's
			// (trade.Drums: algorithmicMedia); the soloist's are a model's.
			drums = drums || n.Generator == trade.Generator && n.Source == ledger.AlgorithmicMedia
		}
		total.H, total.HAlg, total.M, total.MH = total.H+c.H, total.HAlg+c.HAlg, total.M+c.M, total.MH+c.MH
		machine := "sideman model"
		switch {
		case band:
			machine = "sideman band"
		case drums:
			machine = "sideman drummer"
		}
		if who := madeBy(c, machine); who != "" {
			midi.NameTrack(&f.Tracks[ti], func(old string) string {
				if old = trackPart(old); old == "" {
					return who
				}
				return old + " (" + who + ")"
			})
		}
	}
	notice := fmt.Sprintf("Authorship by the sideman ledger: H %d, H+alg %d, M %d, M+h %d notes (M: made by a machine, not claimed by a person). Ledger head %s",
		total.H, total.HAlg, total.M, total.MH, h)
	midi.AddCopyright(f, notice)
	return nil
}

// trackPart is a track's name without the "(who)" an earlier export put
// after it: "Piano (sideman band)" read back and exported again stays
// "Piano (...)", saying who made its notes now.
func trackPart(name string) string {
	for _, who := range []string{"human and sideman", "human", "sideman band", "sideman drummer", "sideman model"} {
		for _, w := range []string{who + ", edited", who} {
			if rest, ok := strings.CutSuffix(name, " ("+w+")"); ok {
				return rest
			}
			if name == w {
				return ""
			}
		}
	}
	return name
}

func count(c *c2pa.Counts, class ledger.Class) {
	switch class {
	case ledger.ClassH:
		c.H++
	case ledger.ClassHAlg:
		c.HAlg++
	case ledger.ClassM:
		c.M++
	case ledger.ClassMH:
		c.MH++
	}
}

// madeBy says in a track name who made a part's notes: the machine that
// made them alone ("sideman band", the rule-based band; "sideman
// drummer", the drummer's trade answers, by rules too; "sideman model",
// a trained one), "human", "human and sideman"; with ", edited" where a
// person changed a machine's notes. "" when the ledger says nothing of
// them.
func madeBy(c c2pa.Counts, machine string) string {
	human, made := c.H+c.HAlg > 0, c.M+c.MH > 0
	who := ""
	switch {
	case human && made:
		who = "human and sideman"
	case human:
		who = "human"
	case made:
		who = machine
	}
	if made && c.MH > 0 {
		who += ", edited"
	}
	return who
}

// signWAV is the writing of a file the project exports other than MIDI,
// a WAV file signed: the output is written to a temporary file, then, a
// RIFF/WAVE file, copied to w with a C2PA manifest appended (c2pa.Sign),
// anything else copied as it is. w never holds audio without its
// manifest (a file output is itself a temporary file renamed when whole;
// stdout gets nothing until the audio is signed).
func (r *Recorder) signWAV(ctx context.Context, name string, write func(io.Writer) error) func(io.Writer) error {
	return func(w io.Writer) error {
		tmp, err := os.CreateTemp("", "sideman-*.out")
		if err != nil {
			return &Error{Internal, "", err}
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		if err := write(tmp); err != nil {
			return err
		}
		var hdr [12]byte
		n, _ := tmp.ReadAt(hdr[:], 0)
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return &Error{Internal, "", err}
		}
		if n < 12 || string(hdr[:4]) != "RIFF" || string(hdr[8:]) != "WAVE" {
			_, err := io.Copy(w, tmp)
			return err
		}
		in, err := r.manifest(ctx, name)
		if err != nil {
			return err
		}
		if err := c2pa.Sign(w, tmp, in, r.id); err != nil {
			return &Error{Internal, name, err}
		}
		return nil
	}
}

// manifest is what the manifest of an exported WAV says: the head, the
// rendered notes by class, the actions from their source types.
func (r *Recorder) manifest(ctx context.Context, name string) (c2pa.Inputs, error) {
	h, err := r.head(ctx)
	if err != nil {
		return c2pa.Inputs{}, err
	}
	hist, err := r.overlay(ctx, true)
	if err != nil {
		return c2pa.Inputs{}, r.ledgerError(err, false)
	}
	var c c2pa.Counts
	var types []string
	if r.audio != nil {
		for _, part := range r.audio.Parts {
			for i := range part.Notes {
				n, ok := hist.Note(part.Notes[i].ID)
				if !ok {
					continue
				}
				count(&c, n.Class)
				if n.Source != "" && !slices.Contains(types, string(n.Source)) {
					types = append(types, string(n.Source))
				}
			}
		}
	}
	title := filepath.Base(name)
	if name == "-" {
		title = ""
	}
	return c2pa.Inputs{Title: title, HeadHash: h, Counts: c, Actions: c2pa.Actions(types, c)}, nil
}

// Note statuses CheckMIDI gives.
const (
	// StatusVerified: the file's record of the note names a ledger record that
	// holds the note with the fields it has in the file.
	StatusVerified = "verified"
	// StatusMatched: the file carries no record for the note (another program
	// re-saved it), and a note of the ledger has its part, tick and pitch.
	StatusMatched = "matched"
	// StatusClaimed: the file's record says who made the note, but the ledger
	// does not bear it out (no project, another project, a record or a
	// note changed since the export): its class is the record's claim.
	StatusClaimed = "claimed, unverified"
	// StatusUnknown: no record, and no note of the ledger in its place.
	StatusUnknown = "unknown"
)

// NoteProvenance is one note of a MIDI file as CheckMIDI found it.
type NoteProvenance struct {
	Part   int          `json:"part"`
	Tick   music.Ticks  `json:"tick"`
	Pitch  uint8        `json:"pitch"`
	ID     music.NoteID `json:"id,omitempty"`
	Status string       `json:"status"`
	// Class is the ledger's class for a verified or matched note, the
	// record's claim ("H", "M", "M+h" or "unknown") for a claimed one.
	Class ledger.Class `json:"class"`
	Why   string       `json:"why,omitempty"`
}

// FileProvenance is what a MIDI file says of its notes' authorship, and
// how much of it the project's ledger bears out.
type FileProvenance struct {
	Head    string `json:"head,omitempty"`
	Records bool   `json:"records"` // the file carries sideman's records
	Project bool   `json:"project"` // checked against a project's ledger
	// LedgerErr says why the ledger itself did not verify ("" when it
	// did, or was not checked).
	LedgerErr string           `json:"ledger_error,omitempty"`
	Notes     []NoteProvenance `json:"notes"`
}

// Count is how many of the file's notes have the status and class ("" for any).
func (fp *FileProvenance) Count(status string, class ledger.Class) int {
	n := 0
	for _, np := range fp.Notes {
		if (status == "" || np.Status == status) && (class == "" || np.Class == class) {
			n++
		}
	}
	return n
}

// CheckMIDI reads a MIDI file's provenance and checks it against the
// ledger of the project at root ("" for none: every recorded note is then
// claimed, unverified). With pub (the user's key) the ledger's chain and
// signatures are checked first; a ledger that fails verifies no note.
func CheckMIDI(ctx context.Context, root string, pub ed25519.PublicKey, data []byte) (*FileProvenance, error) {
	f, err := midi.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, &Error{BadInput, "", err}
	}
	return CheckMIDIFile(ctx, root, pub, f)
}

// CheckMIDIFile is CheckMIDI of a decoded file. A file without sideman's
// records read outside a project says nothing of its notes: it comes
// back with no notes, at no cost.
func CheckMIDIFile(ctx context.Context, root string, pub ed25519.PublicKey, f *midi.File) (*FileProvenance, error) {
	fp := &FileProvenance{Head: HeadOf(f), Records: midi.HasProvenance(f), Project: root != ""}
	if !fp.Records && root == "" {
		return fp, nil
	}
	piece := midi.PieceOptions{Provenance: true}.ToPiece(f, "midi")
	hashes := midi.LedgerHashes(f)
	var hist map[music.NoteID]ledger.NoteHistory
	var byHash map[string]*ledger.Record
	ledgerOK := false
	if root != "" {
		if pub != nil {
			if _, err := VerifyLedger(ctx, root, pub, ""); err != nil {
				fp.LedgerErr = err.Error()
			}
		}
		s, err := openStore(ctx, root)
		if err != nil {
			return nil, err
		}
		hist, _, byHash, err = notesOf(ledger.New(s).Records(ctx, 0))
		s.Close()
		if err != nil && fp.LedgerErr == "" {
			fp.LedgerErr = err.Error()
		}
		ledgerOK = fp.LedgerErr == ""
	}
	// The ledger's notes by place, for a file without records.
	type place struct {
		part  int16
		tick  music.Ticks
		pitch uint8
	}
	at := map[place]music.NoteID{}
	for id, h := range hist {
		if h.Deleted || h.Rejected {
			continue
		}
		at[place{h.State.Part, h.State.Tick, h.State.Pitch}] = id
	}
	for _, part := range piece.Parts {
		for i := range part.Notes {
			n := &part.Notes[i]
			np := NoteProvenance{Part: int(n.Part), Tick: n.Start, Pitch: n.Pitch, ID: n.ID}
			recorded := n.ID != 0
			switch {
			case recorded && ledgerOK:
				np.Status, np.Class, np.Why = StatusClaimed, claim(n.Origin), ""
				h := hashes[n.ID]
				rec := byHash[h]
				switch {
				case h == "":
					np.Why = "no ledger record named"
				case rec == nil:
					np.Why = "names a record the ledger does not hold"
				default:
					k := slices.Index(rec.Notes, n.ID)
					switch {
					case k < 0:
						np.Why = "names a record that is not about the note"
					case rec.After[k] != ledger.StateOf(n):
						np.Why = fmt.Sprintf("changed since the export (%s)", strings.Join(rec.After[k].Changed(ledger.StateOf(n)), ", "))
					case claim(n.Origin) != ledger.ClassUnknown && claimOf(claim(n.Origin)) != claimOf(hist[n.ID].Class):
						np.Why = fmt.Sprintf("the record claims %s, the ledger says %s", claim(n.Origin), hist[n.ID].Class)
					default:
						np.Status, np.Class = StatusVerified, hist[n.ID].Class
					}
				}
			case recorded:
				np.Status, np.Class = StatusClaimed, claim(n.Origin)
				np.Why = "no project's ledger to check it against"
				if root != "" {
					np.Why = "the ledger does not verify"
				}
			case fp.Records:
				np.Status, np.Class, np.Why = StatusUnknown, ledger.ClassUnknown, "not in the file's records"
			default:
				np.Status, np.Class = StatusUnknown, ledger.ClassUnknown
				if id, ok := at[place{n.Part, n.Start, n.Pitch}]; ok && ledgerOK {
					np.Status, np.Class, np.ID = StatusMatched, hist[id].Class, id
				}
			}
			fp.Notes = append(fp.Notes, np)
		}
	}
	return fp, nil
}

// claim is the class a note's Origin claims: M for a machine's, M+h for
// a machine's a person changed in the studio (HumanEditStep), H for a
// person's, unknown for an import's.
func claim(o *music.Origin) ledger.Class {
	switch c := OriginClass(o); c {
	case ledger.ClassHAlg:
		return ledger.ClassH
	default:
		return c
	}
}

// claimOf is what an Origin can claim of a ledger class: who made the
// note first.
func claimOf(c ledger.Class) ledger.Class {
	switch c {
	case ledger.ClassH, ledger.ClassHAlg:
		return ledger.ClassH
	case ledger.ClassM, ledger.ClassMH:
		return ledger.ClassM
	}
	return ledger.ClassUnknown
}

// WithoutProvenance is a MIDI output's writing with sideman's provenance
// records left out (--no-provenance).
func WithoutProvenance(write func(io.Writer) error) func(io.Writer) error {
	return func(w io.Writer) error {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			return err
		}
		f, err := midi.Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			return err
		}
		midi.StripProvenance(f)
		return midi.Encode(w, f)
	}
}
