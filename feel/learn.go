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
//
// It runs in three phases: gather what each role played, performance by
// performance (roleSample); summarize each role that played enough into
// the profile's statistics (roleSample.summary); give the roles too short
// to measure a fluctuation exponent (Profile.fillHurst).
func Learn(name string, perfs []Performance) *Profile {
	roles := map[string]*roleSample{}
	for i := range perfs {
		gather(roles, &perfs[i])
	}
	prof := &Profile{Name: name, Roles: map[string]*Role{}}
	for role, s := range roles {
		if s.notes >= minCount && known(role) {
			prof.Roles[role] = s.summary()
		}
	}
	prof.fillHurst()
	return prof
}

// roleSample is what one role played over the performances learned from:
// the values its statistics are taken of.
type roleSample struct {
	ms, share map[int]map[Slot][]float64 // tempo band → slot → deviations (ms, share of a beat)
	swing     map[int][]float64          // tempo band → ratios of pairs written straight
	triplet   map[int][]float64          // tempo band → ratios of pairs written as triplets
	vel       map[string][]float64       // Position → velocities
	spread    []float64                  // log velocity about the performance's position median
	distinct  map[int]bool               // the velocities seen
	art       []float64
	hurst     []float64 // one per long performance
	hurstW    []float64 // its series' length, the weight
	beats     beatVariance
	lead      []float64
	notes     int
}

func newRoleSample() *roleSample {
	return &roleSample{ms: map[int]map[Slot][]float64{}, share: map[int]map[Slot][]float64{}, swing: map[int][]float64{}, triplet: map[int][]float64{}, vel: map[string][]float64{}, distinct: map[int]bool{}}
}

// gather adds one performance to the samples of the roles it holds: its
// velocity residuals, every note, then the measures taken over the whole
// performance per role.
func gather(roles map[string]*roleSample, p *Performance) {
	of := func(role string) *roleSample {
		s := roles[role]
		if s == nil {
			s = newRoleSample()
			roles[role] = s
		}
		return s
	}
	band := TempoBandOf(p.Tempo)
	for role, x := range p.VelocityResiduals() {
		of(role).spread = append(of(role).spread, x...)
	}
	played := map[string]bool{}
	for _, h := range p.Hits {
		played[h.Role] = true
		of(h.Role).addNote(h, band)
	}
	for role := range played {
		of(role).addPerformance(p, role, band)
	}
}

// addNote adds a note's timing (on the grid only), velocity and
// articulation.
func (s *roleSample) addNote(h Hit, band int) {
	s.notes++
	if h.Slot != OffGrid && h.BeatDur > 0 {
		if s.ms[band] == nil {
			s.ms[band], s.share[band] = map[Slot][]float64{}, map[Slot][]float64{}
		}
		s.ms[band][h.Slot] = append(s.ms[band][h.Slot], 1000*h.Dev())
		s.share[band][h.Slot] = append(s.share[band][h.Slot], h.Dev()/h.BeatDur)
		if h.Velocity > 0 {
			pos := Position(h.BarBeat, h.Slot)
			s.vel[pos] = append(s.vel[pos], float64(h.Velocity))
			s.distinct[h.Velocity] = true
		}
	}
	if h.Articulation > 0.05 && h.Articulation < 3 {
		s.art = append(s.art, h.Articulation)
	}
}

// addPerformance adds what is measured over a whole performance of the
// role: its eighth pairs' swing, its fluctuation exponent, its beats'
// shared timing and, for the roles that play chords, its melody lead.
func (s *roleSample) addPerformance(p *Performance, role string, band int) {
	ratios, slots := p.beatUpbeatPairs(role)
	for i, r := range ratios {
		switch {
		case r < 0.25 || r > 5:
		case slots[i] == SlotLet:
			s.triplet[band] = append(s.triplet[band], r)
		default:
			s.swing[band] = append(s.swing[band], r)
		}
	}
	series := p.TimingSeries(role)
	if alpha, ok := stats.DFA(series); ok && len(series) >= 128 {
		s.hurst = append(s.hurst, alpha)
		s.hurstW = append(s.hurstW, float64(len(series)))
	}
	s.beats.add(p)
	if role == Piano || role == Soloist || role == Bass {
		// Two hits of one drum at once are a flam, not a chord.
		s.lead = append(s.lead, chordLeads(p, role)...)
	}
}

// summary is the role's statistics; Hurst is -1 where no performance was
// long enough to measure it (fillHurst fills it in).
func (s *roleSample) summary() *Role {
	r := &Role{Bands: s.tempoBands(), Hurst: -1}
	s.dynamics(r)
	r.Articulation = trimmedStat(s.art)
	if len(s.hurst) > 0 {
		var sum, w float64
		for i, h := range s.hurst {
			sum += h * s.hurstW[i]
			w += s.hurstW[i]
		}
		r.Hurst = math.Min(math.Max(sum/w, 0), 1.5)
	}
	r.BeatShare = round(s.beats.share(), 4)
	r.Lead = trimmedStat(s.lead)
	return r
}

// tempoBands is the role's timing and swing in each tempo band.
func (s *roleSample) tempoBands() []TempoBand {
	var out []TempoBand
	for bi, tb := range tempoBands {
		b := TempoBand{Lo: tb.lo, Hi: tb.hi, Timing: map[string]Timing{}}
		for slot, ms := range s.ms[bi] {
			share := s.share[bi][slot]
			b.Timing[slot.String()] = Timing{Ms: withQuantiles(trimmedStat(ms), ms), Share: withQuantiles(trimmedStat(share), share)}
		}
		b.Swing = withQuantiles(statOf(s.swing[bi]), s.swing[bi])
		b.TripletSwing = withQuantiles(statOf(s.triplet[bi]), s.triplet[bi])
		out = append(out, b)
	}
	return out
}

// dynamics sets the role's velocity statistics, or marks it NoDynamics
// where its velocities are a label rather than a loudness.
func (s *roleSample) dynamics(r *Role) {
	if len(s.distinct) < minDistinctVelocities {
		r.NoDynamics = true
		return
	}
	r.Velocity = map[string]Stat{}
	for pos, v := range s.vel {
		r.Velocity[pos] = statOf(v)
	}
	if len(s.spread) >= minCount {
		r.VelocitySpread = robustStat(s.spread)
	}
}

// fillHurst gives a role with no performance long enough to measure
// (Hurst -1) the mean exponent of the roles that have one, or 0.75, the
// middle of the range Hennig et al. (2011) report for human timing, where
// none has: never independent noise for lack of a measurement.
func (p *Profile) fillHurst() {
	var sum float64
	var n int
	for _, name := range Roles { // in Roles order: the same sum every run
		if r := p.Roles[name]; r != nil && r.Hurst >= 0 {
			sum += r.Hurst
			n++
		}
	}
	fallback := 0.75
	if n > 0 {
		fallback = round(sum/float64(n), 4)
	}
	for _, r := range p.Roles {
		if r.Hurst < 0 {
			r.Hurst = fallback
		}
	}
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
