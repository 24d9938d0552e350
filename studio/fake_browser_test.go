package studio_test

// A test double of the studio server (package studio, `sideman studio`),
// built to the contract in docs/studio-protocol.md so that the page can be
// tested in a browser on its own: it serves web/ from disk, answers the
// HTTP API with data computed from the bundled charts (a plain band: bass
// on the beat, piano on one and three, a ride cymbal; loops with their
// ramp), opens pasted text and imported files ({"name", "data"}) with
// package load, and trades over /ws as the protocol says: "trading",
// "noted" for each note-on, a "sketch" or two of the coming answer before
// each "answer" (with its downbeat, cutoff and the notes it heard),
// answers by the soloist (the human's phrase turned around, a whole step
// up) or by the drummer ("with": "drums", strokes on channel 9), over the
// chart or the band's loop ("loop", "repeat", "ramp"), and "end" when the
// trade is stopped or has no turn left. It is not the sideman: musical
// quality is no concern here, only that what the page receives follows
// the contract and depends on what was played.

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"sideman/format/chart"
	"sideman/harmony"
	"sideman/load"
	"sideman/music"
)

type fakeStudio struct {
	mu      sync.Mutex
	charts  map[string]*music.Chart
	played  []fakeNote // the human's notes and the answers, for the exports
	records int
	ids     uint64 // note ids given, numbers as the project's are
	// answerLead is how long before the answer's downbeat the fake sends it.
	answerLead time.Duration
}

type fakeNote struct {
	ID       string  `json:"id"`
	Part     string  `json:"part,omitempty"`
	Channel  int     `json:"channel"`
	Program  int     `json:"program"`
	Pitch    int     `json:"pitch"`
	Velocity int     `json:"velocity"`
	StartMs  float64 `json:"start_ms"`
	DurMs    float64 `json:"duration_ms"`
	Class    string  `json:"class,omitempty"`
}

func newFakeStudio() *fakeStudio {
	return &fakeStudio{charts: map[string]*music.Chart{}, answerLead: 150 * time.Millisecond}
}

// newID gives a note id, a number as the project's ledger gives them.
func (f *fakeStudio) newID() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ids++
	return strconv.FormatUint(f.ids, 10)
}

func (f *fakeStudio) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir("web")))
	mux.HandleFunc("GET /api/examples", f.examples)
	mux.HandleFunc("GET /api/styles", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, []string{"medium swing", "bossa nova", "ballad"})
	})
	mux.HandleFunc("POST /api/open", f.open)
	mux.HandleFunc("POST /api/band", f.band)
	mux.HandleFunc("GET /api/soundfont", func(w http.ResponseWriter, r *http.Request) {
		for _, p := range []string{"/usr/share/sounds/sf2/TimGM6mb.sf2", "/usr/share/sounds/sf2/FluidR3_GM.sf2"} {
			if _, err := os.Stat(p); err == nil {
				http.ServeFile(w, r, p)
				return
			}
		}
		httpError(w, 404, "no SoundFont found (install timgm6mb-soundfont)")
	})
	mux.HandleFunc("GET /api/export", f.export)
	mux.HandleFunc("GET /api/ledger/verify", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		writeJSON(w, map[string]any{"ok": true, "records": f.records})
	})
	mux.HandleFunc("/ws", f.ws)
	return mux
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func httpError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

func (f *fakeStudio) examples(w http.ResponseWriter, r *http.Request) {
	files, _ := filepath.Glob("../examples/*.chart")
	out := []map[string]string{}
	for _, p := range files {
		name := strings.TrimSuffix(filepath.Base(p), ".chart")
		title := name
		if data, err := os.ReadFile(p); err == nil {
			if cs, err := chart.DecodeBytes(data); err == nil && len(cs) > 0 && cs[0].Title != "" {
				title = cs[0].Title
			}
		}
		out = append(out, map[string]string{"name": name, "title": title})
	}
	writeJSON(w, out)
}

type fakeChordAt struct {
	Beat   float64 `json:"beat"`
	Symbol string  `json:"symbol"`
}
type fakeMelody struct {
	Pitch int     `json:"pitch"`
	Beat  float64 `json:"beat"`
	Beats float64 `json:"beats"`
}
type fakeBar struct {
	Section     string        `json:"section,omitempty"`
	Chords      []fakeChordAt `json:"chords"`
	RepeatStart bool          `json:"repeat_start,omitempty"`
	RepeatEnd   int           `json:"repeat_end,omitempty"`
	Ending      uint8         `json:"ending,omitempty"`
	Melody      []fakeMelody  `json:"melody,omitempty"`
}

// open opens a bundled example, pasted text or an imported file
// ({"name", "data"}: base64 bytes), read by package load as the server
// reads them; a MIDI file's chords are heard by package harmony. The fake
// echoes what it was given: the tune's title, else the file's name.
func (f *fakeStudio) open(w http.ResponseWriter, r *http.Request) {
	var req struct{ Example, Text, Name, Data, Tune string }
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		httpError(w, 400, "open: "+err.Error())
		return
	}
	name, data := "pasted text", []byte(req.Text)
	switch {
	case req.Example != "":
		if strings.ContainsAny(req.Example, "/\\.") {
			httpError(w, 404, "no example "+req.Example)
			return
		}
		var err error
		name = req.Example + ".chart"
		if data, err = os.ReadFile("../examples/" + name); err != nil {
			httpError(w, 404, "no example "+req.Example)
			return
		}
	case req.Name != "":
		name = filepath.Base(strings.ReplaceAll(req.Name, "\\", "/"))
		b64 := req.Data
		if i := strings.Index(b64, ";base64,"); strings.HasPrefix(b64, "data:") && i >= 0 {
			b64 = b64[i+len(";base64,"):]
		}
		var err error
		if data, err = base64.StdEncoding.DecodeString(b64); err != nil || len(data) == 0 {
			if err == nil {
				err = errors.New("empty")
			}
			httpError(w, 400, fmt.Sprintf("%s: data is not base64: %v", name, err))
			return
		}
	}
	doc, err := load.Bytes(name, data)
	if err != nil {
		httpError(w, 400, fmt.Sprintf("%s: the chart cannot be read: %v", name, err))
		return
	}
	var c *music.Chart
	if doc.Piece != nil && len(doc.Charts) == 0 {
		c, err = harmony.Chart(doc.Piece)
	} else {
		c, err = doc.Tune(req.Tune)
	}
	var choice *load.ChoiceError
	switch {
	case errors.As(err, &choice):
		httpError(w, 400, fmt.Sprintf("%s: holds %d tunes; choose one by title or index", name, choice.Tunes))
		return
	case err != nil || c == nil || len(c.Bars) == 0:
		httpError(w, 400, fmt.Sprintf("%s: the chart cannot be read: %v", name, err))
		return
	}
	if c.Title == "" {
		c.Title = strings.TrimSuffix(name, filepath.Ext(name))
	}
	f.mu.Lock()
	id := fmt.Sprintf("c%d", len(f.charts)+1)
	f.charts[id] = c
	f.mu.Unlock()
	writeJSON(w, map[string]any{"id": id, "title": c.Title, "meter": []int{c.MeterOrDefault().Num, c.MeterOrDefault().Den},
		"tempo": c.Tempo, "key": c.KeyOrDefault().String(), "bars": fakeBars(c)})
}

func fakeBars(c *music.Chart) []fakeBar {
	var out []fakeBar
	beat := float64(c.MeterOrDefault().BeatTicks())
	for _, b := range c.Bars {
		fb := fakeBar{Section: b.Section, Chords: []fakeChordAt{}, RepeatStart: b.RepeatStart, RepeatEnd: b.RepeatEnd, Ending: b.Ending}
		for _, ch := range b.Chords {
			fb.Chords = append(fb.Chords, fakeChordAt{Beat: float64(ch.Offset) / beat, Symbol: ch.Chord.String()})
		}
		for _, n := range b.Notes {
			fb.Melody = append(fb.Melody, fakeMelody{Pitch: int(n.Pitch), Beat: float64(n.Start) / beat, Beats: float64(n.Duration) / beat})
		}
		out = append(out, fb)
	}
	return out
}

// fakePlayed is one bar as the band plays it: which bar of the chart
// (from 0), at what tempo, from when (ms from the downbeat of bar 1).
type fakePlayed struct {
	bar     int
	tempo   float64
	startMs float64
}

// fakeLoop is a loop as /api/band and the trade take it.
type fakeLoop struct {
	First  int `json:"first"`
	Last   int `json:"last"`
	Repeat int `json:"repeat"`
	Ramp   int `json:"ramp"`
}

// fakePlan lays out the bars the band plays: the chart choruses times at
// tempo, or with a loop ("9-12", written bars from 1) its bars repeat
// times round, ramp beats a minute faster each time. It gives the bars and
// when the last one ends; a loop the chart cannot play is one line, as
// the server words it.
func fakePlan(c *music.Chart, tempo float64, choruses int, loop string, repeat, ramp int) ([]fakePlayed, float64, *fakeLoop, error) {
	beats := float64(c.MeterOrDefault().Beats())
	var plan []fakePlayed
	at := 0.0
	add := func(bar int, bpm float64) {
		plan = append(plan, fakePlayed{bar: bar, tempo: bpm, startMs: at})
		at += beats * 60000 / bpm
	}
	loop = strings.TrimSpace(loop)
	if loop == "" {
		for k := 0; k < max(1, choruses); k++ {
			for b := range c.Bars {
				add(b, tempo)
			}
		}
		return plan, at, nil, nil
	}
	var l fakeLoop
	if _, err := fmt.Sscanf(loop, "%d-%d", &l.First, &l.Last); err != nil {
		if _, err := fmt.Sscanf(loop, "%d", &l.First); err != nil {
			return nil, 0, nil, fmt.Errorf("loop %s: want bars such as 9-12", loop)
		}
		l.Last = l.First
	}
	if l.First < 1 || l.Last < l.First || l.Last > len(c.Bars) {
		return nil, 0, nil, fmt.Errorf("loop %s: %q has %d bars", loop, c.Title, len(c.Bars))
	}
	if l.Repeat = repeat; l.Repeat == 0 {
		l.Repeat = 4
	}
	if l.Repeat < 1 || l.Repeat > 256 {
		return nil, 0, nil, fmt.Errorf("repeat %d: want 1 to 256", repeat)
	}
	l.Ramp = ramp
	if top := tempo + float64((l.Repeat-1)*ramp); top < 20 || top > 400 {
		return nil, 0, nil, fmt.Errorf("ramp %+d: %.0f bpm over %d times round reaches %.0f bpm; want 20 to 400", ramp, tempo, l.Repeat, top)
	}
	for k := 0; k < l.Repeat; k++ {
		for b := l.First - 1; b < l.Last; b++ {
			add(b, tempo+float64(k*ramp))
		}
	}
	return plan, at, &l, nil
}

func (f *fakeStudio) band(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Chart                      string
		Style                      string
		Tempo, Choruses, Transpose int
		Seed                       int64
		Loop                       string
		Repeat, Ramp               int
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		httpError(w, 400, "band: "+err.Error())
		return
	}
	f.mu.Lock()
	c := f.charts[req.Chart]
	f.mu.Unlock()
	if c == nil {
		httpError(w, 404, "no open chart "+req.Chart)
		return
	}
	if req.Tempo <= 0 {
		req.Tempo = 120
	}
	plan, end, loop, err := fakePlan(c, float64(req.Tempo), req.Choruses, req.Loop, req.Repeat, req.Ramp)
	if err != nil {
		httpError(w, 400, err.Error())
		return
	}
	beats := c.MeterOrDefault().Beats()
	var notes []fakeNote
	add := func(part string, ch, prog, pitch, vel int, start, dur float64) {
		notes = append(notes, fakeNote{ID: fmt.Sprintf("b%d", len(notes)+1), Part: part, Channel: ch, Program: prog,
			Pitch: pitch, Velocity: vel, StartMs: start, DurMs: dur, Class: "M"})
	}
	var cur music.Chord
	var starts []float64
	for _, pb := range plan {
		b := c.Bars[pb.bar]
		beatMs := 60000 / pb.tempo
		starts = append(starts, pb.startMs)
		for beat := 0; beat < beats; beat++ {
			for _, ca := range b.Chords {
				if int(ca.Offset/music.PPQ) == beat && !ca.Chord.NoChord {
					cur = ca.Chord
				}
			}
			t := pb.startMs + float64(beat)*beatMs
			add("drums", 9, 0, 51, 80, t, beatMs/2)
			if cur.Symbol == "" {
				continue
			}
			root := (cur.Root.PitchClass() + req.Transpose + 12) % 12
			bass := 36 + root
			if beat%2 == 1 {
				bass += 7
			}
			add("bass", 1, 32, bass, 95, t, beatMs*0.9)
			if beat%2 == 0 {
				pcs := cur.PitchClasses()
				for pc := 0; pc < 12; pc++ {
					if pcs&(1<<pc) != 0 {
						add("piano", 0, 0, 60+(pc+req.Transpose+12)%12, 70, t, beatMs*1.5)
					}
				}
			}
		}
	}
	out := map[string]any{"tempo": req.Tempo, "bar_ms": float64(beats) * 60000 / float64(req.Tempo), "bars": len(plan),
		"bar_starts_ms": append(starts, end), "notes": notes}
	if loop != nil {
		out["loop"] = loop
	}
	writeJSON(w, out)
}

// ---- the trade, over a minimal websocket (RFC 6455, text frames only) ----

func (f *fakeStudio) ws(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Sec-WebSocket-Key")
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") || key == "" {
		httpError(w, 400, "websocket upgrade expected")
		return
	}
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	fmt.Fprintf(rw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
		base64.StdEncoding.EncodeToString(sum[:]))
	rw.Flush()
	var wmu sync.Mutex
	send := func(v any) {
		b, _ := json.Marshal(v)
		wmu.Lock()
		defer wmu.Unlock()
		writeFrame(conn, b)
	}
	t := &fakeTrade{f: f, send: send, close: func() { conn.Close() }}
	defer t.stop()
	for {
		msg, err := readFrame(rw.Reader)
		if err != nil {
			return
		}
		t.receive(msg)
	}
}

func writeFrame(w io.Writer, payload []byte) error {
	hdr := []byte{0x81}
	switch n := len(payload); {
	case n < 126:
		hdr = append(hdr, byte(n))
	case n < 1<<16:
		hdr = append(hdr, 126, byte(n>>8), byte(n))
	default:
		hdr = append(hdr, 127)
		hdr = binary.BigEndian.AppendUint64(hdr, uint64(n))
	}
	_, err := w.Write(append(hdr, payload...))
	return err
}

func readFrame(r *bufio.Reader) ([]byte, error) {
	var msg []byte
	for {
		var h [2]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return nil, err
		}
		op, n := h[0]&0x0f, uint64(h[1]&0x7f)
		switch n {
		case 126:
			var b [2]byte
			if _, err := io.ReadFull(r, b[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			if _, err := io.ReadFull(r, b[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(b[:])
		}
		if n > 1<<20 {
			return nil, errors.New("frame too large")
		}
		var mask [4]byte
		if h[1]&0x80 != 0 {
			if _, err := io.ReadFull(r, mask[:]); err != nil {
				return nil, err
			}
		}
		p := make([]byte, n)
		if _, err := io.ReadFull(r, p); err != nil {
			return nil, err
		}
		for i := range p {
			p[i] ^= mask[i%4]
		}
		if op == 8 {
			return nil, io.EOF
		}
		if op == 9 || op == 10 {
			continue
		}
		msg = append(msg, p...)
		if h[0]&0x80 != 0 {
			return msg, nil
		}
	}
}

// fakeAnswerNote is a note of an answer or a sketch on the wire: the
// soloist's carry no channel, the drummer's channel 9.
type fakeAnswerNote struct {
	ID       string  `json:"id"`
	Pitch    int     `json:"pitch"`
	Velocity int     `json:"velocity"`
	StartMs  float64 `json:"start_ms"`
	DurMs    float64 `json:"duration_ms"`
	Channel  int     `json:"channel,omitempty"`
}

type fakeTrade struct {
	f           *fakeStudio
	send        func(any)
	close       func() // ends the connection (after the last turn's answer)
	mu          sync.Mutex
	bars        int
	with        string // "soloist" or "drums"
	beats       int
	plan        []fakePlayed // the bars played (the chart repeated, or a loop)
	end         float64      // when the last of them ends (ms from bar 1)
	t0          float64      // the client's audio clock (ms) at the downbeat of bar 1
	on          map[int]*fakeNote
	notes       []*fakeNote     // the human's, in order
	heard       map[string]bool // the human's notes an answer has heard
	sketchIDs   uint64          // sketch note ids given
	timer       *time.Timer
	sketchTimer *time.Timer
	lastSketch  float64 // client time of the last note that brought a sketch
	turn        int     // the answer being prepared: 1, 2, ...
	over        bool
	// The client's audio clock (now_ms) when it sent the start message, and
	// this machine's clock when it arrived: how one maps onto the other;
	// minDelay is the fastest message's arrival less its time_ms.
	nowAtStart float64
	startWall  time.Time
	minDelay   float64
}

func (t *fakeTrade) stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.over = true
	if t.timer != nil {
		t.timer.Stop()
	}
	if t.sketchTimer != nil {
		t.sketchTimer.Stop()
	}
}

// clientNow is the client's clock now, as the start message set it.
func (t *fakeTrade) clientNow() float64 {
	return t.nowAtStart + float64(time.Since(t.startWall))/float64(time.Millisecond)
}

// lag is how much later than the fastest message one sent at timeMs came.
func (t *fakeTrade) lag(timeMs float64) float64 {
	d := t.clientNow() - timeMs
	t.minDelay = min(t.minDelay, d)
	return d - t.minDelay
}

func (t *fakeTrade) receive(msg []byte) {
	var m struct {
		Type         string
		Chart        string
		Bars         int
		Tempo        float64
		With         string
		Loop         string
		Repeat, Ramp int
		TimeMs       float64 `json:"time_ms"`
		NowMs        float64 `json:"now_ms"`
		Pitch        int
		Velocity     int
		On           bool
	}
	if err := json.Unmarshal(msg, &m); err != nil {
		t.send(map[string]string{"type": "error", "error": "bad message: " + err.Error()})
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	fail := func(msg string) { t.send(map[string]string{"type": "error", "error": msg}) }
	switch m.Type {
	case "trade":
		if m.With == "" {
			m.With = "soloist"
		}
		if m.With != "soloist" && m.With != "drums" {
			fail(fmt.Sprintf(`with %q: want "soloist" or "drums"`, m.With))
			return
		}
		if m.Bars <= 0 {
			fail(fmt.Sprintf("bars %d: want 4 or 8", m.Bars))
			return
		}
		t.f.mu.Lock()
		c := t.f.charts[m.Chart]
		t.f.mu.Unlock()
		if c == nil {
			fail(fmt.Sprintf("chart %q: not open (POST /api/open first)", m.Chart))
			return
		}
		tempo := math.Round(m.Tempo)
		if tempo <= 0 {
			tempo = float64(c.Tempo)
		}
		if tempo <= 0 {
			tempo = 120
		}
		// The chart repeated to at least 128 bars, or the band's loop.
		choruses := (128 + len(c.Bars) - 1) / len(c.Bars)
		plan, end, _, err := fakePlan(c, tempo, choruses, m.Loop, m.Repeat, m.Ramp)
		if err != nil {
			fail(err.Error())
			return
		}
		t.bars, t.with, t.beats, t.plan, t.end = m.Bars, m.With, c.MeterOrDefault().Beats(), plan, end
		t.on, t.heard = map[int]*fakeNote{}, map[string]bool{}
		t.send(map[string]any{"type": "trading", "bars": t.bars, "model": "fake"})
	case "start":
		if t.plan == nil {
			fail(`start before trade: send {"type": "trade", ...} first`)
			return
		}
		t.t0, t.nowAtStart = m.TimeMs, m.NowMs
		if t.nowAtStart == 0 {
			t.nowAtStart = m.TimeMs
		}
		t.startWall = time.Now()
		t.turn = 0
		t.arm()
	case "note":
		if t.startWall.IsZero() {
			fail(`note before start: send {"type": "start", "time_ms": T} first`)
			return
		}
		if m.On {
			n := &fakeNote{ID: t.f.newID(), Pitch: m.Pitch, Velocity: m.Velocity, StartMs: m.TimeMs, DurMs: 100, Class: "H"}
			t.notes = append(t.notes, n)
			t.on[m.Pitch] = n
			t.send(map[string]any{"type": "noted", "id": n.ID, "pitch": m.Pitch, "time_ms": m.TimeMs, "lag_ms": t.lag(m.TimeMs)})
			// The coming answer as it forms, at most once a beat.
			if bar, down, ok := t.next(); ok && m.TimeMs-t.lastSketch >= 60000/t.plan[bar-1].tempo && m.TimeMs < down-float64(t.f.answerLead.Milliseconds()) {
				t.lastSketch = m.TimeMs
				t.sendSketch(bar, down)
			}
		} else if n := t.on[m.Pitch]; n != nil {
			n.DurMs = max(20, m.TimeMs-n.StartMs)
			delete(t.on, m.Pitch)
		}
	case "ping":
		t.send(map[string]any{"type": "pong", "time_ms": m.TimeMs, "lag_ms": t.lag(m.TimeMs)})
	case "stop":
		t.over = true
		if t.timer != nil {
			t.timer.Stop()
		}
		if t.sketchTimer != nil {
			t.sketchTimer.Stop()
		}
		t.send(map[string]any{"type": "end", "reason": "stopped"})
	}
}

// next is the coming answer's first bar (from 1) and its downbeat on the
// client's clock; false when the bars played hold no sideman's turn more.
func (t *fakeTrade) next() (bar int, downbeat float64, ok bool) {
	bar = (2*t.turn-1)*t.bars + 1
	if bar+t.bars-1 > len(t.plan) {
		return 0, 0, false
	}
	return bar, t.t0 + t.plan[bar-1].startMs, true
}

// arm sets the timers for the next answer: its sketch shortly before the
// cutoff, and the answer at the cutoff, answerLead before its downbeat,
// reckoned on the client's clock.
func (t *fakeTrade) arm() {
	t.turn++
	bar, downbeat, ok := t.next()
	if !ok || t.over {
		return
	}
	// The client's clock runs on from the start message at the same rate as ours.
	fire := time.Duration((downbeat-t.nowAtStart)*float64(time.Millisecond)) - t.f.answerLead
	t.sketchTimer = time.AfterFunc(time.Until(t.startWall.Add(fire-40*time.Millisecond)), func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		if !t.over {
			t.sendSketch(bar, downbeat)
		}
	})
	t.timer = time.AfterFunc(time.Until(t.startWall.Add(fire)), func() { t.answer(bar, downbeat) })
}

// compose is the answer the notes heard so far would get (t.mu held): the
// ids of those not yet heard by an answer, and the answer developed from
// the ones played in the turn before bar: the soloist plays the phrase
// turned around (retrograde) a whole step up in its rhythm; the drummer
// plays its rhythm on the snare, the bass drum and a crash on the
// downbeat and the hi-hat pedal on 2 and 4.
func (t *fakeTrade) compose(bar int, downbeat float64, sketch bool) (heard []string, notes []fakeAnswerNote, expl []map[string]any) {
	from := t.t0 + t.plan[bar-1-t.bars].startMs
	// The fake hears a note by its time (the client's clock) against the
	// cutoff, where the server hears it by its arrival: a timer fired late
	// on a loaded machine does not change what the fake hears.
	cutoff := downbeat - float64(t.f.answerLead.Milliseconds())
	var phrase []*fakeNote
	for _, n := range t.notes {
		if t.heard[n.ID] || n.StartMs >= cutoff {
			continue
		}
		heard = append(heard, n.ID)
		if n.StartMs >= from && n.StartMs < downbeat {
			phrase = append(phrase, n)
		}
	}
	sort.SliceStable(phrase, func(i, j int) bool { return phrase[i].StartMs < phrase[j].StartMs })
	// A sketch's ids are its own, from 2^53 up, never an answer's.
	id := func() string {
		if sketch {
			t.sketchIDs++
			return strconv.FormatUint(1<<53+t.sketchIDs, 10)
		}
		return t.f.newID()
	}
	var ids []string
	if t.with == "drums" {
		stroke := func(pitch, vel int, at, dur float64) {
			notes = append(notes, fakeAnswerNote{ID: id(), Pitch: pitch, Velocity: vel, StartMs: at, DurMs: dur, Channel: 9})
			ids = append(ids, notes[len(notes)-1].ID)
		}
		stroke(36, 102, downbeat, 40)
		stroke(49, 102, downbeat, 300)
		var phraseIDs []string
		for _, n := range phrase {
			if at := downbeat + (n.StartMs - phrase[0].StartMs); at > downbeat {
				stroke(38, n.Velocity, at, 40)
			}
			phraseIDs = append(phraseIDs, n.ID)
		}
		if len(phrase) > 0 {
			expl = append(expl, map[string]any{"op": "restate", "detail": fmt.Sprintf("the rhythm of your %d notes on the snare, the bass drum and a crash on the downbeat", len(phrase)),
				"from": phraseIDs, "to": ids})
		} else {
			expl = append(expl, map[string]any{"op": "downbeat", "detail": "nothing to develop: the bass drum and a crash on the downbeat", "from": []string{}, "to": ids})
		}
		for b := bar - 1; b < bar-1+t.bars; b++ {
			beatMs := 60000 / t.plan[b].tempo
			for k := 1; k < t.beats; k += 2 {
				notes = append(notes, fakeAnswerNote{ID: id(), Pitch: 44, Velocity: 70, StartMs: t.t0 + t.plan[b].startMs + float64(k)*beatMs, DurMs: 40, Channel: 9})
			}
		}
		sort.SliceStable(notes, func(i, j int) bool { return notes[i].StartMs < notes[j].StartMs })
		return heard, notes, expl
	}
	if len(phrase) > 0 {
		first := phrase[0].StartMs
		for i, n := range phrase {
			src := phrase[len(phrase)-1-i]
			notes = append(notes, fakeAnswerNote{ID: id(), Pitch: src.Pitch + 2, Velocity: n.Velocity,
				StartMs: downbeat + (n.StartMs - first), DurMs: n.DurMs})
			expl = append(expl, map[string]any{"op": "retrograde", "detail": fmt.Sprintf("your note %d of %d, a whole step up, in turn %d", len(phrase)-i, len(phrase), i+1),
				"from": []string{src.ID}, "to": []string{notes[i].ID}})
		}
		return heard, notes, expl
	}
	barMs := t.plan[bar].startMs - t.plan[bar-1].startMs
	if bar == len(t.plan) {
		barMs = t.end - t.plan[bar-1].startMs
	}
	for i, p := range []int{60, 64, 67, 70} {
		notes = append(notes, fakeAnswerNote{ID: id(), Pitch: p, Velocity: 90, StartMs: downbeat + float64(i)*barMs/4, DurMs: barMs / 4})
	}
	expl = append(expl, map[string]any{"op": "arpeggio", "detail": "nothing to develop: the chord's tones", "from": []string{}, "to": []string{}})
	return heard, notes, expl
}

// sendSketch sends the coming answer as it stands (t.mu held): the
// answer's fields, ids of its own, nothing recorded.
func (t *fakeTrade) sendSketch(bar int, downbeat float64) {
	begin := time.Now()
	heard, notes, expl := t.compose(bar, downbeat, true)
	t.send(map[string]any{"type": "sketch", "bar": bar, "to_bar": bar + t.bars - 1, "downbeat_ms": downbeat,
		"cutoff_ms": downbeat - float64(t.f.answerLead.Milliseconds()), "notes": notes, "explanation": expl,
		"heard": heard, "compute_ms": float64(time.Since(begin).Microseconds()) / 1000})
}

// answer sends the answer at the cutoff: every note struck before it is
// heard (a note after it waits for the next answer), and the answer is
// recorded with the phrase; after the last turn's answer the trade ends.
func (t *fakeTrade) answer(bar int, downbeat float64) {
	begin := time.Now()
	t.mu.Lock()
	if t.over {
		t.mu.Unlock()
		return
	}
	heard, notes, expl := t.compose(bar, downbeat, false)
	var played []fakeNote
	for _, n := range t.notes {
		if slices.Contains(heard, n.ID) {
			t.heard[n.ID] = true
			played = append(played, *n)
		}
	}
	for _, n := range notes {
		played = append(played, fakeNote{ID: n.ID, Channel: n.Channel, Pitch: n.Pitch, Velocity: n.Velocity, StartMs: n.StartMs, DurMs: n.DurMs, Class: "M"})
	}
	t.arm()
	_, _, more := t.next()
	cutoff := downbeat - float64(t.f.answerLead.Milliseconds())
	queued := t.clientNow()
	t.mu.Unlock()
	t.f.mu.Lock()
	t.f.played = append(t.f.played, played...)
	t.f.records += len(played)
	t.f.mu.Unlock()
	t.send(map[string]any{"type": "answer", "bar": bar, "to_bar": bar + t.bars - 1, "downbeat_ms": downbeat, "cutoff_ms": cutoff,
		"notes": notes, "explanation": expl, "heard": heard, "compute_ms": float64(time.Since(begin).Microseconds()) / 1000, "queued_ms": queued})
	if !more {
		t.send(map[string]any{"type": "end", "reason": "the chart has no sideman's turn left"})
		t.close()
	}
}

// ---- exports ----

func (f *fakeStudio) export(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	notes := append([]fakeNote(nil), f.played...)
	f.mu.Unlock()
	switch r.URL.Query().Get("format") {
	case "mid":
		w.Header().Set("Content-Type", "audio/midi")
		w.Header().Set("Content-Disposition", `attachment; filename="studio.mid"`)
		w.Write(fakeSMF(notes))
	case "wav":
		w.Header().Set("Content-Type", "audio/wav")
		w.Header().Set("Content-Disposition", `attachment; filename="studio.wav"`)
		w.Write(fakeWAV())
	case "report":
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Disposition", `attachment; filename="studio-report.txt"`)
		h, m := 0, 0
		for _, n := range notes {
			if n.Class == "H" {
				h++
			} else {
				m++
			}
		}
		fmt.Fprintf(w, "notes: %d human (H), %d machine (M)\n", h, m)
	default:
		httpError(w, 400, "format must be mid, wav or report")
	}
}

// fakeSMF writes notes as a format 0 file, 480 ticks a quarter at 120 bpm
// (1 ms = 0.96 ticks), times from the earliest note.
func fakeSMF(notes []fakeNote) []byte {
	type ev struct {
		tick int
		b    []byte
	}
	var evs []ev
	t0 := 0.0
	for i, n := range notes {
		if i == 0 || n.StartMs < t0 {
			t0 = n.StartMs
		}
	}
	for _, n := range notes {
		ch := byte(0)
		if n.Class != "H" {
			ch = 1
		}
		on := int((n.StartMs - t0) * 0.96)
		evs = append(evs, ev{on, []byte{0x90 | ch, byte(n.Pitch), byte(max(1, n.Velocity))}},
			ev{on + max(1, int(n.DurMs*0.96)), []byte{0x80 | ch, byte(n.Pitch), 0}})
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].tick < evs[j].tick })
	var trk bytes.Buffer
	last := 0
	for _, e := range evs {
		trk.Write(varint(e.tick - last))
		trk.Write(e.b)
		last = e.tick
	}
	trk.Write([]byte{0, 0xff, 0x2f, 0})
	var out bytes.Buffer
	out.WriteString("MThd")
	binary.Write(&out, binary.BigEndian, []uint32{6})
	binary.Write(&out, binary.BigEndian, []uint16{0, 1, 480})
	out.WriteString("MTrk")
	binary.Write(&out, binary.BigEndian, uint32(trk.Len()))
	out.Write(trk.Bytes())
	return out.Bytes()
}

func varint(v int) []byte {
	n := (bits.Len(uint(v)) + 6) / 7
	if n == 0 {
		n = 1
	}
	out := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		out[i] = byte(v & 0x7f)
		if i != n-1 {
			out[i] |= 0x80
		}
		v >>= 7
	}
	return out
}

// fakeWAV is a tenth of a second of silence, 16-bit mono at 44.1 kHz.
func fakeWAV() []byte {
	data := make([]byte, 8820)
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+len(data)))
	b.WriteString("WAVEfmt ")
	binary.Write(&b, binary.LittleEndian, []uint32{16})
	binary.Write(&b, binary.LittleEndian, []uint16{1, 1})
	binary.Write(&b, binary.LittleEndian, []uint32{44100, 88200})
	binary.Write(&b, binary.LittleEndian, []uint16{2, 16})
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(len(data)))
	b.Write(data)
	return b.Bytes()
}
