//go:build !linux

package trade

import "time"

func threadCPU() (time.Duration, bool) { return 0, false }
