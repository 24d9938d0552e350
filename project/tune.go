package project

import (
	"context"
	"fmt"

	"sideman/load"
	"sideman/music"
)

// openTune reads the tune sel picks of an input, reading no more of it
// than that takes (load.OpenTune), as open reads it: the same ids, the
// tunes it skipped reported. The chart is nil when sel is "" or the
// input holds no charts; the Document then is open's.
func (p *Project) openTune(ctx context.Context, name, sel string) (*load.Document, *music.Chart, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	ids := p.IDs
	if ids == nil {
		ids = music.IDsFor("read\x00" + name)
	}
	d, c, err := load.Options{IDs: ids}.OpenTune(name, sel)
	if d != nil {
		if n := len(d.Warnings); n > 0 {
			p.warn(Warning{Name: name, Err: fmt.Errorf("%d tunes or files could not be read", n), Skipped: d.Warnings})
		}
	}
	return d, c, err
}
