// Package studio is sideman's browser studio: an HTTP server that serves
// the page embedded from web/ and a JSON API over the application layer
// (package project), and a websocket at /ws where the sideman trades
// fours with a player live. The wire protocol is docs/studio-protocol.md.
//
// The handlers only translate: requests into project options, results
// and errors (project.KindOf) into JSON and HTTP statuses. Every
// operation runs through one project, one at a time (its ledger records
// them); a trade's answers are computed in the connection's own
// goroutine, so that one session's work never waits on another's.
//
// Security (issue 18): a studio bound beyond loopback has a token,
// checked before routing for everything under /api and /ws; the
// websocket's Origin must be the page's; request bodies, websocket
// messages and queues are bounded; the API takes no file paths.
package studio

import (
	"context"
	"crypto/ed25519"
	"embed"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"runtime"
	"sync"
	"time"

	"sideman/format/musicxml"
	"sideman/load"
	"sideman/music"
	"sideman/project"
	"sideman/render"
)

//go:embed web
var web embed.FS

// Limits bound what a client may send and hold.
type Limits struct {
	// Body is the largest request body (a pasted chart), bytes.
	Body int64
	// Message is the largest websocket message, bytes.
	Message int64
	// Queue is the messages a connection may have waiting, each way; a
	// client that fills its queue (sends faster than it is served, or
	// reads slower than it is written to) is disconnected.
	Queue int
	// WriteTimeout is how long one websocket write may take.
	WriteTimeout time.Duration
	// Rate is how many messages a second a websocket client may send
	// (a player strikes a few dozen notes a second at most); a client
	// over it is disconnected. 0 is no limit.
	Rate int
	// Charts is how many opened charts the studio keeps (the oldest go).
	Charts int
	// Connections is how many websockets may be open at once.
	Connections int
}

// DefaultLimits are the studio's limits.
var DefaultLimits = Limits{Body: 1 << 20, Message: 4 << 10, Queue: 256, WriteTimeout: 2 * time.Second, Rate: 1000, Charts: 256, Connections: 256}

// Options configure a studio.
type Options struct {
	// Project is the project everything played is recorded in; its
	// Ledger is committed after each operation.
	Project *project.Project
	// PublicKey verifies the ledger's checkpoints (/api/ledger/verify).
	PublicKey ed25519.PublicKey
	// Token, when not "", is required for /api and /ws.
	Token string
	// Origins are host patterns a websocket's Origin may have besides the
	// page's own host (websocket.AcceptOptions.OriginPatterns).
	Origins []string
	// SoundFont is the SoundFont file served to the page ("" none): found
	// by the edge (the command), never named by a client.
	SoundFont string
	// Limits; the zero value is DefaultLimits.
	Limits Limits
	// Log hears what goes wrong with a connection (nil: nothing).
	Log func(format string, args ...any)
}

// Server is a studio. Its ServeHTTP is safe for concurrent use.
type Server struct {
	opt    Options
	mux    *http.ServeMux
	ctx    context.Context // cancelled by Close: every session ends
	cancel context.CancelFunc
	conns  chan struct{}  // a slot per open websocket
	live   sync.WaitGroup // sessions under way

	sfOnce sync.Once // the SoundFont, loaded for the first WAV export
	sf     *render.SoundFont
	sfErr  error

	timing timing // answers' computes and timers' lateness, every session's
	// sketching holds a slot per sketch being made: a core at least is
	// always left to the answers.
	sketching chan struct{}

	mu     sync.Mutex // the project: one operation at a time
	proj   *project.Project
	charts map[string]*openChart
	order  []string
	next   int
	last   *music.Piece // the last band or trade, for export
	lastTx string
	alts   *pendingAlternatives // offered by /api/alternatives, for /api/alternatives/choose

	// score is the last band's score on the grid, its bars as played,
	// for MusicXML exports (project.ScoreNow).
	score musicxml.Score
}

type openChart struct {
	doc   *load.Document
	chart *music.Chart
}

// New makes a studio over a project.
func New(opt Options) *Server {
	if opt.Limits == (Limits{}) {
		opt.Limits = DefaultLimits
	}
	if opt.Project == nil {
		opt.Project = &project.Project{}
	}
	s := &Server{opt: opt, mux: http.NewServeMux(), proj: opt.Project, charts: map[string]*openChart{},
		conns: make(chan struct{}, opt.Limits.Connections), sketching: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)-1))}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	// The trade's model loads now, not on the first trade (half a second).
	s.mu.Lock()
	go func() {
		defer s.mu.Unlock()
		if err := s.proj.WarmLive(s.ctx, ""); err != nil {
			s.logf("studio: loading the trade's model: %v", err)
		}
	}()
	s.mux.HandleFunc("GET /api/examples", s.examples)
	s.mux.HandleFunc("GET /api/styles", s.styles)
	s.mux.HandleFunc("GET /api/feels", s.feels)
	s.mux.HandleFunc("POST /api/open", s.open)
	s.mux.HandleFunc("POST /api/band", s.band)
	s.mux.HandleFunc("GET /api/soundfont", s.soundfont)
	s.mux.HandleFunc("GET /api/export", s.export)
	s.mux.HandleFunc("GET /api/ledger/verify", s.verify)
	s.mux.HandleFunc("POST /api/edit", s.editNote)
	s.mux.HandleFunc("POST /api/alternatives", s.alternatives)
	s.mux.HandleFunc("POST /api/alternatives/choose", s.choose)
	noAPI := func(w http.ResponseWriter, r *http.Request) {
		fail(w, http.StatusNotFound, errors.New("no such API: "+r.Method+" "+r.URL.Path))
	}
	s.mux.HandleFunc("/api/", noAPI)
	s.mux.HandleFunc("/api", noAPI)
	s.mux.HandleFunc("GET /ws", s.websocket)
	page, _ := fs.Sub(web, "web")
	s.mux.Handle("/", http.FileServerFS(page))
	return s
}

// Close ends every session and waits (5 s at most) for their trades to
// be recorded, so that the project's ledger may be closed after it.
func (s *Server) Close() {
	s.cancel()
	done := make(chan struct{})
	go func() { s.live.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
}

// ServeHTTP checks the token (before routing: a path under /api or /ws
// answers 401 without it, whether or not it names a route) and serves.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.opt.Token != "" && guarded(r.URL.Path) && !authorized(r, s.opt.Token) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="sideman studio"`)
		fail(w, http.StatusUnauthorized, errors.New("this studio needs its token (printed when it started): Authorization: Bearer TOKEN or ?token=TOKEN"))
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
	s.mux.ServeHTTP(w, r)
}

// HTTPServer is an http.Server for the studio with the timeouts and
// header limits a server facing a network needs.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{Addr: addr, Handler: s, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 16 << 10}
}

// reply writes v as JSON.
func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// fail writes {"error": "one line"} with status.
func fail(w http.ResponseWriter, status int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": oneLine(err.Error())})
}

func oneLine(s string) string {
	for i := range len(s) {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}

// status maps the application layer's error kinds to HTTP statuses, in
// one place.
func status(err error) int {
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &mb):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	}
	switch project.KindOf(err) {
	case project.BadInput, project.Unsupported:
		return http.StatusBadRequest
	case project.NotFound:
		return http.StatusNotFound
	}
	return http.StatusInternalServerError
}

// commit appends what the last operation recorded to the project's
// ledger; s.mu is held.
func (s *Server) commit(ctx context.Context) error {
	if s.proj.Ledger == nil {
		return nil
	}
	_, err := s.proj.Ledger.Commit(ctx)
	return err
}

// timing keeps the recent answer computes and how late the answer timers
// fired, across every session: a session's first cutoff is planned from
// what the others measured, and one slow answer anywhere moves every
// cutoff earlier for a while.
type timing struct {
	mu      sync.Mutex
	compute []float64
	wake    []float64
}

func (t *timing) add(compute, wake float64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.compute = recent(t.compute, compute, 64)
	t.wake = recent(t.wake, wake, 64)
}

// budget is how long an answer takes from its timer, ms: the slowest
// of the recent computes plus lateness, and a quarter more for what the
// recent ones did not show; 15 ms until 16 answers have been measured.
func (t *timing) budget() float64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.compute) < 16 {
		return 15
	}
	worst := 0.0
	for i := range t.compute {
		worst = max(worst, t.compute[i]+t.wake[i])
	}
	return 1.25*worst + 1
}
