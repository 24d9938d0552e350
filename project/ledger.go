package project

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"sideman/format/midi"
	"sideman/identity"
	"sideman/improv/trade"
	"sideman/ledger"
	"sideman/load"
	"sideman/music"
	"sideman/store/postgres"
	"sideman/store/sqlite"
)

// LedgerFile is the project's ledger, in its MarkerDir.
const LedgerFile = "ledger.db"

// HeadPrefix starts the MIDI text event an export carries the ledger's
// head in: "sideman-ledger-head: " and the hex SHA-256 of the last record
// the file's notes are in (the next issue makes it a provenance record).
const HeadPrefix = "sideman-ledger-head: "

// A Recorder keeps what one command does in a project's ledger: the
// operations tell it the notes they read and make (the generators never
// see it), the command's exports the files they write, and Commit appends
// it all in one batch with one signed checkpoint. A nil Recorder (work
// outside any project) records nothing.
type Recorder struct {
	root   string
	store  ledger.Store
	ledger *ledger.Ledger
	key    ed25519.PrivateKey
	// known is every note the ledger tells of, with its last fields:
	// a note read again is not imported twice, and a note read with other
	// fields than the ledger's was transformed.
	known map[music.NoteID]ledger.NoteState
	maxID music.NoteID
	// hist is every note's history as the ledger's records up to seq
	// (the one with hash last) tell it: built by the read that opens the
	// ledger, brought up to date by Commit and, when another program
	// appended meanwhile, by reading the records after seq (catchUp). The
	// pending records are laid over it when asked (overlay).
	hist    *ledger.Histories
	seq     uint64
	last    string
	pending []ledger.Record
	files   []ledger.File
	// heads are the hashes exports carried, by the number of pending
	// records they follow: Commit checks that the ledger holds them.
	heads map[int]string
	at    time.Time
	// gen is what the operation under way says of its generation: seed,
	// model hash and settings.
	gen Generation
	// byState finds the project's notes by their fields (acts.go's
	// rematch), made when first needed.
	byState map[ledger.NoteState][]music.NoteID
	// id signs the manifests of exported WAV files, audio is the music
	// being rendered (provenance.go).
	id    *identity.Identity
	audio *music.Piece
}

// Generation is what an operation tells the recorder of how its machine
// parts made notes: the seed, the model's hash and the settings sent.
type Generation struct {
	Seed   string // in decimal; "" for none
	Model  string
	Params map[string]string
}

// ledgerPath is the ledger of the project at root.
func ledgerPath(root string) string { return filepath.Join(root, MarkerDir, LedgerFile) }

// InitProject makes dir a project (as Init does) with its ledger, opened
// by a first record and a checkpoint signed with key, and returns its
// root. Nothing is left behind when it fails.
func InitProject(ctx context.Context, dir string, key ed25519.PrivateKey) (string, error) {
	return InitProjectStore(ctx, dir, key, "")
}

// InitProjectStore is InitProject with the ledger kept where storeURL
// says: "" for the project's own SQLite file (DIR/.sideman/ledger.db),
// or a postgres:// URL for a PostgreSQL database shared on a server. The
// URL is written in DIR/.sideman/store without its password (give that
// to each command by PGPASSWORD or ~/.pgpass, as libpq's tools take it),
// so the project folder can be copied without the secret; the database
// must hold no ledger yet.
func InitProjectStore(ctx context.Context, dir string, key ed25519.PrivateKey, storeURL string) (string, error) {
	if len(key) != ed25519.PrivateKeySize {
		return "", &Error{BadInput, "key", errors.New("not an Ed25519 signing key")}
	}
	var shared string
	if storeURL != "" {
		u, err := url.Parse(storeURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return "", &Error{BadInput, "--store " + redacted(storeURL), errors.New("want a postgres:// URL (or none, for the project's own SQLite ledger)")}
		}
		if u.User != nil {
			u.User = url.User(u.User.Username())
		}
		shared = u.String()
	}
	return initWith(dir, func(tmp string) error {
		var s ledger.Store
		if storeURL == "" {
			ls, err := sqlite.Create(ctx, filepath.Join(tmp, LedgerFile))
			if err != nil {
				return err
			}
			s = ls
		} else {
			ps, err := postgres.Open(ctx, storeURL)
			if err != nil {
				return &Error{BadInput, "", err}
			}
			s = ps
			if head, err := ps.Head(ctx); err != nil {
				ps.Close()
				return &Error{BadInput, "", err}
			} else if head.Seq != 0 {
				ps.Close()
				return &Error{BadInput, "--store " + ps.Name(), fmt.Errorf("holds a ledger already (%d records): one database a project", head.Seq)}
			}
			if err := os.WriteFile(filepath.Join(tmp, StoreFile), []byte(shared+"\n"), 0o644); err != nil {
				ps.Close()
				return err
			}
		}
		defer s.Close()
		// A checkpoint signs a record: the first says the project began,
		// an export of nothing by sideman itself.
		_, err := ledger.New(s).AppendSigned(ctx, key, ledger.Record{Actor: ledger.System, Op: ledger.Export,
			Gen: &ledger.Generation{Generator: "sideman/init", Version: "1"}})
		return err
	})
}

// StoreFile, in a project's MarkerDir, names the PostgreSQL database its
// ledger is kept in (a postgres:// URL without its password); without it
// the ledger is the project's SQLite file, LedgerFile.
const StoreFile = "store"

// redacted is a URL as an error may show it: its password left out.
func redacted(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return "the URL"
}

// OpenLedger opens the ledger of the project at root (FindRoot's) to
// record a command's work, signing with key. A ledger that is missing,
// damaged or another program's is BadInput, left as it is.
func OpenLedger(ctx context.Context, root string, key ed25519.PrivateKey) (*Recorder, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, &Error{BadInput, "key", errors.New("not an Ed25519 signing key")}
	}
	s, err := openStore(ctx, root)
	if err != nil {
		return nil, err
	}
	r := &Recorder{root: root, store: s, ledger: ledger.New(s), key: key, known: map[music.NoteID]ledger.NoteState{}, heads: map[int]string{},
		hist: ledger.NewHistories()}
	if err := r.catchUp(ctx); err != nil {
		s.Close()
		return nil, err
	}
	r.known = make(map[music.NoteID]ledger.NoteState, r.hist.Len())
	for id, h := range r.hist.All() {
		r.known[id] = h.State
		r.maxID = max(r.maxID, id)
	}
	return r, nil
}

// catchUp brings hist up to the ledger's head: it reads the records
// after seq, none when no other program appended since the last read.
func (r *Recorder) catchUp(ctx context.Context) error {
	if r.seq > 0 {
		h, err := r.ledger.Head(ctx)
		if err != nil {
			return &Error{BadInput, ledgerPath(r.root), err}
		}
		if h.Seq == r.seq && h.Hash == r.last {
			return nil
		}
		if h.Seq < r.seq { // not the chain hist was read from: read it again
			r.hist, r.seq, r.last = ledger.NewHistories(), 0, ""
		}
	}
	for rec, err := range r.ledger.Records(ctx, r.seq) {
		if err == nil {
			err = r.hist.Add(&rec)
		}
		if err != nil {
			r.hist, r.seq, r.last = ledger.NewHistories(), 0, "" // read again next time
			return &Error{BadInput, ledgerPath(r.root), fmt.Errorf("%v (sideman ledger verify names the record)", err)}
		}
		r.seq, r.last = rec.Seq, rec.Hash
	}
	return nil
}

// committed adds the records Commit appended to hist: those it holds
// when they follow seq, else the ledger's records after seq (another
// program appended in between).
func (r *Recorder) committed(ctx context.Context, out []ledger.Record) {
	if len(out) > 0 && out[0].Seq == r.seq+1 && out[0].Prev == r.last {
		for i := range out {
			if err := r.hist.Add(&out[i]); err != nil {
				r.hist, r.seq, r.last = ledger.NewHistories(), 0, "" // read again next time
				return
			}
			r.seq, r.last = out[i].Seq, out[i].Hash
		}
		return
	}
	_ = r.catchUp(ctx) // an error is met again by the next read
}

// overlay is hist up to the ledger's head with the pending records laid
// over it; hashed, each pending record carries the hash head chained it
// to (provenance.go's last hashes).
func (r *Recorder) overlay(ctx context.Context, hashed bool) (*ledger.Histories, error) {
	if err := r.catchUp(ctx); err != nil {
		return nil, err
	}
	o := r.hist.Over()
	for _, rec := range r.pending {
		if hashed {
			body, err := ledger.Body(&rec)
			if err != nil {
				return nil, err
			}
			rec.Hash = ledger.HashBody(body)
		}
		if err := o.Add(&rec); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// ledgerError is an error of reading the ledger as the project gives it:
// BadInput, naming the ledger (and, with hint, the command that names
// the record).
func (r *Recorder) ledgerError(err error, hint bool) error {
	if _, ok := err.(*Error); ok {
		return err
	}
	if hint {
		err = fmt.Errorf("%v (sideman ledger verify names the record)", err)
	}
	return &Error{BadInput, ledgerPath(r.root), err}
}

// openStore opens the ledger of the project at root: its SQLite file, or
// the PostgreSQL database its StoreFile names.
func openStore(ctx context.Context, root string) (ledger.Store, error) {
	if b, err := os.ReadFile(filepath.Join(root, MarkerDir, StoreFile)); err == nil {
		raw := strings.TrimSpace(string(b))
		if pw, ok := os.LookupEnv("PGPASSWORD"); ok {
			if u, err := url.Parse(raw); err == nil && u.User != nil {
				u.User = url.UserPassword(u.User.Username(), pw)
				raw = u.String()
			}
		}
		s, err := postgres.Open(ctx, raw)
		if err != nil {
			return nil, &Error{BadInput, "", err}
		}
		return s, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, &Error{BadInput, filepath.Join(root, MarkerDir, StoreFile), err}
	}
	path := ledgerPath(root)
	s, err := sqlite.Open(ctx, path)
	var fe *sqlite.FileError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, &Error{BadInput, path, errors.New("the project has no ledger (not made by sideman init, or removed)")}
	case errors.As(err, &fe):
		return nil, &Error{BadInput, "", err}
	case err != nil:
		return nil, &Error{BadInput, path, err}
	}
	return s, nil
}

// IDs is the allocator of the project's new notes: past every note its
// ledger tells of.
func (r *Recorder) IDs() *music.IDs { return music.NewIDs(r.maxID + 1) }

// Root is the project's folder.
func (r *Recorder) Root() string { return r.root }

// Close closes the ledger, recording nothing more: what Commit has not
// appended is dropped (a failed command records nothing).
func (r *Recorder) Close() error {
	if r == nil {
		return nil
	}
	return r.store.Close()
}

// Generating tells the recorder how the operation's machine parts made
// the notes it is about to report.
func (r *Recorder) Generating(g Generation) {
	if r != nil {
		r.gen = g
	}
}

// read records the notes of an input the ledger does not know yet as
// imported from it: a plain input says nothing of who made its notes
// (sideman record --as played claims a person's).
func (r *Recorder) read(name string, notes []music.Note) {
	if r == nil {
		return
	}
	var rec ledger.Record
	for i := range notes {
		n := &notes[i]
		if n.ID == 0 || r.has(n.ID) || slices.Contains(rec.Notes, n.ID) {
			continue
		}
		rec.Notes = append(rec.Notes, n.ID)
		rec.After = append(rec.After, ledger.StateOf(n))
	}
	if len(rec.Notes) > 0 {
		rec.Actor, rec.Op = ledger.System, ledger.Import
		r.add(rec)
	}
}

func seen(rec *ledger.Record, id music.NoteID) bool {
	return len(rec.Notes) > 0 && rec.Notes[len(rec.Notes)-1] == id
}

func (r *Recorder) has(id music.NoteID) bool {
	_, ok := r.known[id]
	return ok
}

func (r *Recorder) add(rec ledger.Record) {
	for i, id := range rec.Notes {
		if len(rec.After) > i {
			r.known[id] = rec.After[i]
		}
		r.maxID = max(r.maxID, id)
	}
	r.pending = append(r.pending, rec)
}

// made records the notes of what an operation made or changed: a note the
// ledger does not know, made by a machine, as generated (grouped by
// generator and settings, with the notes it was conditioned on); one
// made otherwise as imported; a known note whose fields changed as
// transformed by the algorithm its Origin's last step names.
func (r *Recorder) made(p *music.Piece) {
	if r == nil || p == nil {
		return
	}
	gens := map[string]*ledger.Record{}
	var order []string
	imported := ledger.Record{Actor: ledger.System, Op: ledger.Import}
	changed := map[string]*ledger.Record{}
	var changedOrder []string
	for _, part := range p.Parts {
		for i := range part.Notes {
			n := &part.Notes[i]
			if n.ID == 0 {
				continue
			}
			st := ledger.StateOf(n)
			if old, ok := r.known[n.ID]; ok {
				if old == st {
					continue
				}
				step := "changed"
				gen := ""
				if n.Origin != nil && n.Origin.Step != "" {
					step, gen = n.Origin.Step, n.Origin.Generator
				}
				key := step + "\x00" + gen
				rec := changed[key]
				if rec == nil {
					g := gen
					if g == "" {
						g = "sideman/" + step
					}
					rec = &ledger.Record{Actor: ledger.Machine, Op: ledger.Transform, Source: ledger.AlgorithmicallyEnhanced,
						Gen: r.generation(&music.Origin{Generator: g, Params: step})}
					changed[key], changedOrder = rec, append(changedOrder, key)
				}
				if !seen(rec, n.ID) {
					rec.Notes, rec.Before, rec.After = append(rec.Notes, n.ID), append(rec.Before, old), append(rec.After, st)
				}
				continue
			}
			root := n.Origin.Root()
			if root == nil || (root.Kind != music.MachineGenerated && root.Kind != music.MachineTransformed) || root.Generator == "" {
				if !seen(&imported, n.ID) {
					imported.Notes, imported.After = append(imported.Notes, n.ID), append(imported.After, st)
				}
				continue
			}
			src := sourceOf(root)
			key := root.Generator + "\x00" + root.Version + "\x00" + string(src)
			rec := gens[key]
			if rec == nil {
				rec = &ledger.Record{Actor: ledger.Machine, Op: ledger.Generate, Source: src, Gen: r.generation(root)}
				gens[key], order = rec, append(order, key)
			}
			if !seen(rec, n.ID) {
				rec.Notes, rec.After = append(rec.Notes, n.ID), append(rec.After, st)
				rec.Gen.From = append(rec.Gen.From, root.DerivedFrom...)
				rec.Gen.From = append(rec.Gen.From, n.Origin.DerivedFrom...)
			}
		}
	}
	if len(imported.Notes) > 0 {
		r.add(imported)
	}
	for _, k := range order {
		rec := gens[k]
		rec.Gen.From = uniqueIDs(rec.Gen.From)
		r.add(*rec)
	}
	for _, k := range changedOrder {
		r.add(*changed[k])
	}
}

// sourceOf is the digital source type of a machine's note: the band and
// the drummer trading play by rules (algorithmicMedia); the soloist, the
// trader's soloist and the variations from a model trained on a corpus.
func sourceOf(o *music.Origin) ledger.SourceType {
	if strings.HasPrefix(o.Generator, "band/") || trade.ByDrummer(o) {
		return ledger.AlgorithmicMedia
	}
	return ledger.TrainedAlgorithmicMedia
}

func (r *Recorder) generation(o *music.Origin) *ledger.Generation {
	g := &ledger.Generation{Generator: o.Generator, Version: o.Version, Model: r.gen.Model, Params: map[string]string{}}
	g.Seed = r.gen.Seed
	for k, v := range r.gen.Params {
		if v != "" {
			g.Params[k] = v
		}
	}
	if o.Params != "" {
		g.Params["origin"] = o.Params
	}
	if len(g.Params) == 0 {
		g.Params = nil
	}
	return g
}

func uniqueIDs(ids []music.NoteID) []music.NoteID {
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := ids[:0]
	for i, id := range ids {
		if id != 0 && (i == 0 || id != ids[i-1]) {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// head is the hash the last pending record will have, chained after the
// ledger's head: the hash an export carries. Commit checks that the
// ledger holds it.
func (r *Recorder) head(ctx context.Context) (string, error) {
	h, err := r.ledger.Head(ctx)
	if err != nil {
		return "", &Error{BadInput, ledgerPath(r.root), err}
	}
	if r.at.IsZero() {
		r.at = time.Now().UTC().Truncate(time.Millisecond)
	}
	seq, prev := h.Seq, h.Hash
	for i := range r.pending {
		rec := &r.pending[i]
		seq++
		rec.Seq, rec.Prev, rec.Time = seq, prev, r.at
		body, err := ledger.Body(rec)
		if err != nil {
			return "", err
		}
		prev = ledger.HashBody(body)
	}
	r.heads[len(r.pending)] = prev
	return prev, nil
}

// Export wraps an output's writing: a MIDI file carries the ledger head
// (a text event at its start), and every file's SHA-256 is recorded, by
// its name alone, for Commit's export record. Outside a project it is
// write itself.
func (r *Recorder) Export(ctx context.Context, name string, isMIDI bool, write func(io.Writer) error) func(io.Writer) error {
	if r == nil {
		return write
	}
	return func(w io.Writer) error {
		sum := sha256.New()
		if isMIDI {
			var buf bytes.Buffer
			if err := write(&buf); err != nil {
				return err
			}
			b, err := r.withHead(ctx, buf.Bytes())
			if err != nil {
				return err
			}
			sum.Write(b)
			if _, err := w.Write(b); err != nil {
				return err
			}
		} else if r.id != nil { // a WAV signed (provenance.go)
			if err := r.signWAV(ctx, name, write)(io.MultiWriter(w, sum)); err != nil {
				return err
			}
		} else if err := write(io.MultiWriter(w, sum)); err != nil {
			return err
		}
		base := filepath.Base(name)
		if name == "-" {
			base = "(stdout)"
		}
		r.files = append(r.files, ledger.File{Name: base, SHA256: hex.EncodeToString(sum.Sum(nil))})
		return nil
	}
}

// withHead adds the head's text event to a MIDI file's first track.
func (r *Recorder) withHead(ctx context.Context, b []byte) ([]byte, error) {
	h, err := r.head(ctx)
	if err != nil {
		return nil, err
	}
	f, err := midi.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	if len(f.Tracks) == 0 {
		return b, nil
	}
	var t midi.Track // the head first: events stay in time order
	t.AddText(0, midi.MetaText, HeadPrefix+h)
	for _, e := range f.Tracks[0].Events {
		t.AddEvent(e, &f.Tracks[0])
	}
	f.Tracks[0] = t
	if err := r.annotate(ctx, f, h); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := midi.Encode(&out, f); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// HeadOf reads the ledger head a MIDI file sideman exported in a project
// carries ("" when none).
func HeadOf(f *midi.File) string {
	for _, t := range f.Tracks {
		for _, e := range t.Events {
			if e.IsMeta() && e.MetaType() == midi.MetaText {
				if s := t.Text(e); strings.HasPrefix(s, HeadPrefix) {
					return strings.TrimPrefix(s, HeadPrefix)
				}
			}
		}
	}
	return ""
}

// Commit appends what the command did, the files it exported last, and
// one checkpoint signed with the user's key, in one batch: all or none.
// Nothing to record appends nothing.
func (r *Recorder) Commit(ctx context.Context) (ledger.Head, error) {
	if r == nil || len(r.pending)+len(r.files) == 0 {
		return ledger.Head{}, nil
	}
	recs := r.pending
	if len(r.files) > 0 {
		slices.SortStableFunc(r.files, func(a, b ledger.File) int { return strings.Compare(a.Name, b.Name) })
		recs = append(recs, ledger.Record{Actor: ledger.System, Op: ledger.Export, Files: r.files})
	}
	for i := range recs {
		if r.at.IsZero() {
			r.at = time.Now().UTC().Truncate(time.Millisecond)
		}
		recs[i].Time = r.at
	}
	out, err := r.ledger.AppendSigned(ctx, r.key, recs...)
	if err != nil {
		return ledger.Head{}, &Error{Internal, ledgerPath(r.root), err}
	}
	r.committed(ctx, out)
	for n, h := range r.heads {
		got := ""
		if n > 0 {
			got = out[n-1].Hash
		} else {
			got = out[0].Prev
		}
		if got != h {
			return ledger.Head{}, &Error{Internal, ledgerPath(r.root), fmt.Errorf("another sideman wrote to the ledger meanwhile: an exported file carries head %s, which the ledger does not hold; run the command again", h)}
		}
	}
	r.pending, r.files, r.heads = nil, nil, map[int]string{}
	last := out[len(out)-1]
	return ledger.Head{Seq: last.Seq, Hash: last.Hash}, nil
}

// Verified is what VerifyLedger checked.
type Verified = ledger.Verified

// VerifyLedger checks the ledger of the project at root: its file, its
// chain, its checkpoints' signatures with pub (the user's key, never one
// the project holds) and, given head (a hash an export carried), that the
// history up to it is unchanged. A failed verification is a
// *ledger.VerifyError (or the store's damage); a missing or foreign
// ledger is BadInput.
func VerifyLedger(ctx context.Context, root string, pub ed25519.PublicKey, head string) (Verified, error) {
	s, err := openStore(ctx, root)
	if err != nil {
		return Verified{}, err
	}
	defer s.Close()
	if c, ok := s.(interface{ Check(context.Context) error }); ok {
		if err := c.Check(ctx); err != nil {
			return Verified{}, &Error{BadInput, "", err}
		}
	}
	return ledger.Verify(ctx, s, pub, head)
}

// readDocument records the notes of an opened input: a MIDI file's, and
// those a lead sheet writes.
func (r *Recorder) readDocument(d *load.Document) {
	if r == nil {
		return
	}
	var notes []music.Note
	if d.Piece != nil {
		for _, part := range d.Piece.Parts {
			notes = append(notes, part.Notes...)
		}
	}
	for _, c := range d.Charts {
		for _, part := range c.Parts {
			notes = append(notes, part.Notes...)
		}
	}
	r.read(d.Name, notes)
	for _, m := range d.Members {
		r.readDocument(m)
	}
}

// record tells the project's ledger what an operation made or changed,
// and how (a no-op outside a project).
func (p *Project) record(piece *music.Piece, g Generation) {
	if p.Ledger == nil {
		return
	}
	p.Ledger.Generating(g)
	p.Ledger.made(piece)
}

// exportBytes is an output encoded beforehand, as Export writes it: a
// MIDI file (by its name) with the ledger head, every file recorded.
func (r *Recorder) exportBytes(ctx context.Context, name string, b []byte) ([]byte, error) {
	if r == nil {
		return b, nil
	}
	var out bytes.Buffer
	err := r.Export(ctx, name, strings.HasSuffix(strings.ToLower(name), ".mid"), func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})(&out)
	return out.Bytes(), err
}
