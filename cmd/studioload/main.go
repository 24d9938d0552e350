// Command studioload puts load on a sideman studio through its documented
// wire protocol (docs/studio-protocol.md): many players trading fours at
// once over loopback. With no --url it starts a studio in this process
// (on a temporary project) and also reports its memory.
//
//	studioload --conns 50 --duration 60s --tempo 120
//	studioload --conns 50 --duration 10m --session 60s --tempo 200   # a soak: sessions come and go
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"runtime/metrics"
	"sync"
	"syscall"
	"time"

	"sideman/studio"
	"sideman/studio/client"
)

func main() { os.Exit(run()) }

func run() int {
	url := flag.String("url", "", "the studio to load (http://127.0.0.1:7878); empty: one started here")
	token := flag.String("token", "", "the studio's token, when it has one")
	conns := flag.Int("conns", 50, "websocket connections trading at once")
	dur := flag.Duration("duration", 60*time.Second, "how long they trade")
	tempo := flag.Float64("tempo", 120, "tempo, felt beats a minute")
	bars := flag.Int("bars", 4, "bars a turn: 4 or 8")
	example := flag.String("example", "blues-f", "bundled chart to trade over")
	latency := flag.Float64("latency", 0, "output latency the players state, ms (a browser's is 10 to 40)")
	limit := flag.Float64("p99", 10, "answer compute p99 the run must stay under, ms")
	asJSON := flag.Bool("json", false, "print the report as JSON")
	session := flag.Duration("session", 0, "each connection trades this long, then a new connection and trade take its place, until --duration (a soak); 0: one trade for the whole run")
	flag.Parse()
	// Ctrl-C ends the players early; the temporary project is removed.
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	// The process's memory (runtime/metrics: no stop-the-world, unlike
	// ReadMemStats): the live heap the last GC marked and all the memory
	// mapped, their largest in the first and the second half of the run:
	// memory that stays bounded does not grow from one to the other.
	var heap, sys [2]uint64
	var tenths [10]uint64 // the live heap's largest in each tenth of the run
	began := time.Now()
	goroutines := runtime.NumGoroutine()
	stop := func() {}
	if *url == "" {
		proj, pub, _, cleanup, err := studio.TemporaryProject(ctx)
		if err != nil {
			fmt.Fprintln(os.Stderr, "studioload:", err)
			return 1
		}
		defer cleanup()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintln(os.Stderr, "studioload:", err)
			return 1
		}
		s := studio.New(studio.Options{Project: proj, PublicKey: pub, Log: func(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...) }})
		srv := &http.Server{Handler: s}
		go srv.Serve(ln)
		*url = "http://" + ln.Addr().String()
		done := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { // the server's memory, sampled
			defer wg.Done()
			t := time.NewTicker(250 * time.Millisecond)
			defer t.Stop()
			samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/total:bytes"}}
			for {
				metrics.Read(samples)
				h := 0
				if time.Since(began) > *dur/2 {
					h = 1
				}
				heap[h], sys[h] = max(heap[h], samples[0].Value.Uint64()), max(sys[h], samples[1].Value.Uint64())
				k := min(int(10*time.Since(began) / *dur), 9)
				tenths[k] = max(tenths[k], samples[0].Value.Uint64())
				select {
				case <-done:
					return
				case <-t.C:
				}
			}
		}()
		stop = func() { close(done); wg.Wait(); s.Close(); srv.Close() }
	}
	rep, err := client.Load(ctx, client.Options{URL: *url, Token: *token, Conns: *conns, Duration: *dur, Tempo: *tempo, Bars: *bars, Example: *example, Seed: 1, OutputLatency: *latency, Session: *session})
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "studioload:", err)
		return 1
	}
	time.Sleep(100 * time.Millisecond)
	left := runtime.NumGoroutine() - goroutines
	if *asJSON {
		json.NewEncoder(os.Stdout).Encode(map[string]any{"report": rep, "max_heap_live": heap, "max_total": sys, "max_heap_live_tenths": tenths, "goroutines_left": left})
	} else {
		fmt.Printf("%d connections, %s at %g bpm, trading %ds: %d answers, %d notes, %d errors, %d late (%d not queued by the downbeat), %d dropped, %d kept after a cutoff\n",
			rep.Conns, *dur, *tempo, *bars, rep.Answers, rep.Notes, rep.Errors, rep.Late, rep.LateQueued, rep.Dropped, rep.KeptLate)
		fmt.Printf("answer compute (ms):          %s\n", rep.Compute)
		fmt.Printf("answer compute, CPU (ms):      %s\n", rep.ComputeCPU)
		fmt.Printf("answer ahead of downbeat (ms): %s\n", rep.Lead)
		fmt.Printf("key to server, lag (ms):       %s\n", rep.Lag)
		fmt.Printf("note round trip (ms):          %s\n", rep.RTT)
		if heap[0] > 0 {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			mib := func(x uint64) float64 { return float64(x) / (1 << 20) }
			fmt.Printf("this process (studio and players): live heap (as the last GC marked it) at most %.1f MiB in the first half, %.1f MiB in the second; memory from the OS %.1f, %.1f MiB; goroutines left %d; %d GCs, pauses %.1f ms in all\n",
				mib(heap[0]), mib(heap[1]), mib(sys[0]), mib(sys[1]), left, m.NumGC, float64(m.PauseTotalNs)/1e6)
			fmt.Printf("live heap, the largest in each tenth of the run (MiB):")
			for _, x := range tenths {
				if x == 0 { // the run ended before this tenth (whole sessions only)
					fmt.Printf(" –")
					continue
				}
				fmt.Printf(" %.1f", mib(x))
			}
			fmt.Println()
		}
		for _, e := range rep.ErrorLines {
			fmt.Println("error:", e)
		}
	}
	if err := rep.Check(*limit); err != nil {
		fmt.Fprintln(os.Stderr, "studioload:", err)
		return 1
	}
	return 0
}
