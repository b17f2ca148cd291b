// Inline SVG charts, drawn by hand: a 30-day stacked bar chart and small time-series charts.
// Each chart is an <svg role="img"> with a <title> and a <desc> summarising it; the views also
// show the same numbers as a table. Marks carry <title>s so hovering shows exact values.
import { h, num, shortTime, uid, utcText } from './util.js';

const CLOCK = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const DAY = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const clockTime = (d) => CLOCK.format(d);
const dayOnly = (d) => DAY.format(d);

/** A "nice" upper bound and tick step for 0..max. */
export function niceScale(max, ticks = 4) {
  if (!(max > 0)) return { max: 1, step: 1 };
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  return { max: Math.ceil(max / step) * step, step };
}

function frame(width, height, title, desc, className) {
  const tId = uid('chart-title');
  const dId = uid('chart-desc');
  return h('svg', {
    class: `chart ${className || ''}`, viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
    'aria-labelledby': `${tId} ${dId}`, preserveAspectRatio: 'xMidYMid meet', focusable: 'false',
  }, h('title', { id: tId }, title), h('desc', { id: dId }, desc));
}

function yAxis(svg, { left, right, top, bottom, height, width, max, step, format }) {
  const g = h('g', { class: 'axis y', 'aria-hidden': 'true' });
  const plotH = height - top - bottom;
  for (let v = 0; v <= max + step / 2; v += step) {
    const y = top + plotH - (v / max) * plotH;
    g.append(h('line', { x1: left, x2: width - right, y1: y, y2: y, class: v === 0 ? 'baseline' : 'grid' }));
    g.append(h('text', { x: left - 6, y: y + 4, 'text-anchor': 'end' }, format(v)));
  }
  svg.append(g);
}

/**
 * Fleet chart: one stacked bar per UTC day — successful syncs, failed syncs on top.
 * days: [{date:"2026-11-01", syncs, failures}], oldest first.
 */
export function dailyChart(days, { title = 'Syncs and failures per day, last 30 days', width = 720 } = {}) {
  const height = 250, left = 48, right = 12, top = 12, bottom = 34;
  const totalSyncs = days.reduce((a, d) => a + d.syncs, 0);
  const totalFailures = days.reduce((a, d) => a + d.failures, 0);
  const busiest = days.reduce((a, d) => (d.syncs > (a ? a.syncs : -1) ? d : a), null);
  const desc = `${days.length} days (UTC): ${num(totalSyncs)} syncs, ${num(totalFailures)} failed` +
    (busiest && busiest.syncs > 0 ? `; busiest day ${busiest.date} with ${num(busiest.syncs)} syncs.` : '.');
  const svg = frame(width, height, title, desc, 'chart-daily');
  const { max, step } = niceScale(Math.max(...days.map((d) => d.syncs), 0));
  yAxis(svg, { left, right, top, bottom, height, width, max, step, format: (v) => num(v) });
  const plotW = width - left - right, plotH = height - top - bottom;
  const slot = plotW / Math.max(days.length, 1);
  const barW = Math.max(2, slot * 0.7);
  const bars = h('g', { class: 'bars' });
  days.forEach((d, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    const ok = Math.max(0, d.syncs - d.failures);
    const okH = (ok / max) * plotH, failH = (Math.min(d.failures, d.syncs || d.failures) / max) * plotH;
    const base = top + plotH;
    const label = `${d.date}: ${num(d.syncs)} syncs, ${num(d.failures)} failed`;
    const g = h('g', { class: 'day' }, h('title', {}, label));
    // A full-height transparent target so hovering anywhere in the day's column shows its numbers.
    g.append(h('rect', { class: 'hit', x: left + i * slot, y: top, width: slot, height: plotH }));
    if (okH > 0) g.append(h('rect', { class: 'ok', x, y: base - okH, width: barW, height: okH }));
    if (failH > 0) g.append(h('rect', { class: 'fail', x, y: base - okH - failH, width: barW, height: failH }));
    bars.append(g);
  });
  svg.append(bars);
  const xg = h('g', { class: 'axis x', 'aria-hidden': 'true' });
  const every = slot >= 34 ? 2 : slot >= 18 ? 5 : 10;
  days.forEach((d, i) => {
    if ((days.length - 1 - i) % every !== 0) return;
    const x = left + i * slot + slot / 2;
    xg.append(h('text', { x, y: height - bottom + 16, 'text-anchor': 'middle' }, d.date.slice(5)));
  });
  xg.append(h('text', { x: left, y: height - 4, class: 'axis-note' }, 'UTC day (MM-DD)'));
  svg.append(xg);
  return svg;
}

/**
 * A small time-series chart over event timestamps.
 * points: [{t: Date, v: number, label: string}] in time order; kind: 'bar' | 'line'.
 */
export function seriesChart(points, { title, unit = '', kind = 'line', className = '', digits = 0, t0, t1, width = 720 }) {
  const height = 160, left = 44, right = 14, top = 10, bottom = 26;
  const values = points.map((p) => p.v);
  const maxV = Math.max(0, ...values);
  const desc = points.length === 0 ? 'No events on this page.'
    : `${points.length} events from ${utcText(points[0].t)} to ${utcText(points[points.length - 1].t)}; ` +
      `max ${num(maxV, digits)}${unit ? ' ' + unit : ''}, mean ${num(values.reduce((a, b) => a + b, 0) / values.length, 1)}${unit ? ' ' + unit : ''}.`;
  const svg = frame(width, height, title, desc, `chart-series ${className}`);
  const { max, step } = niceScale(maxV);
  yAxis(svg, { left, right, top, bottom, height, width, max, step, format: (v) => num(v, step < 1 ? 1 : 0) });
  const plotW = width - left - right, plotH = height - top - bottom;
  const start = (t0 || (points[0] && points[0].t) || new Date()).getTime();
  let end = (t1 || (points.length && points[points.length - 1].t) || new Date()).getTime();
  if (end <= start) end = start + 60_000;
  const pad = (end - start) * 0.03;
  const xOf = (t) => left + ((t.getTime() - start + pad) / (end - start + 2 * pad)) * plotW;
  const yOf = (v) => top + plotH - (v / max) * plotH;
  const marks = h('g', { class: 'marks' });
  if (kind === 'bar') {
    const barW = Math.max(2, Math.min(14, plotW / Math.max(points.length, 1) * 0.6));
    for (const p of points) {
      const y = yOf(p.v);
      marks.append(h('rect', { x: xOf(p.t) - barW / 2, y, width: barW, height: Math.max(p.v > 0 ? 1 : 0, top + plotH - y) },
        h('title', {}, p.label)));
    }
  } else if (points.length) {
    marks.append(h('polyline', { points: points.map((p) => `${xOf(p.t).toFixed(1)},${yOf(p.v).toFixed(1)}`).join(' ') }));
    for (const p of points) {
      marks.append(h('circle', { cx: xOf(p.t), cy: yOf(p.v), r: 3.5 }, h('title', {}, p.label)));
    }
  }
  svg.append(marks);
  const xg = h('g', { class: 'axis x', 'aria-hidden': 'true' });
  // Label format by span: clock times within a day and a half, dates beyond a week, both between.
  const span = end - start;
  const label = span < 36 * 3600_000 ? clockTime : span > 7 * 86400_000 ? dayOnly : shortTime;
  const ticks = Math.max(1, Math.min(4, Math.floor(plotW / (label === shortTime ? 130 : 80))));
  for (let i = 0; i <= ticks; i++) {
    const t = new Date(start - pad + ((end - start + 2 * pad) * i) / ticks);
    xg.append(h('text', { x: xOf(t), y: height - bottom + 17, 'text-anchor': i === 0 ? 'start' : i === ticks ? 'end' : 'middle' }, label(t)));
  }
  svg.append(xg);
  return svg;
}

/**
 * A chart drawn at its box's real pixel width (so text stays 11 px at any screen size) and redrawn
 * when the box changes width. draw(width) returns the <svg>.
 */
export function responsive(draw, className = '') {
  const box = h('div', { class: `chart-frame ${className}` });
  let drawn = 0;
  let seen = false;
  const ro = new ResizeObserver(() => {
    if (!box.isConnected) { if (seen) ro.disconnect(); return; }
    seen = true;
    const w = Math.round(box.clientWidth);
    if (w < 50 || w === drawn) return;
    drawn = w;
    box.replaceChildren(draw(w));
  });
  ro.observe(box);
  return box;
}
