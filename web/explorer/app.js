// The public explorer (docs/web.md, "The public explorer"): wires the page's sections to the
// node's public routes. Read-only: it sends no credential and changes nothing. Every 2 s it
// reads /v1/status (and the newest blocks when the height moved) and /metrics (the charts).
import * as api from './node_api.js';
import { fetchBlock, renderBlock, renderBlockRows } from './blocks.js';
import { drawChart } from './chart.js';
import { abbreviated, clear, element, fact, utcTime } from './format.js';
import { kSerialScanBlocks, lookUp } from './lookup.js';
import { kMaxSamples, point, reading } from './metrics.js';

const kRefreshMs = 2000;
const kLatestBlocks = 10;

const state = { tip: 0, replicas: 0, shownTip: -1, readings: [], points: [], busy: false };
const $ = (id) => document.getElementById(id);

function renderStatus(s) {
  const dl = $('status');
  clear(dl);
  fact(dl, 'chain', s.chain_id);
  fact(dl, 'genesis hash', abbreviated(s.genesis_hash, 16), 'mono');
  fact(dl, 'this node', `${s.name} (replica ${s.node_id}), version ${s.version}`);
  fact(dl, 'healthy', s.healthy ? 'yes' : 'no', s.healthy ? '' : 'bad');
  fact(dl, 'height', String(s.height));
  fact(dl, 'view', `${s.view} (primary: replica ${s.primary})${s.in_view_change ? ', view change in progress' : ''}`);
  fact(dl, 'catching up', s.catching_up ? 'yes' : 'no');
  fact(dl, 'group epoch', String(s.epoch));
  fact(dl, 'transactions pending', String(s.mempool_txs));
  fact(dl, 'application state hash', abbreviated(s.app_hash, 16), 'mono');
  const tbody = $('peers').querySelector('tbody');
  clear(tbody);
  for (const p of Array.isArray(s.peers) ? s.peers : []) {
    const tr = document.createElement('tr');
    if (!p.connected) tr.className = 'unhealthy';
    tr.appendChild(element('td', `replica ${p.id}`));
    tr.appendChild(element('td', p.connected ? 'yes' : 'no'));
    tbody.appendChild(tr);
  }
}

async function refreshBlocks() {
  if (state.tip === state.shownTip) return;
  const heights = [];
  for (let h = state.tip; h >= 1 && heights.length < kLatestBlocks; h--) heights.push(h);
  const blocks = await Promise.all(heights.map(fetchBlock));
  renderBlockRows($('blocks').querySelector('tbody'), blocks, state.replicas, openBlock);
  state.shownTip = state.tip;
}

function drawCharts() {
  drawChart($('throughput-chart'), state.points.map((p) => ({ atMs: p.atMs, value: p.txsPerMinute })), 'tx/min');
  drawChart($('latency-chart'), state.points.map((p) => ({ atMs: p.atMs, value: p.latencyMs })), 'ms');
  const last = state.points[state.points.length - 1];
  if (!last) return;
  $('throughput-last').textContent =
    `${last.txsPerMinute.toFixed(1)} tx/min, ${last.blocksPerMinute.toFixed(1)} blocks/min over the last interval`;
  const latencies = state.points.filter((p) => p.latencyMs !== null);
  $('latency-last').textContent = latencies.length
    ? `${latencies[latencies.length - 1].latencyMs.toFixed(1)} ms (last interval with a commit)` : 'no block committed yet';
}

async function sampleMetrics() {
  const now = reading(await api.metricsText(), Date.now());
  const before = state.readings[state.readings.length - 1];
  state.readings.push(now);
  if (state.readings.length > 2) state.readings.shift();
  if (before) {
    const p = point(before, now);
    if (p) state.points.push(p);
    if (state.points.length > kMaxSamples) state.points.shift();
  }
  drawCharts();
}

async function tick() {
  if (state.busy) return;
  state.busy = true;
  try {
    const s = await api.status();
    state.tip = Number(s.height);
    state.replicas = (Array.isArray(s.peers) ? s.peers.length : 0) + 1;
    renderStatus(s);
    $('status-error').textContent = '';
  } catch (e) {
    $('status-error').textContent = e.message;
  }
  try {
    await refreshBlocks();
    $('blocks-error').textContent = '';
  } catch (e) {
    $('blocks-error').textContent = e.message;
  }
  try {
    await sampleMetrics();
  } catch (e) {
    $('status-error').textContent = `metrics: ${e.message}`;
  } finally {
    state.busy = false;
  }
}

async function openBlock(height, selectedTxId = '') {
  try {
    renderBlock(await fetchBlock(height), state.replicas, selectedTxId);
  } catch (e) {
    $('blocks-error').textContent = e.message;
  }
}

function renderSerialHits(result) {
  const table = $('lookup-results');
  const tbody = table.querySelector('tbody');
  clear(tbody);
  for (const hit of result.hits) {
    const tr = document.createElement('tr');
    const open = element('button', String(hit.height), { cls: 'link' });
    open.type = 'button';
    open.addEventListener('click', () => openBlock(hit.height, hit.txId));
    const first = document.createElement('td');
    first.appendChild(open);
    tr.appendChild(first);
    tr.appendChild(element('td', String(hit.index)));
    tr.appendChild(element('td', hit.kind));
    tr.appendChild(element('td', abbreviated(hit.txId, 12), { cls: 'mono', title: hit.txId }));
    tr.appendChild(element('td', utcTime(hit.timeMs)));
    tbody.appendChild(tr);
  }
  table.hidden = result.hits.length === 0;
  const range = result.from <= result.to ? `blocks ${result.from} to ${result.to}` : 'no block yet';
  $('lookup-status').textContent = result.hits.length
    ? `serial ${abbreviated(result.serial, 8)}: ${result.hits.length} transactions in ${range}`
    : `no transaction with this id, and none under this serial in ${range} (the latest ${kSerialScanBlocks} blocks are searched)`;
}

async function onLookup(event) {
  event.preventDefault();
  $('lookup-error').textContent = '';
  $('lookup-status').textContent = '';
  $('lookup-results').hidden = true;
  try {
    const result = await lookUp($('lookup-query').value, state.tip, (done, total) => {
      $('lookup-status').textContent = `searching blocks for the serial: ${done} of ${total}`;
    });
    if (result.kind === 'block') await openBlock(result.height);
    else if (result.kind === 'tx') await openBlock(result.height, result.txId);
    else if (result.kind === 'pending') $('lookup-status').textContent = 'this transaction is pending: not in a block yet';
    else renderSerialHits(result);
  } catch (e) {
    $('lookup-error').textContent = e.message;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('lookup').addEventListener('submit', onLookup);
  tick();
  setInterval(tick, kRefreshMs);
});
