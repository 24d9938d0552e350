// leadsheet.js: the lead sheet. Chord symbols bar by bar in rows of four,
// section letters, repeat barlines and volta brackets as /api/open gives
// them, and the melody on a treble staff where the chart has one; drawn as
// SVG by this small renderer. Transposable, with parts for B♭, E♭ and F
// instruments: a part writes the chords and the melody a whole tone, a
// major sixth or a fifth above concert pitch, as those players read them,
// under the written key's signature, in notes sheet.js engraves (spelling,
// ties, rests, beams).
import { engrave, signature, spellIn, meterOf, writtenKey, moveChord, spellChord } from "./sheet.js";
// The chord speller lives in sheet.js, one spelling for the lead sheet and
// the roll; re-exported here where the lead sheet's callers look for it.
export { writtenKey, moveChord };

// PARTS: semitones a part is written above concert pitch (a B♭ trumpet's
// written D sounds C; an alto's written A sounds C; a horn's written G
// sounds C).
export const PARTS = { C: 0, Bb: 2, Eb: 9, F: 7 };
export const PART_NAMES = { C: "Concert", Bb: "B♭ instruments", Eb: "E♭ instruments", F: "F instruments" };

const NS = "http://www.w3.org/2000/svg";

// pretty writes a chord symbol as a lead sheet prints it: ♭ and ♯.
export function pretty(sym) {
  return sym.replace(/([A-G])b/g, "$1♭").replace(/b(\d)/g, "♭$1").replace(/#/g, "♯");
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
  // octave is the octave (-12, 0, 12 semitones) the part writes its melody
  // in on top of shift(): where the written notes would sit on average
  // above G5 or below D4, an octave nearer the staff's middle (an alto
  // reads a concert melody around E♭5 a sixth up, past C6; the page writes
  // it a third down instead, as E♭ lead sheets do). Concert pitch is
  // written where the chart has it.
  octave() {
    if (this.part === "C") return 0;
    const ps = this.chart ? this.chart.bars.flatMap((b) => (b.melody || []).map((m) => m.pitch + this.shift())) : [];
    if (!ps.length) return 0;
    const mean = ps.reduce((a, b) => a + b, 0) / ps.length;
    return mean > 79 ? -12 : mean < 62 ? 12 : 0;
  }

  // symbols lists each bar's chord symbols as this part reads them.
  symbols() {
    if (!this.chart) return [];
    const n = this.shift();
    return this.chart.bars.map((b) => (b.chords || []).map((c) => spellChord(c.symbol, n, this.chart.key)));
  }
  // melody lists each bar's written melody as this part reads it:
  // [{name: "D5", beat, beats}].
  melody() {
    if (!this.chart) return [];
    const n = this.shift(), k = writtenKey(this.chart.key, n), o = this.octave();
    return this.chart.bars.map((b) => (b.melody || []).map((m) => ({ name: spellIn(m.pitch + n + o, k.fifths).name, beat: m.beat, beats: m.beats })));
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
    const W = 960, left = 34, barW = (W - left - 6) / 4, rowH = hasMelody ? 156 : 64;
    const rows = Math.ceil(c.bars.length / 4), top = 26;
    const svg = el("svg", { viewBox: `0 0 ${W} ${top + rows * rowH + 8}`, class: "ls", role: "img",
      "aria-label": `${c.title}, ${PART_NAMES[this.part]}, in ${key.name}` });
    this.el.append(svg); // laid out as it is drawn, so that text can be measured
    svg.append(text(left, 16, `${c.title} · ${PART_NAMES[this.part]} · ${key.name}`, "ls-head"));
    const meter = meterOf(c.meter), beatsPerBar = meter.bar / meter.beat;
    const syms = this.symbols();
    const eng = hasMelody ? engrave(c.bars, c.meter, n + this.octave(), key.fifths) : null;
    const keySig = signature(key.fifths).glyphs;
    c.bars.forEach((b, i) => {
      const row = Math.floor(i / 4), col = i % 4;
      const x = left + col * barW, y = top + row * rowH;
      const staffTop = y + 58, staffBot = staffTop + 32;     // five lines, 8 apart: room above for notes up to C6 under the chords
      const lineTop = hasMelody ? staffTop : y + 22, lineBot = hasMelody ? staffBot : y + 56;
      const g = svg.appendChild(el("g", { "data-bar": i, class: "ls-bar" }));
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
      // A system opens with the clef and the key signature, the first one
      // with the time signature too; the bar's music starts after them.
      let lead = 0;
      if (hasMelody && col === 0) lead = this.signatures(g, x, staffTop, keySig, i === 0 ? c.meter : null);
      const at = hasMelody ? spacer(eng[i], x + lead + 12, barW - lead - 22, meter.bar) : (u) => x + lead + 14 + (u / meter.bar) * (barW - lead - 24);
      // chord symbols where their beats fall
      const chordY = hasMelody ? y + 32 : y + 46;
      // Where chords crowd a bar, the bar's symbols are set smaller, as
      // measured once drawn (or estimated at 0.7 em a letter where the
      // page is not laid out).
      const cxs = (b.chords || []).map((ch) => Math.max(x + (b.section && col ? 14 : 4),
        hasMelody ? at(ch.beat * meter.beat) - 8 : x + (b.section && !ch.beat && col ? 14 : 10) + (ch.beat / beatsPerBar) * (barW - 16)));
      const ts = (b.chords || []).map((ch, k) => g.appendChild(text(cxs[k], chordY, pretty(syms[i][k]), "ls-chord")));
      let scale = 1;
      ts.forEach((t, k) => {
        const room = (k + 1 < cxs.length ? cxs[k + 1] : x + barW + 4) - cxs[k] - 4;
        const w = (t.isConnected && t.getComputedTextLength()) || 0.7 * 17 * t.textContent.length;
        scale = Math.min(scale, Math.max(10 / 17, room / w));
      });
      if (scale < 1) for (const t of ts) t.setAttribute("style", `font-size:${(17 * scale).toFixed(1)}px`);
      if (hasMelody) this.notes(g, eng[i], at, x, barW, staffTop);
    });
    if (this.bar >= 0) { const b = this.bar; this.bar = -1; this.setBar(b); }
  }

  // signatures draws a system's clef, key signature and (on the first
  // system) the time signature; it gives the width they take.
  signatures(g, x, staffTop, keySig, meter) {
    const yOf = (step) => staffTop + 32 - (step - 30) * 4;
    g.append(glyph(text(x + 2, staffTop + 27, "𝄞", "ls-clef"), "clef", { "font-size": 38, "font-family": "Bravura, 'Noto Music', FreeSerif, 'Apple Symbols', serif" }));
    let w = 26;
    for (const k of keySig) {
      g.append(glyph(text(x + w, yOf(k.step) + 4, k.acc > 0 ? "♯" : "♭", "ls-acc"), k.acc > 0 ? "key-sharp" : "key-flat", { "data-step": k.step }));
      w += 7;
    }
    if (meter) {
      for (const [k, v] of [[0, meter[0]], [1, meter[1]]]) {
        g.append(glyph(text(x + w + 6, staffTop + 14 + 16 * k, String(v), "ls-time", "middle"), "time", { "font-size": 17, "font-weight": 700, "font-family": "Georgia, serif" }));
      }
      w += 14;
    }
    return w + 2;
  }

  // notes draws a bar's engraved melody (sheet.js's events): heads where
  // they fall in the bar (at maps u to x), accidentals, stems, beams or
  // flags, dots, ties, tuplet numbers, rests. Every glyph carries
  // data-glyph (and what it means) for glyphs() to read back.
  notes(g, evs, at, x, barW, staffTop) {
    const staffBot = staffTop + 32, E4 = 30;
    const yOf = (step) => staffBot - (step - E4) * 4;
    const heads = [];
    for (const e of evs) {
      const nx = at(e.start);
      if (e.kind === "rest") { this.rest(g, e, e.whole ? x + barW / 2 : nx, staffTop); continue; }
      const y = yOf(e.step);
      for (let st = E4 - 2; st >= e.step; st -= 2) g.append(glyph(line(nx - 8, yOf(st), nx + 8, yOf(st), "ls-staff"), "ledger"));
      for (let st = E4 + 10; st <= e.step; st += 2) g.append(glyph(line(nx - 8, yOf(st), nx + 8, yOf(st), "ls-staff"), "ledger"));
      if (e.acc !== null) g.append(glyph(text(nx - 15, y + 4, e.acc > 0 ? "♯" : e.acc < 0 ? "♭" : "♮", "ls-acc"), "accidental", { "data-step": e.step, "data-acc": e.acc }));
      const hollow = e.base >= 48;
      g.append(glyph(el("ellipse", { cx: nx, cy: y, rx: 4.6, ry: 3.4, transform: `rotate(-20 ${nx} ${y})`, class: hollow ? "ls-head-hollow" : "ls-head-filled" }), "note",
        { "data-step": e.step, "data-name": e.name, "data-start": e.start, "data-u": e.u, "data-value": e.base, "data-dots": e.dots,
          "data-group": e.group, "data-stem": e.base >= 96 ? "none" : e.up ? "up" : "down", "data-tie": e.tieStart ? "start" : "", "data-tied": e.tieEnd ? "end" : "" }));
      for (let d = 0; d < e.dots; d++) g.append(glyph(el("circle", { cx: nx + 8 + 4 * d, cy: y - ((e.step - E4) % 2 === 0 ? 3 : 0), r: 1.6, class: "ls-dot" }), "dot"));
      heads.push({ e, nx, y });
    }
    // Stems and flags for lone notes; beams for groups.
    const groups = new Map();
    for (const h of heads) {
      if (h.e.base >= 96) continue;
      const sx = h.e.up ? h.nx + 4.2 : h.nx - 4.2;
      if (h.e.group >= 0) { if (!groups.has(h.e.group)) groups.set(h.e.group, []); groups.get(h.e.group).push({ ...h, sx }); continue; }
      const sy = h.e.up ? h.y - 26 : h.y + 26;
      g.append(glyph(line(sx, h.y, sx, sy, "ls-stem"), "stem"));
      const flags = h.e.base <= 3 ? 3 : h.e.base <= 6 ? 2 : h.e.base <= 12 ? 1 : 0;
      for (let f = 0; f < flags; f++) {
        const fy = sy + (h.e.up ? 6 * f : -6 * f);
        g.append(glyph(el("path", { d: `M${sx},${fy} q7,${h.e.up ? 6 : -6} 6,${h.e.up ? 14 : -14}`, class: "ls-flag" }), "flag"));
      }
      if (h.e.tuplet) g.append(glyph(text(h.nx, h.e.up ? sy - 3 : h.y - 8, "3", "ls-small", "middle"), "tuplet"));
    }
    for (const [gi, list] of groups) this.beam(g, gi, list);
    // Ties: to the next head, or over the bar line to the bar's edge; a
    // tied-into note at the start of a bar gets the arc's end (the whole
    // of it at the start of a system, as engravers split a tie there).
    heads.forEach((h, k) => {
      const below = h.e.up, dy = below ? 5 : -5;
      if (h.e.tieStart) {
        const nxt = heads[k + 1], x2 = nxt && nxt.e.tieEnd ? nxt.nx - 5 : x + barW + 2;
        g.append(glyph(arc(h.nx + 5, h.y + dy, x2, below), "tie"));
      }
      if (h.e.tieEnd && h.e.start === 0) g.append(glyph(arc(h.nx - 20, h.y + dy, h.nx - 5, below), "tie", { "data-from": "bar-line" }));
    });
  }

  // beam draws a group's stems and beams: the beam follows the line from
  // the first note to the last, no steeper than a step in four pixels,
  // and no stem shorter than three spaces; sixteenths get a second beam
  // (a stub where one stands alone).
  beam(g, gi, list) {
    const up = list[0].e.up, first = list[0], last = list[list.length - 1];
    let slope = (last.y - first.y) / Math.max(1, last.sx - first.sx);
    slope = Math.max(-0.25, Math.min(0.25, slope));
    const base = (h) => h.y + (up ? -24 : 24) - slope * (h.sx - first.sx);
    const b0 = up ? Math.min(...list.map(base)) : Math.max(...list.map(base));
    const yAt = (sx) => b0 + slope * (sx - first.sx);
    const th = up ? 4 : -4;
    for (const h of list) g.append(glyph(line(h.sx, h.y, h.sx, yAt(h.sx), "ls-stem"), "stem"));
    const bar = (x1, x2, level) => {
      const o = level * (up ? 6 : -6);
      g.append(glyph(el("polygon", { points: `${x1},${yAt(x1) + o} ${x2},${yAt(x2) + o} ${x2},${yAt(x2) + o + th} ${x1},${yAt(x1) + o + th}`, fill: "#111" }), "beam",
        { "data-group": gi, "data-level": level + 1 }));
    };
    bar(first.sx, last.sx, 0);
    for (const [level, max] of [[1, 6], [2, 3]]) {
      for (let k = 0; k < list.length; k++) {
        if (list[k].e.base > max) continue;
        let j = k;
        while (j + 1 < list.length && list[j + 1].e.base <= max) j++;
        if (j > k) bar(list[k].sx, list[j].sx, level);
        else if (k === 0) bar(list[k].sx, list[k].sx + 7, level); // a stub inward
        else bar(list[k].sx - 7, list[k].sx, level);
        k = j;
      }
    }
    if (list.some((h) => h.e.tuplet)) {
      const mx = (first.sx + last.sx) / 2;
      g.append(glyph(text(mx, yAt(mx) + (up ? -4 : 12), "3", "ls-small", "middle"), "tuplet"));
    }
  }

  // rest draws a rest of value e.base (and its dots): a whole-bar rest
  // hangs under the fourth line in the middle of the bar.
  rest(g, e, nx, staffTop) {
    const m = { "data-value": e.base, "data-u": e.u, "data-start": e.start, "data-dots": e.dots };
    let w = 8;
    if (e.base >= 96) {
      g.append(glyph(el("rect", { x: nx - 5, y: staffTop + 8, width: 10, height: 4.5, fill: "#111" }), "rest", { ...m, "data-value": 96 }));
      return;
    }
    if (e.base === 48) g.append(glyph(el("rect", { x: nx - 5, y: staffTop + 11.5, width: 10, height: 4.5, fill: "#111" }), "rest", m));
    else if (e.base === 24) {
      const y0 = staffTop + 4;
      g.append(glyph(el("path", { d: `M${nx - 2},${y0} l5,7 l-5,6 l5,7 q-7,-3 -3,5`, fill: "none", stroke: "#111", "stroke-width": 2.2, "stroke-linejoin": "round" }), "rest", m));
      w = 6;
    } else {
      const hooks = e.base <= 3 ? 3 : e.base <= 6 ? 2 : 1, top = staffTop + 12 - 4 * (hooks - 1);
      const parts = [`M${nx + 3 + 2 * (hooks - 1)},${top} L${nx - 1},${staffTop + 28}`];
      for (let k = 0; k < hooks; k++) parts.push(`M${nx + 3 + 2 * (hooks - 1 - k) - 2 * (hooks - 1 - k)},${top + 8 * k} q-3,3 -6,0`);
      g.append(glyph(el("path", { d: parts.join(" "), fill: "none", stroke: "#111", "stroke-width": 1.5 }), "rest", m));
      for (let k = 0; k < hooks; k++) g.append(el("circle", { cx: nx - 3, cy: top + 8 * k - 1, r: 2, fill: "#111" }));
    }
    for (let d = 0; d < e.dots; d++) g.append(glyph(el("circle", { cx: nx + w + 4 * d, cy: staffTop + 10, r: 1.6, class: "ls-dot" }), "dot"));
  }

  // glyphs lists what is drawn in a bar (from 0), as the page drew it:
  // [{glyph: "note"|"rest"|"accidental"|"key-flat"|"key-sharp"|"beam"|
  // "stem"|"flag"|"tie"|"dot"|"ledger"|"clef"|"time"|"tuplet", and the
  // glyph's data: step, value, group, stem, acc, ...}], in drawing order.
  glyphs(bar) {
    return [...this.el.querySelectorAll(`[data-bar="${bar}"] [data-glyph]`)].map((e) => {
      const o = { glyph: e.dataset.glyph };
      for (const [k, v] of Object.entries(e.dataset)) if (k !== "glyph") o[k] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
      if (e.getAttribute("cx") !== null) { o.x = Number(e.getAttribute("cx")); o.y = Number(e.getAttribute("cy")); }
      else if (e.getAttribute("x") !== null) { o.x = Number(e.getAttribute("x")); o.y = Number(e.getAttribute("y")); }
      return o;
    });
  }
}

// spacer maps a time in the bar (u) to x as engravers space notes: each
// event takes room growing with the square root of its length (a half
// note is not eight sixteenths wide), plus room for its accidental, the
// whole scaled to the bar; times between events fall in proportion.
function spacer(evs, x0, width, barU) {
  const notes = evs.filter((e) => !e.whole);
  if (!notes.length) return (u) => x0 + 2 + (u / barU) * (width - 4);
  const pre = notes.map((e) => (e.acc !== null && e.acc !== undefined ? 9 : 0));
  const seg = notes.map((e, k) => pre[k] + (e.kind === "rest" ? 0.8 : 1) * (7 + 5 * Math.sqrt(e.u / 3)));
  const total = seg.reduce((a, b) => a + b, 0), k = width / total;
  const xs = [];
  let run = 0;
  notes.forEach((e, i) => { xs.push(x0 + (run + pre[i]) * k); run += seg[i]; });
  return (u) => {
    let i = notes.length - 1;
    while (i > 0 && notes[i].start > u) i--;
    const e = notes[i], next = i + 1 < notes.length ? xs[i + 1] : x0 + width;
    if (u <= e.start) return xs[i] - (e.start - u) / barU * width;
    return xs[i] + Math.min(1, (u - e.start) / e.u) * (next - xs[i]);
  };
}

function glyph(e, kind, data) {
  e.setAttribute("data-glyph", kind);
  for (const [k, v] of Object.entries(data || {})) e.setAttribute(k, v);
  return e;
}
function arc(x1, y, x2, below) {
  const mid = (x1 + x2) / 2, bend = below ? 5 : -5;
  return el("path", { d: `M${x1},${y} Q${mid},${y + 2 * bend} ${x2},${y}`, fill: "none", stroke: "#111", "stroke-width": 1.2 });
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
