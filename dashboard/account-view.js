// #/account: the signed-in user's second factor (TOTP) — set up an authenticator app (secret and otpauth URI),
// confirm it with a code, turn it off with a current code; and the sign-in screen's second step (the code asked for after the password).
import { auth, post } from './api.js';
import { h, replace } from './util.js';
import { heading, field, showProblem, secretBox } from './forms.js';

function codeInput(id) {
  return h('input', {
    type: 'text', id, name: 'code', inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: '6', autocomplete: 'one-time-code',
    required: true, spellcheck: 'false', class: 'code-input',
  });
}

export function accountView(params, ctx) {
  const s = auth.session;
  const body = h('div', { id: 'totp-setup' });
  const start = h('button', { type: 'button', class: 'primary', id: 'totp-start' }, 'Set up an authenticator app');
  const errBox = h('div', { role: 'alert', class: 'form-error', id: 'totp-error' });

  start.addEventListener('click', async () => {
    replace(errBox);
    start.disabled = true;
    try {
      const setup = await post('/auth/totp/setup');
      const code = codeInput('totp-code');
      const verify = h('button', { type: 'submit', class: 'primary', id: 'totp-verify' }, 'Turn on');
      const form = h('form', { class: 'filters', id: 'totp-verify-form', 'aria-labelledby': 'h-totp-verify' },
        field('Code from the app', code, '6 digits'), h('div', { class: 'field actions' }, verify));
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        replace(errBox);
        verify.disabled = true;
        try {
          await post('/auth/totp/verify', { code: code.value.trim() });
          replace(body, h('p', { class: 'notice info', id: 'totp-enabled', role: 'status' },
            'Two-step sign-in is on: from your next sign-in, PiSync asks for a code from your authenticator app.'));
          ctx.announce('Two-step sign-in is on.');
        } catch (err) {
          showProblem(errBox, err, { code });
          code.select();
          code.focus();
        } finally {
          verify.disabled = false;
        }
      });
      replace(body,
        h('ol', { class: 'steps' },
          h('li', {}, 'In your authenticator app, add an account with this key (or open the link on the phone that has the app):',
            secretBox('Secret key', setup.secret_code, { id: 'totp-secret', note: 'Keep it secret; it is shown only while you set up.' }),
            h('p', { class: 'small' }, 'Setup link: ', h('a', { href: setup.otpauth_uri, id: 'totp-uri', class: 'break' }, setup.otpauth_uri))),
          h('li', {}, h('span', { id: 'h-totp-verify' }, 'Enter the 6-digit code the app shows now:'), form)));
      code.focus();
    } catch (err) {
      showProblem(errBox, err);
    } finally {
      start.disabled = false;
    }
  });

  // Turning it off takes a current code of the app (a lost app: an admin resets it, DELETE /v1/users/{username}/totp).
  const offCode = codeInput('totp-off-code');
  const offButton = h('button', { type: 'submit', id: 'totp-disable' }, 'Turn off two-step sign-in');
  const offErr = h('div', { role: 'alert', class: 'form-error', id: 'totp-off-error' });
  const offStatus = h('div', { id: 'totp-off-status', role: 'status' });
  const offForm = h('form', { class: 'filters', id: 'totp-disable-form', novalidate: true },
    field('Current code from the app', offCode, '6 digits'), h('div', { class: 'field actions' }, offButton));
  offForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace(offErr);
    replace(offStatus);
    offButton.disabled = true;
    try {
      await post('/auth/totp/disable', { code: offCode.value.trim() });
      offCode.value = '';
      offCode.removeAttribute('aria-invalid');
      replace(offStatus, h('p', { class: 'notice info', id: 'totp-disabled' },
        'Two-step sign-in is off: your next sign-in asks for your password only.'));
      ctx.announce('Two-step sign-in is off.');
    } catch (err) {
      showProblem(offErr, err, { code: offCode });
      offCode.select();
      offCode.focus();
    } finally {
      offButton.disabled = false;
    }
  });

  return {
    title: 'Your account',
    el: h('div', { class: 'view account' },
      heading('Your account', `Signed in as ${s.username} (${s.role}${s.sites && s.sites.length ? ', sites: ' + s.sites.join(', ') : ''}).`),
      h('section', { class: 'panel', 'aria-labelledby': 'h-totp' },
        h('h2', { id: 'h-totp' }, 'Two-step sign-in (TOTP)'),
        h('p', {}, 'With an authenticator app (any TOTP app), signing in asks for your password and then a 6-digit code from the app.'),
        start, errBox, body,
        h('h3', { id: 'h-totp-off' }, 'Turn it off'),
        h('p', { class: 'muted small' }, 'Enter the code your authenticator app shows now. Lost the app? Ask an admin to reset it.'),
        offForm, offErr, offStatus)),
    refresh: async () => false,
  };
}

/**
 * The sign-in screen's second step: the code for a sign-in that answered the TOTP challenge. Replaces the
 * form's content; onDone() once signed in, onCancel() to start again.
 */
export function totpChallengeForm(challenge, { onDone, onCancel }) {
  const code = codeInput('login-code');
  const error = h('div', { id: 'login-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'login-code-submit' }, 'Verify');
  const back = h('button', { type: 'button', onclick: onCancel }, 'Back');
  const form = h('form', { id: 'login-totp-form', class: 'login-form', 'aria-labelledby': 'login-title', novalidate: true },
    h('h1', { id: 'login-title', tabindex: '-1' }, 'Two-step sign-in'),
    h('p', { class: 'lead' }, `Enter the 6-digit code your authenticator app shows for ${challenge.username}.`),
    h('div', { class: 'field' }, h('label', { for: 'login-code' }, 'Code'), code),
    error, submit, ' ', back);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace(error);
    if (!/^[0-9]{6}$/.test(code.value.trim())) {
      code.setAttribute('aria-invalid', 'true');
      replace(error, h('p', { class: 'problem' }, 'Enter the 6 digits your authenticator app shows.'));
      code.focus();
      return;
    }
    submit.disabled = true;
    try {
      await auth.loginTotp(challenge.username, challenge.session, code.value.trim());
      onDone();
    } catch (err) {
      showProblem(error, err, { code });
      if (err && err.fieldErrors && err.fieldErrors.some((f) => f.field === 'session')) {
        replace(error, h('p', { class: 'problem' }, 'This sign-in has expired. Go back and sign in again.'));
      }
      code.select();
      code.focus();
    } finally {
      submit.disabled = false;
    }
  });
  setTimeout(() => code.focus(), 0);
  return form;
}
