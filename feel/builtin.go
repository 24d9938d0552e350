package feel

import (
	"bytes"
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"
)

// The built-in feels are small learned profiles, summary statistics only,
// made by `make feels` from the corpora (feel/learn's Recipes); NOTICE
// credits the corpora.
//
//go:embed builtin/*.feel
var builtinFS embed.FS

// Builtins lists the built-in feels, sorted by name.
func Builtins() []*Profile {
	entries, err := builtinFS.ReadDir("builtin")
	if err != nil {
		panic(err) // embedded at build time: cannot fail
	}
	var out []*Profile
	for _, e := range entries {
		p, err := builtin(e.Name())
		if err != nil {
			panic(err) // TestBuiltins keeps the embedded files readable
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func builtin(file string) (*Profile, error) {
	data, err := builtinFS.ReadFile(path.Join("builtin", file))
	if err != nil {
		return nil, err
	}
	p, err := Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("builtin/%s: %w", file, err)
	}
	return p, nil
}

// Builtin returns the built-in feel of that name.
func Builtin(name string) (*Profile, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, p := range Builtins() {
		if p.Name == name {
			return p, true
		}
	}
	return nil, false
}

// BuiltinNames are the names of the built-in feels.
func BuiltinNames() []string {
	var out []string
	for _, p := range Builtins() {
		out = append(out, p.Name)
	}
	return out
}
