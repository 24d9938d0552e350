package studio_test

// A test double of the studio server (package studio, `sideman studio`),
// built to the contract in docs/studio-protocol.md so that the page can be
// tested in a browser on its own: it serves web/ from disk, answers the
// HTTP API with data computed from the bundled charts (a plain band: bass
// on the beat, piano on one and three, a ride cymbal), and trades over
// /ws by developing the human's phrase (transposed and turned around). It
// is not the sideman: musical quality is no concern here, only that what
// the page receives follows the contract and depends on what was played.

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
	"math/bits"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"sideman/format/chart"
	"sideman/music"
)

type fakeStudio struct {
	mu      sync.Mutex
	charts  map[string]*music.Chart
	played  []fakeNote // the human's notes and the answers, for the exports
	records int
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
type fakeBar struct {
	Chords []fakeChordAt `json:"chords"`
}

func (f *fakeStudio) open(w http.ResponseWriter, r *http.Request) {
	var req struct{ Example, Text string }
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		httpError(w, 400, "open: "+err.Error())
		return
	}
	data := []byte(req.Text)
	if req.Example != "" {
		if strings.ContainsAny(req.Example, "/\\.") {
			httpError(w, 404, "no example "+req.Example)
			return
		}
		var err error
		if data, err = os.ReadFile("../examples/" + req.Example + ".chart"); err != nil {
			httpError(w, 404, "no example "+req.Example)
			return
		}
	}
	cs, err := chart.DecodeBytes(data)
	if err != nil || len(cs) == 0 {
		httpError(w, 400, fmt.Sprintf("the chart cannot be read: %v", err))
		return
	}
	c := cs[0]
	f.mu.Lock()
	id := fmt.Sprintf("c%d", len(f.charts)+1)
	f.charts[id] = c
	f.mu.Unlock()
	writeJSON(w, map[string]any{"id": id, "title": c.Title, "meter": []int{c.MeterOrDefault().Num, c.MeterOrDefault().Den},
		"tempo": c.Tempo, "key": c.KeyOrDefault().String(), "bars": fakeBars(c)})
}

func fakeBars(c *music.Chart) []fakeBar {
	var out []fakeBar
	for _, b := range c.Bars {
		fb := fakeBar{Chords: []fakeChordAt{}}
		for _, ch := range b.Chords {
			fb.Chords = append(fb.Chords, fakeChordAt{Beat: float64(ch.Offset) / music.PPQ, Symbol: ch.Chord.Symbol})
		}
		out = append(out, fb)
	}
	return out
}

func (f *fakeStudio) band(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Chart                      string
		Style                      string
		Tempo, Choruses, Transpose int
		Seed                       int64
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
	if req.Choruses <= 0 {
		req.Choruses = 1
	}
	beats := c.MeterOrDefault().Beats()
	beatMs := 60000 / float64(req.Tempo)
	barMs := beatMs * float64(beats)
	var notes []fakeNote
	add := func(part string, ch, prog, pitch, vel int, start, dur float64) {
		notes = append(notes, fakeNote{ID: fmt.Sprintf("b%d", len(notes)+1), Part: part, Channel: ch, Program: prog,
			Pitch: pitch, Velocity: vel, StartMs: start, DurMs: dur, Class: "M"})
	}
	var cur music.Chord
	n := 0
	for k := 0; k < req.Choruses; k++ {
		for _, b := range c.Bars {
			bar0 := float64(n) * barMs
			for beat := 0; beat < beats; beat++ {
				for _, ca := range b.Chords {
					if int(ca.Offset/music.PPQ) == beat && !ca.Chord.NoChord {
						cur = ca.Chord
					}
				}
				t := bar0 + float64(beat)*beatMs
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
			n++
		}
	}
	writeJSON(w, map[string]any{"tempo": req.Tempo, "bar_ms": barMs, "bars": n, "notes": notes})
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
	t := &fakeTrade{f: f, send: send}
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

type fakeTrade struct {
	f     *fakeStudio
	send  func(any)
	mu    sync.Mutex
	bars  int
	tempo float64
	beats int
	t0    float64 // the client's audio clock (ms) at the downbeat of bar 1
	on    map[int]*fakeNote
	notes []fakeNote // the human's, in order
	timer *time.Timer
	turn  int // the answer being prepared: 1, 2, ...
	// The client's audio clock (now_ms) when it sent the start message, and
	// this machine's clock when it arrived: how one maps onto the other.
	nowAtStart float64
	startWall  time.Time
}

func (t *fakeTrade) stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.timer != nil {
		t.timer.Stop()
	}
}

func (t *fakeTrade) receive(msg []byte) {
	var m struct {
		Type     string
		Chart    string
		Bars     int
		Tempo    float64
		TimeMs   float64 `json:"time_ms"`
		NowMs    float64 `json:"now_ms"`
		ID       string
		Pitch    int
		Velocity int
		On       bool
	}
	if err := json.Unmarshal(msg, &m); err != nil {
		t.send(map[string]string{"type": "error", "error": "bad message: " + err.Error()})
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	switch m.Type {
	case "trade":
		t.bars, t.tempo, t.beats = m.Bars, m.Tempo, 4
		t.f.mu.Lock()
		if c := t.f.charts[m.Chart]; c != nil {
			t.beats = c.MeterOrDefault().Beats()
		}
		t.f.mu.Unlock()
		t.on = map[int]*fakeNote{}
	case "start":
		t.t0, t.nowAtStart = m.TimeMs, m.NowMs
		if t.nowAtStart == 0 {
			t.nowAtStart = m.TimeMs
		}
		t.startWall = time.Now()
		t.turn = 0
		t.arm()
	case "note":
		if t.on == nil {
			return
		}
		if m.On {
			id := m.ID
			if id == "" {
				id = fmt.Sprintf("h%d", len(t.notes)+1)
			}
			t.notes = append(t.notes, fakeNote{ID: id, Pitch: m.Pitch, Velocity: m.Velocity, StartMs: m.TimeMs, DurMs: 100, Class: "H"})
			t.on[m.Pitch] = &t.notes[len(t.notes)-1]
		} else if n := t.on[m.Pitch]; n != nil {
			n.DurMs = max(20, m.TimeMs-n.StartMs)
			delete(t.on, m.Pitch)
		}
	}
}

func (t *fakeTrade) barMs() float64 { return 60000 / t.tempo * float64(t.beats) }

// arm sets the timer for the next answer: answerLead before its downbeat
// (bar 2*bars*turn+bars+1), reckoned on the client's clock.
func (t *fakeTrade) arm() {
	t.turn++
	bar := (2*t.turn-1)*t.bars + 1
	downbeat := t.t0 + float64(bar-1)*t.barMs()
	// The client's clock runs on from the start message at the same rate as ours.
	fire := time.Duration((downbeat-t.nowAtStart)*float64(time.Millisecond)) - t.f.answerLead
	t.timer = time.AfterFunc(time.Until(t.startWall.Add(fire)), func() { t.answer(bar, downbeat) })
}

// answer develops the phrase the human played in the bars before bar: the
// same rhythm a bar's turn later, the pitches turned around (retrograde)
// and moved up a whole step.
func (t *fakeTrade) answer(bar int, downbeat float64) {
	begin := time.Now()
	t.mu.Lock()
	from := downbeat - float64(t.bars)*t.barMs()
	var phrase []fakeNote
	for _, n := range t.notes {
		if n.StartMs >= from && n.StartMs < downbeat {
			phrase = append(phrase, n)
		}
	}
	sort.Slice(phrase, func(i, j int) bool { return phrase[i].StartMs < phrase[j].StartMs })
	var notes []fakeNote
	var expl []map[string]any
	if len(phrase) > 0 {
		first := phrase[0].StartMs
		for i, n := range phrase {
			src := phrase[len(phrase)-1-i]
			a := fakeNote{ID: fmt.Sprintf("m%d.%d", bar, i+1), Pitch: src.Pitch + 2, Velocity: n.Velocity,
				StartMs: downbeat + (n.StartMs - first), DurMs: n.DurMs, Class: "M"}
			notes = append(notes, a)
			expl = append(expl, map[string]any{"op": "retrograde", "detail": fmt.Sprintf("your note %d of %d, a whole step up, in turn %d", len(phrase)-i, len(phrase), i+1),
				"from": []string{src.ID}, "to": []string{a.ID}})
		}
	} else {
		for i, p := range []int{60, 64, 67, 70} {
			notes = append(notes, fakeNote{ID: fmt.Sprintf("m%d.%d", bar, i+1), Pitch: p, Velocity: 90,
				StartMs: downbeat + float64(i)*t.barMs()/4, DurMs: t.barMs() / 4, Class: "M"})
		}
		expl = append(expl, map[string]any{"op": "arpeggio", "detail": "nothing to develop: the chord's tones"})
	}
	t.arm()
	t.mu.Unlock()
	t.f.mu.Lock()
	t.f.played = append(t.f.played, phrase...)
	t.f.played = append(t.f.played, notes...)
	t.f.records += len(phrase) + len(notes)
	t.f.mu.Unlock()
	t.send(map[string]any{"type": "answer", "bar": bar, "notes": notes, "explanation": expl,
		"compute_ms": float64(time.Since(begin).Microseconds()) / 1000})
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
