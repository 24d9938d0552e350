//go:build !linux

package model

import "time"

func threadCPU() (time.Duration, bool) { return 0, false }
