package render

import (
	"cmp"
	"context"
	"io"
	"slices"
	"sort"

	"sideman/format/midi"
	"sideman/music"
)

// RenderMIDI plays a Standard MIDI File through the SoundFont as a MIDI
// player would: every channel message of every track in time order,
// controllers included (volume, pan, expression, sustain pedal, bank
// select, pitch bend and its range, reverb and chorus sends), of which a
// music.Piece keeps only each part's volume and pan at its start. Tempo
// events of all tracks make one tempo map (SMF 1.0: format 1 keeps them in
// the first track; sideman honours them wherever they are, as FluidSynth
// does). Within a tick, events play in track order, then file order. SMPTE
// divisions count real time.
func RenderMIDI(ctx context.Context, f *midi.File, opt Options) (*Audio, error) {
	s, err := prepare(opt, func(rate int) ([]event, error) { return fileEvents(f, rate) })
	if err != nil {
		return nil, err
	}
	return s.audio(ctx)
}

// MIDIWAV renders the file (see RenderMIDI) and writes it as a WAV file,
// streaming (see WAV).
func MIDIWAV(ctx context.Context, w io.Writer, f *midi.File, opt Options) error {
	s, err := prepare(opt, func(rate int) ([]event, error) { return fileEvents(f, rate) })
	if err != nil {
		return err
	}
	return s.writeWAV(ctx, w)
}

// fileEvents lays out the file's channel messages at sample positions;
// music past MaxDuration is an ErrTooLong. The file lasts to its last
// event of any kind, its End of Track, as a MIDI player plays it: a rest
// written at the end is kept, and notes never turned off sound until the
// file ends (they once got the 3 s tail after their note-on, however long
// the file). An event the synthesizer ignores (fileEnd) marks that end
// when it comes after the last channel message.
func fileEvents(f *midi.File, rate int) ([]event, error) {
	seconds := fileClock(f)
	var evs []event
	var ticks []int64
	last := int64(0)
	for ti := range f.Tracks {
		if n := len(f.Tracks[ti].Events); n > 0 {
			last = max(last, f.Tracks[ti].Events[n-1].Tick)
		}
		for _, e := range f.Tracks[ti].Events {
			if e.Status < 0x80 || e.Status >= 0xF0 {
				continue
			}
			evs = append(evs, event{ch: e.Status & 0x0F, cmd: e.Status & 0xF0, d1: e.Data1, d2: e.Data2})
			ticks = append(ticks, e.Tick)
		}
	}
	for i := range evs {
		at, err := samplePosition(seconds(ticks[i]), rate)
		if err != nil {
			return nil, err
		}
		evs[i].at = at
	}
	// Stable: tracks were appended in order, so ties keep track order,
	// then file order.
	slices.SortStableFunc(evs, func(a, b event) int { return cmp.Compare(a.at, b.at) })
	end, err := samplePosition(seconds(last), rate)
	if err != nil {
		return nil, err
	}
	if len(evs) > 0 && end > evs[len(evs)-1].at {
		evs = append(evs, event{at: end, ch: fileEnd})
	}
	return evs, nil
}

// fileEnd is the channel of the event that marks a file's end: no MIDI
// channel, so the synthesizer ignores it.
const fileEnd = 0xFF

// fileClock returns the conversion from the file's ticks to seconds.
func fileClock(f *midi.File) func(int64) float64 {
	if f.Division.SMPTE() {
		perSecond := float64(f.Division.FramesPerSecond() * f.Division.TicksPerFrame())
		if f.Division.FramesPerSecond() == 29 {
			perSecond = 29.97 * float64(f.Division.TicksPerFrame())
		}
		if perSecond <= 0 {
			perSecond = 1
		}
		return func(t int64) float64 { return float64(t) / perSecond }
	}
	tpq := int64(f.Division.TicksPerQuarter())
	if tpq <= 0 {
		tpq = 1
	}
	type change struct {
		at int64
		us int
	}
	var tempo []change
	for ti := range f.Tracks {
		t := &f.Tracks[ti]
		for _, e := range t.Events {
			if e.IsMeta() && e.MetaType() == midi.MetaTempo {
				if us, ok := midi.ParseTempo(t.Payload(e)); ok && us > 0 {
					tempo = append(tempo, change{e.Tick, us})
				}
			}
		}
	}
	slices.SortStableFunc(tempo, func(a, b change) int { return cmp.Compare(a.at, b.at) })
	// Seconds at each change, so a tick converts by one search.
	secs := make([]float64, len(tempo))
	var sec float64
	last, us := int64(0), music.DefaultMicrosPerQuarter
	for i, c := range tempo {
		sec += float64(c.at-last) * float64(us) / 1e6 / float64(tpq)
		secs[i], last, us = sec, c.at, c.us
	}
	return func(t int64) float64 {
		i := sort.Search(len(tempo), func(i int) bool { return tempo[i].at > t }) - 1
		if i < 0 {
			return float64(t) * music.DefaultMicrosPerQuarter / 1e6 / float64(tpq)
		}
		return secs[i] + float64(t-tempo[i].at)*float64(tempo[i].us)/1e6/float64(tpq)
	}
}
