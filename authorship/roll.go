package authorship

import (
	"bufio"
	"fmt"
	"html"
	"io"

	"sideman/music"
)

// Colours of the classes in the piano roll: the Okabe-Ito palette, told
// apart by colour-blind readers too.
var classColour = map[Class]string{
	Human:          "#0072B2", // blue
	HumanProcessed: "#56B4E9", // sky blue
	Machine:        "#E69F00", // orange
	MachineEdited:  "#CC79A7", // reddish purple
}

var className = map[Class]string{
	Human:          "human",
	HumanProcessed: "human, processed by an algorithm",
	Machine:        "machine",
	MachineEdited:  "machine, changed by a person",
}

// The piano roll's layout: systems of rollBarsPerRow bars, one lane per
// part, each lane spanning its part's own pitch range, so a few hundred
// bars read as a score does, row after row.
const (
	rollBarsPerRow = 16
	rollBarWidth   = 70
	rollLeft       = 120
	rollLane       = 34
	rollRowGap     = 26
	rollTop        = 56
	rollMaxStep    = 5
)

const barTicks4 = 4 * music.PPQ

// barStart is where bar (1-based) starts; past the known starts, bars go
// on in 4/4 from the last known one.
func (in *Input) barStart(bar int) music.Ticks {
	i := bar - 1
	if i < len(in.BarStarts) {
		return in.BarStarts[i]
	}
	if len(in.BarStarts) == 0 {
		return music.Ticks(i) * barTicks4
	}
	last := len(in.BarStarts) - 1
	return in.BarStarts[last] + music.Ticks(i-last)*barTicks4
}

// bars is the number of bars the piece has: the last bar with a note or
// an act.
func (in *Input) bars() int {
	n := 0
	for _, x := range in.Notes {
		n = max(n, x.Bar)
	}
	for _, a := range in.Acts {
		n = max(n, a.LastBar)
	}
	return n
}

// WriteSVG writes the piano roll, coloured by class with a legend.
func (r *Report) WriteSVG(w io.Writer) error {
	in := r.in
	bw := bufio.NewWriter(w)
	parts := make([]string, len(r.Parts))
	lo, hi := map[string]uint8{}, map[string]uint8{}
	for i, p := range r.Parts {
		parts[i] = p.Part
		lo[p.Part], hi[p.Part] = 127, 0
	}
	for _, n := range in.Notes {
		lo[n.Part] = min(lo[n.Part], n.Pitch)
		hi[n.Part] = max(hi[n.Part], n.Pitch)
	}
	nbars := max(in.bars(), 1)
	rows := (nbars + rollBarsPerRow - 1) / rollBarsPerRow
	rowH := len(parts)*rollLane + rollRowGap
	width := rollLeft + rollBarsPerRow*rollBarWidth + 10
	height := rollTop + rows*rowH + 10
	lane := map[string]int{}
	for i, p := range parts {
		lane[p] = i
	}

	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n",
		width, height, width, height)
	fmt.Fprintf(bw, "<title>%s: notes by who made them</title>\n", esc(orDefault(r.Title, "piano roll")))
	fmt.Fprintf(bw, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", width, height)
	// Legend.
	x := 10
	for _, k := range Classes {
		label := fmt.Sprintf("%s %s (%d)", k, className[k], r.Total.Counts.Of(k))
		fmt.Fprintf(bw, `<rect x="%d" y="12" width="14" height="10" fill="%s"/><text x="%d" y="21">%s</text>`+"\n",
			x, classColour[k], x+18, esc(label))
		x += 40 + 7*len(label)
	}
	fmt.Fprintf(bw, `<rect x="10" y="30" width="14" height="10" fill="none" stroke="#000000" stroke-dasharray="3,2"/><text x="28" y="39">selection or arrangement by a person (%d)</text>`+"\n",
		len(in.Acts))

	for row := range rows {
		y0 := rollTop + row*rowH
		first := row*rollBarsPerRow + 1
		for i, p := range parts {
			y := y0 + i*rollLane
			fill := "#f4f4f4"
			if i%2 == 1 {
				fill = "#fafafa"
			}
			fmt.Fprintf(bw, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`, rollLeft, y, rollBarsPerRow*rollBarWidth, rollLane, fill)
			fmt.Fprintf(bw, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", rollLeft-6, y+rollLane/2+4, esc(clip(p, 18)))
		}
		for b := range rollBarsPerRow + 1 {
			bx := rollLeft + b*rollBarWidth
			fmt.Fprintf(bw, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#cccccc"/>`, bx, y0, bx, y0+len(parts)*rollLane)
			if bar := first + b; b < rollBarsPerRow && bar <= nbars && (b%4 == 0) {
				fmt.Fprintf(bw, `<text x="%d" y="%d">%d</text>`, bx+2, y0-3, bar)
			}
		}
		bw.WriteString("\n")
	}

	for _, n := range in.Notes {
		row, col := (n.Bar-1)/rollBarsPerRow, (n.Bar-1)%rollBarsPerRow
		start := in.barStart(n.Bar)
		length := max(in.barStart(n.Bar+1)-start, 1)
		off := min(max(n.Start-start, 0), length)
		nx := float64(rollLeft+col*rollBarWidth) + float64(off)/float64(length)*rollBarWidth
		nw := max(float64(n.Duration)/float64(length)*rollBarWidth, 1.5)
		if end := float64(rollLeft + rollBarsPerRow*rollBarWidth); nx+nw > end {
			nw = max(end-nx, 1.5) // a note held past the row's end stops at it
		}
		// A semitone takes at most rollMaxStep, and the part's range is
		// centred in its lane: a drum lane on one key is one line.
		span := int(hi[n.Part]) - int(lo[n.Part]) + 1
		h := min(float64(rollLane-4)/float64(span), rollMaxStep)
		pad := (float64(rollLane) - h*float64(span)) / 2
		nh := max(h, 2)
		ny := float64(rollTop+row*rowH+lane[n.Part]*rollLane) + pad + float64(int(hi[n.Part])-int(n.Pitch))*h
		if nh > h {
			ny -= (nh - h) / 2
		}
		fmt.Fprintf(bw, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`+"\n", nx, ny, nw, nh, classColour[n.Class])
	}

	for _, a := range in.Acts {
		if a.FirstBar == 0 {
			continue
		}
		lanes := []int{}
		if l, ok := lane[a.Part]; ok {
			lanes = append(lanes, l)
		} else {
			for i := range parts {
				lanes = append(lanes, i)
			}
		}
		// An act spanning rows is drawn once per row.
		for b := a.FirstBar; b <= a.LastBar; {
			row, col := (b-1)/rollBarsPerRow, (b-1)%rollBarsPerRow
			last := min(a.LastBar, (row+1)*rollBarsPerRow)
			y := rollTop + row*rowH + lanes[0]*rollLane
			fmt.Fprintf(bw, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#000000" stroke-dasharray="3,2"><title>%s</title></rect>`+"\n",
				rollLeft+col*rollBarWidth+1, y+1, (last-b+1)*rollBarWidth-2, len(lanes)*rollLane-2, esc(string(a.Kind)+" "+actWhere(a)))
			b = last + 1
		}
	}
	bw.WriteString("</svg>\n")
	return bw.Flush()
}

func esc(s string) string { return html.EscapeString(s) }

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
