package project

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"sideman/store/sqlite"
)

// MarkerDir is the folder that makes a folder a project's root: it holds
// the project's ledger (issue 16). Everything in it is relative to the
// root, so a project moved or copied whole (cp -r) is still one.
const MarkerDir = ".sideman"

// ErrNoProject says that no folder at or above a start holds MarkerDir:
// work there is outside any project, and records nothing.
var ErrNoProject = errors.New("not inside a sideman project (no " + MarkerDir + " folder here or above; sideman init makes one)")

// ErrInProject says that Init was asked for a folder at or inside an
// existing project.
var ErrInProject = errors.New("already inside a sideman project")

// FindRoot is the project that start is in: the nearest folder at or
// above start holding a MarkerDir folder. It walks the path as given
// (made absolute), as the musician sees it, then, when that finds none,
// the path with its symbolic links resolved, so that a link into a
// project finds it and a link out of one keeps it. With none, the error
// is a NotFound Error naming start that wraps ErrNoProject.
func FindRoot(start string) (string, error) {
	abs, err := filepath.Abs(start)
	if err != nil {
		return "", &Error{Internal, start, err}
	}
	if fi, err := os.Stat(abs); err != nil {
		return "", &Error{NotFound, start, pathError(err)}
	} else if !fi.IsDir() {
		abs = filepath.Dir(abs) // a file: the project of its folder
	}
	if root, ok := walkUp(abs); ok {
		return root, nil
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil && real != abs {
		if root, ok := walkUp(real); ok {
			return root, nil
		}
	}
	return "", &Error{NotFound, start, ErrNoProject}
}

// walkUp is the nearest folder at or above dir (absolute, clean) holding
// a MarkerDir folder. A MarkerDir that is not a folder, or cannot be
// looked at, marks nothing.
func walkUp(dir string) (string, bool) {
	for {
		if isMarker(filepath.Join(dir, MarkerDir)) {
			return dir, true
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", false
		}
		dir = up
	}
}

func isMarker(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// Init makes dir a project: it creates dir when missing, then
// dir/.sideman, whole or not at all (made under a temporary name, filled
// by initStore, then renamed). It refuses, with one line naming dir, a
// dir that is not a folder, a dir at or inside an existing project
// (ErrInProject, naming that project's root), and a .sideman that is
// there but not a folder. It returns the project's root, absolute.
func Init(dir string) (string, error) { return initWith(dir, initStore) }

// initWith is Init with the hook that fills the marker folder.
func initWith(dir string, initStore func(string) error) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", &Error{Internal, dir, err}
	}
	if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
		return "", &Error{BadInput, dir, errors.New("is not a folder")}
	}
	marker := filepath.Join(abs, MarkerDir)
	if fi, err := os.Lstat(marker); err == nil && !fi.IsDir() {
		return "", &Error{BadInput, marker, errors.New("is there and is not a folder; move it away to make a project here")}
	}
	if root, err := FindRoot(abs); err == nil {
		return "", &Error{BadInput, dir, fmt.Errorf("%w at %s", ErrInProject, root)}
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return "", &Error{BadInput, dir, pathError(err)}
	}
	tmp, err := os.MkdirTemp(abs, MarkerDir+"-init-")
	if err != nil {
		return "", &Error{BadInput, dir, pathError(err)}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := initStore(tmp); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, marker); err != nil {
		os.RemoveAll(tmp)
		if errors.Is(err, fs.ErrExist) || isMarker(marker) {
			// Another init won the race: that project stands.
			return "", &Error{BadInput, dir, fmt.Errorf("%w at %s", ErrInProject, abs)}
		}
		return "", &Error{BadInput, dir, pathError(err)}
	}
	return abs, nil
}

// initStore fills a new project's marker folder (under its temporary
// name) before it becomes the project: the hook where the store creates
// the ledger database, ledger.db (issue 16 item 1; the SQLite store is
// another branch's, and the coordinator calls it here). Whatever it
// creates must be closed when it returns, and named relative to dir.
func initStore(dir string) error {
	s, err := sqlite.Create(context.Background(), filepath.Join(dir, LedgerFile))
	if err != nil {
		return err
	}
	return s.Close()
}

// pathError is an *os.PathError's cause in words, without the path the
// Error around it names already.
func pathError(err error) error {
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		return err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("not found (%w)", fs.ErrNotExist)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("permission denied (%w)", fs.ErrPermission)
	case errors.Is(err, syscall.ENOTDIR):
		return errors.New("a file stands where a folder on its path should be")
	}
	return fmt.Errorf("%s: %w", pe.Op, pe.Err)
}
