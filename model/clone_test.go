package model

import (
	"slices"
	"testing"
)

// A clone goes on from where its session was, and what it learns leaves
// the session as it was: the session then predicts what a fresh session
// fed the same notes predicts, and the clone what the session would
// have predicted had it learned the continuation itself.
func TestSessionClone(t *testing.T) {
	m := smallModel(t, DefaultConfig(), 12)
	d := decayModel(t)
	head := tune("head", 60, 62, 64, 65, 67, 65, 64, 62)
	tail := tune("tail", 67, 72, 71, 69, 67, 65, 64, 60, 62, 64)
	for _, c := range []struct {
		name string
		m    *Model
		dec  Decay
	}{{"default", m, Decay{}}, {"decay", d, Decay{HalfLife: 2, Buffer: 3, Floor: 0.1}}} {
		newSession := func() *Session {
			s, err := c.m.SessionDecay(c.dec)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		s, ref, whole := newSession(), newSession(), newSession()
		for _, e := range head.Events {
			s.Add(e)
			ref.Add(e)
			whole.Add(e)
		}
		cl := s.Clone()
		for i, e := range tail.Events {
			got, want := cl.Predict(e).Both, whole.Predict(e).Both
			if !slices.Equal(got, want) {
				t.Fatalf("%s: clone's note %d predicted %v, the session going on %v", c.name, i, got, want)
			}
			cl.Add(e)
			whole.Add(e)
		}
		for i, e := range tail.Events {
			got, want := s.Predict(e).Both, ref.Predict(e).Both
			if !slices.Equal(got, want) {
				t.Fatalf("%s: after the clone learned, the session's note %d predicted %v, untouched %v", c.name, i, got, want)
			}
			s.Add(e)
			ref.Add(e)
		}
	}
}
