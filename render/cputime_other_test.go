//go:build !unix

package render_test

import (
	"testing"
	"time"
)

// cpuTime is not measured here: speedup-cpu reads +Inf.
func cpuTime(testing.TB) time.Duration { return 0 }
