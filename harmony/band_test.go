package harmony_test

import (
	"testing"

	"sideman/band"
	"sideman/band/lineup"
	"sideman/examples"
	"sideman/harmony"
	"sideman/load"
)

// Our own band playing the bundled charts (walking bass, comping piano
// in rootless voicings, drums), heard again: its roots beat by beat
// against the chart's. A jazz rhythm section's chords are seldom in one
// voice: the root is in the bass on the downbeat (in about three bars of
// four: the bass walks as the WJazzD bassists do), the piano leaves it
// out and adds the ninth and thirteenth, and the comping is off the beat.
// Before the chords' tensions and the bass's downbeat were heard (and a
// bar split only where two chords fit clearly better), 29% of the beats;
// now 57%: far below the 87% of a folk lead sheet, but the floor below
// keeps what was won.
func TestHearsTheBand(t *testing.T) {
	var all agreement
	for _, name := range examples.Names() {
		src, err := examples.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		d, err := load.Options{}.Bytes(name, src)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range d.Charts {
			st, _ := band.StyleForHint(c.Style)
			p, err := band.Play(c, band.Options{Lineup: lineup.Standard(), Style: st, Choruses: 1, Seed: 1})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			heard, err := harmony.Chart(p)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var one agreement
			one.add(c, heard)
			all.beats, all.root, all.third = all.beats+one.beats, all.root+one.root, all.third+one.third
			t.Logf("%-22s %3d beats: root %5.1f%%, root and third %5.1f%%", name, one.beats, 100*float64(one.root)/float64(one.beats), 100*float64(one.third)/float64(one.beats))
		}
	}
	root, third := float64(all.root)/float64(all.beats), float64(all.third)/float64(all.beats)
	t.Logf("all: %d beats, root %.1f%%, root and third %.1f%%", all.beats, 100*root, 100*third)
	if root < 0.45 {
		t.Errorf("root heard right on %.1f%% of the band's beats, want at least 45%%", 100*root)
	}
}
