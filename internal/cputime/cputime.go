// Package cputime measures the CPU time this process has used, for
// benchmarks that report rates per CPU second beside their rates per wall
// second: on a shared machine the wall clock also counts the time other
// programs hold the cores, the CPU time does not.
package cputime

import "time"

// start is when the process began, near enough, for the fallback.
var start = time.Now()

// Used is the CPU time, user and system, this process has used, by
// getrusage(2) (RUSAGE_SELF: every thread). Where that is missing or
// fails it is the wall time since the process started, so that the
// ratios benchmarks report stay finite.
func Used() time.Duration {
	if d, ok := used(); ok {
		return d
	}
	return time.Since(start)
}
