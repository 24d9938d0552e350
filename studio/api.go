package studio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"

	"sideman/authorship"
	"sideman/band"
	"sideman/examples"
	"sideman/feel"
	"sideman/format/midi"
	"sideman/ledger"
	"sideman/load"
	"sideman/music"
	"sideman/project"
	"sideman/render"
)

// decode reads a JSON request body of at most the body limit, refusing
// unknown fields and trailing data.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, s.opt.Limits.Body)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return fmt.Errorf("request body over %d bytes (a file to import: %d bytes at most): %w", s.opt.Limits.Body, maxImport(s.opt.Limits.Body), err)
		}
		return &project.Error{Kind: project.BadInput, Name: "request", Err: fmt.Errorf("not the JSON expected: %v", err)}
	}
	if dec.More() {
		return &project.Error{Kind: project.BadInput, Name: "request", Err: errors.New("trailing data after the JSON")}
	}
	return nil
}

type example struct {
	Name  string `json:"name"`
	Title string `json:"title"`
}

func (s *Server) examples(w http.ResponseWriter, r *http.Request) {
	out := []example{}
	for _, name := range examples.Names() {
		e := example{Name: name, Title: name}
		if src, err := examples.Open(name); err == nil {
			if d, err := load.Bytes(name+".chart", src); err == nil && len(d.Charts) > 0 {
				e.Title = d.Charts[0].Title
			}
		}
		out = append(out, e)
	}
	reply(w, out)
}

func (s *Server) styles(w http.ResponseWriter, r *http.Request) {
	out := []string{}
	for _, st := range band.Styles() {
		out = append(out, st.Name)
	}
	reply(w, out)
}

// feels lists the built-in feels for the page's Feel choice, each with
// what it is; /api/band takes a name, "none" (the grid, no feel) or ""
// (the style's own).
func (s *Server) feels(w http.ResponseWriter, r *http.Request) {
	type feelJSON struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	out := []feelJSON{}
	for _, p := range feel.Builtins() {
		out = append(out, feelJSON{p.Name, p.Description})
	}
	reply(w, out)
}

// chartJSON is a chart as the page draws it.
type chartJSON struct {
	ID    string    `json:"id"`
	Title string    `json:"title"`
	Meter [2]int    `json:"meter"`
	Tempo int       `json:"tempo"`
	Key   string    `json:"key"`
	Style string    `json:"style,omitempty"`
	Bars  []barJSON `json:"bars"`
}

type barJSON struct {
	Section string      `json:"section,omitempty"`
	Chords  []chordJSON `json:"chords"`
	// Repeats as written: a repeat opens here, one closes here (the times
	// played in all), a volta bracket starts here (bit n-1: pass n).
	RepeatStart bool  `json:"repeat_start,omitempty"`
	RepeatEnd   int   `json:"repeat_end,omitempty"`
	Ending      uint8 `json:"ending,omitempty"`
	// Melody is the lead sheet's melody written in the bar, at concert
	// pitch; absent when the chart has none.
	Melody []melodyJSON `json:"melody,omitempty"`
}

// melodyJSON is a written melody note: beat and beats in felt beats from
// the start of its bar.
type melodyJSON struct {
	Pitch uint8   `json:"pitch"`
	Beat  float64 `json:"beat"`
	Beats float64 `json:"beats"`
}

type chordJSON struct {
	Beat   float64 `json:"beat"`
	Symbol string  `json:"symbol"`
}

// open reads a bundled example, pasted text (a .chart, an iReal link,
// ABC, MusicXML: whatever load detects) or an imported file's bytes (a
// MIDI file too: project.OpenBytes). It takes no path: nothing on the
// server's disk is read for a client.
func (s *Server) open(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Example string `json:"example"`
		Text    string `json:"text"`
		Tune    string `json:"tune"`
		// Name and Data are an imported file: its name (which picks the
		// format) and its bytes in base64.
		Name string `json:"name"`
		Data string `json:"data"`
	}
	if err := s.decode(w, r, &req); err != nil {
		fail(w, status(err), err)
		return
	}
	var name string
	var data []byte
	imported := req.Name != "" || req.Data != ""
	switch {
	case req.Example != "" && req.Text != "", imported && (req.Example != "" || req.Text != ""):
		fail(w, http.StatusBadRequest, errors.New("give one of an example, a text or a file (name and data), not more"))
		return
	case imported:
		var err error
		if name, data, err = importedFile(req.Name, req.Data); err != nil {
			fail(w, status(err), err)
			return
		}
	case req.Example != "":
		src, err := examples.Open(req.Example)
		if err != nil {
			fail(w, http.StatusNotFound, fmt.Errorf("no bundled example %q (GET /api/examples lists them)", req.Example))
			return
		}
		name, data = req.Example+".chart", src
	case strings.TrimSpace(req.Text) != "":
		data = []byte(strings.TrimSpace(req.Text))
		name = "pasted"
		if load.IsLink(string(data)) {
			name = string(data)
		} else if f := load.Detect("", data); f != "" {
			name = "pasted." + f
		} else {
			name = "pasted.chart"
		}
	default:
		fail(w, http.StatusBadRequest, errors.New(`give {"example": NAME}, {"text": CHART_TEXT_OR_IREAL_LINK} or {"name": FILE_NAME, "data": BASE64}`))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var d *load.Document
	var err error
	if imported {
		d, err = s.proj.OpenBytes(r.Context(), name, data)
	} else {
		d, err = load.Options{IDs: s.proj.IDs}.Bytes(name, data)
	}
	if err != nil {
		fail(w, status(err), err)
		return
	}
	c, err := d.Tune(req.Tune)
	if err != nil {
		fail(w, status(err), err)
		return
	}
	if c == nil || len(c.Bars) == 0 {
		fail(w, http.StatusBadRequest, fmt.Errorf("%s: no chart with bars in it", name))
		return
	}
	s.next++
	id := "c" + strconv.Itoa(s.next)
	s.charts[id] = &openChart{doc: d, chart: c}
	s.order = append(s.order, id)
	for len(s.order) > s.opt.Limits.Charts {
		delete(s.charts, s.order[0])
		s.order = s.order[1:]
	}
	reply(w, describe(id, c))
}

func describe(id string, c *music.Chart) chartJSON {
	m := c.MeterOrDefault()
	out := chartJSON{ID: id, Title: c.Title, Meter: [2]int{m.Num, m.Den}, Tempo: c.Tempo, Key: c.KeyOrDefault().String(), Style: c.Style}
	if out.Tempo == 0 {
		out.Tempo = music.DefaultTempo
	}
	for _, b := range c.Bars {
		if b.Meter != nil {
			m = *b.Meter
		}
		bj := barJSON{Section: b.Section, Chords: []chordJSON{}, RepeatStart: b.RepeatStart, RepeatEnd: b.RepeatEnd, Ending: b.Ending}
		beat := float64(m.BeatTicks())
		for _, ch := range b.Chords {
			bj.Chords = append(bj.Chords, chordJSON{Beat: float64(ch.Offset) / beat, Symbol: ch.Chord.String()})
		}
		for _, n := range b.Notes {
			bj.Melody = append(bj.Melody, melodyJSON{Pitch: n.Pitch, Beat: round3(float64(n.Start) / beat), Beats: round3(float64(n.Duration) / beat)})
		}
		out.Bars = append(out.Bars, bj)
	}
	return out
}

// chart is an opened chart by its id; s.mu is held.
func (s *Server) chart(id string) (*openChart, error) {
	c, ok := s.charts[id]
	if !ok {
		return nil, &project.Error{Kind: project.NotFound, Name: "chart " + strconv.Quote(id), Err: errors.New("not open (POST /api/open first)")}
	}
	return c, nil
}

// noteJSON is a band's note as the page plays it.
type noteJSON struct {
	ID       string  `json:"id"`
	Part     string  `json:"part"`
	Channel  uint8   `json:"channel"`
	Program  int     `json:"program"`
	Pitch    uint8   `json:"pitch"`
	Velocity uint8   `json:"velocity"`
	StartMS  float64 `json:"start_ms"`
	DurMS    float64 `json:"duration_ms"`
	Class    string  `json:"class"`
}

// class is a note's authorship class as its Origin says it
// (project.OriginClass: H, H+alg, M, M+h); a note of no known maker is
// drawn as the machine's.
func class(o *music.Origin) string {
	if c := project.OriginClass(o); c != ledger.ClassUnknown {
		return string(c)
	}
	return "M"
}

// band plays an opened chart with the band (project.PlayDocument).
func (s *Server) band(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Chart     string          `json:"chart"`
		Style     string          `json:"style"`
		Tempo     int             `json:"tempo"`
		Choruses  int             `json:"choruses"`
		Transpose json.RawMessage `json:"transpose"`
		Seed      int64           `json:"seed"`
		Feel      string          `json:"feel"`
		CountIn   int             `json:"count_in"`
		Loop      string          `json:"loop"`
		Repeat    int             `json:"repeat"`
		Ramp      int             `json:"ramp"`
	}
	if err := s.decode(w, r, &req); err != nil {
		fail(w, status(err), err)
		return
	}
	opt := project.PlayOptions{Style: req.Style, Tempo: req.Tempo, Choruses: req.Choruses, Seed: req.Seed, Feel: req.Feel,
		Repeat: req.Repeat, Ramp: req.Ramp}
	// A loop is sideman band's --loop FIRST-LAST --repeat N --ramp BPM.
	if l := strings.TrimSpace(req.Loop); l != "" {
		lr, err := band.ParseBarRange(l)
		if err != nil {
			fail(w, http.StatusBadRequest, fmt.Errorf("loop: %v", err))
			return
		}
		opt.Loop = lr
		if opt.Repeat == 0 {
			opt.Repeat = 4
		}
	}
	if t := strings.TrimSpace(string(req.Transpose)); t != "" && t != "null" && t != `""` && t != "0" {
		var ts string
		if err := json.Unmarshal(req.Transpose, &ts); err != nil {
			var n int
			if err := json.Unmarshal(req.Transpose, &n); err != nil {
				fail(w, http.StatusBadRequest, errors.New(`transpose: want a key ("Bb") or semitones (2, "-3")`))
				return
			}
			ts = fmt.Sprintf("%+d", n)
		}
		tr, err := music.ParseTransposition(ts)
		if err != nil {
			fail(w, http.StatusBadRequest, fmt.Errorf("transpose: %v", err))
			return
		}
		opt.Transpose = &tr
	}
	if strings.Contains(opt.Style, "/") || strings.Contains(opt.Style, "\\") || strings.HasSuffix(opt.Style, ".style") ||
		strings.Contains(opt.Feel, "/") || strings.Contains(opt.Feel, "\\") || strings.HasSuffix(opt.Feel, ".feel") {
		fail(w, http.StatusBadRequest, errors.New("style and feel are built-in names: the studio reads no files for a client"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	oc, err := s.chart(req.Chart)
	if err != nil {
		fail(w, status(err), err)
		return
	}
	opt.Tune = oc.chart.Title
	if len(oc.doc.Charts) == 1 {
		opt.Tune = ""
	}
	perf, err := s.proj.PlayDocument(r.Context(), oc.doc, opt)
	if err != nil {
		fail(w, status(err), err)
		return
	}
	if err := s.commit(r.Context()); err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	s.last, s.lastTx, s.score = perf.Piece, oc.chart.Title, perf.Score
	p := perf.Piece
	out := struct {
		Tempo   int        `json:"tempo"`
		BarMS   float64    `json:"bar_ms"`
		Bars    int        `json:"bars"`
		Summary any        `json:"summary"`
		Notes   []noteJSON `json:"notes"`
		// BarStartsMS is when each played bar starts (a tempo ramp makes
		// them uneven), and one more: when the last one ends.
		BarStartsMS []float64 `json:"bar_starts_ms"`
		Loop        *loopJSON `json:"loop,omitempty"`
	}{Tempo: perf.Summary.Tempo, Bars: perf.Summary.Bars, Summary: perf.Summary, Notes: []noteJSON{}}
	m := oc.chart.MeterOrDefault()
	out.BarMS = round3(1000 * p.Tempo.Seconds(m.BarTicks()))
	for i := range out.Bars + 1 {
		out.BarStartsMS = append(out.BarStartsMS, round3(1000*p.Tempo.Seconds(music.Ticks(i)*m.BarTicks())))
	}
	if !opt.Loop.IsZero() {
		out.Loop = &loopJSON{First: opt.Loop.First, Last: opt.Loop.Last, Repeat: opt.Repeat, Ramp: opt.Ramp}
	}
	for _, part := range p.Parts {
		for _, n := range part.Notes {
			start := 1000 * p.Tempo.Seconds(n.Start)
			out.Notes = append(out.Notes, noteJSON{ID: strconv.FormatUint(uint64(n.ID), 10), Part: part.Name, Channel: part.Channel,
				Program: part.Program, Pitch: n.Pitch, Velocity: n.Velocity, StartMS: round3(start),
				DurMS: round3(1000*p.Tempo.Seconds(n.End()) - start), Class: class(n.Origin)})
		}
	}
	reply(w, out)
}

// loopJSON is the loop a band played: written bars First to Last (from
// 1), Repeat times, Ramp beats a minute faster each time round.
type loopJSON struct {
	First  int `json:"first"`
	Last   int `json:"last"`
	Repeat int `json:"repeat"`
	Ramp   int `json:"ramp"`
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// soundfont serves the SoundFont the command found (never one a client
// names).
func (s *Server) soundfont(w http.ResponseWriter, r *http.Request) {
	if s.opt.SoundFont == "" {
		fail(w, http.StatusNotFound, errors.New("no SoundFont found: start the studio with --soundfont FILE.sf2 or install fluid-soundfont-gm"))
		return
	}
	f, err := os.Open(s.opt.SoundFont)
	if err != nil {
		fail(w, http.StatusNotFound, errors.New("the SoundFont cannot be read"))
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		fail(w, http.StatusNotFound, errors.New("the SoundFont cannot be read"))
		return
	}
	w.Header().Set("Content-Type", "audio/x-soundfont")
	w.Header().Set("Cache-Control", "max-age=3600")
	http.ServeContent(w, r, "soundfont.sf2", st.ModTime(), f)
}

// export writes the last band or trade as a MIDI file (carrying the
// ledger head), a MusicXML score or a WAV rendered with the studio's SoundFont (carrying
// its C2PA manifest when the project has an identity), or the project's
// authorship report (HTML); the file is recorded in the ledger as
// exported.
func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	s.mu.Lock()
	last, title, score := s.last, s.lastTx, s.score
	s.mu.Unlock()
	if last == nil {
		fail(w, http.StatusNotFound, errors.New("nothing to export yet: play the band or trade first"))
		return
	}
	var write func(io.Writer) error
	var name, ctype string
	isMIDI := false
	switch format {
	case "mid", "midi", "":
		name, ctype, isMIDI = "sideman.mid", "audio/midi", true
		write = func(w io.Writer) error { return midi.EncodePiece(w, last) }
	case "wav":
		sf, err := s.loadSoundFont()
		if err != nil {
			fail(w, status(err), err)
			return
		}
		// Rendered outside the project's lock: seconds of work that
		// another request need not wait for.
		var wav bytes.Buffer
		if err := s.proj.RenderPiece(title, last).Encode(r.Context(), &wav, project.RenderOptions{SoundFont: sf}); err != nil {
			fail(w, status(err), err)
			return
		}
		name, ctype = "sideman.wav", "audio/wav"
		write = func(w io.Writer) error { _, err := w.Write(wav.Bytes()); return err }
	case "musicxml", "xml":
		// A score for notation programs, of the notes as they are now
		// (edits and choices included): a band's on the grid as it
		// wrote them, with its chord symbols.
		name, ctype = "sideman.musicxml", "application/vnd.recordare.musicxml+xml"
		write = func(w io.Writer) error { return project.EncodePieceScore(w, title, project.ScoreNow(score, last)) }
	case "report":
		// The project's authorship report (sideman authorship report
		// --format html), written under the project's lock below.
		if s.proj.Ledger == nil {
			fail(w, http.StatusNotFound, errors.New("the studio is working outside a project: no ledger to report on"))
			return
		}
		name, ctype = "authorship.html", "text/html; charset=utf-8"
		write = func(w io.Writer) error {
			_, _, err := s.proj.AuthorshipReport(r.Context(), authorship.HTML, w, "")
			return err
		}
	default:
		fail(w, http.StatusBadRequest, fmt.Errorf("format %q: want mid, musicxml, wav or report", format))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var buf bytes.Buffer
	if err := s.proj.Ledger.Export(r.Context(), name, isMIDI, write)(&buf); err != nil {
		fail(w, status(err), err)
		return
	}
	if err := s.commit(r.Context()); err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, _ = w.Write(buf.Bytes())
}

// loadSoundFont loads the studio's SoundFont once, for WAV exports.
func (s *Server) loadSoundFont() (*render.SoundFont, error) {
	s.sfOnce.Do(func() {
		if s.opt.SoundFont == "" {
			s.sfErr = &project.Error{Kind: project.NotFound, Name: "soundfont", Err: errors.New("none found: start the studio with --soundfont FILE.sf2 or install fluid-soundfont-gm")}
			return
		}
		f, err := os.Open(s.opt.SoundFont)
		if err != nil {
			s.sfErr = &project.Error{Kind: project.NotFound, Name: "soundfont", Err: errors.New("the SoundFont cannot be read")}
			return
		}
		defer f.Close()
		if s.sf, err = render.LoadSoundFont(f); err != nil {
			s.sfErr = &project.Error{Kind: project.Internal, Name: "soundfont", Err: err}
		}
	})
	return s.sf, s.sfErr
}

// verify checks the project's ledger.
func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proj.Ledger == nil {
		fail(w, http.StatusNotFound, errors.New("the studio is working outside a project: no ledger to verify"))
		return
	}
	v, err := project.VerifyLedger(r.Context(), s.proj.Ledger.Root(), s.opt.PublicKey, "")
	if err != nil {
		reply(w, map[string]any{"ok": false, "error": oneLine(err.Error())})
		return
	}
	reply(w, map[string]any{"ok": true, "records": v.Records})
}
