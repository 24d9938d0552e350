// Package judge measures a soloist against held-out human jazz solos: the
// last measurement of issue 15 ("solo against held-out WJazzD solos").
//
// The protocol:
//
//   - The corpus is the Weimar Jazz Database (format/wjazzd): every solo's
//     notes placed on its own tapped beat track, its chords per beat.
//     Velocities are not used anywhere (the transcriptions have none worth
//     the name); onsets and durations are the recording's.
//   - Solos are split into folds by performer (the file name before its
//     first "_"): a soloist that learns is trained on the other folds'
//     performers only, then plays a Lead (the changes, meter, tempo and
//     length of a held-out solo, and a seed) for every solo of the fold.
//   - Distribution distances (Distances): pitch, phrase ambitus, strong-beat
//     chord-tone share, phrase lengths, rests, intervals, swing (beat-upbeat
//     ratio) and timing against the beat track, each set beside the same
//     distance between one human performer and the others.
//   - A classifier of our own (a random forest over 24-note segments with
//     pitch, rhythm, timing and articulation features), cross-validated over
//     the same performer folds, tells the soloist's segments from the human
//     ones. Its figure counts only when the same protocol spots the two
//     baselines of this package, a first-order Markov soloist (Markov) and
//     the quantized human (Quantized), at least 95% of the time; the target
//     for a soloist is under 70% (60% the stretch), against the 64.4% at
//     which experts spotted Markov solos in Frieler and Zaddach's jazz Turing
//     test (2022).
//
// Time: a soloist answers in ticks, 960 a tapped beat, tick 0 the lead's
// first beat (Lead.Beats[0]); the judge maps ticks back to seconds through
// the same beat track the human solo was placed on, so human and machine
// timing are measured on one grid and in one unit.
package judge
