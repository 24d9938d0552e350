// loop.js: practise a passage. Choose bars ("9-12") or a section letter
// ("B") to loop, how many times round, and how many beats a minute faster
// each time; the server's band plays it (POST /api/band with loop, repeat,
// ramp: sideman band's --loop --repeat --ramp). A ramp makes the bars
// shorter as it goes, so the page finds its place through each bar's
// start (bar_starts_ms), not one bar length.

// resolveLoop turns what the musician typed into written bars from 1:
// "9-12", "9" (one bar) or a section letter, whose bars run to the next
// section's first bar. It returns null for an empty field and throws a
// one-line error for anything else it cannot read.
export function resolveLoop(chart, what) {
  what = String(what || "").trim();
  if (!what) return null;
  const n = chart.bars.length;
  let m = /^(\d+)\s*(?:[-–]\s*(\d+))?$/.exec(what);
  if (m) {
    const first = Number(m[1]), last = m[2] ? Number(m[2]) : first;
    if (first < 1 || last < first || last > n) throw new Error(`Loop ${what}: the tune has bars 1–${n}; write FIRST-LAST, e.g. 1-4.`);
    return { first, last };
  }
  const i = chart.bars.findIndex((b) => (b.section || "").toLowerCase() === what.toLowerCase());
  if (i < 0) {
    const letters = [...new Set(chart.bars.map((b) => b.section).filter(Boolean))];
    throw new Error(`Loop ${what}: no such section${letters.length ? " (this tune has " + letters.join(", ") + ")" : " (this tune has no section letters)"}; or write bars, e.g. 1-4.`);
  }
  let j = i + 1;
  while (j < n && !chart.bars[j].section) j++;
  return { first: i + 1, last: j };
}

// Timeline maps the band's milliseconds to its bars: which played bar
// sounds at a time, which written bar that is, the tempo there, and a
// warped time on an even grid of the first bar's length, for a roll drawn
// in bars of equal width.
export class Timeline {
  constructor(band, chart) {
    this.band = band;
    this.chart = chart;
    const b = band.bar_ms;
    this.starts = band.bar_starts_ms && band.bar_starts_ms.length ? band.bar_starts_ms : [...Array(band.bars + 1).keys()].map((i) => i * b);
    this.loop = band.loop || null;
  }
  // barAt is the played bar (0-based) sounding at ms; past the end, the
  // last bar's length continues.
  barAt(ms) {
    const s = this.starts;
    if (ms < s[0]) return -1;
    let lo = 0, hi = s.length - 1;
    if (ms >= s[hi]) return hi + Math.floor((ms - s[hi]) / this.band.bar_ms);
    while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (s[mid] <= ms) lo = mid; else hi = mid; }
    return lo;
  }
  barLength(bar) {
    const s = this.starts;
    return bar >= 0 && bar + 1 < s.length ? s[bar + 1] - s[bar] : this.band.bar_ms;
  }
  barStart(bar) {
    const s = this.starts;
    return bar < s.length ? s[bar] : s[s.length - 1] + (bar - s.length + 1) * this.band.bar_ms;
  }
  // warp puts ms on an even grid: bar k at k × bar_ms.
  warp(ms) {
    const bar = this.barAt(ms);
    if (bar < 0) return ms;
    return (bar + (ms - this.barStart(bar)) / this.barLength(bar)) * this.band.bar_ms;
  }
  // written is the chart's bar (0-based) that played bar `bar` plays.
  written(bar) {
    if (bar < 0) return -1;
    if (this.loop) return this.loop.first - 1 + bar % (this.loop.last - this.loop.first + 1);
    return bar % this.chart.bars.length;
  }
  // timeRound is which time round the loop is (1-based), 0 without one.
  timeRound(bar) { return this.loop ? Math.floor(bar / (this.loop.last - this.loop.first + 1)) + 1 : 0; }
  // bpm is the tempo of a played bar, from its length against the
  // first bar's (which is at the band's tempo).
  bpm(bar) { return Math.round(this.band.tempo * this.band.bar_ms / this.barLength(bar)); }
  // loopChart is the chart as the roll draws a loop: its bars only.
  loopChart() {
    if (!this.loop) return this.chart;
    return { ...this.chart, bars: this.chart.bars.slice(this.loop.first - 1, this.loop.last) };
  }
  // warpedBand is the band with its notes on the even grid (the roll draws
  // bars of one width).
  warpedBand() {
    const notes = this.band.notes.map((n) => {
      const s = this.warp(n.start_ms), e = this.warp(n.start_ms + n.duration_ms);
      return { ...n, start_ms: s, duration_ms: Math.max(1, e - s) };
    });
    return { ...this.band, notes };
  }
}

// tradeLoop is what the trade message adds for a looped band: the same
// loop, repeat and ramp as /api/band, so that the server trades over the
// bars the band plays, at their times (docs/studio-protocol.md).
export function tradeLoop(band) {
  if (!band || !band.loop) return {};
  const l = band.loop;
  return { loop: `${l.first}-${l.last}`, repeat: l.repeat, ramp: l.ramp };
}

// tradeSays tells the musician who plays when: over a loop the turns run
// on across the times round (the player first), however short the loop.
export function tradeSays(band, bars, looped, partner = "the sideman") {
  if (!band.loop) return `Trading ${bars}s: you play bars 1–${bars}, ${partner} answers ${bars + 1}–${2 * bars}.`;
  const len = band.loop.last - band.loop.first + 1;
  const turns = len === bars ? `you take the first time round, ${partner} the second, and so on`
    : `turns of ${bars} bars run on across the times round, you first`;
  return `${looped} Trading ${bars}s over the loop: ${turns}; the answers follow the ramp.`;
}
