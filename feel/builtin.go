package feel

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
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

// decoded holds each built-in feel decoded once, on first use, by file
// name: a command that plays one feel decodes only that one (14 to 148 KB
// of JSON each), and a process that plays many tunes decodes it once.
var decoded sync.Map // file name → func() (*Profile, error)

// builtin returns the built-in feel in file, decoded once and shared: the
// profile is read-only to its callers (Humanize only reads it).
func builtin(file string) (*Profile, error) {
	f, _ := decoded.LoadOrStore(file, sync.OnceValues(func() (*Profile, error) { return decodeBuiltin(file) }))
	return f.(func() (*Profile, error))()
}

func decodeBuiltin(file string) (*Profile, error) {
	data, err := builtinFS.ReadFile(path.Join("builtin", file))
	if err != nil {
		return nil, err
	}
	// Not checked here: Decode checks every built-in in TestReadProfile
	// and TestBuiltinsRead, and the embedded bytes cannot change after.
	p, err := readProfile(data)
	if err != nil {
		return nil, fmt.Errorf("builtin/%s: %w", file, err)
	}
	return p, nil
}

// Builtin returns the built-in feel of that name (its file is the name
// with .feel, as TestBuiltinNames keeps it), decoding only that one. The
// profile is shared: read it, do not change it.
func Builtin(name string) (*Profile, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" || strings.ContainsAny(name, "/\\.") {
		return nil, false
	}
	if _, err := fs.Stat(builtinFS, path.Join("builtin", name+".feel")); err != nil {
		return nil, false
	}
	p, err := builtin(name + ".feel")
	if err != nil {
		panic(err) // TestBuiltins keeps the embedded files readable
	}
	return p, true
}

// BuiltinNames are the names of the built-in feels.
func BuiltinNames() []string {
	var out []string
	for _, p := range Builtins() {
		out = append(out, p.Name)
	}
	return out
}
