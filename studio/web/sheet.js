// sheet.js: the engraver behind the lead sheet's staff. It decides what a
// musician expects to read, before anything is drawn: the key signature
// of the part's written key, each note spelled in that key (the written
// accidental only where the key does not give it, a natural where one
// cancels it, an accidental holding to the bar line), and the rhythm as
// notatable values: notes tied where they cross the bar line or would hide
// a beat, dotted values where they fit, rests where the melody is silent,
// eighths and sixteenths beamed by the beat (four eighths in a half bar of
// 4/4 under one beam), stems up or down by the group's farthest note from
// the middle line.
//
// Time is counted in units of a 24th of a quarter note (u), so that
// sixteenths, thirty-seconds and triplets all fall on whole numbers.

export const Q = 24;                 // a quarter note in u
const LETTERS = "CDEFGAB";
const NATURAL = [0, 2, 4, 5, 7, 9, 11];
// Letters in the order a key signature adds them (indexes into LETTERS).
const SHARP_ORDER = [3, 0, 4, 1, 5, 2, 6]; // F C G D A E B
const FLAT_ORDER = [6, 2, 5, 1, 4, 0, 3];  // B E A D G C F
// Where a treble staff writes them, as staff steps (C4 = 28, seven an
// octave): F5 C5 G5 D5 A4 E5 B4 and B4 E5 A4 D5 G4 C5 F4.
const SHARP_STEPS = [38, 35, 39, 36, 33, 37, 34];
const FLAT_STEPS = [34, 37, 33, 36, 32, 35, 31];
export const MIDDLE = 34;            // B4, the middle line
const MAJOR_FIFTHS = { C: 0, G: 1, D: 2, A: 3, E: 4, B: 5, "F#": 6, "C#": 7, "G#": 8, "D#": 9, "A#": 10, "E#": 11, "B#": 12,
  F: -1, Bb: -2, Eb: -3, Ab: -4, Db: -5, Gb: -6, Cb: -7, Fb: -8 };

// keyFifths is a key's place on the circle of fifths: sharps above zero,
// flats below. A mode has the signature of the major scale it is drawn
// from: A minor and D dorian none, as music.Key.Fifths gives.
const MODE_FIFTHS = { major: 0, ionian: 0, minor: -3, aeolian: -3, dorian: -2, phrygian: -4, lydian: 1, mixolydian: -1, locrian: -5 };
export function keyFifths(tonic, mode) {
  const f = MAJOR_FIFTHS[tonic];
  if (f === undefined) return 0;
  if (mode === true) return f - 3;
  return f + (MODE_FIFTHS[String(mode || "major").toLowerCase()] || 0);
}

// signature gives each letter's accidental in a key (-1, 0, 1), and the
// signature's glyphs in writing order with their staff steps.
export function signature(fifths) {
  const acc = [0, 0, 0, 0, 0, 0, 0], glyphs = [];
  const n = Math.min(7, Math.abs(fifths));
  for (let i = 0; i < n; i++) {
    const l = fifths > 0 ? SHARP_ORDER[i] : FLAT_ORDER[i];
    acc[l] = fifths > 0 ? 1 : -1;
    glyphs.push({ acc: acc[l], step: fifths > 0 ? SHARP_STEPS[i] : FLAT_STEPS[i] });
  }
  return { acc, glyphs };
}

// spellIn spells a MIDI pitch in a key: the key's own note where the pitch
// is in its scale; else a natural where one cancels the key; else sharps
// in sharp keys and flats in flat keys (as music.Key.Spell does). C major
// has no side, and there a melody's chromatic notes are mostly blue notes
// and flat degrees (a blues in C writes E♭ going to D, not D♯ with a
// natural after it): C♯ and F♯, but E♭, A♭ and B♭.
export function spellIn(pitch, fifths) {
  const sig = signature(fifths).acc, pc = ((pitch % 12) + 12) % 12;
  const alter = (l) => ((pc - NATURAL[l] + 18) % 12) - 6;
  let best = -1, a = 0;
  for (let l = 0; l < 7 && best < 0; l++) if (alter(l) === sig[l]) { best = l; a = sig[l]; }
  for (let l = 0; l < 7 && best < 0; l++) if (alter(l) === 0) { best = l; a = 0; }
  if (best < 0) {
    const way = fifths > 0 ? 1 : fifths < 0 ? -1 : (pc === 1 || pc === 6 ? 1 : -1);
    for (let l = 0; l < 7 && best < 0; l++) if (alter(l) === sig[l] + way && Math.abs(alter(l)) <= 2) { best = l; a = alter(l); }
    for (let l = 0; l < 7 && best < 0; l++) if (Math.abs(alter(l)) === 1) { best = l; a = alter(l); }
  }
  const octave = Math.floor((pitch - a) / 12) - 1;
  const name = LETTERS[best] + (a > 0 ? "#".repeat(a) : "b".repeat(-a)) + octave;
  return { step: best + 7 * octave, acc: a, letter: best, name };
}

// spellRoot spells a chord root's pitch class in a key as jazz charts do:
// the scale's own notes, then by the degree: a raised fourth (F♯m7♭5 in
// C), else the lowered degree above (D♭7, E♭, A♭, B♭7 in C; B♭7 in G).
export function spellRoot(pc, fifths, tonicPc, minor) {
  const sig = signature(fifths).acc;
  pc = ((pc % 12) + 12) % 12;
  const alter = (l) => ((pc - NATURAL[l] + 18) % 12) - 6;
  for (let l = 0; l < 7; l++) if (alter(l) === sig[l]) return name(l, sig[l]);
  const deg = (pc - tonicPc + 12) % 12;
  const raise = minor ? deg !== 1 : deg === 6;
  const way = raise ? 1 : -1;
  for (let l = 0; l < 7; l++) if (alter(l) === sig[l] + way && Math.abs(alter(l)) <= 1) return name(l, alter(l));
  for (let l = 0; l < 7; l++) if (alter(l) === 0) return name(l, 0);
  for (let l = 0; l < 7; l++) if (Math.abs(alter(l)) === 1) return name(l, alter(l));
  return "C";
  function name(l, a) { return LETTERS[l] + (a > 0 ? "#" : a < 0 ? "b" : ""); }
}

// Meter: a bar's length, its beat, the spans a syncopation may not cross
// (the half bar in 4/4), and the spans eighths are beamed in.
export function meterOf(meter) {
  const [num, den] = meter || [4, 4];
  const bar = (num * 4 * Q) / den;
  const compound = den === 8 && num % 3 === 0 && num > 3;
  const beat = compound ? 36 : (4 * Q) / den;
  let group = beat;
  if (!compound && den === 4 && num === 4) group = 2 * Q;
  else if (!compound && (num === 2 || num === 3)) group = bar;
  return { bar, beat, group, compound, num, den };
}

// Values a note can be written as, longest first: u, dots, tuplet (3 in
// the time of 2), and the plain value it is drawn as (u of the undotted,
// untupled note: 96 whole, 48 half, 24 quarter, 12 eighth, 6 sixteenth, 3
// thirty-second).
const VALUES = [
  { u: 96, base: 96, dots: 0 }, { u: 72, base: 48, dots: 1 }, { u: 48, base: 48, dots: 0 },
  { u: 36, base: 24, dots: 1 }, { u: 24, base: 24, dots: 0 }, { u: 18, base: 12, dots: 1 },
  { u: 16, base: 24, dots: 0, tuplet: 48 }, { u: 12, base: 12, dots: 0 }, { u: 9, base: 6, dots: 1 },
  { u: 8, base: 12, dots: 0, tuplet: 24 }, { u: 6, base: 6, dots: 0 }, { u: 4, base: 6, dots: 0, tuplet: 12 },
  { u: 3, base: 3, dots: 0 },
];

const within = (s, d, span) => Math.floor(s / span) === Math.floor((s + d - 1) / span);

function noteFits(v, s, m) {
  if (s + v.u > m.bar) return false;
  if (v.tuplet) return s % v.u === 0 && within(s, v.u, v.tuplet);
  if (s % 3) return false;
  if (v.u === m.bar) return s === 0;
  if (v.u === 96) return false;
  if (m.compound) return v.u <= m.beat ? within(s, v.u, m.beat) && s % Math.min(v.base, 12) === 0 : s % m.beat === 0;
  if (s % m.beat === 0) return v.u <= m.beat ? true : s % 12 === 0;
  // Off the beat: a value under a beat stays in its beat; a longer one
  // starts on an eighth and stays in its group (eighth, quarter, eighth).
  if (v.u < m.beat) return within(s, v.u, m.beat) && s % Math.min(v.base, 12) === 0;
  return s % 12 === 0 && within(s, v.u, m.group);
}

function restFits(v, s, m) {
  if (s + v.u > m.bar) return false;
  if (v.u === m.bar && s === 0) return true;
  if (v.tuplet) return s % v.u === 0 && within(s, v.u, v.tuplet);
  // A dotted rest where it starts a beat and stays in it (a dotted eighth
  // rest before a sixteenth pickup, as lead sheets write it).
  if (v.dots) return s % m.beat === 0 && v.u <= m.beat;
  if (v.u === 96) return false;
  if (s % v.u) return false;
  return v.u <= m.beat ? within(s, v.u, m.beat) : within(s, v.u, m.group);
}

// split writes [s, e) as values, longest first where each fits: plain
// values where both ends fall on the plain grid (a 32nd), triplet values
// first where either does not (only a triplet reaches it).
function split(s, e, m, fits) {
  const out = [], plain = s % 3 === 0 && e % 3 === 0;
  const order = plain ? VALUES.filter((v) => !v.tuplet) : [...VALUES.filter((v) => v.tuplet), ...VALUES.filter((v) => !v.tuplet)];
  while (s < e) {
    let v = order.find((v) => v.u <= e - s && fits(v, s, m));
    if (!v) v = order.find((v) => v.u <= e - s) || { u: e - s, base: 3, dots: 0 };
    out.push({ start: s, ...v });
    s += v.u;
  }
  return out;
}

const snap = (u) => {
  const r = Math.round(u), a = Math.round(r / 3) * 3, b = Math.round(r / 4) * 4;
  return Math.abs(a - r) <= Math.abs(b - r) ? a : b;
};

// engrave writes a chart's melody for one part: bars of events, each a
// note or a rest {kind, start, u, base, dots, tuplet, pitch, step, acc
// (the accidental written, or null), tieStart, tieEnd, group (beam group
// index or -1), up}. bars are /api/open's, at concert pitch; shift is the
// semitones the part is written above it; fifths the written key.
export function engrave(bars, meter, shift, fifths) {
  const m = meterOf(meter), sig = signature(fifths).acc;
  // The melody on one line of time, each note clipped at the next.
  const line = [];
  bars.forEach((b, i) => {
    for (const n of b.melody || []) {
      const s = i * m.bar + snap(n.beat * m.beat), e = s + Math.max(3, snap(n.beats * m.beat));
      line.push({ s, e, pitch: n.pitch + shift });
    }
  });
  line.sort((a, b) => a.s - b.s || b.pitch - a.pitch);
  const notes = [];
  for (const n of line) {
    if (notes.length && notes[notes.length - 1].s === n.s) continue; // a chord: its top note
    if (notes.length && notes[notes.length - 1].e > n.s) notes[notes.length - 1].e = n.s;
    notes.push(n);
  }
  for (const n of notes) n.spelled = spellIn(n.pitch, fifths);
  const out = bars.map(() => []);
  let at = 0;
  const rest = (s, e) => {
    for (let b = Math.floor(s / m.bar); b * m.bar < e && b < bars.length; b++) {
      const bs = b * m.bar, from = Math.max(s, bs) - bs, to = Math.min(e, bs + m.bar) - bs;
      if (from === 0 && to === m.bar) { out[b].push({ kind: "rest", start: 0, u: m.bar, base: 96, dots: 0, whole: true, group: -1 }); continue; }
      for (const v of split(from, to, m, restFits)) out[b].push({ kind: "rest", ...v, group: -1 });
    }
  };
  for (const n of notes) {
    if (n.s > at) rest(at, n.s);
    const pieces = [];
    for (let b = Math.floor(n.s / m.bar); b * m.bar < n.e && b < bars.length; b++) {
      const bs = b * m.bar, from = Math.max(n.s, bs) - bs, to = Math.min(n.e, bs + m.bar) - bs;
      for (const v of split(from, to, m, noteFits)) {
        const ev = { kind: "note", ...v, pitch: n.pitch, step: n.spelled.step, alter: n.spelled.acc, name: n.spelled.name, group: -1, tieStart: false, tieEnd: pieces.length > 0, acc: null };
        pieces.push(ev);
        out[b].push(ev);
      }
    }
    for (let k = 0; k + 1 < pieces.length; k++) pieces[k].tieStart = true;
    at = Math.max(at, n.e);
  }
  if (at < bars.length * m.bar) rest(at, bars.length * m.bar);
  return out.map((evs) => {
    // Accidentals hold to the bar line, on their staff step.
    const held = new Map();
    for (const ev of evs) {
      if (ev.kind !== "note") continue;
      const inForce = held.has(ev.step) ? held.get(ev.step) : sig[ev.step % 7];
      if (ev.tieEnd) continue; // a tied note carries its accidental

      if (ev.alter !== inForce) ev.acc = ev.alter;
      held.set(ev.step, ev.alter);
    }
    beam(evs, m);
    return evs;
  });
}

// beam groups a bar's flagged notes by the beat (by the half bar where
// it holds just four plain eighths in 4/4) and sets the stems.
function beam(evs, m) {
  const flagged = (e) => e.kind === "note" && e.base <= 12;
  const spans = [];
  for (let s = 0; s < m.bar; s += m.beat) spans.push([s, Math.min(m.bar, s + m.beat)]);
  if (m.group > m.beat && !m.compound && m.den === 4 && m.num === 4) {
    for (const h of [0, 48]) {
      const inHalf = evs.filter((e) => e.start >= h && e.start < h + 48);
      if (inHalf.length === 4 && inHalf.every((e) => flagged(e) && e.u === 12)) {
        const i = spans.findIndex((sp) => sp[0] === h);
        spans.splice(i, 2, [h, h + 48]);
      }
    }
  }
  let g = 0;
  for (const [a, b] of spans) {
    let run = [];
    const close = () => {
      if (run.length > 1) { for (const e of run) e.group = g; g++; }
      run = [];
    };
    for (const e of evs) {
      if (e.start < a || e.start >= b) continue;
      if (flagged(e) && e.start + e.u <= b) run.push(e); else close();
    }
    close();
  }
  // Stems: a group's by its note farthest from the middle line (down when
  // the highest and lowest are as far, as engravers do), a lone note's by
  // its own.
  const groups = new Map();
  for (const e of evs) if (e.kind === "note") {
    if (e.group < 0) e.up = e.step < MIDDLE;
    else { if (!groups.has(e.group)) groups.set(e.group, []); groups.get(e.group).push(e); }
  }
  for (const list of groups.values()) {
    const hi = Math.max(...list.map((e) => e.step - MIDDLE)), lo = Math.min(...list.map((e) => e.step - MIDDLE));
    const up = hi + lo < 0;
    for (const e of list) e.up = up;
  }
}

// ---- chord symbols --------------------------------------------------------
// One spelling of chord symbols for the whole page: the lead sheet writes a
// part's chords with moveChord, the roll draws the band's with spellChord,
// which is the same speller given the chart's concert key.

const LETTER = { C: 0, D: 1, E: 2, F: 3, G: 4, A: 5, B: 6 };
// Keys written with flats: major tonics, and minor tonics (their relative
// majors have flats).
const FLAT_MAJOR = new Set(["F", "Bb", "Eb", "Ab", "Db", "Gb", "Cb"]);
const FLAT_MINOR = new Set(["D", "G", "C", "F", "Bb", "Eb", "Ab"]);

const SHARP_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];
const FLAT_NAMES = ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"];

// movePc moves a chord symbol's root and slash bass by n semitones by
// pitch class alone, spelled with flats, or with sharps where the written
// root or bass has a sharp: how a key's tonic is moved before it is
// respelled, and the spelling of last resort where no key is known.
function movePc(sym, n) {
  n = ((n % 12) + 12) % 12;
  if (!n) return sym;
  const move = (letter, acc) => {
    const pc = (NATURAL[LETTER[letter]] + (acc === "#" ? 1 : acc === "b" ? -1 : 0) + n + 12) % 12;
    return (acc === "#" ? SHARP_NAMES : FLAT_NAMES)[pc];
  };
  return sym.replace(/^([A-G])([#b]?)/, (m, l, a) => move(l, a))
    .replace(/\/([A-G])([#b]?)$/, (m, l, a) => "/" + move(l, a));
}

// spellChord is a chord symbol of a chart in concertKey ("Eb", "C minor")
// moved n semitones, spelled as the lead sheet writes it in the moved key
// (moveChord in writtenKey(concertKey, n)): Moten Swing's Em7 is F♯m7 a
// whole tone up, never G♭m7. Without a key it moves by pitch class.
export function spellChord(sym, n, concertKey) {
  if (!concertKey) return movePc(sym, n);
  return moveChord(sym, n, writtenKey(concertKey, n), concertKey);
}

// writtenKey is the chart's key ("F major", "C minor", "D dorian") moved
// n semitones: its name, its tonic, whether it is written with flats, and
// its signature (fifths: sharps above zero, flats below).
export function writtenKey(key, n) {
  const m = /^([A-G][#b]?)\s*(.*)$/.exec(key || "C major");
  if (!m) return { name: key, flats: true, minor: false, fifths: 0, tonicPc: 0 };
  const tonic = movePc(m[1], n), minor = /^(m|min|minor|aeolian|dorian|phrygian)\b/i.test(m[2]);
  const word = (m[2] || "major").trim().split(/\s+/)[0].toLowerCase(), mode = /^(m|min)$/.test(word) ? "minor" : word;
  // The spelling with fewer accidentals, D♭ major but C♯ minor, and flats
  // on a tie (G♭ major, E♭ minor), as music.ConventionalKey does.
  const respell = minor ? { Db: "C#", Gb: "F#", Ab: "G#", "A#": "Bb", "D#": "Eb" } : { "C#": "Db", "D#": "Eb", "G#": "Ab", "A#": "Bb", "F#": "Gb" };
  const name = respell[tonic] || tonic;
  const flats = name.includes("b") || (minor ? FLAT_MINOR.has(name) : FLAT_MAJOR.has(name));
  return { name: name.replace("b", "♭").replace("#", "♯") + " " + (m[2] || "major"), tonic: name, flats, minor,
    fifths: keyFifths(name, mode), tonicPc: pcOf(name) };
}

// moveChord transposes a chord symbol n semitones into the written key k
// (writtenKey's) from the chart's concert key: by the interval between
// the two keys, letter and all, so the chart's own spelling carries over
// (concert E♭ to F, E♭m7 to Fm7, G♭7 to A♭7, Em7 to F♯m7 in a B♭ part:
// a bridge that moves to a sharp key stays sharp). A root that would need
// a double sharp or flat is spelled in the written key instead (C♯m7 in
// E, D♭7 in A♭, B♭7 in G, F♯m7♭5 in C). Concert pitch keeps the chart's
// own spelling.
export function moveChord(sym, n, k, concertKey) {
  if (!n) return sym;
  if (!k || k.fifths === undefined) return movePc(sym, n);
  const from = /^([A-G])/.exec(concertKey || ""), shift = from && k.tonic ? (LETTER[k.tonic[0]] - LETTER[from[1]] + 7) % 7 : -1;
  const to = (name) => {
    const pc = (pcOf(name) + n + 120) % 12;
    if (shift >= 0) {
      const l = (LETTER[name[0]] + shift) % 7, a = ((pc - NATURAL[l] + 18) % 12) - 6;
      if (Math.abs(a) <= 1) return "CDEFGAB"[l] + (a > 0 ? "#" : a < 0 ? "b" : "");
    }
    return spellRoot(pc, k.fifths, k.tonicPc, k.minor);
  };
  return sym.replace(/^([A-G][#b]?)/, (m) => to(m)).replace(/\/([A-G][#b]?)$/, (m, r) => "/" + to(r));
}

function pcOf(name) {
  const pc = NATURAL[LETTER[name[0]]] + (name[1] === "#" ? 1 : name[1] === "b" ? -1 : 0);
  return (pc + 12) % 12;
}
