package project

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// tree makes dir/a/b/c and returns the deepest.
func tree(t *testing.T, dir string) string {
	t.Helper()
	deep := filepath.Join(dir, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	return deep
}

func wantRoot(t *testing.T, start, want string) {
	t.Helper()
	got, err := FindRoot(start)
	if err != nil || got != want {
		t.Errorf("FindRoot(%s) = %q, %v; want %q", start, got, err, want)
	}
}

func TestFindRootNested(t *testing.T) {
	root := filepath.Join(t.TempDir(), "song")
	deep := tree(t, root)
	got, err := Init(root)
	if err != nil || got != root {
		t.Fatalf("Init = %q, %v", got, err)
	}
	if fi, err := os.Stat(filepath.Join(root, MarkerDir)); err != nil || !fi.IsDir() {
		t.Fatalf("no %s folder after Init: %v", MarkerDir, err)
	}
	for _, start := range []string{root, filepath.Join(root, "a"), deep, filepath.Join(deep, "..", "..")} {
		wantRoot(t, start, root)
	}
	file := filepath.Join(deep, "take1.mid")
	os.WriteFile(file, []byte("MThd"), 0o644)
	wantRoot(t, file, root)
	t.Chdir(deep)
	wantRoot(t, ".", root)
	wantRoot(t, "..", root)

	// The nearest project wins: a folder beside the project is none,
	// and a project's marker is found only at or above.
	if _, err := FindRoot(filepath.Dir(root)); !errors.Is(err, ErrNoProject) {
		t.Errorf("FindRoot above the project: %v, want ErrNoProject", err)
	}
}

func TestFindRootNone(t *testing.T) {
	dir := t.TempDir()
	deep := tree(t, dir)
	_, err := FindRoot(deep)
	if !errors.Is(err, ErrNoProject) || KindOf(err) != NotFound {
		t.Fatalf("FindRoot outside any project: %v (kind %v), want ErrNoProject, not found", err, KindOf(err))
	}
	oneLine(t, err, deep)
	// A .sideman that is a file marks nothing.
	os.WriteFile(filepath.Join(dir, "a", MarkerDir), nil, 0o644)
	if _, err := FindRoot(deep); !errors.Is(err, ErrNoProject) {
		t.Errorf("a %s file taken for a project: %v", MarkerDir, err)
	}
	missing := filepath.Join(dir, "nope")
	_, err = FindRoot(missing)
	if KindOf(err) != NotFound || errors.Is(err, ErrNoProject) {
		t.Errorf("FindRoot of a missing folder: %v (kind %v)", err, KindOf(err))
	}
	oneLine(t, err, missing)
}

// TestFindRootMovedOrCopied: a project moved, or copied with cp -r, is
// found from inside at its new place, the copy apart from the original.
func TestFindRootMovedOrCopied(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "song")
	tree(t, root)
	if _, err := Init(root); err != nil {
		t.Fatal(err)
	}
	moved := filepath.Join(base, "elsewhere", "song2")
	os.MkdirAll(filepath.Dir(moved), 0o755)
	if err := os.Rename(root, moved); err != nil {
		t.Fatal(err)
	}
	wantRoot(t, filepath.Join(moved, "a", "b", "c"), moved)
	cp, err := exec.LookPath("cp")
	if err != nil {
		t.Fatal("cp not found")
	}
	copied := filepath.Join(base, "copy")
	if out, err := exec.Command(cp, "-r", moved, copied).CombinedOutput(); err != nil {
		t.Fatalf("cp -r: %v %s", err, out)
	}
	wantRoot(t, filepath.Join(copied, "a", "b"), copied)
	wantRoot(t, filepath.Join(moved, "a", "b"), moved)
}

// TestFindRootSymlinks: a link into a project finds it (resolved), and a
// link inside a project to a folder outside it keeps it (as given).
func TestFindRootSymlinks(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "song")
	deep := tree(t, root)
	if _, err := Init(root); err != nil {
		t.Fatal(err)
	}
	into := filepath.Join(base, "shortcut")
	if err := os.Symlink(deep, into); err != nil {
		t.Fatal(err)
	}
	wantRoot(t, into, root)
	outside := filepath.Join(base, "samples", "drums")
	os.MkdirAll(outside, 0o755)
	link := filepath.Join(root, "samples")
	if err := os.Symlink(filepath.Dir(outside), link); err != nil {
		t.Fatal(err)
	}
	wantRoot(t, filepath.Join(link, "drums"), root)
	// The folder outside, reached by its own path, is in no project.
	if _, err := FindRoot(outside); !errors.Is(err, ErrNoProject) {
		t.Errorf("FindRoot(%s): %v, want ErrNoProject", outside, err)
	}
	// A symlinked project root: the link's path is the root.
	alias := filepath.Join(base, "alias")
	os.Symlink(root, alias)
	wantRoot(t, filepath.Join(alias, "a"), alias)
}

func TestInitRefuses(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "song")
	deep := tree(t, root)
	if _, err := Init(root); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{root, deep} {
		_, err := Init(dir)
		if !errors.Is(err, ErrInProject) || KindOf(err) != BadInput {
			t.Errorf("Init inside a project (%s): %v, want ErrInProject, bad input", dir, err)
		}
		oneLine(t, err, dir)
		if err != nil && !strings.Contains(err.Error(), root) {
			t.Errorf("error %q does not name the project at %s", err, root)
		}
	}
	if _, err := os.Stat(filepath.Join(deep, MarkerDir)); err == nil {
		t.Error("a refused Init left a marker")
	}
	file := filepath.Join(base, "notes.txt")
	os.WriteFile(file, []byte("x"), 0o644)
	_, err := Init(file)
	oneLine(t, err, file)
	if err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("Init over a file: %v", err)
	}
	other := filepath.Join(base, "other")
	os.MkdirAll(other, 0o755)
	marker := filepath.Join(other, MarkerDir)
	os.WriteFile(marker, []byte("x"), 0o644)
	_, err = Init(other)
	oneLine(t, err, marker)
	if b, _ := os.ReadFile(marker); string(b) != "x" {
		t.Error("Init changed a .sideman file it refused")
	}
}

// TestInitCreates: Init makes a missing folder, leaves no temporary
// folder, and returns an absolute root from a relative path.
func TestInitCreates(t *testing.T) {
	base := t.TempDir()
	t.Chdir(base)
	got, err := Init(filepath.Join("new", "tune"))
	want := filepath.Join(base, "new", "tune")
	if err != nil || got != want {
		t.Fatalf("Init(new/tune) = %q, %v; want %q", got, err, want)
	}
	ents, _ := os.ReadDir(want)
	if len(ents) != 1 || ents[0].Name() != MarkerDir || !ents[0].IsDir() {
		t.Errorf("project folder holds %v, want %s alone", ents, MarkerDir)
	}
}

func oneLine(t *testing.T, err error, name string) {
	t.Helper()
	if err == nil {
		t.Errorf("no error about %s", name)
		return
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, name) {
		t.Errorf("error %q: want one line naming %s", msg, name)
	}
}
