// Package plot draws a feel profile as a standalone SVG picture a
// musician can read: for each instrument role, how far from the grid it
// plays each slot of the beat at each tempo, and how hard it swings as
// the tempo rises, with published measurements drawn over it for
// comparison (see References).
//
// The picture follows SVG 1.1 (https://www.w3.org/TR/SVG11/) and uses the
// standard library only; every piece of text is escaped for XML.
package plot

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"sideman/feel"
)

// Reference is a published value drawn for comparison.
type Reference struct {
	// Role is the instrument role it describes (feel.Soloist, feel.Ride...).
	Role string
	// What is "swing" (beat-upbeat ratio, drawn on the swing panel) or
	// "lateness" (ms behind the grid of notes on the beat, drawn as
	// ticks on the beat column of the timing panel).
	What string
	// BPM and Value are the points of the published trend, tempo rising.
	BPM   []float64
	Value []float64
	// Source cites the publication; the legend shows it.
	Source string
}

// References are the published values.
var References = []Reference{
	{
		// Mean beat-upbeat ratio of 456 soloists' solos in the Weimar
		// Jazz Database, with little change across tempo.
		Role: feel.Soloist, What: "swing",
		BPM: []float64{60, 340}, Value: []float64{1.3, 1.3},
		Source: "Corcoran and Frieler 2021: soloists swing about 1.3:1 (456 WJazzD solos)",
	},
	{
		// Soloists play downbeats behind the rhythm section, about 30 ms
		// at 150 bpm and less as the tempo rises. These points are read
		// off the paper's trend, not its data.
		Role: feel.Soloist, What: "lateness",
		BPM: []float64{100, 150, 250}, Value: []float64{45, 30, 15},
		Source: "Nelias et al. 2022: soloists' downbeats late, about 30 ms at 150 bpm, less when faster",
	},
	{
		// Ride cymbal swing ratio in recordings of jazz drummers: about
		// 3.5:1 at slow tempi, falling to even eighths near 300 bpm.
		Role: feel.Ride, What: "swing",
		BPM:    []float64{100, 150, 200, 250, 300},
		Value:  []float64{3.5, 2.6, 2.0, 1.5, 1.0},
		Source: "Friberg and Sundström 2002: ride swing 3.5:1 slow to 1:1 near 300 bpm",
	},
	// The hi-hat played 2 to 26 ms ahead in jazz trio recordings. The
	// paper measures it against the other players, and gives no tempo
	// trend, so both ends of the range are drawn flat across tempo.
	{
		Role: feel.HiHat, What: "lateness",
		BPM: []float64{60, 340}, Value: []float64{-2, -2},
		Source: "Hofmann et al. 2017: hi-hat 2 to 26 ms ahead",
	},
	{
		Role: feel.HiHat, What: "lateness",
		BPM: []float64{60, 340}, Value: []float64{-26, -26},
		Source: "Hofmann et al. 2017: hi-hat 2 to 26 ms ahead",
	},
}

// minCount is how many notes a statistic needs to be drawn; feel uses
// the same threshold before it trusts one.
const minCount = 20

// The page, in SVG user units (pixels).
const (
	width     = 1130.0
	leftX0    = 90.0  // timing panel
	leftX1    = 560.0 //
	rightX0   = 680.0 // swing panel
	rightX1   = 1060.0
	plotH     = 220.0
	rowTop    = 40.0 // heading to plot
	legendTop = 58.0 // plot bottom to first legend line
	lineH     = 16.0
	minBPM    = 60.0
	maxBPM    = 340.0
	swingLo   = 0.8
	swingHi   = 4.0
	font      = `font-family="sans-serif"`
)

// Okabe and Ito's colour-blind-safe palette, one colour per tempo band.
var bandColours = []string{"#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#000000"}

// Swing and triplet-swing points.
const (
	swingColour   = "#0072B2"
	tripletColour = "#D55E00"
	refColour     = "#444444"
)

// SVG writes the profile as an SVG picture: for each role with data,
// onset deviation (ms, mean ± SD) by slot of the beat (beat, e, trip,
// and, let, a) at each tempo band, and the swing (beat-upbeat ratio,
// mean ± SD) against tempo, with the published reference values drawn
// over it.
//
// A role is drawn when one of its tempo bands holds a timing or swing
// statistic of at least 20 notes; a profile with none still gives a
// picture, saying so.
func SVG(w io.Writer, p *feel.Profile) error {
	if p == nil {
		return errors.New("plot: no profile")
	}
	var body svgBuf
	y := 0.0

	// Heading.
	y += 34
	body.text(20, y, 22, "start", `font-weight="bold"`, "Feel: "+p.Name)
	for _, l := range wrap(p.Description, 140) {
		y += 18
		body.text(20, y, 13, "start", "", l)
	}
	y += 18
	body.text(20, y, 12, "start", `fill="#555555"`,
		"Points: mean of the tempo bands with 20 or more notes; bars: ± one standard deviation; dashed: published values.")
	y += 12

	drawn := 0
	for _, name := range roleNames(p) {
		r := p.Roles[name]
		if r == nil || !hasData(r) {
			continue
		}
		y = drawRole(&body, y, name, r)
		drawn++
	}
	if drawn == 0 {
		y += 40
		body.text(width/2, y, 16, "middle", `fill="#aa0000"`,
			"No data to plot: no role has a tempo band with 20 or more notes.")
		y += 20
	}

	if len(p.Sources) > 0 {
		y += 24
		body.text(20, y, 11, "start", `font-weight="bold"`, "Sources")
		for _, s := range p.Sources {
			for _, l := range wrap(s, 170) {
				y += 14
				body.text(20, y, 11, "start", `fill="#333333"`, l)
			}
		}
	}
	y += 20
	height := math.Ceil(y)

	var out bytes.Buffer
	out.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&out, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" %s font-size="12">`+"\n",
		num(width), num(height), num(width), num(height), font)
	out.WriteString("<title>")
	out.WriteString(esc("Feel profile: " + p.Name))
	out.WriteString("</title>\n")
	if p.Description != "" {
		out.WriteString("<desc>")
		out.WriteString(esc(p.Description))
		out.WriteString("</desc>\n")
	}
	fmt.Fprintf(&out, `<rect x="0" y="0" width="%s" height="%s" fill="#ffffff"/>`+"\n", num(width), num(height))
	out.Write(body.Bytes())
	out.WriteString("</svg>\n")
	_, err := w.Write(out.Bytes())
	return err
}

// roleNames is the profile's roles in feel.Roles order, then any others
// sorted by name.
func roleNames(p *feel.Profile) []string {
	var names []string
	seen := map[string]bool{}
	for _, n := range feel.Roles {
		if _, ok := p.Roles[n]; ok {
			names = append(names, n)
			seen[n] = true
		}
	}
	var rest []string
	for n := range p.Roles {
		if !seen[n] {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	return append(names, rest...)
}

func usable(s feel.Stat) bool { return s.N >= minCount && finite(s.Mean) }

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// sd is a statistic's spread, zero where it is not a number.
func sd(s feel.Stat) float64 {
	if !finite(s.SD) || s.SD < 0 {
		return 0
	}
	return s.SD
}

func bandHasTiming(b *feel.TempoBand) bool {
	for _, s := range feel.Slots {
		if t, ok := b.Timing[s.String()]; ok && usable(t.Ms) {
			return true
		}
	}
	return false
}

func hasData(r *feel.Role) bool {
	for i := range r.Bands {
		b := &r.Bands[i]
		if bandHasTiming(b) || usable(b.Swing) || usable(b.TripletSwing) {
			return true
		}
	}
	return false
}

// bandLabel names a tempo band as the picture does: "140-190 bpm", with
// the open top band "250+ bpm" and the bottom one starting at 60, where
// the tempo axis starts.
func bandLabel(b feel.TempoBand) string {
	lo := math.Max(b.Lo, minBPM)
	if b.Hi >= maxBPM {
		return trim(lo) + "+ bpm"
	}
	return trim(lo) + "-" + trim(b.Hi) + " bpm"
}

// centre is a band's middle on a log-tempo scale, as feel interpolates.
func centre(b *feel.TempoBand) float64 {
	lo, hi := math.Max(b.Lo, minBPM), math.Min(b.Hi, maxBPM)
	if lo >= hi {
		return math.Min(math.Max(b.Lo, minBPM), maxBPM)
	}
	return math.Sqrt(lo * hi)
}

// at is a reference's value at a tempo, linear between its points; false
// outside them, where the publication says nothing.
func (r Reference) at(bpm float64) (float64, bool) {
	n := min(len(r.BPM), len(r.Value))
	if n == 0 || bpm < r.BPM[0] || bpm > r.BPM[n-1] {
		return 0, false
	}
	for i := 1; i < n; i++ {
		if bpm <= r.BPM[i] {
			a, b := r.BPM[i-1], r.BPM[i]
			if b == a {
				return r.Value[i], true
			}
			w := (bpm - a) / (b - a)
			return r.Value[i-1]*(1-w) + r.Value[i]*w, true
		}
	}
	return r.Value[n-1], n == 1
}

func referencesFor(role, what string) []Reference {
	var out []Reference
	for _, r := range References {
		if r.Role == role && r.What == what {
			out = append(out, r)
		}
	}
	return out
}

type legendEntry struct {
	draw  func(b *svgBuf, x, y float64)
	label string
}

// drawRole draws one role's row from y and returns where the row ends.
func drawRole(b *svgBuf, y float64, name string, r *feel.Role) float64 {
	fmt.Fprintf(b, `<g class="role" data-role="%s">`+"\n", esc(name))
	b.text(20, y+24, 17, "start", `font-weight="bold"`, name)
	top := y + rowTop
	if r.OffsetMs != 0 && finite(r.OffsetMs) {
		note := fmt.Sprintf("Not drawn: a fixed ensemble offset of %+.0f ms added to every note", r.OffsetMs)
		if r.OffsetSource != "" {
			note += " (" + r.OffsetSource + ")"
		}
		for _, l := range wrap(note+".", 160) {
			b.text(20, top, 12, "start", `fill="#555555"`, l)
			top += 15
		}
		top += 6
	}
	bottom := top + plotH
	left := timingPanel(b, name, r, top, bottom)
	right := swingPanel(b, name, r, top, bottom)
	ly := bottom + legendTop
	end := math.Max(legend(b, left, leftX0, ly, 62), legend(b, right, rightX0, ly, 56))
	b.WriteString("</g>\n")
	return end + 8
}

// legend draws entries from y down, each label wrapped to n characters,
// and returns where it ends.
func legend(b *svgBuf, entries []legendEntry, x, y float64, n int) float64 {
	for _, e := range entries {
		e.draw(b, x, y-4)
		for _, l := range wrap(e.label, n) {
			b.text(x+30, y, 12, "start", "", l)
			y += lineH
		}
	}
	return y
}

// timingPanel draws onset deviation by slot, one series per tempo band.
func timingPanel(b *svgBuf, role string, r *feel.Role, top, bottom float64) []legendEntry {
	var bands []int
	for i := range r.Bands {
		if bandHasTiming(&r.Bands[i]) {
			bands = append(bands, i)
		}
	}
	lateness := referencesFor(role, "lateness")
	// refAt[k] is the lateness references' values at plotted band k.
	refAt := make([][]float64, len(bands))

	lo, hi := 0.0, 0.0
	for k, i := range bands {
		band := &r.Bands[i]
		for _, s := range feel.Slots {
			t, ok := band.Timing[s.String()]
			if !ok || !usable(t.Ms) {
				continue
			}
			lo = math.Min(lo, t.Ms.Mean-sd(t.Ms))
			hi = math.Max(hi, t.Ms.Mean+sd(t.Ms))
		}
		for _, ref := range lateness {
			if v, ok := ref.at(centre(band)); ok {
				refAt[k] = append(refAt[k], v)
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	// A profile that skipped feel's Check may hold anything; past a
	// second either way the points sit on the panel's edge.
	lo, hi = math.Max(lo, -1000), math.Min(hi, 1000)
	if hi-lo < 10 {
		lo, hi = math.Min(lo, -5), math.Max(hi, 5)
	}
	step := niceStep((hi - lo) / 5)
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	ys := func(ms float64) float64 { return clamp(bottom-(ms-lo)/(hi-lo)*plotH, top, bottom) }

	colW := (leftX1 - leftX0) / float64(len(feel.Slots))
	colX := func(j int) float64 { return leftX0 + (float64(j)+0.5)*colW }
	dodge := math.Min(12, colW*0.7/float64(max(len(bands), 1)))
	offset := func(k int) float64 { return (float64(k) - float64(len(bands)-1)/2) * dodge }

	// Frame, grid and axes.
	b.rect(leftX0, top, leftX1-leftX0, plotH, `fill="none" stroke="#999999"`)
	for v := lo; v <= hi+step/2; v += step {
		yy := ys(v)
		if math.Abs(v) > step/2 {
			b.line(leftX0, yy, leftX1, yy, `stroke="#e6e6e6"`)
		}
		b.text(leftX0-6, yy+4, 11, "end", "", signed(v))
	}
	for j := 1; j < len(feel.Slots); j++ {
		x := leftX0 + float64(j)*colW
		b.line(x, top, x, bottom, `stroke="#f0f0f0"`)
	}
	for j, s := range feel.Slots {
		b.text(colX(j), bottom+16, 12, "middle", "", s.String())
	}
	b.text((leftX0+leftX1)/2, bottom+34, 12, "middle", "",
		"slot of the beat (e, a: sixteenths; trip, let: triplet eighths; and: eighth)")
	b.vtext(leftX0-44, (top+bottom)/2, 12, "ms late (+) / early (−)")
	z := ys(0)
	b.line(leftX0, z, leftX1, z, `stroke="#555555" stroke-width="1.2"`)
	b.text(leftX1+4, z+4, 11, "start", `fill="#555555"`, "on the grid")

	if len(bands) == 0 {
		b.text((leftX0+leftX1)/2, (top+bottom)/2, 13, "middle", `fill="#777777"`,
			"no tempo band has 20 or more notes on a slot")
		return nil
	}

	var legend []legendEntry
	for k, i := range bands {
		band := &r.Bands[i]
		colour := bandColours[i%len(bandColours)]
		label := bandLabel(*band)
		fmt.Fprintf(b, `<g class="band" data-band="%s">`+"\n", esc(label))
		var path []string
		for j, s := range feel.Slots {
			t, ok := band.Timing[s.String()]
			if !ok || !usable(t.Ms) {
				continue
			}
			x, yy := colX(j)+offset(k), ys(t.Ms.Mean)
			path = append(path, num(x)+","+num(yy))
			if d := sd(t.Ms); d > 0 {
				b.errorBar(x, ys(t.Ms.Mean-d), ys(t.Ms.Mean+d), colour)
			}
			fmt.Fprintf(b, `<circle class="timing" cx="%s" cy="%s" r="4" fill="%s" data-role="%s" data-band="%s" data-slot="%s" data-ms="%s" data-sd="%s" data-n="%d">`,
				num(x), num(yy), colour, esc(role), esc(label), s, num(t.Ms.Mean), num(sd(t.Ms)), t.Ms.N)
			fmt.Fprintf(b, "<title>%s</title></circle>\n",
				esc(fmt.Sprintf("%s, %s, %s: %+.1f ± %.1f ms (%d notes)", role, label, s, t.Ms.Mean, sd(t.Ms), t.Ms.N)))
		}
		if len(path) > 1 {
			fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="1" stroke-opacity="0.5"/>`+"\n",
				strings.Join(path, " "), colour)
		}
		half := math.Max(3, dodge/2-1)
		for _, v := range refAt[k] {
			x := colX(0) + offset(k)
			fmt.Fprintf(b, `<line class="reference" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2" stroke-dasharray="3 2" data-role="%s" data-ms="%s"/>`+"\n",
				num(x-half), num(ys(v)), num(x+half), num(ys(v)), colour, esc(role), num(v))
		}
		b.WriteString("</g>\n")
		legend = append(legend, legendEntry{
			draw: func(b *svgBuf, x, y float64) {
				b.line(x, y, x+22, y, `stroke="`+colour+`" stroke-width="1.5"`)
				fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="4" fill="%s"/>`+"\n", num(x+11), num(y), colour)
			},
			label: label,
		})
	}
	seen := map[string]bool{}
	for _, ref := range lateness {
		if seen[ref.Source] {
			continue
		}
		seen[ref.Source] = true
		legend = append(legend, legendEntry{
			draw: func(b *svgBuf, x, y float64) {
				b.line(x+4, y, x+18, y, `stroke="`+refColour+`" stroke-width="2" stroke-dasharray="3 2"`)
			},
			label: ref.Source + "; ticks on the beat, in band colours",
		})
	}
	return legend
}

// swingPanel draws the beat-upbeat ratio against tempo.
func swingPanel(b *svgBuf, role string, r *feel.Role, top, bottom float64) []legendEntry {
	refs := referencesFor(role, "swing")
	lo, hi := swingLo, swingHi
	for i := range r.Bands {
		for _, s := range []feel.Stat{r.Bands[i].Swing, r.Bands[i].TripletSwing} {
			if usable(s) {
				lo, hi = math.Min(lo, s.Mean-sd(s)), math.Max(hi, s.Mean+sd(s))
			}
		}
	}
	// Past the usual range the axis grows in half steps.
	if lo < swingLo {
		lo = math.Floor(lo*2) / 2
	}
	if hi > swingHi {
		hi = math.Ceil(hi*2) / 2
	}
	lo, hi = math.Max(lo, 0), math.Min(hi, 10)
	xs := func(bpm float64) float64 {
		bpm = math.Min(math.Max(bpm, minBPM), maxBPM)
		return rightX0 + (bpm-minBPM)/(maxBPM-minBPM)*(rightX1-rightX0)
	}
	ys := func(v float64) float64 { return clamp(bottom-(v-lo)/(hi-lo)*plotH, top, bottom) }

	b.rect(rightX0, top, rightX1-rightX0, plotH, `fill="none" stroke="#999999"`)
	for v := math.Ceil(lo*2) / 2; v <= hi+1e-9; v += 0.5 {
		yy := ys(v)
		if v != 1 && v != 2 {
			b.line(rightX0, yy, rightX1, yy, `stroke="#e6e6e6"`)
		}
		b.text(rightX0-6, yy+4, 11, "end", "", strconv.FormatFloat(v, 'f', 1, 64))
	}
	for bpm := minBPM; bpm <= maxBPM; bpm += 40 {
		x := xs(bpm)
		b.line(x, bottom, x, bottom+4, `stroke="#999999"`)
		b.text(x, bottom+16, 11, "middle", "", trim(bpm))
	}
	b.text((rightX0+rightX1)/2, bottom+34, 12, "middle", "", "tempo (bpm)")
	b.vtext(rightX0-40, (top+bottom)/2, 12, "swing ratio (beat : upbeat)")
	for _, g := range []struct {
		v     float64
		label string
	}{{1, "straight"}, {2, "triplet"}} {
		yy := ys(g.v)
		b.line(rightX0, yy, rightX1, yy, `stroke="#555555" stroke-dasharray="1 3" stroke-width="1.2"`)
		b.text(rightX1+4, yy+4, 11, "start", `fill="#555555"`, g.label)
	}

	var legend []legendEntry
	dashes := []string{"8 4", "4 4", "12 4 2 4"}
	seen := map[string]int{}
	for _, ref := range refs {
		k, ok := seen[ref.Source]
		if !ok {
			k = len(seen)
			seen[ref.Source] = k
			dash := dashes[k%len(dashes)]
			legend = append(legend, legendEntry{
				draw: func(b *svgBuf, x, y float64) {
					b.line(x, y, x+22, y, `stroke="`+refColour+`" stroke-width="1.5" stroke-dasharray="`+dash+`"`)
				},
				label: ref.Source,
			})
		}
		var pts []string
		for i := 0; i < min(len(ref.BPM), len(ref.Value)); i++ {
			pts = append(pts, num(xs(ref.BPM[i]))+","+num(ys(ref.Value[i])))
		}
		fmt.Fprintf(b, `<polyline class="reference" points="%s" fill="none" stroke="%s" stroke-width="1.5" stroke-dasharray="%s" data-role="%s"/>`+"\n",
			strings.Join(pts, " "), refColour, dashes[k%len(dashes)], esc(role))
	}

	series := []struct {
		kind, label, colour string
		dx                  float64
		stat                func(*feel.TempoBand) feel.Stat
	}{
		{"swing", "eighths written straight", swingColour, -3, func(b *feel.TempoBand) feel.Stat { return b.Swing }},
		{"triplet", "eighths written as triplets", tripletColour, 3, func(b *feel.TempoBand) feel.Stat { return b.TripletSwing }},
	}
	var points []legendEntry
	for _, sr := range series {
		var path []string
		var marks bytes.Buffer
		for i := range r.Bands {
			band := &r.Bands[i]
			s := sr.stat(band)
			if !usable(s) {
				continue
			}
			x, yy := xs(centre(band))+sr.dx, ys(s.Mean)
			path = append(path, num(x)+","+num(yy))
			bar := svgBuf{}
			if d := sd(s); d > 0 {
				bar.errorBar(x, ys(s.Mean-d), ys(s.Mean+d), sr.colour)
			}
			marks.Write(bar.Bytes())
			label := bandLabel(*band)
			attrs := fmt.Sprintf(`class="swing" fill="%s" data-role="%s" data-kind="%s" data-band="%s" data-ratio="%s" data-sd="%s" data-n="%d"`,
				sr.colour, esc(role), sr.kind, esc(label), num(s.Mean), num(sd(s)), s.N)
			tip := esc(fmt.Sprintf("%s, %s, %s: %.2f ± %.2f (%d pairs)", role, label, sr.label, s.Mean, sd(s), s.N))
			if sr.kind == "swing" {
				fmt.Fprintf(&marks, `<circle cx="%s" cy="%s" r="4.5" %s><title>%s</title></circle>`+"\n", num(x), num(yy), attrs, tip)
			} else {
				fmt.Fprintf(&marks, `<rect x="%s" y="%s" width="8" height="8" %s><title>%s</title></rect>`+"\n", num(x-4), num(yy-4), attrs, tip)
			}
		}
		if len(path) == 0 {
			continue
		}
		if len(path) > 1 {
			fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="1" stroke-opacity="0.6"/>`+"\n",
				strings.Join(path, " "), sr.colour)
		}
		b.Write(marks.Bytes())
		colour, kind := sr.colour, sr.kind
		points = append(points, legendEntry{
			draw: func(b *svgBuf, x, y float64) {
				if kind == "swing" {
					fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="4.5" fill="%s"/>`+"\n", num(x+11), num(y), colour)
				} else {
					fmt.Fprintf(b, `<rect x="%s" y="%s" width="8" height="8" fill="%s"/>`+"\n", num(x+7), num(y-4), colour)
				}
			},
			label: sr.label,
		})
	}
	if len(points) == 0 {
		b.text((rightX0+rightX1)/2, (top+bottom)/2, 13, "middle", `fill="#777777"`,
			"no tempo band has 20 or more swung pairs")
	}
	return append(points, legend...)
}

func clamp(x, lo, hi float64) float64 { return math.Min(math.Max(x, lo), hi) }

// niceStep rounds a raw axis step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || !finite(raw) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// wrap breaks text into lines of at most n runes at spaces.
func wrap(s string, n int) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		var cur []string
		length := 0
		for _, w := range strings.Fields(para) {
			l := len([]rune(w))
			if length > 0 && length+1+l > n {
				lines = append(lines, strings.Join(cur, " "))
				cur, length = nil, 0
			}
			if length > 0 {
				length++
			}
			cur = append(cur, w)
			length += l
		}
		if len(cur) > 0 {
			lines = append(lines, strings.Join(cur, " "))
		}
	}
	return lines
}

// esc escapes text for XML character data and attribute values;
// characters XML cannot hold become U+FFFD.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}

// num formats a coordinate: one decimal, no trailing zero, so the same
// profile always gives the same bytes.
func num(x float64) string {
	if !finite(x) {
		return "0"
	}
	s := strconv.FormatFloat(x, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		s = "0"
	}
	return s
}

// trim formats a tempo or a tick value without needless decimals.
func trim(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func signed(v float64) string {
	s := trim(math.Round(v*100) / 100)
	switch {
	case v > 1e-9:
		return "+" + s
	case v < -1e-9:
		return "−" + strings.TrimPrefix(s, "-")
	}
	return "0"
}

// svgBuf collects the picture's elements.
type svgBuf struct{ bytes.Buffer }

func (b *svgBuf) text(x, y, size float64, anchor, attrs, s string) {
	fmt.Fprintf(b, `<text x="%s" y="%s" font-size="%s" text-anchor="%s"`, num(x), num(y), num(size), anchor)
	if attrs != "" {
		b.WriteString(" " + attrs)
	}
	b.WriteString(">" + esc(s) + "</text>\n")
}

// vtext is text turned to read upwards, for a y axis label.
func (b *svgBuf) vtext(x, y, size float64, s string) {
	fmt.Fprintf(b, `<text x="%s" y="%s" font-size="%s" text-anchor="middle" transform="rotate(-90 %s %s)">%s</text>`+"\n",
		num(x), num(y), num(size), num(x), num(y), esc(s))
}

func (b *svgBuf) line(x1, y1, x2, y2 float64, attrs string) {
	fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" %s/>`+"\n", num(x1), num(y1), num(x2), num(y2), attrs)
}

func (b *svgBuf) rect(x, y, w, h float64, attrs string) {
	fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" %s/>`+"\n", num(x), num(y), num(w), num(h), attrs)
}

// errorBar is a vertical bar with caps from y1 to y2.
func (b *svgBuf) errorBar(x, y1, y2 float64, colour string) {
	attrs := `stroke="` + colour + `" stroke-width="1.2"`
	b.line(x, y1, x, y2, attrs)
	b.line(x-3, y1, x+3, y1, attrs)
	b.line(x-3, y2, x+3, y2, attrs)
}
