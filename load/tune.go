package load

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"sideman/format/abc"
	"sideman/format/jazzstd"
	"sideman/music"
)

// OpenTune reads the one tune sel picks of an input (by title or index,
// as Document.Tune picks it), reading no more of the input than that
// takes: of the JazzStandards collection the one tune, of an ABC tune
// book the tunes up to it (an index counts the tunes that can be read,
// so the ones before it are read). Other inputs are read whole. The
// chart, its notes' ids and every error are those of Open and Tune.
//
// The Document holds the chosen tune alone (Charts) and the warnings of
// what was read. A tune that cannot be read beyond the one chosen is not
// reported; one of a JazzStandards file no longer stops the others, as
// it stops Open. When sel is "" or the input holds no chord charts (a
// MIDI file) OpenTune is Open and the chart is nil: the caller picks, if
// it must, with Document.Tune. When the choice fails the Document is
// returned with the error, for its warnings.
func OpenTune(name, sel string) (*Document, *music.Chart, error) {
	return Options{}.OpenTune(name, sel)
}

// OpenTune is the package's OpenTune with these options.
func (o Options) OpenTune(name, sel string) (*Document, *music.Chart, error) {
	if sel == "" || IsLink(name) {
		return o.whole(o.Open(name))(sel)
	}
	st, err := os.Stat(name)
	if err != nil || !st.Mode().IsRegular() || isArchive(name) {
		return o.whole(o.Open(name))(sel)
	}
	data, err := readFile(name)
	if err != nil {
		return nil, nil, err
	}
	var d *Document
	var c *music.Chart
	switch Detect(name, data) {
	case FormatJazzStd:
		d, c, err = o.jazzTune(name, data, sel)
	case FormatABC:
		d, c, err = o.abcTune(name, data, sel)
	default:
		err = errWhole
	}
	if err == errWhole {
		return o.whole(o.Bytes(name, data))(sel)
	}
	return d, c, err
}

// errWhole says a tune is found by reading the input whole: to be sure
// of the answer (an error's words, a tune left out) or because the input
// holds one tune or none.
var errWhole = errors.New("read whole")

// whole picks the tune of a document read whole.
func (o Options) whole(d *Document, err error) func(sel string) (*Document, *music.Chart, error) {
	return func(sel string) (*Document, *music.Chart, error) {
		if err != nil {
			return nil, nil, err
		}
		if sel == "" || len(d.Charts) == 0 && d.Piece != nil {
			return d, nil, nil
		}
		c, err := d.Tune(sel)
		if err != nil {
			return d, nil, err
		}
		alone := *d
		alone.Charts = []*music.Chart{c}
		return &alone, c, nil
	}
}

// jazzTune reads one tune of a JazzStandards file: its titles are listed
// without decoding the tunes, so Document.Tune picks from charts that
// hold only a title and a composer, with the words it has for every
// choice that fails.
func (o Options) jazzTune(name string, data []byte, sel string) (*Document, *music.Chart, error) {
	x, err := jazzstd.NewIndex(data)
	if err != nil || x.Len() < 2 {
		return nil, nil, errWhole
	}
	i, err := strconv.Atoi(sel)
	if err != nil || i < 0 || i >= x.Len() {
		// A title, or an index out of range: Tune's own answer.
		titles := &Document{Name: name, Charts: make([]*music.Chart, x.Len())}
		for i := range titles.Charts {
			titles.Charts[i] = &music.Chart{Title: x.Title(i), Composer: x.Composer(i)}
		}
		pick, err := titles.Tune(sel)
		if err != nil {
			return nil, nil, err
		}
		for i = 0; titles.Charts[i] != pick; i++ {
		}
	}
	c, err := x.Tune(i)
	if err != nil {
		return nil, nil, &InputError{name, err}
	}
	// A chord chart has no written notes: no ids to give.
	return &Document{Format: FormatJazzStd, Name: name, Charts: []*music.Chart{c}}, c, nil
}

// abcTune reads the tunes of an ABC file up to the one sel picks. Open
// leaves out the tunes that cannot be read and numbers the written notes
// of the others in turn: the tunes before the chosen one are read, for
// its index and for its notes' ids. A choice Open would refuse, or one
// it might answer otherwise (two tunes of that title, one of which
// cannot be read; an untitled tune, which Open names after the file when
// it is the only one read), is read whole.
func (o Options) abcTune(name string, data []byte, sel string) (*Document, *music.Chart, error) {
	x, err := abc.Decoder{Source: filepath.Base(name)}.NewIndex(data)
	if err != nil || x.Len() < 2 {
		return nil, nil, errWhole
	}
	o = o.withIDs(name) // as Open numbers them: the tunes before count

	last, want := -1, -1 // the tune written last to read; the chart wanted, as Open counts them
	if k, err := strconv.Atoi(sel); err == nil {
		if k < 0 {
			return nil, nil, errWhole
		}
		last, want = x.Len()-1, k
	} else if last = titled(x, sel); last < 0 {
		return nil, nil, errWhole
	}
	var skipped []error
	var read []*music.Chart // the charts read, the chosen one last
	for i := 0; i <= last; i++ {
		c, err := x.Tune(i)
		if err != nil {
			if i == last && want < 0 {
				return nil, nil, errWhole
			}
			skipped = append(skipped, err)
			continue
		}
		read = append(read, c)
		if i == last && want < 0 || len(read) == want+1 {
			if c.Title == "" {
				return nil, nil, errWhole
			}
			for _, r := range read {
				o.IDs.NumberChart(r)
				NameMelody(r)
			}
			d := &Document{Format: FormatABC, Name: name, Charts: []*music.Chart{c}}
			if len(skipped) > 0 {
				d.Warnings = []error{&InputError{name, errors.Join(skipped...)}}
			}
			return d, c, nil
		}
	}
	return nil, nil, errWhole // an index beyond the tunes read
}

// titled is the one tune of x that Document.Tune picks by title if it
// can be read, or -1: a title in any case, else the same title with its
// article moved (TitleKey).
func titled(x *abc.Index, sel string) int {
	one := func(match func(string) bool) (int, int) {
		found, count := -1, 0
		for i := range x.Len() {
			if match(x.Title(i)) {
				found, count = i, count+1
			}
		}
		return found, count
	}
	want := strings.TrimSpace(sel)
	i, n := one(func(t string) bool { return strings.EqualFold(strings.TrimSpace(t), want) })
	if n == 0 {
		key := TitleKey(sel)
		i, n = one(func(t string) bool { return TitleKey(t) == key })
	}
	if n != 1 {
		return -1
	}
	return i
}
