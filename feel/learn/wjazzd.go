package learn

import (
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"math"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"sideman/feel"
	"sideman/feel/stats"
	"sideman/format"
	"sideman/format/wjazzd"
	"sideman/internal/corpus"
	"sideman/internal/tarfs"
)

// The files of the Weimar Jazz Database that WJazzD reads, in its folder.
const (
	wjdArchive = "wjazzd-csv.tar.gz"
	wjdMeta    = "wjd_meta.csv.gz"
	wjdIndex   = "wjd_file_index.csv"
)

// wjdSoloTol is the tolerance, as a share of the beat, within which a
// soloist's transcribed position counts as a slot of the grid. The
// transcribers wrote every note as tatum t of a beat split in n (Pfleiderer
// et al., Inside the Jazzomat, ch. 2), an exact fraction: a note is on the
// grid when that fraction is a slot, and a tuplet the grid lacks (a
// quintuplet, the second of a sextuplet, a 32nd) is OffGrid rather than
// pulled to a slot it was not written on, which would count the
// transcriber's rounding as the player's timing.
const wjdSoloTol = 1e-6

// wjdBassTol is the tolerance for a bass note, placed by its onset alone
// (the bass files carry no metrical position): a twelfth of a beat, the
// width of a grid slot.
const wjdBassTol = 1.0 / 12

// wjdArticulationBeats is how near, in beats, the next note must start for
// the time to it to count as the note's written length.
const wjdArticulationBeats = 2

// WJazzD reads the Weimar Jazz Database (Pfleiderer et al. (eds.), Inside
// the Jazzomat, 2017) at dir, the folder holding wjazzd-csv.tar.gz,
// wjd_meta.csv.gz and wjd_file_index.csv: one feel.Performance per solo
// (role feel.Soloist, in the index's order) and, for the 40 solos with a
// walking-bass transcription (Abeßer et al., "Score-informed analysis of
// tuning, intonation, pitch modulation, and dynamics in jazz solos", 2017),
// one per bass line (role feel.Bass, by file name), after the solos.
//
// The grid is the beat track tapped along with the recording. A soloist's
// note is placed at the beat, bar and tatum the transcribers gave it, so
// its deviation is the played onset against that position between the
// tapped beats; a bass note, which has no transcribed position, at the
// grid slot nearest its onset. Neither has velocities (0): the solos carry
// none, and the bass files' loudness column marks every note 0.8 or 1.0
// of full scale, a label of two values rather than a measured loudness (a
// feel learned from it played ghost notes as loud as the rest).
//
// It collects WJazzDFS's performances in that order; the archive is read
// through internal/tarfs, twice in all (once to index it, once for the
// files, in archive order).
func WJazzD(dir string) ([]feel.Performance, error) {
	index, err := wjdReadIndex(filepath.Join(dir, wjdIndex))
	if err != nil {
		return nil, err
	}
	metas, err := wjdReadMeta(filepath.Join(dir, wjdMeta))
	if err != nil {
		return nil, err
	}
	a, err := corpus.OpenArchive(filepath.Join(dir, wjdArchive))
	if err != nil {
		return nil, fmt.Errorf("wjazzd: %w", err)
	}
	defer a.Close()
	export, err := wjdExport(a)
	if err != nil {
		return nil, err
	}
	solos := make([]*feel.Performance, len(index))
	var bass []feel.Performance
	err = wjdEach(export, index, metas, func(i int, p feel.Performance) bool {
		if i < 0 {
			bass = append(bass, p)
		} else {
			solos[i] = &p
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	out := make([]feel.Performance, 0, len(index)+len(bass))
	for _, p := range solos {
		out = append(out, *p)
	}
	sort.SliceStable(bass, func(i, j int) bool { return bass[i].Name < bass[j].Name })
	return append(out, bass...), nil
}

// WJazzDFS yields the performances of the Weimar Jazz Database one at a
// time, as WJazzD makes them, so that a learner can stream the database:
// export is its CSV export read as an fs.FS (the folder holding
// csv_melody, csv_beats and csv_bass: the "wjazzd" folder of
// wjazzd-csv.tar.gz through internal/tarfs), index and meta its tables
// (wjazzd.DecodeIndex, wjazzd.DecodeMeta). Each solo comes with its bass
// lines after it, the solos in the order that reads their files fastest
// (tarfs.ReadingOrder: the archive's). It holds the bytes of the beat
// tracks and bass lines (4.4 MB of the export's 21 MB), which it reads
// first, while it streams the melodies. An error ends the walk.
func WJazzDFS(export fs.FS, index []wjazzd.IndexEntry, meta []wjazzd.Meta) iter.Seq2[feel.Performance, error] {
	return func(yield func(feel.Performance, error) bool) {
		stopped := false
		err := wjdEach(export, index, wjdIndexMetas(meta), func(_ int, p feel.Performance) bool {
			stopped = !yield(p, nil)
			return !stopped
		})
		if err != nil && !stopped {
			yield(feel.Performance{}, err)
		}
	}
}

// wjdExport is the folder of the archive that holds csv_melody.
func wjdExport(a *tarfs.FS) (fs.FS, error) {
	for name, err := range a.Files() {
		if err != nil {
			return nil, fmt.Errorf("wjazzd: corpus: %w", err)
		}
		if dir := path.Dir(name); path.Base(dir) == "csv_melody" {
			if root := path.Dir(dir); root != "." {
				sub, err := a.Sub(root)
				if err != nil {
					return nil, fmt.Errorf("wjazzd: %w", err)
				}
				return sub, nil
			}
			break
		}
	}
	return a, nil
}

// wjdEach reads the solos of the index, and the bass lines, from export
// and gives each performance to fn, a solo with its index position, a
// bass line with -1, until fn returns false.
func wjdEach(export fs.FS, index []wjazzd.IndexEntry, metas wjdMetas, fn func(int, feel.Performance) bool) error {
	// What the index names must be there before anything is read.
	ms := make([]*wjazzd.Meta, len(index))
	solos := map[string]int{} // index position by melody file name, lower case
	for i, e := range index {
		if ms[i] = metas.byID[e.WJDID]; ms[i] == nil {
			ms[i] = metas.byMelID[e.MelID]
		}
		if ms[i] == nil {
			return fmt.Errorf("wjazzd: %s: melid %d, %s: no row in %s", wjdIndex, e.MelID, e.WJDID, wjdMeta)
		}
		for _, dir := range []string{"csv_melody", "csv_beats"} {
			if _, err := fs.Stat(export, dir+"/"+e.CSVName); err != nil {
				return fmt.Errorf("wjazzd: %s: no %s/%s in %s", wjdIndex, dir, e.CSVName, wjdArchive)
			}
		}
		solos[strings.ToLower(e.CSVName)] = i
	}
	// The bass files are named after the solo, in a case of their own now
	// and then ("BluesforBlanche" under "BluesForBlanche").
	lines, err := fs.ReadDir(export, "csv_bass")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("wjazzd: %w", err)
	}
	bassOf := map[int][]string{}
	var orphan string
	for _, l := range lines {
		name := l.Name()
		if strings.HasPrefix(name, "._") || !strings.HasSuffix(strings.ToLower(name), ".csv") || !l.Type().IsRegular() {
			continue
		}
		i, ok := solos[strings.ToLower(strings.TrimSuffix(name, "_bass.csv")+".csv")]
		if !ok {
			if orphan == "" {
				orphan = name
			}
			continue
		}
		bassOf[i] = append(bassOf[i], name)
	}
	// The beat tracks and bass lines first, held, then the melodies.
	var held []string
	for _, e := range index {
		held = append(held, "csv_beats/"+e.CSVName)
	}
	for _, names := range bassOf {
		for _, name := range names {
			held = append(held, "csv_bass/"+name)
		}
	}
	if err := tarfs.ReadingOrder(export, held); err != nil {
		return fmt.Errorf("wjazzd: corpus: %w", err)
	}
	data := map[string][]byte{}
	for _, name := range held {
		if data[name] == nil {
			if data[name], err = wjdRead(export, name); err != nil {
				return err
			}
		}
	}
	order := make([]string, len(index))
	at := map[string][]int{}
	for i, e := range index {
		order[i] = "csv_melody/" + e.CSVName
		at[order[i]] = append(at[order[i]], i)
	}
	order = slices.Compact(slices.Sorted(slices.Values(order)))
	if err := tarfs.ReadingOrder(export, order); err != nil {
		return fmt.Errorf("wjazzd: corpus: %w", err)
	}
	for _, melody := range order {
		mel, err := wjdRead(export, melody)
		if err != nil {
			return err
		}
		for _, i := range at[melody] {
			e := index[i]
			s, err := wjazzd.Decoder{Source: e.CSVName}.DecodeSoloBytes(mel, data["csv_beats/"+e.CSVName])
			if err != nil {
				return wjdWrap(e.CSVName, err)
			}
			se, err := wjdNewSession(s, ms[i])
			if err != nil {
				return err
			}
			p, err := se.soloist()
			if err != nil {
				return err
			}
			if !fn(i, p) {
				return nil
			}
			if solos[strings.ToLower(e.CSVName)] != i {
				continue // a later row of the index has its bass lines
			}
			for _, name := range bassOf[i] {
				notes, err := wjazzd.Decoder{Source: name}.DecodeBassBytes(data["csv_bass/"+name])
				if err != nil {
					return wjdWrap(name, err)
				}
				if !fn(-1, se.bass(name, notes)) {
					return nil
				}
			}
		}
	}
	if orphan != "" {
		return fmt.Errorf("wjazzd: csv_bass/%s: no solo of that name", orphan)
	}
	return nil
}

// wjdRead reads one CSV file of the export, refusing one larger than
// wjazzd.MaxSize.
func wjdRead(export fs.FS, name string) ([]byte, error) {
	st, err := fs.Stat(export, name)
	if err != nil {
		return nil, fmt.Errorf("wjazzd: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("wjazzd: %s: %w", name, corpus.ErrNotRegular)
	}
	if st.Size() > format.MaxSize {
		return nil, fmt.Errorf("wjazzd: %s: %s: %w", wjdArchive, name, format.ErrTooLarge)
	}
	data, err := fs.ReadFile(export, name)
	if err != nil {
		return nil, fmt.Errorf("wjazzd: %w", err)
	}
	return data, nil
}

// wjdWrap names the file an error is about. The decoder's ParseError
// already names the file and row, and is kept as it is.
func wjdWrap(name string, err error) error {
	var pe *wjazzd.ParseError
	if errors.As(err, &pe) {
		return err
	}
	return fmt.Errorf("wjazzd: %s: %w", name, err)
}

func wjdReadIndex(name string) ([]wjazzd.IndexEntry, error) {
	f, err := corpus.Open(name)
	if err != nil {
		return nil, fmt.Errorf("wjazzd: %w", err)
	}
	defer f.Close()
	index, err := wjazzd.DecodeIndex(f)
	if err != nil {
		return nil, wjdWrap(wjdIndex, err)
	}
	return index, nil
}

type wjdMetas struct {
	byID    map[string]*wjazzd.Meta
	byMelID map[int]*wjazzd.Meta
}

func wjdReadMeta(name string) (wjdMetas, error) {
	f, err := corpus.Open(name)
	if err != nil {
		return wjdMetas{}, fmt.Errorf("wjazzd: %w", err)
	}
	defer f.Close()
	rows, err := wjazzd.DecodeMeta(f)
	if err != nil {
		return wjdMetas{}, wjdWrap(wjdMeta, err)
	}
	return wjdIndexMetas(rows), nil
}

// wjdIndexMetas indexes the metadata table's rows.
func wjdIndexMetas(rows []wjazzd.Meta) wjdMetas {
	ms := wjdMetas{byID: map[string]*wjazzd.Meta{}, byMelID: map[int]*wjazzd.Meta{}}
	for i := range rows {
		ms.byID[rows[i].ID] = &rows[i]
		ms.byMelID[rows[i].MelID] = &rows[i]
	}
	return ms
}

// wjdSession is one solo with its beat track made ready for placing
// notes: what its soloist's and its bassist's performances share.
type wjdSession struct {
	solo *wjazzd.Solo
	meta *wjazzd.Meta
	secs []float64   // beat onsets
	at   map[int]int // beat index by bar and beat (wjdBarBeat)
	base feel.Performance
}

// wjdBarBeat is a map key for a beat of a bar; beats of a bar are few.
func wjdBarBeat(bar, beat int) int { return bar<<8 | beat&0xff }

func wjdNewSession(s *wjazzd.Solo, m *wjazzd.Meta) (*wjdSession, error) {
	if len(s.Beats) < 2 {
		return nil, fmt.Errorf("wjazzd: csv_beats/%s: %w: %d beats", s.Name, wjazzd.ErrBeats, len(s.Beats))
	}
	se := &wjdSession{solo: s, meta: m, secs: make([]float64, len(s.Beats)), at: make(map[int]int, len(s.Beats))}
	meters := map[int]int{} // beats in each meter, by the meter's beats a bar
	for k, b := range s.Beats {
		se.secs[k] = b.Onset
		key := wjdBarBeat(b.Bar, b.Beat)
		if _, dup := se.at[key]; dup || b.Beat < 1 || b.Beat > 255 {
			return nil, fmt.Errorf("wjazzd: csv_beats/%s: %w: bar %d beat %d twice or out of range", s.Name, wjazzd.ErrBeats, b.Bar, b.Beat)
		}
		se.at[key] = k
		num, _, _ := strings.Cut(b.Signature, "/")
		if n, err := strconv.Atoi(strings.TrimSpace(num)); err == nil && n > 0 {
			meters[n]++
		}
	}
	// The meter the most beats are in: a few solos change meter briefly.
	perBar, most := 4, 0
	for n, c := range meters {
		if c > most || c == most && n < perBar {
			perBar, most = n, c
		}
	}
	// The table's average tempo, unless it disagrees with the beat track
	// by more than 5%: the Chris Potter rows for Arjuna and Pop Tune #1
	// have each other's tempo (see format/wjazzd's TestCorpusTempo), and
	// Milestones (David Liebman) is tapped in half notes at half the
	// table's 312 bpm. Tempo is in the beats the grid counts.
	span := se.secs[len(se.secs)-1] - se.secs[0]
	tempo := 60 * float64(len(se.secs)-1) / span
	if m.AvgTempo > 0 && math.Abs(m.AvgTempo-tempo) <= 0.05*tempo {
		tempo = m.AvgTempo
	}
	se.base = feel.Performance{
		Player:      m.Performer,
		Style:       m.Style,
		Tempo:       tempo,
		Beats:       len(s.Beats),
		BeatsPerBar: perBar,
		Swing:       m.RhythmFeel == "SWING",
	}
	return se, nil
}

// beatSpan is the onset and length of beat k of the track; the last beat
// lasts as long as the one before it.
func (se *wjdSession) beatSpan(k int) (t0, dur float64) {
	if k+1 < len(se.secs) {
		return se.secs[k], se.secs[k+1] - se.secs[k]
	}
	return se.secs[k], se.secs[k] - se.secs[k-1]
}

// barBeat is beat k's place in its bar, 0 the downbeat; past the track's
// end, the beat after the last.
func (se *wjdSession) barBeat(k int) int {
	if k < len(se.solo.Beats) {
		return se.solo.Beats[k].Beat - 1
	}
	return (se.solo.Beats[len(se.solo.Beats)-1].Beat) % se.base.BeatsPerBar
}

// place sets a hit's grid time, beat and bar beat from its slot in beat k
// (starting at t0, dur long): the next beat's downbeat when the slot
// carries over, offGrid for a note on no slot.
func (se *wjdSession) place(h *feel.Hit, k, carry int, t0, dur, offGrid float64) {
	switch {
	case h.Slot == feel.OffGrid:
		h.Grid = offGrid
	case carry > 0:
		h.Beat, h.Grid = k+1, t0+dur
		if k+1 < len(se.secs) {
			_, h.BeatDur = se.beatSpan(k + 1)
		}
	default:
		h.Grid = t0 + h.Slot.Share()*dur
	}
	h.BarBeat = se.barBeat(h.Beat)
}

// soloist places the solo's notes at their transcribed positions.
func (se *wjdSession) soloist() (feel.Performance, error) {
	s := se.solo
	p := se.base
	p.Name = s.Name
	notes := make([]wjazzd.Note, len(s.Notes))
	copy(notes, s.Notes)
	sort.SliceStable(notes, func(i, j int) bool { return notes[i].Onset < notes[j].Onset })
	p.Hits = make([]feel.Hit, 0, len(notes))
	for i, n := range notes {
		k, ok := se.at[wjdBarBeat(n.Bar, n.Beat)]
		if !ok {
			return feel.Performance{}, fmt.Errorf("wjazzd: csv_melody/%s: note at %.3f s: bar %d beat %d is not in the beat track", s.Name, n.Onset, n.Bar, n.Beat)
		}
		if n.Division < 1 || n.Tatum < 1 || n.Tatum > n.Division {
			return feel.Performance{}, fmt.Errorf("wjazzd: csv_melody/%s: note at %.3f s: tatum %d of %d", s.Name, n.Onset, n.Tatum, n.Division)
		}
		t0, dur := se.beatSpan(k)
		// The export's subtatum is 0 throughout (no tatum is split
		// further), so the tatum alone gives the position.
		share := float64(n.Tatum-1) / float64(n.Division)
		h := feel.Hit{Role: feel.Soloist, Beat: k, Time: n.Onset, BeatDur: dur, Pitch: n.Pitch}
		slot, carry := feel.Nearest(share, wjdSoloTol)
		h.Slot = slot
		// Off the grid, the written tuplet position is still where the
		// note belongs.
		se.place(&h, k, carry, t0, dur, t0+share*dur)
		if i+1 < len(notes) {
			h.Articulation = wjdArticulation(n.Duration, notes[i+1].Onset-n.Onset, dur)
		}
		p.Hits = append(p.Hits, h)
	}
	p.Sort()
	return p, nil
}

// wjdArticulation is the sounding length over the time to the next note,
// when that comes within a couple of beats (else the note ends a phrase
// and its written length is not known: 0).
func wjdArticulation(dur, ioi, beat float64) float64 {
	if ioi <= 0 || ioi > wjdArticulationBeats*beat {
		return 0
	}
	return dur / ioi
}

// bass places a walking-bass line against the solo's beat track.
func (se *wjdSession) bass(name string, notes []wjazzd.BassNote) feel.Performance {
	p := se.base
	p.Name = name
	// The bass files do not name the bassist; the table's lineup does,
	// for all but one session (Benny Goodman's trio on Avalon, with no
	// bass listed), where the line goes under the soloist's name so that
	// a split by player keeps it with its session.
	if b := wjdBassist(se.meta.Lineup); b != "" {
		p.Player = b
	}
	notes = append([]wjazzd.BassNote(nil), notes...)
	sort.SliceStable(notes, func(i, j int) bool { return notes[i].Onset < notes[j].Onset })
	p.Hits = make([]feel.Hit, 0, len(notes))
	last := len(se.secs) - 1
	for i, n := range notes {
		// The beat the onset falls in: the last at or before it, or the
		// one before the track for an onset a hair early.
		k := sort.Search(len(se.secs), func(j int) bool { return se.secs[j] > n.Onset }) - 1
		var t0, dur float64
		if k < 0 {
			_, dur = se.beatSpan(0)
			t0 = se.secs[0] - dur
		} else {
			t0, dur = se.beatSpan(k)
		}
		share := (n.Onset - t0) / dur
		slot, carry := feel.Nearest(share, wjdBassTol)
		// A note outside the beat track, a pickup before the solo's
		// first tapped beat or one after its last beat, has no tapped
		// beat to be measured against: 6 of the 4,892 notes.
		if k < 0 && (slot == feel.OffGrid || carry == 0) || k == last && share >= 1 {
			continue
		}
		h := feel.Hit{Role: feel.Bass, Beat: k, Slot: slot, Time: n.Onset, BeatDur: dur, Pitch: n.Pitch}
		// No written position and none of the grid's: an off-grid note is
		// where it was played.
		se.place(&h, k, carry, t0, dur, n.Onset)
		if i+1 < len(notes) {
			h.Articulation = wjdArticulation(n.Duration, notes[i+1].Onset-n.Onset, h.BeatDur)
		}
		p.Hits = append(p.Hits, h)
	}
	p.Sort()
	return p
}

// The rule BeatCopied applies.
const (
	// copiedOnsetMs: a played line's notes on the beat sit a median 7.8
	// to 24 ms from the tapped beats; the copied ones' 0.2 to 0.8 ms.
	copiedOnsetMs = 2
	// copiedLegato: in a played line at most 4% of the notes last to
	// the next onset to within 1%; in the copied ones 41% to all.
	copiedLegato = 1.0 / 3
)

// BeatCopied reports whether a WJazzD bass line was copied from the beat
// track rather than transcribed from the recording: 22 of the 40 have
// their onsets on the tapped beats and every note lasting to the next,
// so their timing and articulation are the annotators' taps, not a
// bassist's (a feel learned from them gave the bass a timing spread
// under a millisecond and one note length). The rule: the median
// distance of the notes on a beat slot from the tapped beat is under
// copiedOnsetMs, and at least copiedLegato of the notes followed within
// two beats last to the next onset to within 1%.
func BeatCopied(p *feel.Performance) bool {
	var dist []float64
	var legato, followed int
	for _, h := range p.Hits {
		if h.Role != feel.Bass {
			continue
		}
		if h.Slot == feel.SlotBeat {
			dist = append(dist, 1000*math.Abs(h.Dev()))
		}
		if h.Articulation > 0 {
			followed++
			if math.Abs(h.Articulation-1) < 0.01 {
				legato++
			}
		}
	}
	if len(dist) == 0 || followed == 0 {
		return false
	}
	return stats.Median(dist) < copiedOnsetMs && float64(legato) >= copiedLegato*float64(followed)
}

// wjdBassist is the bass player of a lineup as the table writes it,
// "Art Pepper (as, cl); Charlie Haden (b); Billy Higgins (dr)", or "".
// One row lists two players before one instrument ("Chick Corea, James
// Genus (b)"): the last named is the bassist.
func wjdBassist(lineup string) string {
	for _, entry := range strings.Split(lineup, ";") {
		name, inst, ok := strings.Cut(entry, "(")
		if !ok {
			continue
		}
		inst, _, _ = strings.Cut(inst, ")")
		for _, code := range strings.Split(inst, ",") {
			switch strings.ToLower(strings.TrimSpace(code)) {
			case "b", "eb", "el-b":
				if i := strings.LastIndexByte(name, ','); i >= 0 {
					name = name[i+1:]
				}
				return strings.TrimSpace(name)
			}
		}
	}
	return ""
}
