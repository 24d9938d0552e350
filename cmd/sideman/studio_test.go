package main

import (
	"strings"
	"testing"
)

// A bad --addr, a busy port or a stray argument is one line and exit 2,
// before anything listens.
func TestStudioBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"studio", "--addr", "nonsense"},
		{"studio", "--addr", "256.1.1.1:7878"},
		{"studio", "extra"},
	} {
		code, _, errs := sideman(t, args...)
		if code != 2 || strings.Contains(strings.TrimSpace(errs), "\n") || !strings.Contains(errs, "sideman") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line", args, code, errs)
		}
	}
}
