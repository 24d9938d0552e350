// audio.js: the sound. A SoundFont synthesizer running in an AudioWorklet
// (spessasynth_lib's WorkletSynthesizer) with the SoundFont the server
// serves; when either is missing, a plain oscillator stands in so that the
// page still plays, and the page says why.
import { call } from "./api.js";

export const ctx = new AudioContext({ latencyHint: "interactive" });
const master = ctx.createGain();
const analyser = ctx.createAnalyser();
analyser.fftSize = 2048;
master.connect(analyser);
analyser.connect(ctx.destination);

let synth = null;      // WorkletSynthesizer once loaded
let loading = null;
export let engine = "none";

// load starts the AudioContext and the synth; it resolves with a line that
// says which engine plays, and never throws.
export function load() {
  if (!loading) loading = loadSynth();
  return loading;
}

async function loadSynth() {
  try { await ctx.resume(); } catch (e) { /* resumed later on a gesture */ }
  let lib;
  try {
    lib = await import("spessasynth_lib");
    await ctx.audioWorklet.addModule("./vendor/spessasynth_lib/spessasynth_processor.min.js");
  } catch (e) {
    engine = "oscillator";
    return "No SoundFont synth in this build (run `make` or tools/spessasynth/install.sh): playing simple tones.";
  }
  let sf;
  try {
    sf = await (await call("/api/soundfont")).arrayBuffer();
  } catch (e) {
    engine = "oscillator";
    return "No SoundFont: " + e.message + ". Playing simple tones.";
  }
  try {
    const s = new lib.WorkletSynthesizer(ctx);
    s.connect(master);
    await s.soundBankManager.addSoundBank(sf, "main");
    await s.isReady;
    synth = s;
    engine = "soundfont";
    try { await watchOnsets(); } catch (e) { onsetNodes.clear(); }
    return "";
  } catch (e) {
    engine = "oscillator";
    return "The SoundFont could not be read (" + e.message + "): playing simple tones.";
  }
}

// now is the audio clock in seconds: where sound is being computed, the
// clock notes are scheduled on. In Chromium it moves in steps of a few
// render quanta (about 9 ms).
export function now() { return ctx.currentTime; }

// heardNow is the audio-clock time being heard at this moment: the sound
// scheduled for time T reaches the speaker when heardNow() is T. It runs
// smoothly (getOutputTimestamp, carried on by performance.now()), and it is
// the clock your playing is stamped with, so that a note played with the
// band gets the band's time whatever the output latency. perf, when given,
// is a performance.now() time to convert instead of now.
export function heardNow(perf) {
  const p = perf === undefined ? performance.now() : perf;
  const ts = ctx.getOutputTimestamp ? ctx.getOutputTimestamp() : null;
  if (!ts || !ts.performanceTime) return ctx.currentTime - outputLatency() - (performance.now() - p) / 1000;
  return ts.contextTime + (p - ts.performanceTime) / 1000;
}

// Output latency in seconds: what the browser reports for the path from the
// audio clock to the speaker.
export function outputLatency() {
  return (ctx.outputLatency || 0) + (ctx.baseLatency || 0);
}

const oscVoices = new Map();

function oscKey(ch, p) { return ch * 128 + p; }

export function noteOn(ch, pitch, vel, t) {
  if (synth) { synth.noteOn(ch, pitch, vel, t !== undefined ? { time: t - synthLag } : undefined); return; }
  if (ch === 9) return percussion(vel, t);
  const when = Math.max(t || 0, ctx.currentTime);
  const o = ctx.createOscillator(), g = ctx.createGain();
  o.type = "triangle";
  o.frequency.value = 440 * Math.pow(2, (pitch - 69) / 12);
  g.gain.setValueAtTime(0, when);
  g.gain.linearRampToValueAtTime(0.25 * vel / 127 * (volume[ch] ?? 1), when + 0.005);
  o.connect(g).connect(master);
  o.start(when);
  const k = oscKey(ch, pitch);
  const list = oscVoices.get(k) || [];
  list.push({ o, g, when });
  oscVoices.set(k, list);
}

function percussion(vel, t) {
  const when = Math.max(t || 0, ctx.currentTime);
  const o = ctx.createOscillator(), g = ctx.createGain();
  o.frequency.value = 1800;
  g.gain.setValueAtTime(0.15 * vel / 127 * (volume[9] ?? 1), when);
  g.gain.exponentialRampToValueAtTime(0.001, when + 0.05);
  o.connect(g).connect(master);
  o.start(when); o.stop(when + 0.06);
}

export function noteOff(ch, pitch, t) {
  if (synth) { synth.noteOff(ch, pitch, t !== undefined ? { time: t - synthLag } : undefined); return; }
  const k = oscKey(ch, pitch);
  const list = oscVoices.get(k);
  if (!list || !list.length) return;
  const v = list.shift();
  const when = Math.max(t || 0, ctx.currentTime, v.when + 0.01);
  v.g.gain.setTargetAtTime(0, when, 0.03);
  v.o.stop(when + 0.3);
}

export function program(ch, prog) { if (synth) synth.programChange(ch, prog); }

const volume = {};
// setVolume sets a channel's level, 0 to 1 (MIDI volume, CC 7).
export function setVolume(ch, v) {
  volume[ch] = v;
  if (synth) synth.controllerChange(ch, 7, Math.round(v * 127));
}

export function sustain(ch, on) { if (synth) synth.controllerChange(ch, 64, on ? 127 : 0); }

export function stopAll() {
  if (synth) synth.stopAll(true);
  for (const list of oscVoices.values()) for (const v of list) { try { v.o.stop(); } catch (e) { /* stopped */ } }
  oscVoices.clear();
}

// level is the RMS of what the page is playing now (the AnalyserNode).
export function level() {
  const buf = new Float32Array(analyser.fftSize);
  analyser.getFloatTimeDomainData(buf);
  let s = 0;
  for (const x of buf) s += x * x;
  return Math.sqrt(s / buf.length);
}

// Onsets: where a channel's sound really starts, measured in the audio
// thread (onset.js) from the synth's own output for that channel.
const onsetNodes = new Map();   // channel -> AudioWorkletNode
let onsetSeq = 0;
const onsetWaiters = new Map();
export const ONSET_CHANNEL = 15;   // the sideman's answers
const PROBE_CHANNEL = 13;          // the synth's clock probe (a soft tick)

async function watchOnsets() {
  await ctx.audioWorklet.addModule("./onset.js");
  const sink = ctx.createGain();
  sink.gain.value = 0;
  sink.connect(ctx.destination);
  for (const ch of [ONSET_CHANNEL, PROBE_CHANNEL]) {
    const node = new AudioWorkletNode(ctx, "sideman-onset", { numberOfInputs: 1, numberOfOutputs: 1 });
    node.connect(sink);
    synth.connectChannel(node, ch);
    node.port.onmessage = (e) => {
      const f = onsetWaiters.get(e.data.id);
      if (f) { onsetWaiters.delete(e.data.id); f({ start: e.data.start, audible: e.data.audible }); }
    };
    onsetNodes.set(ch, node);
  }
  synth.programChange(PROBE_CHANNEL, 115);   // woodblock
}

// onsetAfter resolves with the audio-clock times (seconds) at which the
// channel's voice starts and becomes audible (-60 dBFS) after time `after`
// ({start, audible}), or null without the synth. The channel must be
// silent at `after`.
export function onsetAfter(after, ch = ONSET_CHANNEL) {
  const node = onsetNodes.get(ch);
  if (!node) return Promise.resolve(null);
  const id = ++onsetSeq;
  return new Promise((resolve) => {
    onsetWaiters.set(id, resolve);
    node.port.postMessage({ id, after });
  });
}

// The synth keeps its own clock, counting the blocks it renders from when
// it started; when the browser's audio thread stalls as the synth starts
// (a loaded machine), that clock runs whole render quanta behind the audio
// clock for good, and every timed note sounds that much late. probeSynth
// measures it with a soft tick whose onset it hears, and the page then
// schedules that much earlier. Resolves with the lag in seconds.
export let synthLag = 0;
export async function probeSynth() {
  if (!synth || !onsetNodes.size) return 0;
  const q = 128 / ctx.sampleRate;
  // A quarter quantum before a block boundary: on time, the synth starts
  // it at that boundary.
  const t = (Math.ceil((ctx.currentTime + 0.08) / q) + 1) * q - q / 4;
  synth.noteOn(PROBE_CHANNEL, 84, 40, { time: t });
  synth.noteOff(PROBE_CHANNEL, 84, { time: t + 0.03 });
  const o = await Promise.race([onsetAfter(t - q, PROBE_CHANNEL), new Promise((r) => setTimeout(() => r(null), 800))]);
  if (o && o.start !== null) synthLag = Math.max(0, Math.floor((o.start - t) / q)) * q;
  return synthLag;
}

// observeOnset follows the lag after Play from a timed note's onset as
// heard (the answers' first notes): on time, the synth starts a note at
// the first quantum at or after its time, so an onset a whole quantum or
// more after it means the synth's clock has fallen further behind (the
// audio thread stalled since the probe), and one more than half a quantum
// before it that the lag was overestimated; the notes scheduled next go by
// the corrected lag. time and heard in seconds; returns the lag.
export function observeOnset(time, heard) {
  const q = 128 / ctx.sampleRate, late = heard - time;
  if (late >= q) synthLag += Math.floor(late / q) * q;
  else if (late < -q / 2) synthLag = Math.max(0, synthLag - Math.ceil(-late / q) * q);
  return synthLag;
}

// shiftSynthLag moves the lag the page schedules by (seconds): for tests,
// a synth that falls behind after Play.
export function shiftSynthLag(s) { synthLag += s; }
