// Form building blocks of the admin screens: labelled fields, a secret shown once with a Copy button,
// a file download, field errors from problem+json marked on their inputs.
import { h, replace, uid } from './util.js';
import { problem } from './components.js';

export function heading(text, sub) {
  return h('header', { class: 'page-head' }, h('h1', { tabindex: '-1' }, text), sub ? h('p', { class: 'lead' }, sub) : null);
}

export function field(label, control, hint) {
  const id = control.id || (control.id = uid('f'));
  const hintId = hint ? uid('hint') : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('span', { id: hintId, class: 'hint' }, hint) : null);
}

export function select(name, options, value) {
  return h('select', { name, id: uid(name) }, options.map(([v, label]) => h('option', { value: v, selected: v === (value || '') }, label)));
}

/** Comma- or space-separated text → a list without empties. */
export function listOf(text) {
  return String(text || '').split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);
}

/** Shows an error in box and marks the inputs (by field name) the API named. */
export function showProblem(box, err, inputs = {}) {
  for (const i of Object.values(inputs)) i.removeAttribute('aria-invalid');
  for (const fe of (err && err.fieldErrors) || []) {
    const name = String(fe.field).replace(/\[\d+\]$/, '');
    if (inputs[name]) inputs[name].setAttribute('aria-invalid', 'true');
  }
  replace(box, problem(err));
}

/**
 * A secret (device token, TOTP secret) shown once: read-only, selectable, with a Copy button. It is not kept
 * anywhere else: leaving the screen loses it.
 */
export function secretBox(label, value, { id, note } = {}) {
  const input = h('input', { type: 'text', readonly: true, value, id: id || uid('secret'), class: 'secret', spellcheck: 'false', autocomplete: 'off' });
  const status = h('span', { class: 'muted small', role: 'status', 'aria-live': 'polite' });
  const copy = h('button', {
    type: 'button', class: 'small', 'data-copy-for': input.id,
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(value);
        status.textContent = 'Copied.';
      } catch {
        input.select(); // no clipboard permission: selected for Ctrl+C
        status.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
      }
    },
  }, 'Copy');
  return h('div', { class: 'secret-box notice warn' },
    h('label', { for: input.id }, label), h('div', { class: 'secret-row' }, input, copy), status,
    h('p', { class: 'small' }, note || 'Shown only this once: copy it now. PiSync keeps only a hash of it.'));
}

/** Hands a Blob to the browser as a file download. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
