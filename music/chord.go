package music

// Chord is a parsed chord symbol (placeholder until chord.go lands).
type Chord struct {
	Symbol string
}
