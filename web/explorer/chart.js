// A small line chart in SVG, built with createElementNS (no library, no markup from data):
// the points [{atMs, value}] (value null: a gap) over the time they span, the y axis from 0 to
// the largest value, labelled with `unit`.
import { clear } from './format.js';

const kSvg = 'http://www.w3.org/2000/svg';
const kWidth = 480;
const kHeight = 160;
const kLeft = 48;
const kBottom = 18;
const kTop = 8;

function svgElement(tag, attributes) {
  const e = document.createElementNS(kSvg, tag);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  return e;
}

function label(x, y, text, anchor = 'start') {
  const t = svgElement('text', { x, y, 'text-anchor': anchor });
  t.textContent = text;
  return t;
}

function niceMax(value) {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (value <= step * magnitude) return step * magnitude;
  }
  return 10 * magnitude;
}

export function drawChart(container, points, unit) {
  clear(container);
  const svg = svgElement('svg', { viewBox: `0 0 ${kWidth} ${kHeight}`, role: 'img' });
  const shown = points.filter((p) => p.value !== null);
  svg.setAttribute('data-points', String(shown.length));
  svg.appendChild(svgElement('line', { x1: kLeft, y1: kTop, x2: kLeft, y2: kHeight - kBottom, class: 'axis' }));
  svg.appendChild(svgElement('line', { x1: kLeft, y1: kHeight - kBottom, x2: kWidth, y2: kHeight - kBottom, class: 'axis' }));
  if (points.length < 2 || shown.length === 0) {
    svg.appendChild(label(kLeft + 8, kHeight / 2, 'waiting for samples...'));
    container.appendChild(svg);
    return;
  }
  const t0 = points[0].atMs;
  const span = Math.max(1, points[points.length - 1].atMs - t0);
  const top = niceMax(Math.max(...shown.map((p) => p.value)));
  const x = (p) => kLeft + ((p.atMs - t0) / span) * (kWidth - kLeft - 4);
  const y = (p) => kHeight - kBottom - (p.value / top) * (kHeight - kBottom - kTop);
  svg.appendChild(label(kLeft - 4, kTop + 8, `${top} ${unit}`, 'end'));
  svg.appendChild(label(kLeft - 4, kHeight - kBottom, `0`, 'end'));
  svg.appendChild(label(kLeft, kHeight - 4, `${Math.round(span / 1000)} s ago`));
  svg.appendChild(label(kWidth - 4, kHeight - 4, 'now', 'end'));
  // One polyline per run of points without a gap.
  let run = [];
  const flush = () => {
    if (run.length > 1) svg.appendChild(svgElement('polyline', { points: run.join(' '), class: 'line' }));
    run = [];
  };
  for (const p of points) {
    if (p.value === null) {
      flush();
      continue;
    }
    run.push(`${x(p).toFixed(1)},${y(p).toFixed(1)}`);
    svg.appendChild(svgElement('circle', { cx: x(p).toFixed(1), cy: y(p).toFixed(1), r: 2, class: 'dot' }));
  }
  flush();
  container.appendChild(svg);
}
