package judge_test

import (
	"context"
	"fmt"
	"log"

	"sideman/improv/judge"
	"sideman/internal/tarfs"
	"sideman/music"
)

// A soloist is judged by one call: here one that plays the root of the
// chord on every beat of the lead.
func ExampleRun() {
	fsys, err := tarfs.Open("../shared/data/wjazzd/wjazzd-csv.tar.gz", tarfs.Limits{})
	if err != nil {
		log.Fatal(err)
	}
	defer fsys.Close()
	corpus, err := judge.Read(context.Background(), fsys)
	if err != nil {
		log.Fatal(err)
	}
	roots := judge.SoloistFunc(func(ctx context.Context, l judge.Lead) ([]music.Note, error) {
		var out []music.Note
		for t := l.Start; t < l.End; t += judge.TicksPerBeat {
			if c := l.ChordAt(t); !c.NoChord {
				out = append(out, music.Note{Pitch: uint8(60 + c.Root.PitchClass()), Start: t, Duration: judge.TicksPerBeat / 2})
			}
		}
		return out, nil
	})
	r, err := judge.Run(context.Background(), corpus, judge.Entrant{Name: "roots", Train: judge.Fixed(roots)}, judge.Options{Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(r) // the table of docs/model.md, "Judging a solo"
}
