package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/project"
)

// TestFindSoundFont: an explicit path wins, then the environment, then
// the Debian paths; a missing explicit file is not found, naming it, a
// folder bad input.
func TestFindSoundFont(t *testing.T) {
	dir := t.TempDir()
	own := filepath.Join(dir, "own.sf2")
	if err := os.WriteFile(own, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(envSoundFont, "")
	if got, err := findSoundFont(own); err != nil || got != own {
		t.Errorf("findSoundFont(%q) = %q, %v", own, got, err)
	}
	missing := filepath.Join(dir, "none.sf2")
	if _, err := findSoundFont(missing); err == nil || err.Error() != "soundfont "+missing+": no such file or directory" || project.KindOf(err) != project.NotFound {
		t.Errorf("a missing explicit SoundFont: %v, kind %v; want not found", err, project.KindOf(err))
	}
	if _, err := findSoundFont(dir); err == nil || !strings.HasSuffix(err.Error(), ": is a directory") || project.KindOf(err) != project.BadInput {
		t.Errorf("a folder as the SoundFont: %v, kind %v; want bad input", err, project.KindOf(err))
	}
	// Through the command: one line, exit 2.
	_, _, mid := outputDir(t)
	refusedInOneLine(t, []string{"render", mid, "--soundfont", missing, "-o", filepath.Join(dir, "r.wav")}, "soundfont "+missing+": no such file")
	t.Setenv(envSoundFont, own)
	if got, err := findSoundFont(""); err != nil || got != own {
		t.Errorf("with $%s: findSoundFont(\"\") = %q, %v", envSoundFont, got, err)
	}
	t.Setenv(envSoundFont, "")
	got, err := findSoundFont("")
	var installed string
	for _, p := range []string{fluidR3, timGM6mb, defaultGM} {
		if _, err := os.Stat(p); err == nil {
			installed = p
			break
		}
	}
	if installed == "" {
		if err == nil || !strings.Contains(err.Error(), "no SoundFont found") {
			t.Errorf("nothing installed: err = %v, want no SoundFont found", err)
		}
	} else if got != installed || err != nil {
		t.Errorf("findSoundFont(\"\") = %q, %v; want %q", got, err, installed)
	}
}

// TestNoSoundFont: with none given or installed, render says in one line
// what to install, exit 2, and writes nothing.
func TestNoSoundFont(t *testing.T) {
	t.Setenv(envSoundFont, "")
	dir, _, mid := outputDir(t)
	old := standardSoundFonts
	standardSoundFonts = []string{filepath.Join(dir, "none.sf2")}
	defer func() { standardSoundFonts = old }()
	wav := filepath.Join(dir, "r.wav")
	status, _, errs := sideman(t, "render", mid, "-o", wav)
	want := "sideman: soundfont: no SoundFont found: give one with --soundfont FILE.sf2 or $SIDEMAN_SOUNDFONT, or install one: apt-get install fluid-soundfont-gm (or the small timgm6mb-soundfont)\n"
	if status != 2 || errs != want {
		t.Errorf("status %d, %q; want 2, %q", status, errs, want)
	}
	if _, err := os.Stat(wav); err == nil {
		t.Errorf("%s written", wav)
	}
	noTemporaryFiles(t, dir)
}
