package client_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"sideman/studio"
	"sideman/studio/client"
)

// A CI-sized load (the full one is cmd/studioload, docs/benchmarks.md):
// ten players trade fours at 300 bpm through the documented protocol,
// two answers each, stating a 20 ms output latency as a browser's
// AudioContext does (the answers are asked for that much earlier: the
// machine running the tests is shared, and 10 ms is less than its
// scheduler's worst hiccup); none may err, come late or drop a note, the notes
// struck after a cutoff are heard by the next answer, and the ledger
// verifies with every trade in it.
func TestLoadShort(t *testing.T) {
	ctx := context.Background()
	proj, pub, _, cleanup, err := studio.TemporaryProject(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	s := studio.New(studio.Options{Project: proj, PublicKey: pub, Log: t.Logf})
	hs := httptest.NewServer(s)
	defer hs.Close()
	defer s.Close()
	const conns = 10
	rep, err := client.Load(ctx, client.Options{URL: hs.URL, Conns: conns, Duration: 7 * time.Second, Tempo: 300, Bars: 4, Seed: 7, OutputLatency: 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("compute %s; ahead of the downbeat %s; lag %s; round trip %s", rep.Compute, rep.Lead, rep.Lag, rep.RTT)
	if rep.Errors > 0 || rep.Late > 0 || rep.Dropped > 0 {
		t.Errorf("%d errors %v, %d answers late, %d notes dropped", rep.Errors, rep.ErrorLines, rep.Late, rep.Dropped)
	}
	// 7 s at 300 bpm: the player's bars 1-4 and 9-12 start within it, so
	// two answers a connection (bars 5 and 13).
	if rep.Answers != 2*conns {
		t.Errorf("%d answers, want %d", rep.Answers, 2*conns)
	}
	if rep.Lead.Min <= 0 {
		t.Errorf("an answer arrived %.2f ms after its downbeat", -rep.Lead.Min)
	}
	if rep.KeptLate == 0 {
		t.Errorf("no note struck after a cutoff was heard by the next answer")
	}
	res, err := http.Get(hs.URL + "/api/ledger/verify")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var v struct {
		OK      bool `json:"ok"`
		Records int  `json:"records"`
	}
	json.NewDecoder(res.Body).Decode(&v)
	// The first record and a checkpoint, then per trade a capture, a
	// generation and a checkpoint.
	if !v.OK || v.Records < 2+3*conns {
		t.Errorf("ledger after %d trades: %+v", conns, v)
	}
}
