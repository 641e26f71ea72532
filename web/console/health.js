// The consortium's health in the console (docs/web.md, "The access console"): every 2 s the
// page asks hc console (GET /console-api/health), which asks each of its nodes for its public
// status and metrics, and shows per node its height, view and primary, epochs, pending
// transactions and peers; and charts, for the console's own node (the first), transactions
// committed per minute and the mean block commit latency per interval, with the explorer's
// chart and metrics modules (the same SVG charts, no library).
import { $, call, cell, clear, visible } from './format.js';
import { drawChart } from '../explorer/chart.js';
import { kMaxSamples, point } from '../explorer/metrics.js';

const kSampleMs = 2000;
const state = { before: null, points: [], busy: false };

function peersText(peers) {
  if (!Array.isArray(peers)) return '';
  const up = peers.filter((p) => p.connected).map((p) => p.id);
  const down = peers.filter((p) => !p.connected).map((p) => p.id);
  return `connected: ${up.join(', ') || 'none'}${down.length ? `; not connected: ${down.join(', ')}` : ''}`;
}

function showNodes(nodes) {
  const tbody = $('health').querySelector('tbody');
  clear(tbody);
  for (const n of nodes) {
    const tr = document.createElement('tr');
    const s = n.status || {};
    tr.dataset.healthy = String(s.healthy === true);
    tr.appendChild(cell(s.name || n.url));
    tr.appendChild(cell(n.error ? `not answering: ${n.error}` : (s.healthy ? 'healthy' : 'unhealthy')));
    tr.appendChild(cell(s.height === undefined ? '' : String(s.height)));
    tr.appendChild(cell(s.view === undefined ? '' : `${s.view} (primary ${s.primary})${s.in_view_change ? ', changing' : ''}`));
    tr.appendChild(cell(s.epoch === undefined ? '' : `group ${s.epoch}, member ${s.member_epoch}`));
    tr.appendChild(cell(s.mempool_txs === undefined ? '' : String(s.mempool_txs)));
    tr.appendChild(cell(peersText(s.peers)));
    tbody.appendChild(tr);
  }
}

function sample(nodes, atMs) {
  const first = nodes[0];
  if (!first || !first.metrics) return;
  const m = first.metrics;
  const now = { atMs, txs: m.txs, blocks: m.blocks, latencySum: m.latency_sum_s, latencyCount: m.latency_count };
  if (state.before) {
    const p = point(state.before, now);
    if (p) state.points.push(p);
    if (state.points.length > kMaxSamples) state.points.shift();
  }
  state.before = now;
  drawChart($('commits-chart'), state.points.map((p) => ({ atMs: p.atMs, value: p.txsPerMinute })), 'tx/min');
  drawChart($('commit-latency-chart'), state.points.map((p) => ({ atMs: p.atMs, value: p.latencyMs })), 'ms');
  const last = state.points[state.points.length - 1];
  if (last) {
    $('commits-last').textContent = `${last.txsPerMinute.toFixed(1)} tx/min, ${last.blocksPerMinute.toFixed(1)} blocks/min`;
    $('commit-latency-last').textContent = last.latencyMs === null ? 'no block committed in the last interval'
      : `${last.latencyMs.toFixed(1)} ms mean over the last interval`;
  }
}

async function tick() {
  if (state.busy) return;
  state.busy = true;
  try {
    const health = await call('GET', '/console-api/health');
    showNodes(health.nodes);
    sample(health.nodes, Date.now());
    $('health-error').textContent = '';
  } catch (e) {
    $('health-error').textContent = visible(e.message);
  } finally {
    state.busy = false;
  }
}

export function startHealth() {
  tick();
  setInterval(tick, kSampleMs);
}
