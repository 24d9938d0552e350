package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"sideman/internal/output"
	"sideman/music"
	"sideman/render"
)

// cancelAfter is a context cancelled at its n+1st look: a render stopped
// after n blocks of synthesis, on any machine.
type cancelAfter struct {
	context.Context
	n, looks atomic.Int64
}

func (c *cancelAfter) Err() error {
	if c.looks.Add(1) > c.n.Load() {
		return context.Canceled
	}
	return nil
}

// TestCancelledRenderLeavesNothing: a render cancelled midway (after 20
// blocks, 1.9 s of audio already in the temporary file) returns
// context.Canceled and leaves no partial WAV and no temporary file; a
// file it was to replace keeps what it held.
func TestCancelledRenderLeavesNothing(t *testing.T) {
	sf2 := needTimGM6mb(t)
	dir := t.TempDir()
	p := &music.Piece{Parts: []music.Part{{Program: 0}}}
	for i := range 60 {
		p.Parts[0].Notes = append(p.Parts[0].Notes, music.Note{ID: music.NoteID(i + 1), Pitch: 60, Velocity: 90, Start: music.Ticks(i) * music.PPQ, Duration: music.PPQ})
	}
	old := []byte("the take I want to keep")
	for _, name := range []string{"new.wav", "old.wav"} {
		wav := filepath.Join(dir, name)
		if name == "old.wav" {
			if err := os.WriteFile(wav, old, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		target, err := outputTo(wav, []output.Format{output.WAV})
		if err != nil {
			t.Fatal(err)
		}
		ctx := &cancelAfter{Context: t.Context()}
		ctx.n.Store(20)
		var partial int64 // bytes in the temporary file when the render stopped
		err = writeAudio(ctx, target, io.Discard, nil, sf2,
			func(ctx context.Context, w io.Writer, sf *render.SoundFont) error {
				err := render.WAV(ctx, w, p, render.Options{SoundFont: sf})
				es, _ := os.ReadDir(dir)
				for _, e := range es {
					if fi, _ := e.Info(); strings.Contains(e.Name(), output.TempPrefix) && fi != nil {
						partial = fi.Size()
					}
				}
				return err
			})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v, want context.Canceled", name, err)
		}
		if partial < 20*render.Block*4/2 {
			t.Errorf("%s: %d bytes in the temporary file when cancelled, want the most of 20 blocks", name, partial)
		}
		if name == "old.wav" {
			unchanged(t, wav, old)
		} else if _, err := os.Stat(wav); err == nil {
			t.Errorf("%s written", wav)
		}
		noTemporaryFiles(t, dir)
	}
}
