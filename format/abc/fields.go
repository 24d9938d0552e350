package abc

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"sideman/internal/quote"
	"sideman/music"
)

// signature is a key signature: the alteration of each letter, C..B.
type signature [7]int8

// keyField is a parsed K: field.
type keyField struct {
	key *music.Key // nil for K:none and K:HP
	sig signature
}

// Circle-of-fifths order of the letters that take sharps and flats.
var (
	sharpOrder = [7]music.Step{music.F, music.C, music.G, music.D, music.A, music.E, music.B}
	flatOrder  = [7]music.Step{music.B, music.E, music.A, music.D, music.G, music.C, music.F}
)

// signatureOf is the key signature of a key.
func signatureOf(k music.Key) signature {
	var s signature
	f := k.Fifths()
	for i := 0; i < f; i++ {
		s[sharpOrder[i%7]]++
	}
	for i := 0; i > f; i-- {
		s[flatOrder[-i%7]]--
	}
	return s
}

// modeWords maps the first three letters of an ABC mode name to a mode.
var modeWords = map[string]music.Mode{
	"maj": music.Major, "ion": music.Major, "min": music.Minor, "aeo": music.Minor,
	"dor": music.Dorian, "phr": music.Phrygian, "lyd": music.Lydian,
	"mix": music.Mixolydian, "loc": music.Locrian,
}

// clefWords are K: and V: words that name a clef; they do not change pitch.
var clefWords = map[string]bool{
	"treble": true, "bass": true, "alto": true, "tenor": true, "baritone": true,
	"soprano": true, "mezzosoprano": true, "perc": true, "none": true,
	"bass3": true, "alto1": true, "alto2": true, "alto4": true, "treble1": true,
}

// parseKey reads a K: value: "G", "Ador", "F#m", "Bb mix", "none", "HP",
// "D =c" (explicit accidentals modify the signature; "exp" starts from an
// empty one), with clef and other key=value options ignored.
func parseKey(v string) (keyField, error) {
	words := strings.Fields(v)
	var kf keyField
	i := 0
	if i < len(words) {
		w := words[i]
		switch {
		case w == "none":
			i++
		case w == "HP" || w == "Hp":
			// Highland pipe music: A mixolydian. "HP" is written with no
			// signature, "Hp" with F#, C# and G natural.
			k := music.Key{Tonic: music.Spelling{Step: music.A}, Mode: music.Mixolydian}
			kf.key = &k
			if w == "Hp" {
				kf.sig[music.F], kf.sig[music.C] = 1, 1
			}
			i++
		case isTonic(w):
			k, rest, err := parseTonic(w)
			if err != nil {
				return kf, err
			}
			i++
			if rest == "" && i < len(words) {
				// "A minor", "Bb Mix": the mode as the next word.
				if _, ok := modeOf(words[i]); ok {
					rest = words[i]
					i++
				}
			}
			if rest != "" {
				m, ok := modeOf(rest)
				if !ok {
					return kf, fmt.Errorf("K:%s: unknown mode %s", v, quote.Input(rest))
				}
				k.Mode = m
			}
			kf.key = &k
			kf.sig = signatureOf(k)
		}
	}
	for ; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "exp":
			kf.sig = signature{}
		case w[0] == '^' || w[0] == '_' || w[0] == '=':
			alter, n := accidental(w)
			if n == 0 || n >= len(w) || n+1 != len(w) || !isNoteLetter(w[n]) {
				return kf, fmt.Errorf("K:%s: bad accidental %s", v, quote.Input(w))
			}
			kf.sig[letterStep(w[n])] = alter
		case strings.Contains(w, "="):
			// clef=, octave=, transpose=, middle=, stafflines=, ...
		case clefWords[strings.TrimRight(strings.ToLower(w), "+-8")]:
		default:
			return kf, fmt.Errorf("K:%s: unknown word %s", v, quote.Input(w))
		}
	}
	return kf, nil
}

func isTonic(w string) bool {
	return w != "" && (w[0] >= 'A' && w[0] <= 'G' || w[0] >= 'a' && w[0] <= 'g')
}

// parseTonic reads "F#" or "Bb" and returns what follows ("m", "dor").
func parseTonic(w string) (music.Key, string, error) {
	sp := music.Spelling{Step: letterStep(w[0])}
	n := 1
	if n < len(w) && (w[n] == '#' || w[n] == 'b') {
		sp.Alter = 1
		if w[n] == 'b' {
			sp.Alter = -1
		}
		n++
	}
	return music.Key{Tonic: sp, Mode: music.Major}, w[n:], nil
}

// modeOf reads a mode word: "m", or a mode name of which the first three
// letters count ("Dor", "mixolydian", "Min").
func modeOf(w string) (music.Mode, bool) {
	lw := strings.ToLower(w)
	if lw == "m" {
		return music.Minor, true
	}
	if len(lw) < 3 {
		return 0, false
	}
	m, ok := modeWords[lw[:3]]
	if !ok {
		return 0, false
	}
	for _, c := range lw {
		if c < 'a' || c > 'z' {
			return 0, false
		}
	}
	return m, true
}

// parseMeter reads an M: value: "6/8", "C" (4/4), "C|" (2/2), "2+3/8" or
// "(2+3)/8" (5/8), or "none" (free meter: nil).
func parseMeter(v string) (*music.Meter, error) {
	v = strings.TrimSpace(v)
	switch v {
	case "none", "":
		return nil, nil
	case "C":
		return &music.Meter{Num: 4, Den: 4}, nil
	case "C|":
		return &music.Meter{Num: 2, Den: 2}, nil
	}
	num, den, ok := strings.Cut(v, "/")
	if !ok {
		return nil, fmt.Errorf("M:%s: want N/D, C, C| or none", v)
	}
	num = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(num), "("), ")")
	n := 0
	for _, part := range strings.Split(num, "+") {
		k, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || k < 1 || k > 64 {
			return nil, fmt.Errorf("M:%s: bad number of beats %s", v, quote.Input(part))
		}
		n += k
	}
	d, err := strconv.Atoi(strings.TrimSpace(den))
	m := music.Meter{Num: n, Den: d}
	if err != nil || !m.Valid() {
		return nil, fmt.Errorf("M:%s: want 1-32 beats of a whole to a 64th note", v)
	}
	return &m, nil
}

// parseUnit reads an L: value ("1/8", "1/16", "1").
func parseUnit(v string) (rat, error) {
	v = strings.TrimSpace(v)
	num, den, ok := strings.Cut(v, "/")
	if !ok {
		den = "1"
	}
	n, err1 := strconv.Atoi(strings.TrimSpace(num))
	d, err2 := strconv.Atoi(strings.TrimSpace(den))
	if err1 != nil || err2 != nil || n < 1 || d < 1 || n > 64 || d > 1024 {
		return rat{}, fmt.Errorf("L:%s: want a note length like 1/8", v)
	}
	return newRat(int64(n), int64(d))
}

// defaultUnit is the unit note length when there is no L: field: a
// sixteenth when the meter is below 3/4, else an eighth (abc 2.1, 3.1.7).
func defaultUnit(m *music.Meter) rat {
	if m != nil && 4*m.Num < 3*m.Den {
		return rat{1, 16}
	}
	return rat{1, 8}
}

// parseTempo reads a Q: value and returns quarter notes per minute (0 when
// it gives none): "1/4=120", "3/8=100", "1/8 3/8=40", "\"Allegro\" 1/4=120",
// or the old "120" (unit notes a minute). Text alone ("Q:Allegro") is a
// valid tempo without a number.
func parseTempo(v string, unit rat) float64 {
	// Drop quoted text.
	var b strings.Builder
	in := false
	for i := 0; i < len(v); i++ {
		if v[i] == '"' {
			in = !in
			continue
		}
		if !in {
			b.WriteByte(v[i])
		}
	}
	s := strings.TrimSpace(b.String())
	beat := unit
	if l, r, ok := strings.Cut(s, "="); ok {
		sum := rat{0, 1}
		for _, f := range strings.Fields(l) {
			r, err := parseUnit(f)
			if err != nil {
				return 0
			}
			if sum, err = sum.add(r); err != nil {
				return 0
			}
		}
		if sum.n == 0 {
			return 0
		}
		beat, s = sum, strings.TrimSpace(r)
	}
	bpm, err := strconv.ParseFloat(s, 64)
	if err != nil || !(bpm > 0 && bpm <= 10000) { // NaN too
		return 0
	}
	return bpm * float64(beat.n) * 4 / float64(beat.d)
}

// maxOrder bounds an expanded part order.
const maxOrder = 1024

var errOrder = errors.New("part order too long")

// parseOrder reads a part order, "AABB", "A2B", "(AB)3C", "A.B.C" or the
// Nottingham files' "A ABBB ACCC": letters name parts, a number repeats the
// part or parenthesized group before it, and anything else is ignored.
func parseOrder(s string) ([]byte, error) {
	out, _, err := orderGroup(s, 0, 0)
	return out, err
}

func orderGroup(s string, i, depth int) ([]byte, int, error) {
	var out, last []byte
	for i < len(s) {
		c := s[i]
		switch {
		case isLetter(c):
			last = []byte{upper(c)}
			out = append(out, last...)
			i++
		case c == '(' && depth < 8:
			g, j, err := orderGroup(s, i+1, depth+1)
			if err != nil {
				return nil, 0, err
			}
			last, i = g, j
			out = append(out, g...)
		case c == ')':
			return out, i + 1, nil
		case isDigit(c):
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			n, _ := strconv.Atoi(s[i:j])
			if n > maxOrder {
				return nil, 0, errOrder
			}
			for k := 1; k < n; k++ {
				out = append(out, last...)
				if len(out) > maxOrder {
					return nil, 0, errOrder
				}
			}
			last, i = nil, j
		default:
			i++
		}
		if len(out) > maxOrder {
			return nil, 0, errOrder
		}
	}
	return out, i, nil
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func isNoteLetter(c byte) bool { return c >= 'A' && c <= 'G' || c >= 'a' && c <= 'g' }

// letterStep is the step of a note letter, either case.
func letterStep(c byte) music.Step {
	return music.Step(strings.IndexByte("CDEFGAB", upper(c)))
}

// accidental reads "^", "^^", "_", "__" or "=" at the start of s and
// returns the alteration and the bytes read (0 when there is none).
//
// A microtonal accidental, "^" or "_" with a fraction of a semitone ("^/"
// a quarter tone sharp, "_3/2" three quarter tones flat, "^3/4", "^1/3";
// "^2" two semitones), is read as the nearest semitone, a tie going to the
// natural note: "^/c" and "_/c" are a C natural, "_3/2c" a B natural,
// "^3/4c" a C sharp. abc2midi plays the same notes bent by the fraction;
// the written note is the one it bends. Alterations beyond two semitones
// are two.
func accidental(s string) (int8, int) {
	switch {
	case strings.HasPrefix(s, "^^"):
		return 2, 2
	case strings.HasPrefix(s, "__"):
		return -2, 2
	case strings.HasPrefix(s, "^"), strings.HasPrefix(s, "_"):
		sign := int8(1)
		if s[0] == '_' {
			sign = -1
		}
		if alter, n := microtone(s[1:]); n > 0 {
			return sign * alter, 1 + n
		}
		return sign, 1
	case strings.HasPrefix(s, "="):
		return 0, 1
	}
	return 0, 0
}

// maxMicro bounds the numbers of a microtonal accidental.
const maxMicro = 1 << 10

// microtone reads the fraction of a microtonal accidental ("/", "3/2",
// "3/4", "2") at the start of s: its size rounded to whole semitones (see
// accidental) and the bytes read, 0 when there is no fraction or it is not
// a number of semitones.
func microtone(s string) (int8, int) {
	j := 0
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	num, den := 1, 1
	if j > 0 {
		n, err := strconv.Atoi(s[:j])
		if err != nil || n > maxMicro {
			return 0, 0
		}
		num = n
	}
	if j < len(s) && s[j] == '/' {
		j++
		st := j
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		den = 2
		if j > st {
			d, err := strconv.Atoi(s[st:j])
			if err != nil || d < 1 || d > maxMicro {
				return 0, 0
			}
			den = d
		}
	}
	if j == 0 {
		return 0, 0
	}
	// The nearest whole number to num/den, halves down: ceil(v - 1/2).
	r := (2*num + den - 1) / (2 * den)
	return int8(min(r, 2)), j
}
