// Package comp holds the band's comping players for piano and guitar:
// voicings and rhythms per style. Each registers itself with band.Register
// under the name styles use.
package comp
