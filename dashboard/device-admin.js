// The device admin screens: register a device (its token shown once), edit, rotate the token (the new one
// shown once), decommission (after a confirmation), and the export download. Viewers never see the write
// controls (the API refuses them anyway).
import { auth, post, patch, del, download } from './api.js';
import { h, replace, hashFor } from './util.js';
import { heading, field, listOf, showProblem, secretBox, saveBlob, select } from './forms.js';

const enc = encodeURIComponent;

// ---------------------------------------------------------------------------------------------
// #/register

export function registerView(params, ctx) {
  if (!auth.isAdmin) {
    return {
      title: 'Register a device',
      el: h('div', { class: 'view' }, heading('Register a device'), h('p', { class: 'panel' }, 'Only admins can register devices.')),
      refresh: async () => false,
    };
  }
  const inputs = {
    device_id: h('input', { type: 'text', name: 'device_id', id: 'reg-device-id', required: true, maxlength: '64', autocomplete: 'off', spellcheck: 'false' }),
    name: h('input', { type: 'text', name: 'name', id: 'reg-name', required: true, maxlength: '100', autocomplete: 'off' }),
    type: h('input', { type: 'text', name: 'type', id: 'reg-type', required: true, maxlength: '32', list: 'reg-types', value: 'PiBook', autocomplete: 'off' }),
    site: h('input', { type: 'text', name: 'site', id: 'reg-site', required: true, maxlength: '64', autocomplete: 'off',
      value: params.get('site') || (auth.session.sites && auth.session.sites.length === 1 ? auth.session.sites[0] : '') }),
    tags: h('input', { type: 'text', name: 'tags', id: 'reg-tags', autocomplete: 'off' }),
  };
  const errBox = h('div', { role: 'alert', class: 'form-error', id: 'register-error' });
  const result = h('div', { id: 'register-result' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'register-submit' }, 'Register device');
  const form = h('form', { class: 'stack-form', id: 'register-form', 'aria-labelledby': 'h-register' },
    field('Device id', inputs.device_id, 'Letters, digits, - _ . : — as the device reports it'),
    field('Name', inputs.name), field('Type', inputs.type),
    h('datalist', { id: 'reg-types' }, h('option', { value: 'PiBook' }), h('option', { value: 'PiBox' })),
    field('Site', inputs.site), field('Tags', inputs.tags, 'Optional, separated by commas'),
    h('div', { class: 'field actions' }, submit), errBox);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace(errBox);
    replace(result);
    const body = {
      device_id: inputs.device_id.value.trim(), name: inputs.name.value.trim(), type: inputs.type.value.trim(),
      site: inputs.site.value.trim(),
    };
    const tags = listOf(inputs.tags.value);
    if (tags.length) body.tags = tags;
    submit.disabled = true;
    try {
      const created = await post('/devices', body);
      const id = created.device.device_id;
      replace(result, h('section', { class: 'panel', 'aria-labelledby': 'h-registered' },
        h('h2', { id: 'h-registered', tabindex: '-1' }, `Registered ${id}`),
        secretBox('Device token', created.device_token, { id: 'new-device-token',
          note: 'Put this token on the device (Authorization: Bearer …). It is shown only this once; if it is lost, rotate it on the device page.' }),
        h('p', {}, h('a', { href: hashFor('/devices/' + enc(id)), id: 'registered-link' }, `Open ${id}`))));
      form.reset();
      result.querySelector('h2').focus();
      ctx.announce(`Device ${id} registered; copy its token now.`);
    } catch (err) {
      showProblem(errBox, err, inputs);
    } finally {
      submit.disabled = false;
    }
  });
  return {
    title: 'Register a device',
    el: h('div', { class: 'view register' },
      h('p', { class: 'crumbs' }, h('a', { href: '#/devices' }, '‹ All devices')),
      heading('Register a device', 'The device gets a token to send its sync reports with; it is shown once.'),
      h('section', { class: 'panel', 'aria-labelledby': 'h-register' }, h('h2', { id: 'h-register' }, 'New device'), form),
      result),
    refresh: async () => false,
  };
}

// ---------------------------------------------------------------------------------------------
// The device page's admin panel

/**
 * Edit, rotate token, decommission. Returns { el, render(device) } — el is null for viewers. onChange() is
 * called after a change so the page re-reads the device.
 */
export function deviceAdminPanel(id, ctx, onChange) {
  if (!auth.isAdmin) return { el: null, render() {} };
  let device = null;
  const errBox = h('div', { role: 'alert', class: 'form-error', id: 'device-admin-error' });
  const secret = h('div', { id: 'rotated-token' });
  const confirmBox = h('div', { id: 'decommission-confirm' });
  const inputs = {
    name: h('input', { type: 'text', name: 'name', id: 'edit-name', maxlength: '100', autocomplete: 'off' }),
    type: h('input', { type: 'text', name: 'type', id: 'edit-type', maxlength: '32', autocomplete: 'off' }),
    site: h('input', { type: 'text', name: 'site', id: 'edit-site', maxlength: '64', autocomplete: 'off' }),
    tags: h('input', { type: 'text', name: 'tags', id: 'edit-tags', autocomplete: 'off' }),
  };
  const save = h('button', { type: 'submit', class: 'primary', id: 'edit-save' }, 'Save changes');
  const editForm = h('form', { class: 'filters', id: 'edit-form', 'aria-label': `Edit ${id}` },
    field('Name', inputs.name), field('Type', inputs.type), field('Site', inputs.site),
    field('Tags', inputs.tags, 'Separated by commas'), h('div', { class: 'field actions' }, save));
  const rotate = h('button', { type: 'button', id: 'rotate-token' }, 'Rotate token');
  const decommission = h('button', { type: 'button', class: 'danger', id: 'decommission' }, 'Decommission…');

  editForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace(errBox);
    if (!device) return;
    const changes = {};
    for (const k of ['name', 'type', 'site']) {
      const v = inputs[k].value.trim();
      if (v !== (device[k] || '')) changes[k] = v;
    }
    const tags = listOf(inputs.tags.value);
    if (JSON.stringify(tags) !== JSON.stringify(device.tags || [])) changes.tags = tags;
    if (!Object.keys(changes).length) { replace(errBox, h('p', { class: 'notice info' }, 'Nothing changed.')); return; }
    save.disabled = true;
    try {
      await patch(`/devices/${enc(id)}`, changes);
      ctx.announce(`Device ${id} saved.`);
      await onChange();
    } catch (err) {
      showProblem(errBox, err, inputs);
    } finally {
      save.disabled = false;
    }
  });

  rotate.addEventListener('click', async () => {
    replace(errBox);
    replace(secret);
    rotate.disabled = true;
    try {
      const r = await post(`/devices/${enc(id)}/token`);
      replace(secret, secretBox('New device token', r.device_token, { id: 'new-device-token',
        note: 'The previous token stopped working. Put this one on the device now; it is shown only this once.' }));
      ctx.announce(`Token of ${id} rotated; copy the new token now.`);
      await onChange();
    } catch (err) {
      showProblem(errBox, err);
    } finally {
      rotate.disabled = device && device.status === 'decommissioned';
    }
  });

  decommission.addEventListener('click', () => {
    replace(errBox);
    const cancel = h('button', { type: 'button', id: 'decommission-cancel' }, 'Cancel');
    const yes = h('button', { type: 'button', class: 'danger', id: 'decommission-yes' }, `Decommission ${id}`);
    replace(confirmBox, h('div', { class: 'notice warn', role: 'alertdialog', 'aria-labelledby': 'decommission-q' },
      h('p', { id: 'decommission-q' }, h('strong', {}, `Decommission ${id}?`),
        ' Its token stops working at once, it leaves the fleet counts and its open alert is resolved. Its history stays.'),
      yes, ' ', cancel));
    cancel.addEventListener('click', () => { replace(confirmBox); decommission.focus(); });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await del(`/devices/${enc(id)}`);
        replace(confirmBox);
        replace(secret);
        ctx.announce(`Device ${id} decommissioned.`);
        await onChange();
      } catch (err) {
        showProblem(errBox, err);
        yes.disabled = false;
      }
    });
    yes.focus();
  });

  const el = h('section', { class: 'panel device-admin', 'aria-labelledby': 'h-device-admin' },
    h('h2', { id: 'h-device-admin' }, 'Manage device'), editForm,
    h('div', { class: 'button-row' }, rotate, ' ', decommission,
      ' ', h('a', { href: hashFor('/export', { device_id: id }), class: 'button' }, 'Export history…')),
    errBox, secret, confirmBox);

  return {
    el,
    render(d) {
      const first = device === null;
      device = d;
      const gone = d.status === 'decommissioned';
      // Fill the form once (and after a save), never while the admin is typing in it.
      if (first || !editForm.contains(document.activeElement)) {
        inputs.name.value = d.name || '';
        inputs.type.value = d.type || '';
        inputs.site.value = d.site || '';
        inputs.tags.value = (d.tags || []).join(', ');
      }
      for (const c of [...Object.values(inputs), save, rotate, decommission]) c.disabled = gone;
      if (gone) replace(confirmBox, h('p', { class: 'notice info', id: 'decommissioned-note' }, 'This device is decommissioned.'));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// #/export

export function exportView(params, ctx) {
  const inputs = {
    device_id: h('input', { type: 'text', name: 'device_id', id: 'export-device', value: params.get('device_id') || '', autocomplete: 'off' }),
    site: h('input', { type: 'text', name: 'site', id: 'export-site', value: params.get('site') || '', autocomplete: 'off' }),
    from: h('input', { type: 'datetime-local', name: 'from', id: 'export-from' }),
    to: h('input', { type: 'datetime-local', name: 'to', id: 'export-to' }),
  };
  const format = select('format', [['csv', 'CSV'], ['json', 'JSON']], 'csv');
  format.id = 'export-format';
  const errBox = h('div', { role: 'alert', class: 'form-error', id: 'export-error' });
  const done = h('p', { role: 'status', class: 'muted', id: 'export-done' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'export-submit' }, 'Download');
  const form = h('form', { class: 'filters', id: 'export-form', 'aria-labelledby': 'h-export' },
    field('Device id', inputs.device_id, 'Either one device…'), field('Site', inputs.site, '…or every device of a site'),
    field('From', inputs.from), field('To', inputs.to), field('Format', format),
    h('div', { class: 'field actions' }, submit), errBox, done);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace(errBox);
    replace(done);
    submit.disabled = true;
    try {
      const file = await download('/sync-events/export', {
        format: format.value, device_id: inputs.device_id.value.trim(), site: inputs.site.value.trim(),
        from: isoOf(inputs.from.value), to: isoOf(inputs.to.value),
      });
      saveBlob(file.blob, file.filename);
      replace(done, `Downloaded ${file.filename}${file.parts > 1 ? ` (${file.parts} parts joined)` : ''}.`);
      ctx.announce(`Export ${file.filename} downloaded.`);
    } catch (err) {
      showProblem(errBox, err, inputs);
    } finally {
      submit.disabled = false;
    }
  });
  return {
    title: 'Export sync events',
    el: h('div', { class: 'view export' }, heading('Export sync events', 'A CSV or JSON file of stored sync events of one device or one site.'),
      h('section', { class: 'panel', 'aria-labelledby': 'h-export' }, h('h2', { id: 'h-export' }, 'What to export'), form)),
    refresh: async () => false,
  };
}

/** A datetime-local value (the viewer's time zone) as an ISO instant; '' stays ''. */
export function isoOf(local) {
  if (!local) return '';
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
