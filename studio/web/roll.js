// roll.js: the piano roll. Time runs left to right, a page of eight bars
// around the playhead, chord symbols above each bar; every note is coloured
// by its authorship class (H, H+alg, M, M+h), the band's notes fainter.

const colours = { "H": "#4cc9f0", "H+alg": "#90e0ef", "M": "#f77f00", "M+h": "#ffba49" };
export const PAGE_BARS = 8;

// Chord symbols are spelled by sheet.js's spellChord, the lead sheet's
// speller: the roll's Em7 a whole tone up is the B♭ part's F♯m7.
export { spellChord as transposeSymbol } from "./sheet.js";
import { spellChord } from "./sheet.js";

export class Roll {
  constructor(canvas) {
    this.canvas = canvas;
    this.chart = null;    // /api/open's answer
    this.barMs = 2000;
    this.band = [];       // band notes {pitch, start_ms, duration_ms, class, channel}
    this.played = [];     // trade notes: yours and the sideman's {pitch, start_ms, duration_ms, class, id}
    this.playMs = -1;     // playhead, ms from the downbeat of bar 1
    this.pageBar = 0;
    this.transpose = 0;   // semitones, as the band is played
    this.highlight = null; // a Set of note ids to outline (an explanation pointed at)
    this.sketch = [];     // the coming answer as it forms (the server's latest sketch), outlined
  }

  setChart(chart) { this.chart = chart; this.band = []; this.played = []; this.sketch = []; this.pageBar = 0; this.draw(); }
  setBand(band) { this.band = band.notes.filter((n) => n.channel !== 9); this.barMs = band.bar_ms; this.draw(); }

  // symbolsAt lists the chord symbols of bar b (0-based; choruses repeat the
  // chart), moved as the band plays them and spelled in the moved key.
  symbolsAt(b) {
    if (!this.chart || !this.chart.bars.length) return [];
    const chords = this.chart.bars[b % this.chart.bars.length].chords || [];
    return chords.map((c) => ({ beat: c.beat, symbol: spellChord(c.symbol, this.transpose, this.chart.key) }));
  }

  setPlayhead(ms) {
    this.playMs = ms;
    if (ms >= 0) {
      const bar = Math.floor(ms / this.barMs);
      const page = Math.floor(bar / PAGE_BARS) * PAGE_BARS;
      if (page !== this.pageBar) this.pageBar = page;
    }
    this.draw();
  }

  draw() {
    const c = this.canvas, g = c.getContext("2d");
    const W = c.clientWidth || c.width, H = c.clientHeight || c.height;
    if (c.width !== W * devicePixelRatio) { c.width = W * devicePixelRatio; c.height = H * devicePixelRatio; }
    g.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
    g.clearRect(0, 0, W, H);
    const top = 22, left = 4;
    const t0 = this.pageBar * this.barMs, t1 = t0 + PAGE_BARS * this.barMs;
    const inView = (n) => n.start_ms < t1 && n.start_ms + n.duration_ms > t0;
    const bandView = this.band.filter(inView), playedView = this.played.filter(inView);
    let lo = 55, hi = 79;
    for (const n of bandView.concat(playedView, this.sketch.filter(inView))) { lo = Math.min(lo, n.pitch); hi = Math.max(hi, n.pitch); }
    lo -= 1; hi += 1;
    const x = (ms) => left + (ms - t0) / (t1 - t0) * (W - left);
    const rowH = (H - top) / (hi - lo + 1);
    const y = (p) => top + (hi - p) * rowH;
    this.geom = { t0, t1, left, W, top, rowH, hi }; // where notes lie, for edit.js
    // bars, beats and chord symbols
    const beats = this.chart ? this.chart.meter[0] : 4;
    g.font = "600 13px system-ui, sans-serif";
    for (let b = 0; b < PAGE_BARS; b++) {
      const bar = this.pageBar + b, bx = x(bar * this.barMs);
      g.fillStyle = "#2a2f38";
      g.fillRect(bx, top, 1, H - top);
      g.fillStyle = "#1a1d23";
      for (let k = 1; k < beats; k++) g.fillRect(x(bar * this.barMs + k * this.barMs / beats), top, 1, H - top);
      g.fillStyle = "#6b7280";
      g.fillText(String(bar + 1), bx + 3, 12);
      g.fillStyle = "#e8e6e1";
      for (const ch of this.symbolsAt(bar)) g.fillText(ch.symbol, x(bar * this.barMs + ch.beat * this.barMs / beats) + 22, 14);
    }
    // C lines
    g.fillStyle = "#1c2027";
    for (let p = lo; p <= hi; p++) if (p % 12 === 0) g.fillRect(left, y(p) + rowH - 1, W, 1);
    const drawNote = (n, alpha) => {
      g.globalAlpha = alpha;
      g.fillStyle = colours[n.class] || colours.M;
      g.fillRect(x(n.start_ms), y(n.pitch) + 1, Math.max(2, x(n.start_ms + n.duration_ms) - x(n.start_ms) - 1), Math.max(2, rowH - 2));
    };
    for (const n of bandView) drawNote(n, 0.28);
    for (const n of playedView) drawNote(n, n.start_ms > this.playMs ? 0.6 : 1);
    g.globalAlpha = 1;
    // the coming answer, dashed in the machine's colour until it is given
    g.setLineDash([4, 3]);
    g.lineWidth = 1.5;
    g.strokeStyle = colours.M;
    for (const n of this.sketch.filter(inView)) {
      g.strokeRect(x(n.start_ms) + 0.5, y(n.pitch) + 1.5, Math.max(2, x(n.start_ms + n.duration_ms) - x(n.start_ms) - 1), Math.max(2, rowH - 3));
    }
    g.setLineDash([]);
    if (this.highlight) {
      g.strokeStyle = "#ffffff";
      g.lineWidth = 2;
      for (const n of playedView) {
        if (!this.highlight.has(String(n.id))) continue;
        g.strokeRect(x(n.start_ms) - 2, y(n.pitch) - 1, Math.max(2, x(n.start_ms + n.duration_ms) - x(n.start_ms)) + 3, Math.max(2, rowH) + 2);
      }
    }
    if (this.playMs >= t0 && this.playMs <= t1) {
      g.fillStyle = "#f0b429";
      g.fillRect(x(this.playMs), top, 2, H - top);
    }
  }
}
