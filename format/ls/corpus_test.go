package ls

import (
	"errors"
	"io"
	"path"
	"regexp"
	"strings"
	"testing"

	"sideman/internal/shareddata"
	"sideman/music"
)

const corpusFile = "impro-visor/impro-visor-leadsheets-styles.tar.gz"

// corpusExceptions are the leadsheets of Impro-Visor's collection that
// Decode refuses, each for a chord symbol music.ParseChord cannot read.
// The first five are not chords in Impro-Visor either (its ChordSymbol
// wants a note name after "/"), so Impro-Visor drops them too; "phryg" and
// "Blues" are names of Impro-Visor's vocabulary whose notes are not known
// here.
var corpusExceptions = map[string]string{
	"imaginary-book/Butterfly.ls":                                         `"AbM7#5/B5"`,
	"imaginary-book/FirmRoots.ls":                                         `"Fm7/Bb7"`,
	"style-samples/pedal-bass-1.ls":                                       `"Fm7/Bb7"`,
	"transcriptions/BixBeiderbecke/RiverboatShuffleSoloBixBeiderbecke.ls": `"Eb7/B6"`,
	"imaginary-book/BalladForTrane.ls":                                    `"Gphryg"`,
	"imaginary-book/BritePiece.ls":                                        `"Cphryg"`,
	"exercises/Impro-VisorChordSampler.ls":                                `"CBlues"`,
	"tests/_xmlChordTest.ls":                                              `"CBlues"`,
}

// corpusMember is the name of a member relative to leadsheets/.
func corpusMember(name string) string {
	_, rel, _ := strings.Cut(name, "leadsheets/")
	return rel
}

func walkCorpus(t *testing.T, fn func(name string, data []byte)) {
	t.Helper()
	p := shareddata.File(t, corpusFile)
	err := shareddata.WalkTarGz(p, shareddata.HasSuffix(".ls"), func(m shareddata.Member, r io.Reader) error {
		data, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		fn(corpusMember(m.Name), data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCorpus reads all 3,280 leadsheets of Impro-Visor's collection.
func TestCorpus(t *testing.T) {
	files, failed, notes, bars := 0, 0, 0, 0
	seen := map[string]bool{}
	walkCorpus(t, func(name string, data []byte) {
		files++
		c, err := Decoder{Source: path.Base(name)}.DecodeBytes(data)
		if want, ok := corpusExceptions[name]; ok {
			seen[name] = true
			failed++
			var se *ParseError
			if !errors.Is(err, ErrChord) || !errors.As(err, &se) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %v, want a *ParseError for chord %s", name, err, want)
			}
			return
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		notes += c.WrittenNotes()
		bars += len(c.Bars)
		checkChart(t, name, c)
	})
	for name := range corpusExceptions {
		if !seen[name] {
			t.Errorf("exception %s is not in the corpus", name)
		}
	}
	if files != 3280 {
		t.Errorf("%d leadsheets, want 3,280", files)
	}
	t.Logf("%d leadsheets, %d read (%.2f%%), %d exceptions; %d bars, %d notes", files, files-failed,
		100*float64(files-failed)/float64(files), failed, bars, notes)
	if 200*failed > files {
		t.Errorf("%d of %d leadsheets fail, over 0.5%%", failed, files)
	}
}

// checkChart checks what every decoded chart must satisfy.
func checkChart(t *testing.T, name string, c *music.Chart) {
	t.Helper()
	bar := c.MeterOrDefault().BarTicks()
	for i, b := range c.Bars {
		last := music.Ticks(-1)
		for _, ch := range b.Chords {
			if ch.Offset <= last || ch.Offset >= bar {
				t.Errorf("%s: bar %d: chord %s at %d", name, i+1, ch.Chord.Symbol, ch.Offset)
			}
			last = ch.Offset
		}
		for _, n := range b.Notes {
			if n.Start < 0 || n.Start >= bar || n.Duration <= 0 || n.Pitch > 127 || n.Velocity == 0 ||
				n.Origin == nil || n.Origin.Kind != music.Imported || n.Part != 0 {
				t.Errorf("%s: bar %d: bad note %+v", name, i+1, n)
				return
			}
		}
	}
	if c.WrittenNotes() > 0 {
		p := c.Perform(1)
		if p.NoteCount() != c.WrittenNotes() {
			t.Errorf("%s: performed %d notes of %d", name, p.NoteCount(), c.WrittenNotes())
		}
	}
}

// oddChoruses are the leadsheets of the collection with a chorus of
// melody that is not as long as the chord progression it plays over.
// Impro-Visor pads every other chorus with rests to the progression's
// length when it saves, so a duration read wrong shows as a chorus of the
// wrong length. All 18 are Imaginary Book tunes with one chorus whose
// melody runs past the chords (BlueSilver: 32 bars over 20) or stops short.
var oddChoruses = map[string]bool{
	"imaginary-book/AllIEverWanted.ls": true, "imaginary-book/BlueSilver.ls": true,
	"imaginary-book/ChinatownMyChinatown.ls": true, "imaginary-book/Contemplation.ls": true,
	"imaginary-book/DayByDay.ls": true, "imaginary-book/DesertAir.ls": true,
	"imaginary-book/Dexology.ls": true, "imaginary-book/FineAndDandy.ls": true,
	"imaginary-book/InAMist.ls": true, "imaginary-book/MaoriBlues.ls": true,
	"imaginary-book/MemoriesOfYou.ls": true, "imaginary-book/MyLittleBoat.ls": true,
	"imaginary-book/OnTheTrail.ls": true, "imaginary-book/Scene.ls": true,
	"imaginary-book/SimpleBlues.ls": true, "imaginary-book/SwingingAtTheHaven.ls": true,
	"imaginary-book/TrinkleTrinkle.ls": true, "imaginary-book/Unisphere.ls": true,
}

// TestCorpusChorusLength checks the duration arithmetic against the
// collection: every chorus of melody is as long as the progression, save
// those of oddChoruses.
func TestCorpusChorusLength(t *testing.T) {
	total, equal := 0, 0
	walkCorpus(t, func(name string, data []byte) {
		if _, ok := corpusExceptions[name]; ok {
			return
		}
		d := &decoder{src: string(data), source: name, program: -1}
		d.lex = newLexer(d.src)
		if _, err := d.decode(); err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		form, _, _ := d.form()
		formSlots := len(form) * int(d.meter.BarTicks()) / ticksPerSlot
		if formSlots == 0 {
			return
		}
		for i, p := range d.parts {
			if p.hi == p.lo {
				continue
			}
			slots := 0
			for _, e := range d.elems[p.lo:p.hi] {
				if e.pitch != volumePitch {
					slots += int(e.slots)
				}
			}
			total++
			if slots == formSlots {
				equal++
			} else if !oddChoruses[name] {
				t.Errorf("%s: chorus %d is %d slots over a progression of %d", name, i+1, slots, formSlots)
			}
		}
	})
	t.Logf("%d of %d choruses as long as their progression", equal, total)
	if total < 4000 || total-equal != len(oddChoruses) {
		t.Errorf("%d choruses, %d not as long as the progression, want over 4,000 and %d", total, total-equal, len(oddChoruses))
	}
}

// TestCorpusSongDB cross-checks the chord progressions of the Imaginary
// Book leadsheets with the Jazz Chord Progressions Corpus (Bunks et al.,
// ISMIR 2023), which was derived from the same book by other hands: bars
// written out with every chord, beats shared equally by a bar's chords.
// Same title, same chord on every beat for most tunes; the rest are the
// corpus's corrections.
func TestCorpusSongDB(t *testing.T) {
	songs := map[string]songDB{}
	p := shareddata.File(t, "jazz-chord-progressions/SongDB.tar.gz")
	err := shareddata.WalkTarGz(p, shareddata.HasSuffix(".txt"), func(m shareddata.Member, r io.Reader) error {
		data, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		if s, ok := parseSongDB(string(data)); ok {
			songs[s.title] = s
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	common, sameBars, sameBeats, sameKey := 0, 0, 0, 0
	walkCorpus(t, func(name string, data []byte) {
		if !strings.HasPrefix(name, "imaginary-book/") {
			return
		}
		c, err := Decoder{Source: name}.DecodeBytes(data)
		if err != nil {
			return
		}
		s, ok := songs[c.Title]
		if !ok || c.Title == "" {
			return
		}
		common++
		if len(s.bars) != len(c.Bars) {
			return
		}
		sameBars++
		var ours [][]string
		for _, b := range c.Bars {
			var syms []string
			at := music.Ticks(0)
			slot := c.MeterOrDefault().BarTicks() / beatSlots
			for k := 0; k < beatSlots; k++ {
				sym := ""
				for _, ch := range b.Chords {
					if ch.Offset <= at {
						sym = ch.Chord.Symbol
					}
				}
				syms = append(syms, sym)
				at += slot
			}
			ours = append(ours, syms)
		}
		if equalBeats(fillBeats(ours), fillBeats(s.beats())) {
			sameBeats++
		} else if testing.Verbose() && sameBars-sameBeats < 8 {
			a, b := fillBeats(ours), fillBeats(s.beats())
			for i := range a {
				if a[i] != b[i] {
					t.Logf("%s: bar %d: %q vs %q", name, i/beatSlots+1, a[i], b[i])
					break
				}
			}
		}
		if c.Key != nil && c.Key.Tonic.String() == s.key {
			sameKey++
		}
	})
	t.Logf("%d tunes in both; same bar count %d, same chord on every 48th of a bar %d, same key %d", common, sameBars, sameBeats, sameKey)
	if common < 2400 || 100*sameBars < 98*common || 100*sameBeats < 95*common || 100*sameKey < 95*common {
		t.Errorf("agreement with the Jazz Chord Progressions Corpus below 98%% (bars), 95%% (chords, keys)")
	}
}

type songDB struct {
	title, key string
	bars       [][]string
}

var songField = regexp.MustCompile(`(?m)^\s*(\w+) = (.*)$`)

// parseSongDB reads "Title = ...", "DBKeySig = F", ..., "Bars = n" and the
// bars, separated by "|".
func parseSongDB(s string) (songDB, bool) {
	var sd songDB
	head, body, ok := strings.Cut(s, "Bars = ")
	if !ok {
		return sd, false
	}
	for _, m := range songField.FindAllStringSubmatch(head, -1) {
		switch m[1] {
		case "Title":
			sd.title = strings.TrimSpace(m[2])
		case "DBKeySig":
			sd.key = strings.TrimSpace(m[2])
		}
	}
	_, body, _ = strings.Cut(body, "\n")
	for _, b := range strings.Split(body, "|") {
		if f := strings.Fields(b); len(f) > 0 {
			sd.bars = append(sd.bars, f)
		}
	}
	return sd, sd.title != ""
}

// beatSlots divides a bar for comparing chords: 48 holds the 1 to 8, 12,
// 16 and 24 chords a bar of either source has.
const beatSlots = 48

// beats spreads each bar's chords over beatSlots equal slots.
func (s songDB) beats() [][]string {
	var out [][]string
	for _, b := range s.bars {
		syms := make([]string, beatSlots)
		if beatSlots%len(b) == 0 {
			for i, c := range b {
				syms[i*beatSlots/len(b)] = c
			}
		} else {
			syms[0] = "?"
		}
		out = append(out, syms)
	}
	return out
}

// fillBeats holds each chord until the next one.
func fillBeats(bars [][]string) []string {
	var out []string
	prev := ""
	for _, b := range bars {
		for _, s := range b {
			if s != "" {
				prev = s
			}
			out = append(out, prev)
		}
	}
	return out
}

func equalBeats(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
