// edit.js: editing the machine's notes on the piano roll (issue 18).
// Click a machine note (M or M+h) to select it; drag it up or down to
// change its pitch and sideways to move it (snapped to a sixteenth), or
// nudge it with the arrow keys (↑/↓ a semitone, Shift an octave; ←/→ a
// sixteenth); Escape lets it go. Each change is sent to the server
// (POST /api/edit, docs/studio-protocol.md), which records it in the
// ledger as your modification: the note turns M+h.
//
// With a note selected, "Alternatives" asks the server for other takes
// on its bars (the band's part in that bar, or the sideman's whole
// answer): audition each (▶ plays it and draws it outlined), then
// accept one. The server records your choice among them as a selection
// and the others' notes as rejected (POST /api/alternatives, /choose).
import { postJSON } from "./api.js";
import * as audio from "./audio.js";

export function installEditing(roll, say) {
  const canvas = roll.canvas;
  const ed = { selected: null, busy: Promise.resolve(), edits: [] };

  // The roll's geometry as its last draw laid it out (roll.geom).
  const at = (ev) => {
    const g = roll.geom, r = canvas.getBoundingClientRect();
    if (!g) return null;
    const px = ev.clientX - r.left, py = ev.clientY - r.top;
    return { ms: g.t0 + (px - g.left) / (g.W - g.left) * (g.t1 - g.t0), pitch: g.hi - Math.floor((py - g.top) / g.rowH) };
  };
  const editable = (n) => n.id && /^\d+$/.test(String(n.id)) && (n.class === "M" || n.class === "M+h");
  const hit = (p) => {
    if (!p) return null;
    const all = roll.played.concat(roll.band).filter(editable);
    return all.find((n) => n.pitch === p.pitch && p.ms >= n.start_ms && p.ms <= n.start_ms + Math.max(n.duration_ms, 60)) || null;
  };
  const step = () => roll.barMs / ((roll.chart ? roll.chart.meter[0] : 4) * 4);

  // send records the selected note's change at the server; the roll
  // shows the server's answer (the note as it is now, coloured M+h).
  // Edits go one after another, in the order made.
  function send(n, change, before) {
    const body = Object.assign({ id: String(n.id) }, change);
    ed.busy = ed.busy.then(async () => {
      try {
        const got = await postJSON("/api/edit", body);
        Object.assign(n, { pitch: got.pitch, start_ms: got.start_ms, duration_ms: got.duration_ms, class: got.class });
        ed.edits.push(got);
        say(`Edited note ${got.id}: ${got.fields.join(", ")} changed, now ${got.class} (your modification, in the ledger).`);
      } catch (e) { Object.assign(n, before); say(e.message, true); }
      roll.draw();
    });
    return ed.busy;
  }

  // Outline the selected note over the roll's drawing.
  const draw = roll.draw.bind(roll);
  roll.draw = () => {
    draw();
    const n = ed.selected, g = roll.geom;
    if (!n || !g) return;
    const c = canvas.getContext("2d");
    const x = (ms) => g.left + (ms - g.t0) / (g.t1 - g.t0) * (g.W - g.left);
    c.strokeStyle = "#ffffff"; c.lineWidth = 2; c.setLineDash([4, 3]);
    c.strokeRect(x(n.start_ms) - 2, g.top + (g.hi - n.pitch) * g.rowH - 1, Math.max(2, x(n.start_ms + n.duration_ms) - x(n.start_ms)) + 3, g.rowH + 2);
    c.setLineDash([]);
  };

  let drag = null;
  canvas.addEventListener("pointerdown", (ev) => {
    const p = at(ev), n = hit(p);
    ed.selected = n;
    roll.draw();
    if (!n) return;
    drag = { n, p, pitch: n.pitch, start: n.start_ms };
    canvas.setPointerCapture(ev.pointerId);
    ev.preventDefault();
  });
  canvas.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const p = at(ev);
    if (!p) return;
    drag.n.pitch = Math.max(0, Math.min(127, drag.pitch + (p.pitch - drag.p.pitch)));
    drag.n.start_ms = Math.max(0, drag.start + Math.round((p.ms - drag.p.ms) / step()) * step());
    roll.draw();
  });
  canvas.addEventListener("pointerup", () => {
    if (!drag) return;
    const { n, pitch, start } = drag;
    drag = null;
    const change = {};
    if (n.pitch !== pitch) change.pitch = n.pitch;
    if (Math.abs(n.start_ms - start) > 0.5) change.start_ms = n.start_ms;
    if (Object.keys(change).length) send(n, change, { pitch, start_ms: start });
  });

  // nudge moves the selected note by semitones and sixteenths.
  function nudge(semitones, sixteenths) {
    const n = ed.selected;
    if (!n) return null;
    const change = {}, before = { pitch: n.pitch, start_ms: n.start_ms };
    if (semitones) change.pitch = Math.max(0, Math.min(127, n.pitch + semitones));
    if (sixteenths) change.start_ms = Math.max(0, n.start_ms + sixteenths * step());
    Object.assign(n, change);
    roll.draw();
    return send(n, change, before);
  }
  window.addEventListener("keydown", (ev) => {
    if (!ed.selected || ev.target.closest && ev.target.closest("input,textarea,select")) return;
    const k = { ArrowUp: [ev.shiftKey ? 12 : 1, 0], ArrowDown: [ev.shiftKey ? -12 : -1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[ev.key];
    if (ev.key === "Escape") { ed.selected = null; roll.draw(); return; }
    if (!k) return;
    ev.preventDefault();
    nudge(k[0], k[1]);
  }, true);

  // ---- alternatives --------------------------------------------------
  const panel = document.getElementById("alternatives");
  ed.offer = null;     // {part, band, candidates} while offered
  ed.preview = null;   // the candidate drawn outlined
  ed.choices = [];     // what /choose answered
  const draw2 = roll.draw;
  roll.draw = () => {
    draw2();
    const g = roll.geom;
    if (!ed.preview || !g) return;
    const c = canvas.getContext("2d");
    const x = (ms) => g.left + (ms - g.t0) / (g.t1 - g.t0) * (g.W - g.left);
    c.strokeStyle = "#a3e635"; c.lineWidth = 2;
    for (const n of ed.preview) c.strokeRect(x(n.start_ms), g.top + (g.hi - n.pitch) * g.rowH, Math.max(2, x(n.start_ms + n.duration_ms) - x(n.start_ms)), g.rowH);
  };
  const tradeBars = () => Number((document.getElementById("trade-bars") || {}).value) || 4;

  // ask offers k alternatives to the selected note's bars.
  ed.ask = async (k = 3, seed = 1) => {
    const n = ed.selected;
    if (!n) { say("Select a machine note first: its bars get the alternatives.", true); return null; }
    // The note's bar, from 1: a note up to a 32nd early is the next bar's
    // (the feel plays downbeats early; an answer's downbeat, mapped from
    // the server's clock, can land a microsecond before the bar line).
    const bar = Math.floor((n.start_ms + roll.barMs / 32) / roll.barMs) + 1, band = roll.band.includes(n);
    let req = { part: n.part, from_bar: bar, to_bar: bar, k, seed };
    if (!band) { // the sideman's answer: its whole turn
      const answers = (window.sideman.stats.answers || []).filter((a) => a.bar <= bar);
      const from = answers.length ? answers[answers.length - 1].bar : bar;
      req = { part: "Sideman", from_bar: from, to_bar: from + tradeBars() - 1, k, seed };
    }
    try {
      const got = await postJSON("/api/alternatives", req);
      ed.offer = { part: req.part, band, candidates: got.candidates };
      show();
      say(`${got.candidates.length - 1} alternatives for ${req.part}, bars ${req.from_bar}–${req.to_bar}: audition, then accept one.`);
      return got;
    } catch (e) { say(e.message, true); return null; }
  };
  ed.audition = (i) => {
    const c = ed.offer && ed.offer.candidates[i];
    if (!c) return;
    ed.preview = c.notes; roll.draw();
    const first = Math.min(...c.notes.map((n) => n.start_ms)), t = audio.now() + 0.1;
    for (const n of c.notes) {
      const ch = ed.offer.band ? n.channel : 15;
      audio.noteOn(ch, n.pitch, n.velocity, t + (n.start_ms - first) / 1000);
      audio.noteOff(ch, n.pitch, t + (n.start_ms - first + n.duration_ms) / 1000);
    }
  };
  ed.accept = async (i) => {
    if (!ed.offer) return null;
    try {
      const got = await postJSON("/api/alternatives/choose", { choice: i });
      const gone = new Set(got.removed);
      const keep = (n) => !gone.has(String(n.id));
      const add = got.notes.filter((n) => !roll.band.concat(roll.played).some((m) => String(m.id) === n.id));
      if (ed.offer.band) {
        const st = window.sideman.state;
        if (st.band) { st.band.notes = st.band.notes.filter(keep).concat(add).sort((a, b) => a.start_ms - b.start_ms); }
        roll.band = roll.band.filter(keep).concat(add);
      } else {
        roll.played = roll.played.filter(keep).concat(add.map((n) => Object.assign({}, n, { class: "M" })));
      }
      ed.choices.push(got);
      ed.offer = null; ed.preview = null; ed.selected = null;
      show(); roll.draw();
      say(`You chose ${got.chose} among ${got.among}: recorded as your selection, the other ${got.rejected} notes rejected.`);
      return got;
    } catch (e) { say(e.message, true); return null; }
  };
  function show() {
    if (!panel) return;
    panel.innerHTML = "";
    const b = document.createElement("button");
    b.textContent = "Alternatives for the selected note's bars";
    b.id = "ask-alternatives";
    b.addEventListener("click", () => ed.ask());
    panel.append(b);
    if (!ed.offer) return;
    for (const c of ed.offer.candidates) {
      const span = document.createElement("span");
      span.className = "candidate";
      const play = document.createElement("button");
      play.textContent = "▶ " + (c.index === 0 ? "as it is" : "take " + c.index);
      play.addEventListener("click", () => ed.audition(c.index));
      const ok = document.createElement("button");
      ok.textContent = "accept";
      ok.dataset.accept = c.index;
      ok.addEventListener("click", () => ed.accept(c.index));
      span.append(play, ok);
      panel.append(span);
    }
  }
  show();

  // What the browser test drives: select a note by id, nudge it.
  ed.select = (id) => {
    ed.selected = roll.played.concat(roll.band).find((n) => String(n.id) === String(id) && editable(n)) || null;
    roll.draw();
    return ed.selected;
  };
  ed.nudge = nudge;
  return ed;
}
