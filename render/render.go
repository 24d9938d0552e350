package render

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"sideman/music"
	"sideman/render/internal/meltysynth"
)

// Options control a render. The zero value but for SoundFont renders at
// 44.1 kHz with reverb and chorus.
type Options struct {
	// SoundFont plays the music (see LoadSoundFont); required.
	SoundFont *SoundFont
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
	// Progress, when set, is called as the render goes, about every
	// tenth of the piece, with the seconds of music synthesized and the
	// seconds to synthesize: the piece's length (without the tail), or
	// twice that for a WAV written in two passes (see WAV), total growing
	// when the second pass turns out to be needed.
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

// MaxDuration is the longest piece rendered, in seconds: the hour every
// input of sideman is held to (music.MaxSeconds). WAV streams, so its
// memory does not grow with the length; Render holds 1.3 GB for the hour.
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
// from time zero to the end of the release tail, held in memory (8 bytes
// a frame: 1.3 GB for the hour): for measuring audio. WAV writes the same
// sound to a file without holding it. Nothing is padded: the events at
// tick 0 are applied before the first sample is rendered. A note at tick 0
// is heard as soon as its SoundFont sample sounds; some open with silence
// (FluidR3_GM's side stick, 1.8 ms) or a slow attack (TimGM6mb's hi-hat
// pedal, 7 ms), which no render should cut. Cancelling ctx stops the
// render within a block of synthesis (see Block); the error is then
// ctx.Err().
func Render(ctx context.Context, p *music.Piece, opt Options) (*Audio, error) {
	s, err := prepare(opt, pieceLayout(p))
	if err != nil {
		return nil, err
	}
	return s.audio(ctx)
}

// pieceLayout lays out the piece's events at a sample rate, refusing a
// piece longer than MaxDuration before laying out any.
func pieceLayout(p *music.Piece) func(rate int) ([]event, error) {
	return func(rate int) ([]event, error) {
		if secs := p.Tempo.Seconds(p.End()); !(secs <= MaxDuration) {
			return nil, tooLong(secs)
		}
		return events(p, rate)
	}
}

// Block is how many frames are synthesized between two looks at the
// context: 93 ms of audio at 44.1 kHz, about a millisecond of work, well
// within a bar of music.
const Block = 4096

// tailChunk is the step of the release tail: the tail ends with the first
// chunk that is inaudible.
const tailChunk = 1024

// session is one render: the options checked, the SoundFont, and the
// events laid out at the sample rate.
type session struct {
	opt   Options
	rate  int
	gain  float64
	poly  int
	tail  int64 // the most frames after end
	evs   []event
	end   int64 // the frame of the last event: the music's end
	total float64
	done  float64 // seconds synthesized in passes before this one
	next  int64   // the frame of the next progress report
}

// prepare checks the options and lays out the events.
func prepare(opt Options, layout func(rate int) ([]event, error)) (*session, error) {
	s := &session{opt: opt, rate: opt.SampleRate, gain: opt.Gain, poly: opt.Polyphony}
	if s.rate == 0 {
		s.rate = 44100
	}
	if s.rate < 16000 || s.rate > 192000 {
		return nil, fmt.Errorf("render: sample rate %d, want 16000-192000", s.rate)
	}
	if s.gain == 0 {
		s.gain = DefaultGain
	}
	if s.gain < 0 || s.gain > 10 {
		return nil, fmt.Errorf("render: gain %g, want 0-10", s.gain)
	}
	maxTail := opt.MaxTail
	if maxTail == 0 {
		maxTail = 3
	}
	if maxTail < 0 || maxTail > 60 {
		return nil, fmt.Errorf("render: tail %g s, want 0-60", maxTail)
	}
	if s.poly == 0 {
		s.poly = 256
	}
	if opt.SoundFont == nil {
		return nil, errors.New("render: no SoundFont (load one with LoadSoundFont)")
	}
	evs, err := layout(s.rate)
	if err != nil {
		return nil, err
	}
	if len(evs) > 0 {
		s.end = evs[len(evs)-1].at
	}
	if s.end > MaxDuration*int64(s.rate) {
		return nil, tooLong(float64(s.end) / float64(s.rate))
	}
	s.evs = evs
	s.tail = int64(maxTail * float64(s.rate))
	s.total = s.seconds(s.end)
	return s, nil
}

func (s *session) seconds(frames int64) float64 { return float64(frames) / float64(s.rate) }

// play synthesizes the events from the start through a fresh synthesizer
// and hands the audio to emit a block at a time, in order. With frames < 0
// it plays the music and then the release tail in tailChunk steps until a
// step is inaudible in 16 bits (below half a least significant bit) or the
// tail's limit is reached; with frames >= 0 it plays exactly that many
// frames, which replays a pass made before sample for sample (the
// synthesizer is deterministic, and its output does not depend on how its
// Render calls are cut). It returns the frames played and their peak.
func (s *session) play(ctx context.Context, frames int64, emit func(l, r []float32) error) (n int64, pk float32, err error) {
	// The SoundFont was checked when it was loaded (every sample an
	// instrument plays lies in its data): a panic here is a bug in
	// sideman, reported as one, not blamed on the file.
	defer func() {
		if p := recover(); p != nil {
			n, pk, err = 0, 0, &InternalError{Panic: p}
		}
	}()
	settings := meltysynth.NewSynthesizerSettings(int32(s.rate))
	settings.EnableReverbAndChorus = !s.opt.Dry
	settings.MaximumPolyphony = int32(min(max(s.poly, 8), 256))
	synth, err := meltysynth.NewSynthesizer(s.opt.SoundFont.sf, settings)
	if err != nil {
		return 0, 0, fmt.Errorf("render: %w", err)
	}
	synth.MasterVolume = float32(s.gain)
	left, right := make([]float32, Block), make([]float32, Block)
	out := func(k int) error {
		l, r := left[:k], right[:k]
		pk = max(pk, peak(l, r))
		n += int64(k)
		return emit(l, r)
	}
	step := max(s.end/10, 1)
	s.next = step
	limit := s.end
	if frames >= 0 {
		limit = min(frames, s.end)
	}
	// The music: each event applied at its frame, after the frames
	// before it are rendered.
	ei := 0
	for pos := int64(0); pos < limit; {
		if err := ctx.Err(); err != nil {
			return n, pk, err
		}
		stop, k := min(pos+Block, limit), 0
		for pos < stop {
			for ; ei < len(s.evs) && s.evs[ei].at <= pos; ei++ {
				e := s.evs[ei]
				synth.ProcessMidiMessage(int32(e.ch), int32(e.cmd), int32(e.d1), int32(e.d2))
			}
			to := stop
			if ei < len(s.evs) {
				to = min(to, s.evs[ei].at)
			}
			synth.Render(left[k:k+int(to-pos)], right[k:k+int(to-pos)])
			k += int(to - pos)
			pos = to
		}
		if err := out(k); err != nil {
			return n, pk, err
		}
		if s.opt.Progress != nil && pos >= s.next && pos < s.end {
			s.opt.Progress(s.done+s.seconds(pos), s.total)
			s.next = pos + step
		}
	}
	for ; ei < len(s.evs); ei++ {
		e := s.evs[ei]
		synth.ProcessMidiMessage(int32(e.ch), int32(e.cmd), int32(e.d1), int32(e.d2))
	}
	// The tail, after the last event.
	tail := s.tail
	if frames >= 0 {
		tail = max(frames-s.end, 0)
	}
	for t := int64(0); t < tail; {
		if err := ctx.Err(); err != nil {
			return n, pk, err
		}
		k := 0
		quiet := false
		for k+tailChunk <= Block && t < tail {
			c := int(min(tailChunk, tail-t))
			synth.Render(left[k:k+c], right[k:k+c])
			quiet = frames < 0 && peak(left[k:k+c], right[k:k+c]) < 0.5/32768
			k += c
			t += int64(c)
			if quiet {
				break
			}
		}
		if err := out(k); err != nil {
			return n, pk, err
		}
		if quiet {
			break
		}
	}
	s.done += s.seconds(s.end)
	if s.opt.Progress != nil {
		s.opt.Progress(s.done, s.total)
	}
	return n, pk, nil
}

// scale is the gain that brings a mix peaking at pk to full scale: one
// gain for the piece, so its dynamics are kept and no sample is cut off;
// 1 for a mix that does not clip.
func scale(pk float32) float64 {
	if pk > 1 {
		return 1 / float64(pk)
	}
	return 1
}

// audio plays the session into memory, scaled.
func (s *session) audio(ctx context.Context) (*Audio, error) {
	a := &Audio{SampleRate: s.rate, Scaled: 1,
		Left: make([]float32, 0, s.end+s.tail), Right: make([]float32, 0, s.end+s.tail)}
	_, pk, err := s.play(ctx, -1, func(l, r []float32) error {
		a.Left, a.Right = append(a.Left, l...), append(a.Right, r...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if a.Scaled = scale(pk); a.Scaled != 1 {
		g := float32(a.Scaled)
		for i := range a.Left {
			a.Left[i] *= g
			a.Right[i] *= g
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
