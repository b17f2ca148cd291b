// Building blocks shared by the screens: tables, server-side pagers, list sections, problem display.
import { h, replace, uid } from './util.js';

/** Shows an ApiError (problem+json `detail` and field errors) or any error. */
export function problem(err) {
  const fields = (err && err.fieldErrors) || [];
  return h('div', { class: 'problem' },
    h('p', {}, h('strong', {}, err && err.status ? `Error ${err.status}: ` : 'Error: '), err ? err.message : 'Something went wrong.'),
    fields.length ? h('ul', { class: 'field-errors' }, fields.map((f) => h('li', {}, h('code', {}, f.field), ' ', f.message))) : null);
}

/**
 * A data table in a focusable, scrollable region. columns: [{label, cell: item => node|string, className, rowHeader}]
 * The first column (or the one with rowHeader) is the row header.
 */
export function dataTable({ caption, columns, items, empty = 'Nothing to show.', captionHidden = false, rowKey }) {
  const capId = uid('caption');
  const headerIdx = Math.max(0, columns.findIndex((c) => c.rowHeader));
  const table = h('table', { class: 'data' },
    h('caption', { id: capId, class: captionHidden ? 'visually-hidden' : null }, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.className }, c.label)))),
    h('tbody', {}, items.length === 0
      ? h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, empty))
      : items.map((item) => h('tr', { dataset: rowKey ? { key: rowKey(item) } : undefined }, columns.map((c, i) => {
        const content = c.cell(item);
        return i === headerIdx ? h('th', { scope: 'row', class: c.className }, content)
          : h('td', { class: c.className }, content);
      })))));
  return h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': capId, tabindex: '0' }, table);
}

/**
 * Server-side paging with opaque cursors: keeps the cursors of the pages visited so "Previous"
 * can go back. Only one page is ever held.
 */
export class Pager {
  constructor(name) {
    this.name = name;
    this.cursors = [null];
    this.nextCursor = null;
  }
  get cursor() { return this.cursors[this.cursors.length - 1]; }
  get page() { return this.cursors.length; }
  reset() { this.cursors = [null]; this.nextCursor = null; }
  controls(onMove, shown, limit) {
    const atEnd = !this.nextCursor;
    const short = shown < limit && !atEnd;
    return h('nav', { class: 'pager', 'aria-label': `${this.name} pages` },
      h('button', {
        type: 'button', disabled: this.page === 1, 'data-focus-key': `${this.name}-prev`,
        onclick: () => { this.cursors.pop(); onMove(); },
      }, '‹ Previous'),
      h('span', { class: 'page-no' }, `Page ${this.page}`),
      h('button', {
        type: 'button', disabled: atEnd, 'data-focus-key': `${this.name}-next`,
        onclick: () => { this.cursors.push(this.nextCursor); onMove(); },
      }, 'Next ›'),
      short ? h('span', { class: 'muted small' }, shown === 0
        ? 'No matches in this part of the list; more may follow on the next page.'
        : 'The server returned a partial page; more may follow on the next page.') : null);
  }
}

/**
 * A titled list backed by one paged API call. fetchPage(cursor, limit) → {items, next_cursor}.
 * refresh() re-reads the page currently shown; returns true when its content changed.
 */
export function listSection({ plain = false, title, headingLevel = 'h2', caption, columns, fetchPage, limit = 25, empty, rowKey, toolbar, intro, onItems }) {
  const pager = new Pager(title);
  const body = h('div', { class: 'list-body', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
  const headingId = uid('h');
  const section = h('section', { class: plain ? 'subsection' : 'panel', 'aria-labelledby': headingId },
    h(headingLevel, { id: headingId, tabindex: '-1' }, title), intro || null, toolbar || null, body);
  let last = null;
  let seq = 0;

  async function load(force = false) {
    const mine = ++seq;
    const size = typeof limit === 'function' ? limit() : limit;
    const res = await fetchPage(pager.cursor, size);
    if (mine !== seq) return false; // a newer load won
    pager.nextCursor = res.next_cursor || null;
    const key = JSON.stringify([pager.page, size, res]);
    const changed = key !== last;
    last = key;
    if (onItems) onItems(res.items);
    if (!changed && !force) return false; // nothing new: leave the DOM (focus, selection, scroll) alone
    replace(body,
      dataTable({ caption: typeof caption === 'function' ? caption(pager) : `${caption} — page ${pager.page}`, columns, items: res.items, empty, rowKey }),
      pager.controls(() => move(), res.items.length, size));
    body.removeAttribute('aria-busy');
    return changed;
  }

  async function move() {
    try {
      await load(true);
      const heading = section.querySelector(headingLevel);
      if (heading && !section.contains(document.activeElement)) heading.focus();
    } catch (e) {
      replace(body, problem(e));
    }
  }

  return {
    el: section,
    // A failed refresh keeps the page shown (the shell reports the error); only a first load shows it here.
    refresh: () => load().catch((e) => { if (last === null) replace(body, problem(e)); throw e; }),
    reset() { pager.reset(); last = null; return this.refresh(); },
    pager,
  };
}
