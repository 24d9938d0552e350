// Package client speaks the studio's wire protocol (docs/studio-protocol.md)
// from Go, as the page does from a browser: it opens a chart over the
// HTTP API and trades fours over the websocket, a simulated player
// striking notes on its own clock. Load runs many such players at once
// and measures what the issue asks of the server: the answer's compute,
// how far ahead of its downbeat each answer arrives, how long a key's
// note takes to reach the server, errors, and notes dropped (none may be).
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Options say how the load runs.
type Options struct {
	// URL is the studio's base ("http://127.0.0.1:7878"); Token its token
	// when it has one.
	URL, Token string
	// Conns trade at once for Duration, each a trade at Tempo (felt
	// beats a minute) in turns of Bars, over the bundled Example.
	Conns    int
	Duration time.Duration
	Tempo    float64
	Bars     int
	Example  string
	// Seed makes the players' notes repeatable (each connection its own).
	Seed uint64
	// OutputLatency is the output latency the players state, ms (a
	// browser's AudioContext reports 10 to 40): the server asks for each
	// answer that much earlier.
	OutputLatency float64
	// Session, when above 0, ends each connection's trade after that
	// long and opens a new connection and trade in its place, as long as
	// a whole session fits in Duration: a soak of many sessions coming
	// and going (a trade lasts the chart's 128 bars at most).
	Session time.Duration
}

// Report is what a load measured. Times are milliseconds.
type Report struct {
	Conns, Answers, Notes int
	// Errors are protocol errors the server sent and connections that
	// failed, each one line (the first few kept in ErrorLines).
	Errors     int
	ErrorLines []string
	// Late are answers that arrived at or after their downbeat;
	// LateQueued those the server had not even queued by then (the rest
	// were late in the sending, the network or the client's reading).
	Late, LateQueued int
	// Dropped are notes struck before an answer's cutoff that no answer
	// heard; KeptLate notes struck after a cutoff that the next answer
	// heard (never dropped).
	Dropped, KeptLate int
	// Compute is the server's answer compute; Lead how long before its
	// downbeat each answer arrived; Lag a note's arrival at the server
	// over the fastest message's (the server's measure); RTT a note
	// acknowledged, from send to ack.
	Compute, Lead, Lag, RTT Stats
	// ComputeCPU is the compute's CPU time, as the server measured it on
	// its thread (Linux): the compute less the time a shared machine gave
	// other work.
	ComputeCPU Stats
}

// Stats summarize a sample.
type Stats struct {
	N                     int
	Median, P99, Min, Max float64
}

func summarize(xs []float64) Stats {
	if len(xs) == 0 {
		return Stats{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	q := func(p float64) float64 { return s[min(int(p*float64(len(s)-1)+0.5), len(s)-1)] }
	return Stats{N: len(s), Median: q(0.5), P99: q(0.99), Min: s[0], Max: s[len(s)-1]}
}

func (s Stats) String() string {
	return fmt.Sprintf("n=%d median %.2f p99 %.2f min %.2f max %.2f", s.N, s.Median, s.P99, s.Min, s.Max)
}

// Open opens a bundled example over the API and returns its chart id.
func Open(ctx context.Context, base, token, example string) (string, error) {
	body, _ := json.Marshal(map[string]string{"example": example})
	req, err := http.NewRequestWithContext(ctx, "POST", strings.TrimRight(base, "/")+"/api/open", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if res.StatusCode != 200 {
		return "", fmt.Errorf("open %s: %s: %s", example, res.Status, bytes.TrimSpace(b))
	}
	var c struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return "", err
	}
	return c.ID, nil
}

// Dial opens the studio's websocket.
func Dial(ctx context.Context, base, token string) (*websocket.Conn, error) {
	u, err := url.Parse(strings.TrimRight(base, "/") + "/ws")
	if err != nil {
		return nil, err
	}
	u.Scheme = strings.Replace(u.Scheme, "http", "ws", 1)
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	c, _, err := websocket.Dial(ctx, u.String(), &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		return nil, err
	}
	c.SetReadLimit(1 << 20)
	return c, nil
}

// Load runs opt.Conns players against the studio for opt.Duration.
func Load(ctx context.Context, opt Options) (*Report, error) {
	if opt.Bars == 0 {
		opt.Bars = 4
	}
	if opt.Example == "" {
		opt.Example = "blues-f"
	}
	if opt.Tempo == 0 {
		opt.Tempo = 120
	}
	chart, err := Open(ctx, opt.URL, opt.Token, opt.Example)
	if err != nil {
		return nil, err
	}
	rep := &Report{Conns: opt.Conns}
	var mu sync.Mutex
	var compute, computeCPU, lead, lag, rtt []float64
	add := func(r result) {
		mu.Lock()
		defer mu.Unlock()
		rep.Answers += r.answers
		rep.Notes += r.notes
		rep.Errors += len(r.errors)
		for _, e := range r.errors {
			if len(rep.ErrorLines) < 10 {
				rep.ErrorLines = append(rep.ErrorLines, e)
			}
		}
		rep.Late += r.late
		rep.LateQueued += r.lateQueued
		rep.Dropped += r.dropped
		rep.KeptLate += r.keptLate
		compute, lead, lag, rtt = append(compute, r.compute...), append(lead, r.lead...), append(lag, r.lag...), append(rtt, r.rtt...)
		computeCPU = append(computeCPU, r.computeCPU...)
	}
	var wg sync.WaitGroup
	for i := range opt.Conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			end := time.Now().Add(opt.Duration)
			for k := 0; ; k++ {
				o := opt
				if opt.Session > 0 {
					o.Duration = opt.Session
				}
				add(player(ctx, o, chart, i+k*opt.Conns))
				// Whole sessions only: one cut short would not reach its answers.
				if opt.Session <= 0 || ctx.Err() != nil || time.Until(end) < opt.Session {
					return
				}
			}
		}()
	}
	wg.Wait()
	rep.Compute, rep.Lead, rep.Lag, rep.RTT = summarize(compute), summarize(lead), summarize(lag), summarize(rtt)
	rep.ComputeCPU = summarize(computeCPU)
	return rep, nil
}

type result struct {
	answers, notes, late, lateQueued, dropped, keptLate int
	errors                                              []string
	compute, computeCPU, lead, lag, rtt                 []float64
}

type serverMsg struct {
	Type       string  `json:"type"`
	Error      string  `json:"error"`
	ID         string  `json:"id"`
	TimeMS     float64 `json:"time_ms"`
	LagMS      float64 `json:"lag_ms"`
	Bar        int     `json:"bar"`
	DownbeatMS float64 `json:"downbeat_ms"`
	CutoffMS   float64 `json:"cutoff_ms"`
	ComputeMS  float64 `json:"compute_ms"`
	ComputeCPU float64 `json:"compute_cpu_ms"`
	QueuedMS   float64 `json:"queued_ms"`
	Heard      []string
	Notes      []struct {
		ID      string  `json:"id"`
		StartMS float64 `json:"start_ms"`
	} `json:"notes"`
}

// player is one connection: it trades until the duration is over,
// playing a phrase in each of its turns (a note about every beat, one
// struck just before the sideman's downbeat, after the cutoff), and
// checks what comes back.
func player(ctx context.Context, opt Options, chart string, i int) (r result) {
	ctx, cancel := context.WithTimeout(ctx, opt.Duration+10*time.Second)
	defer cancel()
	c, err := Dial(ctx, opt.URL, opt.Token)
	if err != nil {
		r.errors = append(r.errors, "dial: "+err.Error())
		return r
	}
	defer c.CloseNow()
	epoch := time.Now()
	now := func() float64 { return float64(time.Since(epoch)) / float64(time.Millisecond) }
	var wmu sync.Mutex
	send := func(v any) error {
		b, _ := json.Marshal(v)
		wmu.Lock()
		defer wmu.Unlock()
		return c.Write(ctx, websocket.MessageText, b)
	}
	if err := send(map[string]any{"type": "trade", "chart": chart, "bars": opt.Bars, "tempo": opt.Tempo, "seed": opt.Seed + uint64(i), "output_latency_ms": opt.OutputLatency}); err != nil {
		r.errors = append(r.errors, "trade: "+err.Error())
		return r
	}
	beat := 60000 / opt.Tempo
	// Staggered starts: the connections' downbeats fall at different times.
	t0 := now() + 300 + float64(i%16)*beat/16
	if err := send(map[string]any{"type": "start", "time_ms": t0, "now_ms": now()}); err != nil {
		r.errors = append(r.errors, "start: "+err.Error())
		return r
	}
	type struck struct {
		at   float64 // time_ms
		sent time.Time
	}
	var smu sync.Mutex
	var pending []struck             // sent, not yet acknowledged
	notes := map[string]float64{}    // acknowledged: id → time_ms
	heard := map[string]int{}        // id → the answer that heard it
	var cutoffs, downbeats []float64 // per answer
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		for {
			_, b, err := c.Read(ctx)
			if err != nil {
				return
			}
			got := now()
			var m serverMsg
			err = json.Unmarshal(b, &m)
			smu.Lock()
			if err != nil {
				r.errors = append(r.errors, "unreadable message: "+err.Error())
			}
			switch m.Type {
			case "error":
				r.errors = append(r.errors, m.Error)
			case "noted":
				if len(pending) > 0 {
					r.rtt = append(r.rtt, float64(time.Since(pending[0].sent))/float64(time.Millisecond))
					pending = pending[1:]
				}
				r.lag = append(r.lag, m.LagMS)
				notes[m.ID] = m.TimeMS
			case "answer":
				r.answers++
				r.compute = append(r.compute, m.ComputeMS)
				r.computeCPU = append(r.computeCPU, m.ComputeCPU)
				r.lead = append(r.lead, m.DownbeatMS-got)
				if got >= m.DownbeatMS {
					r.late++
					if m.QueuedMS >= m.DownbeatMS {
						r.lateQueued++
					}
				}
				for _, id := range m.Heard {
					heard[id] = len(cutoffs)
				}
				cutoffs, downbeats = append(cutoffs, m.CutoffMS), append(downbeats, m.DownbeatMS)
			case "end":
				smu.Unlock()
				return
			}
			smu.Unlock()
		}
	}()
	rng := rand.New(rand.NewPCG(opt.Seed, uint64(i)))
	barMS := 4 * beat
	held := -1 // the pitch sounding: each note is held until the next (legato)
	strike := func(pitch int, at float64) bool {
		if d := at - now(); d > 0 {
			select {
			case <-ctx.Done():
				return false
			case <-time.After(time.Duration(d * float64(time.Millisecond))):
			}
		}
		if held >= 0 {
			if send(map[string]any{"type": "note", "pitch": held, "velocity": 0, "on": false, "time_ms": now()}) != nil {
				return false
			}
			held = -1
		}
		if pitch < 0 {
			return true
		}
		smu.Lock()
		pending = append(pending, struck{at, time.Now()})
		smu.Unlock()
		r.notes++
		held = pitch
		return send(map[string]any{"type": "note", "pitch": pitch, "velocity": 64 + rng.IntN(40), "on": true, "time_ms": now()}) == nil
	}
	release := func(at float64) bool { return strike(-1, at) } // a rest
	end := opt.Duration.Seconds() * 1000
	scale := []int{65, 67, 69, 70, 72, 74, 75, 77}
	lastDown := t0
	for turn := 0; ; turn += 2 {
		from := t0 + float64(turn*opt.Bars)*barMS
		if from-t0 > end {
			break
		}
		var pitch int
		ok := true
		for b := 0; b < opt.Bars*4 && ok; b++ { // a note about every beat, some rests
			at := from + float64(b)*beat + rng.Float64()*beat/4
			if rng.IntN(4) == 0 {
				ok = release(at)
				continue
			}
			pitch = scale[rng.IntN(len(scale))]
			ok = strike(pitch, at)
		}
		// A pickup struck 5 ms before the sideman's downbeat: after the
		// cutoff, for the next answer.
		down := from + float64(opt.Bars)*barMS
		lastDown = down
		if ok {
			pitch = scale[rng.IntN(len(scale))]
			ok = release(down-beat/2) && strike(pitch, down-5) && release(down+beat/2)
		}
		if !ok {
			break
		}
	}
	// Wait out the last answer, then stop.
	select {
	case <-ctx.Done():
	case <-time.After(time.Duration(max(lastDown-now()+50, 0) * float64(time.Millisecond))):
	}
	_ = send(map[string]any{"type": "stop"})
	select {
	case <-readDone:
	case <-ctx.Done():
		smu.Lock()
		r.errors = append(r.errors, "no end after stop")
		smu.Unlock()
	}
	c.Close(websocket.StatusNormalClosure, "")
	smu.Lock()
	defer smu.Unlock()
	// Every note struck before the last answer's cutoff was heard; one
	// struck after a cutoff was heard by the next answer.
	if n := len(cutoffs); n > 0 {
		for id, at := range notes {
			k, ok := heard[id]
			switch {
			case at < cutoffs[n-1] && !ok:
				r.dropped++
			case ok && k > 0 && at >= cutoffs[k-1] && at < downbeats[k-1]:
				r.keptLate++
			}
		}
	}
	if len(pending) > 0 && ctx.Err() == nil {
		r.errors = append(r.errors, fmt.Sprintf("%d notes never acknowledged", len(pending)))
	}
	if r.answers == 0 {
		r.errors = append(r.errors, "no answer")
	}
	return r
}

// ErrLoad is returned by Check when a report breaks the terms.
var ErrLoad = errors.New("studio load")

// Check reports whether a load met the terms: no errors, no
// answer late, no note dropped, compute p99 under limit (ms).
func (r *Report) Check(limit float64) error {
	var bad []string
	if r.Errors > 0 {
		bad = append(bad, fmt.Sprintf("%d errors (%s)", r.Errors, strings.Join(r.ErrorLines, "; ")))
	}
	if r.Late > 0 {
		bad = append(bad, fmt.Sprintf("%d answers late", r.Late))
	}
	if r.Dropped > 0 {
		bad = append(bad, fmt.Sprintf("%d notes dropped", r.Dropped))
	}
	if r.Compute.P99 >= limit {
		bad = append(bad, fmt.Sprintf("compute p99 %.2f ms", r.Compute.P99))
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %s", ErrLoad, strings.Join(bad, ", "))
	}
	return nil
}
