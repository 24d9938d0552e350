package wjazzd_test

import (
	"fmt"
	"strings"

	"sideman/format/wjazzd"
)

func Example() {
	melody := `bar,beat,beatdur,denom,division,duration,num,onset,period,pitch,subtatum,tatum
1,1,0.5,4,2,0.25,4,10.0,4,70,0,1
1,1,0.5,4,2,0.2,4,10.3,4,72,0,2
1,2,0.55,4,1,0.5,4,10.52,4,74,0,1
`
	beats := `bar,bass_pitch,beat,chord,chorus_id,form,onset,signature
1,46,1,Bbj7,1,A1,10.0,4/4
1,,2,,1,,10.5,
1,,3,Eb79b,1,,11.05,
1,,4,,1,,11.6,
`
	s, err := wjazzd.DecodeSolo(strings.NewReader(melody), strings.NewReader(beats))
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := s.Piece(&wjazzd.Meta{Performer: "Ada", Instrument: "ts", Title: "Example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	off, _ := s.Offset()
	for _, n := range p.Parts[0].Notes {
		fmt.Printf("%d at tick %d = %.2f s\n", n.Pitch, n.Start, p.Tempo.Seconds(n.Start)+off)
	}
	for _, ch := range p.Chart.Bars[0].Chords {
		fmt.Println(ch.Offset, ch.Chord.Name())
	}
	// Output:
	// 70 at tick 0 = 10.00 s
	// 72 at tick 576 = 10.30 s
	// 74 at tick 995 = 10.52 s
	// 0 Bbmaj7
	// 1920 Eb7(b9)
}
