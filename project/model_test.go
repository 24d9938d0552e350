package project

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/internal/shareddata"
	"sideman/load"
	"sideman/model"
)

// fewChorales writes the first n chorales of the shared Bach archive to a
// folder of .krn files.
func fewChorales(t *testing.T, n int) string {
	t.Helper()
	return shareddata.Unpack(t, "bach-chorales/bach-370-chorales-kern.tar.gz", ".krn", n)
}

// readMelodies reads the soprano of every chorale in dir as package model
// reads it, without the application layer.
func readMelodies(t *testing.T, dir string) []model.Melody {
	t.Helper()
	var mels []model.Melody
	for d, err := range load.Collection(dir) {
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range d.Charts {
			m, err := model.FromChart(c, "")
			if err != nil {
				t.Fatal(err)
			}
			mels = append(mels, m)
		}
	}
	return mels
}

type pieceCounter struct {
	calls        int
	done, total  float64
	warnings     []Warning
	otherProgres bool
}

func (r *pieceCounter) Progress(task string, done, total float64) {
	if task != TaskPieces {
		r.otherProgres = true
		return
	}
	r.calls++
	r.done, r.total = done, total
}

func (r *pieceCounter) Warn(w Warning) { r.warnings = append(r.warnings, w) }

// A model learned through the project, read in batches and learned while
// the next is read, is the model package model learns from the same
// melodies at once: the same file to the byte.
func TestLearnModel(t *testing.T) {
	dir := fewChorales(t, 30)
	mels := readMelodies(t, dir)
	want, err := model.New(model.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mels {
		want.Learn(m)
	}
	var wantFile bytes.Buffer
	model.Encode(&wantFile, want)

	defer func(n int) { learnBatch = n }(learnBatch)
	for _, batch := range []int{50000, 150} { // one batch; a few pieces a batch
		learnBatch = batch
		r := &pieceCounter{}
		p := Project{Report: r}
		got, err := p.LearnModel(context.Background(), ModelOptions{Paths: []string{dir}})
		if err != nil {
			t.Fatal(err)
		}
		var gotFile bytes.Buffer
		model.Encode(&gotFile, got)
		if got.Pieces != len(mels) || got.Notes != want.Notes || !bytes.Equal(gotFile.Bytes(), wantFile.Bytes()) {
			t.Errorf("batches of %d notes: %d pieces, %d notes, file of %d bytes; want %d, %d, %d bytes the same", batch, got.Pieces, got.Notes, gotFile.Len(), len(mels), want.Notes, wantFile.Len())
		}
		if r.calls != len(mels)+1 || r.done != float64(len(mels)) || r.total != r.done {
			t.Errorf("progress: %d calls, last %v of %v; want %d calls, the last %d of %d", r.calls, r.done, r.total, len(mels)+1, len(mels), len(mels))
		}
	}
}

// Evaluation through the project is model's evaluation of the same
// melodies with the same options.
func TestEvalModel(t *testing.T) {
	dir := fewChorales(t, 30)
	mels := readMelodies(t, dir)
	var p Project
	cpitch, _ := model.ParseViewpoints("cpitch")
	for _, tc := range []struct {
		opt ModelEvalOptions
		cfg model.Config
		ev  model.Evaluation
	}{
		{ModelEvalOptions{ModelOptions: ModelOptions{Paths: []string{dir}, Viewpoints: "cpitch"}}, model.PitchOnly(), model.Evaluation{}},
		{ModelEvalOptions{ModelOptions: ModelOptions{Paths: []string{dir}}, Folds: 5, Ungrouped: true, Seed: 3}, model.DefaultConfig(), model.Evaluation{Folds: 5, Ungrouped: true, Seed: 3}},
	} {
		got, err := p.EvalModel(context.Background(), tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		tc.ev.Config = tc.cfg
		want, err := tc.ev.Run(context.Background(), mels)
		if err != nil {
			t.Fatal(err)
		}
		if got.Result != want || got.Pieces != 30 || got.Bits.Both <= 0 {
			t.Errorf("%+v: got %+v, model gives %+v", tc.opt, got, want)
		}
	}
	if len(cpitch) != 1 || len(model.PitchOnly().Viewpoints) != 1 || model.PitchOnly().Viewpoints[0].Name != cpitch[0].Name {
		t.Fatal("PitchOnly is no longer cpitch alone: the first case compares different models")
	}
}

func TestModelErrors(t *testing.T) {
	ctx := context.Background()
	dir := fewChorales(t, 4) // four pieces: too few for ten folds
	tmp := t.TempDir()
	empty := filepath.Join(tmp, "empty")
	os.Mkdir(empty, 0o755)
	junk := filepath.Join(tmp, "junk.model")
	os.WriteFile(junk, []byte("sideman modem\x01"), 0o644)
	var p Project
	for _, tc := range []struct {
		what string
		err  error
		want Kind
		name string
	}{
		{"unknown viewpoint", func() error {
			_, err := p.LearnModel(ctx, ModelOptions{Paths: []string{dir}, Viewpoints: "cpitch,pitchh"})
			return err
		}(), BadInput, "pitchh"},
		{"viewpoint without pitch", func() error {
			_, err := p.EvalModel(ctx, ModelEvalOptions{ModelOptions: ModelOptions{Paths: []string{dir}, Viewpoints: "dur"}})
			return err
		}(), BadInput, "dur"},
		{"empty folder", func() error { _, err := p.LearnModel(ctx, ModelOptions{Paths: []string{empty}}); return err }(), BadInput, "empty"},
		{"chords, no notes", func() error {
			_, err := p.LearnModel(ctx, ModelOptions{Paths: []string{"../examples/blues-f.chart"}})
			return err
		}(), BadInput, "no melody"},
		{"missing", func() error {
			_, err := p.LearnModel(ctx, ModelOptions{Paths: []string{filepath.Join(tmp, "none.krn")}})
			return err
		}(), NotFound, "none.krn"},
		{"no such voice", func() error { _, err := p.LearnModel(ctx, ModelOptions{Paths: []string{dir}, Voice: "7"}); return err }(), BadInput, "voice 7 of 4 parts"},
		{"too few titles", func() error {
			_, err := p.EvalModel(ctx, ModelEvalOptions{ModelOptions: ModelOptions{Paths: []string{dir}}})
			return err
		}(), BadInput, "fewer titles than folds"},
		{"one fold", func() error {
			_, err := p.EvalModel(ctx, ModelEvalOptions{ModelOptions: ModelOptions{Paths: []string{dir}}, Folds: 1})
			return err
		}(), BadInput, "folds"},
		{"not a model", func() error { _, err := p.OpenModel(ctx, junk); return err }(), BadInput, "not a sideman model"},
		{"no model", func() error { _, err := p.OpenModel(ctx, filepath.Join(tmp, "none.model")); return err }(), NotFound, "none.model"},
		{"folder without models", func() error { _, err := p.Models(ctx, []string{empty}); return err }(), BadInput, "holds no .model"},
	} {
		if tc.err == nil || KindOf(tc.err) != tc.want || !strings.Contains(tc.err.Error(), tc.name) || strings.Contains(tc.err.Error(), "\n") {
			t.Errorf("%s: %v, kind %v; want one line of kind %v naming %s", tc.what, tc.err, KindOf(tc.err), tc.want, tc.name)
		}
	}
	_, err := p.LearnModel(ctx, ModelOptions{Paths: []string{dir}, Viewpoints: "cpitch,pitchh"})
	if !errors.Is(err, model.ErrViewpoint) {
		t.Errorf("%v does not wrap model.ErrViewpoint", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := p.LearnModel(cancelled, ModelOptions{Paths: []string{dir}}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// Pieces without the voice asked for are skipped and reported, the rest
// learned; a piece without a title is titled by its file, so that two
// untitled pieces are not one tune to the folds.
func TestModelSkipsAndTitles(t *testing.T) {
	ctx := context.Background()
	dir := fewChorales(t, 3)
	var p Project
	perf, err := p.Play(ctx, "../examples/blues-f.chart", PlayOptions{Choruses: 1})
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "band.mid"), perf.EncodeMIDI)
	r := &pieceCounter{}
	p.Report = r
	m, err := p.LearnModel(ctx, ModelOptions{Paths: []string{dir}, Voice: "soprano"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Pieces != 3 || len(r.warnings) != 1 || len(r.warnings[0].Skipped) != 1 || !strings.Contains(r.warnings[0].Skipped[0].Error(), "band.mid") {
		t.Errorf("%d pieces, warnings %+v; want the 3 chorales, band.mid skipped", m.Pieces, r.warnings)
	}

	// Two untitled pieces: each titled by its file.
	perf.Piece.Title = ""
	write(t, filepath.Join(dir, "band.mid"), perf.EncodeMIDI)
	write(t, filepath.Join(dir, "band2.mid"), perf.EncodeMIDI)
	var titles []string
	p.Report = nil
	err = p.melodies(ctx, ModelOptions{Paths: []string{dir}, Voice: "bottom"}, func(m model.Melody) { titles = append(titles, m.Title) })
	if err != nil {
		t.Fatal(err)
	}
	if len(titles) != 5 || titles[0] != filepath.Join(dir, "band.mid") || titles[1] != filepath.Join(dir, "band2.mid") {
		t.Errorf("titles %q: want the two MIDI files' names, then the chorales' titles", titles)
	}
	for _, title := range titles {
		if title == "" {
			t.Errorf("an untitled piece in %q", titles)
		}
	}
}

// Models lists the model files given, a folder's in name order, each
// with what it learned.
func TestModels(t *testing.T) {
	ctx := context.Background()
	dir := fewChorales(t, 5)
	var p Project
	m, err := p.LearnModel(ctx, ModelOptions{Paths: []string{dir}, Viewpoints: "cpitch, cpint"})
	if err != nil {
		t.Fatal(err)
	}
	models := t.TempDir()
	for _, name := range []string{"b.model", "a.model"} {
		write(t, filepath.Join(models, name), func(w io.Writer) error { return model.Encode(w, m) })
	}
	os.WriteFile(filepath.Join(models, "notes.txt"), []byte("not a model"), 0o644)
	infos, err := p.Models(ctx, []string{models, filepath.Join(models, "b.model")})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range infos {
		names = append(names, in.Name)
		if in.Builtin {
			continue
		}
		if in.Pieces != 5 || in.Notes != m.Notes || strings.Join(in.Viewpoints, ",") != "cpitch,cpint" || len(in.Hash) != 64 || in.Hash != infos[1].Hash {
			t.Errorf("%+v: want 5 pieces, %d notes, cpitch and cpint, the hash of the same file", in, m.Notes)
		}
	}
	// The built-in models first.
	if strings.Join(names, " ") != "jazz a b b" || !infos[0].Builtin || infos[1].Builtin {
		t.Errorf("models %q, want jazz (built in), a b b", names)
	}
}

// LoadModel finds a built-in model by name, a model of the user's folder
// by name, and a model file by path; the hash is the SHA-256 of the
// file's bytes; an unknown name is NotFound naming the models there are.
func TestLoadModel(t *testing.T) {
	ctx := context.Background()
	dir := fewChorales(t, 5)
	p := Project{ModelDir: t.TempDir()}
	m, err := p.LearnModel(ctx, ModelOptions{Paths: []string{dir}, Viewpoints: "cpitch", Order: 2})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(p.ModelDir, "bach.model")
	write(t, file, func(w io.Writer) error { return model.Encode(w, m) })
	data, _ := os.ReadFile(file)
	sum := sha256.Sum256(data)

	_, jazz, err := p.LoadModel(ctx, "jazz")
	if err != nil || !jazz.Builtin || jazz.Name != "jazz" || jazz.Pieces != 456 || len(jazz.Hash) != 64 || jazz.Path != "" {
		t.Errorf("jazz: %+v, %v; want the built-in model of 456 solos", jazz, err)
	}
	for _, name := range []string{"bach", file} {
		got, info, err := p.LoadModel(ctx, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if info.Builtin || info.Name != "bach" || info.Path != file || info.Hash != hex.EncodeToString(sum[:]) || info.Order != 2 || got.Notes != m.Notes {
			t.Errorf("%s: %+v; want bach at %s, order 2, hash of its bytes", name, info, file)
		}
	}
	_, _, err = p.LoadModel(ctx, "bebop")
	var e *Error
	if !errors.As(err, &e) || e.Kind != NotFound || !strings.Contains(err.Error(), "jazz, bach") {
		t.Errorf("unknown model: %v; want NotFound naming jazz and bach", err)
	}
}
