package abc

import (
	"errors"

	"sideman/format"
	"sideman/music"
)

// Index is an ABC file cut into its tunes, each decoded when asked for:
// a caller that wants one tune of a tune book lays out that one, not the
// hundreds beside it (laying out is most of what Decode costs).
//
// Tune(i) decodes the i-th tune written (counting from 0, the tunes that
// cannot be read too) as DecodeBytes does, to the same chart or the same
// error; DecodeBytes leaves out the tunes that cannot be read, so its
// charts are numbered otherwise once one is left out. An Index is for
// one goroutine: it reuses its buffers from tune to tune.
type Index struct {
	f      file
	origin *music.Origin
	sc     scratch
	heads  []head // by tune, read when first asked for
}

// head is what a tune's header says of it.
type head struct {
	read            bool
	title, composer string
}

// NewIndex cuts an ABC file into tunes, d.Source naming the file in the
// notes' Origin as for DecodeBytes. An input DecodeBytes refuses as a
// whole (too large, no tune, too many) is refused with the same error.
func (d Decoder) NewIndex(data []byte) (*Index, error) {
	if err := format.CheckSize(len(data)); err != nil {
		return nil, &ParseError{Err: err}
	}
	f := splitFile(data)
	if len(f.tunes) == 0 {
		return nil, &ParseError{Err: ErrNoTunes}
	}
	if len(f.tunes) > MaxTunes {
		return nil, &ParseError{Err: ErrTooManyTunes}
	}
	return &Index{f: f, origin: &music.Origin{Kind: music.Imported, Source: d.source()}, heads: make([]head, len(f.tunes))}, nil
}

// Len is the number of tunes written, those that cannot be read too.
func (x *Index) Len() int { return len(x.f.tunes) }

// Tune decodes tune i: the chart DecodeBytes gives for it, or the error
// it gives for a tune it leaves out. The charts share one Origin, as
// DecodeBytes's do.
func (x *Index) Tune(i int) (*music.Chart, error) {
	return decodeTuneScratch(x.f.tunes[i], x.f.defaults, x.origin, &x.sc)
}

// Title is the title of tune i as its chart has it when the tune can be
// read, from its header alone: the title is set there and nowhere else.
func (x *Index) Title(i int) string { return x.head(i).title }

// Composer is the composer of tune i, as Title is its title.
func (x *Index) Composer(i int) string { return x.head(i).composer }

// errHeaderRead stops reading a tune at the end of its header.
var errHeaderRead = errors.New("header read")

// head reads the header of tune i as decodeTune reads it, up to the K:
// field that ends it. A tune whose header cannot be read cannot be read
// at all: its title is what was read before the fault.
func (x *Index) head(i int) head {
	h := &x.heads[i]
	if h.read {
		return *h
	}
	p := newTuneParser(x.origin)
	p.xLine = x.f.tunes[i].first
	err := error(nil)
	for _, ln := range x.f.defaults {
		if err = p.fileHeaderLine(ln); err != nil {
			break
		}
	}
	if err == nil {
		x.f.tunes[i].each(func(ln line) error {
			if err := p.line(ln); err != nil {
				return err
			}
			if p.inBody {
				return errHeaderRead
			}
			return nil
		})
	}
	*h = head{read: true, title: p.chart.Title, composer: p.chart.Composer}
	return *h
}
