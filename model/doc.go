// Package model learns a melodic style and predicts the next note: a
// multiple-viewpoint, variable-order Markov model in the manner of IDyOM
// (Pearce, The Construction and Evaluation of Statistical Models of
// Melodic Structure, PhD thesis, City University London, 2005).
//
// A melody (FromChart, FromPiece) is a sequence of events; viewpoints
// (Conklin and Witten, Multiple viewpoint systems for music prediction,
// JNMR 24, 1995) map it to symbols: chromatic pitch, interval, scale
// degree, pitch from the chord root, chord-tone class, contour, metrical
// position, inter-onset interval, duration, and links of these. Each
// viewpoint's symbols are predicted by PPM with interpolated blending, an
// escape method (A, B, C, D, X), update exclusion and bounded order or
// PPM* (Cleary and Teahan, Unbounded length contexts for PPM, Computer
// Journal 40, 1997), and the prediction is spread over the pitches that
// give each symbol. A Model is the long-term model learned from a corpus;
// a Session adds a short-term model learned from the melody so far (the
// player, as they play) and combines viewpoints and models by an
// entropy-weighted geometric mean. Learning writes counts only, which
// merge by addition (Model.Merge), so shards learn apart; LearnAll
// learns the viewpoints in parallel. Encode and Decode write and read a
// model in a compact, versioned file (docs/model.md).
//
// Evaluation is Pearce's protocol: k-fold cross-validation, the mean of
// -log2 p of each pitch over the whole alphabet, in bits per note;
// SelectViewpoints chooses viewpoints by forward stepwise selection on
// it (Pearce 2005, ch. 7). A session's short-term model may forget as a
// listener does (SessionDecay: PPM-Decay, Harrison, Bianco, Chait and
// Pearce, Cognitive Science 44, 2020).
package model
