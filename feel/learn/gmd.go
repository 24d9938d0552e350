package learn

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
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
	"sideman/internal/tarfs"
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
//
// It collects GrooveMIDIFS's performances; the archive is read through
// internal/tarfs, twice in all (once to find info.csv, its last member,
// once for the MIDI files, in archive order).
func GrooveMIDI(dir string, opt GrooveOptions) ([]feel.Performance, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	archive := filepath.Join(dir, gmdArchive)
	var fsys fs.FS
	var info []byte
	var missing func(file string) error
	if _, err := os.Stat(archive); err == nil {
		t, err := corpus.OpenArchive(archive)
		if err != nil {
			return nil, fmt.Errorf("gmd: %w", err)
		}
		defer t.Close()
		if fsys, info, err = gmdOpenArchive(t); err != nil {
			return nil, err
		}
		missing = func(file string) error {
			return fmt.Errorf("gmd: %s: listed in info.csv but not in %s", file, archive)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("gmd: %w", err)
	} else {
		fsys = os.DirFS(dir)
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
	byRow := make([]*feel.Performance, len(rows))
	err = gmdEach(fsys, rows, opt, missing, func(i int, p feel.Performance) bool {
		byRow[i] = &p
		return true
	})
	if err != nil {
		return nil, err
	}
	var perfs []feel.Performance
	for _, p := range byRow {
		if p != nil {
			perfs = append(perfs, *p)
		}
	}
	return perfs, nil
}

// GrooveMIDIFS yields the performances of the dataset's "groove" folder
// read as an fs.FS (info.csv and the drummerN folders; in the archive,
// fs.Sub of its internal/tarfs FS at "groove"), one at a time, as
// GrooveMIDI makes them: a learner can stream the dataset without holding
// it. They come in the order that reads the files fastest
// (tarfs.ReadingOrder: the archive's for an archive, info.csv's
// otherwise); each performance's Name is its midi_filename. An error ends
// the walk.
func GrooveMIDIFS(fsys fs.FS, opt GrooveOptions) iter.Seq2[feel.Performance, error] {
	return func(yield func(feel.Performance, error) bool) {
		if err := opt.check(); err != nil {
			yield(feel.Performance{}, err)
			return
		}
		info, err := gmdRead(fsys, "info.csv", corpus.MaxMemberSize, nil)
		if err != nil {
			yield(feel.Performance{}, err)
			return
		}
		rows, err := gmdParseInfo(info)
		if err != nil {
			yield(feel.Performance{}, fmt.Errorf("gmd: info.csv: %w", err))
			return
		}
		stopped := false
		err = gmdEach(fsys, rows, opt, nil, func(_ int, p feel.Performance) bool {
			stopped = !yield(p, nil)
			return !stopped
		})
		if err != nil && !stopped {
			yield(feel.Performance{}, err)
		}
	}
}

func (opt GrooveOptions) check() error {
	switch opt.Split {
	case "", "train", "validation", "test":
		return nil
	}
	return fmt.Errorf("gmd: unknown split %q (want train, validation or test)", opt.Split)
}

// gmdEach reads the selected rows' files from fsys in reading order and
// gives each performance to fn with its row's index, until fn returns
// false. missing, when set, is the error of a row whose file fsys lacks.
func gmdEach(fsys fs.FS, rows []gmdRow, opt GrooveOptions, missing func(string) error, fn func(int, feel.Performance) bool) error {
	byFile := map[string][]int{} // a file info.csv lists twice is read once
	var files []string
	for i, r := range rows {
		if !gmdSelected(r, opt) {
			continue
		}
		if byFile[r.file] == nil {
			files = append(files, r.file)
		}
		byFile[r.file] = append(byFile[r.file], i)
	}
	if err := tarfs.ReadingOrder(fsys, files); err != nil {
		return fmt.Errorf("gmd: %w", err)
	}
	for _, file := range files {
		data, err := gmdRead(fsys, file, format.MaxSize, missing)
		if err != nil {
			return err
		}
		p, err := GroovePerformance(data, file)
		if err != nil {
			return err
		}
		for k, i := range byFile[file] {
			q, r := p, rows[i]
			if k > 0 {
				q.Hits = slices.Clone(p.Hits)
			}
			q.Player, q.Style, q.Split, q.Swing = r.drummer, r.primary(), r.split, gmdSwings(r.style)
			if !fn(i, q) {
				return nil
			}
		}
	}
	return nil
}

// gmdRead reads one file of the dataset: a regular file (a FIFO is
// refused before it is opened) of at most limit bytes.
func gmdRead(fsys fs.FS, file string, limit int64, missing func(string) error) ([]byte, error) {
	st, err := fs.Stat(fsys, file)
	if err != nil {
		if missing != nil && errors.Is(err, fs.ErrNotExist) {
			return nil, missing(file)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("gmd: %s: %w", file, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("gmd: %s: %w", file, corpus.ErrNotRegular)
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("gmd: %s: larger than %d MiB", file, limit>>20)
	}
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, fmt.Errorf("gmd: %s: %w", file, err)
	}
	return data, nil
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

// gmdOpenArchive finds the folder of the dataset's archive that holds
// info.csv (the first info.csv in archive order; without one, the
// archive's single top folder, "groove") and returns it as an fs.FS with
// the info.csv it holds, or nil. The walk reads info.csv as it comes, so
// the archive is read once.
func gmdOpenArchive(t *tarfs.FS) (fs.FS, []byte, error) {
	var info []byte
	infoDir, top := "", ""
	for name, err := range t.Files() {
		if err != nil {
			return nil, nil, fmt.Errorf("gmd: corpus: %w", err)
		}
		if top == "" {
			top, _, _ = strings.Cut(name, "/")
		}
		if path.Base(name) != "info.csv" || info != nil {
			continue
		}
		b, err := t.ReadFile(name)
		if err != nil {
			return nil, nil, fmt.Errorf("gmd: %w", err)
		}
		info, infoDir = b, path.Dir(name)
	}
	if info == nil {
		infoDir = top
	}
	if infoDir == "" || infoDir == "." {
		return t, info, nil
	}
	sub, err := t.Sub(infoDir)
	if err != nil {
		return nil, nil, fmt.Errorf("gmd: %w", err)
	}
	return sub, info, nil
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
