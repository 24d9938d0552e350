#!/usr/bin/env node
// chordnotes.js prints the notes that @tonaljs/chord gives for chord
// symbols, as an independent reference for sideman's chord parser
// (music.TestChordTonesAgainstTonal).
//
// Input: one chord symbol per line on stdin, in sideman's notation.
// Output: one JSON object per input line, in the same order:
//   {"symbol": "Bbh7", "tonal": "Bbm7b5", "notes": ["Bb","Db","Fb","Ab"], "tonic": "Bb", "bass": ""}
// "tonal" is the symbol as handed to tonal after the translations below;
// "notes" is empty when tonal does not know the chord.
//
// Only translations between spellings that mean the same chord are made, so
// that a difference in the notes is a difference in interpretation, never
// one of syntax; when tonal does not know the translated symbol, it gets
// the symbol as written ("M7b5" is tonal's own alias).
// Each rewrites the quality (the text between the root and a slash bass):
//
//   iReal Pro    "-" (leading)  -> "m"      minor: C-7 = Cm7
//                "^" (alone)    -> "M"      iReal's "^" alone is a major triad ("^7" is maj7)
//                "^"            -> "maj"    C^9 = Cmaj9, C-^7 = CmMaj7
//                "h", "h7"      -> "m7b5"   half-diminished (iReal plays h as m7b5)
//                "h9"           -> "m9b5"   half-diminished ninth
//                "o", "o7"      -> "dim", "dim7"
//                "o^7"          -> "oM7"    diminished major seventh
//   JazzStandards "0", "07"     -> "dim", "dim7" (see music/chord.go for the evidence)
//   Humdrum (translated) "min..." -> "m..." (Cmin7 = Cm7; tonal only knows "min", "min7")
//   Impro-Visor  "M9", "M13", "M7#5"... (M + digit) -> "maj..." (tonal lacks "M9", "M13")
//                "mi" (alone)   -> "m"
//                "maj7+", "M7+" -> "maj7#5" (augmented major seventh)
//                "7sus4b9", "7susb9" -> "7b9sus4"
//                "mM7b6"        -> "mMaj7b6"
//                "M69"          -> "69"     (so "M69#11" is tonal's "69#11")
//                "add9no3"      -> "sus2"   (My.voc: Cadd9no3 is CMsus2)
//                "susb9"        -> "7b9sus4" (My.voc: Csusb9 is C7sus4b9)
//                "addb9"        -> "Maddb9"
//                "mb5"          -> "dim"    (a minor triad with a flat fifth)
//   lead sheets  "m/maj7", "m(maj7)", "mmaj7", "-^7" -> "mMaj7" (tonal cannot read "Cm/maj7/B")
//                "maug"         -> "m#5"    minor augmented (iReal "-#5")
//                "6/9"          -> "69"
//                "sus4" in "9sus4" etc. is kept: tonal knows those aliases.
"use strict";

const Chord = require("@tonaljs/chord");
const fs = require("fs");

// [pattern, replacement] on the quality, applied in order.
const rewrites = [
  [/^-\^/, "m^"],
  [/^-/, "m"],
  [/^min/, "m"],
  [/^mi$/, "m"],
  [/^(m)(?:\/maj|\(maj|maj|\^|M)(7|9)\)?$/, "mMaj$2"],
  [/^m\^$/, "mMaj7"],
  [/^mM7b6$/, "mMaj7b6"],
  [/^maug$/, "m#5"],
  [/^\^$/, "M"],
  [/^o\^7$/, "oM7"],
  [/^\^/, "maj"],
  [/^h7?$/, "m7b5"],
  [/^h9$/, "m9b5"],
  [/^(?:o|0)7$/, "dim7"],
  [/^(?:o|0)$/, "dim"],
  [/^M69/, "69"],
  [/^M(?=\d)/, "maj"],
  [/^maj7\+$/, "maj7#5"],
  [/^7sus4?b9$/, "7b9sus4"],
  [/^6\/9$/, "69"],
  [/^add9no3$/, "sus2"],
  [/^susb9$/, "7b9sus4"],
  [/^addb9$/, "Maddb9"],
  [/^mb5$/, "dim"],
];

const symbolRE = /^([A-G](?:##?|bb?)?)(.*?)(?:\/([A-G](?:##?|bb?)?))?$/;

function translate(sym) {
  const m = symbolRE.exec(sym);
  if (!m) return sym;
  let q = m[2];
  for (const [re, rep] of rewrites) q = q.replace(re, rep);
  return m[1] + q + (m[3] ? "/" + m[3] : "");
}

const input = fs.readFileSync(0, "utf8");
const out = [];
for (const line of input.split("\n")) {
  const sym = line.trim();
  if (sym === "") continue;
  let t = translate(sym);
  let c = Chord.get(t);
  if (c.empty && t !== sym) {
    t = sym;
    c = Chord.get(t);
  }
  out.push(JSON.stringify({
    symbol: sym,
    tonal: t,
    notes: c.empty ? [] : c.notes,
    tonic: c.tonic || "",
    bass: c.bass || "",
  }));
}
process.stdout.write(out.join("\n") + (out.length ? "\n" : ""));
