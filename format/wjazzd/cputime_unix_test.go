//go:build unix

package wjazzd

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used. Benchmarks report rates
// per CPU second as well as per wall second: on a shared machine the wall
// clock counts the time other programs hold the cores.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
