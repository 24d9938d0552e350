package model

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"sideman/format"
)

// smallModel is a model of a few random tunes, with the configuration's
// every field away from its zero value.
func smallModel(tb testing.TB, cfg Config, tunes int) *Model {
	tb.Helper()
	cfg.Alphabet = []int{50, 55, 60, 62, 64, 65, 67, 69, 71, 72, 76, 79, 84}
	m, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	m.LearnAll(randomTunes(tunes, 3))
	return m
}

func encode(tb testing.TB, m *Model) []byte {
	tb.Helper()
	var buf bytes.Buffer
	n, err := m.WriteTo(&buf)
	if err != nil || n != int64(buf.Len()) {
		tb.Fatalf("WriteTo: %d bytes, %v; wrote %d", n, err, buf.Len())
	}
	return buf.Bytes()
}

// samePredictions fails unless a and b predict the same distributions,
// to the last bit, along a melody neither learned.
func samePredictions(t *testing.T, a, b *Model) {
	t.Helper()
	probe := tune("probe", 60, 62, 64, 65, 67, 65, 64, 62, 60, 67, 72, 71, 69, 67)
	sa, sb := a.Session(), b.Session()
	if !slices.Equal(sa.Alphabet(), sb.Alphabet()) {
		t.Fatalf("alphabets %v and %v", sa.Alphabet(), sb.Alphabet())
	}
	for i, e := range probe.Events {
		pa, pb := sa.Predict(e), sb.Predict(e)
		if !slices.Equal(pa.LTM, pb.LTM) || !slices.Equal(pa.STM, pb.STM) || !slices.Equal(pa.Both, pb.Both) {
			t.Fatalf("note %d: predictions differ:\n%v\n%v", i, pa.Both, pb.Both)
		}
		sa.Add(e)
		sb.Add(e)
	}
}

func TestFileRoundTrip(t *testing.T) {
	bounded := PitchOnly()
	bounded.Unbounded, bounded.Order, bounded.Escape, bounded.Exclusion, bounded.Bias = false, 3, EscapeX, false, 2
	for _, cfg := range []Config{PitchOnly(), DefaultConfig(), bounded} {
		m := smallModel(t, cfg, 12)
		data := encode(t, m)
		back, err := DecodeBytes(data)
		if err != nil {
			t.Fatal(err)
		}
		got, want := back.Config(), m.Config()
		if got.Unbounded != want.Unbounded || got.Order != want.Order || got.Escape != want.Escape ||
			got.Exclusion != want.Exclusion || got.Bias != want.Bias || got.LTMSTMBias != want.LTMSTMBias ||
			!slices.Equal(got.Alphabet, want.Alphabet) || len(got.Viewpoints) != len(want.Viewpoints) {
			t.Fatalf("configuration read back %+v, written %+v", got, want)
		}
		if back.Pieces != m.Pieces || back.Notes != m.Notes {
			t.Errorf("read back %d pieces, %d notes; wrote %d, %d", back.Pieces, back.Notes, m.Pieces, m.Notes)
		}
		for v := range m.ltm {
			sameCounts(t, cfg.Viewpoints[v].Name, m.ltm[v], back.ltm[v])
			for i := 1; i < len(m.ltm[v].nodes); i++ { // what is derived from the counts
				a := m.ltm[v].nodes[i]
				s := back.ltm[v].nodes[back.ltm[v].find(m.ltm[v].path(int32(i)))]
				if a.cont != s.cont || a.total != s.total || a.ctotal != s.ctotal || a.once != s.once || a.conce != s.conce || a.types != s.types {
					t.Fatalf("viewpoint %d, string %v: %+v written, %+v read", v, m.ltm[v].path(int32(i)), a, s)
				}
			}
		}
		samePredictions(t, m, back)
		if again := encode(t, back); !bytes.Equal(again, data) {
			t.Errorf("a model read back encodes to %d bytes, not the %d read", len(again), len(data))
		}
	}
}

// path is the string of node n, find the node of a string.
func (c *counts) path(n int32) []int64 {
	if n == 0 {
		return nil
	}
	return append(c.path(c.nodes[n].parent), c.nodes[n].sym)
}

func (c *counts) find(p []int64) int32 {
	n := int32(0)
	for _, s := range p {
		if n = c.child(n, s); n < 0 {
			return -1
		}
	}
	return n
}

func TestFileErrors(t *testing.T) {
	data := encode(t, smallModel(t, DefaultConfig(), 12))
	t.Logf("a model of 12 tunes, default viewpoints: %d bytes", len(data))
	newer := slices.Clone(data)
	newer[len(magic)] = Version + 1
	for _, tc := range []struct {
		name string
		in   []byte
		want error
		at   int64
	}{
		{"empty", nil, ErrNotModel, 0},
		{"not a model", []byte("MThd\x00\x00\x00\x06 and more bytes"), ErrNotModel, 0},
		{"newer version", newer, ErrVersion, int64(len(magic))},
		{"truncated", data[:len(data)-1], ErrTruncated, -1},
		{"trailing", append(slices.Clone(data), 0), nil, int64(len(data))},
	} {
		_, err := DecodeBytes(tc.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%s: %v, not a *ParseError", tc.name, err)
			continue
		}
		if tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, not %v", tc.name, err, tc.want)
		}
		if tc.at >= 0 && pe.Offset != tc.at {
			t.Errorf("%s: %v: at byte %d, want %d", tc.name, err, pe.Offset, tc.at)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %q: more than one line", tc.name, err)
		}
	}
	if _, err := DecodeBytes(newer); err == nil || !strings.Contains(err.Error(), "update sideman") {
		t.Errorf("newer version: %v", err)
	}
	// Every cut of the file is refused, none panics (past the header,
	// every 7th: the file is some thousands of bytes).
	for n := 0; n < len(data); n += 1 + n/256*6 {
		if _, err := DecodeBytes(data[:n]); err == nil {
			t.Fatalf("the first %d of %d bytes decode", n, len(data))
		}
	}
	if !errors.Is(errTooLarge, format.ErrTooLarge) {
		t.Error("the size limit does not answer format.ErrTooLarge")
	}
}

// FuzzDecode decodes whatever it is given; what decodes encodes to the
// same bytes and predicts.
func FuzzDecode(f *testing.F) {
	// Small seeds: the fuzzer mutates a few hundred bytes well, not 50,000.
	few := PitchOnly()
	few.Viewpoints, _ = ParseViewpoints("cpitch,cpint*dur")
	f.Add(encode(f, smallModel(f, PitchOnly(), 1)))
	f.Add(encode(f, smallModel(f, few, 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeBytes(data)
		if err != nil {
			return
		}
		if again := encode(t, m); !bytes.Equal(again, data) {
			t.Fatalf("decoded %d bytes, encode to %d", len(data), len(again))
		}
		s := m.Session()
		for _, e := range tune("probe", 60, 62, 64).Events {
			s.Predict(e)
			s.Add(e)
		}
	})
}

// A pruned model keeps the short strings and the frequent long ones, with
// what is derived from them rebuilt; it normalises, and reads back from
// its file predicting the same to the last bit. So does a bounded one.
func TestPrunedModel(t *testing.T) {
	mels := slices.Concat(randomTunes(30, 5), randomTunes(30, 5)) // every string at least twice
	mels = append(mels, randomTunes(3, 99)...)                    // and some seen once
	bounded := DefaultConfig()
	bounded.Unbounded, bounded.Order = false, 4
	for _, cfg := range []Config{DefaultConfig(), bounded} {
		cfg.Alphabet = []int{50, 55, 57, 60, 61, 62, 64, 65, 67, 69, 71, 72, 74, 76, 79, 84}
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		m.LearnAll(mels)
		p := m.Prune(2)
		if p.size() >= m.size() || p.size() == 0 {
			t.Fatalf("pruning %d strings kept %d", m.size(), p.size())
		}
		if m.Prune(1).size() != m.size() {
			t.Error("pruning strings seen less than once dropped some")
		}
		for v, c := range m.ltm {
			pc := p.ltm[v]
			for i := 1; i < len(c.nodes); i++ {
				path := c.path(int32(i))
				keep := len(path) <= PruneOrder+1 || c.nodes[i].count >= 2
				j := pc.find(path)
				if keep != (j >= 0) {
					t.Fatalf("viewpoint %d, string %v seen %d times: kept %v", v, path, c.nodes[i].count, j >= 0)
				}
				if j >= 0 && (pc.nodes[j].count != c.nodes[i].count || pc.nodes[j].start != c.nodes[i].start) {
					t.Fatalf("viewpoint %d, string %v: %+v pruned, %+v learned", v, path, pc.nodes[j], c.nodes[i])
				}
			}
			// What is derived is as a model of the kept strings would have it.
			var sum uint32
			for n := pc.nodes[0].first; n != 0; n = pc.nodes[n].next {
				sum += pc.nodes[n].count
			}
			if sum != pc.nodes[0].total {
				t.Errorf("viewpoint %d: root total %d, children sum to %d", v, pc.nodes[0].total, sum)
			}
			for i := 1; i < len(pc.nodes); i++ {
				if s := pc.nodes[i].suffix; i > 0 && pc.nodes[i].parent != 0 && !slices.Equal(pc.path(s), pc.path(int32(i))[1:]) {
					t.Fatalf("viewpoint %d: string %v has suffix %v", v, pc.path(int32(i)), pc.path(s))
				}
			}
		}
		s := p.Session()
		for _, e := range tune("t", 60, 62, 84, 50, 61, 62, 64, 64, 64).Events {
			pr := s.Predict(e)
			sum := 0.0
			for _, x := range pr.Both {
				if !(x > 0) {
					t.Fatalf("a pitch has probability %v", x)
				}
				sum += x
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Errorf("probabilities sum to %v", sum)
			}
			s.Add(e)
		}
		data := encode(t, p)
		back, err := DecodeBytes(data)
		if err != nil {
			t.Fatal(err)
		}
		samePredictions(t, p, back)
		if again := encode(t, back); !bytes.Equal(again, data) {
			t.Errorf("a pruned model read back encodes to %d bytes, not %d", len(again), len(data))
		}
		if len(data) >= len(encode(t, m)) {
			t.Errorf("pruned file %d bytes, not smaller", len(data))
		}
	}
}
