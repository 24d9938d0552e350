// Command chart2mma types a .chart file for MMA (Musical MIDI
// Accompaniment): go run ./tools/mma/chart2mma [-groove SwingWalk]
// [-tempo BPM] [-choruses N] CHART > song.mma; then mma -f song.mid song.mma.
package main

import (
	"flag"
	"fmt"
	"os"

	"sideman/format/chart"
	"sideman/tools/mma"
)

func main() {
	groove := flag.String("groove", "SwingWalk", "MMA groove")
	tempo := flag.Int("tempo", 0, "tempo in beats a minute (default: the chart's, else 140)")
	choruses := flag.Int("choruses", 1, "choruses of the form")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: chart2mma [-groove G] [-tempo BPM] [-choruses N] CHART")
		os.Exit(2)
	}
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "chart2mma:", err)
		os.Exit(2)
	}
	defer f.Close()
	cs, err := chart.Decode(f)
	if err != nil || len(cs) == 0 {
		fmt.Fprintln(os.Stderr, "chart2mma: no chart:", err)
		os.Exit(2)
	}
	c := cs[0]
	t := *tempo
	if t <= 0 {
		t = c.Tempo
	}
	if t <= 0 {
		t = 140
	}
	if err := mma.Write(os.Stdout, c, max(*choruses, 1), t, *groove); err != nil {
		fmt.Fprintln(os.Stderr, "chart2mma:", err)
		os.Exit(1)
	}
}
