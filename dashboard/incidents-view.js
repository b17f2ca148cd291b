// #/incidents and #/incidents/<id>: site incidents (many of a site's devices failing or offline at once), the
// banner shown where a site's devices are shown, and the e-mail subscriptions to the alerts (admins without sites).
import { auth, get, post, del } from './api.js';
import { listSection, problem } from './components.js';
import { h, replace, time, num } from './util.js';
import { heading, field, listOf } from './forms.js';

const TYPES = ['device.failure_streak', 'device.recovered', 'site.incident_opened', 'site.incident_resolved'];

function stateBadge(state) {
  return h('span', { class: `badge incident-${state}` }, state === 'open' ? 'open' : 'resolved');
}

export function incidentLink(i) {
  return h('a', { href: `#/incidents/${encodeURIComponent(i.incident_id)}` }, i.incident_id);
}

/** "31 of 40 devices failing or offline (at most 38)". */
export function incidentSummary(i) {
  return `${num(i.devices_affected)} of ${num(i.devices_active)} devices failing or offline`
    + (i.peak_affected > i.devices_affected ? ` (at most ${num(i.peak_affected)} at once)` : '');
}

/** A banner (role=alert) for a site's open incident, or nothing. */
export function incidentBanner(incident) {
  if (!incident || incident.state !== 'open') return null;
  return h('div', { class: 'notice warn incident-banner', role: 'alert' },
    h('strong', {}, `Incident at ${incident.site}: `), incidentSummary(incident), ` since ${time(incident.opened_at)}. `,
    'Alerts of its devices are not sent one by one while it lasts. ', incidentLink(incident));
}

/** A placeholder that fills itself with the site's incident banner (reads GET /v1/sites/{site}). */
export function siteIncidentBanner(site) {
  const box = h('div', { class: 'incident-slot' });
  if (site) {
    get(`/sites/${encodeURIComponent(site)}`)
      .then((s) => replace(box, incidentBanner(s.open_incident)))
      .catch(() => { /* no banner: the page itself reports errors */ });
  }
  return box;
}

/** The sites in incident now (for the overview): a short list, or a line saying there are none. */
export function openIncidentsPanel() {
  const body = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
  const el = h('section', { class: 'panel', 'aria-labelledby': 'h-incidents' },
    h('h2', { id: 'h-incidents' }, 'Sites in incident'), body);
  let last = null;
  return {
    el,
    async refresh() {
      const res = await get('/incidents', { state: 'open', limit: 10 });
      const key = JSON.stringify(res.items);
      if (key === last) return false;
      last = key;
      body.removeAttribute('aria-busy');
      replace(body, res.items.length === 0 ? h('p', { class: 'muted', id: 'no-incidents' }, 'No site is in incident.')
        : h('ul', { class: 'incident-list' }, res.items.map((i) => h('li', {},
          h('a', { href: `#/sites/${encodeURIComponent(i.site)}` }, i.site), ': ', incidentSummary(i), ' since ',
          time(i.opened_at), ' — ', incidentLink(i)))));
      return true;
    },
  };
}

export function incidentsView(params) {
  const filters = { state: params.get('state') || '', site: params.get('site') || '' };
  const state = h('select', { name: 'state', id: 'incident-state' },
    [['', 'Any state'], ['open', 'Open'], ['resolved', 'Resolved']].map(([v, l]) => h('option', { value: v, selected: v === filters.state }, l)));
  const site = h('input', { type: 'text', name: 'site', id: 'incident-site', value: filters.site, autocomplete: 'off', placeholder: 'All sites' });
  const errBox = h('div', { role: 'alert', class: 'form-error' });
  const form = h('form', { class: 'filters', role: 'search' }, field('State', state), field('Site', site),
    h('div', { class: 'field actions' }, h('button', { type: 'submit', class: 'primary' }, 'Apply')), errBox);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    filters.state = state.value;
    filters.site = site.value.trim();
    replace(errBox);
    list.reset().catch((err) => replace(errBox, problem(err)));
  });
  const list = listSection({
    title: 'Incidents', caption: 'Site incidents, newest first', limit: 25,
    empty: 'No incident matches.', rowKey: (i) => i.incident_id,
    fetchPage: (cursor, limit) => get('/incidents', { limit, cursor, ...filters }),
    columns: [
      { label: 'Site', cell: (i) => h('a', { href: `#/sites/${encodeURIComponent(i.site)}` }, i.site) },
      { label: 'State', cell: (i) => stateBadge(i.state) },
      { label: 'Opened', cell: (i) => time(i.opened_at) },
      { label: 'Resolved', cell: (i) => (i.resolved_at ? time(i.resolved_at) : '—') },
      { label: 'Affected', cell: (i) => `${num(i.devices_affected)} / ${num(i.devices_active)}`, className: 'num' },
      { label: 'Peak', cell: (i) => num(i.peak_affected), className: 'num' },
      { label: 'Incident', cell: incidentLink },
    ],
  });
  const subs = auth.isFleetAdmin ? subscriptionsSection() : null;
  return {
    title: 'Incidents',
    el: h('div', { class: 'view incidents' },
      heading('Incidents', 'An incident opens when many of a site\'s active devices fail or go offline at once; it is the one notification for them.'),
      form, list.el, subs ? subs.el : null),
    refresh: async () => {
      const [changed] = await Promise.all([list.refresh(), subs ? subs.refresh() : false]);
      return changed;
    },
  };
}

export function incidentView(params, ctx, id) {
  const body = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
  let last = null;
  return {
    title: `Incident ${id}`,
    el: h('div', { class: 'view incident' }, h('p', { class: 'crumbs' }, h('a', { href: '#/incidents' }, '‹ All incidents')),
      heading(`Incident ${id}`), body),
    async refresh() {
      const i = await get(`/incidents/${encodeURIComponent(id)}`);
      const key = JSON.stringify(i);
      if (key === last) return false;
      last = key;
      body.removeAttribute('aria-busy');
      replace(body, incidentBanner(i),
        h('dl', { class: 'facts' },
          h('dt', {}, 'Site'), h('dd', {}, h('a', { href: `#/sites/${encodeURIComponent(i.site)}` }, i.site)),
          h('dt', {}, 'State'), h('dd', {}, stateBadge(i.state)),
          h('dt', {}, 'Opened'), h('dd', {}, time(i.opened_at)),
          h('dt', {}, 'Resolved'), h('dd', {}, i.resolved_at ? time(i.resolved_at) : '—'),
          h('dt', {}, 'Devices'), h('dd', {}, incidentSummary(i))),
        h('section', { class: 'panel', 'aria-labelledby': 'h-inc-devices' },
          h('h2', { id: 'h-inc-devices' }, `Affected devices (${i.devices.length})`),
          i.devices.length ? h('ul', { class: 'device-ids', id: 'incident-devices' }, i.devices.map((d) => h('li', {},
            h('a', { href: `#/devices/${encodeURIComponent(d)}` }, d)))) : h('p', { class: 'muted' }, 'None recorded.')));
      return true;
    },
  };
}

/** E-mail subscriptions to the alerts topic: list, add (filter by sites and types), delete. */
function subscriptionsSection() {
  const email = h('input', { type: 'email', name: 'email', id: 'sub-email', required: true, autocomplete: 'off' });
  const sites = h('input', { type: 'text', name: 'sites', id: 'sub-sites', autocomplete: 'off', placeholder: 'All sites' });
  const typeBoxes = TYPES.map((t) => h('input', { type: 'checkbox', name: 'types', value: t, id: `sub-type-${t.replace(/\W/g, '-')}` }));
  const inputs = { email, sites, types: typeBoxes[0] };
  const errBox = h('div', { role: 'alert', class: 'form-error', id: 'sub-error' });
  const done = h('div', { role: 'status', class: 'muted' });
  const form = h('form', { class: 'filters', id: 'sub-form', novalidate: true },
    field('E-mail', email), field('Sites', sites, 'Comma-separated; empty for every site'),
    h('fieldset', { class: 'field' }, h('legend', {}, 'Types (none checked: every type)'),
      typeBoxes.map((b) => h('label', { class: 'check' }, b, ' ', b.value))),
    h('div', { class: 'field actions' }, h('button', { type: 'submit', class: 'primary' }, 'Subscribe')), errBox, done);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace(errBox);
    replace(done);
    const body = { email: email.value.trim() };
    const s = listOf(sites.value);
    if (s.length) body.sites = s;
    const t = typeBoxes.filter((b) => b.checked).map((b) => b.value);
    if (t.length) body.types = t;
    try {
      const sub = await post('/subscriptions', body);
      replace(done, `Subscribed ${sub.email}: SNS mailed a confirmation link (${sub.status.replace('_', ' ')}).`);
      form.reset();
      await list.reset();
    } catch (err) {
      for (const i of Object.values(inputs)) i.removeAttribute('aria-invalid');
      for (const fe of err.fieldErrors || []) {
        const name = String(fe.field).split(/[.[]/)[0];
        if (inputs[name]) inputs[name].setAttribute('aria-invalid', 'true');
      }
      replace(errBox, problem(err));
    }
  });
  const list = listSection({
    title: 'E-mail subscriptions', caption: 'Addresses subscribed to alerts', limit: 100, plain: true,
    empty: 'Nobody is subscribed by e-mail.', rowKey: (s) => s.subscription_id,
    fetchPage: () => get('/subscriptions'),
    columns: [
      { label: 'E-mail', cell: (s) => s.email },
      { label: 'Sites', cell: (s) => (s.sites ? s.sites.join(', ') : 'all') },
      { label: 'Types', cell: (s) => (s.types ? s.types.join(', ') : 'all') },
      { label: 'Status', cell: (s) => h('span', { class: `badge sub-${s.status}` }, s.status.replace('_', ' ')) },
      {
        label: '', cell: (s) => h('button', {
          type: 'button', class: 'danger small',
          onclick: async () => {
            try { await del(`/subscriptions/${encodeURIComponent(s.subscription_id)}`); await list.reset(); } catch (err) { replace(errBox, problem(err)); }
          },
        }, 'Unsubscribe'),
      },
    ],
  });
  return {
    el: h('section', { class: 'panel', 'aria-labelledby': 'h-subs' }, h('h2', { id: 'h-subs' }, 'Notifications by e-mail'),
      h('p', { class: 'muted' }, 'Each address gets a few readable lines per alert or incident, filtered by site and type.'),
      form, list.el),
    refresh: () => list.refresh(),
  };
}
