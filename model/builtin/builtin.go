// Package builtin holds the style models built into sideman, so that a
// soloist has a model to play from without a corpus: the jazz model,
// learned from the 456 solos of the Weimar Jazz Database (Jazzomat
// Research Project, Hochschule für Musik Franz Liszt Weimar; Pfleiderer
// et al. (eds.), Inside the Jazzomat, 2017), a derived database offered
// under the Open Database License 1.0 as the database is (NOTICE).
//
// Each model is embedded as its model file (package model's format)
// compressed with gzip, and learned by its Recipe: `make models` learns
// it again from the corpus, and a test fails while the embedded file
// differs from what the recipe learns. Models learned from corpora whose
// licences forbid shipping them (the Nottingham tunes, GPL-3.0; the Bach
// chorales, CC BY-NC-SA) are never built in: `make models` writes them to
// the user's model folder.
package builtin

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"

	"sideman/model"
)

//go:embed jazz.model.gz
var jazz []byte

// Recipe says how a model is learned, as `sideman model learn --recipe
// NAME` learns it: the corpus (a path under the shared data folder), the
// viewpoints, the order (0 unbounded) and the pruning (0 none).
type Recipe struct {
	Name       string
	Corpus     string
	Viewpoints string
	Order      int
	Prune      int
	// Builtin is set for a model built into sideman; the others are
	// learned into the user's model folder, never shipped.
	Builtin bool
}

// Model is one built-in model.
type Model struct {
	// Name is what `--model` calls it.
	Name string
	// About says in a line what it learned, and its licence.
	About  string
	Recipe Recipe
	gz     []byte
}

// JazzViewpoints are the jazz model's viewpoints: pitch, the interval
// linked with the interval from the tonic, the interval from the tonic
// linked with the first note of the bar, and the two that read the chord
// (cpintfroot*dur, chordtone*cpint), which a soloist over changes needs.
// The default set's cpint*dur and cpint*posinbar are left out: they are
// the largest in the file, and without them the solos cost fewer bits,
// not more (docs/model.md, "Built-in models").
const JazzViewpoints = "cpitch,cpintfref*cpint,cpintfref*fib,cpintfroot*dur,chordtone*cpint"

// Recipes are the models `make models` learns: the jazz model, built in,
// and the folk (Nottingham, GPL-3.0) and chorale (Bach, CC BY-NC-SA 4.0)
// models, which their corpora's licences keep out of the binary, with
// the default configuration.
var Recipes = []Recipe{
	{Name: "jazz", Corpus: "wjazzd/wjazzd-csv.tar.gz", Viewpoints: JazzViewpoints, Order: 4, Builtin: true},
	{Name: "folk", Corpus: "nottingham/ABC_cleaned", Viewpoints: model.DefaultViewpoints},
	{Name: "chorales", Corpus: "bach-chorales/bach-370-chorales-kern.tar.gz", Viewpoints: model.DefaultViewpoints},
}

// FindRecipe is the recipe named name.
func FindRecipe(name string) (Recipe, bool) {
	for _, r := range Recipes {
		if r.Name == name {
			return r, true
		}
	}
	return Recipe{}, false
}

var models = []Model{{
	Name:   "jazz",
	About:  "456 jazz solos of the Weimar Jazz Database (78 performers), ODbL 1.0",
	Recipe: Recipes[0],
	gz:     jazz,
}}

// List is the built-in models, in the order `sideman model list` names
// them.
func List() []Model { return append([]Model(nil), models...) }

// Find is the built-in model named name.
func Find(name string) (Model, bool) {
	for _, m := range models {
		if m.Name == name {
			return m, true
		}
	}
	return Model{}, false
}

// File is the model file, as `sideman model learn` writes it: the
// embedded file inflated.
func (m Model) File() ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(m.gz))
	if err != nil {
		return nil, fmt.Errorf("builtin: %s: %w", m.Name, err)
	}
	data, err := io.ReadAll(io.LimitReader(zr, model.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("builtin: %s: %w", m.Name, err)
	}
	return data, nil
}

// Embedded is the size of the embedded (compressed) file in bytes: what
// the model adds to the binary.
func (m Model) Embedded() int { return len(m.gz) }

// Open decodes the model. Each call decodes it anew: the caller may
// learn into what it gets.
func (m Model) Open() (*model.Model, error) {
	data, err := m.File()
	if err != nil {
		return nil, err
	}
	return model.DecodeBytes(data)
}
