package render_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"sync/atomic"
	"testing"

	"sideman/render"
)

// memFile is an in-memory io.WriteSeeker, as a file is to WAV.
type memFile struct {
	b   []byte
	pos int64
}

func (f *memFile) Write(p []byte) (int, error) {
	if end := f.pos + int64(len(p)); end > int64(len(f.b)) {
		f.b = append(f.b, make([]byte, end-int64(len(f.b)))...)
	}
	copy(f.b[f.pos:], p)
	f.pos += int64(len(p))
	return len(p), nil
}

func (f *memFile) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		off += f.pos
	case io.SeekEnd:
		off += int64(len(f.b))
	}
	if off < 0 {
		return 0, errors.New("negative position")
	}
	f.pos = off
	return off, nil
}

// sink is a file that keeps nothing: a seekable io.Discard. end is its
// size.
type sink struct{ pos, end int64 }

func (s *sink) Write(p []byte) (int, error) {
	s.pos += int64(len(p))
	s.end = max(s.end, s.pos)
	return len(p), nil
}
func (s *sink) Seek(off int64, whence int) (int64, error) {
	if whence == io.SeekCurrent {
		off += s.pos
	}
	s.pos = off
	return off, nil
}

// pipe is a writer that cannot seek, counting what it is given.
type pipe struct{ n int64 }

func (p *pipe) Write(b []byte) (int, error) { p.n += int64(len(b)); return len(b), nil }

// TestStreamedWAV: WAV streamed to a file (one pass, the header last),
// to a pipe (two passes) and after something else in the file gives the
// bytes Render and WriteWAV give, also for a mix that clips (Gain 8: a
// file gets its samples a second time, scaled).
func TestStreamedWAV(t *testing.T) {
	sf := loaded(t, needSoundFont(t))
	for _, c := range []struct {
		name string
		opt  render.Options
	}{
		{"gain 1", render.Options{SoundFont: sf}},
		{"gain 8, clipping", render.Options{SoundFont: sf, Gain: 8}},
		{"dry, 48 kHz", render.Options{SoundFont: sf, Dry: true, SampleRate: 48000}},
	} {
		p := scalePiece()
		a, err := render.Render(t.Context(), p, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		if clips := c.opt.Gain == 8; clips != (a.Scaled < 1) {
			t.Fatalf("%s: scaled by %g", c.name, a.Scaled)
		}
		var want bytes.Buffer
		if err := a.WriteWAV(&want); err != nil {
			t.Fatal(err)
		}
		var file memFile
		if err := render.WAV(t.Context(), &file, p, c.opt); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(file.b, want.Bytes()) {
			t.Errorf("%s: WAV to a file differs from Render + WriteWAV (%d and %d bytes)", c.name, len(file.b), want.Len())
		}
		var piped bytes.Buffer
		if err := render.WAV(t.Context(), &piped, p, c.opt); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(piped.Bytes(), want.Bytes()) {
			t.Errorf("%s: WAV to a pipe differs from Render + WriteWAV (%d and %d bytes)", c.name, piped.Len(), want.Len())
		}
		after := memFile{b: []byte("before")}
		after.Seek(0, io.SeekEnd)
		if err := render.WAV(t.Context(), &after, p, c.opt); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(after.b, append([]byte("before"), want.Bytes()...)) || after.pos != int64(len(after.b)) {
			t.Errorf("%s: WAV after 6 bytes of a file: not the 6 bytes and the WAV, or not left at its end", c.name)
		}
	}
}

// TestWAVMemoryFlat: the memory WAV allocates does not grow with the
// length of the music: 4 choruses of the blues (88 s, 4 times the music
// of 1) allocate less than 1.5 times what 1 chorus does, where holding
// the audio (Render) takes 8 bytes a frame, 23 MB more.
func TestWAVMemoryFlat(t *testing.T) {
	sf := loaded(t, needSoundFont(t))
	alloc := func(choruses int) uint64 {
		p := bluesPiece(t, choruses)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if err := render.WAV(t.Context(), &sink{}, p, render.Options{SoundFont: sf}); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	one, four := alloc(1), alloc(4)
	t.Logf("WAV allocates %d KB for a chorus, %d KB for 4", one>>10, four>>10)
	if four > one*3/2 {
		t.Errorf("WAV allocates %d KB for 4 choruses, %d KB for one: it grows with the length", four>>10, one>>10)
	}
}

// countdown is a context that is cancelled at its n+1st look: a render
// cancelled after n blocks, whatever the machine's speed.
type countdown struct {
	context.Context
	n, looks atomic.Int64
}

func (c *countdown) Err() error {
	if c.looks.Add(1) > c.n.Load() {
		return context.Canceled
	}
	return nil
}

// TestCancelAfterBlocks: a render whose context is cancelled after n
// blocks returns context.Canceled at its next look, having synthesized
// n blocks and no more, in memory and to a file; to a pipe the first
// pass writes nothing.
func TestCancelAfterBlocks(t *testing.T) {
	sf := loaded(t, needSoundFont(t))
	p := bluesPiece(t, 3)
	const n = 5
	for _, c := range []struct {
		name   string
		render func(ctx context.Context) (written int64, err error)
		want   int64
	}{
		{"Render", func(ctx context.Context) (int64, error) {
			_, err := render.Render(ctx, p, render.Options{SoundFont: sf})
			return 0, err
		}, 0},
		{"WAV to a file", func(ctx context.Context) (int64, error) {
			var f memFile
			err := render.WAV(ctx, &f, p, render.Options{SoundFont: sf})
			return int64(len(f.b)), err
		}, 44 + n*render.Block*4},
		{"WAV to a pipe", func(ctx context.Context) (int64, error) {
			var w pipe
			err := render.WAV(ctx, &w, p, render.Options{SoundFont: sf})
			return w.n, err
		}, 0},
	} {
		ctx := &countdown{Context: t.Context()}
		ctx.n.Store(n)
		written, err := c.render(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v, want context.Canceled", c.name, err)
		}
		if looks := ctx.looks.Load(); looks != n+1 {
			t.Errorf("%s: looked at the context %d times, want %d: it did not stop at the first look after the cancel", c.name, looks, n+1)
		}
		if written != c.want {
			t.Errorf("%s: wrote %d bytes, want %d", c.name, written, c.want)
		}
	}
}

// TestCancelFromAnotherGoroutine: cancelled by another goroutine while
// it renders (when it reports its first progress), a render stops at its
// next look at the context: the file holds no block synthesized after
// the cancel, and the error is context.Canceled.
func TestCancelFromAnotherGoroutine(t *testing.T) {
	sf := loaded(t, needSoundFont(t))
	p := bluesPiece(t, 3)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var f memFile
	var atCancel int
	asked, cancelled := make(chan struct{}), make(chan struct{})
	go func() {
		<-asked
		cancel()
		close(cancelled)
	}()
	first := true
	opt := render.Options{SoundFont: sf, Progress: func(done, total float64) {
		if first {
			first = false
			atCancel = len(f.b)
			close(asked)
			<-cancelled // the cancel has happened before the render goes on
		}
	}}
	err := render.WAV(ctx, &f, p, opt)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("%v, want context.Canceled", err)
	}
	if atCancel == 0 || len(f.b) != atCancel {
		t.Errorf("%d bytes written when cancelled, %d when the render returned", atCancel, len(f.b))
	}
	if full := p.Tempo.Seconds(p.End()) * 44100 * 4; float64(len(f.b)) > full/2 {
		t.Errorf("%d bytes of %.0f written", len(f.b), full)
	}
}
