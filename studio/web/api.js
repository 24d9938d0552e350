// api.js: the studio's HTTP API and websocket (docs/studio-protocol.md).
// A token given as ?token= in the page's address is sent with every call.

const token = new URLSearchParams(location.search).get("token") || "";

function withToken(path) {
  if (!token) return path;
  return path + (path.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(token);
}

// call fetches an API path and returns the response, or throws an Error
// whose message is one line a musician can read.
export async function call(path, options = {}) {
  const headers = Object.assign({}, options.headers);
  if (token) headers["Authorization"] = "Bearer " + token;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    options = Object.assign({}, options, { method: "POST", body: JSON.stringify(options.json) });
  }
  let res;
  try {
    res = await fetch(path, Object.assign({}, options, { headers }));
  } catch (e) {
    throw new Error("The studio server is unreachable (is `sideman studio` still running?)");
  }
  if (!res.ok) {
    let msg = res.status + " " + res.statusText;
    try {
      const body = await res.json();
      if (body && body.error) msg = body.error;
    } catch (e) { /* not JSON */ }
    if (res.status === 401) msg = "The server wants its token: open the address `sideman studio` printed (" + msg + ")";
    throw new Error(msg);
  }
  return res;
}

export async function getJSON(path) { return (await call(path)).json(); }
export async function postJSON(path, body) { return (await call(path, { json: body })).json(); }

// socket opens the websocket; onMessage gets each parsed message.
export function socket(onMessage, onClose) {
  const url = new URL(withToken("/ws"), location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(url);
  ws.onmessage = (ev) => {
    let m;
    try { m = JSON.parse(ev.data); } catch (e) { return; }
    onMessage(m, ev);
  };
  ws.onclose = () => onClose && onClose();
  const opened = new Promise((resolve, reject) => {
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error("The studio server is unreachable: the trade connection failed"));
  });
  return { ws, opened, send: (m) => ws.readyState === 1 && ws.send(JSON.stringify(m)) };
}
