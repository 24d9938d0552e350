package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"sideman/band"
	"sideman/internal/output"
	"sideman/music"
	"sideman/project"
)

func init() {
	register("band", command{
		summary: "play a chart with a band (bass, piano, drums) in a style, to MIDI; CHART may be a MIDI file: the band plays over the chords heard in its notes (its key and meter too), not its notes",
		usage: "sideman band CHART [--tune TITLE] [--style NAME|FILE] [--tempo BPM] [--choruses N] [--transpose KEY|±N] " +
			"[--intro] [--ending] [--melody head|all|off] [--mute bass,piano,drums] [--level ROLE=DB,...] [--count-in BARS] [--loop FIRST-LAST [--repeat N]] [--ramp BPM] [--feel NAME|FILE|none] [--seed N] -o OUT.mid [--wav OUT.wav] [--soundfont SF2] [--json]" +
			"\n       sideman band COLLECTION --all -o DIR/ [the flags above but --tune, --wav and --json]",
		examples: []string{
			"sideman band examples/blues-f.chart --choruses 3 --intro --ending -o blues.mid",
			"sideman band examples/bossa-d.chart --style bossa-nova --tempo 132 --mute piano -o bossa.mid --wav bossa.wav",
			`sideman band ../shared/data/jazz-standards/JazzStandards.json --tune "Autumn Leaves" --transpose Bbm --feel none -o autumn.mid`,
			"sideman band examples/waltz-f.chart --json   # what the band would play, as JSON",
			"sideman band my-tune.mid --style bossa-nova -o bossa.mid   # a MIDI file: a band over the chords heard in it",
			"sideman band examples/blues-f.chart --count-in 2 --loop 9-12 --repeat 8 --ramp +4 --level bass=-6 -o practice.mid   # practise the turnaround",
			"sideman band ../shared/data/jazz-standards/JazzStandards.json --all --feel none -o standards/   # every tune, one MIDI file each: standards/0098-Autumn-Leaves.mid...",
		},
		run: playBand,
	})
	register("styles", command{
		summary:  "list the built-in band styles, one a line, name first",
		usage:    "sideman styles",
		examples: []string{"sideman styles"},
		run:      listStyles,
	})
}

// bandFlags are the flags of `sideman band`, shared with commands that
// play a band.
type bandFlags struct {
	tune, style, transpose, mute, out string
	feel                              string // humanize: a feel name, file or none; default the style's
	melody                            string // the head: head, all or off; "" is head when the chart has a melody
	wav, soundfont                    string // audio: render.WAV through the SoundFont
	tempo, choruses                   int
	intro, ending                     bool
	countIn, repeat, ramp             int    // practice: band.Options.CountIn, Repeat, Ramp
	loop, level                       string // practice: --loop 9-16, --level bass=-6,drums=+2
	seed                              int64
	json                              bool // --json: the summary on stdout
}

func (f *bandFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.tune, "tune", "", "pick one tune by title or index")
	fs.StringVar(&f.style, "style", "", "style name (see sideman styles) or a .style file; default: from the chart, else medium swing")
	fs.IntVar(&f.tempo, "tempo", 0, "tempo in beats per minute, 20 to 400 (default: the chart's, else the style's)")
	fs.IntVar(&f.choruses, "choruses", 1, "1 to 64 choruses of the form")
	fs.StringVar(&f.transpose, "transpose", "", "key to play in, keeping the tune's mode (Bb: a minor tune plays in Bb minor), or semitones (+2, -3)")
	fs.BoolVar(&f.intro, "intro", false, "play the last bars as an intro")
	fs.BoolVar(&f.ending, "ending", false, "end with a tag and a final chord")
	fs.StringVar(&f.mute, "mute", "", "roles to leave out, comma-separated: bass,piano,guitar,drums")
	fs.StringVar(&f.level, "level", "", "each role's level in dB, by channel volume: bass=-6,drums=+2")
	fs.IntVar(&f.countIn, "count-in", 0, "bars of hi-hat count-in, one stroke a beat, before the band comes in: 0 to 16")
	fs.StringVar(&f.loop, "loop", "", "play these bars of the chart as written, numbered from 1, on a loop: 9-16")
	fs.IntVar(&f.repeat, "repeat", 0, "times round the --loop, 1 to 256 (default 4)")
	fs.IntVar(&f.ramp, "ramp", 0, "beats per minute added each chorus, or each time round the --loop: +4 (the last chorus stays within 20 to 400)")
	fs.Int64Var(&f.seed, "seed", 1, "random seed, any whole number: same seed, same band")
	fs.StringVar(&f.feel, "feel", "", "human feel: a built-in (sideman feel list), a .feel file, or none for the grid; default: the style's")
	fs.StringVar(&f.melody, "melody", "", "a lead sheet's melody with the band: head (first and last chorus), all (every chorus) or off; default: head when the chart has one")
	fs.StringVar(&f.out, "o", "", "MIDI file to write (.mid), a score for notation programs (.musicxml: the band on the grid, before the feel) or a WAV (.wav, as --wav); - is stdout (MIDI)")
	fs.BoolVar(&f.json, "json", false, "print what the band plays (style and why, tempo, key, meter, feel, choruses, bars, seconds) as one JSON object on stdout")
	fs.StringVar(&f.wav, "wav", "", "WAV file to write (.wav), rendered through a SoundFont; - is stdout")
	fs.StringVar(&f.soundfont, "soundfont", "", "SoundFont (.sf2) for --wav"+soundFontFlag)
}

// options reads the flags into the options of project.Play; the project
// checks them against the chart.
func (f *bandFlags) options() (project.PlayOptions, error) {
	if f.choruses < 1 || f.choruses > 64 {
		return project.PlayOptions{}, usageError{"--choruses must be 1 to 64"}
	}
	if f.tempo != 0 && (f.tempo < 20 || f.tempo > 400) {
		return project.PlayOptions{}, usageError{"--tempo must be 20 to 400"}
	}
	opt := project.PlayOptions{Tune: f.tune, Style: f.style, Tempo: f.tempo, Choruses: f.choruses, Intro: f.intro, Ending: f.ending, Feel: f.feel, Seed: f.seed}
	if f.transpose != "" {
		tr, err := music.ParseTransposition(f.transpose)
		if err != nil {
			return opt, usageError{fmt.Sprintf("--transpose: %v", err)}
		}
		opt.Transpose = &tr
	}
	for _, r := range strings.Split(f.mute, ",") {
		if r = strings.TrimSpace(r); r != "" {
			opt.Mute = append(opt.Mute, r)
		}
	}
	if f.melody != "" {
		h, err := band.ParseHeads(f.melody)
		if err != nil {
			return opt, usageError{fmt.Sprintf("--melody %v", err)}
		}
		opt.Melody = &h
	}
	return opt, f.practice(&opt)
}

// perform plays the chart with the band the flags describe.
func (f *bandFlags) perform(proj *project.Project, pos []string) (*project.Performance, error) {
	if len(pos) != 1 {
		return nil, usageError{"want one CHART"}
	}
	opt, err := f.options()
	if err != nil {
		return nil, err
	}
	return proj.Play(ctx, pos[0], opt)
}

func playBand(args []string, out, errs io.Writer) error {
	fs := flag.NewFlagSet("band", flag.ContinueOnError)
	var pf projectFlags
	pf.register(fs)
	var f bandFlags
	f.register(fs)
	all := fs.Bool("all", false, "play every tune of a collection (JazzStandards, an ABC book, a playlist, a folder) into the folder -o names, made if missing: one MIDI file a tune, NNN-title.mid")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *all {
		if err := pf.refuseAll(); err != nil {
			return err
		}
		return f.playAll(pos, errs)
	}
	if f.out == "" && f.wav == "" && !f.json {
		return usageError{"want -o OUT.mid or --wav OUT.wav"}
	}
	if f.json && (f.out == "-" || f.wav == "-") {
		return usageError{"--json writes to stdout: write the MIDI or WAV to a file (-o OUT.mid), not -"}
	}
	score, wav, err := f.outputs(pos)
	if err != nil {
		return err
	}
	proj, report := newProject(errs)
	if err := pf.attach(proj); err != nil {
		return err
	}
	perf, err := f.perform(proj, pos)
	if err != nil {
		return err
	}
	if f.json {
		if err := json.NewEncoder(out).Encode(perf.Summary); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(errs, perf.Summary)
	}
	if score != nil {
		write := perf.EncodeMIDI
		if score.Format == output.MusicXML {
			write = perf.EncodeScore
		}
		if err := writeTo(score, out, write); err != nil {
			return err
		}
	}
	if wav != nil {
		return writeWAV(wav, out, report, proj.RenderPiece(pos[0], perf.Piece), f.soundfont, false)
	}
	return nil
}

// outputs checks -o and --wav before the band plays: -o writes MIDI, a
// MusicXML score or, named .wav, the WAV --wav writes; none may be an
// input (the chart, a .style or .feel file, the SoundFont).
func (f *bandFlags) outputs(pos []string) (score, wav *output.Target, err error) {
	inputs := append([]string{f.style, f.feel, f.soundfont}, pos...)
	if f.out != "" {
		if score, err = outputTo(f.out, []output.Format{output.MIDI, output.MusicXML, output.WAV}, inputs...); err != nil {
			return nil, nil, err
		}
	}
	if f.wav != "" {
		if wav, err = outputTo(f.wav, []output.Format{output.WAV}, inputs...); err != nil {
			return nil, nil, err
		}
	}
	if score != nil && score.Format == output.WAV {
		if wav != nil {
			return nil, nil, usageError{"-o " + f.out + " and --wav " + f.wav + ": one WAV at a time"}
		}
		score, wav = nil, score
	}
	if f.out == "-" && f.wav == "-" {
		return nil, nil, usageError{"-o - and --wav -: one output on stdout"}
	}
	return score, wav, nil
}

func listStyles(args []string, out, _ io.Writer) error {
	if len(args) != 0 {
		return usageError{"styles takes no arguments"}
	}
	for _, s := range band.Styles() {
		fmt.Fprintf(out, "%s\t%s\n", s.Name, s.Description)
	}
	return nil
}

// practice reads the practice flags into the options; the band checks
// them against the chart.
func (f *bandFlags) practice(opt *project.PlayOptions) error {
	opt.CountIn, opt.Ramp = f.countIn, f.ramp
	if f.level != "" {
		l, err := band.ParseLevels(f.level)
		if err != nil {
			return usageError{"--level " + err.Error()}
		}
		opt.Levels = l
	}
	if f.loop == "" {
		if f.repeat != 0 {
			return usageError{"--repeat goes with --loop; --choruses repeats the whole form"}
		}
		return nil
	}
	r, err := band.ParseBarRange(f.loop)
	if err != nil {
		return usageError{"--loop " + err.Error()}
	}
	if f.choruses != 1 || f.intro || f.ending {
		return usageError{"--loop plays the bars --repeat times, with no --choruses, --intro or --ending"}
	}
	opt.Loop, opt.Repeat = r, f.repeat
	if opt.Repeat == 0 {
		opt.Repeat = 4
	}
	return nil
}

// playAll is band --all: every tune of a collection, each to its own MIDI
// file in a folder, the tunes the band cannot play reported and skipped
// (exit status 2, the others written).
func (f *bandFlags) playAll(pos []string, errs io.Writer) error {
	switch {
	case len(pos) != 1:
		return usageError{"want one COLLECTION"}
	case f.out == "" || f.out == "-":
		return usageError{"--all writes a file for each tune: name a folder with -o DIR/"}
	case f.tune != "":
		return usageError{"--all plays every tune: no --tune"}
	case f.wav != "" || f.json:
		return usageError{"--all writes MIDI files: no --wav or --json"}
	}
	if _, ok := output.FormatOf(f.out); ok && !isDir(f.out) {
		return usageError{"--all writes a folder of files: -o " + f.out + " names a file; name a folder (-o DIR/)"}
	}
	opt, err := f.options()
	if err != nil {
		return err
	}
	proj, report := newProject(errs)
	proj.Report = &tunesReporter{reporter: report}
	b, err := proj.PlayAll(ctx, pos[0], project.PlayAllOptions{PlayOptions: opt, Dir: f.out})
	if b != nil {
		fmt.Fprintf(errs, "sideman: band --all: %d of %d tunes written to %s\n", b.Played, b.Tunes, f.out)
	}
	return err
}

func isDir(name string) bool {
	st, err := os.Stat(name)
	return err == nil && st.IsDir()
}

// tunesReporter prints the progress of band --all: a line at each tenth
// of the tunes, for a collection of 20 tunes or more.
type tunesReporter struct {
	*reporter
	tenths int // the tenths printed
}

func (r *tunesReporter) Progress(task string, done, total float64) {
	if task != project.TaskTunes {
		r.reporter.Progress(task, done, total)
		return
	}
	if t := int(10 * done / total); total >= 20 && t > r.tenths && t < 10 {
		r.tenths = t
		fmt.Fprintf(r.errs, "sideman: band --all: %.0f of %.0f tunes\n", done, total)
	}
}
