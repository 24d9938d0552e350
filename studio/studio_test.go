package studio

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"sideman/internal/shareddata"
)

// newStudio serves a studio on a temporary project for a test.
func newStudio(t *testing.T, opt Options) (*httptest.Server, *Server) {
	t.Helper()
	proj, pub, _, cleanup, err := TemporaryProject(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	opt.Project, opt.PublicKey = proj, pub
	opt.Log = t.Logf
	s := New(opt)
	hs := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); hs.Close(); cleanup() })
	return hs, s
}

// openExample opens a bundled chart through the API and returns what the
// page gets.
func openExample(t *testing.T, url, name string) chartJSON {
	t.Helper()
	code, body := post(t, url+"/api/open", `{"example": "`+name+`"}`)
	var c chartJSON
	if err := json.Unmarshal([]byte(body), &c); code != 200 || err != nil {
		t.Fatalf("opening %s: %d %s", name, code, body)
	}
	return c
}

func get(t *testing.T, url string, header map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:7878": true, "127.1.2.3:80": true, "[::1]:7878": true,
		"0.0.0.0:7878": false, ":7878": false, "localhost:7878": false, "192.168.1.5:7878": false, "[::]:7878": false, "nonsense": false,
	} {
		if got := Loopback(addr); got != want {
			t.Errorf("Loopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

// With a token, everything under /api and /ws answers 401 without it,
// before routing (a path with no route too, and every spelling a router
// would clean to one), loopback clients included; the page does not.
func TestTokenCheckedBeforeRouting(t *testing.T) {
	tok, err := NewToken()
	if err != nil || len(tok) != 32 {
		t.Fatalf("token %q, %v", tok, err)
	}
	hs, _ := newStudio(t, Options{Token: tok})
	for _, p := range []string{"/api", "/api/", "/api/examples", "/api/no-such-route", "/API/examples", "//api/examples",
		"/x/../api/examples", "/api/ledger/verify", "/ws", "/ws/x"} {
		if code, body := get(t, hs.URL+p, nil); code != http.StatusUnauthorized || !strings.Contains(body, `"error"`) {
			t.Errorf("GET %s without the token: %d %s, want 401 with a JSON error", p, code, body)
		}
		if code, _ := get(t, hs.URL+p, map[string]string{"Authorization": "Bearer " + tok + "x"}); code != http.StatusUnauthorized {
			t.Errorf("GET %s with a wrong token: %d, want 401", p, code)
		}
	}
	if code, body := get(t, hs.URL+"/api/examples", map[string]string{"Authorization": "Bearer " + tok}); code != 200 || !strings.Contains(body, "blues-f") {
		t.Errorf("with the bearer token: %d %s", code, body)
	}
	if code, _ := get(t, hs.URL+"/api/styles?token="+tok, nil); code != 200 {
		t.Errorf("with ?token: %d", code)
	}
	if code, _ := get(t, hs.URL+"/", nil); code != 200 {
		t.Errorf("the page without the token: %d, want 200", code)
	}
}

func post(t *testing.T, url, body string) (int, string) {
	t.Helper()
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// Bodies over the limit are refused with 413; no request reads a path on
// the server's disk: a path pasted as a chart is chart text (bad), a
// style or feel that names a file is refused, and the page's files are
// the embedded ones alone.
func TestLimitsAndPaths(t *testing.T) {
	hs, _ := newStudio(t, Options{})
	big := `{"text": "` + strings.Repeat("a", 2<<20) + `"}`
	if code, _ := post(t, hs.URL+"/api/open", big); code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 2 MiB body: %d, want 413", code)
	}
	if code, body := post(t, hs.URL+"/api/open", `{"text": "/etc/passwd"}`); code != 400 || strings.Contains(body, "root:") {
		t.Errorf("a path as text: %d %s, want 400 and no file's contents", code, body)
	}
	code, body := post(t, hs.URL+"/api/open", `{"example": "blues-f"}`)
	if code != 200 {
		t.Fatalf("open blues-f: %d %s", code, body)
	}
	var c chartJSON
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		t.Fatal(err)
	}
	if c.Title != "Blues for F" || len(c.Bars) != 12 || c.Bars[0].Chords[0].Symbol != "F7" || c.Meter != [2]int{4, 4} {
		t.Errorf("blues-f as opened: %+v", c)
	}
	for _, style := range []string{"../../etc/x.style", "/tmp/a", `..\\x`} {
		if code, _ := post(t, hs.URL+"/api/band", `{"chart": "`+c.ID+`", "style": "`+style+`"}`); code != 400 {
			t.Errorf("style %q: %d, want 400", style, code)
		}
	}
	for _, p := range []string{"/../../../etc/passwd", "/..%2f..%2fetc/passwd", "/web/../studio.go"} {
		if _, body := get(t, hs.URL+p, nil); strings.Contains(body, "root:") || strings.Contains(body, "package studio") {
			t.Errorf("GET %s served a file outside the page", p)
		}
	}
	if code, _ := post(t, hs.URL+"/api/open", `{"example": "blues-f", "path": "/etc"}`); code != 400 {
		t.Errorf("an unknown field: %d, want 400", code)
	}
}

func dial(t *testing.T, hs *httptest.Server, header http.Header) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return websocket.Dial(ctx, "ws"+strings.TrimPrefix(hs.URL, "http")+"/ws", &websocket.DialOptions{HTTPHeader: header})
}

// A page of another site cannot open the websocket; the studio's own can.
func TestWebsocketOrigin(t *testing.T) {
	hs, _ := newStudio(t, Options{})
	_, res, err := dial(t, hs, http.Header{"Origin": {"http://evil.example"}})
	if err == nil || res == nil || res.StatusCode != http.StatusForbidden {
		t.Errorf("a foreign Origin: %v (response %v), want 403", err, res)
	}
	c, _, err := dial(t, hs, http.Header{"Origin": {hs.URL}})
	if err != nil {
		t.Fatalf("the page's own Origin: %v", err)
	}
	c.CloseNow()
}

func readMsg(t *testing.T, c *websocket.Conn) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, b, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func write(t *testing.T, c *websocket.Conn, s string) {
	t.Helper()
	if err := c.Write(context.Background(), websocket.MessageText, []byte(s)); err != nil {
		t.Fatal(err)
	}
}

// Bad messages get one-line errors and the connection stays; a message
// over the limit closes it.
func TestWebsocketMessages(t *testing.T) {
	hs, _ := newStudio(t, Options{})
	c, _, err := dial(t, hs, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	for msg, want := range map[string]string{
		`{"type": "dance"}`: "unknown message type",
		`not json`:          "not a protocol message",
		`{"type": "note", "pitch": 60, "velocity": 90, "on": true, "time_ms": 5}`: "note before start",
		`{"type": "trade", "chart": "c9"}`:                                        "not open",
		`{"type": "start", "time_ms": 1}`:                                         "start before trade",
	} {
		write(t, c, msg)
		m := readMsg(t, c)
		if m["type"] != "error" || !strings.Contains(m["error"].(string), want) {
			t.Errorf("%s: got %v, want an error saying %q", msg, m, want)
		}
	}
	write(t, c, `{"type": "ping", "time_ms": 12.5}`)
	if m := readMsg(t, c); m["type"] != "pong" || m["time_ms"] != 12.5 {
		t.Errorf("ping: %v", m)
	}
	write(t, c, `{"type": "ping", "pad": "`+strings.Repeat("x", 8<<10)+`"}`)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, _, err := c.Read(ctx); websocket.CloseStatus(err) != websocket.StatusMessageTooBig {
		t.Errorf("an 8 KiB message: %v, want the connection closed as too big", err)
	}
}

// A client that floods the studio and never reads is disconnected, and
// another session is answered meanwhile.
func TestSlowClientStallsNobody(t *testing.T) {
	lim := DefaultLimits
	lim.Queue, lim.WriteTimeout, lim.Rate = 16, 200*time.Millisecond, 0
	hs, _ := newStudio(t, Options{Limits: lim})
	hostile, _, err := dial(t, hs, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer hostile.CloseNow()
	var wg sync.WaitGroup
	wg.Add(1)
	var sent int
	go func() { // ping forever, read nothing
		defer wg.Done()
		ping := []byte(`{"type": "ping", "time_ms": 1, "pad": "` + strings.Repeat("x", 3000) + `"}`)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		for ; ; sent++ {
			if err := hostile.Write(ctx, websocket.MessageText, ping); err != nil {
				return
			}
		}
	}()
	friend, _, err := dial(t, hs, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer friend.CloseNow()
	for i := range 50 {
		write(t, friend, `{"type": "ping", "time_ms": 3}`)
		if m := readMsg(t, friend); m["type"] != "pong" {
			t.Fatalf("ping %d of the other session: %v", i, m)
		}
	}
	wg.Wait() // the hostile client's writes fail: the studio closed it
	if sent == 0 {
		t.Fatal("the hostile client sent nothing")
	}
	t.Logf("the hostile client was disconnected after %d messages", sent)
}

func TestBandAndExport(t *testing.T) {
	hs, _ := newStudio(t, Options{})
	c := openExample(t, hs.URL, "blues-f")
	code, body := post(t, hs.URL+"/api/band", `{"chart": "`+c.ID+`", "tempo": 150, "seed": 3, "transpose": "Bb"}`)
	if code != 200 {
		t.Fatalf("band: %d %s", code, body)
	}
	var band struct {
		Tempo int     `json:"tempo"`
		BarMS float64 `json:"bar_ms"`
		Notes []noteJSON
	}
	json.Unmarshal([]byte(body), &band)
	// A 4/4 bar at 150 bpm lasts 1.6 s; the band plays every bar of the
	// twelve, every note a machine's.
	if band.Tempo != 150 || band.BarMS < 1599 || band.BarMS > 1601 || len(band.Notes) < 48 {
		t.Fatalf("band: tempo %d bar %v ms, %d notes", band.Tempo, band.BarMS, len(band.Notes))
	}
	bars := map[int]bool{}
	for _, n := range band.Notes {
		if n.Class != "M" || n.ID == "" || n.DurMS <= 0 {
			t.Fatalf("band note %+v", n)
		}
		bars[int(n.StartMS/band.BarMS)] = true
	}
	if len(bars) < 12 {
		t.Errorf("the band played in %d bars of 12", len(bars))
	}
	res, err := http.Get(hs.URL + "/api/export?format=mid")
	if err != nil {
		t.Fatal(err)
	}
	mid, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.HasPrefix(mid, []byte("MThd")) || !bytes.Contains(mid, []byte("sideman-ledger-head: ")) {
		t.Errorf("export: %d, %d bytes, want a MIDI file carrying the ledger head", res.StatusCode, len(mid))
	}
	// No SoundFont given: a WAV is refused with a JSON error, not a
	// partial file.
	if code, body := get(t, hs.URL+"/api/export?format=wav", nil); code != http.StatusNotFound || !strings.Contains(body, `"error"`) {
		t.Errorf("wav without a SoundFont: %d %s", code, body)
	}
	code, body = get(t, hs.URL+"/api/ledger/verify", nil)
	var v struct {
		OK      bool `json:"ok"`
		Records int  `json:"records"`
	}
	json.Unmarshal([]byte(body), &v)
	if code != 200 || !v.OK || v.Records < 3 {
		t.Errorf("verify: %d %s", code, body)
	}
}

// A client sending more messages a second than any player could is
// disconnected.
func TestRateLimit(t *testing.T) {
	lim := DefaultLimits
	lim.Rate = 100
	hs, _ := newStudio(t, Options{Limits: lim})
	c, _, err := dial(t, hs, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() {
		for range 1000 {
			if c.Write(ctx, websocket.MessageText, []byte(`{"type": "ping", "time_ms": 1}`)) != nil {
				return
			}
		}
	}()
	pongs := 0
	for {
		_, _, err := c.Read(ctx)
		if err != nil {
			if websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
				t.Errorf("closed with %v, want a policy violation", err)
			}
			break
		}
		pongs++
	}
	if pongs > lim.Rate {
		t.Errorf("%d pongs in under a second, limit %d", pongs, lim.Rate)
	}
}

// The band exported as WAV through the studio's SoundFont: a RIFF WAVE
// as long as the band played, with sound in it, recorded in the ledger.
func TestExportWAV(t *testing.T) {
	const timGM6mb = "/usr/share/sounds/sf2/TimGM6mb.sf2" // timgm6mb-soundfont, 6 MB
	if _, err := os.Stat(timGM6mb); err != nil {
		msg := "no " + timGM6mb + " (apt-get install timgm6mb-soundfont)"
		if shareddata.Required() {
			t.Fatal(msg)
		}
		t.Skip(msg + "; skipping (set " + shareddata.EnvRequire + "=1 to fail instead)")
	}
	hs, _ := newStudio(t, Options{SoundFont: timGM6mb})
	c := openExample(t, hs.URL, "blues-f")
	if code, body := post(t, hs.URL+"/api/band", `{"chart": "`+c.ID+`", "tempo": 200, "seed": 1}`); code != 200 {
		t.Fatalf("band: %d %s", code, body)
	}
	_, before := get(t, hs.URL+"/api/ledger/verify", nil)
	res, err := http.Get(hs.URL + "/api/export?format=wav")
	if err != nil {
		t.Fatal(err)
	}
	wav, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || len(wav) < 44 || string(wav[:4]) != "RIFF" || string(wav[8:12]) != "WAVE" {
		t.Fatalf("wav: %d, %d bytes", res.StatusCode, len(wav))
	}
	// 12 bars of 4/4 at 200 bpm last 14.4 s; 16-bit stereo at 44.1 kHz
	// is 176,400 bytes a second (a tail for the last notes' release).
	if secs := float64(len(wav)-44) / 176400; secs < 14.4 || secs > 20 {
		t.Errorf("the WAV lasts %.1f s, want 14.4 s and a tail", secs)
	}
	loud := 0
	for i := 44; i+1 < len(wav); i += 2 {
		if v := int16(uint16(wav[i]) | uint16(wav[i+1])<<8); v > 1000 || v < -1000 {
			loud++
		}
	}
	if loud < len(wav)/20 {
		t.Errorf("only %d loud samples in %d bytes", loud, len(wav))
	}
	if _, after := get(t, hs.URL+"/api/ledger/verify", nil); after == before {
		t.Errorf("the export was not recorded: ledger %s before and after", after)
	}
	checkManifest(t, wav, 0)
}

// tradeOnce opens a websocket, trades over chart at 200 bpm with the
// given phrase (pitches a beat apart from bar 1, each held half a beat,
// stamped in the past: the downbeat of bar 5 is 1 s ahead) and returns
// the answer, its notes' starts made relative to bar 1.
func tradeOnce(t *testing.T, hs *httptest.Server, chart string, seed int, phrase []int) map[string]any {
	t.Helper()
	c, _, err := dial(t, hs, nil)
	if err != nil {
		t.Error(err)
		return nil
	}
	defer c.CloseNow()
	write(t, c, `{"type": "trade", "chart": "`+chart+`", "bars": 4, "tempo": 200, "seed": `+strconv.Itoa(seed)+`}`)
	if m := readMsg(t, c); m["type"] != "trading" {
		t.Errorf("trade: %v", m)
		return nil
	}
	const beat = 300.0 // ms at 200 bpm
	now := 100000.0    // the client's clock, ms
	t0 := now - 16*beat + 1000
	write(t, c, fmt.Sprintf(`{"type": "start", "time_ms": %g, "now_ms": %g}`, t0, now))
	for i, p := range phrase {
		at := t0 + float64(i)*beat
		write(t, c, fmt.Sprintf(`{"type": "note", "pitch": %d, "velocity": 90, "on": true, "time_ms": %g}`, p, at))
		write(t, c, fmt.Sprintf(`{"type": "note", "pitch": %d, "velocity": 0, "on": false, "time_ms": %g}`, p, at+beat/2))
	}
	for {
		m := readMsg(t, c)
		switch m["type"] {
		case "noted", "sketch":
			continue
		case "answer":
			if d := m["downbeat_ms"].(float64) - t0; d < 16*beat-0.01 || d > 16*beat+0.01 {
				t.Errorf("the answer's downbeat is %.2f ms after bar 1, want bar 5's, %g", d, 16*beat)
			}
			for _, n := range m["notes"].([]any) {
				n := n.(map[string]any)
				n["start_ms"] = n["start_ms"].(float64) - t0
				if s := n["start_ms"].(float64); s < 16*beat-0.01 || s >= 32*beat {
					t.Errorf("an answer's note at %.1f ms, outside bars 5-8 (%g to %g)", s, 16*beat, 32*beat)
				}
				delete(n, "id")
			}
			return m
		default:
			t.Errorf("while waiting for the answer: %v", m)
			return nil
		}
	}
}

// Same phrase, same seed: the same answer, whichever session plays it;
// another phrase: another answer. Each answers in bars 5-8.
func TestTradeAnswersThePhrase(t *testing.T) {
	hs, _ := newStudio(t, Options{})
	c := openExample(t, hs.URL, "blues-f")
	lick := []int{65, 68, 69, 72, 75, 74, 72, 69, 70, 69, 65, 63, 65}
	other := []int{77, 76, 74, 72, 70, 69, 67, 65, 64, 62, 60, 58, 57}
	answers := make([]map[string]any, 3)
	var wg sync.WaitGroup
	for i, phrase := range [][]int{lick, lick, other} {
		wg.Add(1)
		go func() { defer wg.Done(); answers[i] = tradeOnce(t, hs, c.ID, 1, phrase) }()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	notes := func(m map[string]any) string { b, _ := json.Marshal(m["notes"]); return string(b) }
	if len(answers[0]["notes"].([]any)) == 0 {
		t.Fatal("an empty answer")
	}
	if notes(answers[0]) != notes(answers[1]) {
		t.Errorf("the same phrase and seed answered differently:\n%s\n%s", notes(answers[0]), notes(answers[1]))
	}
	if notes(answers[0]) == notes(answers[2]) {
		t.Errorf("two different phrases got the same answer: %s", notes(answers[0]))
	}
	if len(answers[0]["heard"].([]any)) != len(lick) || len(answers[0]["explanation"].([]any)) == 0 {
		t.Errorf("the answer heard %d notes of %d, explained %d developments", len(answers[0]["heard"].([]any)), len(lick), len(answers[0]["explanation"].([]any)))
	}
	t.Logf("answer to the lick: %s", notes(answers[0]))
}
