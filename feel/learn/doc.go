// Package learn reads human performances from corpora (Groove MIDI, the
// Weimar Jazz Database, vienna4x22 match files, plain MIDI) as
// feel.Performance values against their metrical grid: every note placed on
// a beat and a slot of the twelfths-of-a-beat grid, with the time it was
// played and the time the grid asks for, so that learners can measure how
// players lean on, behind and ahead of the beat. Recipes learn the
// built-in feels from them (feel.Learn); EvalGroove and EvalWJazzD run
// the evaluation (package feel/eval) on the players held out (HeldOut).
//
// The Groove MIDI Dataset is described in J. Gillick, A. Roberts, J. Engel,
// D. Eck and D. Bamman, "Learning to Groove with Inverse Sequence
// Transformations", ICML 2019 (CC BY 4.0, Google Magenta).
package learn
