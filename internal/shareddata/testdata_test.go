package shareddata

import (
	"io"
	"path/filepath"
	"testing"
)

func TestWalkTarGz(t *testing.T) {
	path := File(t, "groove-midi/groove-v1.0.0-midionly.tar.gz")
	n := 0
	err := WalkTarGz(path, HasSuffix(".mid"), func(m Member, r io.Reader) error {
		b, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		if string(b[:4]) != "MThd" {
			t.Errorf("%s: starts %q, want MThd", m.Name, b[:4])
		}
		n++
		if n == 10 {
			return SkipAll
		}
		return nil
	})
	if err != nil || n != 10 {
		t.Fatalf("walked %d members, err %v; want 10, nil", n, err)
	}
}

func TestDirMissingSkips(t *testing.T) {
	if Required() {
		t.Skip("SIDEMAN_REQUIRE_DATA=1 turns the skip into a failure")
	}
	t.Setenv(EnvDir, filepath.Join(t.TempDir(), "nowhere"))
	ran := false
	t.Run("inner", func(t *testing.T) {
		Dir(t, "pop909")
		ran = true
	})
	if ran {
		t.Error("Dir returned for a missing data directory; want a skip")
	}
}
