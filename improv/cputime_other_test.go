//go:build !linux

package improv

import "time"

func threadCPU() (time.Duration, bool) { return 0, false }
