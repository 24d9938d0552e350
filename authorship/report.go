package authorship

import (
	"maps"
	"slices"
)

// Counts holds how many notes are of each class.
type Counts struct {
	H    int `json:"H"`
	HAlg int `json:"H+alg"`
	M    int `json:"M"`
	MH   int `json:"M+h"`
}

// Shares holds each class's share of the notes, from 0 to 1; they add up
// to 1 when there are notes.
type Shares struct {
	H    float64 `json:"H"`
	HAlg float64 `json:"H+alg"`
	M    float64 `json:"M"`
	MH   float64 `json:"M+h"`
}

func (c *Counts) add(k Class) {
	switch k {
	case Human:
		c.H++
	case HumanProcessed:
		c.HAlg++
	case Machine:
		c.M++
	case MachineEdited:
		c.MH++
	}
}

// Of returns the count of class k.
func (c Counts) Of(k Class) int {
	switch k {
	case Human:
		return c.H
	case HumanProcessed:
		return c.HAlg
	case Machine:
		return c.M
	case MachineEdited:
		return c.MH
	}
	return 0
}

// Total is the number of notes counted.
func (c Counts) Total() int { return c.H + c.HAlg + c.M + c.MH }

// Shares divides the counts by their total.
func (c Counts) Shares() Shares {
	t := float64(c.Total())
	if t == 0 {
		return Shares{}
	}
	return Shares{float64(c.H) / t, float64(c.HAlg) / t, float64(c.M) / t, float64(c.MH) / t}
}

// Percents rounds the shares to whole percents that add up to 100
// (largest remainder), for tables a person reads.
func (c Counts) Percents() [4]int {
	t := c.Total()
	var p [4]int
	if t == 0 {
		return p
	}
	type rem struct{ i, r int }
	var rs []rem
	sum := 0
	for i, k := range Classes {
		n := c.Of(k) * 100
		p[i] = n / t
		sum += p[i]
		rs = append(rs, rem{i, n % t})
	}
	slices.SortStableFunc(rs, func(a, b rem) int { return b.r - a.r })
	for j := 0; sum < 100; j++ {
		p[rs[j].i]++
		sum++
	}
	return p
}

// Tally is the counts and shares of a group of notes.
type Tally struct {
	Notes  int    `json:"notes"`
	Counts Counts `json:"counts"`
	Shares Shares `json:"shares"`
}

func tallyOf(c Counts) Tally { return Tally{c.Total(), c, c.Shares()} }

// BarTally is one bar of one part.
type BarTally struct {
	Bar int `json:"bar"`
	Tally
}

// PartTally is one part: the whole part and each bar with notes.
type PartTally struct {
	Part string `json:"part"`
	Tally
	Bars []BarTally `json:"bars"`
}

// ActCounts counts the person's acts apart from the notes.
type ActCounts struct {
	Selections   int `json:"selections"`
	Arrangements int `json:"arrangements"`
}

// Application is the text for one work of a copyright application.
type Application struct {
	// Work is "composition" (the musical work) or "sound recording".
	Work string `json:"work"`
	// AuthorCreated describes the human authorship claimed; empty when
	// the notes show none.
	AuthorCreated string `json:"author_created"`
	// MaterialExcluded describes the machine material excluded from the
	// claim; empty when there is none.
	MaterialExcluded string `json:"material_excluded"`
}

// MaxFormText is the most characters the Copyright Office's online form
// takes in "Author Created" and in "Material Excluded: Other".
const MaxFormText = 1800

// Report is the authorship report of a piece.
type Report struct {
	Project  string      `json:"project"`
	Title    string      `json:"title"`
	Head     string      `json:"ledger_head"`
	Total    Tally       `json:"total"`
	Parts    []PartTally `json:"parts"`
	ActCount ActCounts   `json:"act_counts"`
	Acts     []Act       `json:"acts"`
	// Prompts are the settings and requests sent to the machine: listed,
	// never claimed.
	Prompts      []Prompt      `json:"prompts"`
	Applications []Application `json:"copyright_application"`
	Notice       string        `json:"notice"`
	// RollLink, when set, makes the Markdown report link to the piano
	// roll at that path (written with WriteSVG) instead of carrying it
	// as a data link.
	RollLink string `json:"-"`

	in *Input
}

// Notice is the plain statement every report carries.
const Notice = "Note counts are not the legal test of authorship: the Copyright Office " +
	"decides case by case whether a person determined the expressive elements of a work. " +
	"This report is a factual record made from the project's ledger, not legal advice. " +
	"Prompts (settings and requests sent to the machine) are listed and not claimed; " +
	"software is named only as the source of excluded material, never as an author."

// New makes the report of in. The Input must outlive the Report (the
// piano roll reads its notes).
func New(in *Input) (*Report, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	r := &Report{Project: in.Project, Title: in.Title, Head: in.Head, Acts: in.Acts,
		Prompts: in.Prompts, Notice: Notice, in: in}
	if r.Acts == nil {
		r.Acts = []Act{}
	}
	if r.Prompts == nil {
		r.Prompts = []Prompt{}
	}
	var total Counts
	type partAcc struct {
		c    Counts
		bars map[int]*Counts
	}
	acc := map[string]*partAcc{}
	var order []string
	for _, n := range in.Notes {
		p := acc[n.Part]
		if p == nil {
			p = &partAcc{bars: map[int]*Counts{}}
			acc[n.Part] = p
			order = append(order, n.Part)
		}
		b := p.bars[n.Bar]
		if b == nil {
			b = &Counts{}
			p.bars[n.Bar] = b
		}
		total.add(n.Class)
		p.c.add(n.Class)
		b.add(n.Class)
	}
	r.Total = tallyOf(total)
	r.Parts = []PartTally{}
	for _, name := range order {
		p := acc[name]
		pt := PartTally{Part: name, Tally: tallyOf(p.c)}
		for _, bar := range slices.Sorted(maps.Keys(p.bars)) {
			pt.Bars = append(pt.Bars, BarTally{bar, tallyOf(*p.bars[bar])})
		}
		r.Parts = append(r.Parts, pt)
	}
	for _, a := range in.Acts {
		if a.Kind == Selection {
			r.ActCount.Selections++
		} else {
			r.ActCount.Arrangements++
		}
	}
	r.Applications = []Application{composition(in, order), recording(in, order)}
	return r, nil
}
