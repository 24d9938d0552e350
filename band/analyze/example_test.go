package analyze_test

import (
	"fmt"

	"sideman/band"
	"sideman/band/analyze"
	"sideman/format/chart"
)

// A block-chord rendering of a ii-V-I: its lowest voice is the roots, its
// close-position chords hold every guide tone. The Cmaj7 is held over two
// bars, so its second bar has no note struck on beat 1.
func ExampleAnalyze() {
	charts, _ := chart.DecodeBytes([]byte("title: ii-V-I\n| Dm7 | G7 | Cmaj7 | Cmaj7 |\n"))
	piece := band.BlockChords(charts[0], 2)
	r, err := analyze.Analyze(piece, nil, 0) // the piece's own chart; choruses from its length
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d choruses, %d bars\n", r.Choruses, r.Bars)
	fmt.Printf("bass: roots on beat 1 %.0f%% of %d bars (%s)\n", 100*r.BassRootRateBeat1, r.N.BassBeat1, r.Parts["bass"])
	fmt.Printf("comping: guide tones %.0f%% of %d voicings, %d low-interval violations\n", 100*r.CompingGuideToneShare, r.N.GuideToneVoicings, r.LowIntervalViolations)
	// Output:
	// 2 choruses, 8 bars
	// bass: roots on beat 1 100% of 6 bars (Chords (lowest voice))
	// comping: guide tones 100% of 6 voicings, 0 low-interval violations
}
