// input.js: what you play. Every source (Web MIDI, the computer keyboard,
// the on-screen keyboard, and tests through window.sideman.input) goes
// through noteOn and noteOff here, stamped on the audio clock as heard
// (audio.heardNow) less the calibrated input latency.
import { heardNow } from "./audio.js";

const listeners = [];
export function onNote(f) { listeners.push(f); }

// Input latency in ms, from the calibration step (remembered per browser).
export let inputLatencyMs = Number(localStorage.getItem("sideman.inputLatencyMs") || 0);
export function setInputLatency(ms) {
  inputLatencyMs = ms;
  localStorage.setItem("sideman.inputLatencyMs", String(ms));
}

const held = new Set();
// noteOn plays pitch (MIDI number) at velocity 1-127. time is the audio
// clock in seconds, as heard, when the key went down (now when left out).
export function noteOn(pitch, vel = 90, time) {
  const t = time !== undefined ? time : heardNow() - inputLatencyMs / 1000;
  held.add(pitch);
  const perf = performance.now();
  for (const f of listeners) f({ pitch, velocity: vel, on: true, time: t, perf });
}
export function noteOff(pitch, time) {
  const t = time !== undefined ? time : heardNow() - inputLatencyMs / 1000;
  held.delete(pitch);
  const perf = performance.now();
  for (const f of listeners) f({ pitch, velocity: 0, on: false, time: t, perf });
}
export function isHeld(p) { return held.has(p); }

// The computer keyboard, by physical key (event.code), as a piano: the home
// row the white keys from C, the row above the black keys.
const keyOffsets = {
  KeyA: 0, KeyW: 1, KeyS: 2, KeyE: 3, KeyD: 4, KeyF: 5, KeyT: 6, KeyG: 7, KeyY: 8,
  KeyH: 9, KeyU: 10, KeyJ: 11, KeyK: 12, KeyO: 13, KeyL: 14, KeyP: 15, Semicolon: 16, Quote: 17,
};
export const keyboard = { octave: 4, velocity: 90, sustain: false, onChange: () => {}, onSustain: () => {}, onAnyKey: null };
const down = new Map();

function typing(ev) {
  const t = ev.target;
  return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT");
}

window.addEventListener("keydown", (ev) => {
  if (typing(ev) || ev.metaKey || ev.ctrlKey || ev.altKey) return;
  if (keyboard.onAnyKey && (ev.code in keyOffsets || ev.code === "Space")) { ev.preventDefault(); if (!ev.repeat) keyboard.onAnyKey(); return; }
  if (ev.repeat) { if (ev.code in keyOffsets || ev.code === "Space") ev.preventDefault(); return; }
  if (ev.code === "KeyZ") { keyboard.octave = Math.max(0, keyboard.octave - 1); keyboard.onChange(); return; }
  if (ev.code === "KeyX") { keyboard.octave = Math.min(8, keyboard.octave + 1); keyboard.onChange(); return; }
  if (ev.code === "KeyC") { keyboard.velocity = Math.max(10, keyboard.velocity - 15); keyboard.onChange(); return; }
  if (ev.code === "KeyV") { keyboard.velocity = Math.min(127, keyboard.velocity + 15); keyboard.onChange(); return; }
  if (ev.code === "Space") { ev.preventDefault(); keyboard.sustain = true; keyboard.onSustain(true); return; }
  if (!(ev.code in keyOffsets)) return;
  ev.preventDefault();
  const p = 12 * (keyboard.octave + 1) + keyOffsets[ev.code];
  down.set(ev.code, p);
  noteOn(p, keyboard.velocity);
});
window.addEventListener("keyup", (ev) => {
  if (ev.code === "Space" && !typing(ev)) {
    ev.preventDefault();   // not a click on the focused button
    keyboard.sustain = false; keyboard.onSustain(false); return;
  }
  const p = down.get(ev.code);
  if (p === undefined) return;
  down.delete(ev.code);
  noteOff(p);
});

// Web MIDI, where the browser has it (not Safari, not iOS). MIDI event
// times (performance.now's clock) are mapped onto the audio clock as heard.
export async function startMIDI(status) {
  if (!navigator.requestMIDIAccess) { status("Web MIDI: not in this browser; the computer keyboard and the keys below always work."); return; }
  let access;
  try { access = await navigator.requestMIDIAccess(); } catch (e) { status("Web MIDI: not allowed (" + e.message + "); use the computer keyboard."); return; }
  const hook = () => {
    const names = [];
    for (const inp of access.inputs.values()) { inp.onmidimessage = midiMessage; names.push(inp.name); }
    status(names.length ? "Web MIDI: listening to " + names.join(", ") + "." : "Web MIDI: no keyboard connected; the computer keyboard and the keys below work.");
  };
  access.onstatechange = hook;
  hook();
}

function midiMessage(ev) {
  const [st, d1, d2] = ev.data;
  const kind = st & 0xf0;
  const t = heardNow(ev.timeStamp) - inputLatencyMs / 1000;
  if (kind === 0x90 && d2 > 0) noteOn(d1, d2, t);
  else if (kind === 0x80 || (kind === 0x90 && d2 === 0)) noteOff(d1, t);
  else if (kind === 0xb0 && d1 === 64) keyboard.onSustain(d2 >= 64);
  if (keyboard.onAnyKey && kind === 0x90 && d2 > 0) keyboard.onAnyKey();
}

// buildKeyboard draws an on-screen keyboard of two octaves from C3 (48)
// into el; pointer presses play through noteOn/noteOff.
export function buildKeyboard(el, low = 48, octaves = 3) {
  const black = [1, 3, 6, 8, 10];
  const whiteCount = octaves * 7 + 1;
  const w = 100 / whiteCount;
  const keys = new Map();
  let wi = 0;
  for (let p = low; p <= low + octaves * 12; p++) {
    const k = document.createElement("div");
    const isBlack = black.includes(p % 12);
    k.className = "key " + (isBlack ? "black" : "white");
    if (isBlack) { k.style.left = (wi * w - w * 0.3) + "%"; k.style.width = (w * 0.6) + "%"; }
    else { k.style.left = (wi * w) + "%"; k.style.width = w + "%"; wi++; }
    if (p % 12 === 0) { const n = document.createElement("span"); n.className = "name"; n.textContent = "C" + (p / 12 - 1); k.appendChild(n); }
    k.addEventListener("pointerdown", (ev) => { ev.preventDefault(); k.setPointerCapture(ev.pointerId); noteOn(p, keyboard.velocity); });
    const up = () => { if (held.has(p)) noteOff(p); };
    k.addEventListener("pointerup", up);
    k.addEventListener("pointercancel", up);
    el.appendChild(k);
    keys.set(p, k);
  }
  onNote((n) => { const k = keys.get(n.pitch); if (k) k.classList.toggle("down", n.on); });
}
