// #/audit: the audit log, newest first, filtered by actor, target, action and time; exported as CSV or JSON.
// Only for an admin not bound to sites (the API answers 403 to anyone else).
import { auth, get, download } from './api.js';
import { listSection } from './components.js';
import { h, replace, time } from './util.js';
import { heading, field, showProblem, saveBlob } from './forms.js';
import { isoOf } from './device-admin.js';

const ACTIONS = ['device.register', 'device.update', 'device.decommission', 'device.rotate_token', 'sync_request.create',
  'user.create', 'user.update', 'user.delete', 'site.update', 'subscription.create', 'subscription.delete', 'auth.login_failed'];

function changeText(e) {
  const keys = new Set([...Object.keys(e.before || {}), ...Object.keys(e.after || {})]);
  const changed = [...keys].filter((k) => JSON.stringify((e.before || {})[k]) !== JSON.stringify((e.after || {})[k]));
  if (!e.before && !e.after) return h('span', { class: 'muted' }, '—');
  if (!e.before) return h('span', { title: JSON.stringify(e.after) }, 'created');
  if (!e.after) return h('span', { title: JSON.stringify(e.before) }, 'removed');
  return h('span', { title: `before: ${JSON.stringify(e.before)}\nafter: ${JSON.stringify(e.after)}` },
    changed.length ? changed.map((k) => `${k}: ${fmt(e.before[k])} → ${fmt(e.after[k])}`).join('; ') : 'no field changed');
}

function fmt(v) {
  if (v === undefined || v === null) return '∅';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function auditView(params, ctx) {
  if (!auth.isFleetAdmin) {
    return {
      title: 'Audit log',
      el: h('div', { class: 'view' }, heading('Audit log'), h('p', { class: 'panel' }, 'Only admins not bound to sites can read the audit log.')),
      refresh: async () => false,
    };
  }
  const filters = { actor: params.get('actor') || '', target_id: params.get('target_id') || '', action: params.get('action') || '', from: '', to: '' };
  const inputs = {
    actor: h('input', { type: 'text', name: 'actor', id: 'audit-actor', value: filters.actor, autocomplete: 'off' }),
    target_id: h('input', { type: 'text', name: 'target_id', id: 'audit-target', value: filters.target_id, autocomplete: 'off' }),
    action: h('input', { type: 'text', name: 'action', id: 'audit-action', value: filters.action, list: 'audit-actions', autocomplete: 'off' }),
    from: h('input', { type: 'datetime-local', name: 'from', id: 'audit-from' }),
    to: h('input', { type: 'datetime-local', name: 'to', id: 'audit-to' }),
  };
  const errBox = h('div', { role: 'alert', class: 'form-error', id: 'audit-error' });
  const form = h('form', { class: 'filters', role: 'search', id: 'audit-filters' },
    field('Actor', inputs.actor, 'Username'), field('Target', inputs.target_id, 'Device id, username, site…'),
    field('Action', inputs.action), h('datalist', { id: 'audit-actions' }, ACTIONS.map((a) => h('option', { value: a }))),
    field('From', inputs.from), field('To', inputs.to),
    h('div', { class: 'field actions' },
      h('button', { type: 'submit', class: 'primary', id: 'audit-apply' }, 'Apply'),
      h('button', { type: 'reset' }, 'Clear')), errBox);
  const read = () => {
    for (const k of Object.keys(filters)) {
      filters[k] = k === 'from' || k === 'to' ? isoOf(inputs[k].value) : inputs[k].value.trim();
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    replace(errBox);
    read();
    list.reset().catch((err) => showProblem(errBox, err, inputs));
  });
  form.addEventListener('reset', () => setTimeout(() => { read(); list.reset().catch(() => {}); }, 0));

  const exportBox = h('div', { role: 'status', class: 'muted', id: 'audit-export-done' });
  const exportButton = (format) => h('button', {
    type: 'button', id: `audit-export-${format}`,
    onclick: async (e) => {
      const b = e.currentTarget;
      b.disabled = true;
      replace(errBox);
      try {
        read();
        const file = await download('/audit/export', { format, from: filters.from, to: filters.to });
        saveBlob(file.blob, file.filename);
        replace(exportBox, `Downloaded ${file.filename}.`);
      } catch (err) {
        showProblem(errBox, err, inputs);
      } finally {
        b.disabled = false;
      }
    },
  }, `Export ${format.toUpperCase()}`);

  const list = listSection({
    title: 'Entries', caption: (p) => `Audit entries, newest first — page ${p.page}`, limit: 25,
    empty: 'No entries match these filters.', rowKey: (e) => e.audit_id,
    fetchPage: (cursor, limit) => get('/audit', { limit, cursor, ...filters }),
    columns: [
      { label: 'When', cell: (e) => time(e.at) },
      { label: 'Actor', cell: (e) => h('span', { class: 'audit-actor' }, e.actor) },
      { label: 'Action', cell: (e) => h('code', { class: 'audit-action' }, e.action) },
      { label: 'Target', cell: (e) => [h('span', { class: 'muted small' }, e.target_type + ' '), h('span', { class: 'audit-target' }, e.target_id)] },
      { label: 'Change', cell: changeText, className: 'wide' },
      { label: 'From', cell: (e) => e.source_ip || h('span', { class: 'muted' }, '—') },
    ],
  });
  return {
    title: 'Audit log',
    el: h('div', { class: 'view audit' },
      heading('Audit log', 'Every change made through the admin API and every refused sign-in: who, what, before and after. Append-only; kept 400 days.'),
      form, h('div', { class: 'button-row' }, exportButton('csv'), ' ', exportButton('json'), ' ',
        h('span', { class: 'muted small' }, 'Exports the From/To range (all actors and actions).')), exportBox,
      list.el),
    refresh: () => list.refresh(),
  };
}
