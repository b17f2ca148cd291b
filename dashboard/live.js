// Live updates: a single-use ticket (POST /v1/live/ticket), then a WebSocket whose messages
// ({"type": "device.updated", "device": {...}}, alert.opened/resolved, sync_request.updated, incident.*)
// tell the shell to refresh what is on screen. When the socket drops the shell falls back to polling, and
// the socket reconnects with back-off (1 s, 2 s, 4 s … 30 s) while the user is signed in.
import { post, auth } from './api.js';

const MAX_BACKOFF_MS = 30_000;

export function createLive({ onMessage, onState }) {
  let socket = null;
  let wanted = false;
  let backoff = 1_000;
  let retryTimer = null;
  let state = 'off';

  function setState(s) {
    if (s === state) return;
    state = s;
    onState(s);
  }

  async function connect() {
    clearTimeout(retryTimer);
    if (!wanted || !auth.signedIn || socket) return;
    setState('connecting');
    let ticket;
    try {
      ticket = await post('/live/ticket');
    } catch {
      retry();
      return;
    }
    if (!wanted || !ticket || !ticket.url || typeof WebSocket === 'undefined') { retry(); return; }
    let ws;
    try {
      ws = new WebSocket(`${ticket.url}${ticket.url.includes('?') ? '&' : '?'}ticket=${encodeURIComponent(ticket.ticket)}`);
    } catch {
      retry();
      return;
    }
    socket = ws;
    ws.addEventListener('open', () => { backoff = 1_000; setState('live'); });
    ws.addEventListener('message', (e) => {
      let message;
      try { message = JSON.parse(e.data); } catch { return; }
      if (message && typeof message.type === 'string') onMessage(message);
    });
    ws.addEventListener('close', () => {
      if (socket === ws) socket = null;
      retry();
    });
  }

  function retry() {
    if (!wanted) { setState('off'); return; }
    setState('polling');
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }

  return {
    get state() { return state; },
    start() { wanted = true; backoff = 1_000; connect(); },
    stop() {
      wanted = false;
      clearTimeout(retryTimer);
      if (socket) { const s = socket; socket = null; s.close(1000, 'signed out'); }
      setState('off');
    },
  };
}
