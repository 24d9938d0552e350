// leadsheet.js: the lead sheet. Chord symbols bar by bar in rows of four,
// section letters, repeat barlines and volta brackets as /api/open gives
// them, and the melody on a treble staff where the chart has one; drawn as
// SVG by this small renderer. Transposable, with parts for B♭, E♭ and F
// instruments: a part writes the chords and the melody a whole tone, a
// major sixth or a fifth above concert pitch, as those players read them.
import { transposeSymbol } from "./roll.js";

// PARTS: semitones a part is written above concert pitch (a B♭ trumpet's
// written D sounds C; an alto's written A sounds C; a horn's written G
// sounds C).
export const PARTS = { C: 0, Bb: 2, Eb: 9, F: 7 };
export const PART_NAMES = { C: "Concert", Bb: "B♭ instruments", Eb: "E♭ instruments", F: "F instruments" };

const NS = "http://www.w3.org/2000/svg";
const LETTER = { C: 0, D: 1, E: 2, F: 3, G: 4, A: 5, B: 6 };
const NATURAL = [0, 2, 4, 5, 7, 9, 11];
const SHARP_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];
const FLAT_NAMES = ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"];
// Keys written with flats: major tonics, and minor tonics (their relative
// majors have flats).
const FLAT_MAJOR = new Set(["F", "Bb", "Eb", "Ab", "Db", "Gb", "Cb"]);
const FLAT_MINOR = new Set(["D", "G", "C", "F", "Bb", "Eb", "Ab"]);

// pretty writes a chord symbol as a lead sheet prints it: ♭ and ♯.
export function pretty(sym) {
  return sym.replace(/([A-G])b/g, "$1♭").replace(/b(\d)/g, "♭$1").replace(/#/g, "♯");
}

// writtenKey is the chart's key ("F major", "C minor") moved n semitones,
// and whether it is written with flats.
export function writtenKey(key, n) {
  const m = /^([A-G][#b]?)\s*(.*)$/.exec(key || "C major");
  if (!m) return { name: key, flats: true };
  const tonic = transposeSymbol(m[1], n), minor = /^(m|min|minor|aeolian|dorian|phrygian)\b/i.test(m[2]);
  // The spelling with fewer accidentals: D♭ major but C♯ minor.
  const respell = minor ? { Db: "C#", Gb: "F#", Ab: "G#", "A#": "Bb", "D#": "Eb" } : { "C#": "Db", "D#": "Eb", "G#": "Ab", "A#": "Bb" };
  const name = respell[tonic] || tonic;
  const flats = name.includes("b") || (minor ? FLAT_MINOR.has(name) : FLAT_MAJOR.has(name));
  return { name: name.replace("b", "♭").replace("#", "♯") + " " + (m[2] || "major"), tonic: name, flats };
}

// moveChord transposes a chord symbol n semitones and spells its root and
// bass as the written key does: C♯m7 in E major, D♭7 in A♭.
export function moveChord(sym, n, flats) {
  const moved = transposeSymbol(sym, n);
  if (!n) return moved;
  const to = (name) => {
    const pc = (flats ? SHARP_NAMES : FLAT_NAMES).indexOf(name);
    return pc < 0 || name.length === 1 ? name : (flats ? FLAT_NAMES : SHARP_NAMES)[pc];
  };
  return moved.replace(/^([A-G][#b]?)/, (m) => to(m)).replace(/\/([A-G][#b]?)$/, (m, r) => "/" + to(r));
}

// spell gives a MIDI pitch's staff step (C4 = 28: seven a octave) and its
// accidental (-1, 0, 1), spelled with flats or sharps.
export function spell(pitch, flats) {
  const pc = pitch % 12, octave = Math.floor(pitch / 12) - 1;
  const name = (flats ? FLAT_NAMES : SHARP_NAMES)[pc];
  const letter = LETTER[name[0]];
  const acc = name.length > 1 ? (name[1] === "#" ? 1 : -1) : 0;
  return { step: letter + 7 * octave, acc, name: name + octave };
}

export class LeadSheet {
  constructor(el) {
    this.el = el;
    this.chart = null;
    this.transpose = 0;   // concert: semitones the band plays the chart moved
    this.part = "C";      // whose part: C (concert), Bb, Eb, F
    this.loop = null;     // {first, last, repeat, ramp}: bars from 1
    this.bar = -1;        // the written bar sounding now (0-based), or -1
  }

  setChart(chart) { this.chart = chart; this.bar = -1; this.render(); }
  shift() { return this.transpose + PARTS[this.part]; }

  // symbols lists each bar's chord symbols as this part reads them.
  symbols() {
    if (!this.chart) return [];
    const n = this.shift(), k = writtenKey(this.chart.key, n);
    return this.chart.bars.map((b) => (b.chords || []).map((c) => moveChord(c.symbol, n, k.flats)));
  }
  // melody lists each bar's written melody as this part reads it:
  // [{name: "D5", beat, beats}].
  melody() {
    if (!this.chart) return [];
    const n = this.shift(), k = writtenKey(this.chart.key, n);
    return this.chart.bars.map((b) => (b.melody || []).map((m) => ({ name: spell(m.pitch + n, k.flats).name, beat: m.beat, beats: m.beats })));
  }
  keyName() { return this.chart ? writtenKey(this.chart.key, this.shift()).name : ""; }

  setBar(bar) {
    if (bar === this.bar) return;
    const old = this.el.querySelector(".ls-now");
    if (old) old.classList.remove("ls-now");
    this.bar = bar;
    const r = this.el.querySelector(`[data-bar="${bar}"]`);
    if (r) r.classList.add("ls-now");
  }

  render() {
    this.el.innerHTML = "";
    if (!this.chart) return;
    const c = this.chart, n = this.shift(), key = writtenKey(c.key, n);
    const hasMelody = c.bars.some((b) => b.melody && b.melody.length);
    const W = 960, left = 34, barW = (W - left - 6) / 4, rowH = hasMelody ? 128 : 64;
    const rows = Math.ceil(c.bars.length / 4), top = 26;
    const svg = el("svg", { viewBox: `0 0 ${W} ${top + rows * rowH + 8}`, class: "ls", role: "img",
      "aria-label": `${c.title}, ${PART_NAMES[this.part]}, in ${key.name}` });
    svg.append(text(left, 16, `${c.title} · ${PART_NAMES[this.part]} · ${key.name}`, "ls-head"));
    const beatsPerBar = c.meter[0];
    const syms = this.symbols();
    c.bars.forEach((b, i) => {
      const row = Math.floor(i / 4), col = i % 4;
      const x = left + col * barW, y = top + row * rowH;
      const staffTop = y + 34, staffBot = staffTop + 32;     // five lines, 8 apart
      const lineTop = hasMelody ? staffTop : y + 22, lineBot = hasMelody ? staffBot : y + 56;
      const g = el("g", { "data-bar": i, class: "ls-bar" });
      g.append(el("rect", { x, y: y + 2, width: barW, height: rowH - 6, class: "ls-shade" }));
      if (this.loop && i + 1 >= this.loop.first && i + 1 <= this.loop.last) {
        g.append(el("rect", { x, y: y + 2, width: barW, height: rowH - 6, class: "ls-loop" }));
        if (i + 1 === this.loop.first) g.append(text(x + barW - 4, y + 12, `loop ×${this.loop.repeat}${this.loop.ramp ? `, ${this.loop.ramp > 0 ? "+" : ""}${this.loop.ramp} bpm each time` : ""}`, "ls-loop-label", "end"));
      }
      if (col === 0) g.append(text(4, lineBot - 2, String(i + 1), "ls-num"));
      if (hasMelody) for (let k = 0; k < 5; k++) g.append(line(x, staffTop + 8 * k, x + barW, staffTop + 8 * k, "ls-staff"));
      // barlines, with repeat signs
      g.append(line(x, lineTop, x, lineBot, b.repeat_start ? "ls-thick" : "ls-barline"));
      if (b.repeat_start) for (const d of dots(lineTop, lineBot)) g.append(el("circle", { cx: x + 7, cy: d, r: 2, class: "ls-dot" }));
      if (b.repeat_end) {
        g.append(line(x + barW - 4, lineTop, x + barW - 4, lineBot, "ls-barline"));
        g.append(line(x + barW, lineTop, x + barW, lineBot, "ls-thick"));
        for (const d of dots(lineTop, lineBot)) g.append(el("circle", { cx: x + barW - 10, cy: d, r: 2, class: "ls-dot" }));
        if (b.repeat_end > 2) g.append(text(x + barW - 4, lineTop - 4, `×${b.repeat_end}`, "ls-small", "end"));
      } else if (col === 3 || i === c.bars.length - 1) g.append(line(x + barW, lineTop, x + barW, lineBot, i === c.bars.length - 1 ? "ls-thick" : "ls-barline"));
      if (b.ending) {
        const passes = [...Array(8).keys()].filter((k) => b.ending & (1 << k)).map((k) => k + 1 + ".").join("");
        g.append(el("polyline", { points: `${x + 2},${y + 16} ${x + 2},${y + 4} ${x + barW - 6},${y + 4}`, class: "ls-volta" }));
        g.append(text(x + 6, y + 15, passes, "ls-small"));
      }
      if (b.section) {
        const sx = col === 0 ? 2 : x - 4, w = 8 + 9 * b.section.length;
        g.append(el("rect", { x: sx, y: y + 2, width: w, height: 18, rx: 3, class: "ls-section" }));
        g.append(text(sx + 4, y + 15, b.section, "ls-section-text"));
      }
      // chord symbols where their beats fall
      const chordY = hasMelody ? y + 28 : y + 46;
      (b.chords || []).forEach((ch, k) => {
        const cx = x + (b.section && !ch.beat && col ? 14 : 10) + (ch.beat / beatsPerBar) * (barW - 16);
        g.append(text(cx, chordY, pretty(syms[i][k]), "ls-chord"));
      });
      if (hasMelody) this.notes(g, b.melody || [], x, barW, staffBot, beatsPerBar, n, key.flats);
      svg.append(g);
    });
    this.el.append(svg);
    if (this.bar >= 0) { const b = this.bar; this.bar = -1; this.setBar(b); }
  }

  // notes draws a bar's melody: heads by where they fall in the bar,
  // hollow from a half note up, stems, a flag under a beat, a dot for
  // dotted values, accidentals as the bar goes (a natural cancels one).
  notes(g, melody, x, barW, staffBot, beatsPerBar, n, flats) {
    const E4 = 2 + 7 * 4;                // the bottom line
    const yOf = (step) => staffBot - (step - E4) * 4;
    const held = new Map();              // step -> accidental in force this bar
    for (const m of melody) {
      const s = spell(m.pitch + n, flats), y = yOf(s.step);
      const nx = x + 18 + (m.beat / beatsPerBar) * (barW - 28);
      // ledger lines
      for (let st = E4 - 2; st >= s.step; st -= 2) g.append(line(nx - 8, yOf(st), nx + 8, yOf(st), "ls-staff"));
      for (let st = E4 + 10; st <= s.step; st += 2) g.append(line(nx - 8, yOf(st), nx + 8, yOf(st), "ls-staff"));
      const was = held.has(s.step) ? held.get(s.step) : 0;
      if (s.acc !== was) {
        g.append(text(nx - 15, y + 4, s.acc > 0 ? "♯" : s.acc < 0 ? "♭" : "♮", "ls-acc"));
        held.set(s.step, s.acc);
      }
      const beats = m.beats, hollow = beats >= 2 - 1e-6;
      g.append(el("ellipse", { cx: nx, cy: y, rx: 4.6, ry: 3.4, transform: `rotate(-20 ${nx} ${y})`, class: hollow ? "ls-head-hollow" : "ls-head-filled" }));
      if (beats < 4 - 1e-6) {
        const up = s.step < E4 + 4, sx = up ? nx + 4.2 : nx - 4.2, sy = up ? y - 26 : y + 26;
        g.append(line(sx, y, sx, sy, "ls-stem"));
        const flags = beats < 0.5 - 1e-6 ? 2 : beats < 1 - 1e-6 ? 1 : 0;
        for (let f = 0; f < flags; f++) {
          const fy = sy + (up ? 6 * f : -6 * f);
          g.append(el("path", { d: `M${sx},${fy} q7,${up ? 6 : -6} 6,${up ? 14 : -14}`, class: "ls-flag" }));
        }
      }
      const dotted = [0.75, 1.5, 3].some((d) => Math.abs(beats - d) < 1e-3);
      if (dotted) g.append(el("circle", { cx: nx + 8, cy: y - ((s.step - E4) % 2 === 0 ? 3 : 0), r: 1.6, class: "ls-dot" }));
    }
  }
}

function dots(top, bot) { const mid = (top + bot) / 2; return [mid - 5, mid + 5]; }
function el(name, attrs) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}
function line(x1, y1, x2, y2, cls) { return el("line", { x1, y1, x2, y2, class: cls }); }
function text(x, y, s, cls, anchor) {
  const t = el("text", { x, y, class: cls });
  if (anchor) t.setAttribute("text-anchor", anchor);
  t.textContent = s;
  return t;
}
