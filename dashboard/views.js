// The dashboard's screens. Each returns { title, el, refresh(): Promise<boolean changed>, pollMs?() }.
// Every list is one server page (limit ≤ 100) at a time; refresh() re-reads the pages on screen.
import { auth, get, post, del, ApiError } from './api.js';
import { dailyChart, seriesChart, responsive } from './charts.js';
import { dataTable, listSection, problem } from './components.js';
import { h, replace, time, ago, num, statusBadge, STATUS_LABELS, hashFor, uid, TIME_ZONE } from './util.js';
import { deviceAdminPanel } from './device-admin.js';
import { openIncidentsPanel, siteIncidentBanner } from './incidents-view.js';

const enc = encodeURIComponent;
const STATUSES = ['healthy', 'failing', 'offline', 'never_synced', 'decommissioned'];

function heading(text, sub) {
  return h('header', { class: 'page-head' }, h('h1', { tabindex: '-1' }, text), sub ? h('p', { class: 'lead' }, sub) : null);
}

function deviceLink(id, name) {
  return h('a', { href: hashFor('/devices/' + enc(id)), 'data-focus-key': 'dev-' + id }, name && name !== id
    ? [h('span', { class: 'dev-name' }, name), h('span', { class: 'dev-id' }, id)]
    : h('span', { class: 'dev-id only' }, id));
}

function field(label, control, hint) {
  const id = control.id || (control.id = uid('f'));
  const hintId = hint ? uid('hint') : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('span', { id: hintId, class: 'hint' }, hint) : null);
}

function select(name, options, value) {
  return h('select', { name, id: uid(name) }, options.map(([v, label]) => h('option', { value: v, selected: v === (value || '') }, label)));
}

function streakText(d) {
  if (d.status === 'never_synced' || !d.last_status) return 'No syncs yet';
  if (d.consecutive_failures > 0) {
    return [h('strong', {}, `${num(d.consecutive_failures)} failed ${d.consecutive_failures === 1 ? 'sync' : 'syncs'} in a row`),
      d.streak_started_at ? [' since ', time(d.streak_started_at)] : null];
  }
  return 'Last sync succeeded — no failure streak';
}

function outcomeBadge(o) {
  return h('span', { class: `badge outcome-${o}` }, o === 'failed' ? 'Failed' : 'Success');
}

function truncate(s, n = 90) {
  if (!s) return h('span', { class: 'muted' }, '—');
  return s.length > n ? h('span', { title: s }, s.slice(0, n - 1) + '…') : s;
}

/** Filters kept in the hash (bookmarkable) without re-routing. */
function keepInHash(path, params) {
  history.replaceState(null, '', hashFor(path, params));
}

function filterForm(fields, onApply, onClear) {
  const form = h('form', { class: 'filters', role: 'search' }, fields,
    h('div', { class: 'field actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Apply'),
      h('button', { type: 'reset' }, 'Clear')));
  form.addEventListener('submit', (e) => { e.preventDefault(); onApply(new FormData(form)); });
  form.addEventListener('reset', () => setTimeout(() => onClear ? onClear() : onApply(new FormData(form)), 0));
  return form;
}

const formValues = (fd, names) => Object.fromEntries(names.map((n) => [n, String(fd.get(n) || '').trim()]));

// ---------------------------------------------------------------------------------------------
// Fleet overview

export function overviewView(params) {
  let site = params.get('site') || '';
  const cards = h('div', { class: 'cards-wrap', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
  const recent = h('div', { class: 'recent' });
  const chartBox = h('div', { class: 'chart-box' });
  const siteInput = h('input', { type: 'text', name: 'site', value: site, autocomplete: 'off', placeholder: 'All sites' });
  const form = filterForm([field('Site', siteInput)], (fd) => {
    site = formValues(fd, ['site']).site;
    keepInHash('/', { site });
    view.refresh().catch(() => {});
  });
  const failing = listSection({
    title: 'Failing now', caption: 'Devices failing now, longest streak first', limit: 5,
    empty: 'No device is failing.',
    intro: h('p', { class: 'muted' }, 'The five longest failure streaks. ', h('a', { href: '#/failing' }, 'All failing devices')),
    fetchPage: (cursor, limit) => get('/devices/failing', { limit, cursor }),
    columns: [
      { label: 'Device', cell: (d) => deviceLink(d.device_id, d.name) },
      { label: 'Site', cell: (d) => d.site || '—' },
      { label: 'Streak', cell: (d) => num(d.consecutive_failures), className: 'num' },
      { label: 'Last error', cell: (d) => truncate(d.last_error, 60) },
    ],
  });
  const incidents = openIncidentsPanel(); // which sites are in incident now
  let last = null;
  const view = {
    title: 'Fleet overview',
    el: h('div', { class: 'view overview' },
      heading('Fleet overview', 'Devices by status, the last 24 hours, and syncs per day over the last 30 days.'),
      form,
      h('section', { class: 'panel', 'aria-labelledby': 'h-status' }, h('h2', { id: 'h-status' }, 'Devices by status'), cards),
      h('section', { class: 'panel', 'aria-labelledby': 'h-24' }, h('h2', { id: 'h-24' }, 'Last 24 hours'), recent),
      h('section', { class: 'panel', 'aria-labelledby': 'h-30' }, h('h2', { id: 'h-30' }, 'Last 30 days'),
        h('ul', { class: 'legend', 'aria-label': 'Legend' },
          h('li', {}, h('span', { class: 'swatch ok', 'aria-hidden': 'true' }), 'Successful syncs'),
          h('li', {}, h('span', { class: 'swatch fail', 'aria-hidden': 'true' }), 'Failed syncs')),
        chartBox),
      site ? null : failing.el,
      site ? siteIncidentBanner(site) : incidents.el),
    async refresh() {
      const [stats] = await Promise.all([get('/stats/fleet', { site }), site ? null : failing.refresh(),
        site ? null : incidents.refresh()]);
      const key = JSON.stringify(stats);
      if (key === last) return false;
      last = key;
      const d = stats.devices;
      replace(cards, h('ul', { class: 'cards' },
        h('li', {}, h('a', { class: 'card total', href: hashFor('/devices'), 'data-focus-key': 'card-total' },
          h('span', { class: 'count' }, num(d.total)), h('span', { class: 'label' }, 'Total'))),
        STATUSES.map((s) => h('li', {}, h('a', { class: `card status-${s}`, href: hashFor('/devices', { status: s, site }), 'data-focus-key': 'card-' + s },
          h('span', { class: 'count' }, num(d[s])), h('span', { class: 'label' }, STATUS_LABELS[s]))))));
      cards.removeAttribute('aria-busy');
      const l = stats.last_24h;
      const rate = l.syncs ? (100 * l.failures) / l.syncs : 0;
      replace(recent, h('dl', { class: 'stats' },
        h('div', {}, h('dt', {}, 'Syncs'), h('dd', {}, num(l.syncs))),
        h('div', {}, h('dt', {}, 'Failed'), h('dd', {}, num(l.failures), l.syncs ? h('span', { class: 'muted small' }, ` (${num(rate, 1)} %)`) : null)),
        h('div', {}, h('dt', {}, 'Files synced'), h('dd', {}, num(l.files_synced))),
        h('div', {}, h('dt', {}, 'Average speed'), h('dd', {}, l.avg_internet_speed == null ? '—' : `${num(l.avg_internet_speed, 1)} Mbps`))));
      replace(chartBox, responsive((width) => dailyChart(stats.daily, { width })),
        h('details', {}, h('summary', {}, 'Show the numbers as a table'),
          dataTable({
            caption: 'Syncs per UTC day, last 30 days', items: [...stats.daily].reverse(),
            columns: [
              { label: 'Day (UTC)', cell: (x) => x.date },
              { label: 'Syncs', cell: (x) => num(x.syncs), className: 'num' },
              { label: 'Failed', cell: (x) => num(x.failures), className: 'num' },
              { label: 'Files synced', cell: (x) => num(x.files_synced), className: 'num' },
            ],
          })));
      return true;
    },
  };
  return view;
}

// ---------------------------------------------------------------------------------------------
// Devices

export function devicesView(params) {
  const filters = { q: params.get('q') || '', status: params.get('status') || '', site: params.get('site') || '', type: params.get('type') || '' };
  const typeList = uid('types');
  const form = filterForm([
    field('Search', h('input', { type: 'search', name: 'q', value: filters.q, autocomplete: 'off', maxlength: '64' }), 'Start of a device id or name'),
    field('Status', select('status', [['', 'Any status'], ...STATUSES.map((s) => [s, STATUS_LABELS[s]])], filters.status)),
    field('Site', h('input', { type: 'text', name: 'site', value: filters.site, autocomplete: 'off', maxlength: '64' })),
    field('Type', h('input', { type: 'text', name: 'type', value: filters.type, list: typeList, autocomplete: 'off', maxlength: '32' })),
    h('datalist', { id: typeList }, h('option', { value: 'PiBook' }), h('option', { value: 'PiBox' })),
  ], (fd) => {
    Object.assign(filters, formValues(fd, ['q', 'status', 'site', 'type']));
    keepInHash('/devices', filters);
    list.reset().catch(() => {});
  });
  form.querySelector('select[name=status]').addEventListener('change', () => form.requestSubmit());
  const describe = () => {
    const parts = [];
    if (filters.status) parts.push(STATUS_LABELS[filters.status] || filters.status);
    if (filters.type) parts.push(`type ${filters.type}`);
    if (filters.site) parts.push(`site ${filters.site}`);
    if (filters.q) parts.push(`matching “${filters.q}”`);
    return parts.length ? `Devices: ${parts.join(', ')}` : 'All devices';
  };
  const list = listSection({
    title: 'Device list', caption: (p) => `${describe()} — page ${p.page}`, limit: 25,
    empty: 'No devices match these filters.', rowKey: (d) => d.device_id,
    fetchPage: (cursor, limit) => get('/devices', { limit, cursor, ...filters }),
    columns: [
      { label: 'Device', cell: (d) => deviceLink(d.device_id, d.name) },
      { label: 'Status', cell: (d) => statusBadge(d.status) },
      { label: 'Type', cell: (d) => d.type || '—' },
      { label: 'Site', cell: (d) => d.site || '—' },
      { label: 'Last sync', cell: (d) => time(d.last_sync_at, { short: true }) },
      { label: 'Last attempt', cell: (d) => time(d.last_attempt_at, { short: true }) },
      { label: 'Failure streak', cell: (d) => num(d.consecutive_failures), className: 'num' },
      { label: 'Pending files', cell: (d) => num(d.pending_files), className: 'num' },
      { label: 'Last seen', cell: (d) => d.last_seen_at ? h('span', {}, time(d.last_seen_at, { short: true })) : h('span', { class: 'muted' }, 'never') },
    ],
  });
  return {
    title: 'Devices',
    el: h('div', { class: 'view devices' }, heading('Devices', 'Every registered device, sorted by device id. Filters combine.'), form,
      h('p', { class: 'button-row' }, auth.isAdmin ? [h('a', { href: '#/register', class: 'button primary', id: 'register-link' }, 'Register a device'), ' '] : null,
        h('a', { href: '#/export', class: 'button', id: 'export-link' }, 'Export sync events…')),
      list.el),
    refresh: () => list.refresh(),
  };
}

// ---------------------------------------------------------------------------------------------
// One device

const LIFECYCLE_TEXT = {
  queued: 'queued — waiting for the device to check in',
  delivered: 'delivered — the device received it and should sync now',
  completed: 'completed — the device synced successfully',
  failed: 'failed — the device answered with a failed sync',
  expired: 'expired — the device did not answer in time',
};

function lifecycle(r) {
  if (!r) return h('p', { class: 'muted', id: 'sync-request-status', 'data-status': 'none' }, 'No sync requested yet.');
  const final = ['completed', 'failed', 'expired'].includes(r.status);
  const step = (label, at, state) => h('li', { class: `step ${state}` },
    h('span', { class: 'dot', 'aria-hidden': 'true' }), h('span', { class: 'step-label' }, label),
    h('span', { class: 'step-time' }, at ? time(at, { short: true }) : h('span', { class: 'muted' }, state === 'current' ? 'waiting…' : '—')),
    h('span', { class: 'visually-hidden' }, state === 'done' ? '(done)' : state === 'current' ? '(in progress)' : state === 'bad' ? '(did not happen)' : '(not yet)'));
  const delivered = r.delivered_at || ['delivered', 'completed', 'failed'].includes(r.status);
  return h('div', { class: 'lifecycle-box' },
    h('p', { id: 'sync-request-status', class: `req-status req-${r.status}`, 'data-status': r.status, 'data-request-id': r.request_id },
      'Request ', h('code', {}, r.request_id), ' is ', h('strong', {}, LIFECYCLE_TEXT[r.status] || r.status), '.'),
    h('ol', { class: 'lifecycle', 'aria-label': 'Sync request lifecycle' },
      step('Requested', r.requested_at, 'done'),
      step('Delivered to device', r.delivered_at, delivered ? 'done' : r.status === 'expired' ? 'bad' : 'current'),
      step(r.status === 'failed' ? 'Sync failed' : r.status === 'expired' ? 'Expired' : 'Completed',
        r.status === 'expired' ? r.expires_at : r.completed_at,
        r.status === 'completed' ? 'done' : r.status === 'failed' || r.status === 'expired' ? 'bad' : delivered ? 'current' : 'todo')),
    final ? null : h('p', { class: 'muted small' }, 'Expires ', time(r.expires_at, { short: true }), `. This page checks every few seconds while the request is open.`));
}

export function deviceView(params, ctx, id) {
  let device = null;
  let latestRequest = null;
  let requestBusy = false;
  const summary = h('div', { class: 'device-summary', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
  const title = h('h1', { tabindex: '-1' }, id);
  const subtitle = h('p', { class: 'lead' });
  const reqStatus = h('div', { class: 'req-live', role: 'status', 'aria-live': 'polite' });
  const reqError = h('div', { class: 'req-error', role: 'alert' });
  const reqButton = h('button', { type: 'button', class: 'primary', id: 'request-sync' }, 'Request sync');
  const reqNote = h('p', { class: 'muted small' });
  const admin = deviceAdminPanel(id, ctx, () => view.refresh()); // edit, rotate token, decommission (admins)
  const incidentSlot = h('div', { class: 'incident-slot' });

  const requests = listSection({
    title: 'Recent sync requests', headingLevel: 'h3', caption: 'Sync requests, newest first', limit: 5, plain: true,
    empty: 'No sync requests yet.', rowKey: (r) => r.request_id,
    fetchPage: (cursor, limit) => get(`/devices/${enc(id)}/sync-requests`, { limit, cursor }),
    onItems: (items) => { if (requests && requests.pager.page === 1) latestRequest = items[0] || latestRequest; },
    columns: [
      { label: 'Requested', cell: (r) => [time(r.requested_at, { compact: true }), h('code', { class: 'req-id' }, r.request_id)] },
      { label: 'Status', cell: (r) => h('span', { class: `badge req-${r.status}` }, r.status) },
      { label: 'Delivered', cell: (r) => time(r.delivered_at, { compact: true }) },
      { label: 'Answered', cell: (r) => time(r.completed_at, { compact: true }) },
    ],
  });

  reqButton.addEventListener('click', async () => {
    if (requestBusy) return;
    requestBusy = true;
    reqButton.disabled = true;
    replace(reqError);
    try {
      latestRequest = await post(`/devices/${enc(id)}/sync-requests`);
      renderRequest();
      ctx.announce(`Sync requested for ${id}.`);
      ctx.reschedule();
      await requests.reset().catch(() => {});
      renderRequest();
    } catch (e) {
      replace(reqError, problem(e));
    } finally {
      requestBusy = false;
      renderButton();
    }
  });

  function renderButton() {
    const decommissioned = device && device.status === 'decommissioned';
    reqButton.disabled = requestBusy || !auth.isAdmin || decommissioned;
    replace(reqNote, !auth.isAdmin ? 'Only admins can request a sync.'
      : decommissioned ? 'This device is decommissioned.'
        : 'The device gets the request with the answer to its next upload and syncs at once.');
  }

  let shownStatus = null;
  function renderRequest() {
    replace(reqStatus, lifecycle(latestRequest));
    const s = latestRequest ? latestRequest.request_id + ':' + latestRequest.status : null;
    shownStatus = s;
  }

  const alerts = listSection({
    title: 'Alerts', caption: 'Failure-streak alerts of this device, newest first', limit: 10,
    empty: 'This device has never raised an alert.', rowKey: (a) => a.alert_id,
    fetchPage: (cursor, limit) => get('/alerts', { limit, cursor, device_id: id }),
    columns: [
      { label: 'Opened', cell: (a) => time(a.opened_at, { short: true }) },
      { label: 'State', cell: (a) => h('span', { class: `badge alert-${a.state}` }, a.state === 'open' ? 'Open' : 'Resolved') },
      { label: 'Failures in streak', cell: (a) => num(a.consecutive_failures), className: 'num' },
      { label: 'Streak started', cell: (a) => time(a.streak_started_at, { short: true }) },
      { label: 'Resolved', cell: (a) => time(a.resolved_at, { short: true }) },
      { label: 'Last error', cell: (a) => truncate(a.last_error, 70), className: 'wide' },
    ],
  });

  // History: one page of events drives both the charts and the table.
  const hist = { outcome: '', limit: 50 };
  const charts = h('div', { class: 'history-charts' });
  const histForm = filterForm([
    field('Outcome', select('outcome', [['', 'All syncs'], ['failed', 'Failed only'], ['success', 'Successful only']], hist.outcome)),
    field('Rows per page', select('limit', [['25', '25'], ['50', '50'], ['100', '100']], String(hist.limit))),
  ], (fd) => {
    hist.outcome = String(fd.get('outcome') || '');
    hist.limit = Number(fd.get('limit') || 50);
    historyList.reset().catch(() => {});
  });
  histForm.querySelectorAll('select').forEach((s) => s.addEventListener('change', () => histForm.requestSubmit()));
  const historyList = listSection({
      title: 'Sync history', caption: (p) => `Sync events, newest first — page ${p.page}`,
      limit: () => hist.limit, empty: 'No sync events on this page.', rowKey: (e) => e.event_id,
      intro: h('p', { class: 'muted' }, 'Newest first in device order. The charts show the events of the page below, oldest on the left.'),
      toolbar: [histForm, charts],
      fetchPage: (cursor) => get(`/devices/${enc(id)}/sync-events`, { limit: hist.limit, cursor, outcome: hist.outcome }),
      onItems: drawCharts,
      columns: [
        { label: 'Time', cell: (e) => time(e.timestamp) },
        { label: 'Outcome', cell: (e) => outcomeBadge(e.outcome) },
        { label: 'Files synced', cell: (e) => num(e.total_files_synced), className: 'num' },
        { label: 'Errors', cell: (e) => num(e.total_errors), className: 'num' },
        { label: 'Speed (Mbps)', cell: (e) => num(e.internet_speed, 1), className: 'num' },
        { label: 'Pending files', cell: (e) => num(e.pending_files), className: 'num' },
        { label: 'Error', cell: (e) => e.error_code || e.error_message ? [e.error_code ? h('code', {}, e.error_code) : null, ' ', truncate(e.error_message, 60)] : h('span', { class: 'muted' }, '—'), className: 'wide' },
        { label: 'Answers request', cell: (e) => e.command_id ? h('code', {}, e.command_id) : h('span', { class: 'muted' }, '—') },
        { label: 'Received', cell: (e) => time(e.received_at, { short: true }) },
      ],
    });

  let chartKey = null;
  function drawCharts(items) {
    const key = JSON.stringify(items);
    if (key === chartKey) return;
    chartKey = key;
    const events = [...items].reverse().map((e) => ({ ...e, t: new Date(e.timestamp) }));
    const pts = (f, unit, digits = 0) => events.map((e) => ({ t: e.t, v: e[f] || 0, label: `${e.t.toLocaleString()}: ${num(e[f] || 0, digits)}${unit}` }));
    if (!events.length) { replace(charts, h('p', { class: 'muted' }, 'No events to chart on this page.')); return; }
    const t0 = events[0].t, t1 = events[events.length - 1].t;
    const fig = (caption, draw) => h('figure', {}, h('figcaption', {}, caption), responsive(draw));
    replace(charts,
      fig('Files synced', (width) => seriesChart(pts('total_files_synced', ' files'), { title: 'Files synced per sync', kind: 'bar', className: 'files', t0, t1, width })),
      fig('Errors', (width) => seriesChart(pts('total_errors', ' errors'), { title: 'Errors per sync', kind: 'bar', className: 'errors', t0, t1, width })),
      fig('Internet speed (Mbps)', (width) => seriesChart(pts('internet_speed', ' Mbps', 1), { title: 'Internet speed per sync, Mbps', kind: 'line', className: 'speed', digits: 1, t0, t1, width })));
  }

  function renderDevice(d) {
    replace(title, d.name || d.device_id);
    replace(subtitle, h('code', {}, d.device_id), ' · ', d.type || 'unknown type', ' · ', d.site || 'no site', ' · ', statusBadge(d.status),
      d.tags && d.tags.length ? [' · ', h('span', { class: 'tags' }, d.tags.map((t) => h('span', { class: 'tag' }, t)))] : null);
    const row = (label, value) => h('div', {}, h('dt', {}, label), h('dd', {}, value));
    replace(summary, h('dl', { class: 'facts' },
      row('Status', statusBadge(d.status)),
      row('Current streak', h('span', { id: 'current-streak' }, streakText(d))),
      row('Last successful sync', [time(d.last_sync_at), d.last_sync_at ? h('span', { class: 'muted small' }, ` (${ago(d.last_sync_at)})`) : null]),
      row('Last attempt', [time(d.last_attempt_at), d.last_status ? [' ', outcomeBadge(d.last_status === 'failed' ? 'failed' : 'success')] : null]),
      row('Last seen by the server', time(d.last_seen_at)),
      row('Last error', d.last_error ? h('span', { class: d.consecutive_failures > 0 ? 'error-text' : null }, d.last_error) : h('span', { class: 'muted' }, 'none')),
      row('Syncs / failures', `${num(d.total_syncs)} / ${num(d.total_failures)}`),
      row('Pending files', num(d.pending_files)),
      row('Open alert', d.open_alert_id ? h('code', {}, d.open_alert_id) : h('span', { class: 'muted' }, 'none')),
      row('Registered', time(d.created_at))));
    summary.removeAttribute('aria-busy');
    renderButton();
    admin.render(d);
  }

  const view = {
    title: `Device ${id}`,
    el: h('div', { class: 'view device' },
      h('p', { class: 'crumbs' }, h('a', { href: '#/devices' }, '‹ All devices')),
      h('header', { class: 'page-head' }, title, subtitle),
      incidentSlot,
      h('div', { class: 'device-top' },
        h('section', { class: 'panel', 'aria-labelledby': 'h-summary' }, h('h2', { id: 'h-summary' }, 'Summary'), summary),
        h('section', { class: 'panel sync-request', 'aria-labelledby': 'h-request' },
          h('h2', { id: 'h-request' }, 'Trigger a sync'), reqButton, reqNote, reqError, reqStatus, requests.el)),
      admin.el,
      alerts.el,
      historyList.el),
    async refresh() {
      let d;
      try {
        d = await get(`/devices/${enc(id)}`);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          replace(summary, h('p', { class: 'problem' }, `No device with id ${id}.`));
          return false;
        }
        throw e;
      }
      const changed = JSON.stringify(d) !== JSON.stringify(device);
      if (d.site !== (device && device.site)) replace(incidentSlot, siteIncidentBanner(d.site)); // its site's incident
      device = d;
      document.title = `${d.name || d.device_id} · PiSync`;
      renderDevice(d);
      const results = await Promise.all([requests.refresh(), alerts.refresh(), historyList.refresh()]);
      const before = shownStatus;
      renderRequest();
      if (shownStatus !== before && before !== null && latestRequest) {
        ctx.announce(`Sync request ${latestRequest.request_id} is ${latestRequest.status}.`);
      }
      return changed || results.some(Boolean);
    },
    /** Faster checks while a sync request is open, so its lifecycle shows as it happens. */
    pollMs: () => (latestRequest && ['queued', 'delivered'].includes(latestRequest.status) ? 3000 : null),
    /**
     * A live message: this device's change is drawn at once from the message (the Device exactly as GET answers
     * it), then the page re-reads its lists (true); other devices' changes leave the page alone (false).
     */
    onLive(m) {
      if (m.type === 'incident.opened' || m.type === 'incident.resolved') {
        if (!device || !m.incident || m.incident.site !== device.site) return false;
        replace(incidentSlot, siteIncidentBanner(device.site));
        return false;
      }
      const about = (m.device || m.alert || m.sync_request || {}).device_id;
      if (about !== id) return false;
      if (m.type === 'device.updated') {
        if (m.device.site !== (device && device.site)) replace(incidentSlot, siteIncidentBanner(m.device.site));
        device = m.device;
        renderDevice(m.device);
      }
      return true;
    },
  };
  renderButton();
  return view;
}

// ---------------------------------------------------------------------------------------------
// Failing devices and repeated failures

export function failingView() {
  const failing = listSection({
    title: 'Failing now', caption: (p) => `Devices failing now, longest streak first — page ${p.page}`,
    intro: h('p', { class: 'muted' }, 'Devices whose current streak of failed syncs has reached the alert threshold.'),
    empty: 'No device is failing. 🎉', rowKey: (d) => d.device_id,
    fetchPage: (cursor, limit) => get('/devices/failing', { limit, cursor }),
    columns: [
      { label: 'Device', cell: (d) => deviceLink(d.device_id, d.name) },
      { label: 'Site', cell: (d) => d.site || '—' },
      { label: 'Type', cell: (d) => d.type || '—' },
      { label: 'Failures in a row', cell: (d) => num(d.consecutive_failures), className: 'num' },
      { label: 'Failing since', cell: (d) => time(d.streak_started_at, { short: true }) },
      { label: 'Last attempt', cell: (d) => time(d.last_attempt_at, { short: true }) },
      { label: 'Last success', cell: (d) => time(d.last_sync_at, { short: true }) },
      { label: 'Last error', cell: (d) => truncate(d.last_error, 70), className: 'wide' },
    ],
  });
  const rep = { min_failures: '3', days: '7' };
  const repForm = filterForm([
    field('At least', select('min_failures', [['2', '2 failures'], ['3', '3 failures'], ['5', '5 failures'], ['10', '10 failures']], rep.min_failures)),
    field('In the last', select('days', [['1', '24 hours'], ['7', '7 days'], ['30', '30 days']], rep.days)),
  ], (fd) => { Object.assign(rep, formValues(fd, ['min_failures', 'days'])); repeated.reset().catch(() => {}); });
  repForm.querySelectorAll('select').forEach((s) => s.addEventListener('change', () => repForm.requestSubmit()));
  const repeated = listSection({
    title: 'Repeated failures', caption: (p) => `Devices with at least ${rep.min_failures} failed syncs in the last ${rep.days === '1' ? '24 hours' : rep.days + ' days'}, most first — page ${p.page}`,
    intro: h('p', { class: 'muted' }, 'Failed syncs counted whether or not they were in a row (per UTC day).'),
    toolbar: repForm, empty: 'No device failed that often.', rowKey: (d) => d.device_id,
    fetchPage: (cursor, limit) => get('/devices/repeated-failures', {
      limit, cursor, min_failures: rep.min_failures, since: new Date(Date.now() - Number(rep.days) * 86400_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    }),
    columns: [
      { label: 'Device', cell: (d) => deviceLink(d.device_id, d.name) },
      { label: 'Site', cell: (d) => d.site || '—' },
      { label: 'Failed syncs', cell: (d) => num(d.failed_syncs), className: 'num' },
      { label: 'Last failure', cell: (d) => time(d.last_failure_at, { short: true }) },
      { label: 'Current streak', cell: (d) => num(d.consecutive_failures), className: 'num' },
      { label: 'Last error', cell: (d) => truncate(d.last_error, 70), className: 'wide' },
    ],
  });
  return {
    title: 'Failing devices',
    el: h('div', { class: 'view failing' }, heading('Failing devices'), failing.el, repeated.el),
    refresh: async () => (await Promise.all([failing.refresh(), repeated.refresh()])).some(Boolean),
  };
}

// ---------------------------------------------------------------------------------------------
// Errors across devices

/** yyyy-mm-dd (a local calendar day) → the instant that day starts in the viewer's zone, as UTC ISO. */
function dayStart(day) {
  if (!day) return '';
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d).toISOString().replace(/\.\d+Z$/, 'Z');
}

export function errorsView(params) {
  const f = { from: params.get('from') || '', to: params.get('to') || '', site: params.get('site') || '' };
  const form = filterForm([
    field('From (day)', h('input', { type: 'date', name: 'from', value: f.from }), 'Default: 30 days ago'),
    field('Until (day, inclusive)', h('input', { type: 'date', name: 'to', value: f.to })),
    field('Site', h('input', { type: 'text', name: 'site', value: f.site, autocomplete: 'off' })),
  ], (fd) => { Object.assign(f, formValues(fd, ['from', 'to', 'site'])); keepInHash('/errors', f); list.reset().catch(() => {}); });
  const nextDay = (day) => { const [y, m, d] = day.split('-').map(Number); return new Date(y, m - 1, d + 1).toISOString().replace(/\.\d+Z$/, 'Z'); };
  const list = listSection({
    title: 'Failed syncs', caption: (p) => `Failed syncs across devices, newest first — page ${p.page}`,
    empty: 'No failed syncs in this window.', rowKey: (e) => e.device_id + '/' + e.event_id,
    fetchPage: (cursor, limit) => get('/sync-errors', { limit, cursor, site: f.site, from: dayStart(f.from), to: f.to ? nextDay(f.to) : '' }),
    columns: [
      { label: 'Time', cell: (e) => time(e.timestamp) },
      { label: 'Device', cell: (e) => deviceLink(e.device_id) },
      { label: 'Site', cell: (e) => e.site || '—' },
      { label: 'Code', cell: (e) => e.error_code ? h('code', {}, e.error_code) : h('span', { class: 'muted' }, '—') },
      { label: 'Message', cell: (e) => truncate(e.error_message, 80), className: 'wide' },
      { label: 'Errors', cell: (e) => num(e.total_errors), className: 'num' },
      { label: 'Files synced', cell: (e) => num(e.total_files_synced), className: 'num' },
      { label: 'Speed (Mbps)', cell: (e) => num(e.internet_speed, 1), className: 'num' },
    ],
  });
  return {
    title: 'Errors',
    el: h('div', { class: 'view errors' }, heading('Errors across devices', 'Every failed sync of the fleet, newest first by device time.'), form, list.el),
    refresh: () => list.refresh(),
  };
}

// ---------------------------------------------------------------------------------------------
// Alerts

export function alertsView(params) {
  const f = { state: params.has('state') ? params.get('state') : 'open', site: params.get('site') || '', device_id: params.get('device_id') || '' };
  const form = filterForm([
    field('State', select('state', [['open', 'Open'], ['resolved', 'Resolved'], ['', 'Open and resolved']], f.state)),
    field('Site', h('input', { type: 'text', name: 'site', value: f.site, autocomplete: 'off' })),
    field('Device id', h('input', { type: 'text', name: 'device_id', value: f.device_id, autocomplete: 'off' })),
  ], (fd) => { Object.assign(f, formValues(fd, ['state', 'site', 'device_id'])); keepInHash('/alerts', { ...f, state: f.state || 'all' }); list.reset().catch(() => {}); });
  if (f.state === 'all') f.state = '';
  form.querySelector('select[name=state]').value = f.state;
  form.querySelector('select[name=state]').addEventListener('change', () => form.requestSubmit());
  const list = listSection({
    title: 'Alert list', caption: (p) => `${f.state === 'open' ? 'Open alerts' : f.state === 'resolved' ? 'Resolved alerts' : 'Alerts'}, newest first — page ${p.page}`,
    empty: f.state === 'open' ? 'No open alerts.' : 'No alerts.', rowKey: (a) => a.alert_id,
    fetchPage: (cursor, limit) => get('/alerts', { limit, cursor, ...f }),
    columns: [
      { label: 'Device', cell: (a) => deviceLink(a.device_id) },
      { label: 'Site', cell: (a) => a.site || '—' },
      { label: 'State', cell: (a) => h('span', { class: `badge alert-${a.state}` }, a.state === 'open' ? 'Open' : 'Resolved') },
      { label: 'Failures in streak', cell: (a) => num(a.consecutive_failures), className: 'num' },
      { label: 'Streak started', cell: (a) => time(a.streak_started_at, { short: true }) },
      { label: 'Opened', cell: (a) => time(a.opened_at, { short: true }) },
      { label: 'Resolved', cell: (a) => time(a.resolved_at, { short: true }) },
      { label: 'Last error', cell: (a) => truncate(a.last_error, 70), className: 'wide' },
    ],
  });
  return {
    title: 'Alerts',
    el: h('div', { class: 'view alerts' }, heading('Alerts', 'An alert opens when a device fails the threshold number of times in a row, and resolves when it recovers.'), form, list.el),
    refresh: () => list.refresh(),
  };
}

// ---------------------------------------------------------------------------------------------
// Users (admins only)

// Users: users-view.js. Device admin (register, edit, rotate, decommission, export): device-admin.js.

export function notFoundView(path) {
  return {
    title: 'Not found',
    el: h('div', { class: 'view' }, heading('Page not found'), h('p', {}, `Nothing lives at ${path}. `, h('a', { href: '#/' }, 'Go to the fleet overview'))),
    refresh: async () => false,
  };
}

export { TIME_ZONE };
