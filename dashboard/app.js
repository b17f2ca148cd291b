// PiSync admin dashboard: the shell — sign-in, navigation, hash routing and self-refresh.
import { auth, ApiError } from './api.js';
import { problem } from './components.js';
import { h, replace, parseHash, clock, TIME_ZONE } from './util.js';
import { createLive } from './live.js';
import { overviewView, devicesView, deviceView, failingView, errorsView, alertsView, notFoundView } from './views.js';
import { usersView } from './users-view.js';
import { auditView } from './audit-view.js';
import { accountView, totpChallengeForm } from './account-view.js';
import { registerView, exportView } from './device-admin.js';
import { sitesView, siteView, atRiskView } from './sites-view.js';
import { incidentsView, incidentView } from './incidents-view.js';

const POLL_MS = 15_000;
/** While the live socket is open, polling is only a safety net. */
const LIVE_POLL_MS = 120_000;
/** Changes arriving close together cause one refresh. */
const LIVE_DEBOUNCE_MS = 250;

const topbar = document.getElementById('topbar');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const main = document.getElementById('main');
const banner = document.getElementById('banner');
const live = document.getElementById('live');
const updated = document.getElementById('updated');
const tz = document.getElementById('tz');
const logoutButton = document.getElementById('logout');

const NAV = [
  ['/', 'Overview'],
  ['/devices', 'Devices'],
  ['/failing', 'Failing'],
  ['/errors', 'Errors'],
  ['/alerts', 'Alerts'],
  ['/sites', 'Sites'],
  ['/incidents', 'Incidents'],
  ['/at-risk', 'Data at risk'],
  ['/users', 'Users', true],
  ['/audit', 'Audit', true],
  ['/account', 'Account'],
];

const ROUTES = [
  [/^\/$/, (p, ctx) => overviewView(p, ctx)],
  [/^\/devices$/, (p, ctx) => devicesView(p, ctx)],
  [/^\/devices\/([^/]+)$/, (p, ctx, m) => deviceView(p, ctx, decodeURIComponent(m[1]))],
  [/^\/failing$/, (p, ctx) => failingView(p, ctx)],
  [/^\/errors$/, (p, ctx) => errorsView(p, ctx)],
  [/^\/alerts$/, (p, ctx) => alertsView(p, ctx)],
  [/^\/sites$/, (p, ctx) => sitesView(p, ctx)],
  [/^\/sites\/([^/]+)$/, (p, ctx, m) => siteView(p, ctx, decodeURIComponent(m[1]))],
  [/^\/incidents$/, (p, ctx) => incidentsView(p, ctx)],
  [/^\/incidents\/([^/]+)$/, (p, ctx, m) => incidentView(p, ctx, decodeURIComponent(m[1]))],
  [/^\/at-risk$/, (p, ctx) => atRiskView(p, ctx)],
  [/^\/users$/, (p, ctx) => usersView(p, ctx)],
  [/^\/audit$/, (p, ctx) => auditView(p, ctx)],
  [/^\/account$/, (p, ctx) => accountView(p, ctx)],
  [/^\/register$/, (p, ctx) => registerView(p, ctx)],
  [/^\/export$/, (p, ctx) => exportView(p, ctx)],
];

let current = null;
let timer = null;
let generation = 0;

// Live indicator beside "Updated …": live (socket open) or polling (fallback).
const liveBadge = h('span', { id: 'live-state', class: 'badge live-off', title: 'Live updates' }, 'polling');
updated.before(liveBadge, ' · ');
let liveTimer = null;
const liveUpdates = createLive({
  onState(state) {
    liveBadge.textContent = state === 'live' ? 'live' : state === 'connecting' ? 'connecting…' : 'polling';
    liveBadge.className = `badge live-${state}`;
    liveBadge.dataset.state = state;
    schedule(); // polling slows down while live, resumes every 15 s when the socket drops
  },
  onMessage(message) {
    // A change the current screen may show: refresh it now (debounced) instead of at the next poll.
    if (!current || document.visibilityState === 'hidden') return;
    if (current.liveTypes && !current.liveTypes.includes(message.type)) return;
    if (current.onLive && !current.onLive(message)) return; // the view drew it, or it is not about what is shown
    clearTimeout(liveTimer);
    const gen = generation;
    liveTimer = setTimeout(() => { if (gen === generation) { clearTimeout(timer); tick(gen); } }, LIVE_DEBOUNCE_MS);
  },
});

const ctx = {
  announce(message) {
    // Re-set so the same message is announced again.
    live.textContent = '';
    setTimeout(() => { live.textContent = message; }, 50);
  },
  showError(err) {
    replace(banner, problem(err));
  },
  reschedule() { schedule(); },
};

// ------------------------------------------------------------------------------------------
// Sign-in

function loginScreen(message, kind = 'warn') {
  stopPolling();
  liveUpdates.stop();
  generation += 1; // answers still on their way belong to the signed-out screen: ignore them
  current = null;
  topbar.hidden = true;
  replace(banner);
  const username = h('input', { id: 'username', name: 'username', type: 'text', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('div', { id: 'login-error', role: 'alert' }, message ? h('p', { class: `notice ${kind}` }, message) : null);
  const submit = h('button', { type: 'submit', class: 'primary', id: 'login-submit' }, 'Sign in');
  const form = h('form', { id: 'login-form', class: 'login-form', 'aria-labelledby': 'login-title', novalidate: true },
    h('h1', { id: 'login-title', tabindex: '-1' }, 'Sign in to PiSync'),
    h('p', { class: 'lead' }, 'Fleet monitoring for PiBook and PiBox devices.'),
    h('div', { class: 'field' }, h('label', { for: 'username' }, 'Username'), username),
    h('div', { class: 'field' }, h('label', { for: 'password' }, 'Password'), password),
    error, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace(error);
    username.removeAttribute('aria-invalid');
    password.removeAttribute('aria-invalid');
    if (!username.value.trim() || !password.value) {
      if (!username.value.trim()) username.setAttribute('aria-invalid', 'true');
      if (!password.value) password.setAttribute('aria-invalid', 'true');
      replace(error, h('p', { class: 'problem' }, 'Enter your username and password.'));
      (username.value.trim() ? password : username).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      const challenge = await auth.login(username.value.trim(), password.value);
      if (challenge) { // TOTP enabled: the code comes next
        replace(main, h('div', { class: 'login-wrap' }, totpChallengeForm(challenge, { onDone: start, onCancel: () => loginScreen() })));
        return;
      }
      start();
    } catch (err) {
      for (const f of (err && err.fieldErrors) || []) {
        if (f.field === 'username') username.setAttribute('aria-invalid', 'true');
        if (f.field === 'password') password.setAttribute('aria-invalid', 'true');
      }
      replace(error, problem(err));
      password.select();
      password.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  });
  document.title = 'Sign in · PiSync';
  replace(main, h('div', { class: 'login-wrap' }, form));
  username.focus();
}

function start() {
  topbar.hidden = false;
  auth.start();
  liveUpdates.start();
  renderChrome();
  route();
}

function renderChrome() {
  const s = auth.session;
  replace(who, h('span', { class: 'user' }, s.username), ' ', h('span', { class: `badge role-${s.role}` }, s.role));
  replace(nav, h('ul', {}, NAV.filter(([, , fleetAdminOnly]) => !fleetAdminOnly || auth.isFleetAdmin)
    .map(([path, label]) => h('li', {}, h('a', { href: '#' + path, dataset: { path } }, label)))));
  markNav();
}

function markNav() {
  const { path } = parseHash(location.hash);
  for (const a of nav.querySelectorAll('a')) {
    const p = a.dataset.path;
    const here = p === '/' ? path === '/' : path === p || path.startsWith(p + '/');
    if (here) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

let signingOut = false;
logoutButton.addEventListener('click', async () => {
  signingOut = true;
  liveUpdates.stop();
  stopPolling();
  generation += 1;
  current = null;
  try {
    await auth.logout();
  } finally {
    signingOut = false;
  }
  loginScreen('You are signed out.', 'info');
});

// ------------------------------------------------------------------------------------------
// Routing

function route() {
  if (!auth.signedIn) { loginScreen(); return; }
  const { path, params } = parseHash(location.hash);
  let factory = null;
  let match = null;
  for (const [re, f] of ROUTES) {
    match = path.match(re);
    if (match) { factory = f; break; }
  }
  stopPolling();
  generation += 1;
  replace(banner);
  current = factory ? factory(params, ctx, match) : notFoundView(path);
  document.title = `${current.title} · PiSync`;
  main.replaceChildren(current.el);
  markNav();
  // Move focus to the new screen's heading so keyboard and screen-reader users start there.
  const h1 = main.querySelector('h1');
  if (h1) h1.focus({ preventScroll: true });
  window.scrollTo(0, 0);
  tick(generation);
}

async function tick(gen) {
  if (!current || gen !== generation) return;
  const view = current;
  try {
    const changed = await view.refresh();
    if (gen !== generation) return;
    if (banner.dataset.kind === 'refresh') { replace(banner); delete banner.dataset.kind; ctx.announce('Connection restored; data is up to date.'); }
    updated.textContent = `Updated ${clock()}`;
    if (changed && tick.count > 0) ctx.announce(`New data at ${clock()}.`);
    tick.count = (tick.count || 0) + 1;
  } catch (err) {
    if (gen !== generation) return;
    if (!auth.signedIn) { loginScreen(err.message || 'Your session has expired. Please sign in again.'); return; }
    if (!(err instanceof ApiError)) console.error(err);
    banner.dataset.kind = 'refresh';
    replace(banner, problem(err), h('p', { class: 'small' }, `Could not refresh at ${clock()}; trying again in ${POLL_MS / 1000} s.`));
  }
  schedule();
}

function schedule() {
  clearTimeout(timer);
  if (!current || document.visibilityState === 'hidden') return;
  const gen = generation;
  const ms = (current.pollMs && current.pollMs()) || (liveUpdates.state === 'live' ? LIVE_POLL_MS : POLL_MS);
  timer = setTimeout(() => tick(gen), ms);
}

function stopPolling() {
  clearTimeout(timer);
  timer = null;
}

// Refresh while visible, pause while hidden, catch up at once when shown again.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') stopPolling();
  else if (current) tick(generation);
});

window.addEventListener('hashchange', () => { tick.count = 0; route(); });
auth.onChange((s) => { if (!s && current && !signingOut) loginScreen('Your session has ended. Please sign in again.'); });

// The skip link must not change the hash (that is the router's).
document.getElementById('skip').addEventListener('click', (e) => { e.preventDefault(); main.focus(); });

tz.textContent = TIME_ZONE;
if (auth.signedIn) start();
else loginScreen();
