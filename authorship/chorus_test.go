package authorship

import (
	"fmt"

	"sideman/music"
)

// tradedChorus is a 32-bar traded chorus as the ledger would give it: a
// person's trumpet fours, the machine's answers, one answer a variation
// the person chose among four and edited, the band's bass, piano and
// drums, and the person's written guitar part, humanized.
func tradedChorus() *Input {
	in := &Input{Project: "demo", Title: "Blue Trade", Head: "9f2c6a1e0b7d4c3a8e5f1b2d6c9a0e7f3b1d5c8a2e4f6b9d0c3a7e1f5b2d8c4a"}
	id := music.NoteID(1)
	add := func(n Note) {
		n.ID = id
		id++
		n.Start = music.Ticks(n.Bar-1)*barTicks4 + n.Start
		in.Notes = append(in.Notes, n)
	}
	scale := []uint8{60, 62, 63, 65, 67, 70, 72, 74}
	for bar := 1; bar <= 32; bar++ {
		four := (bar - 1) / 4 // 0..7: even fours are the person's
		for e := range 8 {    // trumpet eighths
			n := Note{Part: "trumpet", Bar: bar, Start: music.Ticks(e) * music.PPQ / 2, Duration: music.PPQ / 2,
				Pitch: scale[(e*3+bar)%len(scale)]}
			switch {
			case four%2 == 0:
				n.Class, n.Played = Human, true
			case four == 5: // bars 21-24: the chosen variation, edited
				n.Class, n.Generator, n.Made = Machine, "improv/vary", ByModel
				if e%3 == 0 {
					n.Class, n.Changed = MachineEdited, []string{FieldPitch}
				}
				if bar == 24 && e == 7 {
					n.Changed = []string{FieldVelocity}
					n.Class = MachineEdited
				}
			default:
				n.Class, n.Generator, n.Made = Machine, "improv/trade", ByModel
			}
			add(n)
		}
		for q := range 4 { // walking bass
			add(Note{Part: "bass", Bar: bar, Start: music.Ticks(q) * music.PPQ, Duration: music.PPQ,
				Pitch: uint8(36 + (bar*5+q*2)%12), Class: Machine, Generator: "band/walkingbass", Made: ByRules})
		}
		for _, pc := range []uint8{0, 4, 7, 10} { // piano comp on 2 and 4
			for _, beat := range []music.Ticks{1, 3} {
				add(Note{Part: "piano", Bar: bar, Start: beat * music.PPQ, Duration: music.PPQ / 2,
					Pitch: 55 + pc, Class: Machine, Generator: "band/comp", Made: ByRules})
			}
		}
		for q := range 4 { // ride and hi-hat
			add(Note{Part: "drums", Bar: bar, Start: music.Ticks(q) * music.PPQ, Duration: music.PPQ / 4,
				Pitch: 51, Class: Machine, Generator: "band/drums", Made: ByRules})
		}
		add(Note{Part: "guitar", Bar: bar, Start: 0, Duration: 2 * music.PPQ, Pitch: uint8(52 + bar%5),
			Class: HumanProcessed, Steps: []string{"humanize"}})
	}
	in.Acts = []Act{
		{Kind: Arrangement, Who: "Ann", Part: "trumpet", FirstBar: 1, LastBar: 32,
			What: "the machine's four-bar answers after each of the author's fours"},
		{Kind: Selection, Who: "Ann", Part: "trumpet", FirstBar: 21, LastBar: 24, Chose: "variation 3", Among: 4},
	}
	in.Prompts = []Prompt{
		{Generator: "band", Seed: 1, Params: "style=swing tempo=160", Command: "sideman play blue.chart --style swing"},
		{Generator: "improv/trade", Model: "sha256:4be1c0de", Seed: 7, Params: "fours order=3", Command: "sideman trade blue.chart --fours"},
		{Generator: "improv/vary", Model: "sha256:4be1c0de", Seed: 11, Params: "candidates=4 bars=21-24", Command: "sideman vary trade.mid --bars 21-24 -n 4"},
		{Generator: "feel/humanize", Seed: 3, Params: "feel=laidback", Command: "sideman humanize guitar.mid --feel laidback"},
	}
	return in
}

// fragmented is a large piece that defeats short texts: many parts with
// long names, and the class changing bar by bar in each.
func fragmented(parts, bars int) *Input {
	in := &Input{Project: "big", Title: "Fragments"}
	id := music.NoteID(1)
	for p := range parts {
		name := fmt.Sprintf("part number %d (doubling)", p+1)
		for bar := 1; bar <= bars; bar++ {
			k := Classes[(bar+p)%len(Classes)]
			for e := range 3 {
				n := Note{ID: id, Part: name, Bar: bar, Start: music.Ticks(bar-1)*barTicks4 + music.Ticks(e)*music.PPQ,
					Duration: music.PPQ, Pitch: uint8(40 + (bar*7+e+p)%40), Class: k, Played: p%2 == 0}
				id++
				switch k {
				case HumanProcessed:
					n.Steps = []string{"humanize", "quantize"}
				case Machine, MachineEdited:
					n.Generator = fmt.Sprintf("improv/generator-%d", (bar/3+p)%5)
					n.Made = []Maker{ByModel, ByRules, ""}[bar%3]
				}
				if k == MachineEdited {
					n.Changed = [][]string{{FieldPitch}, {FieldVelocity}, {FieldStart, FieldDuration}}[e]
				}
				in.Notes = append(in.Notes, n)
			}
		}
	}
	for i := range 60 {
		first := 1 + (i*7)%bars
		in.Acts = append(in.Acts, Act{Kind: []ActKind{Selection, Arrangement}[i%2], Part: fmt.Sprintf("part number %d (doubling)", i%parts+1),
			FirstBar: first, LastBar: min(first+3, bars), Chose: fmt.Sprintf("take %d", i), Among: 5,
			What: "a machine phrase chosen by ear"})
	}
	return in
}
