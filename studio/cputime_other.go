//go:build !linux

package studio

import "time"

func threadCPU() (time.Duration, bool) { return 0, false }
