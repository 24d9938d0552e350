// app.js: the studio page. Open a tune, play it with the band, trade
// fours with the sideman, keep what you made. Talks to the server through
// api.js (HTTP and the websocket protocol in docs/studio-protocol.md).
import { getJSON, postJSON, call, socket } from "./api.js";
import * as audio from "./audio.js";
import * as input from "./input.js";
import { Roll, transposeSymbol } from "./roll.js";
import { LeadSheet } from "./leadsheet.js";
import { resolveLoop, Timeline, tradeLoop, tradeSays } from "./loop.js";
import { installEditing } from "./edit.js";
import { installImport } from "./import.js";

const $ = (id) => document.getElementById(id);
const YOU = 14, SIDEMAN = 15;          // MIDI channels of your playing and the sideman's answers
const YOU_PROGRAM = 0, SIDEMAN_PROGRAM = 65;   // acoustic piano; alto sax

const state = {
  chart: null, band: null, bandKey: "",
  playing: false, t0: 0,               // audio-clock seconds of the downbeat of bar 1
  trade: null,                         // {bars, ws} while trading
  held: new Map(),                     // pitch -> your sounding note in the roll
  sustain: false, sustained: new Set(),
};
// What tests and curious musicians can read: window.sideman.
const stats = { answers: [], sketches: [], sent: 0, keyToSendMs: [], keyToServerMs: [] };
const exportsDone = {};
window.sideman = { input: { noteOn: input.noteOn, noteOff: input.noteOff, onNote: input.onNote }, state, stats, exports: exportsDone, level: audio.level, now: audio.now, heard: audio.heardNow, engine: () => audio.engine, shiftSynthLag: audio.shiftSynthLag };

const roll = new Roll($("roll"));
window.sideman.roll = roll;
window.sideman.transposeSymbol = transposeSymbol;
const sheet = new LeadSheet($("leadsheet"));
window.sideman.leadsheet = sheet;
const showSheet = () => { sheet.transpose = Number($("transpose").value) || 0; sheet.part = $("part").value; sheet.render(); };
$("transpose").addEventListener("input", showSheet);
$("part").addEventListener("change", showSheet);

function say(text, error = false) {
  const m = $("message");
  m.textContent = text;
  m.className = error ? "error" : "";
}
function fail(e) { say(e.message || String(e), true); }
window.sideman.edit = installEditing(roll, say);

// ---- the tune ----------------------------------------------------------

async function init() {
  try {
    const [examples, styles] = await Promise.all([getJSON("/api/examples"), getJSON("/api/styles")]);
    $("example").innerHTML = "<option value=''>—</option>" + examples.map((e) => `<option value="${esc(e.name)}">${esc(e.title || e.name)}</option>`).join("");
    // The chart's own style first: a blues should swing unless you say otherwise.
    $("style").innerHTML = "<option value=''>the chart's</option>" + styles.map((s) => `<option>${esc(s)}</option>`).join("");
    // The feels are a choice, not a need: a server without the list still plays.
    getJSON("/api/feels").then((feels) => {
      $("feel").insertAdjacentHTML("beforeend", feels.map((f) => `<option value="${esc(f.name)}" title="${esc(f.description)}">${esc(f.name)}</option>`).join(""));
    }).catch(() => {});
    say("Pick a tune, then press Play.");
  } catch (e) { fail(e); }
  input.startMIDI((line) => { $("midi-status").textContent = line; });
  input.buildKeyboard($("keyboard"));
  showKeyboardState();
  showCalibration();
}

function esc(s) { return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]); }

async function openChart(body) {
  stop();
  try {
    const chart = await postJSON("/api/open", body);
    state.chart = chart; state.band = null; state.bandKey = "";
    if (chart.tempo) $("tempo").value = chart.tempo;
    $("chart-title").textContent = `${chart.title} — ${chart.key || ""} ${chart.meter.join("/")}, ${chart.bars.length} bars` + (chart.style ? `, ${chart.style}` : "");
    roll.setChart(chart);
    sheet.loop = null; sheet.setChart(chart); showSheet();
    say(`Opened “${chart.title}”. Press Play.`);
    return chart;
  } catch (e) { fail(e); }
}

$("example").addEventListener("change", () => { if ($("example").value) openChart({ example: $("example").value }); });
// Once a menu is chosen, the keys play notes again (not the menu).
document.addEventListener("change", (e) => { if (e.target.tagName === "SELECT") e.target.blur(); });
$("open-text").addEventListener("click", () => {
  const text = $("chart-text").value.trim();
  if (!text) { say("Paste an iReal link or chart text first.", true); return; }
  openChart({ text });
});
// A file from disk, picked or dropped on the page (import.js).
window.sideman.import = installImport({ input: $("chart-file"), tuneRow: $("import-tune-row"), tuneInput: $("import-tune"), tuneButton: $("import-open"), open: openChart, say });

const taps = [];
$("tap").addEventListener("click", () => {
  const t = performance.now();
  while (taps.length && t - taps[taps.length - 1] > 2000) taps.length = 0;
  taps.push(t);
  if (taps.length >= 3) {
    const iv = (taps[taps.length - 1] - taps[0]) / (taps.length - 1);
    $("tempo").value = Math.round(60000 / iv);
  }
});

// ---- the band ----------------------------------------------------------

async function loadBand() {
  const req = {
    chart: state.chart.id, style: $("style").value, tempo: Number($("tempo").value),
    choruses: Number($("choruses").value), transpose: Number($("transpose").value), seed: 1, feel: $("feel").value,
  };
  const loop = resolveLoop(state.chart, $("loop").value);   // loop.js: bars or a section letter
  if (loop) Object.assign(req, { loop: `${loop.first}-${loop.last}`, repeat: Number($("loop-repeat").value) || 4, ramp: Number($("loop-ramp").value) || 0 });
  const key = JSON.stringify(req);
  if (state.band && state.bandKey === key) return state.band;
  const band = await postJSON("/api/band", req);
  band.notes.sort((a, b) => a.start_ms - b.start_ms);
  band.end_ms = band.notes.reduce((a, n) => Math.max(a, n.start_ms + n.duration_ms), 0);
  state.band = band; state.bandKey = key;
  roll.transpose = req.transpose;
  // A loop is drawn as its bars, on an even grid however the ramp runs.
  state.timeline = new Timeline(band, state.chart);
  const rollChart = state.timeline.loopChart();
  if (roll.chart !== rollChart) roll.setChart(rollChart);
  roll.setBand(band.loop ? state.timeline.warpedBand() : band);
  sheet.loop = band.loop || null; showSheet();
  buildMixer(band);
  return band;
}

const mixer = new Map();   // part -> {channels, level, mute}
function buildMixer(band) {
  const parts = new Map();
  for (const n of band.notes) {
    if (!parts.has(n.part)) parts.set(n.part, { channels: new Set(), program: n.program });
    parts.get(n.part).channels.add(n.channel);
  }
  parts.set("you", { channels: new Set([YOU]) });
  parts.set("sideman", { channels: new Set([SIDEMAN]) });
  const el = $("mixer");
  el.innerHTML = "";
  for (const [name, p] of parts) {
    const prev = mixer.get(name);
    const m = { channels: [...p.channels], level: prev ? prev.level : 0.8, mute: prev ? prev.mute : false, program: p.program };
    mixer.set(name, m);
    const label = document.createElement("span"); label.textContent = name;
    const range = document.createElement("input"); range.type = "range"; range.min = 0; range.max = 1; range.step = 0.01; range.value = m.level;
    range.setAttribute("aria-label", name + " level");
    const mute = document.createElement("button"); mute.textContent = "mute"; mute.classList.toggle("on", m.mute);
    range.addEventListener("input", () => { m.level = Number(range.value); applyMix(m); });
    mute.addEventListener("click", () => { m.mute = !m.mute; mute.classList.toggle("on", m.mute); applyMix(m); });
    el.append(label, range, mute);
  }
}
function applyMix(m) { for (const ch of m.channels) audio.setVolume(ch, m.mute ? 0 : m.level); }

let timer = 0, next = 0, raf = 0;
const LOOKAHEAD = 0.3;

async function play() {
  if (!state.chart) { say("Open a tune first.", true); return; }
  stop();
  say("Loading the band…");
  const note = await audio.load();
  let band;
  try { band = await loadBand(); } catch (e) { fail(e); return; }
  const programs = new Map();
  for (const n of band.notes) if (n.channel !== 9) programs.set(n.channel, n.program);
  for (const [ch, prog] of programs) audio.program(ch, prog);
  audio.program(YOU, YOU_PROGRAM); audio.program(SIDEMAN, SIDEMAN_PROGRAM);
  for (const m of mixer.values()) applyMix(m);
  stats.synthLagMs = (await audio.probeSynth()) * 1000;
  const countIn = $("countin").checked ? band.bar_ms / 1000 : 0;
  state.t0 = audio.now() + 0.2 + countIn;
  if (countIn) {
    const beats = state.chart.meter[0];
    for (let k = 0; k < beats; k++) {
      const t = state.t0 - countIn + k * countIn / beats;
      audio.noteOn(9, k === 0 ? 76 : 77, 110, t);
      audio.noteOff(9, k === 0 ? 76 : 77, t + 0.1);
    }
  }
  state.playing = true; next = 0;
  schedule();
  timer = setInterval(schedule, 25);
  // The playhead follows what you hear.
  const tick = () => {
    if (!state.playing) return;
    const ms = (audio.heardNow() - state.t0) * 1000, tl = state.timeline;
    showPosition(ms); roll.setPlayhead(band.loop ? tl.warp(ms) : ms); sheet.setBar(tl.written(tl.barAt(ms)));
    raf = requestAnimationFrame(tick);
  };
  raf = requestAnimationFrame(tick);
  let bars = Number($("trade-bars").value);
  const looped = band.loop ? `Looping bars ${band.loop.first}–${band.loop.last} ×${band.loop.repeat}${band.loop.ramp ? `, ${band.loop.ramp > 0 ? "+" : ""}${band.loop.ramp} bpm each time` : ""}.` : "";
  if (bars) await startTrade(bars);
  const partner = $("trade-with").value === "drums" ? "the drummer" : "the sideman";
  say((note ? note + " " : "") + (bars ? tradeSays(band, bars, looped, partner) : looped || "Playing."), !!note);
}

function schedule() {
  const notes = state.band.notes, horizon = audio.now() + LOOKAHEAD;
  while (next < notes.length && state.t0 + notes[next].start_ms / 1000 < horizon) {
    const n = notes[next++], t = state.t0 + n.start_ms / 1000;
    if (layOut(n)) continue;
    audio.noteOn(n.channel, n.pitch, n.velocity, t);
    audio.noteOff(n.channel, n.pitch, state.t0 + heldUntil(n) / 1000);
  }
  if (next >= notes.length && audio.now() > state.t0 + state.band.end_ms / 1000 + 0.5) stop();
}

// layOut: trading with the drummer, the band lays out for the drum breaks
// (the drummer's bars), as a rhythm section does. A note is the bar's it
// is played for: the feel plays a downbeat up to a 32nd early, and that
// note is still the next bar's (the band comes back on the player's
// downbeat, and does not play the drummer's). Bars through the timeline
// (a loop's ramp makes them uneven).
function playedFor(n) { return state.timeline.barAt(n.start_ms + state.band.bar_ms / 32); }
function layOut(n) {
  const tr = state.trade;
  return !!tr && tr.with === "drums" && Math.floor(playedFor(n) / tr.bars) % 2 === 1;
}
// heldUntil is where a band's note stops (ms): its end, or the downbeat of
// the drummer's break it would ring into.
function heldUntil(n) {
  const tr = state.trade, end = n.start_ms + n.duration_ms;
  if (!tr || tr.with !== "drums") return end;
  return Math.min(end, state.timeline.barStart((Math.floor(playedFor(n) / tr.bars) + 1) * tr.bars));
}

function stop() {
  if (!state.playing) return;
  state.playing = false;
  clearInterval(timer); cancelAnimationFrame(raf);
  audio.stopAll();
  if (state.trade) { state.trade.ws.ws.close(); state.trade = null; }
  say("Stopped.");
}

// rollMs is where the roll draws a time (ms from bar 1): a loop's bars on
// an even grid however the ramp runs (loop.js), else the time itself.
function rollMs(ms) { return state.band && state.band.loop && state.timeline ? state.timeline.warp(ms) : ms; }

function showPosition(ms) {
  if (ms < 0) { $("position").textContent = "count-in"; return; }
  const tl = state.timeline, bar = tl.barAt(ms), beats = state.chart.meter[0], len = tl.barLength(bar);
  const beat = Math.min(beats - 1, Math.floor((ms - tl.barStart(bar)) / (len / beats)));
  let who = "";
  if (state.trade) who = Math.floor(bar / state.trade.bars) % 2 === 0 ? " · you" : " · sideman";
  if (tl.loop) {
    $("position").textContent = `bar ${tl.written(bar) + 1} beat ${beat + 1} · time ${Math.min(tl.timeRound(bar), tl.loop.repeat)}/${tl.loop.repeat} · ${tl.bpm(bar)} bpm${who}`;
    return;
  }
  $("position").textContent = `bar ${bar + 1} beat ${beat + 1}${who}`;
}

$("play").addEventListener("click", play);
$("stop").addEventListener("click", stop);

// ---- what you play -----------------------------------------------------

let humanCount = 0;
input.onNote((n) => {
  if (n.on) audio.noteOn(YOU, n.pitch, n.velocity);
  else if (state.sustain) state.sustained.add(n.pitch);
  else audio.noteOff(YOU, n.pitch);
  const rel = (n.time - state.t0) * 1000;
  let id;
  if (n.on) {
    const rn = { id: "h" + (++humanCount), pitch: n.pitch, start_ms: rollMs(rel), duration_ms: 120, class: "H", open: true };
    state.held.set(n.pitch, rn);
    id = rn.id;
    if (state.playing) roll.played.push(rn);
  } else {
    const rn = state.held.get(n.pitch);
    if (rn) { rn.duration_ms = Math.max(30, rollMs(rel) - rn.start_ms); rn.open = false; state.held.delete(n.pitch); id = rn.id; }
  }
  if (state.trade) {
    // id (an addition to the protocol) names the note, so that an answer's
    // explanation can point at it ("from").
    state.trade.ws.send({ type: "note", id, pitch: n.pitch, velocity: n.velocity, on: n.on, time_ms: n.time * 1000 });
    // The server answers a note-on with "noted", naming the note by its id
    // in the project: the id an answer's explanation points at.
    const wire = performance.now();
    if (n.on) state.trade.sent.set(n.pitch + "@" + n.time * 1000, { rn: state.held.get(n.pitch), key: n.perf, wire });
    stats.sent++;
    stats.keyToSendMs.push(wire - n.perf);   // key event to the message on the wire
  }
  if (!state.playing) roll.draw();
});
input.keyboard.onSustain = (on) => {
  state.sustain = on;
  audio.sustain(YOU, on);
  if (!on) { for (const p of state.sustained) if (!input.isHeld(p)) audio.noteOff(YOU, p); state.sustained.clear(); }
};
function showKeyboardState() {
  $("octave").textContent = "C" + input.keyboard.octave;
  $("velocity").textContent = input.keyboard.velocity;
}
input.keyboard.onChange = showKeyboardState;

// ---- trading -----------------------------------------------------------

async function startTrade(bars) {
  const ws = socket(onServerMessage, () => { if (state.trade && state.trade.ws === ws && !state.trade.ended) { say("The trade connection closed: the server is unreachable.", true); state.trade = null; } });
  state.trade = { bars, ws, sent: new Map(), with: $("trade-with").value };
  try { await ws.opened; } catch (e) { fail(e); state.trade = null; return; }
  ws.send({ type: "trade", chart: state.chart.id, tune: state.chart.title, bars, tempo: state.band.tempo, with: state.trade.with, ...tradeLoop(state.band) });
  ws.send({ type: "start", time_ms: state.t0 * 1000, now_ms: audio.now() * 1000 });
}

function onServerMessage(m) {
  if (m.type === "error") { say("Server: " + m.error, true); return; }
  if (m.type === "noted" && state.trade) {
    const key = m.pitch + "@" + m.time_ms, sent = state.trade.sent.get(key);
    if (sent) {
      if (sent.rn) sent.rn.id = String(m.id);
      state.trade.sent.delete(key);
      // key event to note-on at the server: to the wire, then half the
      // round trip the "noted" took (the server's clock is not the page's)
      stats.keyToServerMs.push(sent.wire - sent.key + (performance.now() - sent.wire) / 2);
    }
    return;
  }
  if (m.type === "sketch" && state.trade) { showSketch(m); return; }
  // The server's end (a loop's last turn answered) closes the socket: no error.
  if (m.type === "end" && state.trade) { state.trade.ended = true; return; }
  if (m.type !== "answer" || !state.trade) return;
  roll.sketch = [];
  $("forming").textContent = "";
  const received = performance.now(), recvAudioMs = audio.now() * 1000;
  let first = Infinity;
  // The drummer's strokes carry channel 9 and play on the band's kit; the
  // soloist's play on the sideman's channel.
  const drums = m.notes.some((n) => n.channel === 9);
  for (const n of m.notes) {
    const ch = n.channel === 9 ? 9 : SIDEMAN;
    audio.noteOn(ch, n.pitch, n.velocity, n.start_ms / 1000);
    audio.noteOff(ch, n.pitch, (n.start_ms + n.duration_ms) / 1000);
    first = Math.min(first, n.start_ms);
  }
  const scheduledAudioMs = audio.now() * 1000;
  const scheduleMs = performance.now() - received;
  const downbeatMs = state.t0 * 1000 + state.timeline.barStart(m.bar - 1);   // the band's bars (a loop's ramp)
  // Where the first note will sound on the audio clock: its start, or now if
  // the answer came too late for it.
  const firstSoundsMs = Math.max(first, scheduledAudioMs);
  const a = {
    bar: m.bar, notes: m.notes.length, compute_ms: m.compute_ms,
    schedule_ms: scheduleMs,                       // answer received -> handed to the worklet
    lead_ms: downbeatMs - recvAudioMs,             // how long before its downbeat it arrived
    first_note_error_ms: firstSoundsMs - downbeatMs, // first note vs the downbeat, audio clock
    late_ms: Math.max(0, scheduledAudioMs - first),
    output_latency_ms: audio.outputLatency() * 1000,
    pitches: m.notes.map((n) => n.pitch),
    channel: drums ? 9 : SIDEMAN,                  // where it played
  };
  stats.answers.push(a);
  // Where the answer really starts sounding (the synth's output for the
  // sideman's channel, measured in the audio thread), against its first note.
  let statsEl = null;
  // (The band's drums share channel 9: a drum answer's onset is not measured.)
  if (m.notes.length && !drums) audio.onsetAfter(Math.max(first / 1000 - 0.05, audio.now())).then((o) => {
    if (o === null) return;
    a.onset_ms = o.start * 1000;
    a.onset_error_ms = o.start * 1000 - first;          // the voice starts
    a.audible_error_ms = o.audible * 1000 - first;      // its attack reaches -60 dBFS
    a.onset_vs_downbeat_ms = o.start * 1000 - downbeatMs;
    a.synth_lag_ms = audio.synthLag * 1000;              // the lag it was scheduled by
    // (an answer that came after its first note's time says nothing of the synth)
    if (a.late_ms === 0) stats.synthLagMs = audio.observeOnset(first / 1000, o.start) * 1000;
    if (statsEl) statsEl.textContent += ` · sounded ${a.onset_vs_downbeat_ms >= 0 ? "+" : ""}${a.onset_vs_downbeat_ms.toFixed(1)} ms from the downbeat`;
  });
  for (const n of m.notes) {
    if (n.channel === 9) continue; // the drummer's strokes: not on the piano roll
    const s = rollMs(n.start_ms - state.t0 * 1000), e = rollMs(n.start_ms + n.duration_ms - state.t0 * 1000);
    roll.played.push({ id: n.id, pitch: n.pitch, start_ms: s, duration_ms: Math.max(1, e - s), class: n.class || "M" });
  }
  roll.draw();
  statsEl = showAnswer(a, m.explanation || []);
}

// showSketch draws the coming answer as it forms: the answer the notes
// played so far would get, outlined in the bars it will fill, replaced by
// the next sketch and at last by the answer itself.
function showSketch(m) {
  roll.sketch = m.notes.filter((n) => n.channel !== 9).map((n) => {
    const s = rollMs(n.start_ms - state.t0 * 1000), e = rollMs(n.start_ms + n.duration_ms - state.t0 * 1000);
    return { id: n.id, pitch: n.pitch, start_ms: s, duration_ms: Math.max(1, e - s), class: "M" };
  });
  stats.sketches.push({ bar: m.bar, notes: m.notes.length, heard: m.heard.length, compute_ms: m.compute_ms, pitches: m.notes.map((n) => n.pitch) });
  const el = $("forming");
  if (el) el.textContent = m.notes.length ? `Forming its answer for bars ${m.bar}–${m.to_bar}: ${m.notes.length} notes from your ${m.heard.length} so far` : "";
  roll.draw();
}

// explain renders one development of the trade's explanation ({op, detail,
// from, to}: the operation, what it did, your notes it develops, the answer's
// notes it made), or a plain string.
function explain(e) {
  if (typeof e === "string") return esc(e);
  const parts = [];
  if (e.op) parts.push(`<b>${esc(e.op)}</b>`);
  if (e.detail) parts.push(esc(e.detail));
  const from = e.from || [], to = e.to || [];
  if (from.length || to.length) parts.push(`<span class="hint">${to.length} of its notes from ${from.length} of yours</span>`);
  return parts.length ? parts.join(" · ") : esc(JSON.stringify(e));
}

function showAnswer(a, explanation) {
  const el = $("answers");
  const hint = el.querySelector(".hint"); if (hint) hint.remove();
  const d = document.createElement("div");
  d.className = "answer";
  const timing = a.late_ms > 0 ? `<b>${a.late_ms.toFixed(1)} ms late</b>` : `arrived ${a.lead_ms.toFixed(0)} ms early`;
  d.innerHTML = `<div>Bars ${a.bar}–${a.bar + state.trade.bars - 1}: ${a.notes} notes</div>` +
    `<div class="stats">compute ${Number(a.compute_ms).toFixed(1)} ms · ${timing} · scheduled in ${a.schedule_ms.toFixed(2)} ms</div>` +
    (explanation.length ? "<ul>" + explanation.map((e) => `<li>${explain(e)}</li>`).join("") + "</ul>" : "");
  // Pointing at a development shows its notes in the roll: yours it
  // developed and the answer's it made.
  d.querySelectorAll("li").forEach((li, i) => {
    const e = explanation[i];
    if (typeof e !== "object" || e === null) return;
    const ids = new Set([...(e.from || []), ...(e.to || [])].map(String));
    li.addEventListener("mouseenter", () => { roll.highlight = ids; roll.draw(); });
    li.addEventListener("mouseleave", () => { roll.highlight = null; roll.draw(); });
  });
  el.prepend(d);
  return d.querySelector(".stats");
}

// ---- keeping it --------------------------------------------------------

for (const b of document.querySelectorAll("[data-export]")) {
  b.addEventListener("click", async () => {
    const format = b.dataset.export;
    try {
      const res = await call("/api/export?format=" + format);
      const blob = await res.blob();
      const head = new Uint8Array(await blob.slice(0, 4).arrayBuffer());
      // The bytes too (base64), for whoever checks what the page saved.
      const b64 = await new Promise((ok, bad) => {
        const r = new FileReader();
        r.onload = () => ok(String(r.result).replace(/^data:[^,]*,/, ""));
        r.onerror = () => bad(r.error);
        r.readAsDataURL(blob);
      });
      exportsDone[format] = { size: blob.size, head: String.fromCharCode(...head), type: blob.type, base64: b64 };
      const name = (res.headers.get("Content-Disposition") || "").match(/filename="?([^";]+)/);
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = name ? name[1] : "sideman." + (format === "report" ? "txt" : format);
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      say(`Saved ${a.download} (${blob.size} bytes).`);
    } catch (e) { fail(e); }
  });
}
$("verify").addEventListener("click", async () => {
  try {
    const v = await getJSON("/api/ledger/verify");
    $("ledger").textContent = v.ok ? `The ledger verifies: ${v.records} records.` : "The ledger does NOT verify" + (v.error ? ": " + v.error : ".");
    exportsDone.ledger = v;
  } catch (e) { fail(e); }
});

// ---- latency calibration -----------------------------------------------

function showCalibration() {
  $("cal-result").textContent = `input ${input.inputLatencyMs.toFixed(0)} ms · output ${(audio.outputLatency() * 1000).toFixed(0)} ms`;
}
$("calibrate").addEventListener("click", async () => {
  await audio.load();
  const period = 0.6, count = 8, start = audio.now() + 0.5;
  const clicks = [];
  window.sideman.calibration = { clicks, done: false };
  for (let k = 0; k < count; k++) { const t = start + k * period; clicks.push(t); audio.noteOn(9, 76, 120, t); audio.noteOff(9, 76, t + 0.1); }
  const offsets = [];
  // A click scheduled at time c is heard when heardNow() is c: the offset
  // of a press is how late your key presses arrive, less nothing else.
  input.keyboard.onAnyKey = () => {
    const t = audio.heardNow();
    const near = clicks.reduce((a, c) => Math.abs(c - t) < Math.abs(a - t) ? c : a);
    if (Math.abs(t - near) < period / 2) offsets.push((t - near) * 1000);
  };
  say("Play along with the eight clicks…");
  setTimeout(() => {
    input.keyboard.onAnyKey = null;
    const use = offsets.slice(2).sort((a, b) => a - b);
    if (use.length < 3) { say("Calibration needs at least five presses on the clicks; try again.", true); return; }
    const med = use[Math.floor(use.length / 2)];
    input.setInputLatency(Math.max(0, med));
    window.sideman.calibration.done = true;
    showCalibration();
    say(`Calibrated: your notes arrive ${med.toFixed(0)} ms after the click you hear; the page now takes that off.`);
  }, (start - audio.now() + count * period + 0.4) * 1000);
});

window.addEventListener("resize", () => roll.draw());
init();
