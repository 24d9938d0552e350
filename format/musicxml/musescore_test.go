package musicxml

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"sideman/examples"
	"sideman/format/chart"
	"sideman/format/midi"
	"sideman/internal/shareddata"
	"sideman/music"
)

// The tests here cross-check the package against MuseScore 3 (Debian's
// musescore3), run headless in its batch mode: MuseScore reads the
// OpenEWLD scores and writes what it plays as MIDI, and it reads what
// Encode writes and renders it to PDF and MIDI.
//
// Converting the 502 OpenEWLD scores takes MuseScore about 75 s of CPU
// (two minutes and more on a busy machine), so the default run converts a
// fixed sample of 50 and SIDEMAN_SLOW=1 (set by CI) converts them all.

// EnvSlow names the environment variable that turns on the slow tests.
const EnvSlow = "SIDEMAN_SLOW"

func slow() bool { return os.Getenv(EnvSlow) == "1" }

// museScore returns the MuseScore 3 binary, skipping the test when it is
// missing (failing under SIDEMAN_REQUIRE_DATA=1, as CI runs).
func museScore(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("MuseScore cross-checks take a minute; skipped in -short mode")
	}
	for _, name := range []string{"mscore3", "musescore3"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "MuseScore 3 (mscore3) not found; install Debian's musescore3"
	if shareddata.Required() {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// msCache keeps MuseScore's output for the whole test run, so that tests
// share conversions. TestMain removes it.
var msCache struct {
	once sync.Once
	dir  string
	err  error
}

func cacheDir(t *testing.T) string {
	t.Helper()
	msCache.once.Do(func() { msCache.dir, msCache.err = os.MkdirTemp("", "sideman-musescore-") })
	if msCache.err != nil {
		t.Fatal(msCache.err)
	}
	return msCache.dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if msCache.dir != "" {
		os.RemoveAll(msCache.dir)
	}
	os.Exit(code)
}

// msJob is one conversion of MuseScore's batch mode (-j): one input, one
// or more outputs, their formats given by their extensions.
type msJob struct {
	In  string   `json:"in"`
	Out []string `json:"out"`
}

// runMuseScore runs a batch of conversions in one MuseScore process and
// returns its log, split by input file.
func runMuseScore(t *testing.T, bin string, jobs []msJob) map[string]string {
	t.Helper()
	if len(jobs) == 0 {
		return nil
	}
	dir := cacheDir(t)
	spec, err := json.Marshal(jobs)
	if err != nil {
		t.Fatal(err)
	}
	jobFile := filepath.Join(dir, fmt.Sprintf("job-%d.json", time.Now().UnixNano()))
	if err := os.WriteFile(jobFile, spec, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-j", jobFile)
	runtime := filepath.Join(dir, "runtime")
	os.MkdirAll(runtime, 0o700)
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen", "XDG_RUNTIME_DIR="+runtime)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("MuseScore converted %d files in %.1f s", len(jobs), time.Since(start).Seconds())
	if err != nil {
		t.Fatalf("%s -j: %v\n%s", bin, err, tail(out))
	}
	// The log has a "convert <in>..." line before each file's messages.
	logs := map[string]string{}
	var cur string
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "convert <"); ok {
			cur, _, _ = strings.Cut(rest, ">")
			continue
		}
		if cur != "" {
			logs[cur] += line + "\n"
		}
	}
	return logs
}

func tail(b []byte) []byte {
	if len(b) > 4000 {
		return b[len(b)-4000:]
	}
	return b
}

// sample is the fixed sample of OpenEWLD files the default run converts:
// every tenth in name order, 50 in all; or all of them.
func sample(c *corpus, all bool) []int {
	var idx []int
	for i := range c.names {
		if all || (i%10 == 0 && len(idx) < 50) {
			idx = append(idx, i)
		}
	}
	return idx
}

// museScoreMIDI converts OpenEWLD scores to MIDI with MuseScore, once per
// test run, and returns the MIDI files by index. MuseScore reads the score
// that unzipScore finds in the archive: it refuses 93 of the OpenEWLD
// archives itself, whose container.xml is not well-formed.
func museScoreMIDI(t *testing.T, bin string, c *corpus, idx []int) map[int][]byte {
	t.Helper()
	dir := cacheDir(t)
	var jobs []msJob
	for _, i := range idx {
		xmlPath := filepath.Join(dir, fmt.Sprintf("ewld-%03d.musicxml", i))
		midPath := strings.TrimSuffix(xmlPath, ".musicxml") + ".mid"
		if _, err := os.Stat(midPath); err == nil {
			continue
		}
		doc, err := unzipScore(c.data[i])
		if err != nil {
			t.Fatalf("%s: %v", c.names[i], err)
		}
		if err := os.WriteFile(xmlPath, doc, 0o644); err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, msJob{In: xmlPath, Out: []string{midPath}})
	}
	runMuseScore(t, bin, jobs)
	out := map[int][]byte{}
	for _, i := range idx {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("ewld-%03d.mid", i)))
		if err != nil {
			t.Errorf("%s: MuseScore wrote no MIDI: %v", c.names[i], err)
			continue
		}
		out[i] = b
	}
	return out
}

// sounding is a note as compared with MuseScore: onset, pitch, length.
type sounding struct {
	start, dur music.Ticks
	pitch      uint8
}

// soundingNotes lists a piece's notes by onset and pitch. A note that
// starts while the same pitch still sounds is left out, as MuseScore's
// MIDI export does ("MIDI collision detected"): a note tied into a first
// ending sounds on into the second, whose own note then collides.
func soundingNotes(p *music.Piece) []sounding {
	var ns []sounding
	for _, pt := range p.Parts {
		for _, n := range pt.Notes {
			ns = append(ns, sounding{n.Start, n.Duration, n.Pitch})
		}
	}
	sort.SliceStable(ns, func(i, j int) bool {
		if ns[i].start != ns[j].start {
			return ns[i].start < ns[j].start
		}
		return ns[i].pitch < ns[j].pitch
	})
	end := map[uint8]music.Ticks{}
	out := ns[:0]
	for _, n := range ns {
		if e, ok := end[n.pitch]; ok && e > n.start {
			continue
		}
		end[n.pitch] = n.start + n.dur
		out = append(out, n)
	}
	return out
}

// agreement compares our notes with MuseScore's: onsets and pitches, and
// durations, which MuseScore ends a tick (at its 480 per quarter) early.
func agreement(ours, theirs []sounding) (onsets, durations bool) {
	if len(ours) != len(theirs) {
		return false, false
	}
	durations = true
	for i := range ours {
		if ours[i].start != theirs[i].start || ours[i].pitch != theirs[i].pitch {
			return false, false
		}
		if d := ours[i].dur - theirs[i].dur; d < 0 || d > 2 {
			durations = false
		}
	}
	return true, durations
}

// withoutNavigation is the chart with its D.C., D.S., coda and fine left
// out, as MuseScore 3.2 plays a score that writes them only as words.
func withoutNavigation(c *music.Chart) *music.Chart {
	d := *c
	d.Bars = slices.Clone(c.Bars)
	for i := range d.Bars {
		b := &d.Bars[i]
		b.Jump, b.ToCoda, b.Coda, b.Fine = music.NoJump, false, false, false
	}
	return &d
}

// haveData reports whether a file of the shared data is there; missing
// data fails the test under SIDEMAN_REQUIRE_DATA=1.
func haveData(t *testing.T, rel string) bool {
	t.Helper()
	root, err := shareddata.Root()
	if err == nil {
		_, err = os.Stat(filepath.Join(root, rel))
	}
	if err != nil && shareddata.Required() {
		t.Fatalf("%s: %v", rel, err)
	}
	return err == nil
}

func hasJumps(c *music.Chart) bool {
	return slices.ContainsFunc(c.Bars, func(b music.Bar) bool { return b.Jump != music.NoJump })
}

// bracketStops reports, for each measure of a score's first part, whether
// a volta bracket ends (type stop or discontinue) there.
func bracketStops(doc []byte) []bool {
	var t tree
	doc, _ = toUTF8(doc)
	if t.parse(doc) != nil {
		return nil
	}
	part := t.child(0, "part")
	if part < 0 {
		return nil
	}
	var out []bool
	for m := t.nodes[part].child; m >= 0; m = t.nodes[m].next {
		if !t.is(m, "measure") {
			continue
		}
		stop := false
		for b := t.nodes[m].child; b >= 0; b = t.nodes[b].next {
			if !t.is(b, "barline") {
				continue
			}
			for e := t.nodes[b].child; e >= 0; e = t.nodes[e].next {
				if typ, _ := t.attr(e, "type"); t.is(e, "ending") && (typ == "stop" || typ == "discontinue") {
					stop = true
				}
			}
		}
		out = append(out, stop)
	}
	return out
}

// museScoreRepeats plays a chart's bars by MuseScore's repeat rules, as
// observed on OpenEWLD (navigation left out, as it is written in words):
//
//   - a volta bracket ends where the score says (stops[i]), so bars after
//     a bracket closed before its repeat sign are played on every pass;
//   - each backward repeat sign is taken times-1 times, going back to the
//     last forward repeat sign reached (or the start), and every jump back
//     counts a pass for the brackets, which are not reset by a later
//     backward repeat without a forward repeat of its own.
//
// It returns the played notes. music.Chart.Unroll instead ends a bracket
// at its repeat sign and sends a lone backward repeat to the bar after
// the previous repeat, as musicians read them.
func museScoreRepeats(c *music.Chart, stops []bool) *music.Piece {
	bars := c.Bars
	n := len(bars)
	bracketEnd := func(i int) int {
		for j := i; j < n; j++ {
			if j < len(stops) && stops[j] {
				return j
			}
			if j > i && bars[j].Ending != 0 {
				return j - 1
			}
			if bars[j].RepeatEnd > 0 {
				return j
			}
		}
		return n - 1
	}
	var order []int
	repStart, pass := 0, 1
	taken := map[int]int{}
	for i := 0; i < n && len(order) < 1<<14; {
		b := &bars[i]
		if b.Ending != 0 && (pass > 8 || b.Ending&(1<<(pass-1)) == 0) {
			i = bracketEnd(i) + 1
			continue
		}
		order = append(order, i)
		if b.RepeatEnd > 0 && taken[i] < b.RepeatEnd-1 {
			taken[i]++
			pass++
			i = repStart
			continue
		}
		i++
		if i < n && bars[i].RepeatStart {
			repStart, pass = i, 1
		}
	}
	meters := c.BarMeters()
	p := &music.Piece{Parts: []music.Part{{}}}
	var at music.Ticks
	for _, i := range order {
		for _, nt := range bars[i].Notes {
			nt.Start += at
			p.Parts[0].Notes = append(p.Parts[0].Notes, nt)
		}
		at += meters[i].BarTicks()
	}
	return p
}

// museScoreDifferences lists the OpenEWLD scores MuseScore plays otherwise
// than we do for reasons the variants in compareMuseScore do not cover,
// each with its cause, found by comparing the two bar by bar.
var museScoreDifferences = map[string]string{
	// Volta numbers that cannot be played as written: Decode renumbers
	// the group 1, 2 (see repairEndings), MuseScore plays them literally
	// and leaves bars out or loops.
	"I_Wanna_Be_Loved_by_You.mxl":                  `voltas "1." twice`,
	"The_Man_with_the_Horn.mxl":                    `voltas "2." twice`,
	"Mary's_a_Grand_Old_Name.mxl":                  `voltas "2." twice`,
	"My_Little_Lady.mxl":                           `voltas "1." then "3."`,
	"What_Child_Is_This?.mxl":                      `voltas "1." then "3."`,
	"Sweet_Hour_of_Prayer.mxl":                     `voltas "1." then "3."`,
	"Banks_of_the_Ohio.mxl":                        `voltas "1." then "3."`,
	"You_Call_It_Madness_(But_I_Call_It_Love).mxl": `voltas "1." then "3."`,
	"Jingle_Bells.mxl":                             `voltas "1." then "3."`,
	// MuseScore plays grace notes, taking their time from the main note;
	// Decode leaves them out.
	"Für_Elise.mxl":       "grace notes",
	"Tell_Me_Why.mxl":     "grace notes",
	"Radetzky-Marsch.mxl": "grace notes",
	// A tie start on a note followed by another pitch: MuseScore ties it
	// to the next note of its pitch further on; Decode lets it end.
	"Didn't_My_Lord_Deliver_Daniel.mxl": "a tie to a later note",
	"We_Three_Kings.mxl":                "a tie to a later note",
	// MuseScore plays a glissando as a chromatic run.
	"My_Man's_Gone_Now.mxl": "glissando",
	// Rhythm slashes (notehead slash) in the melody's staff: "comp
	// here", no pitch to play; Decode leaves them out, MuseScore 3.2
	// plays them on their staff position.
	"The_Lady_Is_a_Tramp.mxl": "rhythm slashes",
	// MuseScore 3.2 plays this "D.C. al Fine", written in words (it does
	// not play the D.S. of others), by its own repeat rules.
	"That's_a_Plenty.mxl": "D.C. al Fine in words, played by MuseScore's repeat rules",
}

// TestMuseScorePlayback checks that what we play from the OpenEWLD lead
// sheets (Chart.Perform) is what MuseScore plays from them, for a fixed
// sample of 50. Differences must have a
// known cause: navigation written as words, which MuseScore 3.2 does not
// play; MuseScore's repeat rules (museScoreRepeats); or an entry in
// museScoreDifferences.
func TestMuseScorePlayback(t *testing.T) { testMuseScorePlayback(t, false) }

// TestMuseScorePlaybackAll is TestMuseScorePlayback over all 502 scores,
// run when SIDEMAN_SLOW=1.
func TestMuseScorePlaybackAll(t *testing.T) {
	if !slow() {
		t.Skipf("converting all 502 scores takes MuseScore minutes; set %s=1", EnvSlow)
	}
	testMuseScorePlayback(t, true)
}

func testMuseScorePlayback(t *testing.T, all bool) {
	bin := museScore(t)
	c := loadCorpus(t, "openewld")
	idx := sample(c, all)
	mids := museScoreMIDI(t, bin, c, idx)
	causes := map[string][]string{}
	var onsets, durations int
	for _, i := range idx {
		name := path.Base(c.names[i])
		mb, ok := mids[i]
		if !ok {
			continue
		}
		f, err := midi.DecodeBytes(mb)
		if err != nil {
			t.Errorf("%s: MuseScore's MIDI: %v", name, err)
			continue
		}
		theirs := soundingNotes(midi.ToPiece(f, name))
		ch, err := Decoder{Source: name}.DecodeBytes(c.data[i])
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		on, dur := agreement(soundingNotes(ch.Perform(1)), theirs)
		cause := ""
		switch {
		case on:
			onsets++
			if dur {
				durations++
			} else {
				cause = "durations only: a note tied into a volta bracket"
			}
		case func() bool { on, _ := agreement(soundingNotes(withoutNavigation(ch).Perform(1)), theirs); return on }():
			cause = "D.C./D.S./Fine written only as words, which MuseScore 3.2 does not play"
		case func() bool {
			doc, _ := unzipScore(c.data[i])
			on, _ := agreement(soundingNotes(museScoreRepeats(ch, bracketStops(doc))), theirs)
			return on
		}():
			cause = "MuseScore's repeat rules (a bracket closed before its repeat sign, a lone backward repeat)"
		default:
			why, listed := museScoreDifferences[name]
			if !listed {
				ours := soundingNotes(ch.Perform(1))
				k := 0
				for k < min(len(ours), len(theirs)) && ours[k] == theirs[k] {
					k++
				}
				t.Errorf("%s: MuseScore plays %d notes, we play %d; first difference at note %d (ours %v, MuseScore's %v)",
					name, len(theirs), len(ours), k, at(ours, k), at(theirs, k))
				continue
			}
			cause = "listed: " + why
		}
		if cause != "" {
			causes[cause] = append(causes[cause], name)
		}
		if why, listed := museScoreDifferences[name]; listed && on {
			t.Errorf("%s: listed in museScoreDifferences (%s) but agrees with MuseScore", name, why)
		}
	}
	if all {
		for name := range museScoreDifferences {
			if !slices.ContainsFunc(c.names, func(n string) bool { return path.Base(n) == name }) {
				t.Errorf("museScoreDifferences lists %s, which OpenEWLD does not have", name)
			}
		}
	}
	n := len(idx)
	t.Logf("MuseScore agreement over %d OpenEWLD scores: onsets and pitches %d (%.1f%%), durations too %d (%.1f%%)",
		n, onsets, 100*float64(onsets)/float64(n), durations, 100*float64(durations)/float64(n))
	var keys []string
	for k := range causes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("  %3d %s: %s", len(causes[k]), k, strings.Join(causes[k], ", "))
	}
	// Most scores must agree outright: the variants explain differences,
	// they must not hide a decoder that gets most scores wrong.
	if onsets < n*8/10 {
		t.Errorf("only %d of %d scores play as MuseScore plays them", onsets, n)
	}
}

func at(ns []sounding, i int) any {
	if i < len(ns) {
		return ns[i]
	}
	return "none"
}

// museScoreExportDifferences lists sampled OpenEWLD scores whose export
// MuseScore plays otherwise than Chart.Perform, with the cause.
var museScoreExportDifferences = map[string]string{
	// Two forward repeats, then a D.S. al Coda: MuseScore follows the
	// jump we write, but takes the repeats by its own rules.
	"The_Boulevard_of_Broken_Dreams.mxl": "D.S. al Coda over MuseScore's repeat rules",
}

// TestMuseScoreExport writes every example chart and the sampled OpenEWLD
// lead sheets with Encode, has MuseScore render them to PDF and MIDI, and
// checks that it reports no error and plays the notes we play.
func TestMuseScoreExport(t *testing.T) {
	bin := museScore(t)
	dir := cacheDir(t)
	type export struct {
		name  string
		chart *music.Chart
	}
	var exports []export
	for _, name := range examples.Names() {
		src, err := examples.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := chart.DecodeBytes(src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for k, ch := range cs {
			exports = append(exports, export{fmt.Sprintf("example-%s-%d", name, k), ch})
		}
	}
	if len(exports) < 10 {
		t.Fatalf("only %d example charts", len(exports))
	}
	// The example charts are exported whether or not the corpus is there.
	if haveData(t, "openewld/OpenEWLD.tar.gz") {
		c := loadCorpus(t, "openewld")
		for _, i := range sample(c, false) {
			ch, err := Decoder{Source: path.Base(c.names[i])}.DecodeBytes(c.data[i])
			if err != nil {
				t.Fatal(err)
			}
			exports = append(exports, export{"export-" + path.Base(c.names[i]), ch})
		}
	}
	var jobs []msJob
	for k, ex := range exports {
		var buf bytes.Buffer
		if err := Encode(&buf, ex.chart); err != nil {
			t.Fatalf("%s: %v", ex.name, err)
		}
		in := filepath.Join(dir, fmt.Sprintf("export-%03d.musicxml", k))
		if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		base := strings.TrimSuffix(in, ".musicxml")
		jobs = append(jobs, msJob{In: in, Out: []string{base + ".pdf", base + ".mid"}})
	}
	logs := runMuseScore(t, bin, jobs)
	agree := 0
	var repeatRules []string
	for k, ex := range exports {
		job := jobs[k]
		for _, line := range strings.Split(logs[job.In], "\n") {
			if museScoreError(line) {
				t.Errorf("%s: MuseScore: %s", ex.name, line)
			}
		}
		pdf, err := os.ReadFile(job.Out[0])
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Errorf("%s: MuseScore wrote no PDF (%v)", ex.name, err)
		}
		mb, err := os.ReadFile(job.Out[1])
		if err != nil {
			t.Errorf("%s: MuseScore wrote no MIDI: %v", ex.name, err)
			continue
		}
		f, err := midi.DecodeBytes(mb)
		if err != nil {
			t.Errorf("%s: MuseScore's MIDI: %v", ex.name, err)
			continue
		}
		theirs := soundingNotes(midi.ToPiece(f, ex.name))
		// A chord chart is written as slashes, which MuseScore plays.
		written := withSlashes(ex.chart)
		on, _ := agreement(soundingNotes(written.Perform(1)), theirs)
		if !on && !hasJumps(ex.chart) {
			doc, _ := os.ReadFile(job.In)
			if rules, _ := agreement(soundingNotes(museScoreRepeats(written, bracketStops(doc))), theirs); rules {
				repeatRules = append(repeatRules, ex.name)
				continue
			}
		}
		why, listed := museScoreExportDifferences[strings.TrimPrefix(ex.name, "export-")]
		switch {
		case on && listed:
			t.Errorf("%s: listed (%s) but MuseScore plays our notes", ex.name, why)
		case on:
			agree++
		case !listed:
			t.Errorf("%s: MuseScore plays the exported score otherwise than Chart.Perform", ex.name)
		}
	}
	t.Logf("MuseScore rendered %d exported charts to PDF; %d play as Chart.Perform does, %d by MuseScore's repeat rules (%s)",
		len(exports), agree, len(repeatRules), strings.Join(repeatRules, ", "))
}

// museScoreError reports whether a line of MuseScore's log reports an
// error. MuseScore 3.2 reports church modes in key signatures, which
// MusicXML has and it does not read, as an error and goes on in major;
// that one is let pass.
func museScoreError(line string) bool {
	low := strings.ToLower(line)
	if strings.Contains(low, "unsupported mode") {
		return false
	}
	return strings.Contains(low, "error") || strings.Contains(low, "cannot") || strings.Contains(low, "failed") ||
		strings.Contains(low, "bad format") || strings.Contains(low, "beyond measure")
}
