package render

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"sideman/music"
	"sideman/render/internal/meltysynth"
)

// Options control a render. The zero value renders at 44.1 kHz with
// reverb and chorus through the SoundFont FindSoundFont finds.
type Options struct {
	// SoundFont is the .sf2 file; "" lets FindSoundFont choose.
	SoundFont string
	// SampleRate in Hz, 16000 to 192000; 0 means 44100.
	SampleRate int
	// Dry leaves out the synthesizer's reverb and chorus, which are on by
	// default as in FluidSynth: a band without a room sounds boxed in.
	Dry bool
	// Gain scales the mix; 0 means DefaultGain.
	Gain float64
	// MaxTail caps the render after the last note-off, where releases and
	// reverb ring out; 0 means 3 s. The tail ends earlier once the output
	// falls below the 16-bit noise floor.
	MaxTail float64
	// Progress, when set, is called as the render goes, with the seconds
	// rendered and the piece's length (without the tail), about every
	// tenth of the piece.
	Progress func(done, total float64)
	// Polyphony is the most voices sounding at once; 0 means 256, as in
	// FluidSynth. A piano chord with the sustain of the notes before it
	// takes 20 or more, and a SoundFont may layer two voices a note.
	Polyphony int
}

// DefaultGain is the synthesizer's master volume when Options.Gain is 0.
// At meltysynth's own default, 0.5, the band styles peaked 7 to 18 dB
// under full scale with both Debian SoundFonts (RMS about -30 dBFS): too
// quiet to practise with. At 1 they peak a few dB under, and a mix that
// would clip is scaled down as a whole (see Render).
const DefaultGain = 1

// MaxDuration is the longest piece Render takes, in seconds: an hour of
// audio is 1.3 GB of samples in memory.
const MaxDuration = 3600

// Audio is rendered stereo sound, samples in -1..1.
type Audio struct {
	SampleRate  int
	Left, Right []float32
	// Scaled is the gain Render applied after mixing to keep the peak at
	// full scale (1 when the mix did not clip).
	Scaled float64
}

// Seconds is the length of the audio.
func (a *Audio) Seconds() float64 { return float64(len(a.Left)) / float64(a.SampleRate) }

// event is one MIDI channel message at a sample position.
type event struct {
	at     int64
	order  uint8 // at the same sample: programs, then note-offs, then note-ons
	ch     uint8
	cmd    uint8
	d1, d2 uint8
}

const (
	orderProgram = iota
	orderOff
	orderOn
)

// events lays the piece out as timed channel messages: each part's program,
// volume and pan at the start on the part's channel, as
// format/midi.FromPiece writes them, then every note's on and off on the
// note's channel. A drums part on
// channel 10 with a program selects that kit: the synthesizer's
// percussion channel reads presets from bank 128 (SoundFont 2.04, 7.2:
// wBank 128 holds the percussion presets), so program 40 is the GS brush
// kit where the SoundFont has one and the standard kit where it does not.
func events(p *music.Piece, rate int) ([]event, error) {
	clock := p.Tempo.Clock()
	var tooLong error
	sample := func(t music.Ticks) int64 {
		at, err := samplePosition(clock.Seconds(t), rate)
		if err != nil && tooLong == nil {
			tooLong = err
		}
		return at
	}
	evs := make([]event, 0, 2*p.NoteCount()+len(p.Parts))
	for i := range p.Parts {
		part := &p.Parts[i]
		if part.Channel > 15 {
			return nil, fmt.Errorf("render: part %d (%q): channel %d, want 0-15", i, part.Name, part.Channel)
		}
		if part.Program > 127 {
			return nil, fmt.Errorf("render: part %d (%q): program %d, want 0-127", i, part.Name, part.Program)
		}
		if part.Program >= 0 {
			evs = append(evs, event{at: 0, order: orderProgram, ch: part.Channel, cmd: 0xC0, d1: uint8(part.Program)})
		}
		if part.Volume != 0 || part.Pan != 0 {
			if part.Volume < 0 || part.Volume > 127 || part.Pan < -64 || part.Pan > 63 {
				return nil, fmt.Errorf("render: part %d (%q): volume %d, pan %d; want 1-127 (0 for none) and -64 to 63", i, part.Name, part.Volume, part.Pan)
			}
			if part.Volume > 0 {
				evs = append(evs, event{at: 0, order: orderProgram, ch: part.Channel, cmd: 0xB0, d1: 7, d2: uint8(part.Volume)})
			}
			evs = append(evs, event{at: 0, order: orderProgram, ch: part.Channel, cmd: 0xB0, d1: 10, d2: uint8(64 + part.Pan)})
		}
		for _, n := range part.Notes {
			if n.Channel > 15 || n.Pitch > 127 || n.Start < 0 || n.Duration < 0 {
				return nil, fmt.Errorf("render: part %d (%q): note %d: channel %d, pitch %d, start %d, duration %d out of range",
					i, part.Name, n.ID, n.Channel, n.Pitch, n.Start, n.Duration)
			}
			if n.Velocity == 0 {
				continue // a note-on of velocity 0 is a note-off in MIDI: silent
			}
			v := min(n.Velocity, 127)
			evs = append(evs,
				event{at: sample(n.Start), order: orderOn, ch: n.Channel, cmd: 0x90, d1: n.Pitch, d2: v},
				event{at: sample(n.End()), order: orderOff, ch: n.Channel, cmd: 0x80, d1: n.Pitch, d2: 64})
		}
	}
	if tooLong != nil {
		return nil, tooLong
	}
	// Note-offs before note-ons at the same sample, so a note repeated
	// without a gap sounds twice (as format/midi.FromPiece orders them).
	slices.SortStableFunc(evs, func(a, b event) int {
		if c := cmp.Compare(a.at, b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.order, b.order)
	})
	return evs, nil
}

// samplePosition is the sample at secs, rounded to the nearest; the
// synthesizer applies events at its 64-sample block boundaries (1.5 ms)
// anyway. Music past MaxDuration (or not a number of seconds) is an
// ErrTooLong, checked before the conversion: a position past int64 would
// wrap, which once made render allocate a negative number of samples.
func samplePosition(secs float64, rate int) (int64, error) {
	if !(secs <= MaxDuration) {
		return 0, tooLong(secs)
	}
	return int64(max(secs, 0)*float64(rate) + 0.5), nil
}

// tooLong is the ErrTooLong for music that lasts secs seconds.
func tooLong(secs float64) error {
	d := fmt.Sprintf("%.0f s", secs)
	if !(secs < 1e9) {
		d = fmt.Sprintf("%.2g s", secs)
	}
	return fmt.Errorf("%w: the music lasts %s, longer than the %d s render takes", ErrTooLong, d, MaxDuration)
}

// Render plays the piece through the SoundFont and returns the sound,
// from time zero to the end of the release tail. Nothing is padded: the
// events at tick 0 are applied before the first sample is rendered. A
// note at tick 0 is heard as soon as its SoundFont sample sounds; some
// open with silence (FluidR3_GM's side stick, 1.8 ms) or a slow attack
// (TimGM6mb's hi-hat pedal, 7 ms), which no render should cut.
func Render(p *music.Piece, opt Options) (*Audio, error) {
	if secs := p.Tempo.Seconds(p.End()); !(secs <= MaxDuration) {
		return nil, tooLong(secs)
	}
	return synthesize(opt, func(rate int) ([]event, error) { return events(p, rate) })
}

// synthesize checks the options, loads the SoundFont, and plays the events
// layout(rate) gives through a fresh synthesizer.
func synthesize(opt Options, layout func(rate int) ([]event, error)) (a *Audio, err error) {
	rate := opt.SampleRate
	if rate == 0 {
		rate = 44100
	}
	if rate < 16000 || rate > 192000 {
		return nil, fmt.Errorf("render: sample rate %d, want 16000-192000", rate)
	}
	gain := opt.Gain
	if gain == 0 {
		gain = DefaultGain
	}
	if gain < 0 || gain > 10 {
		return nil, fmt.Errorf("render: gain %g, want 0-10", gain)
	}
	maxTail := opt.MaxTail
	if maxTail == 0 {
		maxTail = 3
	}
	if maxTail < 0 || maxTail > 60 {
		return nil, fmt.Errorf("render: tail %g s, want 0-60", maxTail)
	}
	poly := opt.Polyphony
	if poly == 0 {
		poly = 256
	}
	evs, err := layout(rate)
	if err != nil {
		return nil, err
	}
	var end int64
	if len(evs) > 0 {
		end = evs[len(evs)-1].at
	}
	if end > MaxDuration*int64(rate) {
		return nil, tooLong(float64(end) / float64(rate))
	}
	path, err := FindSoundFont(opt.SoundFont)
	if err != nil {
		return nil, err
	}
	sf, err := loadSoundFont(path)
	if err != nil {
		return nil, err
	}
	settings := meltysynth.NewSynthesizerSettings(int32(rate))
	settings.EnableReverbAndChorus = !opt.Dry
	settings.MaximumPolyphony = int32(min(max(poly, 8), 256))
	// The SoundFont was checked when it was loaded (every sample an
	// instrument plays lies in its data): a panic here is a bug in
	// sideman, reported as one, not blamed on the file.
	defer func() {
		if r := recover(); r != nil {
			a, err = nil, &InternalError{path, r}
		}
	}()
	synth, err := meltysynth.NewSynthesizer(sf, settings)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	synth.MasterVolume = float32(gain)

	tail := int64(maxTail * float64(rate))
	a = &Audio{SampleRate: rate, Scaled: 1,
		Left: make([]float32, end, end+tail), Right: make([]float32, end, end+tail)}
	var pos int64
	step, next := max(end/10, 1), max(end/10, 1)
	for _, e := range evs {
		if e.at > pos {
			synth.Render(a.Left[pos:e.at], a.Right[pos:e.at])
			pos = e.at
		}
		if opt.Progress != nil && pos >= next {
			opt.Progress(float64(pos)/float64(rate), float64(end)/float64(rate))
			next = pos + step
		}
		synth.ProcessMidiMessage(int32(e.ch), int32(e.cmd), int32(e.d1), int32(e.d2))
	}
	// The tail: render on in short chunks until a chunk is inaudible in 16
	// bits (below half a least significant bit) or MaxTail is reached.
	const chunk = 1024
	for t := int64(0); t < tail; t += chunk {
		n := min(chunk, tail-t)
		l := len(a.Left)
		a.Left, a.Right = a.Left[:l+int(n)], a.Right[:l+int(n)]
		synth.Render(a.Left[l:], a.Right[l:])
		if peak(a.Left[l:], a.Right[l:]) < 0.5/32768 {
			break
		}
	}
	if opt.Progress != nil {
		opt.Progress(float64(end)/float64(rate), float64(end)/float64(rate))
	}
	// A mix that would clip is scaled down as a whole, one gain for the
	// piece, so its dynamics are kept and no sample is cut off.
	if pk := peak(a.Left, a.Right); pk > 1 {
		a.Scaled = 1 / float64(pk)
		s := float32(a.Scaled)
		for i := range a.Left {
			a.Left[i] *= s
			a.Right[i] *= s
		}
	}
	return a, nil
}

// peak is the largest absolute sample of either channel.
func peak(l, r []float32) float32 {
	var pk float32
	for i := range l {
		pk = max(pk, l[i], -l[i], r[i], -r[i])
	}
	return pk
}

// ErrTooLong is returned for music longer than MaxDuration, and by
// WriteWAV for audio longer than a WAV file holds.
var ErrTooLong = errors.New("render: too long")
