package main

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"sideman/band/analyze"
	"sideman/music"
	"sideman/project"
)

func init() {
	register("analyze", command{
		summary: "measure a band in a MIDI file against its chart: bass chord tones and steps, comping voicings, limits",
		usage:   "sideman analyze FILE.mid [--chart CHART] [--tune TITLE] [--transpose KEY] [--choruses N] [--json]",
		examples: []string{
			"sideman analyze blues.mid --chart examples/blues-f.chart --json",
			`sideman analyze autumn.mid --chart JazzStandards.json --tune "Autumn Leaves" --transpose Bbm`,
		},
		run: analyzeCmd,
	})
}

func analyzeCmd(args []string, stdout, errs io.Writer) error {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	chartPath := fs.String("chart", "", "the chart the band played (any chart format sideman reads)")
	tune := fs.String("tune", "", "pick one tune of the chart file by title or index")
	transpose := fs.String("transpose", "", "the key the band played the chart in, as sideman band --transpose")
	choruses := fs.Int("choruses", 0, "choruses played, 1 to 256 (default: from the file's length)")
	asJSON := fs.Bool("json", false, "print the metrics as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"want one MIDI file"}
	}
	if *choruses < 0 || *choruses > 256 {
		return usageError{"--choruses must be 1 to 256 (0 or none: from the file's length)"}
	}
	opt := project.AnalyzeOptions{Chart: *chartPath, Tune: *tune, Choruses: *choruses}
	if *transpose != "" {
		tr, err := music.ParseTransposition(*transpose)
		if err != nil {
			return usageError{fmt.Sprintf("--transpose: %v", err)}
		}
		opt.Transpose = &tr
	}
	proj, _ := newProject(errs)
	r, err := proj.Analyze(ctx, pos[0], opt)
	if err != nil {
		return hint(err, "make a band's notes with sideman band")
	}
	if *asJSON {
		return writeJSON(stdout, r)
	}
	printReport(stdout, r)
	return nil
}

func printReport(w io.Writer, r *analyze.Report) {
	pct := func(x float64, n int) string { return fmt.Sprintf("%5.1f%% of %d", 100*x, n) }
	var parts []string
	for _, role := range sortedKeys(r.Parts) {
		parts = append(parts, role+": "+r.Parts[role])
	}
	fmt.Fprintf(w, "%s: %d bars, %d choruses (%s)\n", r.Title, r.Bars, r.Choruses, strings.Join(parts, ", "))
	fmt.Fprintf(w, "bass\n")
	fmt.Fprintf(w, "  chord tones on beat 1   %s bars\n", pct(r.BassChordToneRateBeat1, r.N.BassBeat1))
	fmt.Fprintf(w, "  roots on beat 1         %s bars\n", pct(r.BassRootRateBeat1, r.N.BassBeat1))
	fmt.Fprintf(w, "  steps (2 semitones)     %s intervals\n", pct(r.BassStepShare, r.N.BassIntervals))
	var ivs []int
	for k := range r.BassIntervalHistogram {
		ivs = append(ivs, k)
	}
	sort.Ints(ivs)
	var hist []string
	for _, k := range ivs {
		if v := r.BassIntervalHistogram[k]; v >= 0.01 {
			hist = append(hist, fmt.Sprintf("%+d %.0f%%", k, 100*v))
		}
	}
	fmt.Fprintf(w, "  intervals               %s\n", strings.Join(hist, ", "))
	var app []string
	for _, a := range analyze.ApproachTypes {
		app = append(app, fmt.Sprintf("%s %.0f%%", strings.ReplaceAll(a, "_", " "), 100*r.BassApproachTypes[a]))
	}
	fmt.Fprintf(w, "  approach notes          %s (%d changes)\n", strings.Join(app, ", "), r.N.BassApproaches)
	if r.BassRange != nil {
		fmt.Fprintf(w, "  range                   %s..%s (%d..%d)\n", music.PitchFromMIDI(r.BassRange.Low, true), music.PitchFromMIDI(r.BassRange.High, true), r.BassRange.Low, r.BassRange.High)
	}
	fmt.Fprintf(w, "comping\n")
	fmt.Fprintf(w, "  guide tones             %s voicings\n", pct(r.CompingGuideToneShare, r.N.GuideToneVoicings))
	fmt.Fprintf(w, "  voice movement          %.2f semitones a voice (%d moves)\n", r.CompingVoiceMovementMean, r.N.VoiceMoves)
	fmt.Fprintf(w, "  low-interval violations %d in %d voicings\n", r.LowIntervalViolations, r.N.Voicings)
	fmt.Fprintf(w, "  minor 9th violations    %d\n", r.MinorNinthViolations)
	fmt.Fprintf(w, "  repeated 2-bar cells    %d of %d windows\n", r.RepeatedTwoBarCells, r.N.TwoBarWindows)
	fmt.Fprintf(w, "register violations       %d (bass %d, piano %d)\n", r.RegisterViolations, r.RegisterViolationsByRole["bass"], r.RegisterViolationsByRole["piano"])
	var npb []string
	for _, k := range sortedKeys(r.NotesPerBar) {
		npb = append(npb, fmt.Sprintf("%s %.1f", k, r.NotesPerBar[k]))
	}
	fmt.Fprintf(w, "notes per bar             %s\n", strings.Join(npb, ", "))
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
