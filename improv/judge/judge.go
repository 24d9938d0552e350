package judge

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Options set the protocol.
type Options struct {
	// Folds is the number of performer folds (5 when 0).
	Folds int
	// Every judges every Every-th solo of the corpus only (all when 0 or
	// 1): the CI-sized subset.
	Every int
	// Seed seeds the folds, the leads and the forest.
	Seed uint64
	// Forest sizes the classifier.
	Forest ForestOptions
	// NoBaselines leaves out the two baselines (whose figures say whether
	// the classifier's figure counts).
	NoBaselines bool
}

// Spotted is the balanced accuracy at which the baselines must be spotted
// for the classifier's figure to count.
const Spotted = 0.95

// Report is the judgement of a soloist and of the baselines beside it.
type Report struct {
	Solos, Performers, Folds int
	Soloist                  Result
	Baselines                []Result
	// Counts is set when the classifier spotted every baseline with a
	// balanced accuracy of Spotted or more: only then does the soloist's
	// classifier figure count.
	Counts bool
}

// Result is one soloist's figures.
type Result struct {
	Name       string
	Notes      int // notes played over all leads
	Distances  []Distance
	Classifier Classification
}

// Distance compares one distribution of the soloist's solos with the human
// ones: for every performer P, the soloist's solos over P's leads against
// the other performers' solos (Soloist), and P's own solos against the
// others (Human, the yardstick); each the mean over performers.
type Distance struct {
	Name, Unit     string
	Soloist, Human float64
}

// Ratio is the soloist's distance over the human one: near 1 or below is
// as far from the other performers as a human performer is.
func (d Distance) Ratio() float64 { return d.Soloist / d.Human }

// Classification is the cross-validated classifier's verdict on 24-note
// segments, folds grouped by performer.
type Classification struct {
	HumanSegments, SoloistSegments int
	// Spotted is the share of the soloist's segments called machine-made,
	// Kept the share of human segments called human.
	Spotted, Kept float64
	Accuracy      float64
	// Balanced is (Spotted+Kept)/2, the figure the targets are set on.
	Balanced float64
	// ByGroup is the balanced accuracy of the same protocol given one
	// group of features alone (FeatureGroups order): what gives the
	// soloist away.
	ByGroup []float64
}

func (o Options) orDefault() Options {
	if o.Folds == 0 {
		o.Folds = 5
	}
	if o.Every < 1 {
		o.Every = 1
	}
	return o
}

// Run judges a soloist, and (unless opts.NoBaselines) the Markov and
// quantized-human baselines, on the corpus by the package's protocol.
func Run(ctx context.Context, c *Corpus, e Entrant, opts Options) (*Report, error) {
	opts = opts.orDefault()
	var solos []*Solo
	for i, s := range c.Solos {
		if i%opts.Every == 0 {
			solos = append(solos, s)
		}
	}
	fold, nperf := assignFolds(solos, opts.Folds, opts.Seed)
	if nperf < opts.Folds {
		return nil, fmt.Errorf("judge: %d performers for %d folds", nperf, opts.Folds)
	}
	j := &judgement{solos: solos, fold: fold, opts: opts}
	j.humans = make([]*line, len(solos))
	for i, s := range solos {
		j.humans[i] = humanLine(s)
	}
	j.yardstick()
	r := &Report{Solos: len(solos), Performers: nperf, Folds: opts.Folds}
	entrants := []Entrant{e}
	if !opts.NoBaselines {
		entrants = append(entrants, Markov(), Quantized(c))
	}
	r.Counts = !opts.NoBaselines
	for k, en := range entrants {
		res, err := j.judge(ctx, en)
		if err != nil {
			return nil, err
		}
		if k == 0 {
			r.Soloist = *res
			continue
		}
		r.Baselines = append(r.Baselines, *res)
		if res.Classifier.Balanced < Spotted {
			r.Counts = false
		}
	}
	return r, nil
}

// assignFolds puts performers in folds, shuffled by seed and each to the
// fold with the fewest notes so far; it returns each solo's fold.
func assignFolds(solos []*Solo, k int, seed uint64) ([]int, int) {
	notes := map[string]int{}
	for _, s := range solos {
		notes[s.Performer] += len(s.Notes)
	}
	perf := make([]string, 0, len(notes))
	for p := range notes {
		perf = append(perf, p)
	}
	slices.Sort(perf)
	rng := rand.New(rand.NewPCG(seed, 0x666f6c6473))
	rng.Shuffle(len(perf), func(a, b int) { perf[a], perf[b] = perf[b], perf[a] })
	load := make([]int, k)
	of := map[string]int{}
	for _, p := range perf {
		f := slices.Index(load, slices.Min(load))
		of[p] = f
		load[f] += notes[p]
	}
	out := make([]int, len(solos))
	for i, s := range solos {
		out[i] = of[s.Performer]
	}
	return out, len(perf)
}

type judgement struct {
	solos  []*Solo
	fold   []int
	opts   Options
	humans []*line
	// the yardstick, and the per-performer pools it is measured from
	byPerformer map[string]*measures
	performers  []string
	human       []float64
}

func leadSeed(seed uint64, name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return seed ^ h.Sum64()
}

func (j *judgement) judge(ctx context.Context, e Entrant) (*Result, error) {
	played := make([]*line, len(j.solos))
	res := &Result{Name: e.Name}
	for k := range j.opts.Folds {
		var train []*Solo
		for i, s := range j.solos {
			if j.fold[i] != k {
				train = append(train, s)
			}
		}
		soloist, err := e.Train(ctx, train)
		if err != nil {
			return nil, fmt.Errorf("judge: %s: training fold %d: %w", e.Name, k+1, err)
		}
		for i, s := range j.solos {
			if j.fold[i] != k {
				continue
			}
			lead := LeadOf(s, leadSeed(j.opts.Seed, s.Name))
			notes, err := soloist.Solo(ctx, lead)
			if err != nil {
				return nil, fmt.Errorf("judge: %s over %s: %w", e.Name, s.Name, err)
			}
			for n, x := range notes {
				if x.Duration <= 0 || x.Start < 0 || (n > 0 && x.Start < notes[n-1].Start) {
					return nil, fmt.Errorf("judge: %s over %s: note %d (tick %d, %d long) out of order or empty", e.Name, s.Name, n+1, x.Start, x.Duration)
				}
			}
			played[i] = playedLine(s, lead, notes)
			res.Notes += len(notes)
		}
	}
	res.Distances = j.distances(played)
	res.Classifier = j.classify(ctx, played)
	return res, ctx.Err()
}

// segments cuts a line into whole 24-note segments.
func segments(l *line) [][]float64 {
	var out [][]float64
	for i := 0; i+SegmentNotes <= len(l.notes); i += SegmentNotes {
		out = append(out, l.segmentFeatures(i))
	}
	return out
}

func (j *judgement) classify(ctx context.Context, played []*line) Classification {
	type set struct {
		x    [][]float64
		y    []bool
		fold []int
	}
	var all set
	var c Classification
	for i := range j.solos {
		for _, f := range segments(j.humans[i]) {
			all.x, all.y, all.fold = append(all.x, f), append(all.y, false), append(all.fold, j.fold[i])
			c.HumanSegments++
		}
		for _, f := range segments(played[i]) {
			all.x, all.y, all.fold = append(all.x, f), append(all.y, true), append(all.fold, j.fold[i])
			c.SoloistSegments++
		}
	}
	c.Spotted, c.Kept = j.crossValidate(ctx, all.x, all.y, all.fold)
	c.Accuracy = (c.Spotted*float64(c.SoloistSegments) + c.Kept*float64(c.HumanSegments)) / float64(max(1, c.SoloistSegments+c.HumanSegments))
	c.Balanced = (c.Spotted + c.Kept) / 2
	for _, g := range FeatureGroups {
		x := make([][]float64, len(all.x))
		for i, f := range all.x {
			x[i] = append(slices.Clone(f[g.From:g.To]), f[len(f)-1])
		}
		s, k := j.crossValidate(ctx, x, all.y, all.fold)
		c.ByGroup = append(c.ByGroup, (s+k)/2)
	}
	return c
}

// crossValidate trains a forest on all folds but one and tests it on that
// one, for every fold; it returns the shares of machine segments called
// machine and human segments called human.
func (j *judgement) crossValidate(ctx context.Context, x [][]float64, y []bool, fold []int) (spotted, kept float64) {
	type set struct {
		x    [][]float64
		y    []bool
		fold []int
	}
	all := set{x, y, fold}
	var tp, tn, fp, fn int
	for k := range j.opts.Folds {
		if ctx.Err() != nil {
			return
		}
		var tr set
		for i := range all.x {
			if all.fold[i] != k {
				tr.x, tr.y = append(tr.x, all.x[i]), append(tr.y, all.y[i])
			}
		}
		if len(tr.x) == 0 {
			continue
		}
		fo := j.opts.Forest
		fo.Seed = j.opts.Seed + uint64(k)
		f := fitForest(tr.x, tr.y, fo)
		for i := range all.x {
			if all.fold[i] != k {
				continue
			}
			machine := f.predict(all.x[i]) > 0.5
			switch {
			case all.y[i] && machine:
				tp++
			case all.y[i]:
				fn++
			case machine:
				fp++
			default:
				tn++
			}
		}
	}
	return share(tp, tp+fn), share(tn, tn+fp)
}

// distanceNames are the Distances' rows, in order.
var distanceNames = [][2]string{
	{"pitch", "semitones"},
	{"phrase ambitus", "semitones"},
	{"strong-beat chord tones", "share"},
	{"phrase length", "notes"},
	{"phrase length", "beats"},
	{"rests between phrases", "beats"},
	{"intervals", "total variation"},
	{"swing (log2 beat-upbeat ratio)", "log2"},
	{"timing against the beat", "ms"},
}

func pool(ms []*measures) *measures {
	p := &measures{}
	for _, m := range ms {
		p.pitch = append(p.pitch, m.pitch...)
		p.ambitus = append(p.ambitus, m.ambitus...)
		p.chordTones = append(p.chordTones, m.chordTones...)
		p.phraseNotes = append(p.phraseNotes, m.phraseNotes...)
		p.phraseBeats = append(p.phraseBeats, m.phraseBeats...)
		p.rests = append(p.rests, m.rests...)
		p.bur = append(p.bur, m.bur...)
		p.timing = append(p.timing, m.timing...)
		for i := range p.intervals {
			p.intervals[i] += m.intervals[i]
		}
	}
	return p
}

// compare is the distance of a to b in every row of distanceNames; NaN
// where either has no values.
func compare(a, b *measures) []float64 {
	return []float64{
		w1(a.pitch, b.pitch), w1(a.ambitus, b.ambitus), w1(a.chordTones, b.chordTones),
		w1(a.phraseNotes, b.phraseNotes), w1(a.phraseBeats, b.phraseBeats), w1(a.rests, b.rests),
		tv(a.intervals[:], b.intervals[:]), w1(a.bur, b.bur), w1(a.timing, b.timing),
	}
}

// yardstick measures every performer against the others.
func (j *judgement) yardstick() {
	per := map[string][]*measures{}
	for i, s := range j.solos {
		per[s.Performer] = append(per[s.Performer], j.humans[i].measure())
	}
	j.byPerformer = map[string]*measures{}
	for p, ms := range per {
		j.byPerformer[p] = pool(ms)
		j.performers = append(j.performers, p)
	}
	slices.Sort(j.performers)
	j.human = j.meanOverPerformers(func(p string) *measures { return j.byPerformer[p] })
}

func (j *judgement) others(p string) *measures {
	var ms []*measures
	for _, q := range j.performers {
		if q != p {
			ms = append(ms, j.byPerformer[q])
		}
	}
	return pool(ms)
}

func (j *judgement) meanOverPerformers(of func(p string) *measures) []float64 {
	sum := make([]float64, len(distanceNames))
	n := make([]int, len(distanceNames))
	for _, p := range j.performers {
		for k, d := range compare(of(p), j.others(p)) {
			if !math.IsNaN(d) {
				sum[k] += d
				n[k]++
			}
		}
	}
	for k := range sum {
		sum[k] /= math.Max(float64(n[k]), 1)
	}
	return sum
}

func (j *judgement) distances(played []*line) []Distance {
	per := map[string][]*measures{}
	for i, s := range j.solos {
		per[s.Performer] = append(per[s.Performer], played[i].measure())
	}
	got := j.meanOverPerformers(func(p string) *measures { return pool(per[p]) })
	out := make([]Distance, len(distanceNames))
	for k, nm := range distanceNames {
		out[k] = Distance{Name: nm[0], Unit: nm[1], Soloist: got[k], Human: j.human[k]}
	}
	return out
}

// w1 is the Wasserstein-1 (earth mover's) distance between two samples:
// the area between their distribution functions.
func w1(a, b []float64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return math.NaN()
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	var i, k int
	d, x := 0.0, math.Min(a[0], b[0])
	for i < len(a) || k < len(b) {
		var next float64
		switch {
		case k >= len(b) || (i < len(a) && a[i] <= b[k]):
			next = a[i]
		default:
			next = b[k]
		}
		d += math.Abs(float64(i)/float64(len(a))-float64(k)/float64(len(b))) * (next - x)
		x = next
		if i < len(a) && a[i] == next {
			i++
		} else {
			k++
		}
	}
	return d
}

// tv is the total variation distance between two histograms.
func tv(a, b []float64) float64 {
	var sa, sb float64
	for i := range a {
		sa += a[i]
		sb += b[i]
	}
	if sa == 0 || sb == 0 {
		return math.NaN()
	}
	d := 0.0
	for i := range a {
		d += math.Abs(a[i]/sa - b[i]/sb)
	}
	return d / 2
}

// String is the report as a table.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d solos, %d performers, %d performer folds\n", r.Solos, r.Performers, r.Folds)
	results := append([]Result{r.Soloist}, r.Baselines...)
	fmt.Fprintf(&b, "%-34s %-16s %9s", "distance (mean over performers)", "unit", "human")
	for _, res := range results {
		fmt.Fprintf(&b, " %12s", res.Name)
	}
	b.WriteByte('\n')
	for k, nm := range distanceNames {
		fmt.Fprintf(&b, "%-34s %-16s %9.3f", nm[0], nm[1], r.Soloist.Distances[k].Human)
		for _, res := range results {
			fmt.Fprintf(&b, " %12.3f", res.Distances[k].Soloist)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%-34s %-16s %9s", "classifier (24-note segments)", "", "")
	for _, res := range results {
		fmt.Fprintf(&b, " %12s", res.Name)
	}
	b.WriteByte('\n')
	row := func(name string, v func(Classification) string) {
		fmt.Fprintf(&b, "%-34s %-16s %9s", name, "", "")
		for _, res := range results {
			fmt.Fprintf(&b, " %12s", v(res.Classifier))
		}
		b.WriteByte('\n')
	}
	row("segments human/machine", func(c Classification) string {
		return fmt.Sprintf("%d/%d", c.HumanSegments, c.SoloistSegments)
	})
	row("spotted (machine called machine)", func(c Classification) string { return fmt.Sprintf("%.3f", c.Spotted) })
	row("kept (human called human)", func(c Classification) string { return fmt.Sprintf("%.3f", c.Kept) })
	row("accuracy", func(c Classification) string { return fmt.Sprintf("%.3f", c.Accuracy) })
	row("balanced accuracy", func(c Classification) string { return fmt.Sprintf("%.3f", c.Balanced) })
	for g, fg := range FeatureGroups {
		row("  "+fg.Name+" features alone", func(c Classification) string { return fmt.Sprintf("%.3f", c.ByGroup[g]) })
	}
	if len(r.Baselines) == 0 {
		fmt.Fprintf(&b, "figure counts: not known (baselines not run)\n")
	} else {
		fmt.Fprintf(&b, "figure counts (baselines spotted >= %.2f): %v\n", Spotted, r.Counts)
	}
	return b.String()
}
