package studio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coder/websocket"

	"sideman/band"
	"sideman/improv/trade"
	"sideman/music"
	"sideman/project"
)

// Messages of the wire protocol (docs/studio-protocol.md). A client
// message is one JSON object; its "type" says which fields it uses.
type clientMsg struct {
	Type string `json:"type"`
	// trade
	Chart   string  `json:"chart"`
	Tune    string  `json:"tune"`
	Bars    int     `json:"bars"`
	Tempo   float64 `json:"tempo"`
	Seed    uint64  `json:"seed"`
	Latency float64 `json:"output_latency_ms"`
	With    string  `json:"with"` // "soloist" (or none) or "drums"
	// trade over a loop: /api/band's loop, repeat, ramp
	Loop   string `json:"loop"`
	Repeat int    `json:"repeat"`
	Ramp   int    `json:"ramp"`
	// start, note, ping
	TimeMS float64 `json:"time_ms"`
	NowMS  float64 `json:"now_ms"`
	// note
	Pitch    int  `json:"pitch"`
	Velocity int  `json:"velocity"`
	On       bool `json:"on"`
}

type answerNote struct {
	ID       string  `json:"id"`
	Pitch    uint8   `json:"pitch"`
	Velocity uint8   `json:"velocity"`
	StartMS  float64 `json:"start_ms"`
	DurMS    float64 `json:"duration_ms"`
	// Channel is the drummer's, 9 (General MIDI percussion); absent for
	// the soloist's notes.
	Channel uint8 `json:"channel,omitempty"`
}

type development struct {
	Op     string   `json:"op"`
	Detail string   `json:"detail,omitempty"`
	From   []string `json:"from"`
	To     []string `json:"to"`
}

type answerMsg struct {
	Type        string        `json:"type"`
	Bar         int           `json:"bar"`
	ToBar       int           `json:"to_bar"`
	DownbeatMS  float64       `json:"downbeat_ms"`
	CutoffMS    float64       `json:"cutoff_ms"`
	Notes       []answerNote  `json:"notes"`
	Explanation []development `json:"explanation"`
	Heard       []string      `json:"heard"`
	ComputeMS   float64       `json:"compute_ms"`
	// ComputeCPUMS is the compute's CPU time (Linux), 0 where unknown.
	ComputeCPUMS float64 `json:"compute_cpu_ms,omitempty"`
	// QueuedMS is when the answer was queued to be sent, on the client's
	// clock as the server estimates it.
	QueuedMS float64 `json:"queued_ms,omitempty"`
}

// session is one websocket's trade. Its fields belong to the session
// goroutine (run) alone.
type session struct {
	s    *Server
	out  chan []byte
	kill context.CancelFunc

	live    *project.Live
	bars    int
	started bool
	t0      float64   // the client's audio clock at the downbeat of bar 1
	clock0  time.Time // the server's time at the client's 0 ms (earliest estimate)
	synced  bool
	outLat  float64   // the client's stated output latency, ms
	planned time.Time // when the timer should fire
	lags    []float64 // recent arrival lags over the fastest, ms
	timer   *time.Timer
	turn    trade.Turn
	hasTurn bool
	after   float64 // the next turn's downbeat is after this (ms from 0): past the last answered
	ended   bool
	// The coming answer's sketches: one a beat at most while notes come
	// (fresh: a note since the last), and one shortly before the cutoff
	// (warmed: sent this turn), which also brings the model back into the
	// processor's caches after the bars of silence an answer follows.
	sketchT    *time.Timer
	lastSketch time.Time
	fresh      bool
	warmed     bool
}

func str(id music.NoteID) string { return strconv.FormatUint(uint64(id), 10) }

// websocket serves /ws: one trade session per connection, each in its
// own goroutines (a reader, a writer and the session), with bounded
// queues both ways and a deadline on every write, so a slow or hostile
// client holds nobody else up.
func (s *Server) websocket(w http.ResponseWriter, r *http.Request) {
	select {
	case s.conns <- struct{}{}:
		defer func() { <-s.conns }()
	default:
		fail(w, http.StatusServiceUnavailable, errors.New("too many studio sessions open"))
		return
	}
	// The Origin must be the page's own host (or one the command allows):
	// another site's page in the user's browser cannot trade here.
	s.live.Add(1)
	defer s.live.Done()
	if s.ctx.Err() != nil {
		fail(w, http.StatusServiceUnavailable, errors.New("the studio is stopping"))
		return
	}
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: s.opt.Origins})
	if err != nil {
		return // Accept has answered (403 for a foreign Origin)
	}
	c.SetReadLimit(s.opt.Limits.Message)
	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	ss := &session{s: s, out: make(chan []byte, s.opt.Limits.Queue), kill: cancel}
	in := make(chan inbound, s.opt.Limits.Queue)
	done := make(chan struct{})
	go func() { // writer
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case b := <-ss.out:
				wctx, wcancel := context.WithTimeout(ctx, s.opt.Limits.WriteTimeout)
				err := c.Write(wctx, websocket.MessageText, b)
				wcancel()
				if err != nil {
					if ctx.Err() == nil {
						s.logf("studio: websocket write: %v", err)
					}
					cancel()
					return
				}
			}
		}
	}()
	go func() { // reader
		defer cancel()
		var window time.Time
		count := 0
		for {
			typ, b, err := c.Read(ctx)
			at := time.Now()
			if at.Sub(window) >= time.Second {
				window, count = at, 0
			}
			if count++; s.opt.Limits.Rate > 0 && count > s.opt.Limits.Rate {
				s.logf("studio: a client sent over %d messages a second: disconnected", s.opt.Limits.Rate)
				c.Close(websocket.StatusPolicyViolation, "too many messages a second")
				return
			}
			if err != nil {
				if websocket.CloseStatus(err) == websocket.StatusMessageTooBig || errors.Is(err, websocket.ErrMessageTooBig) {
					s.logf("studio: websocket message over %d bytes", s.opt.Limits.Message)
				}
				return
			}
			if typ != websocket.MessageText {
				ss.send(map[string]string{"type": "error", "error": "messages are JSON text"})
				continue
			}
			select {
			case in <- inbound{b, at}:
			default:
				s.logf("studio: a client sent faster than it was served: disconnected")
				c.Close(websocket.StatusPolicyViolation, "too many messages waiting")
				return
			}
		}
	}()
	ss.run(ctx, in)
	ss.finish()
	// Let the writer flush what is queued (an end, an error), briefly.
	flush, fcancel := context.WithTimeout(context.Background(), s.opt.Limits.WriteTimeout)
	for len(ss.out) > 0 && flush.Err() == nil && ctx.Err() == nil {
		time.Sleep(time.Millisecond)
	}
	fcancel()
	cancel()
	<-done
	c.Close(websocket.StatusNormalClosure, "")
}

type inbound struct {
	data []byte
	at   time.Time
}

func (s *Server) logf(format string, args ...any) {
	if s.opt.Log != nil {
		s.opt.Log(format, args...)
	}
}

// send queues a message; a client whose queue is full is too slow to
// keep, and is disconnected rather than waited for.
func (ss *session) send(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	select {
	case ss.out <- b:
	default:
		ss.s.logf("studio: a client read too slowly: disconnected")
		ss.kill()
	}
}

func (ss *session) fail(err error) {
	ss.send(map[string]string{"type": "error", "error": oneLine(err.Error())})
}

func (ss *session) run(ctx context.Context, in <-chan inbound) {
	ss.timer = time.NewTimer(time.Hour)
	ss.timer.Stop()
	defer ss.timer.Stop()
	ss.sketchT = time.NewTimer(time.Hour)
	ss.sketchT.Stop()
	defer ss.sketchT.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-in:
			ss.handle(ctx, m)
		case <-ss.timer.C:
			ss.answer(ctx)
		case <-ss.sketchT.C:
			ss.sketch(ctx)
		}
		if ss.ended {
			return
		}
	}
}

// observe updates the clock estimate from a message the client stamped
// at client time c (ms on its audio clock) that arrived at at: the server
// time of the client's 0 ms is the earliest of arrival less stamp (the
// message that travelled fastest), and how much later a message came
// than that is its lag.
func (ss *session) observe(c float64, at time.Time) float64 {
	cand := at.Add(-time.Duration(c * float64(time.Millisecond)))
	if !ss.synced || cand.Before(ss.clock0) {
		ss.clock0, ss.synced = cand, true
	}
	return float64(cand.Sub(ss.clock0)) / float64(time.Millisecond) // 0 for the fastest
}

// server is the server's time of client time c.
func (ss *session) server(c float64) time.Time {
	return ss.clock0.Add(time.Duration(c * float64(time.Millisecond)))
}

// client is the client's time (ms) of server time t.
func (ss *session) client(t time.Time) float64 {
	return float64(t.Sub(ss.clock0)) / float64(time.Millisecond)
}

func (ss *session) handle(ctx context.Context, m inbound) {
	var msg clientMsg
	if err := json.Unmarshal(m.data, &msg); err != nil {
		ss.fail(fmt.Errorf("not a protocol message: %v", err))
		return
	}
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) && math.Abs(x) < 1e12 }
	if !finite(msg.TimeMS) || !finite(msg.NowMS) || !finite(msg.Tempo) || !finite(msg.Latency) {
		ss.fail(errors.New("times and tempo must be finite numbers"))
		return
	}
	switch msg.Type {
	case "trade":
		ss.trade(ctx, msg)
	case "start":
		if ss.live == nil {
			ss.fail(errors.New(`start before trade: send {"type": "trade", ...} first`))
			return
		}
		now := msg.NowMS
		if now == 0 {
			now = msg.TimeMS
		}
		ss.observe(now, m.at)
		ss.t0, ss.started = msg.TimeMS, true
		ss.plan()
	case "ping":
		lag := ss.observe(msg.TimeMS, m.at)
		ss.send(map[string]any{"type": "pong", "time_ms": msg.TimeMS, "lag_ms": round3(lag)})
	case "note":
		if !ss.started {
			ss.fail(errors.New(`note before start: send {"type": "start", "time_ms": T} first`))
			return
		}
		if msg.Pitch < 0 || msg.Pitch > 127 || msg.Velocity < 0 || msg.Velocity > 127 || (msg.On && msg.Velocity == 0) {
			ss.fail(fmt.Errorf("note: pitch %d velocity %d: want pitch 0 to 127, velocity 1 to 127", msg.Pitch, msg.Velocity))
			return
		}
		lag := ss.observe(msg.TimeMS, m.at)
		ss.lags = recent(ss.lags, lag, 32)
		rel := msg.TimeMS - ss.t0
		if !msg.On {
			ss.live.NoteOff(uint8(msg.Pitch), rel)
			return
		}
		id, err := ss.live.NoteOn(uint8(msg.Pitch), uint8(msg.Velocity), rel)
		if err != nil {
			ss.fail(err)
			return
		}
		ss.send(map[string]any{"type": "noted", "id": str(id), "pitch": msg.Pitch, "time_ms": msg.TimeMS, "lag_ms": round3(lag)})
		ss.fresh = true
		ss.plan()
	case "stop":
		ss.send(map[string]any{"type": "end", "reason": "stopped"})
		ss.ended = true
	default:
		ss.fail(fmt.Errorf("unknown message type %q", msg.Type))
	}
}

func recent(xs []float64, x float64, n int) []float64 {
	xs = append(xs, x)
	if len(xs) > n {
		xs = xs[len(xs)-n:]
	}
	return xs
}

// trade starts a trade over an opened chart.
func (ss *session) trade(ctx context.Context, msg clientMsg) {
	if ss.live != nil {
		ss.fail(errors.New("a trade is under way on this connection: stop it first, or open another"))
		return
	}
	lopt := project.LiveOptions{Bars: msg.Bars, Tempo: msg.Tempo, Seed: msg.Seed, With: msg.With, Repeat: msg.Repeat, Ramp: msg.Ramp}
	if l := strings.TrimSpace(msg.Loop); l != "" { // as /api/band reads it
		lr, err := band.ParseBarRange(l)
		if err != nil {
			ss.fail(fmt.Errorf("loop: %v", err))
			return
		}
		lopt.Loop = lr
	}
	s := ss.s
	s.mu.Lock()
	oc, err := s.chart(msg.Chart)
	var live *project.Live
	if err == nil {
		c := oc.chart
		if msg.Tune != "" {
			c, err = oc.doc.Tune(msg.Tune)
		}
		if err == nil {
			live, err = s.proj.LiveTrade(ctx, c, lopt)
		}
	}
	s.mu.Unlock()
	if err != nil {
		ss.fail(err)
		return
	}
	ss.live, ss.bars, ss.outLat = live, max(msg.Bars, 4), max(msg.Latency, 0)
	ss.send(map[string]any{"type": "trading", "bars": ss.bars, "model": live.Model().Name})
}

// margin is how long before the downbeat the answer is asked for: the
// larger of 10 ms and the client's output latency plus the answer's
// compute (the slowest of the studio's recent ones, plus how late their
// timers fired: 15 ms before any) plus the transport (the largest recent
// lag over the fastest message, 1 ms at least, 100 ms at most: one
// stalled message must not move every cutoff a beat early).
func (ss *session) margin() float64 {
	transport := 1.0
	if len(ss.lags) > 0 {
		transport = min(max(transport, slices.Max(ss.lags)), 100)
	}
	return max(trade.Lateness*1000, ss.outLat+ss.s.timing.budget()+transport)
}

// plan arms the timer for the next answer's cutoff.
func (ss *session) plan() {
	if !ss.started || ss.ended {
		return
	}
	if !ss.hasTurn {
		now := ss.client(time.Now()) - ss.t0
		tu, err := ss.live.Next(max(now, ss.after, 0))
		if err != nil {
			ss.send(map[string]any{"type": "end", "reason": "the chart has no sideman's turn left"})
			ss.ended = true
			return
		}
		ss.turn, ss.hasTurn = tu, true
	}
	cutoff := ss.live.Millis(ss.turn.Downbeat) - ss.margin()
	ss.planned = ss.server(ss.t0 + cutoff)
	ss.timer.Stop()
	ss.timer.Reset(max(time.Until(ss.planned), 0))
	ss.planSketch()
}

// sketchGuard is how long before the cutoff the last sketch is made:
// room for it to finish, cold, before the answer is asked for.
func (ss *session) sketchGuard() time.Duration {
	return time.Duration((20 + 2*ss.s.timing.budget()) * float64(time.Millisecond))
}

// planSketch arms the sketch timer: a beat after the last sketch while
// notes come, else shortly before the cutoff, once a turn.
func (ss *session) planSketch() {
	ss.sketchT.Stop()
	if !ss.hasTurn || ss.ended {
		return
	}
	now := time.Now()
	warm := ss.planned.Add(-ss.sketchGuard())
	if !warm.After(now) {
		return // too near the cutoff: the answer itself is next
	}
	down := ss.live.Millis(ss.turn.Downbeat)
	beat := time.Duration((down - ss.live.Millis(ss.turn.Downbeat-music.PPQ)) * float64(time.Millisecond))
	at := time.Time{}
	if ss.fresh {
		at = ss.lastSketch.Add(beat)
		if at.Before(now) {
			at = now
		}
	}
	if at.IsZero() || at.After(warm) {
		if ss.warmed {
			return
		}
		at = warm
	}
	ss.sketchT.Reset(at.Sub(now))
}

// sketch sends the coming answer as it stands (the answer the notes so
// far would get), when a studio-wide slot is free: sketches never take
// every core from the answers.
func (ss *session) sketch(ctx context.Context) {
	if !ss.hasTurn {
		return
	}
	if time.Until(ss.planned) < ss.sketchGuard()/2 {
		return
	}
	now := time.Now()
	warm := !now.Before(ss.planned.Add(-ss.sketchGuard() - time.Millisecond))
	ss.lastSketch, ss.fresh = now, false
	if warm {
		ss.warmed = true
	}
	select {
	case ss.s.sketching <- struct{}{}:
		defer func() { <-ss.s.sketching }()
	default:
		ss.planSketch()
		return
	}
	down := ss.live.Millis(ss.turn.Downbeat)
	cutoff := down - ss.margin()
	a, err := ss.live.Sketch(ctx, cutoff)
	compute := float64(time.Since(now)) / float64(time.Millisecond)
	if err == nil {
		msg := ss.message("sketch", a, down, cutoff, compute)
		ss.send(msg)
	}
	ss.planSketch()
}

// answer computes the answer due at the planned turn, as late as the
// margin allows, and sends it.
func (ss *session) answer(ctx context.Context) {
	if !ss.hasTurn {
		return
	}
	down := ss.live.Millis(ss.turn.Downbeat)
	cutoff := down - ss.margin()
	if wait := time.Until(ss.server(ss.t0 + cutoff)); wait > time.Millisecond { // the margin shrank: later
		ss.planned = ss.server(ss.t0 + cutoff)
		ss.timer.Reset(wait)
		return
	}
	begin := time.Now()
	wake := max(float64(begin.Sub(ss.planned))/float64(time.Millisecond), 0)
	// The compute's CPU time too, on this thread alone: what the answer
	// costs, apart from the time the machine gave others.
	runtime.LockOSThread()
	cpu0, okCPU := threadCPU()
	a, err := ss.live.Answer(ctx, cutoff)
	cpu1, _ := threadCPU()
	runtime.UnlockOSThread()
	compute := float64(time.Since(begin)) / float64(time.Millisecond)
	ss.hasTurn, ss.after = false, down+1
	if err != nil {
		ss.fail(err)
		ss.plan()
		return
	}
	ss.s.timing.add(compute, wake)
	ss.warmed, ss.fresh = false, false
	msg := ss.message("answer", a, down, cutoff, compute)
	if okCPU {
		msg.ComputeCPUMS = round3(float64(cpu1-cpu0) / float64(time.Millisecond))
	}
	msg.QueuedMS = round3(ss.client(time.Now()))
	ss.send(msg)
	ss.plan()
}

// message is an answer (or a sketch of one) as the wire carries it.
func (ss *session) message(typ string, a *trade.Answer, down, cutoff, compute float64) *answerMsg {
	msg := &answerMsg{Type: typ, Bar: a.Turn.From + 1, ToBar: a.Turn.To, DownbeatMS: round3(ss.t0 + down), CutoffMS: round3(ss.t0 + cutoff),
		Notes: []answerNote{}, Explanation: []development{}, Heard: []string{}, ComputeMS: round3(compute)}
	for _, n := range a.Notes {
		start := ss.live.Millis(n.Start)
		msg.Notes = append(msg.Notes, answerNote{ID: str(n.ID), Pitch: n.Pitch, Velocity: n.Velocity,
			StartMS: round3(ss.t0 + start), DurMS: round3(ss.live.Millis(n.End()) - start), Channel: n.Channel})
	}
	for _, d := range a.Developments {
		dj := development{Op: d.Op, Detail: d.Detail, From: []string{}, To: []string{}}
		for _, id := range d.From {
			dj.From = append(dj.From, str(id))
		}
		for _, id := range d.To {
			dj.To = append(dj.To, str(id))
		}
		msg.Explanation = append(msg.Explanation, dj)
	}
	for _, n := range a.Heard.Notes {
		msg.Heard = append(msg.Heard, str(n.ID))
	}
	return msg
}

// finish records the trade in the project's ledger: the player's notes
// as captured, the answers as generated; it becomes what export writes.
func (ss *session) finish() {
	if ss.live == nil {
		return
	}
	s := ss.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ss.live.Record()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.commit(ctx); err != nil {
		s.logf("studio: recording a trade: %v", err)
	}
	s.last, s.lastTx = ss.live.Piece(), "trade"
}
