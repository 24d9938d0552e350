package load

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"sideman/format/wjazzd"
	"sideman/music"
)

// FormatWJazzD is a solo of the Weimar Jazz Database's CSV export: a
// melody file and the beat file of the same name beside it.
const FormatWJazzD = "wjazzd"

// A collection that holds the Weimar Jazz Database's CSV export (a folder
// or archive with csv_melody/ and csv_beats/ folders side by side) yields
// one Document a solo: the melody file csv_melody/NAME.csv read with the
// beat file csv_beats/NAME.csv (its chords, bars and form), as
// format/wjazzd's Solo.Chart gives it, without the metadata table. The
// solo is named after its melody file. The pair is read when the walk
// reaches the melody file: the beat file is read then, by its name (an
// archive's reader, internal/tarfs, keeps an inflater in each folder, so
// the archive is still decoded about once a folder, and one solo at a time
// is held). The bass lines (csv_bass/) are not read.
const (
	wjazzdMelody = "csv_melody"
	wjazzdBeats  = "csv_beats"
)

// soloMelody reports whether p (slash-separated, inside a collection) is
// a WJazzD melody file: a .csv file in a folder named csv_melody.
func soloMelody(p string) bool {
	return strings.EqualFold(path.Ext(p), ".csv") && path.Base(path.Dir(p)) == wjazzdMelody
}

// soloBeats is the beat file beside the melody file p.
func soloBeats(p string) string {
	return path.Join(path.Dir(path.Dir(p)), wjazzdBeats, path.Base(p))
}

// Performer is the performer of a WJazzD solo named as the export names
// its files (".../csv_melody/ArtPepper_Anthropology_Solo.csv" is
// "ArtPepper"): the part of the file name before its first "_". It is
// how a jazz corpus is grouped for cross-validation (docs/model.md), so
// that no player is both learned and predicted in one fold.
func Performer(name string) string {
	base := name
	if i := strings.LastIndexAny(base, `/\:`); i >= 0 {
		base = base[i+1:]
	}
	p, _, _ := strings.Cut(base, "_")
	return p
}

// readSoloBeats reads the beat file beside the melody file p of fsys, for a
// walk that has read the melody (at names it for the user).
func readSoloBeats(fsys fs.FS, p, at string) ([]byte, error) {
	b := soloBeats(p)
	data, err := fs.ReadFile(fsys, b)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &InputError{at, fmt.Errorf("no beat file %s beside it: a WJazzD melody is read with its beats", b)}
	}
	if err != nil {
		return nil, archiveError(err)
	}
	if data == nil {
		data = []byte{} // an empty beat file is still a solo's, to be refused by its decoder
	}
	if len(data) > MaxSize {
		return nil, &InputError{at, fmt.Errorf("%s: larger than %d MiB", b, MaxSize>>20)}
	}
	return data, nil
}

// Solo decodes a WJazzD solo from its melody and beat files; name is the
// melody file's path. The Document is of FormatWJazzD and holds the solo
// as one chart (format/wjazzd's Solo.Chart), its notes numbered as Bytes
// numbers a lead sheet's.
func (o Options) Solo(name string, melody, beats []byte) (*Document, error) {
	o = o.withIDs(name)
	s, err := wjazzd.Decoder{Source: path.Base(strings.ReplaceAll(name, `\`, "/"))}.DecodeSoloBytes(melody, beats)
	if err != nil {
		return nil, &InputError{name, err}
	}
	c, err := s.Chart(nil)
	if err != nil {
		return nil, &InputError{name, err}
	}
	o.IDs.NumberChart(c)
	NameMelody(c)
	return &Document{Format: FormatWJazzD, Name: name, Charts: []*music.Chart{c}}, nil
}
