// #/users: dashboard users with their role and sites — create, change role and sites, delete. Only for an
// admin not bound to sites (the API answers 403 to anyone else).
import { auth, get, post, patch, del } from './api.js';
import { listSection } from './components.js';
import { h, replace, time } from './util.js';
import { heading, field, select, listOf, showProblem } from './forms.js';

const enc = encodeURIComponent;

function sitesText(sites) {
  return sites && sites.length ? sites.join(', ') : h('span', { class: 'muted' }, 'every site');
}

export function usersView(params, ctx) {
  if (!auth.isFleetAdmin) {
    return {
      title: 'Users',
      el: h('div', { class: 'view' }, heading('Users'), h('p', { class: 'panel' }, 'Only admins not bound to sites can see and manage dashboard users.')),
      refresh: async () => false,
    };
  }
  const editBox = h('div', { id: 'user-edit' });

  function editUser(u) {
    const role = select('role', [['viewer', 'Viewer (read only)'], ['admin', 'Admin']], u.role);
    role.id = 'edit-user-role';
    const sites = h('input', { type: 'text', name: 'sites', id: 'edit-user-sites', value: (u.sites || []).join(', '), autocomplete: 'off' });
    const err = h('div', { role: 'alert', class: 'form-error' });
    const save = h('button', { type: 'submit', class: 'primary', id: 'edit-user-save' }, 'Save');
    const cancel = h('button', { type: 'button', onclick: () => replace(editBox) }, 'Cancel');
    const form = h('form', { class: 'filters', 'aria-labelledby': 'h-edit-user' },
      field('Role', role), field('Sites', sites, 'Separated by commas; empty: every site'),
      h('div', { class: 'field actions' }, save, cancel), err);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      save.disabled = true;
      try {
        const changed = await patch('/users/' + enc(u.username), { role: role.value, sites: listOf(sites.value) });
        replace(editBox);
        ctx.announce(`User ${changed.username} is now ${changed.role}${changed.sites.length ? ' of ' + changed.sites.join(', ') : ''}.`);
        await list.refresh();
      } catch (ex) {
        showProblem(err, ex, { role, sites });
      } finally {
        save.disabled = false;
      }
    });
    replace(editBox, h('section', { class: 'panel', 'aria-labelledby': 'h-edit-user' },
      h('h2', { id: 'h-edit-user', tabindex: '-1' }, `Edit ${u.username}`),
      h('p', { class: 'muted small' }, 'A new role or sites apply from the user’s next sign-in (or token refresh).'), form));
    editBox.querySelector('h2').focus();
  }

  const list = listSection({
    title: 'Dashboard users', caption: (p) => `Dashboard users by username — page ${p.page}`,
    empty: 'No users.', rowKey: (u) => u.username,
    fetchPage: (cursor, limit) => get('/users', { limit, cursor }),
    columns: [
      { label: 'Username', cell: (u) => u.username },
      { label: 'Role', cell: (u) => h('span', { class: `badge role-${u.role}` }, u.role) },
      { label: 'Sites', cell: (u) => sitesText(u.sites) },
      { label: 'Created', cell: (u) => time(u.created_at, { short: true }) },
      { label: 'Enabled', cell: (u) => (u.enabled ? 'Yes' : 'No') },
      {
        label: 'Actions', cell: (u) => {
          const self = auth.session && u.username === auth.session.username;
          return [
            h('button', { type: 'button', class: 'small', 'aria-label': `Edit user ${u.username}`, 'data-focus-key': 'edit-' + u.username,
              onclick: () => editUser(u) }, 'Edit'), ' ',
            // A lost authenticator: the user signs in with the password alone and may set up a new one.
            h('button', {
              type: 'button', class: 'small', 'aria-label': `Reset two-step sign-in of ${u.username}`,
              'data-focus-key': 'totp-' + u.username, 'data-reset-totp': u.username,
              onclick: async () => {
                if (!window.confirm(`Turn off two-step sign-in for ${u.username}? They will sign in with their password alone until they set it up again.`)) return;
                try {
                  await del('/users/' + enc(u.username) + '/totp');
                  ctx.announce(`Two-step sign-in is off for ${u.username}.`);
                } catch (e) { ctx.showError(e); }
              },
            }, 'Reset 2-step'), ' ',
            h('button', {
              type: 'button', class: 'danger small', 'aria-label': `Delete user ${u.username}`, 'data-focus-key': 'del-' + u.username,
              disabled: self, title: self ? 'You cannot delete yourself' : null,
              onclick: async () => {
                if (!window.confirm(`Delete user ${u.username}? They will no longer be able to sign in.`)) return;
                try {
                  await del('/users/' + enc(u.username));
                  ctx.announce(`User ${u.username} deleted.`);
                  await list.refresh();
                } catch (e) { ctx.showError(e); }
              },
            }, 'Delete')];
        },
      },
    ],
  });

  const errBox = h('div', { role: 'alert', class: 'form-error' });
  const inputs = {
    username: h('input', { type: 'text', name: 'username', id: 'new-user-name', required: true, minlength: '3', maxlength: '128', autocomplete: 'off' }),
    password: h('input', { type: 'password', name: 'password', id: 'new-user-password', required: true, autocomplete: 'new-password' }),
    role: select('role', [['viewer', 'Viewer (read only)'], ['admin', 'Admin']], 'viewer'),
    sites: h('input', { type: 'text', name: 'sites', id: 'new-user-sites', autocomplete: 'off' }),
  };
  inputs.role.id = 'new-user-role';
  const form = h('form', { class: 'filters create-user', 'aria-labelledby': 'h-new-user' },
    field('Username', inputs.username), field('Password', inputs.password, 'As the user pool’s password policy requires'),
    field('Role', inputs.role), field('Sites', inputs.sites, 'Optional, separated by commas: the user sees only these sites'),
    h('div', { class: 'field actions' }, h('button', { type: 'submit', class: 'primary', id: 'new-user-submit' }, 'Create user')), errBox);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace(errBox);
    const body = { username: inputs.username.value.trim(), password: inputs.password.value, role: inputs.role.value };
    const sites = listOf(inputs.sites.value);
    if (sites.length) body.sites = sites;
    try {
      const created = await post('/users', body);
      form.reset();
      ctx.announce(`User ${created.username} created as ${created.role}.`);
      await list.reset();
    } catch (err) {
      showProblem(errBox, err, inputs);
    }
  });
  return {
    title: 'Users',
    el: h('div', { class: 'view users' }, heading('Users', 'People who can sign in to this dashboard. Admins may change things; viewers may only look; a user with sites sees only those sites.'),
      h('section', { class: 'panel', 'aria-labelledby': 'h-new-user' }, h('h2', { id: 'h-new-user' }, 'Add a user'), form),
      editBox, list.el),
    refresh: () => list.refresh(),
  };
}
