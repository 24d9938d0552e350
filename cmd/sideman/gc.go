package main

import (
	"os"
	"runtime"
	"runtime/debug"
)

// A command that reads one chart and writes one file allocates a few
// megabytes and exits: the collector's cycles at the runtime's 4 MB
// starting heap goal are work thrown away at exit (a sixth of `band`'s
// CPU time). So the first collection waits for 16 MB of heap (GOGC 400
// on the 4 MB minimum: a tune of a few choruses played, humanized and
// written, with room), and from the first one on the collector runs at
// GOGC's default, 100: a command that works on large inputs keeps its
// peak memory at twice what it holds, as before, plus at most the 16 MB
// before the first collection. GOGC in the environment is left alone.
func init() {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	debug.SetGCPercent(400)
	sentinel := new([16]byte) // unreachable at once: the first cycle finds it
	runtime.SetFinalizer(sentinel, func(*[16]byte) { debug.SetGCPercent(100) })
}
