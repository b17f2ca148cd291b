// The PiSync API client: sign-in state, bearer tokens refreshed before they expire, problem+json errors.
// API base: same origin `/v1` unless config.js sets window.PISYNC_API (S3/CloudFront deployment).

export const API_BASE = String(window.PISYNC_API || '/v1').replace(/\/+$/, '');

const STORE = 'pisync.session';
const REFRESH_EARLY_MS = 60_000;

/** An API answer that was not a success; `problem` is the problem+json body when there was one. */
export class ApiError extends Error {
  constructor(status, problem, fallback) {
    super((problem && (problem.detail || problem.title)) || fallback || `Request failed (${status})`);
    this.status = status;
    this.problem = problem || null;
    this.fieldErrors = (problem && Array.isArray(problem.errors)) ? problem.errors : [];
  }
}

let session = load();
let refreshTimer = null;
let refreshing = null;
const listeners = new Set();

function load() {
  try {
    const s = JSON.parse(sessionStorage.getItem(STORE) || 'null');
    return s && s.accessToken ? s : null;
  } catch {
    return null;
  }
}

function save() {
  if (session) sessionStorage.setItem(STORE, JSON.stringify(session));
  else sessionStorage.removeItem(STORE);
  for (const l of listeners) l(session);
}

/** Claims of a JWT, unverified (the API verifies; the dashboard only reads the user's name and role). */
export function claims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(decodeURIComponent(escape(atob(part + '==='.slice((part.length + 3) % 4)))));
  } catch {
    return {};
  }
}

function fromTokens(body, previous) {
  const c = claims(body.access_token);
  const lifetimeMs = (body.expires_in ? body.expires_in * 1000
    : c.exp ? c.exp * 1000 - Date.now() : 3_600_000);
  let groups = c['cognito:groups'] || [];
  if (typeof groups === 'string') groups = groups.replace(/^\[|\]$/g, '').split(/[ ,]+/).filter(Boolean);
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token || (previous && previous.refreshToken) || null,
    expiresAt: Date.now() + lifetimeMs,
    username: c.username || c['cognito:username'] || (previous && previous.username) || 'signed in',
    role: groups.includes('admin') ? 'admin' : groups.includes('viewer') ? 'viewer' : 'viewer',
    sites: groups.filter((g) => g.startsWith('site:')).map((g) => { try { return decodeURIComponent(g.slice(5)); } catch { return g.slice(5); } }),
  };
}

export const auth = {
  get session() { return session; },
  get signedIn() { return !!session; },
  get isAdmin() { return !!session && session.role === 'admin'; },
  /** An admin not bound to sites: manages users and reads the audit log. */
  get isFleetAdmin() { return !!session && session.role === 'admin' && !(session.sites && session.sites.length); },
  onChange(fn) { listeners.add(fn); },

  /** Signs in; resolves with null, or with {challenge: 'totp', session} when a TOTP code is needed next. */
  async login(username, password) {
    const body = await request('POST', '/auth/login', { username, password }, { anonymous: true });
    if (body && body.challenge) return { challenge: body.challenge, session: body.session, username };
    session = fromTokens(body, { username });
    save();
    scheduleRefresh();
    return null;
  },

  /** The second step of a sign-in that answered the TOTP challenge. */
  async loginTotp(username, challengeSession, code) {
    const body = await request('POST', '/auth/login/totp', { username, session: challengeSession, code }, { anonymous: true });
    session = fromTokens(body, { username });
    save();
    scheduleRefresh();
  },

  async logout() {
    const token = session && session.refreshToken;
    clearTimeout(refreshTimer);
    session = null;
    save();
    if (token) {
      try { await request('POST', '/auth/logout', { refresh_token: token }, { anonymous: true }); } catch { /* signed out locally anyway */ }
    }
  },

  /** Drops the session without calling the API (it was refused). */
  expire() {
    clearTimeout(refreshTimer);
    session = null;
    save();
  },

  refresh,
  start() { if (session) scheduleRefresh(); },
};

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  if (!session || !session.refreshToken) return;
  const wait = Math.max(5_000, session.expiresAt - Date.now() - REFRESH_EARLY_MS);
  refreshTimer = setTimeout(() => refresh().catch(() => { /* handled in refresh */ }), Math.min(wait, 2 ** 31 - 1));
}

/** Exchanges the refresh token for a new access token; on refusal the session ends. */
function refresh() {
  if (!session || !session.refreshToken) return Promise.reject(new ApiError(401, null, 'Your session has expired. Please sign in again.'));
  if (!refreshing) {
    const current = session;
    refreshing = request('POST', '/auth/refresh', { refresh_token: current.refreshToken }, { anonymous: true })
      .then((body) => { session = fromTokens(body, current); save(); scheduleRefresh(); })
      .catch((e) => {
        if (e.status === 400 || e.status === 401) auth.expire();
        else scheduleRefresh();
        throw e;
      })
      .finally(() => { refreshing = null; });
  }
  return refreshing;
}

/**
 * Calls the API. Resolves with the parsed JSON body (null for 204); rejects with ApiError.
 * A 401 on a signed-in call refreshes the token once and retries.
 */
export async function request(method, path, body, { anonymous = false, retried = false, signal } = {}) {
  if (!anonymous && session && session.expiresAt - Date.now() < 5_000 && session.refreshToken) {
    await refresh().catch(() => {});
  }
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (!anonymous && session) headers.Authorization = `Bearer ${session.accessToken}`;
  let res;
  try {
    res = await fetch(API_BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, null, 'Cannot reach the PiSync API. Check your connection; the dashboard keeps retrying.');
  }
  if (res.status === 401 && !anonymous && !retried && session && session.refreshToken) {
    try {
      await refresh();
    } catch {
      throw new ApiError(401, null, 'Your session has expired. Please sign in again.');
    }
    return request(method, path, body, { anonymous, retried: true, signal });
  }
  if (res.status === 401 && !anonymous) auth.expire();
  const text = await res.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  if (!res.ok) {
    const problem = json && typeof json === 'object' ? json : null;
    throw new ApiError(res.status, problem, problem && problem.message ? problem.message : `${res.status} ${res.statusText}`.trim());
  }
  return json;
}

/** Builds "?a=1&b=2" from an object, skipping empty values. */
export function query(params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') qs.set(k, v);
  const s = qs.toString();
  return s ? '?' + s : '';
}

export const get = (path, params = {}, opts) => request('GET', path + query(params), undefined, opts);
export const post = (path, body, opts) => request('POST', path, body, opts);
export const del = (path, opts) => request('DELETE', path, undefined, opts);
export const patch = (path, body, opts) => request('PATCH', path, body, opts);

/**
 * A file download (export routes): every part of it, following `X-Next-Cursor`, joined (CSV: the header row
 * once; JSON: one array). Resolves with { blob, filename, parts }.
 */
export async function download(path, params, maxParts = 50) {
  let cursor = null;
  let filename = 'pisync-export';
  let type = 'application/octet-stream';
  const texts = [];
  for (let part = 0; part < maxParts; part += 1) {
    if (session && session.expiresAt - Date.now() < 5_000 && session.refreshToken) await refresh().catch(() => {});
    const res = await fetch(API_BASE + path + query({ ...params, cursor }), {
      headers: { Accept: '*/*', Authorization: session ? `Bearer ${session.accessToken}` : '' }, cache: 'no-store',
    }).catch(() => { throw new ApiError(0, null, 'Cannot reach the PiSync API.'); });
    const text = await res.text();
    if (!res.ok) {
      let problem = null;
      try { problem = JSON.parse(text); } catch { /* not JSON */ }
      throw new ApiError(res.status, problem);
    }
    const m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
    if (m) filename = m[1];
    type = (res.headers.get('Content-Type') || type).split(';')[0];
    texts.push(text);
    cursor = res.headers.get('X-Next-Cursor');
    if (!cursor) break;
  }
  let body;
  if (type === 'application/json') {
    body = JSON.stringify(texts.flatMap((t) => JSON.parse(t || '[]')));
  } else {
    body = texts.map((t, i) => (i === 0 ? t : t.slice(t.indexOf('\n') + 1)))
      .map((t, i, all) => (i < all.length - 1 && t && !t.endsWith('\n') ? t + '\n' : t)).join('');
  }
  return { blob: new Blob([body], { type }), filename, parts: texts.length };
}
