// Small DOM and formatting helpers. Everything is built with DOM calls, never innerHTML, so data from
// the API (device names, error messages) can never become markup.

/**
 * Creates an element. attrs: plain attributes, plus `class`, `on<event>` handlers (functions),
 * `dataset` (object) and boolean attributes given as true/false. Children: nodes, strings, numbers,
 * arrays of those; null/undefined/false are skipped.
 */
export function h(tag, attrs, ...children) {
  const svg = SVG_TAGS.has(tag);
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2).toLowerCase(), v);
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k === 'value' && !svg) {
      el.value = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

const SVG_TAGS = new Set(['svg', 'g', 'path', 'rect', 'line', 'circle', 'text', 'title', 'desc', 'polyline']);

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of el, keeping keyboard focus on the "same" element when it is rebuilt. */
export function replace(el, ...children) {
  const active = document.activeElement;
  const key = active && el.contains(active) ? focusKey(active) : null;
  el.replaceChildren();
  append(el, children);
  if (key) {
    const again = el.querySelector(`[data-focus-key="${CSS.escape(key)}"]`) || (active.id && document.getElementById(active.id));
    if (again) again.focus({ preventScroll: true });
  }
}

function focusKey(el) {
  return el.dataset && el.dataset.focusKey ? el.dataset.focusKey : null;
}

export const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';

const LOCAL = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
});
const LOCAL_SHORT = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const LOCAL_TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const LOCAL_CLOCK = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** "2026-11-01 08:03:00 UTC" */
export function utcText(date) {
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$|Z$/, '') + ' UTC';
}

/**
 * A <time> showing an ISO instant in the viewer's time zone, the UTC instant on hover (title) and
 * to assistive technology (via the title, and datetime for machines). null → an em dash.
 */
export function time(iso, { short = false, compact = false } = {}) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return h('span', {}, iso);
  const text = compact && d.toDateString() === new Date().toDateString() ? LOCAL_TIME.format(d)
    : (short || compact ? LOCAL_SHORT : LOCAL).format(d);
  return h('time', { datetime: d.toISOString(), title: utcText(d) }, text);
}

export function clock(date = new Date()) {
  return LOCAL_CLOCK.format(date);
}

export function shortTime(d) {
  return LOCAL_SHORT.format(d);
}

/** "3 min ago", "in 5 h" — coarse, for summaries next to an exact <time>. */
export function ago(iso, now = Date.now()) {
  if (!iso) return '';
  const s = Math.round((now - new Date(iso).getTime()) / 1000);
  const abs = Math.abs(s);
  const [n, unit] = abs < 60 ? [abs, 's'] : abs < 3600 ? [Math.round(abs / 60), 'min'] :
    abs < 86400 ? [Math.round(abs / 3600), 'h'] : [Math.round(abs / 86400), 'd'];
  return s >= 0 ? `${n} ${unit} ago` : `in ${n} ${unit}`;
}

const NUM = new Intl.NumberFormat();
export function num(n, digits) {
  if (n === null || n === undefined) return '—';
  return digits === undefined ? NUM.format(n)
    : new Intl.NumberFormat(undefined, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n);
}

export const STATUS_LABELS = {
  healthy: 'Healthy', failing: 'Failing', offline: 'Offline', never_synced: 'Never synced',
  decommissioned: 'Decommissioned',
};

export function statusBadge(status) {
  return h('span', { class: `badge status-${status}` }, STATUS_LABELS[status] || status);
}

/** Parses "#/devices/abc?status=failing" into { path: "/devices/abc", params: URLSearchParams }. */
export function parseHash(hash) {
  const raw = (hash || '').replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  return { path: path.startsWith('/') ? path : '/' + path, params: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

export function hashFor(path, params) {
  const qs = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null)).toString() : '';
  return '#' + path + (qs ? '?' + qs : '');
}

let idCounter = 0;
export function uid(prefix = 'id') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}
