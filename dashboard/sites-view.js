// #/sites and #/sites/<site>: the schools — health per site, the school calendar editor (errors from the API's
// problem+json shown on their fields), the open incident; #/at-risk: devices holding unsynced data, oldest first.
import { auth, get, request } from './api.js';
import { listSection, problem } from './components.js';
import { h, replace, time, num, ago } from './util.js';
import { heading, field } from './forms.js';
import { incidentBanner, incidentSummary, incidentLink } from './incidents-view.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function siteLink(site, name) {
  return h('a', { href: `#/sites/${encodeURIComponent(site)}` }, name && name !== site ? `${name} (${site})` : site);
}

function health(d) {
  const active = d.healthy + d.failing + d.offline;
  return active === 0 ? '—' : `${Math.round((100 * d.healthy) / active)} % healthy`;
}

export function sitesView() {
  const list = listSection({
    title: 'Sites', caption: 'Sites by id', limit: 25, empty: 'No site yet: register a device with a site.',
    rowKey: (s) => s.site,
    fetchPage: (cursor, limit) => get('/sites', { limit, cursor }),
    columns: [
      { label: 'Site', cell: (s) => siteLink(s.site, s.name) },
      { label: 'Health', cell: (s) => health(s.devices) },
      { label: 'Healthy', cell: (s) => num(s.devices.healthy), className: 'num' },
      { label: 'Failing', cell: (s) => num(s.devices.failing), className: 'num' },
      { label: 'Offline', cell: (s) => num(s.devices.offline), className: 'num' },
      { label: 'Devices', cell: (s) => num(s.devices.total), className: 'num' },
      { label: 'Calendar', cell: (s) => (s.configured ? `${s.timezone}, ${s.school_days.join(' ')}` : h('span', { class: 'muted' }, 'none (always at school)')) },
      { label: 'Incident', cell: (s) => (s.open_incident ? h('span', { class: 'badge incident-open' }, 'in incident') : '—') },
    ],
  });
  return {
    title: 'Sites',
    el: h('div', { class: 'view sites' }, heading('Sites', 'Each school: its devices by status, its calendar and any open incident.'), list.el),
    refresh: () => list.refresh(),
  };
}

/** Holidays as lines "2026-12-24 2027-01-01 Winter break" ↔ [{from, to, name}]. */
function holidaysText(holidays) {
  return (holidays || []).map((x) => `${x.from} ${x.to}${x.name ? ' ' + x.name : ''}`).join('\n');
}

function parseHolidays(text) {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const [from, to, ...name] = l.split(/\s+/);
    const o = { from, to: to || from };
    if (name.length) o.name = name.join(' ');
    return o;
  });
}

function calendarEditor(site, onSaved) {
  const inputs = {
    name: h('input', { type: 'text', name: 'name', id: 'site-name' }),
    timezone: h('input', { type: 'text', name: 'timezone', id: 'site-timezone', placeholder: 'Africa/Nairobi', list: 'site-zones' }),
    school_days: h('span', { id: 'site-days', tabindex: '-1' }),
    school_hours: h('span', { id: 'site-hours', tabindex: '-1' }),
    from: h('input', { type: 'time', name: 'from', id: 'site-from' }),
    to: h('input', { type: 'time', name: 'to', id: 'site-to' }),
    holidays: h('textarea', { name: 'holidays', id: 'site-holidays', rows: 4, placeholder: '2026-12-24 2027-01-01 Winter break' }),
    offline_after_hours: h('input', { type: 'number', name: 'offline_after_hours', id: 'site-offline', step: 'any', min: '0' }),
    incident_ratio: h('input', { type: 'number', name: 'incident_ratio', id: 'site-ratio', step: '0.05', min: '0', max: '1' }),
    incident_min_devices: h('input', { type: 'number', name: 'incident_min_devices', id: 'site-min', step: '1', min: '2' }),
  };
  const dayBoxes = DAYS.map((d) => h('input', { type: 'checkbox', name: 'day', value: d, id: `site-day-${d}` }));
  replace(inputs.school_days, dayBoxes.map((b) => h('label', { class: 'check' }, b, ' ', b.value)));
  const errBox = h('div', { role: 'alert', class: 'form-error', id: 'site-error' });
  const done = h('div', { role: 'status', class: 'muted', id: 'site-saved' });
  const form = h('form', { class: 'site-editor', id: 'site-form', novalidate: true },
    field('Name', inputs.name), field('Time zone', inputs.timezone, 'IANA zone, e.g. Africa/Nairobi'),
    h('datalist', { id: 'site-zones' }, (Intl.supportedValuesOf ? Intl.supportedValuesOf('timeZone') : []).map((z) => h('option', { value: z }))),
    h('fieldset', { class: 'field' }, h('legend', {}, 'School days'), inputs.school_days),
    h('fieldset', { class: 'field' }, h('legend', {}, 'School hours (empty: the whole day)'), inputs.school_hours,
      field('From', inputs.from), field('To', inputs.to)),
    field('Holidays', inputs.holidays, 'One per line: first day, last day (both included, site time), name'),
    field('Offline after (school hours)', inputs.offline_after_hours),
    field('Incident ratio', inputs.incident_ratio, 'Share of active devices failing or offline that opens an incident'),
    field('Incident minimum devices', inputs.incident_min_devices),
    h('div', { class: 'field actions' }, h('button', { type: 'submit', class: 'primary', id: 'site-save' }, 'Save calendar')),
    errBox, done);

  function fill(s) {
    inputs.name.value = s.name || '';
    inputs.timezone.value = s.timezone || '';
    for (const b of dayBoxes) b.checked = (s.school_days || DAYS).includes(b.value);
    inputs.from.value = s.school_hours ? s.school_hours.from : '';
    inputs.to.value = s.school_hours ? (s.school_hours.to === '24:00' ? '23:59' : s.school_hours.to) : '';
    inputs.holidays.value = holidaysText(s.holidays);
    inputs.offline_after_hours.value = s.offline_after_hours;
    inputs.incident_ratio.value = s.incident_ratio;
    inputs.incident_min_devices.value = s.incident_min_devices;
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace(errBox);
    replace(done);
    for (const i of Object.values(inputs)) i.removeAttribute('aria-invalid');
    const body = {
      name: inputs.name.value.trim() || undefined,
      timezone: inputs.timezone.value.trim() || undefined,
      school_days: dayBoxes.filter((b) => b.checked).map((b) => b.value),
      holidays: parseHolidays(inputs.holidays.value),
    };
    if (inputs.from.value || inputs.to.value) body.school_hours = { from: inputs.from.value, to: inputs.to.value };
    for (const k of ['offline_after_hours', 'incident_ratio', 'incident_min_devices']) {
      if (inputs[k].value !== '') body[k] = Number(inputs[k].value);
    }
    try {
      const saved = await request('PUT', `/sites/${encodeURIComponent(site)}`, body);
      fill(saved);
      replace(done, `Saved at ${time(saved.updated_at)}.`);
      onSaved(saved);
    } catch (err) {
      // Every field the API named is marked; the problem lists each with its message ("holidays[1] overlaps …").
      for (const fe of err.fieldErrors || []) {
        const path = String(fe.field);
        const key = path.startsWith('school_hours.') ? path.slice('school_hours.'.length) : path.split(/[.[]/)[0];
        const input = inputs[key];
        if (input) input.setAttribute('aria-invalid', 'true');
      }
      replace(errBox, problem(err));
    }
  });
  return { el: form, fill };
}

export function siteView(params, ctx, site) {
  const facts = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
  const bannerBox = h('div', { class: 'incident-slot' });
  // Saved: show the new profile at once (the shell's next refresh may be minutes away while live).
  const editor = auth.isAdmin ? calendarEditor(site, () => { last = null; view.refresh().catch(() => {}); }) : null;
  let last = null;
  let filled = false;
  const devices = listSection({
    title: 'Devices of this site', caption: 'Devices of the site by id', limit: 25, empty: 'No device names this site.',
    rowKey: (d) => d.device_id,
    fetchPage: (cursor, limit) => get('/devices', { site, limit, cursor }),
    columns: [
      { label: 'Device', cell: (d) => h('a', { href: `#/devices/${encodeURIComponent(d.device_id)}` }, d.name || d.device_id) },
      { label: 'Status', cell: (d) => h('span', { class: `badge status-${d.status}` }, d.status) },
      { label: 'Last seen', cell: (d) => (d.last_seen_at ? ago(d.last_seen_at) : '—') },
      { label: 'Offline at', cell: (d) => (d.offline_at ? time(d.offline_at) : '—') },
    ],
  });
  const view = {
    title: `Site ${site}`,
    el: h('div', { class: 'view site' }, h('p', { class: 'crumbs' }, h('a', { href: '#/sites' }, '‹ All sites')),
      heading(`Site ${site}`), bannerBox, facts,
      editor ? h('section', { class: 'panel', 'aria-labelledby': 'h-calendar' }, h('h2', { id: 'h-calendar' }, 'School calendar'),
        h('p', { class: 'muted' }, 'Devices turn offline only after this many school hours of silence; weekends and holidays do not count.'),
        editor.el) : null,
      devices.el,
      h('p', {}, h('a', { href: `#/incidents?site=${encodeURIComponent(site)}` }, 'Incidents of this site'), ' · ',
        h('a', { href: `#/at-risk?site=${encodeURIComponent(site)}` }, 'Data at risk'))),
    async refresh() {
      const [s] = await Promise.all([get(`/sites/${encodeURIComponent(site)}`), devices.refresh()]);
      const key = JSON.stringify(s);
      if (key === last) return false;
      last = key;
      if (editor && !filled) { editor.fill(s); filled = true; }
      replace(bannerBox, incidentBanner(s.open_incident));
      facts.removeAttribute('aria-busy');
      const d = s.devices;
      replace(facts, h('dl', { class: 'facts', id: 'site-facts' },
        h('dt', {}, 'Name'), h('dd', {}, s.name),
        h('dt', {}, 'Health'), h('dd', {}, `${health(d) === '—' ? '' : health(d) + ' — '}${num(d.healthy)} healthy, ${num(d.failing)} failing, ${num(d.offline)} offline, ${num(d.never_synced)} never synced, ${num(d.decommissioned)} decommissioned`),
        h('dt', {}, 'Calendar'), h('dd', {}, s.configured ? `${s.timezone}; ${s.school_days.join(' ')}; ${s.school_hours ? `${s.school_hours.from}–${s.school_hours.to}` : 'all day'}; ${s.holidays.length} holidays` : 'none: at school all the time'),
        h('dt', {}, 'Offline after'), h('dd', {}, `${s.offline_after_hours} school hours`),
        h('dt', {}, 'Incidents'), h('dd', {}, `at ${s.incident_min_devices} devices and ${Math.round(s.incident_ratio * 100)} % of the active ones`),
        h('dt', {}, 'Open incident'), h('dd', {}, s.open_incident ? [incidentSummary(s.open_incident), ' — ', incidentLink(s.open_incident)] : 'none')));
      return true;
    },
  };
  return view;
}

export function atRiskView(params) {
  const filters = { site: params.get('site') || '', min_hours: params.get('min_hours') || '' };
  const site = h('input', { type: 'text', name: 'site', id: 'risk-site', value: filters.site, autocomplete: 'off', placeholder: 'All sites' });
  const minHours = h('input', { type: 'number', name: 'min_hours', id: 'risk-min-hours', value: filters.min_hours, min: '0', step: 'any' });
  const errBox = h('div', { role: 'alert', class: 'form-error' });
  const form = h('form', { class: 'filters', role: 'search' }, field('Site', site), field('At risk for at least (hours)', minHours),
    h('div', { class: 'field actions' }, h('button', { type: 'submit', class: 'primary' }, 'Apply')), errBox);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    filters.site = site.value.trim();
    filters.min_hours = minHours.value;
    replace(errBox);
    for (const i of [site, minHours]) i.removeAttribute('aria-invalid');
    list.reset().catch((err) => {
      for (const fe of err.fieldErrors || []) (fe.field === 'site' ? site : minHours).setAttribute('aria-invalid', 'true');
      replace(errBox, problem(err));
    });
  });
  const list = listSection({
    title: 'Devices holding unsynced data', caption: 'Devices with data at risk, the oldest first', limit: 25,
    empty: 'No device holds unsynced data.', rowKey: (d) => d.device_id,
    fetchPage: (cursor, limit) => get('/devices/at-risk', { limit, cursor, ...filters }),
    columns: [
      { label: 'Device', cell: (d) => h('a', { href: `#/devices/${encodeURIComponent(d.device_id)}` }, d.name || d.device_id) },
      { label: 'Site', cell: (d) => (d.site ? siteLink(d.site) : '—') },
      { label: 'At risk since', cell: (d) => [time(d.data_at_risk_since), h('span', { class: 'muted small' }, ` (${ago(d.data_at_risk_since)})`)] },
      { label: 'Pending files', cell: (d) => num(d.pending_files), className: 'num' },
      { label: 'Status', cell: (d) => h('span', { class: `badge status-${d.status}` }, d.status) },
    ],
  });
  return {
    title: 'Data at risk',
    el: h('div', { class: 'view at-risk' }, heading('Data at risk', 'Devices holding data not synced yet, ranked by how long it has waited.'), form, list.el),
    refresh: () => list.refresh(),
  };
}
