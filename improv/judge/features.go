package judge

import (
	"math"
)

// SegmentNotes is the length of the segments the classifier judges.
const SegmentNotes = 24

// FeatureNames name the segment features, in the order segmentFeatures
// writes them. None reads velocity; none says who made the notes but the
// notes themselves.
var FeatureNames = []string{
	// pitch
	"pitch mean", "pitch sd", "pitch range", "interval |mean|", "interval sd",
	"repeats", "steps", "leaps>=5", "leaps>=8", "ascending", "direction changes",
	"pitch-class entropy", "interval entropy", "chord tones", "strong-beat chord tones",
	"step after leap", "pitch lag-2 corr",
	// rhythm
	"log IOI mean", "log IOI sd", "IOI entropy", "IOI<0.3", "IOI eighth-ish", "IOI triplet-ish",
	"IOI max", "rests>=1 beat", "span beats", "on-beat onsets", "beat-position entropy",
	"same IOI as before", "IOI lag-1 ratio sd",
	// timing
	"|off grid| mean ms", "off grid sd ms", "on grid (<2ms)", "on-beat deviation mean ms",
	"on-beat deviation sd ms", "log BUR mean", "BUR pairs",
	// articulation
	"dur/IOI mean", "dur/IOI sd", "legato", "staccato", "log dur mean", "log dur sd", "dur on grid",
	// context given to the soloist
	"tempo",
}

func entropy(counts map[int]int, n int) float64 {
	h := 0.0
	for _, c := range counts {
		p := float64(c) / float64(n)
		h -= p * math.Log2(p)
	}
	return h
}

func meanSD(xs []float64) (float64, float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	v := 0.0
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return m, math.Sqrt(v / float64(len(xs)))
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// FeatureGroups are the features' kinds, as ranges of FeatureNames; the
// tempo (the last feature, given with the lead) goes with each.
var FeatureGroups = []struct {
	Name     string
	From, To int
}{{"pitch", 0, 17}, {"rhythm", 17, 30}, {"timing", 30, 37}, {"articulation", 37, 44}}

// segmentFeatures describes notes l.notes[i:i+SegmentNotes]. The IOI of the
// segment's last note reads the next note's onset when there is one.
func (l *line) segmentFeatures(i int) []float64 {
	seg := l.notes[i : i+SegmentNotes]
	n := len(seg)
	f := make([]float64, 0, len(FeatureNames))

	// pitch
	ps := make([]float64, n)
	lo, hi := 127.0, 0.0
	pcs := map[int]int{}
	for j, x := range seg {
		ps[j] = float64(x.Pitch)
		lo, hi = math.Min(lo, ps[j]), math.Max(hi, ps[j])
		pcs[int(x.Pitch)%12]++
	}
	pm, psd := meanSD(ps)
	ivs := make([]float64, n-1)
	absIv := make([]float64, n-1)
	ivc := map[int]int{}
	var rep, step, leap5, leap8, asc, turns, stepAfterLeap, leapsFollowed int
	for j := 1; j < n; j++ {
		d := int(seg[j].Pitch) - int(seg[j-1].Pitch)
		ivs[j-1], absIv[j-1] = float64(d), math.Abs(float64(d))
		ivc[intervalBin(d)]++
		a := abs(d)
		switch {
		case a == 0:
			rep++
		case a <= 2:
			step++
		}
		if a >= 5 {
			leap5++
		}
		if a >= 8 {
			leap8++
		}
		if d > 0 {
			asc++
		}
		if j >= 2 {
			prev := int(seg[j-1].Pitch) - int(seg[j-2].Pitch)
			if prev*d < 0 {
				turns++
			}
			if abs(prev) >= 5 {
				leapsFollowed++
				if a <= 2 && prev*d < 0 {
					stepAfterLeap++
				}
			}
		}
	}
	am, _ := meanSD(absIv)
	_, ivsd := meanSD(ivs)
	var tones, toned, strongTones, strong int
	for _, x := range seg {
		c := l.chordAt(x.Onset)
		if c.NoChord {
			continue
		}
		toned++
		ct := chordTone(c, x.Pitch)
		if ct {
			tones++
		}
		if l.strongBeat(x.Onset) {
			strong++
			if ct {
				strongTones++
			}
		}
	}
	// lag-2 autocorrelation of pitch around the segment's mean
	var num, den float64
	for j := range ps {
		den += (ps[j] - pm) * (ps[j] - pm)
		if j >= 2 {
			num += (ps[j] - pm) * (ps[j-2] - pm)
		}
	}
	lag2 := 0.0
	if den > 0 {
		lag2 = num / den
	}
	f = append(f, pm, psd, hi-lo, am, ivsd,
		share(rep, n-1), share(step, n-1), share(leap5, n-1), share(leap8, n-1), share(asc, n-1), share(turns, n-2),
		entropy(pcs, n), entropy(ivc, n-1), share(tones, toned), share(strongTones, strong),
		share(stepAfterLeap, leapsFollowed), lag2)

	// rhythm
	end := i + n
	iois := make([]float64, 0, n)
	for j := i; j < end; j++ {
		if j+1 < len(l.notes) {
			iois = append(iois, l.notes[j+1].Onset-l.notes[j].Onset)
		}
	}
	logIOI := make([]float64, 0, len(iois))
	ioic := map[int]int{}
	var short, eighth, triplet, rests, same int
	maxIOI := 0.0
	var ratios []float64
	for j, d := range iois {
		logIOI = append(logIOI, math.Log2(math.Max(d, 1.0/64)))
		ioic[twelfths(d)]++
		switch {
		case d < 0.3:
			short++
		case d >= 0.4 && d <= 0.6:
			eighth++
		}
		if math.Abs(d-1.0/3) < 0.05 || math.Abs(d-2.0/3) < 0.05 {
			triplet++
		}
		maxIOI = math.Max(maxIOI, d)
		if j > 0 {
			if twelfths(d) == twelfths(iois[j-1]) {
				same++
			}
			ratios = append(ratios, math.Log2(math.Max(d, 1.0/64)/math.Max(iois[j-1], 1.0/64)))
		}
	}
	for j := i + 1; j < end; j++ {
		if l.notes[j].Onset-l.notes[j-1].End() >= PhraseRest {
			rests++
		}
	}
	lm, lsd := meanSD(logIOI)
	_, rsd := meanSD(ratios)
	var onBeat int
	posc := map[int]int{}
	for _, x := range seg {
		fr := x.Onset - math.Floor(x.Onset)
		posc[int(math.Round(fr*12))%12]++
		if math.Abs(x.Onset-math.Round(x.Onset)) < 1.0/24 {
			onBeat++
		}
	}
	f = append(f, lm, lsd, entropy(ioic, len(iois)), share(short, len(iois)), share(eighth, len(iois)), share(triplet, len(iois)),
		maxIOI, float64(rests), seg[n-1].End()-seg[0].Onset, share(onBeat, n), entropy(posc, n),
		share(same, len(iois)-1), rsd)

	// timing: deviations from the sixteenth/triplet grid and the beat, in ms
	var offs []float64
	var offAbs, onGrid int
	offAbsSum := 0.0
	var beatDev []float64
	for _, x := range seg {
		ms := 1000 * (secondsAt(l.secs, x.Onset) - secondsAt(l.secs, snap(x.Onset)))
		offs = append(offs, ms)
		offAbsSum += math.Abs(ms)
		offAbs++
		if math.Abs(ms) < 2 {
			onGrid++
		}
		k := math.Round(x.Onset)
		if math.Abs(x.Onset-k) <= 1.0/6 {
			beatDev = append(beatDev, 1000*(secondsAt(l.secs, x.Onset)-secondsAt(l.secs, k)))
		}
	}
	_, offSD := meanSD(offs)
	bdm, bdsd := meanSD(beatDev)
	bur := beatUpbeat(seg)
	burm, _ := meanSD(bur)
	f = append(f, offAbsSum/float64(offAbs), offSD, share(onGrid, n), bdm, bdsd, burm, float64(len(bur)))

	// articulation
	var art, logDur []float64
	var legato, staccato, durGrid int
	for j, x := range seg {
		logDur = append(logDur, math.Log2(math.Max(x.Duration, 1.0/64)))
		endMs := 1000 * (secondsAt(l.secs, x.End()) - secondsAt(l.secs, snap(x.End())))
		if math.Abs(endMs) < 2 {
			durGrid++
		}
		if j < len(iois) && iois[j] > 0 {
			r := math.Min(x.Duration/iois[j], 2)
			art = append(art, r)
			if r > 0.9 {
				legato++
			}
			if r < 0.5 {
				staccato++
			}
		}
	}
	artm, artsd := meanSD(art)
	ldm, ldsd := meanSD(logDur)
	f = append(f, artm, artsd, share(legato, len(art)), share(staccato, len(art)), ldm, ldsd, share(durGrid, n))

	f = append(f, l.tempo)
	return f
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
