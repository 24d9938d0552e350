// Package feel plays notes with a human feel learned from people. A
// Profile (a .feel file) holds, per instrument role, how players place
// and weight their notes, by slot of the beat and tempo band: summary
// statistics only, never a performance's notes. Humanize plays a piece
// with a profile: onsets moved off the grid, eighths swung by the learned
// beat-upbeat ratio (Corcoran and Frieler 2021), dynamics varied and
// legato notes shortened, all by long-range correlated noise (Hennig et
// al., PLoS ONE 2011), every note keeping its id and Origin.
//
// A profile is learned (Learn) from Performances: human notes placed
// against their metrical grid (Hit), read from a piece played to a click
// (FromPiece) or from a corpus (package feel/learn). Decode and
// Profile.Encode read and write the JSON file, docs/feel.md describes
// it; Builtin gives the feels learned from the corpora, which ship inside
// sideman.
//
// Around it: feel/stats holds the statistics on plain samples (Wasserstein
// distance, DFA, fractional Gaussian noise), feel/eval measures how close
// a feel comes to people, feel/learn reads the corpora and holds the
// built-in feels' recipes, and feel/plot draws a profile.
package feel
