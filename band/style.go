package band

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"math"
	"sideman/internal/quote"
	"sort"
	"strconv"
	"strings"

	"sideman/music"
)

// Style is how the band plays: which player plays each instrument, the
// feel, and the patterns and parameters the players read. Styles are data
// (docs/style-format.md), read from .style files; the built-in ones are
// embedded from band/styles.
type Style struct {
	Name        string
	Description string
	// Eighths is how the style plays eighth notes, "swing" or
	// "straight"; Swing is the share of a felt beat the on-beat eighth
	// of a pair takes in swing (0.5 is straight, 0.67 a triplet feel).
	// The band writes its eighths straight, as a chart does, and says
	// so in the piece (music.Piece.Swing); feel plays them swung.
	Eighths string
	Swing   float64
	// Tempo is the default tempo in felt beats per minute.
	Tempo int
	// Feel names the feel (sideman feel list) the band plays with
	// unless told otherwise; empty means by Eighths: swing-rhythm for
	// swing, rock-funk for straight.
	Feel string
	// Players names the player for each role ("walking", "bossa", ...);
	// a role that is absent or "none" sits out.
	Players map[string]string
	// Params are the remaining "role.name: value" lines, for the players
	// ("drums.ride: 1 2 2+ 3 4 4+", "bass.program: 32").
	Params map[string]string
	// Mix is each role's channel volume and pan ("mix.bass: volume 100 pan
	// 0"); a role without one plays at the player's defaults.
	Mix map[string]Mix
	// Arc is how far the band's dynamics move over the performance: the
	// bass's and the comping's velocities rise through the choruses and
	// toward each chorus's climax and fall for its last section and the
	// ending, scaled between 1-3/4·Arc and 1+3/4·Arc (see arc.go); 0
	// plays them flat.
	Arc float64
}

// Mix is a part's place in the mix: its channel volume (MIDI controller 7,
// 1-127; gain follows its square, so 50 is 12 dB under 100) and its pan
// (controller 10 less 64: -64 hard left, 0 centre, 63 hard right).
type Mix struct {
	Volume, Pan int
}

// DefaultArc is the arc of a style that does not say.
const DefaultArc = 0.1

// Roles the band knows, in the order their tracks are written.
var Roles = []string{"bass", "piano", "guitar", "drums"}

// FeelName is the feel the style plays with: Feel, else swing-rhythm
// for swung eighths and rock-funk for straight ones.
func (s *Style) FeelName() string {
	switch {
	case s.Feel != "":
		return s.Feel
	case s.Swung():
		return "swing-rhythm"
	}
	return "rock-funk"
}

// Swung reports whether the style swings its eighths.
func (s *Style) Swung() bool { return s.Eighths == "swing" }

// PieceSwing is what the band's piece says of its eighths
// (music.Piece.Swing): the style's swing where it swings, else 0.
func (s *Style) PieceSwing() float64 {
	if s.Swung() {
		return s.Swing
	}
	return 0
}

// Param returns a player parameter ("drums.ride") or def.
func (s *Style) Param(key, def string) string {
	if v, ok := s.Params[key]; ok {
		return v
	}
	return def
}

// FloatParam returns a numeric parameter or def.
func (s *Style) FloatParam(key string, def float64) float64 {
	if v, ok := s.Params[key]; ok {
		if f, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f
		}
	}
	return def
}

// StyleError is a mistake in a style file, with its line.
type StyleError struct {
	Name string
	Line int
	Err  error
}

func (e *StyleError) Error() string {
	return fmt.Sprintf("style %s: line %d: %v", e.Name, e.Line, e.Err)
}

func (e *StyleError) Unwrap() error { return e.Err }

// maxStyleSize bounds a style file.
const maxStyleSize = 1 << 20

// ParseStyle reads a .style file; name is used in errors.
func ParseStyle(name string, r io.Reader) (*Style, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxStyleSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxStyleSize {
		return nil, &StyleError{name, 1, fmt.Errorf("larger than %d bytes", maxStyleSize)}
	}
	s := &Style{Eighths: "straight", Swing: 0.5, Tempo: 120, Players: map[string]string{}, Params: map[string]string{},
		Mix: map[string]Mix{}, Arc: DefaultArc}
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if i := strings.Index(text, "#"); i >= 0 {
			text = text[:i]
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		key, value, ok := strings.Cut(text, ":")
		key, value = strings.TrimSpace(strings.ToLower(key)), strings.TrimSpace(value)
		if !ok || key == "" {
			return nil, &StyleError{name, line, fmt.Errorf("want name: value, got %s", quote.Input(text))}
		}
		if err := s.set(key, value); err != nil {
			return nil, &StyleError{name, line, err}
		}
	}
	if s.Name == "" {
		return nil, &StyleError{name, line, fmt.Errorf("no name: line")}
	}
	if s.Swung() && s.Swing == 0.5 {
		s.Swing = 2.0 / 3
	}
	return s, nil
}

func (s *Style) set(key, value string) error {
	switch key {
	case "name":
		s.Name = strings.ToLower(value)
	case "description":
		s.Description = value
	case "eighths":
		if value != "swing" && value != "straight" {
			return fmt.Errorf("eighths %s: want swing or straight", quote.Input(value))
		}
		s.Eighths = value
	case "feel", "humanize":
		if key == "feel" && (value == "swing" || value == "straight") {
			// The key's old meaning, before eighths: (style files
			// written so still read): no feel is named either.
			s.Eighths = value
			return nil
		}
		if value == "" || strings.ContainsAny(value, " \t") {
			return fmt.Errorf("%s %s: want one feel name (sideman feel list), a .feel file, or none", key, quote.Input(value))
		}
		s.Feel = value
	case "swing":
		f, err := strconv.ParseFloat(value, 64)
		if err != nil || !(f >= 0.5 && f <= 0.8) { // NaN too
			return fmt.Errorf("swing %s: want the on-beat eighth's share of the beat, 0.5 to 0.8", quote.Input(value))
		}
		s.Swing = f
	case "tempo":
		t, err := strconv.Atoi(value)
		if err != nil || t < 20 || t > 400 {
			return fmt.Errorf("tempo %s: want 20 to 400 beats per minute", quote.Input(value))
		}
		s.Tempo = t
	case "bass", "piano", "guitar", "drums":
		s.Players[key] = value
	case "arc":
		f, err := strconv.ParseFloat(value, 64)
		if err != nil || !(f >= 0 && f <= 0.5) { // NaN too
			return fmt.Errorf("arc %s: want how far the dynamics move, 0 (flat) to 0.5", quote.Input(value))
		}
		s.Arc = f
	default:
		role, _, ok := strings.Cut(key, ".")
		if role == "mix" {
			return s.setMix(key, value)
		}
		if !ok || !isRole(role) {
			return fmt.Errorf("unknown setting %s (want name, description, eighths, swing, tempo, feel, arc, bass, piano, guitar, drums, mix.role, or role.parameter)", quote.Input(key))
		}
		s.Params[key] = value
	}
	return nil
}

// setMix reads "mix.ROLE: volume N pan N", either word optional.
func (s *Style) setMix(key, value string) error {
	_, role, _ := strings.Cut(key, ".")
	if !isRole(role) {
		return fmt.Errorf("%s: want mix.bass, mix.piano, mix.guitar or mix.drums", key)
	}
	m := s.Mix[role]
	f := strings.Fields(strings.ToLower(value))
	if len(f) == 0 || len(f)%2 != 0 {
		return fmt.Errorf("%s %s: want volume 1-127 and pan -64 to 63, e.g. volume 100 pan -20", key, quote.Input(value))
	}
	for i := 0; i < len(f); i += 2 {
		n, err := strconv.Atoi(f[i+1])
		switch {
		case f[i] == "volume" && err == nil && n >= 1 && n <= 127:
			m.Volume = n
		case f[i] == "pan" && err == nil && n >= -64 && n <= 63:
			m.Pan = n
		case f[i] == "volume":
			return fmt.Errorf("%s: volume %s: want 1-127 (100 is General MIDI's default)", key, quote.Input(f[i+1]))
		case f[i] == "pan":
			return fmt.Errorf("%s: pan %s: want -64 (hard left) to 63 (hard right), 0 the centre", key, quote.Input(f[i+1]))
		default:
			return fmt.Errorf("%s: %s: want volume or pan", key, quote.Input(f[i]))
		}
	}
	s.Mix[role] = m
	return nil
}

func isRole(r string) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

//go:embed styles/*.style
var builtin embed.FS

// Styles returns the built-in styles, sorted by name.
func Styles() []*Style {
	ents, _ := fs.ReadDir(builtin, "styles")
	var out []*Style
	for _, e := range ents {
		out = append(out, builtinStyle(e.Name()))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// builtinStyle parses the embedded style file.
func builtinStyle(file string) *Style {
	data, _ := builtin.ReadFile("styles/" + file)
	s, err := ParseStyle(file, bytes.NewReader(data))
	if err != nil {
		panic(err) // the built-in styles are tested
	}
	return s
}

// LookupStyle finds a built-in style by name, ignoring case, spaces and
// hyphens ("Medium Swing", "medium-swing"). Each call parses the style
// afresh, so the caller may change it; only the file of that name is
// read (each built-in's file is its name, TestStyleFileNames), as a
// command plays one style.
func LookupStyle(name string) (*Style, bool) {
	want := normalName(name)
	ents, _ := fs.ReadDir(builtin, "styles")
	for _, e := range ents {
		if normalName(strings.TrimSuffix(e.Name(), ".style")) == want {
			return builtinStyle(e.Name()), true
		}
	}
	return nil, false
}

// normalName is a style name in lower case without spaces, hyphens and
// underscores.
func normalName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '_' {
			return -1
		}
		return r
	}, strings.ToLower(s))
}

// Summary is what the band plays, in the words a bandleader would use
// counting it off: two lines for a person (String), or JSON for a
// program.
type Summary struct {
	// Style is the style's name as `sideman styles` prints it, and
	// StyleSource why it plays: StyleAsked, StyleFromHint or
	// StyleFromDefault. Hint is the chart's style hint, if any.
	Style       string `json:"style"`
	StyleSource string `json:"style_source"`
	Hint        string `json:"-"`
	// Tempo in felt beats per minute; Key and Meter as played (after
	// any transposition; the defaults when the chart gives none).
	Tempo int    `json:"tempo"`
	Key   string `json:"key"`
	Meter string `json:"meter"`
	// Feel is the feel the band plays with: the style's (Style.FeelName)
	// unless the caller sets the one it chose ("none" for the grid).
	Feel string `json:"feel"`
	// Choruses are the times round the form, or round the loop.
	Choruses int `json:"choruses"`
	// Bars are the bars played: the count-in, the intro, the choruses (or
	// the loop's repeats), the coda and the ending. CountIn of them are
	// the count-in's.
	Bars    int `json:"bars"`
	CountIn int `json:"-"`
	// Seconds is the length of the performance: to the end of its last
	// bar or its last note, whichever is later, at the piece's tempo
	// map, to a hundredth of a second.
	Seconds float64 `json:"duration_seconds"`
}

// Summarize describes the piece Play made from a chart with opt; source
// says why opt.Style was chosen (StyleAsked, ...). It reads the form,
// the tempo map, the key and the meter from the piece, so what it says
// is what the MIDI file holds.
func Summarize(p *music.Piece, opt Options, source string) Summary {
	st := opt.Style
	c := p.Chart
	sum := Summary{Style: st.Name, StyleSource: source, Feel: st.FeelName(), Choruses: repeats(opt), CountIn: opt.CountIn}
	sum.Tempo = opt.Tempo
	if sum.Tempo <= 0 && c != nil {
		sum.Tempo = c.Tempo
	}
	if sum.Tempo <= 0 {
		sum.Tempo = st.Tempo
	}
	key, meter := music.DefaultKey, music.DefaultMeter
	if c != nil {
		sum.Hint = c.Style
		key, meter = c.KeyOrDefault(), c.MeterOrDefault()
	}
	if len(p.Keys) > 0 {
		key = p.Keys[0].Key
	}
	if len(p.Meters) > 0 && c == nil {
		meter = p.Meters[0].Meter // a chart's first bar may be a pickup or a count-in
	}
	sum.Key, sum.Meter = key.String(), meter.String()
	end := p.End()
	if c != nil {
		bars, err := Played(c, opt)
		if err != nil { // Play has refused these options already
			bars = Form(c, max(opt.Choruses, 1), opt.Intro, opt.Ending)
		}
		sum.Bars = len(bars)
		if n := len(bars); n > 0 && bars[n-1].End() > end {
			end = bars[n-1].End()
		}
	}
	sum.Seconds = math.Round(p.Tempo.Seconds(end)*100) / 100
	return sum
}

// String is the summary in two lines for a terminal, without a final
// newline: "medium-swing (chart hint "Slow Swing"), swing-rhythm, 100 bpm, F
// major, 4/4" and "1 chorus, 32 bars, 76.80 s".
func (s Summary) String() string {
	why := s.StyleSource
	switch {
	case s.StyleSource == StyleFromHint:
		why = fmt.Sprintf("chart hint %q", s.Hint)
	case s.StyleSource == StyleFromDefault && strings.TrimSpace(s.Hint) != "":
		why = fmt.Sprintf("default; no style plays the chart hint %q", s.Hint)
	case s.StyleSource == StyleAsked:
		why = "asked for"
	}
	choruses := "choruses"
	if s.Choruses == 1 {
		choruses = "chorus"
	}
	countIn := ""
	if s.CountIn > 0 {
		countIn = fmt.Sprintf(" (%d of count-in)", s.CountIn)
	}
	return fmt.Sprintf("%s (%s), %s, %d bpm, %s, %s\n%d %s, %d bars%s, %.2f s",
		s.Style, why, s.Feel, s.Tempo, s.Key, s.Meter, s.Choruses, choruses, s.Bars, countIn, s.Seconds)
}
