package feel

import (
	"math"
	"slices"
	"sort"

	"sideman/feel/stats"
)

// Learn summarizes performances into a profile: per role, the timing of
// every grid slot by tempo band, the beat-upbeat ratio by tempo band,
// velocity by position in the bar and its spread (VelocitySpread),
// articulation, and the fluctuation exponent of the timing. Roles with
// fewer than minCount notes are left out. A role whose performances carry
// no velocities, or fewer than minDistinctVelocities different ones (a
// label, not a loudness), is marked NoDynamics and has no velocity
// statistics. Timing, swing and articulation are trimmed of outliers
// (trimmedStat). Ratios beyond 0.25..5 (a misplaced note, not a swing) and
// articulations beyond 0.05..3 are dropped as outliers.
func Learn(name string, perfs []Performance) *Profile {
	type acc struct {
		ms, share map[int]map[Slot][]float64 // band → slot → values
		swing     map[int][]float64
		triplet   map[int][]float64
		vel       map[string][]float64
		spread    []float64 // log velocity about the performance's position median
		distinct  map[int]bool
		art       []float64
		hurst     []float64 // one per long performance
		hurstW    []float64
		beats     beatVariance
		lead      []float64
		notes     int
	}
	accs := map[string]*acc{}
	get := func(role string) *acc {
		a := accs[role]
		if a == nil {
			a = &acc{ms: map[int]map[Slot][]float64{}, share: map[int]map[Slot][]float64{}, swing: map[int][]float64{}, triplet: map[int][]float64{}, vel: map[string][]float64{}, distinct: map[int]bool{}}
			accs[role] = a
		}
		return a
	}
	for i := range perfs {
		p := &perfs[i]
		band := TempoBandOf(p.Tempo)
		roles := map[string]bool{}
		for role, x := range p.VelocityResiduals() {
			get(role).spread = append(get(role).spread, x...)
		}
		for _, h := range p.Hits {
			a := get(h.Role)
			roles[h.Role] = true
			a.notes++
			if h.Slot != OffGrid && h.BeatDur > 0 {
				if a.ms[band] == nil {
					a.ms[band], a.share[band] = map[Slot][]float64{}, map[Slot][]float64{}
				}
				a.ms[band][h.Slot] = append(a.ms[band][h.Slot], 1000*h.Dev())
				a.share[band][h.Slot] = append(a.share[band][h.Slot], h.Dev()/h.BeatDur)
				if h.Velocity > 0 {
					pos := Position(h.BarBeat, h.Slot)
					a.vel[pos] = append(a.vel[pos], float64(h.Velocity))
					a.distinct[h.Velocity] = true
				}
			}
			if h.Articulation > 0.05 && h.Articulation < 3 {
				a.art = append(a.art, h.Articulation)
			}
		}
		for role := range roles {
			a := get(role)
			ratios, slots := p.beatUpbeatPairs(role)
			for i, r := range ratios {
				switch {
				case r < 0.25 || r > 5:
				case slots[i] == SlotLet:
					a.triplet[band] = append(a.triplet[band], r)
				default:
					a.swing[band] = append(a.swing[band], r)
				}
			}
			series := p.TimingSeries(role)
			if alpha, ok := stats.DFA(series); ok && len(series) >= 128 {
				a.hurst = append(a.hurst, alpha)
				a.hurstW = append(a.hurstW, float64(len(series)))
			}
			a.beats.add(p)
			if role == Piano || role == Soloist || role == Bass {
				// Two hits of one drum at once are a flam, not a chord.
				a.lead = append(a.lead, chordLeads(p, role)...)
			}
		}
	}
	prof := &Profile{Name: name, Roles: map[string]*Role{}}
	for role, a := range accs {
		if a.notes < minCount || !known(role) {
			continue
		}
		r := &Role{Hurst: -1}
		for bi, tb := range tempoBands {
			b := TempoBand{Lo: tb.lo, Hi: tb.hi, Timing: map[string]Timing{}}
			for s, ms := range a.ms[bi] {
				b.Timing[s.String()] = Timing{Ms: withQuantiles(trimmedStat(ms), ms), Share: withQuantiles(trimmedStat(a.share[bi][s]), a.share[bi][s])}
			}
			b.Swing = withQuantiles(statOf(a.swing[bi]), a.swing[bi])
			b.TripletSwing = withQuantiles(statOf(a.triplet[bi]), a.triplet[bi])
			r.Bands = append(r.Bands, b)
		}
		if len(a.distinct) < minDistinctVelocities {
			r.NoDynamics = true
		} else {
			r.Velocity = map[string]Stat{}
			for pos, v := range a.vel {
				r.Velocity[pos] = statOf(v)
			}
			if len(a.spread) >= minCount {
				r.VelocitySpread = robustStat(a.spread)
			}
		}
		r.Articulation = trimmedStat(a.art)
		if len(a.hurst) > 0 {
			var s, w float64
			for i, h := range a.hurst {
				s += h * a.hurstW[i]
				w += a.hurstW[i]
			}
			r.Hurst = math.Min(math.Max(s/w, 0), 1.5)
		}
		r.BeatShare = round(a.beats.share(), 4)
		r.Lead = trimmedStat(a.lead)
		prof.Roles[role] = r
	}
	// A role with no performance long enough to measure takes the mean
	// exponent of the roles that have one, or 0.75, the middle of the
	// range Hennig et al. (2011) report for human timing, where none has:
	// never independent noise for lack of a measurement.
	var sum float64
	var n int
	for _, r := range prof.Roles {
		if r.Hurst >= 0 {
			sum += r.Hurst
			n++
		}
	}
	fallback := 0.75
	if n > 0 {
		fallback = round(sum/float64(n), 4)
	}
	for _, r := range prof.Roles {
		if r.Hurst < 0 {
			r.Hurst = fallback
		}
	}
	return prof
}

// beatVariance splits a player's timing residuals (deviation less the
// mean of the note's role and slot, in ms; every role of the performance,
// as a drummer's kick and hi-hat) over beats with two notes or more into
// the part the notes of a beat share and the part each note has alone: a
// one-way analysis of variance, beats as groups. Each role gets the share
// of the performances it plays in.
type beatVariance struct {
	within   float64 // sum of squares about the beat means
	withinDF int
	means    []float64
	invCount float64 // sum of 1/k over the beats
}

func (v *beatVariance) add(p *Performance) {
	type key struct {
		role string
		slot Slot
	}
	sum := map[key]float64{}
	cnt := map[key]int{}
	for _, h := range p.Hits {
		if h.Slot != OffGrid {
			sum[key{h.Role, h.Slot}] += h.Dev()
			cnt[key{h.Role, h.Slot}]++
		}
	}
	byBeat := map[int][]float64{}
	for _, h := range p.Hits {
		if h.Slot != OffGrid {
			k := key{h.Role, h.Slot}
			r := 1000 * (h.Dev() - sum[k]/float64(cnt[k]))
			byBeat[h.Beat] = append(byBeat[h.Beat], r)
		}
	}
	keys := make([]int, 0, len(byBeat))
	for k := range byBeat {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		x := byBeat[k]
		if len(x) < 2 {
			continue
		}
		m, _ := stats.MeanSD(x)
		for _, r := range x {
			v.within += (r - m) * (r - m)
		}
		v.withinDF += len(x) - 1
		v.means = append(v.means, m)
		v.invCount += 1 / float64(len(x))
	}
}

// share is the shared part's share of the variance: the variance of the
// beat means less what the notes' own spread puts into them (σ²_w / k),
// over that plus σ²_w.
func (v *beatVariance) share() float64 {
	if v.withinDF == 0 || len(v.means) < 2 {
		return 0
	}
	w := v.within / float64(v.withinDF)
	_, sd := stats.MeanSD(v.means)
	b := sd*sd - w*v.invCount/float64(len(v.means))
	if b <= 0 {
		return 0
	}
	return b / (b + w)
}

// trimmedStat is statOf after dropping the points more than three robust
// standard deviations (1.4826 median absolute deviations) from the
// median: a flam or a note given to the wrong slot is not part of a
// player's timing, and a normal draw with a spread inflated by such
// outliers would scatter every note.
func trimmedStat(x []float64) Stat {
	if len(x) < 4 {
		return statOf(x)
	}
	med := stats.Median(x)
	dev := make([]float64, len(x))
	for i, v := range x {
		dev[i] = math.Abs(v - med)
	}
	lim := 3 * 1.4826 * stats.Median(dev)
	kept := make([]float64, 0, len(x))
	for _, v := range x {
		if math.Abs(v-med) <= lim {
			kept = append(kept, v)
		}
	}
	if len(kept) < len(x)/2 {
		return statOf(x)
	}
	return statOf(kept)
}

// chordLeads lists, for each chord of a role (two notes or more at one
// grid position), how far its top note sounds from the mean of the others,
// in ms.
func chordLeads(p *Performance, role string) []float64 {
	type chord struct {
		top, topTime, others float64
		n                    int
	}
	chords := map[float64]*chord{}
	var order []float64
	for _, h := range p.Hits {
		if h.Role != role || h.Slot == OffGrid {
			continue
		}
		c := chords[h.Grid]
		if c == nil {
			c = &chord{top: -1}
			chords[h.Grid] = c
			order = append(order, h.Grid)
		}
		c.n++
		if float64(h.Pitch) > c.top {
			if c.top >= 0 {
				c.others += c.topTime
			}
			c.top, c.topTime = float64(h.Pitch), h.Time
		} else {
			c.others += h.Time
		}
	}
	var out []float64
	for _, g := range order {
		if c := chords[g]; c.n >= 2 {
			out = append(out, 1000*(c.topTime-c.others/float64(c.n-1)))
		}
	}
	return out
}

// minDistinctVelocities is how many different velocities a role's notes
// must have for the corpus to count as carrying dynamics: the WJazzD bass
// transcriptions mark every note 0.8 or 1.0 of full scale, a label of two
// values, and a feel learned from it played two velocities, ghost notes
// as loud as the rest.
const minDistinctVelocities = 8

// robustStat is a sample's count, median (as Mean) and robust standard
// deviation (1.4826 median absolute deviations, as SD): a spread that a
// few intended accents among plain notes do not inflate.
func robustStat(x []float64) Stat {
	med := stats.Median(x)
	dev := make([]float64, len(x))
	for i, v := range x {
		dev[i] = math.Abs(v - med)
	}
	return Stat{N: len(x), Mean: round(med, 4), SD: round(1.4826*stats.Median(dev), 4)}
}

// accent is the velocity from which a note of a part counts as accented:
// the loudest quarter of the velocities given (the 75th percentile), or 0
// when they do not vary (a part at one velocity has no accents).
func accent(velocities []int) int {
	if len(velocities) < 4 {
		return 0
	}
	v := slices.Clone(velocities)
	slices.Sort(v)
	lv := v[len(v)*3/4]
	if lv <= v[0] {
		return 0
	}
	return lv
}

// minQuantileCount is the smallest sample whose quantiles a profile
// keeps: below it the outer quantiles would be single notes' values, and a
// profile holds statistics, never a performance's notes.
const minQuantileCount = 100

// withQuantiles adds the sample's quantiles at QuantileLevels to s, where
// the sample is big enough to give them.
func withQuantiles(s Stat, x []float64) Stat {
	if len(x) < minQuantileCount {
		return s
	}
	y := append([]float64(nil), x...)
	sort.Float64s(y)
	s.Q = make([]float64, len(QuantileLevels))
	for i, p := range QuantileLevels {
		pos := p * float64(len(y)-1)
		lo := int(pos)
		hi := min(lo+1, len(y)-1)
		s.Q[i] = round(y[lo]+(pos-float64(lo))*(y[hi]-y[lo]), 4)
	}
	return s
}

func statOf(x []float64) Stat {
	m, sd := stats.MeanSD(x)
	return Stat{N: len(x), Mean: round(m, 4), SD: round(sd, 4)}
}

// round keeps profiles small and their diffs readable.
func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

// Centre moves the timing of the roles (one player: a bass, or the pieces
// of one drum kit) so that, in each tempo band, their downbeats average on
// the grid, keeping the roles' timing relative to each other. A corpus
// measures a player against its own reference (Groove MIDI's drummers
// against a click, which drummers anticipate; WJazzD's bass against beats
// tapped by annotators), and those references differ: a band made from
// several corpora must put each player's time on a common beat before the
// published asynchronies between them (OffsetMs) mean anything.
func (p *Profile) Centre(roles ...string) {
	for bi := range tempoBands {
		var sum, share float64
		var n int
		for _, name := range roles {
			r := p.Roles[name]
			if r == nil || bi >= len(r.Bands) {
				continue
			}
			if t, ok := r.Bands[bi].Timing[SlotBeat.String()]; ok && t.Ms.N > 0 {
				sum += t.Ms.Mean * float64(t.Ms.N)
				share += t.Share.Mean * float64(t.Ms.N)
				n += t.Ms.N
			}
		}
		if n == 0 {
			continue
		}
		ms, sh := sum/float64(n), share/float64(n)
		for _, name := range roles {
			r := p.Roles[name]
			if r == nil || bi >= len(r.Bands) {
				continue
			}
			for slot, t := range r.Bands[bi].Timing {
				t.Ms = shifted(t.Ms, ms)
				t.Share = shifted(t.Share, sh)
				r.Bands[bi].Timing[slot] = t
			}
		}
	}
}

// shifted is s moved by d: the mean and every quantile.
func shifted(s Stat, d float64) Stat {
	s.Mean = round(s.Mean-d, 4)
	if s.Q != nil {
		q := make([]float64, len(s.Q))
		for i, v := range s.Q {
			q[i] = round(v-d, 4)
		}
		s.Q = q
	}
	return s
}
