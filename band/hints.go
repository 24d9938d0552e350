package band

import (
	"strings"
	"sync"

	"sideman/music"
)

// Why the band plays the style it plays (Summary.StyleSource).
const (
	StyleAsked       = "flag"       // the caller chose it, not the chart (the value programs reading the JSON know)
	StyleFromHint    = "chart hint" // the chart's style hint names it (StyleForHint)
	StyleFromDefault = "default"    // no hint, or one no built-in style plays
)

// DefaultStyle is the style a chart with no hint we know is played in.
const DefaultStyle = "medium-swing"

// HintRow is one line of the style-hint table: the names a chart's style
// hint is written with and the built-in style that plays them, with the
// tempo the band takes when neither the chart nor the player gives one.
type HintRow struct {
	Style string
	// Tempo is the default tempo for these hints in felt beats per
	// minute; 0 keeps the style's own.
	Tempo int
	// Hints are the names as iReal Pro (its display styles and its
	// playback grooves, without the "Jazz-"/"Pop-"/"Latin-Brazil: "
	// prefix) and JazzStandards' Rhythm field write them.
	Hints []string
}

// hintTable maps every style name iReal Pro offers (doc/ireal.md of
// infojunkie/ireal-musicxml lists its display styles and grooves) and
// every one found in the iReal playlists and JazzStandards to the
// built-in style nearest in what the bass, the comping and the drums
// play. docs/styles.md is this table with the reasons; a test holds the
// two together.
var hintTable = []HintRow{
	// Swing, by tempo: a medium-up tune is still walked and comped in four,
	// up-tempo is the sparse, straighter style.
	{"medium-swing", 0, []string{"Medium Swing", "Swing", "Jazz", "Blue Note", "Doo Doo Cats", "Guitar Trio", "Bebop", "Hard Bop"}},
	{"medium-swing", 100, []string{"Slow Swing", "Medium Slow", "Medium Slow Swing"}},
	{"medium-swing", 180, []string{"Medium Up Swing", "Medium Up Swing 2", "Medium Up"}},
	{"up-tempo-swing", 0, []string{"Up Tempo Swing", "Up Tempo Swing 2", "Up Tempo", "Fast Swing", "Double Time Swing"}},
	{"two-feel", 0, []string{"Two Feel", "Swing Two/Four", "Trad Jazz", "Dixieland", "New Orleans Swing", "Second Line", "Gypsy Jazz", "Country Swing", "Western Swing"}},
	{"ballad", 0, []string{"Ballad", "Ballad Swing", "Ballad Melodic", "Ballad Even", "Ballad Double Time Feel", "Slow Ballad", "Long Notes"}},
	{"jazz-waltz", 0, []string{"Waltz", "Jazz Waltz", "Medium Waltz", "Country Waltz", "Rock Waltz"}},
	{"jazz-waltz", 120, []string{"Slow Waltz"}},
	// Brazil.
	{"bossa-nova", 0, []string{"Bossa Nova", "Bossa", "Bossa Acoustic", "Bossa Electric"}},
	{"bossa-nova", 110, []string{"Slow Bossa"}},
	// The Cuban bolero: a slow, soft straight-eighth groove with the bass
	// anticipating, which is the bossa's bass and cross-stick.
	{"bossa-nova", 90, []string{"Bolero"}},
	{"samba", 0, []string{"Samba", "Samba Funk", "Partido Alto", "Baião", "Afoxé", "Frevo", "Choro"}},
	// Cuba and the Caribbean: tumbao and montuno.
	{"afro-cuban", 0, []string{"Latin", "Latin-Swing", "Afro", "Afro 12/8", "Afro-Cuban", "Son Montuno", "Son Montuno 2-3", "Son Montuno 3-2", "Mambo", "Salsa", "Guajira", "Rumba", "Songo", "Mozambique", "Cumbia", "Merengue", "Bachata", "Bomba", "Chacarera"}},
	{"afro-cuban", 120, []string{"Cha Cha Cha", "Cha Cha"}},
	// Straight eighths with a backbeat.
	{"even-8ths-pop", 0, []string{"Even 8ths", "Even 8ths Open", "Straight 8ths", "Pop", "Rock Pop", "Pop Rock", "Electro Pop", "Reggae Pop", "Folk", "Folk Rock", "Rock Folk", "Country Folk", "Country", "Medium Country", "Bluegrass", "Soul", "Smooth", "Hymn", "March", "Reggae", "Ska", "Calypso", "Soca", "Tango"}},
	{"even-8ths-pop", 72, []string{"Pop Ballad", "Rock Ballad", "Country Ballad", "Folk Ballad", "Soul Ballad", "Slow Country", "Slow Rock"}},
	{"rock", 0, []string{"Rock", "Rock 12/8", "Country Rock", "Blues Rock", "Rock Blues", "Electric Blues"}},
	{"funk", 0, []string{"Funk", "Funk Rock", "Funk Jazz", "Glam Funk", "Virtual Funk", "Even 16ths", "RnB", "R&B", "Disco", "House"}},
	{"blues-shuffle", 0, []string{"Shuffle", "Blues Shuffle", "Shuffle Blues", "Medium Shuffle", "Bright Shuffle Blues", "Pop-Shuffle", "Blues", "Medium Blues", "Fast Blues", "Country Blues", "Blues Pop", "Rock'n'Roll", "Rock and Roll", "Boogie"}},
	{"blues-shuffle", 72, []string{"Slow Blues", "Slow Shuffle"}},
}

// HintTable returns the style-hint table, for documentation and tests.
func HintTable() []HintRow {
	out := make([]HintRow, len(hintTable))
	copy(out, hintTable)
	return out
}

// hintIndex finds a hint's row, made on the first hint looked up.
var hintIndex = sync.OnceValue(func() map[string]int {
	m := map[string]int{}
	for i, r := range hintTable {
		for _, h := range r.Hints {
			m[hintKey(h)] = i
		}
	}
	return m
})

// hintKey folds case, spaces, hyphens, slashes, apostrophes and accents
// away, so that "Latin/Swing", "Latin-Swing" and "latin swing" are one
// hint and "Folk-Rock" is "Folk Rock".
func hintKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case ' ', '-', '_', '/', '\'', '.', ',':
		case 'ã', 'á', 'â':
			b.WriteRune('a')
		case 'é':
			b.WriteRune('e')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// grooveCategories are the prefixes iReal Pro writes before a playback
// groove ("Jazz-Medium Swing", "Latin-Brazil: Bossa Electric").
var grooveCategories = []string{"jazz-", "pop-", "latin-"}

// StyleForHint returns the built-in style that plays a chart's style hint
// ("Medium Up Swing", "Waltz", "Pop", "Jazz-Ballad Swing"): a built-in
// style's own name, or a name in the hint table. The style's Tempo is the
// hint's default tempo where the table gives one (Slow Swing is medium
// swing at 100). ok is false for an empty hint or one we do not know.
func StyleForHint(hint string) (style *Style, ok bool) {
	hint = strings.TrimSpace(hint)
	if hint == "" {
		return nil, false
	}
	if s, ok := styleNamed(hint); ok {
		return s, true
	}
	// A playback groove: its category, then a country ("Brazil: ").
	low := strings.ToLower(hint)
	for _, p := range grooveCategories {
		if rest, cut := strings.CutPrefix(low, p); cut {
			if _, name, found := strings.Cut(rest, ":"); found {
				rest = name
			}
			if s, ok := styleNamed(rest); ok {
				return s, true
			}
		}
	}
	return nil, false
}

// styleNamed is the built-in style a name calls for: a style's own name,
// else a hint in the table.
func styleNamed(name string) (*Style, bool) {
	if s, ok := LookupStyle(name); ok {
		return s, true
	}
	if i, ok := hintIndex()[hintKey(name)]; ok {
		return hintStyle(hintTable[i])
	}
	return nil, false
}

func hintStyle(r HintRow) (*Style, bool) {
	s, ok := LookupStyle(r.Style)
	if ok && r.Tempo > 0 {
		s.Tempo = r.Tempo // LookupStyle parses afresh: this copy is ours
	}
	return s, ok
}

// Tempos at which a swing hint changes hands: at upTempo and above the
// up-tempo style plays (its range starts at 200), under it medium swing;
// a ballad hint played at fastBallad or more is a medium swing.
const (
	upTempo    = 200
	fastBallad = 120
)

// ChartStyle is the style for a chart when the player names none: the
// built-in style its hint names (StyleForHint), else DefaultStyle. tempo
// is the tempo the band will play at when the player gives one (0: the
// chart's). The choice follows the tempo and the meter where a hint
// alone would mislead: a swing hint at 200 bpm or more plays up-tempo,
// one under it medium swing, a ballad at 120 or more medium swing, and a
// swing or ballad hint on a chart in 3/4 a jazz waltz. source is
// StyleFromHint or StyleFromDefault.
func ChartStyle(c *music.Chart, tempo int) (style *Style, source string) {
	s, ok := StyleForHint(c.Style)
	if !ok {
		s, _ = LookupStyle(DefaultStyle)
		return s, StyleFromDefault
	}
	if tempo <= 0 {
		tempo = c.Tempo
	}
	name := s.Name
	switch {
	case name == "ballad" && tempo >= fastBallad:
		name = "medium-swing"
	case (name == "medium-swing" || name == "up-tempo-swing") && tempo >= upTempo:
		name = "up-tempo-swing"
	case name == "up-tempo-swing" && tempo > 0:
		name = "medium-swing"
	}
	if m := c.MeterOrDefault(); m.Num == 3 && m.Den == 4 {
		switch name {
		case "medium-swing", "up-tempo-swing", "ballad", "two-feel":
			name = "jazz-waltz"
		}
	}
	if name != s.Name {
		// The tempo stays the hint's: a ballad in 3/4 is a slow waltz.
		t := s.Tempo
		s, _ = LookupStyle(name)
		s.Tempo = t
	}
	return s, StyleFromHint
}
