package authorship

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// The fields of a note that make the composition (what is written) and
// those that make the performance in the sound recording.
var (
	compositionFields = []string{FieldPitch, FieldStart, FieldDuration, FieldLyric}
	performanceFields = []string{FieldVelocity, FieldStart, FieldDuration}
)

// passage is a set of bars of one part.
type passage struct {
	part string
	bars []int // sorted, unique
}

// item is one sentence of a form text: a lead, the passages it covers
// and an optional tail.
type item struct {
	lead     string
	passages []passage
	tail     string
	// brief is the item said without its details, for a text that is
	// too long otherwise.
	brief string
}

// gather collects, in part order, the bars of the notes keep accepts.
func gather(in *Input, order []string, keep func(Note) bool) []passage {
	bars := map[string]map[int]bool{}
	for _, n := range in.Notes {
		if !keep(n) {
			continue
		}
		if bars[n.Part] == nil {
			bars[n.Part] = map[int]bool{}
		}
		bars[n.Part][n.Bar] = true
	}
	var ps []passage
	for _, part := range order {
		if b := bars[part]; b != nil {
			ps = append(ps, passage{part, sortedKeys(b)})
		}
	}
	return ps
}

func sortedKeys(m map[int]bool) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// ranges turns sorted bars into runs [first, last].
func ranges(bars []int) [][2]int {
	var rs [][2]int
	for _, b := range bars {
		if n := len(rs); n > 0 && rs[n-1][1]+1 == b {
			rs[n-1][1] = b
			continue
		}
		rs = append(rs, [2]int{b, b})
	}
	return rs
}

func rangeText(r [2]int) string {
	if r[0] == r[1] {
		return fmt.Sprint(r[0])
	}
	return fmt.Sprintf("%d-%d", r[0], r[1])
}

// barsText says which bars, in as much detail as level allows: 0 every
// run, 1 the first three runs and a count of the rest, 2 only how many
// bars and between which.
func barsText(bars []int, level int) string {
	rs := ranges(bars)
	if len(rs) == 1 && rs[0][0] == rs[0][1] {
		return "bar " + rangeText(rs[0])
	}
	switch {
	case level == 0 || len(rs) <= 3 && level == 1:
		var s []string
		for _, r := range rs {
			s = append(s, rangeText(r))
		}
		return "bars " + strings.Join(s, ", ")
	case level == 1:
		var s []string
		for _, r := range rs[:3] {
			s = append(s, rangeText(r))
		}
		return fmt.Sprintf("bars %s and %d more passages up to bar %d (%d bars in all)",
			strings.Join(s, ", "), len(rs)-3, bars[len(bars)-1], len(bars))
	default:
		if len(rs) == 1 {
			return "bars " + rangeText(rs[0])
		}
		return fmt.Sprintf("%d bars between bar %d and bar %d", len(bars), bars[0], bars[len(bars)-1])
	}
}

func (it item) text(level int) string {
	if level >= 4 && it.brief != "" {
		return it.brief
	}
	var ps []string
	for _, p := range it.passages {
		if level >= 3 {
			ps = append(ps, p.part)
		} else {
			ps = append(ps, p.part+", "+barsText(p.bars, level))
		}
	}
	s := it.lead
	switch {
	case len(ps) == 0:
	case level >= 4:
		s += ": " + plural(len(ps), "part") + ", named in the report"
	case level == 3:
		s += ": " + strings.Join(ps, ", ")
	default:
		s += ": " + strings.Join(ps, "; ")
	}
	return s + it.tail + "."
}

// formText joins the items in the most detail that fits MaxFormText
// characters: while the text is too long, the longest sentence gives up
// one level of detail (every run of bars, the first runs and a count,
// a count of bars, the parts only, a count of parts or acts), so a sentence that
// is short anyway keeps its bars. A text still too long is cut at a word
// with a pointer to the report.
func formText(items []item) string {
	if len(items) == 0 {
		return ""
	}
	levels := make([]int, len(items))
	ts := make([]string, len(items))
	for {
		total := len(items) - 1 // the spaces between sentences
		for i, it := range items {
			ts[i] = it.text(levels[i])
			total += utf8.RuneCountInString(ts[i])
		}
		if total <= MaxFormText {
			return strings.Join(ts, " ")
		}
		longest := -1
		for i := range items {
			if levels[i] < 4 && (longest < 0 || len(ts[i]) > len(ts[longest])) {
				longest = i
			}
		}
		if longest < 0 {
			break
		}
		levels[longest]++
	}
	s := strings.Join(ts, " ")
	const more = " ... (continued in the attached authorship report)"
	rs := []rune(s)[:MaxFormText-utf8.RuneCountInString(more)]
	if i := strings.LastIndexByte(string(rs), ' '); i > 0 {
		return string(rs)[:i] + more
	}
	return string(rs) + more
}

func anyOf(fields, of []string) []string {
	var out []string
	for _, f := range fields {
		if slices.Contains(of, f) && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// stepsOf lists the processing steps of the H+alg notes.
func stepsOf(in *Input) []string {
	var steps []string
	for _, n := range in.Notes {
		if n.Class == HumanProcessed {
			for _, s := range n.Steps {
				if !slices.Contains(steps, s) {
					steps = append(steps, s)
				}
			}
		}
	}
	return steps
}

// changedOf lists the fields people changed on M+h notes, among of.
func changedOf(in *Input, of []string) []string {
	var fs []string
	for _, n := range in.Notes {
		if n.Class == MachineEdited {
			for _, f := range anyOf(n.Changed, of) {
				if !slices.Contains(fs, f) {
					fs = append(fs, f)
				}
			}
		}
	}
	return fs
}

func human(n Note) bool { return n.Class == Human || n.Class == HumanProcessed }

// edited reports whether a person changed any of fields on an M+h note.
func edited(n Note, fields []string) bool {
	return n.Class == MachineEdited && len(anyOf(n.Changed, fields)) > 0
}

// actsItem is the sentence on selection and arrangement, worded after
// the guidance's "Selection, coordination, and arrangement of [human
// content] created by the author and [AI content] generated by
// artificial intelligence".
func actsItem(in *Input, hasHuman bool) []item {
	if len(in.Acts) == 0 {
		return nil
	}
	var sel, arr int
	var details []string
	for _, a := range in.Acts {
		var d string
		where := actWhere(a)
		if a.Kind == Selection {
			sel++
			d = "choice of " + orDefault(a.Chose, "one candidate")
			if a.Among > 0 {
				d += fmt.Sprintf(" among %d machine-generated candidates", a.Among)
			}
		} else {
			arr++
			d = "placement of " + orDefault(a.What, "material")
		}
		if where != "" {
			d += " (" + where + ")"
		}
		details = append(details, d)
	}
	lead := "Selection, coordination and arrangement of machine-generated material"
	if hasHuman {
		lead = "Selection, coordination and arrangement of the music created by the author and of machine-generated material"
	}
	brief := fmt.Sprintf("%s: %s and %s.", lead, plural(sel, "selection"), plural(arr, "arrangement"))
	return []item{{lead: lead, tail: ": " + strings.Join(details, "; "), brief: brief}}
}

func actWhere(a Act) string {
	var s []string
	if a.Part != "" {
		s = append(s, a.Part)
	}
	if a.FirstBar > 0 {
		s = append(s, barsText(seq(a.FirstBar, a.LastBar), 0))
	}
	return strings.Join(s, ", ")
}

func seq(a, b int) []int {
	var s []int
	for i := a; i <= b; i++ {
		s = append(s, i)
	}
	return s
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func listed(xs []string) string { return strings.Join(xs, ", ") }

// machineItems are the sentences that exclude the machine's notes:
// those of trained models (artificial intelligence), those of rules and
// those of machines the ledger does not describe apart, each naming its
// generators.
func machineItems(in *Input, order []string, what string) []item {
	var items []item
	leads := map[Maker]string{
		ByModel: what + " generated by artificial intelligence, models trained on music",
		ByRules: what + " generated by rule-based software",
		"":      what + " generated by software (artificial intelligence or rule-based)",
	}
	for _, made := range []Maker{ByModel, ByRules, ""} {
		keep := func(n Note) bool { return (n.Class == Machine || n.Class == MachineEdited) && n.Made == made }
		ps := gather(in, order, keep)
		if len(ps) == 0 {
			continue
		}
		var gens []string
		for _, n := range in.Notes {
			if keep(n) && n.Generator != "" && !slices.Contains(gens, n.Generator) {
				gens = append(gens, n.Generator)
			}
		}
		slices.Sort(gens)
		named := ""
		switch {
		case len(gens) > 4:
			named = fmt.Sprintf(" (%d generators, named in the report)", len(gens))
		case len(gens) > 0:
			named = " (" + listed(gens) + ")"
		}
		items = append(items, item{lead: leads[made] + named, passages: ps})
	}
	return items
}

// composition writes the texts for the musical work: pitches, rhythms,
// lyrics.
func composition(in *Input, order []string) Application {
	var created []item
	played := func(n Note) bool { return human(n) && n.Played }
	written := func(n Note) bool { return human(n) && !n.Played }
	if ps := gather(in, order, played); len(ps) > 0 {
		created = append(created, item{lead: "Music (pitches and rhythms) played by the author", passages: ps})
	}
	if ps := gather(in, order, written); len(ps) > 0 {
		created = append(created, item{lead: "Music (pitches and rhythms) written by the author", passages: ps})
	}
	if steps := stepsOf(in); len(steps) > 0 {
		created[len(created)-1].tail = "; some of the author's notes were then processed by software (" + listed(steps) + ")"
	}
	isEdited := func(n Note) bool { return edited(n, compositionFields) }
	if es := gather(in, order, isEdited); len(es) > 0 {
		created = append(created, item{lead: "Changes by the author (" + listed(changedOf(in, compositionFields)) + ") to machine-generated notes", passages: es})
	}
	created = append(created, actsItem(in, len(created) > 0)...)
	// The machine's notes a person changed stay excluded: the claim is
	// in the changes, named above.
	excluded := machineItems(in, order, "Music")
	return Application{Work: "composition", AuthorCreated: formText(created), MaterialExcluded: formText(excluded)}
}

// recording writes the texts for the sound recording: the performance
// (timing, dynamics) of the notes.
func recording(in *Input, order []string) Application {
	var created []item
	played := func(n Note) bool { return human(n) && n.Played }
	entered := func(n Note) bool { return human(n) && !n.Played }
	if ps := gather(in, order, played); len(ps) > 0 {
		created = append(created, item{lead: "Performance played by the author (timing and dynamics as played)", passages: ps})
	}
	if es := gather(in, order, entered); len(es) > 0 {
		created = append(created, item{lead: "Timing and dynamics entered by the author (notes written, not played)", passages: es})
	}
	isEdited := func(n Note) bool { return edited(n, performanceFields) }
	if es := gather(in, order, isEdited); len(es) > 0 {
		created = append(created, item{lead: "Changes by the author (" + listed(changedOf(in, performanceFields)) + ") to the machine-generated performance", passages: es})
	}
	created = append(created, actsItem(in, len(created) > 0)...)

	excluded := machineItems(in, order, "Performance")
	if ps := gather(in, order, func(n Note) bool { return n.Class == HumanProcessed }); len(ps) > 0 {
		lead := "Changes made by software to the author's performance"
		if steps := stepsOf(in); len(steps) > 0 {
			lead = "Changes made by software (" + listed(steps) + ") to the author's performance"
		}
		excluded = append(excluded, item{lead: lead, passages: ps})
	}
	return Application{Work: "sound recording", AuthorCreated: formText(created), MaterialExcluded: formText(excluded)}
}
