package project

import (
	"os"
	"strings"

	"sideman/band"
	"sideman/feel"
	"sideman/internal/suggest"
	"sideman/load"
	"sideman/music"
)

// Style finds a style by a built-in's name or a .style file; with no
// name, the one the chart's style hint names at that tempo (0: the
// chart's), else medium swing (band.ChartStyle). It says why it plays:
// band.StyleAsked for a name given, else the hint's reason.
func (p *Project) Style(name string, c *music.Chart, tempo int) (*band.Style, string, error) {
	if name == "" {
		s, source := band.ChartStyle(c, tempo)
		return s, source, nil
	}
	s, err := p.styleNamed(name)
	return s, band.StyleAsked, err
}

func (p *Project) styleNamed(name string) (*band.Style, error) {
	if s, ok := band.LookupStyle(name); ok {
		return s, nil
	}
	if strings.HasSuffix(name, ".style") || strings.ContainsRune(name, os.PathSeparator) {
		f, err := load.OpenFile(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		s, err := band.ParseStyle(name, f)
		if err == nil {
			err = p.lineup().Check(s)
		}
		if err != nil {
			return nil, &Error{BadInput, name, err}
		}
		return s, nil
	}
	var names []string
	for _, s := range band.Styles() {
		names = append(names, s.Name)
	}
	return nil, &UnknownError{What: "style", Name: name, Known: names, Near: suggest.Closest(name, names)}
}

// Feel finds a feel by a built-in's name or a .feel file; "none" is nil,
// the grid.
func Feel(name string) (*feel.Profile, error) {
	if name == "none" {
		return nil, nil
	}
	if p, ok := feel.Builtin(name); ok {
		return p, nil
	}
	if !strings.HasSuffix(name, ".feel") {
		if _, err := os.Stat(name); err != nil {
			names := feel.BuiltinNames()
			return nil, &UnknownError{What: "feel", Name: name, Known: names, Near: suggest.Closest(name, names)}
		}
	}
	f, err := load.OpenFile(name) // a regular file: not a FIFO, not /dev/zero
	if err != nil {
		return nil, err
	}
	defer f.Close()
	prof, err := feel.Decode(f)
	if err != nil {
		return nil, &Error{BadInput, name, err}
	}
	return prof, nil
}
