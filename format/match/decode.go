package match

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"

	"sideman/format"
	"sideman/internal/quote"
)

// Decode reads a match file, at most format.MaxSize bytes. Empty lines
// are skipped; lines of unknown kinds are kept as Raw lines; a line of a
// known kind that does not parse is a *ParseError.
func Decode(r io.Reader) (*File, error) {
	in := &io.LimitedReader{R: r, N: format.MaxSize + 1}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64*1024), MaxLine)
	f := &File{}
	n := 0
	for sc.Scan() {
		if n++; n > MaxLines {
			return nil, &ParseError{Line: n, Err: fmt.Errorf("more than %d lines", MaxLines)}
		}
		text := sc.Text()
		if n == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		lead := len(text) - len(strings.TrimLeftFunc(text, isSpace))
		text = strings.TrimFunc(text, isSpace)
		if text == "" {
			continue
		}
		l, info, isInfo, err := decodeLine(text)
		if err != nil {
			var ce *colError
			if errors.As(err, &ce) {
				return nil, &ParseError{Line: n, Column: lead + ce.col + 1, Err: ce.err}
			}
			return nil, &ParseError{Line: n, Err: err}
		}
		if isInfo {
			f.Info = append(f.Info, info)
		} else {
			f.Lines = append(f.Lines, l)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &ParseError{Line: n + 1, Err: err}
		}
		return nil, &ParseError{Err: err}
	}
	if in.N <= 0 {
		return nil, &ParseError{Err: format.CheckSize(format.MaxSize + 1)}
	}
	return f, nil
}

// DecodeBytes is Decode on input in memory.
func DecodeBytes(data []byte) (*File, error) {
	if err := format.CheckSize(len(data)); err != nil {
		return nil, &ParseError{Err: err}
	}
	return Decode(bytes.NewReader(data))
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\r' || r == '\v' || r == '\f' }

// colError is an error at a byte offset of the trimmed line.
type colError struct {
	col int
	err error
}

func (e *colError) Error() string { return e.err.Error() }

func errAt(col int, format string, a ...any) error {
	return &colError{col, fmt.Errorf("%w: "+format, append([]any{ErrSyntax}, a...)...)}
}

// term is name(args) or a bare name starting at a byte offset.
type term struct {
	name    string
	args    string
	argsCol int
	hasArgs bool
}

func isIdent(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// readTerm reads a term from s at i and returns it with the offset after it.
func readTerm(s string, i int) (term, int, error) {
	start := i
	for i < len(s) && isIdent(s[i]) {
		i++
	}
	t := term{name: s[start:i]}
	if t.name == "" {
		return t, i, errAt(i, "expected a name")
	}
	if i == len(s) || s[i] != '(' {
		return t, i, nil
	}
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
			if depth == 0 {
				if s[j] != ')' {
					return t, j, errAt(j, "unbalanced brackets")
				}
				t.args, t.argsCol, t.hasArgs = s[i+1:j], i+1, true
				return t, j + 1, nil
			}
			if depth < 0 {
				return t, j, errAt(j, "unbalanced brackets")
			}
		}
	}
	return t, len(s), errAt(i, "unclosed parenthesis")
}

type arg struct {
	s   string
	col int
}

// splitArgs splits s at the commas outside brackets; col is s's offset.
func splitArgs(s string, col int) ([]arg, error) {
	var out []arg
	depth, start := 0, 0
	for j := 0; j < len(s); j++ {
		switch s[j] {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
			if depth < 0 {
				return nil, errAt(col+j, "unbalanced brackets")
			}
		case ',':
			if depth == 0 {
				out = append(out, arg{s[start:j], col + start})
				start = j + 1
			}
		}
	}
	if depth != 0 {
		return nil, errAt(col+len(s), "unbalanced brackets")
	}
	return append(out, arg{s[start:], col + start}), nil
}

// leftKinds are the terms that may start a two-part line, by name.
var leftKinds = map[string]Kind{
	"snote": Matched, "insertion": Inserted, "trill": Trill, "ornament": Ornament,
	"hammer_bounce": HammerBounce, "trailing_played_note": TrailingPlayed,
}

func decodeLine(s string) (Line, Info, bool, error) {
	if strings.HasPrefix(s, "info(") {
		if !strings.HasSuffix(s, ").") || len(s) < len("info().") {
			return Line{}, Info{}, false, errAt(len(s)-1, "info line must end in ).")
		}
		body := s[len("info(") : len(s)-2]
		k, v, ok := strings.Cut(body, ",")
		if !ok {
			return Line{}, Info{}, false, errAt(len("info("), "info needs a key and a value")
		}
		return Line{}, Info{Key: k, Value: v}, true, nil
	}
	i := 0
	for i < len(s) && isIdent(s[i]) {
		i++
	}
	head := s[:i]
	_, twoPart := leftKinds[head]
	if !twoPart && head != "sustain" && head != "soft" && head != "scoreprop" {
		return Line{Kind: Raw, Text: s}, Info{}, false, nil
	}
	t, i, err := readTerm(s, 0)
	if err != nil {
		return Line{}, Info{}, false, err
	}
	var l Line
	if twoPart {
		if i >= len(s) || s[i] != '-' {
			return l, Info{}, false, errAt(i, "expected - after %s", head)
		}
		r, j, err := readTerm(s, i+1)
		if err != nil {
			return l, Info{}, false, err
		}
		if l, err = decodePair(t, r, i+1); err != nil {
			return l, Info{}, false, err
		}
		i = j
	} else if l, err = decodeSingle(t); err != nil {
		return l, Info{}, false, err
	}
	if i != len(s)-1 || s[i] != '.' {
		return Line{}, Info{}, false, errAt(i, "expected . at the end of the line")
	}
	return l, Info{}, false, nil
}

func decodeSingle(t term) (Line, error) {
	if !t.hasArgs {
		return Line{}, errAt(len(t.name), "%s needs arguments", t.name)
	}
	args, err := splitArgs(t.args, t.argsCol)
	if err != nil {
		return Line{}, err
	}
	if t.name == "scoreprop" {
		if len(args) < 5 {
			return Line{}, errAt(t.argsCol, "scoreprop needs 5 arguments, has %d", len(args))
		}
		k := len(args)
		p := &ScoreProp{Attribute: args[0].s}
		vals := make([]string, 0, k-4)
		for _, a := range args[1 : k-3] {
			vals = append(vals, a.s)
		}
		p.Value = strings.Join(vals, ",")
		if p.Bar, p.Beat, err = decodeBarBeat(args[k-3]); err != nil {
			return Line{}, err
		}
		if p.Offset, err = decodeRational(args[k-2]); err != nil {
			return Line{}, err
		}
		if p.Onset, err = decodeFloat(args[k-1]); err != nil {
			return Line{}, err
		}
		return Line{Kind: Property, Prop: p}, nil
	}
	if len(args) != 2 {
		return Line{}, errAt(t.argsCol, "%s needs 2 arguments, has %d", t.name, len(args))
	}
	p := &PedalEvent{Name: t.name}
	if p.Time, err = decodeInt(args[0]); err != nil {
		return Line{}, err
	}
	if p.Value, err = decodeInt(args[1]); err != nil {
		return Line{}, err
	}
	return Line{Kind: Pedal, PedalEvent: p}, nil
}

func decodePair(left, right term, rcol int) (Line, error) {
	l := Line{Kind: leftKinds[left.name]}
	var err error
	switch l.Kind {
	case Matched:
		if !left.hasArgs {
			return l, errAt(len(left.name), "snote needs arguments")
		}
		if l.Score, err = decodeScoreNote(left); err != nil {
			return l, err
		}
	case Trill, Ornament:
		if !left.hasArgs {
			return l, errAt(len(left.name), "%s needs an anchor", left.name)
		}
		l.Anchor = left.args
		if err := checkToken(arg{left.args, left.argsCol}); err != nil {
			return l, err
		}
	default:
		if left.hasArgs {
			return l, errAt(left.argsCol-1, "%s takes no arguments", left.name)
		}
	}
	switch {
	case right.name == "deletion" && !right.hasArgs && l.Kind == Matched:
		l.Kind = Deleted
	case right.name == "trailing_score_note" && !right.hasArgs && l.Kind == Matched:
		l.Kind = TrailingScore
	case right.name == "note" && right.hasArgs:
		if l.Performed, err = decodePerformed(right); err != nil {
			return l, err
		}
	default:
		return l, errAt(rcol, "unexpected %s after %s", quote.Input(right.name), left.name)
	}
	return l, nil
}

func decodeScoreNote(t term) (*ScoreNote, error) {
	args, err := splitArgs(t.args, t.argsCol)
	if err != nil {
		return nil, err
	}
	if len(args) != 9 {
		return nil, errAt(t.argsCol, "snote needs 9 arguments, has %d", len(args))
	}
	n := &ScoreNote{ID: args[0].s}
	if err := checkToken(args[0]); err != nil {
		return nil, err
	}
	if n.Step, n.Alter, err = decodeSpelling(args[1]); err != nil {
		return nil, err
	}
	if n.Octave, err = decodeInt(args[2]); err != nil {
		return nil, err
	}
	if n.Bar, n.Beat, err = decodeBarBeat(args[3]); err != nil {
		return nil, err
	}
	if n.Offset, err = decodeRational(args[4]); err != nil {
		return nil, err
	}
	if n.Duration, err = decodeRational(args[5]); err != nil {
		return nil, err
	}
	if n.Onset, err = decodeFloat(args[6]); err != nil {
		return nil, err
	}
	if n.OffsetBeats, err = decodeFloat(args[7]); err != nil {
		return nil, err
	}
	if n.Attributes, err = decodeList(args[8]); err != nil {
		return nil, err
	}
	if p := n.Pitch(); p < 0 || p > 127 {
		return nil, errAt(args[1].col, "pitch %d outside MIDI", p)
	}
	return n, nil
}

func decodePerformed(t term) (*PerformedNote, error) {
	args, err := splitArgs(t.args, t.argsCol)
	if err != nil {
		return nil, err
	}
	if len(args) != 7 {
		return nil, errAt(t.argsCol, "note needs 7 arguments, has %d", len(args))
	}
	n := &PerformedNote{ID: args[0].s}
	if err := checkToken(args[0]); err != nil {
		return nil, err
	}
	var ints []*int
	if strings.HasPrefix(args[1].s, "[") {
		n.Spelled = true
		if n.Step, n.Alter, err = decodeSpelling(args[1]); err != nil {
			return nil, err
		}
		if n.Octave, err = decodeInt(args[2]); err != nil {
			return nil, err
		}
		n.Pitch = (n.Octave+1)*12 + stepSemitones[n.Step] + n.Alter
		ints = []*int{&n.Onset, &n.Offset, &n.AdjOffset, &n.Velocity}
	} else {
		ints = []*int{&n.Pitch, &n.Onset, &n.Offset, &n.Velocity, &n.Channel, &n.Track}
	}
	for k, p := range ints {
		a := args[len(args)-len(ints)+k]
		if *p, err = decodeInt(a); err != nil {
			return nil, err
		}
	}
	if !n.Spelled {
		n.AdjOffset = n.Offset
	}
	if n.Pitch < 0 || n.Pitch > 127 {
		return nil, errAt(args[1].col, "pitch %d outside MIDI", n.Pitch)
	}
	if n.Velocity < 0 || n.Velocity > 127 {
		v := 4
		if n.Spelled {
			v = 6
		}
		return nil, errAt(args[v].col, "velocity %d outside MIDI", n.Velocity)
	}
	return n, nil
}

// checkToken accepts an id or attribute: not empty, no brackets, commas
// or spaces, so that it writes back as one argument.
func checkToken(a arg) error {
	if a.s == "" || strings.ContainsAny(a.s, ",()[] \t.") {
		return errAt(a.col, "bad name %s", quote.Input(a.s))
	}
	return nil
}

func decodeInt(a arg) (int, error) {
	v, err := strconv.Atoi(a.s)
	if err != nil || v < -maxRational || v > maxRational {
		return 0, errAt(a.col, "bad integer %s", quote.Input(a.s))
	}
	return v, nil
}

func decodeFloat(a arg) (float64, error) {
	v, err := strconv.ParseFloat(a.s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errAt(a.col, "bad number %s", quote.Input(a.s))
	}
	return v, nil
}

func decodeBarBeat(a arg) (int, int, error) {
	b, t, ok := strings.Cut(a.s, ":")
	if !ok {
		return 0, 0, errAt(a.col, "bad bar:beat %s", quote.Input(a.s))
	}
	bar, err := decodeInt(arg{b, a.col})
	if err != nil {
		return 0, 0, err
	}
	beat, err := decodeInt(arg{t, a.col + len(b) + 1})
	return bar, beat, err
}

var alters = map[string]int{"n": 0, "#": 1, "b": -1, "##": 2, "x": 2, "bb": -2}

func decodeSpelling(a arg) (string, int, error) {
	parts, err := decodeList(a)
	if err != nil {
		return "", 0, err
	}
	if len(parts) != 2 {
		return "", 0, errAt(a.col, "bad spelling %s", quote.Input(a.s))
	}
	step := strings.ToUpper(parts[0])
	alter, ok := alters[parts[1]]
	if _, known := stepSemitones[step]; !known || !ok {
		return "", 0, errAt(a.col, "bad spelling %s", quote.Input(a.s))
	}
	return step, alter, nil
}

// decodeList reads [a,b,...]; [] is nil.
func decodeList(a arg) ([]string, error) {
	if len(a.s) < 2 || a.s[0] != '[' || a.s[len(a.s)-1] != ']' {
		return nil, errAt(a.col, "expected a [list], got %s", quote.Input(a.s))
	}
	if len(a.s) == 2 {
		return nil, nil
	}
	items, err := splitArgs(a.s[1:len(a.s)-1], a.col+1)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(items))
	for i, it := range items {
		if err := checkToken(it); err != nil {
			return nil, err
		}
		out[i] = it.s
	}
	return out, nil
}

// decodeRational reads n, n/d, n/d/t (a tuplet: n/d divided by t) or a
// sum of those joined by +. A single term keeps its terms as written; a
// sum is reduced.
func decodeRational(a arg) (Rational, error) {
	terms := strings.Split(a.s, "+")
	if len(terms) > 8 {
		return Rational{}, errAt(a.col, "bad fraction %s", quote.Input(a.s))
	}
	sum := new(big.Rat)
	var one Rational
	for _, t := range terms {
		f := strings.Split(t, "/")
		if len(f) > 3 {
			return Rational{}, errAt(a.col, "bad fraction %s", quote.Input(a.s))
		}
		v := make([]int, len(f))
		for i, x := range f {
			n, err := strconv.Atoi(x)
			if err != nil || n < -maxRational || n > maxRational || (i > 0 && n <= 0) ||
				strings.HasPrefix(x, "+") || (i > 0 && strings.HasPrefix(x, "-")) {
				return Rational{}, errAt(a.col, "bad fraction %s", quote.Input(a.s))
			}
			v[i] = n
		}
		den := int64(1)
		for _, d := range v[1:] {
			den *= int64(d)
		}
		if den > maxRational {
			return Rational{}, errAt(a.col, "bad fraction %s", quote.Input(a.s))
		}
		one = Rational{v[0], int(den)}
		sum.Add(sum, big.NewRat(int64(v[0]), den))
	}
	if len(terms) == 1 {
		return one, nil
	}
	if !ratFits(sum) {
		return Rational{}, errAt(a.col, "bad fraction %s", quote.Input(a.s))
	}
	return Rational{int(sum.Num().Int64()), int(sum.Denom().Int64())}, nil
}
