package learn

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"sideman/feel"
	"sideman/format"
	"sideman/format/midi"
	"sideman/internal/corpus"
	"sideman/music"
)

// GrooveOptions selects performances of the Groove MIDI Dataset. The zero
// value selects the beats (no fills) of every split and style.
type GrooveOptions struct {
	// Fills adds the short fills to the beats.
	Fills bool
	// Split keeps one of the dataset's splits: "train", "validation" or
	// "test"; "" keeps all.
	Split string
	// Styles keeps performances whose primary style ("funk" of
	// "funk/groove1") is one of these; empty keeps all.
	Styles []string
}

// gmdArchive is the dataset's MIDI-only release as Magenta ships it.
const gmdArchive = "groove-v1.0.0-midionly.tar.gz"

// gmdTolerance is how far, as a share of the beat, a note may sit from a
// slot of the twelfths grid and still count as played on it. The slots are
// 3/12 apart at most, so only notes near a 32nd (1.5/12) or a quintuplet
// fall off the grid.
const gmdTolerance = 1.0 / 12

// gmdRow is one row of info.csv.
type gmdRow struct {
	drummer, style, beatType, file, split string
	bpm                                   float64
}

// primary is the style's first name: "funk" of "funk/groove1".
func (r gmdRow) primary() string {
	p, _, _ := strings.Cut(r.style, "/")
	return p
}

// gmdSwings reports whether a Groove MIDI style is played with swung
// (triplet) upbeats. The dataset's styles (primary/secondary) are:
//
//	afrobeat, afrocuban[/bembe|calypso|rhumba], blues/shuffle, country,
//	dance/breakbeat|disco, funk[/fast|groove1|groove2|groove5|latin|
//	purdieshuffle|rock], gospel, highlife, hiphop[/groove6], jazz[/fast|
//	funk|fusion|klezmer|linear|march|mediumfast|swing], latin[/ando|bomba|
//	bounce|brazilian(-baiao|-bossa|-frevo|-ijexa|-maracatu|-samba|
//	-sambareggae|-songo)|chacarera|dominican-merengue|merengue|reggaeton|
//	samba|venezuelan-joropo|-merengue|-sangueo], middleeastern,
//	neworleans/chacha|funk|secondline|shuffle, pop[/groove7|soft], punk,
//	reggae[/slow], rock[/folk|groove8|halftime|indie|prog|rockabilly|
//	shuffle], soul[/groove10|groove3|groove4|groove9|motown].
//
// Swung are the styles the labels call swing or shuffle (jazz/swing,
// blues, funk's Purdie shuffle, New Orleans and rock shuffles), plain jazz
// and jazz/fast and /mediumfast (the drummers' swing time at those tempi),
// and rock/rockabilly. The other jazz sub-styles (funk, fusion, linear,
// klezmer, march) are straight, as is every other style. The beats bear
// this out: hi-hat and ride upbeats sit at 0.61 of the beat in jazz, 0.56
// in jazz/swing, 0.60 in jazz/mediumfast, 0.54 at jazz/fast's tempi, 0.65
// in the blues and 0.64 in the Purdie shuffle, 0.58 in the rock shuffle
// and 0.61 in rockabilly, against 0.47 to 0.53 in the straight styles
// (rock 0.53, funk 0.50, jazz/funk 0.49). Two exceptions were measured and
// left as labelled: the one New Orleans shuffle beat plays its hi-hat
// upbeats straight (0.46), and afrocuban/bembe (0.61) and latin/chacarera
// (0.56) are triplet-based six-feels, not swing, and stay straight.
func gmdSwings(style string) bool {
	primary, secondary, _ := strings.Cut(style, "/")
	if strings.Contains(secondary, "swing") || strings.Contains(secondary, "shuffle") {
		return true
	}
	switch primary + "/" + secondary {
	case "jazz/", "jazz/fast", "jazz/mediumfast", "rock/rockabilly":
		return true
	}
	return false
}

// GrooveMIDI reads the Groove MIDI Dataset at dir as one feel.Performance
// per MIDI file listed in info.csv that opt selects, in info.csv's order.
// dir is either a folder holding info.csv (or not: the archive has one too)
// and groove-v1.0.0-midionly.tar.gz, or the archive's unpacked "groove"
// folder, with info.csv and the drummerN folders.
//
// Each performance is GroovePerformance's, with Player the drummer, Style
// the primary style, Split the dataset's split and Swing set for the styles
// that swing: jazz (but its funk, fusion, linear, klezmer and march
// grooves), every swing and shuffle, and rockabilly.
func GrooveMIDI(dir string, opt GrooveOptions) ([]feel.Performance, error) {
	switch opt.Split {
	case "", "train", "validation", "test":
	default:
		return nil, fmt.Errorf("gmd: unknown split %q (want train, validation or test)", opt.Split)
	}
	archive := filepath.Join(dir, gmdArchive)
	var members map[string][]byte
	var info []byte
	if _, err := os.Stat(archive); err == nil {
		if members, info, err = gmdReadArchive(archive); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("gmd: %w", err)
	}
	infoPath := filepath.Join(dir, "info.csv")
	if b, err := corpus.ReadFile(infoPath, corpus.MaxMemberSize); err == nil {
		info = b
	} else if !errors.Is(err, fs.ErrNotExist) || info == nil {
		return nil, fmt.Errorf("gmd: %w", err)
	}
	rows, err := gmdParseInfo(info)
	if err != nil {
		return nil, fmt.Errorf("gmd: %s: %w", infoPath, err)
	}
	var perfs []feel.Performance
	for _, r := range rows {
		if !gmdSelected(r, opt) {
			continue
		}
		var data []byte
		if members != nil {
			var ok bool
			if data, ok = members[r.file]; !ok {
				return nil, fmt.Errorf("gmd: %s: listed in info.csv but not in %s", r.file, archive)
			}
		} else if data, err = corpus.ReadFile(filepath.Join(dir, filepath.FromSlash(r.file)), format.MaxSize); err != nil {
			return nil, fmt.Errorf("gmd: %s: %w", r.file, err)
		}
		p, err := GroovePerformance(data, r.file)
		if err != nil {
			return nil, err
		}
		p.Player, p.Style, p.Split, p.Swing = r.drummer, r.primary(), r.split, gmdSwings(r.style)
		perfs = append(perfs, p)
	}
	return perfs, nil
}

func gmdSelected(r gmdRow, opt GrooveOptions) bool {
	if r.beatType != "beat" && !opt.Fills {
		return false
	}
	if opt.Split != "" && r.split != opt.Split {
		return false
	}
	if len(opt.Styles) == 0 {
		return true
	}
	return slices.ContainsFunc(opt.Styles, func(s string) bool { return strings.EqualFold(s, r.primary()) })
}

// gmdParseInfo reads info.csv, finding its columns by their header names.
func gmdParseInfo(b []byte) ([]gmdRow, error) {
	cr := csv.NewReader(bytes.NewReader(b))
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, err
	}
	want := []string{"drummer", "style", "bpm", "beat_type", "midi_filename", "split"}
	col := make(map[string]int, len(want))
	for i, h := range head {
		col[strings.TrimSpace(h)] = i
	}
	for _, w := range want {
		if _, ok := col[w]; !ok {
			return nil, fmt.Errorf("no %s column", w)
		}
	}
	var rows []gmdRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		r := gmdRow{
			drummer:  rec[col["drummer"]],
			style:    rec[col["style"]],
			beatType: rec[col["beat_type"]],
			file:     rec[col["midi_filename"]],
			split:    rec[col["split"]],
		}
		if r.bpm, err = strconv.ParseFloat(rec[col["bpm"]], 64); err != nil {
			return nil, fmt.Errorf("line %d: bpm %q is not a number", line, rec[col["bpm"]])
		}
		if r.file == "" {
			return nil, fmt.Errorf("line %d: empty midi_filename", line)
		}
		rows = append(rows, r)
	}
}

// gmdReadArchive reads the MIDI files of the dataset's archive, keyed by
// their path below the folder that holds info.csv (the "groove/" prefix
// cut off), and the archive's info.csv when it has one.
func gmdReadArchive(name string) (map[string][]byte, []byte, error) {
	byPath := map[string][]byte{}
	var info []byte
	infoDir := ""
	keep := func(name string) bool {
		base := path.Base(name)
		return !strings.HasPrefix(base, "._") && (strings.HasSuffix(strings.ToLower(base), ".mid") || base == "info.csv")
	}
	err := corpus.WalkTarGz(name, keep, func(m corpus.Member, r io.Reader) error {
		b, err := io.ReadAll(io.LimitReader(r, format.MaxSize+1))
		if err != nil {
			return fmt.Errorf("%s: %s: %w", name, m.Name, err)
		}
		if path.Base(m.Name) != "info.csv" {
			byPath[m.Name] = b
		} else if info == nil {
			info, infoDir = b, path.Dir(m.Name)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("gmd: %w", err)
	}
	// info.csv names files relative to its own folder; without one in the
	// archive, the archive's single top folder ("groove") is taken for it.
	if info == nil {
		infoDir = ""
		for p := range byPath {
			if top, _, ok := strings.Cut(p, "/"); ok {
				infoDir = top
				break
			}
		}
	}
	members := make(map[string][]byte, len(byPath))
	for p, b := range byPath {
		if infoDir != "." && infoDir != "" {
			rel, ok := strings.CutPrefix(p, infoDir+"/")
			if !ok {
				continue
			}
			p = rel
		}
		members[p] = b
	}
	return members, info, nil
}

// GroovePerformance places the notes of one Groove MIDI file on its grid.
// It reads any drum MIDI file the same way: the drum parts (channel 10), or
// every part when the file has none. name names the performance.
//
// The dataset's drummers played to a click at the file's tempo, so the
// file's beat grid is the grid they played against. The beat is the
// meter's felt beat (music.Meter.BeatTicks: a quarter in 4/4 and 3/4, a
// dotted quarter in 6/8, an eighth in 5/8); a note's place in its beat goes
// to the nearest slot of the twelfths grid (feel.Nearest), and a note
// nearer the next beat than any slot of its own belongs to the next beat's
// downbeat. A note farther than a twelfth of the beat from every slot is
// kept as feel.OffGrid (feel.FromPiece places them all).
//
// Beats counts from the file's first beat to the beat of the last note;
// BeatsPerBar is the first meter's; Tempo is the mean tempo in felt beats
// a minute over the notes (the file's bpm for meters in quarters).
// Player, Style, Split and Swing are left for the caller.
func GroovePerformance(data []byte, name string) (feel.Performance, error) {
	piece, err := (&midi.Decoder{Source: name}).DecodePiece(bytes.NewReader(data))
	if err != nil {
		return feel.Performance{}, fmt.Errorf("gmd: %s: %w", name, err)
	}
	return gmdPlace(piece, name), nil
}

// gmdPlace reads the drum parts of the piece (every part when none is
// marked drums) against the file's own grid: the click the drummer played
// to.
func gmdPlace(piece *music.Piece, name string) feel.Performance {
	drums := *piece
	if slices.ContainsFunc(piece.Parts, func(p music.Part) bool { return p.Role == music.RoleDrums }) {
		drums.Parts = slices.DeleteFunc(slices.Clone(piece.Parts), func(p music.Part) bool { return p.Role != music.RoleDrums })
	} else {
		// Every part read as drums, by key.
		drums.Parts = slices.Clone(piece.Parts)
		for i := range drums.Parts {
			drums.Parts[i].Role = music.RoleDrums
		}
	}
	p := feel.FromPiece(&drums, name)
	p.Player = ""
	return p
}
