// Package motif is a motif and its variations: a short human phrase, the
// developments a player makes of it, and the measures that say whether
// one phrase develops another (what improv's trade answers with and vary
// ranks).
//
// A Motif is the phrase's notes, one line, with ids, onsets from its
// start (the downbeat of its first note's bar) on the 960-PPQ grid,
// durations and velocities, and the key and chords of a chart when one is
// given.
//
// # Measures
//
//   - Intervals: successive intervals in semitones. Contour: the sign of
//     each (+1, 0, -1). IOIs: successive inter-onset intervals counted on
//     RhythmGrid, a twelfth of a quarter note (80 ticks), rounded.
//   - A contour 3-gram is three successive contour signs (four notes); a
//     rhythm 3-gram three successive IOIs (four onsets). SharesGram says
//     whether two phrases have one of each in common.
//   - IntervalDistance is the Levenshtein distance between interval
//     sequences: 0 for a transposed copy (a trade answer needs 3 or more).
//   - Distance(motif, v) is the ranking's distance, 0 to 1: the
//     Levenshtein distance of the interval sequences plus that of the
//     rhythm sequences (the first onset on RhythmGrid from the motif's
//     start, where the variation sounds, then the IOIs), over 2n-1 for n
//     notes of the longer phrase (the longest the two sequences can be).
//
// # Operators
//
// Each Operator makes a variation from the motif or from the previous
// operator's variation, drawing its parameters from a seeded generator,
// and records its name and parameters (Step): Displace (the phrase a
// quarter, third, half or whole beat earlier or later), Ornament (an
// enclosure before a target note, or an upper or lower neighbour inside
// it), Stretch (the intervals of a fragment of three to six notes
// expanded or contracted by 3/2, 2, 3/4 or 1/2), Invert and Retrograde (of a fragment of three
// to five notes), Sequence (a fragment of two to four notes again right
// after itself a step or two up or down, diatonic in the chart's key),
// Repitch (the phrase one to four bars on, each chord tone mapped to the
// same degree of the chord there, other notes to the same interval above
// its root) and Resample (one to three pitches drawn again from the
// model's prediction at that motif note, within a fifth). Each note keeps
// the motif notes it derives from (an ornament's the note it ornaments).
//
// # Vary: making, scoring and ranking
//
// Generate draws chains of one to three operators until it has N
// variations whose canonical forms (Canonical: pitches, onsets from the
// motif's start and durations, wherever the line sounds) are new and
// differ from the motif's.
// "Scored by the model" means two stages, both of the one model given:
//
//  1. Screen: every variation's information content per note under the
//     long-term model's cpitch viewpoint (model.PitchScorer: the exact
//     probability of each actual pitch, no distribution over the
//     alphabet), in parallel over the cores.
//  2. Rescore: the best Rescore of the ranking by the screen
//     (max(4·Top, 256) by default) are scored by the full model: a
//     Session per variation, every viewpoint, long- and short-term models
//     combined (Prediction.Both), the chords under the notes where the
//     variation sounds. The final ranking is of these alone.
//
// Ranking, at each stage: with b a candidate's bits per note and d its
// Distance, scaled over the candidates ranked together to
// like = (bmax-b)/(bmax-bmin) and dist = (d-dmin)/(dmax-dmin) (1 when all
// are equal), score = (1-novelty)·like + novelty·dist, highest first;
// ties go to the shorter chain, then to the order made.
package motif
