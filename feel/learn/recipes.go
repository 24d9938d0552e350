package learn

import (
	"fmt"
	"hash/fnv"
	"path/filepath"
	"slices"

	"sideman/feel"
)

// HeldOut reports whether a player is held out of learning for the
// evaluation: a fixed fifth of the players, chosen by a hash of the name so
// the split never depends on the order files are read in.
func HeldOut(player string) bool {
	h := fnv.New32a()
	h.Write([]byte(player))
	return h.Sum32()%5 == 0
}

// Corpora is where the corpora the recipes read live, under one data
// folder laid out as ../shared/data is.
type Corpora struct{ Dir string }

func (c Corpora) groove() string { return filepath.Join(c.Dir, "groove-midi") }
func (c Corpora) wjazzd() string { return filepath.Join(c.Dir, "wjazzd") }
func (c Corpora) vienna() string {
	return filepath.Join(c.Dir, "vienna4x22", "vienna4x22.tar.gz")
}

// Recipe is how one built-in feel is learned: from which performances,
// with which published ensemble offsets.
type Recipe struct {
	Name, Description string
	Sources           []string
	// Perfs reads the performances the feel is learned from.
	Perfs func(c Corpora) ([]feel.Performance, error)
	// Offsets are published ensemble asynchronies (ms, negative ahead)
	// added after learning, with their source.
	Offsets map[string]float64
	Offset  string
	// Ensemble centres the drum kit (Profile.Centre) before the offsets:
	// the feel plays in a band of players learned from different
	// corpora, and the kit's corpus measured it against a click.
	Ensemble bool
}

// kit is the pieces of the drum kit, centred as one player.
var kit = []string{feel.Kick, feel.Snare, feel.HiHat, feel.Ride, feel.Toms, feel.Crash, feel.Perc}

// Attribution lines of the corpora.
const (
	srcWJazzD = "Weimar Jazz Database, Jazzomat Research Project, HfM Weimar (ODbL 1.0): summary statistics only"
	srcGroove = "Groove MIDI Dataset v1.0.0, Gillick, Roberts, Engel, Eck and Bamman, Google Magenta (CC BY 4.0): summary statistics only"
	srcVienna = "Vienna 4x22 Piano Corpus, W. Goebl (research corpus): summary statistics only"
	srcHihat  = "hi-hat 10 ms ahead of the beat: Hofmann, Wesolowski and Goebl 2017 measured 2 to 26 ms, listeners preferring under about 19 ms"
)

// The Groove MIDI styles each built-in feel draws its drums from.
var (
	swingStyles    = []string{"jazz", "blues", "neworleans"}
	rockFunkStyles = []string{"rock", "funk", "soul", "hiphop", "pop", "punk", "dance", "gospel", "country"}
	latinStyles    = []string{"latin", "afrocuban", "afrobeat", "highlife", "reggae", "middleeastern"}
)

// Recipes are the built-in feels, learned from the training part of each
// corpus only (the Groove MIDI train split, the WJazzD players not held
// out), so the evaluation's held-out performances stay unseen.
var Recipes = []Recipe{
	{
		Name:        "swing-soloist",
		Description: "a jazz soloist: late on the beat, eighths swung, learned from the swing solos of the Weimar Jazz Database",
		Sources:     []string{srcWJazzD},
		Perfs: func(c Corpora) ([]feel.Performance, error) {
			return wjazzdRole(c, feel.Soloist, swung)
		},
	},
	{
		Name:        "swing-rhythm",
		Description: "a swing rhythm section: walking bass from the WJazzD transcriptions, drums from the Groove MIDI jazz and shuffle grooves",
		Sources:     []string{srcWJazzD, srcGroove},
		Perfs: func(c Corpora) ([]feel.Performance, error) {
			return joined(func() ([]feel.Performance, error) { return wjazzdRole(c, feel.Bass, swung) },
				func() ([]feel.Performance, error) { return grooveTrain(c, swingStyles, nil) })
		},
		Offsets:  map[string]float64{feel.HiHat: -10},
		Offset:   srcHihat,
		Ensemble: true,
	},
	{
		Name:        "rock-funk",
		Description: "rock, funk, soul and pop drums learned from the Groove MIDI Dataset",
		Sources:     []string{srcGroove},
		Perfs: func(c Corpora) ([]feel.Performance, error) {
			return grooveTrain(c, rockFunkStyles, nil)
		},
		Offsets:  map[string]float64{feel.HiHat: -10},
		Offset:   srcHihat,
		Ensemble: true,
	},
	{
		Name:        "straight-latin",
		Description: "straight-eighth latin and afro-cuban drums learned from the Groove MIDI Dataset",
		Sources:     []string{srcGroove},
		Perfs: func(c Corpora) ([]feel.Performance, error) {
			return grooveTrain(c, latinStyles, nil)
		},
		Offsets:  map[string]float64{feel.HiHat: -10},
		Offset:   srcHihat,
		Ensemble: true,
	},
	{
		Name:        "ballad",
		Description: "slow swing under 110 bpm: soloists, bass and drums of the slow performances only",
		Sources:     []string{srcWJazzD, srcGroove},
		Perfs: func(c Corpora) ([]feel.Performance, error) {
			slow := func(p *feel.Performance) bool { return p.Tempo < 110 }
			return joined(func() ([]feel.Performance, error) { return wjazzdRole(c, "", slow) },
				func() ([]feel.Performance, error) {
					return grooveTrain(c, append(swingStyles, "soul", "pop", "reggae"), slow)
				})
		},
		Offsets:  map[string]float64{feel.HiHat: -10},
		Offset:   srcHihat,
		Ensemble: true,
	},
	{
		Name:        "classical-piano",
		Description: "expressive classical piano (Chopin, Mozart, Schubert) against its own tempo curve, learned from the vienna4x22 corpus",
		Sources:     []string{srcVienna},
		Perfs: func(c Corpora) ([]feel.Performance, error) {
			ps, err := Vienna(c.vienna())
			return keep(ps, func(p *feel.Performance) bool { return !HeldOut(p.Player) }), err
		},
	},
}

// Recipe returns the recipe of a built-in feel by name.
func RecipeNamed(name string) (Recipe, bool) {
	for _, r := range Recipes {
		if r.Name == name {
			return r, true
		}
	}
	return Recipe{}, false
}

// Learn runs a recipe.
func (r Recipe) Learn(c Corpora) (*feel.Profile, error) {
	ps, err := r.Perfs(c)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("feel %s: no performances", r.Name)
	}
	p := feel.Learn(r.Name, ps)
	p.Description = r.Description
	p.Sources = append([]string(nil), r.Sources...)
	if r.Ensemble {
		// The kit is centred on the beat: the Groove MIDI drummers
		// played to a click, which drummers anticipate. The bass keeps
		// its time against WJazzD's annotated beat, the beat of the
		// band as a listener taps it, behind which bassists lay back.
		p.Centre(kit...)
	}
	for role, ms := range r.Offsets {
		if rl := p.Roles[role]; rl != nil {
			rl.OffsetMs, rl.OffsetSource = ms, r.Offset
		}
	}
	return p, nil
}

// swung keeps the performances the corpus says swing (WJazzD's rhythm
// feel).
func swung(p *feel.Performance) bool { return p.Swing }

// wjazzdRole reads the WJazzD performances of a role ("" for all) that
// ok keeps, leaving out the held-out players and the bass lines copied
// from the beat track (BeatCopied).
func wjazzdRole(c Corpora, role string, ok func(*feel.Performance) bool) ([]feel.Performance, error) {
	ps, err := WJazzD(c.wjazzd())
	if err != nil {
		return nil, err
	}
	return keep(ps, func(p *feel.Performance) bool {
		if HeldOut(p.Player) || (ok != nil && !ok(p)) || BeatCopied(p) {
			return false
		}
		return role == "" || len(p.Hits) > 0 && p.Hits[0].Role == role
	}), nil
}

func grooveTrain(c Corpora, styles []string, ok func(*feel.Performance) bool) ([]feel.Performance, error) {
	ps, err := GrooveMIDI(c.groove(), GrooveOptions{Split: "train", Styles: styles})
	if ok == nil {
		return ps, err
	}
	return keep(ps, ok), err
}

func joined(fs ...func() ([]feel.Performance, error)) ([]feel.Performance, error) {
	var out []feel.Performance
	for _, f := range fs {
		ps, err := f()
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	return out, nil
}

func keep(ps []feel.Performance, ok func(*feel.Performance) bool) []feel.Performance {
	return slices.DeleteFunc(ps, func(p feel.Performance) bool { return !ok(&p) })
}
