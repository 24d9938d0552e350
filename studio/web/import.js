// import.js: open a file from your disk — a chart, a lead sheet
// (MusicXML, compressed .mxl, ABC, Impro-Visor, Humdrum) or a MIDI file —
// by picking it or by dropping it anywhere on the page. The file's bytes
// go to the server as base64 ({"name", "data"} to POST /api/open,
// docs/studio-protocol.md); nothing but the bytes and the name leaves the
// browser. A MIDI file carries no chord symbols: the server hears its
// chords and the band plays over them.

// The server takes request bodies of 1 MiB: base64 of a file of about
// 767 KiB. A larger file is refused here, without sending it.
export const BODY_LIMIT = 1 << 20;
export const MAX_FILE = Math.floor((BODY_LIMIT - 1024) / 4) * 3;

// base64 of an ArrayBuffer, in slices (String.fromCharCode takes a
// bounded number of arguments).
export function toBase64(buf) {
  const bytes = new Uint8Array(buf);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

// installImport wires the file input, the page as a drop target and the
// tune chooser shown when a file holds several tunes. open(body) is the
// page's own open (it shows the chart, or the server's one line); say
// shows a message.
export function installImport({ input, tuneRow, tuneInput, tuneButton, open, say }) {
  let last = null;                     // {name, data} of the file read last

  async function send(tune) {
    if (!last) return;
    const body = { name: last.name, data: last.data };
    if (tune) body.tune = tune;
    const chart = await open(body);
    // A tune book asks which tune: the server says "holds N tunes".
    const msg = document.getElementById("message").textContent;
    tuneRow.hidden = !!chart || !/holds \d+ tunes/.test(msg);
    if (!tuneRow.hidden) tuneInput.focus();
    return chart;
  }

  async function importFile(file) {
    if (!file) return;
    if (file.size > MAX_FILE) {
      say(`${file.name}: ${Math.round(file.size / 1024)} KiB; the studio imports files up to ${Math.floor(MAX_FILE / 1024)} KiB`, true);
      return;
    }
    let buf;
    try { buf = await file.arrayBuffer(); } catch (e) { say(`${file.name}: could not be read (${e.message})`, true); return; }
    if (buf.byteLength === 0) { say(`${file.name}: an empty file`, true); return; }
    last = { name: file.name, data: toBase64(buf) };
    tuneInput.value = "";
    say(`Reading ${file.name}…`);
    return send("");
  }

  input.addEventListener("change", async () => {
    const f = input.files[0];
    await importFile(f);
    input.value = "";                  // the same file may be picked again
  });
  tuneButton.addEventListener("click", () => send(tuneInput.value.trim()));
  tuneInput.addEventListener("keydown", (e) => { if (e.key === "Enter") send(tuneInput.value.trim()); });

  // The whole page takes a dropped file.
  const style = document.createElement("style");
  style.textContent = "body.dropping main { outline:3px dashed var(--accent); outline-offset:-6px; } #import-tune-row[hidden] { display:none; }";
  document.head.appendChild(style);
  const hasFiles = (e) => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes("Files");
  document.addEventListener("dragover", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    document.body.classList.add("dropping");
  });
  document.addEventListener("dragleave", (e) => { if (!e.relatedTarget) document.body.classList.remove("dropping"); });
  document.addEventListener("drop", (e) => {
    document.body.classList.remove("dropping");
    if (!hasFiles(e)) return;
    e.preventDefault();
    importFile(e.dataTransfer.files[0]);
  });
  return { importFile };
}
